import DetectorTraining
import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing
import Training

/// The numbers `morph eval landmarks` reports.
public struct LandmarkEvaluationReport: Codable, Sendable {
    /// Per-group figures (all faces, or one subfolder).
    public struct Group: Codable, Sendable {
        /// Faces in the group.
        public var count: Int
        /// Mean NME (fraction) over the faces that got a box; the others count as failures below.
        public var meanNME: Double
        /// Fraction of faces with NME above 8%.
        public var failureRate8: Double
        /// Fraction of faces with NME above 10%.
        public var failureRate10: Double
        /// Area under the CED curve up to 8% NME, normalised to 0...1.
        public var auc8: Double
    }

    /// One part of the face (jaw, an eye, the nose...) and its errors over the faces that got a box.
    public struct Part: Codable, Sendable {
        /// The part's name in the landmark scheme.
        public var name: String
        /// Mean over the found faces of the part's point error over the interocular distance (fraction).
        public var meanNME: Double
        /// The mean error along the part's contour, and across it (fractions of the interocular distance).
        public var along: Double, across: Double
    }

    /// Where the face boxes came from ("truth", "detector" or "pipeline").
    public var boxes: String
    /// Refinement passes (re-crops around the previous prediction).
    public var refine: Int
    /// Which passes also saw the mirrored crop: "none", "every pass" (`--flip` with given boxes), or the
    /// pipeline's `KeypointMirroring`.
    public var mirrored: String
    /// All faces.
    public var overall: Group
    /// By subfolder of the dataset.
    public var subsets: [String: Group]
    /// The errors of each part of the face (NME, along and across its contour), in the scheme's order.
    public var parts: [Part]
    /// Faces for which a box was found (1 with ground-truth boxes).
    public var boxHitRate: Double
    /// Mean wall-clock milliseconds per face (crop and network; with the pipeline, finding too).
    public var millisecondsPerFace: Double

    /// The table `morph eval landmarks` prints, naming `folder` where the pictures are.
    public func lines(folder: String) -> [String] {
        func line(_ name: String, _ g: Group) -> String {
            name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: " %5d   %6.2f%%   %6.1f%%   %6.1f%%   %6.3f", g.count, 100 * g.meanNME,
                         100 * g.failureRate8, 100 * g.failureRate10, g.auc8)
        }
        return ["boxes: \(boxes)  refine: \(refine)  mirrored: \(mirrored)",
                "group                  n      NME    >8% fail  >10% fail  AUC@8%",
                line("all", overall)]
            + subsets.sorted(by: { $0.key < $1.key }).map { line($0.key, $0.value) }
            + ["part                   NME   along  across"]
            + parts.map { $0.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: " %6.2f%% %6.2f%% %6.2f%%", 100 * $0.meanNME, 100 * $0.along, 100 * $0.across) }
            + [String(format: "face boxes found: %.1f%%   time per face: %.1f ms", 100 * boxHitRate, millisecondsPerFace),
               "CED curve and worst faces: \(folder)"]
    }
}

/// Evaluation of a 68-point model on whole photos with boxes from the truth or a face finder.
public enum LandmarkEvaluation {
    /// Where the face boxes come from.
    public enum BoxSource {
        /// The box of the ground-truth landmarks.
        case truth
        /// The face finder's first detection that hits the annotated face (none: a miss).
        case detector(FaceFinder)
        /// All of `morph detect`: the analyser's faces (finder, verifier, re-crops, confidence and nesting
        /// checks), then the largest whose keypoints' box hits the annotated face.
        case pipeline(FaceAnalyzer)

        /// The name in the report: truth, detector or pipeline.
        public var name: String {
            switch self {
            case .truth: return "truth"
            case .detector: return "detector"
            case .pipeline: return "pipeline"
            }
        }
    }

    /// `morph eval landmarks`: the points of `models` (averaged when several) for every example from the
    /// boxes of `source`, measured and drawn into `folder`. The pipeline runs its analyser's own model
    /// (`models` gives only the scheme), re-crops as `morph detect` does (ignoring `refine` and `flip`)
    /// and mirrors as the analyser is set.
    public static func run(models: [TrainedModel], examples: [TrainingExample], from source: BoxSource, refine: Int, flip: Bool,
                           folder: URL, progress: ProgressReporter) throws -> LandmarkEvaluationReport {
        precondition(!models.isEmpty, "no model to evaluate")
        switch source {
        case .truth:
            return try run(models: models, examples: examples, boxes: source.name, boxFor: \.landmarkBox, refine: refine,
                           flip: flip, folder: folder, progress: progress)
        case .detector(let finder):
            return try run(models: models, examples: examples, boxes: source.name, boxFor: { example in
                FaceFinderEvaluation.hit(finder.detect(example.image), truth: example.landmarkBox)?.box
            }, refine: refine, flip: flip, folder: folder, progress: progress)
        case .pipeline(let analyzer):
            return try run(examples: examples, scheme: models[0].spec.scheme, boxes: source.name,
                           refine: FaceAnalyzer.refinePasses, mirrored: analyzer.mirroring.rawValue, folder: folder,
                           progress: progress) { example in
                FaceFinderEvaluation.hit(analyzer.faces(in: example.image).faces, truth: example.landmarkBox)?.points
            }
        }
    }

