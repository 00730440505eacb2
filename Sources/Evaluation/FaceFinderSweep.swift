import DetectorTraining
import FaceAnalysis
import Foundation
import Training

/// What `morph eval faces` measures on one dataset's validation photos: the finder's hit rate and boxes
/// per photo at several thresholds, after its verifier, and after the keypoint checks of `morph detect`.
public struct FaceFinderSweep {
    /// The thresholds the finder's candidates are counted at.
    public static let thresholds = [0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8]
    /// The keypoint-confidence cut-offs of the keypoint check.
    public static let cutoffs = [0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8]
    /// Candidates are gathered down to this score, then counted at each threshold.
    static let lowestThreshold = 0.05

    /// One keypoint-check figure: the faces found and boxes per photo at a confidence cut-off.
    public struct Check: Sendable, Equatable {
        /// The keypoint-confidence cut-off.
        public var cutoff: Double
        /// Share of the photos whose annotated face a kept face's keypoints hit.
        public var hitRate: Double
        /// Kept faces per photo.
        public var boxesPerPhoto: Double
    }

    /// The dataset's name.
    public var name: String
    /// Photos measured.
    public var photos: Int
    /// Mean milliseconds of finding per photo.
    public var millisecondsPerPhoto: Double
    /// The finder's own threshold.
    public var threshold: Double
    /// With a verifier: its threshold, and the figures of the boxes it keeps at the finder's threshold.
    public var verified: (threshold: Double, report: FaceFinderReport)?
    /// With a keypoint model: the faces kept as `morph detect` keeps them (at `nestedShare`), per cut-off.
    public var checks: [Check]
    /// The share within a larger face above which the keypoint check drops a face.
    public var nestedShare: Double
    /// The finder's figures at each of `thresholds`.
    public var byThreshold: [(threshold: Double, report: FaceFinderReport)]

    /// Runs `finder` (candidates down to a low score, then suppressed with its overlap and `containment`)
    /// on `examples`, `verifier` on the boxes kept at the finder's own threshold, and with `keypoints`
    /// the 68-point model and `morph detect`'s checks on the boxes left.
    public static func run(name: String, examples: [TrainingExample], finder: FaceFinder, verifier: FaceVerifier?,
                           keypoints: TrainedModel?, containment: Double, nestedShare: Double) -> FaceFinderSweep {
        let threshold = finder.threshold
        finder.threshold = lowestThreshold
        defer { finder.threshold = threshold }
        let started = Date()
        let candidates = examples.map { finder.candidates($0.image) }
        let milliseconds = 1000 * Date().timeIntervalSince(started) / Double(max(examples.count, 1))
        let boxes = candidates.map {
            FaceFinder.suppress($0.filter { $0.score >= threshold }, overlap: finder.overlap, containment: containment)
        }
        let checked = verifier.map { verifier in zip(boxes, examples).map { verifier.kept($0, in: $1.image) } } ?? boxes
        let verified = verifier.map { verifier in
            (verifier.threshold, FaceFinderEvaluation.score(candidates: checked, examples: examples, threshold: 0, overlap: 1,
                                                            containment: 1))
        }
        let analysed = keypoints.map { model in
            let predictor = KeypointPredictor(model: model)
            return zip(checked, examples).map { detections, example in
                // As `morph detect` places them.
                let found = FaceAnalyzer.keypoints(predictor, example.image, boxes: detections.map(\.box), mirroring: .settlingPass)
                return zip(detections, found).map {
                    AnalyzedFace(box: $0.box, score: $0.score, points: $1.points, confidence: $1.confidence, origin: .detected)
                }
            }
        }
        return FaceFinderSweep(
            name: name, photos: examples.count, millisecondsPerPhoto: milliseconds, threshold: threshold, verified: verified,
            checks: analysed.map { check($0, examples: examples, nestedShare: nestedShare) } ?? [], nestedShare: nestedShare,
            byThreshold: thresholds.map {
                ($0, FaceFinderEvaluation.score(candidates: candidates, examples: examples, threshold: $0,
                                                overlap: finder.overlap, containment: containment))
            })
    }

    /// The faces found and kept per photo when `analysed` (each photo's faces with keypoints) are dropped
    /// as `morph detect` drops them at each cut-off: keypoints that do not settle, or a face inside a
    /// larger one (`nestedShare`). A photo's face is found when a kept face's keypoints' box hits it.
    static func check(_ analysed: [[AnalyzedFace]], examples: [TrainingExample], nestedShare: Double) -> [Check] {
        cutoffs.map { cutoff in
            var hits = 0, boxes = 0
            for (faces, example) in zip(analysed, examples) {
                let kept = FaceAnalyzer.kept(faces, minimumConfidence: cutoff, nestedShare: nestedShare)
                boxes += kept.count
                if FaceFinderEvaluation.hit(kept, truth: example.landmarkBox) != nil { hits += 1 }
            }
            let n = Double(max(examples.count, 1))
            return Check(cutoff: cutoff, hitRate: Double(hits) / n, boxesPerPhoto: Double(boxes) / n)
        }
    }

    /// The lines `morph eval faces` prints for the dataset.
    public var lines: [String] {
        var lines = ["\(name): \(photos) validation photos, \(String(format: "%.1f", millisecondsPerPhoto)) ms per photo"]
        if let verified {
            lines.append(String(format: "  threshold %.2f, then the verifier (%.3f)  found %5.1f%%   boxes per photo %.2f",
                                threshold, verified.threshold, 100 * verified.report.hitRate, verified.report.boxesPerPhoto))
        }
        lines += checks.map {
            String(format: "  threshold %.2f, keypoint confidence >= %.1f, nested share %.2f  found %5.1f%%   boxes per photo %.2f",
                   threshold, $0.cutoff, nestedShare, 100 * $0.hitRate, $0.boxesPerPhoto)
        }
        lines += byThreshold.map { row in
            String(format: "  threshold %.2f%@  found %5.1f%%   boxes per photo %.2f   centre error %.1f px",
                   row.threshold, abs(row.threshold - threshold) < 1e-9 ? " (model's)" : "          ",
                   100 * row.report.hitRate, row.report.boxesPerPhoto, row.report.meanCentreError)
        }
        return lines
    }
}