    /// Predicts every example's points with each of `models` from the box `boxFor` gives it and
    /// averages them (nil box: missed, left out of the mean NME and counted as a failure with infinite
    /// error), then measures, draws the CED curve and the 10 worst faces into `folder`.
    public static func run(models: [TrainedModel], examples: [TrainingExample], boxes: String,
                           boxFor: (TrainingExample) -> Box?, refine: Int, flip: Bool, folder: URL,
                           progress: ProgressReporter) throws -> LandmarkEvaluationReport {
        let predictors = models.map(KeypointPredictor.init(model:))
        return try run(examples: examples, scheme: models[0].spec.scheme, boxes: boxes, refine: refine,
                       mirrored: flip ? "every pass" : "none", folder: folder, progress: progress) { example in
            boxFor(example).map { box in
                Point.mean(of: predictors.map { $0.predict(example.image, box: box, refine: refine, orientation: flip ? .averaged : .plain) })
            }
        }
    }

    /// Measures the points `predict` gives each example (nil: no face found for it, a failure with
    /// infinite error left out of the mean NME), draws the CED curve and the 10 worst faces into
    /// `folder`; `boxes`, `refine` and `mirrored` describe the method for the report.
    public static func run(examples: [TrainingExample], scheme: LandmarkScheme, boxes: String, refine: Int, mirrored: String,
                           folder: URL, progress: ProgressReporter,
                           predict: (TrainingExample) -> [Point]?) throws -> LandmarkEvaluationReport {
        var errors = [Double](), predictions = [[Point]?](), seconds = 0.0, found = 0
        var partErrors = [[LandmarkMetrics.PartError]]()  // per found face
        let started = Date()
        for (index, example) in examples.enumerated() {
            let clock = Date()
            let points = predict(example)
            seconds += Date().timeIntervalSince(clock)
            if let points {
                found += 1
                errors.append(LandmarkMetrics.nme(points, example.points, scheme: scheme))
                partErrors.append(LandmarkMetrics.partErrors(points, example.points, scheme: scheme))
            } else {
                errors.append(.infinity)
            }
            predictions.append(points)
            progress.update("evaluating", done: index + 1, total: examples.count, detail: "", stepStart: started)
        }
        var subsets = [String: LandmarkEvaluationReport.Group]()
        for subset in Set(examples.map(\.subset)) {
            subsets[subset.isEmpty ? "." : subset] = group(zip(examples, errors).filter { $0.0.subset == subset }.map(\.1))
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeCED(errors, to: folder.appendingPathComponent("ced.png").path)
        try writeWorst(examples: examples, predictions: predictions, errors: errors, count: 10, folder: folder)
        return LandmarkEvaluationReport(boxes: boxes, refine: refine, mirrored: mirrored, overall: group(errors), subsets: subsets,
                                        parts: scheme.parts.enumerated().map { k, part in
                                            func mean(_ figure: KeyPath<LandmarkMetrics.PartError, Double>) -> Double {
                                                partErrors.reduce(0) { $0 + $1[k][keyPath: figure] } / Double(max(found, 1))
                                            }
                                            return .init(name: part.name, meanNME: mean(\.nme), along: mean(\.along), across: mean(\.across))
                                        },
                                        boxHitRate: Double(found) / Double(max(examples.count, 1)),
                                        millisecondsPerFace: 1000 * seconds / Double(max(found, 1)))
    }

    static func group(_ errors: [Double]) -> LandmarkEvaluationReport.Group {
        let finite = errors.filter(\.isFinite)
        return .init(count: errors.count, meanNME: finite.reduce(0, +) / Double(max(finite.count, 1)),
                     failureRate8: LandmarkMetrics.failureRate(errors, threshold: 0.08),
                     failureRate10: LandmarkMetrics.failureRate(errors, threshold: 0.10),
                     auc8: LandmarkMetrics.areaUnderCurve(errors, threshold: 0.08))
    }

    /// The cumulative error distribution from 0 to 10% NME.
    static func writeCED(_ errors: [Double], to path: String) throws {
        let thresholds = (0...100).map { Double($0) / 1000 }
        let fractions = LandmarkMetrics.cumulativeErrorDistribution(errors, thresholds: thresholds)
        let plot = LinePlot(title: "Cumulative error distribution", xLabel: "NME %", yLabel: "fraction of faces",
                            series: [.init(name: "model", color: .blue,
                                           points: zip(thresholds, fractions).map { (100 * $0.0, $0.1) })],
                            yRange: 0...1)
        try ImageFile.write(plot.render(), to: path)
    }

    /// Overlays of the faces with the largest errors (truth green, prediction red).
    static func writeWorst(examples: [TrainingExample], predictions: [[Point]?], errors: [Double], count: Int,
                           folder: URL) throws {
        let worst = errors.indices.sorted { errors[$0] > errors[$1] }.prefix(count)
        for (rank, index) in worst.enumerated() {
            var image = examples[index].image.converted(to: .rgb)
            let radius = max(1.5, Double(image.width) / 300)
            for point in examples[index].points { image.drawDot(point, radius: radius, color: .green) }
            for point in predictions[index] ?? [] { image.drawDot(point, radius: radius, color: .red) }
            let label = errors[index].isFinite ? String(format: "NME %.1f%%", 100 * errors[index]) : "NO FACE"
            BitmapFont.draw(label, into: &image, x: 4, y: 4, color: .yellow, scale: 2)
            try ImageFile.write(image, to: folder.appendingPathComponent("worst-\(rank + 1).png").path)
        }
    }
}
