import ArgumentParser
import CourseModels
import DetectorTraining
import Evaluation
import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Pipeline
import Plumbing
import Training

extension MorphCommand {
    /// `morph eval`: measure a trained detector.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a trained detector on the validation part of a dataset.",
            subcommands: [WholePhoto<NoseNetwork>.self, WholePhoto<IMMPointsNetwork>.self, Landmarks.self, Faces.self, Identity.self])
    }
}

extension MorphCommand.Eval {
    /// `morph eval nose|imm`: the IMM networks on the validation persons, plain and perturbed.
    struct WholePhoto<Network: IMMNetwork>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Network.task.rawValue,
                abstract: "\(Network.task == .nose ? "Nose-tip" : "58-point") IMM model: mean pixel error and NME, plain and perturbed.",
                discussion: "With the second-stage crop model (shipped: models/\(Network.secondStageModelName).safetensors), "
                    + "the whole-photo model's guess places the crop the second model looks at; both are reported.")
        }

        @Option(help: "The IMM folder (imm_face_db).") var data: String
        @Option(help: "Model file (default: models/\(Network.modelName).safetensors).") var model: String?
        @Option(help: "Second-stage crop model (default: models/\(Network.secondStageModelName).safetensors, when present).")
        var stage2: String?
        @Flag(help: "Evaluate the whole-photo model alone.") var singleStage = false

        func run() throws {
            let path = model ?? "models/\(Network.modelName).safetensors"
            let trained = try TrainedModel(contentsOf: URL(fileURLWithPath: path), catalogue: .course)
            let (_, validation) = try LandmarkDataset.load(trained.spec.scheme, root: URL(fileURLWithPath: data))
            print("model \(path) (\(trained.spec.task.rawValue), input \(trained.spec.inputWidth)x\(trained.spec.inputHeight)), "
                  + "\(validation.count) validation photos at their 640x480 size")
            let shipped = "models/\(Network.secondStageModelName).safetensors"
            guard !singleStage, let second = stage2 ?? (FileManager.default.fileExists(atPath: shipped) ? shipped : nil) else {
                printSummaries(WholePhotoEvaluation.run(model: trained, examples: validation), stage: "whole photo")
                return
            }
            let cascade = try KeypointCascade(first: trained, second: TrainedModel(contentsOf: URL(fileURLWithPath: second), catalogue: .course))
            print("second stage \(second) (\(cascade.second.model.spec.task.rawValue), input "
                  + "\(cascade.second.model.spec.inputWidth)x\(cascade.second.model.spec.inputHeight))")
            let results = WholePhotoEvaluation.run(cascade: cascade, examples: validation)
            printSummaries(results.first, stage: "first stage alone")
            printSummaries(results.cascade, stage: "both stages")
        }

        func printSummaries(_ results: (plain: EvaluationSummary, perturbed: EvaluationSummary), stage: String) {
            print(stage + ":")
            for (name, summary) in [("plain", results.plain), ("rotated ±12°, shifted ±10%", results.perturbed)] {
                print("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
                      + String(format: " mean error %6.2f px   NME %5.2f%%", summary.meanPixelError, 100 * summary.meanNME))
            }
            print(String(format: "  NME change under perturbation: %+.1f%%",
                         100 * (results.perturbed.meanNME / results.plain.meanNME - 1)))
        }
    }

    /// `morph eval landmarks`: the 68-point model on whole photos.
    struct Landmarks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "68-point model on whole photos (300-W layout): NME, failure rates, AUC, CED curve, worst faces.")

        @Option(help: "A tree of photos with .pts files (searched recursively).") var data: String
        @Option(help: "Model file.") var model = "models/landmarks68.safetensors"
        @Option(help: "Which faces: validation (the fixed 10% split) or all.") var split = "validation"
        @Option(help: "Refinement passes, each on a crop made from the previous prediction.") var refine = 0
        @Flag(help: "Average with the prediction on the mirrored crop.") var flip = false
        @Option(help: "Folder for the CED curve and the worst faces.") var output = "output/eval-landmarks"
        @Option(help: ArgumentHelp(
            "Face boxes from the ground-truth landmarks (truth), the face finder (detector), or all of `morph detect` (pipeline).",
            discussion: "detector: the finder's first box that hits the face, then --refine and --flip as given. pipeline: "
                + "the finder's boxes the verifier passes, each with its 2 re-crops, the confidence and nesting checks, then the largest face whose keypoints' box hits."))
        var boxes = "truth"
        @Option(help: "Face finder model, for --boxes detector or pipeline.") var finder = "models/faces.safetensors"
        @Option(help: "With --boxes pipeline: the face verifier model (none: every finder box goes to the keypoint model).")
        var verifier = "models/face-verifier.safetensors"
        @Option(name: .customLong("min-confidence"), help: "With --boxes pipeline: as `morph detect --min-confidence`.")
        var minimumConfidence = FaceAnalyzer.defaultMinimumConfidence
        @Option(help: "With --boxes pipeline: drop a face lying inside a larger one by more than this share (1: never).")
        var nestedShare = FaceAnalyzer.defaultNestedShare

        func validate() throws {
            try OptionCheck.require(refine, in: 0...10, "--refine")
            try OptionCheck.require(minimumConfidence, in: 0...1, "--min-confidence")
            try OptionCheck.require(nestedShare, in: 0...1, "--nested-share")
            guard ["validation", "all"].contains(split) else { throw ValidationError("--split must be validation or all") }
            guard ["truth", "detector", "pipeline"].contains(boxes) else {
                throw ValidationError("--boxes must be truth, detector or pipeline")
            }
            if boxes == "pipeline" && (refine != 0 || flip) {
                throw ValidationError("--boxes pipeline re-crops as `morph detect` does: leave out --refine and --flip")
            }
        }

        func run() throws {
            let trained = try TrainedModel(contentsOf: URL(fileURLWithPath: model))
            let root = URL(fileURLWithPath: data)
            let (train, validation) = try LandmarkDataset.load(.ibug68, root: root)
            let examples = split == "all" ? train + validation : validation
            let progress = ProgressReporter()
            let folder = URL(fileURLWithPath: output)
            let report: LandmarkEvaluationReport
            if boxes == "truth" {
                report = try LandmarkEvaluation.run(model: trained, examples: examples, boxes: boxes, boxFor: \.landmarkBox,
                                                    refine: refine, flip: flip, folder: folder, progress: progress)
            } else if boxes == "detector" {
                // The face is the finder's first detection that hits the annotated one (none: a miss).
                let faceFinder = try FaceFinder(contentsOf: URL(fileURLWithPath: finder))
                report = try LandmarkEvaluation.run(
                    model: trained, examples: examples, boxes: boxes, boxFor: { example in
                        FaceFinderEvaluation.hit(faceFinder.detect(example.image), truth: example.landmarkBox)?.box
                    }, refine: refine, flip: flip, folder: folder, progress: progress)
            } else {
                // What `morph detect` reports; the face is the largest reported one whose keypoints' box hits the annotated one.
                let analyzer = FaceAnalyzer(finder: try FaceFinder(contentsOf: URL(fileURLWithPath: finder)),
                                            verifier: try faceVerifier(verifier), landmarks: trained)
                analyzer.minimumConfidence = minimumConfidence
                analyzer.nestedShare = nestedShare
                report = try LandmarkEvaluation.run(
                    examples: examples, scheme: trained.spec.scheme, boxes: boxes, refine: FaceAnalyzer.refinePasses,
                    flip: false, folder: folder, progress: progress) { example in
                    FaceFinderEvaluation.hit(analyzer.faces(in: example.image).faces, truth: example.landmarkBox)?.points
                }
            }
            LandmarkReportPrinter.print(report, folder: output)
        }
    }
}

extension MorphCommand.Eval {
    /// `morph eval faces`: the face finder's hit rate and false boxes at several thresholds.
    struct Faces: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face finder on the validation photos of IMM and 300-W: hit rate and boxes per photo by threshold.")

        @Option(help: "The folder holding imm_face_db and 300w.") var data: String
        @Option(help: "Model file.") var model = "models/faces.safetensors"
        @Option(help: "Drop a box lying inside a stronger one by more than this share of its area (1: keep it).")
        var containment = 1.0
        @Option(help: "68-point model: also report, at the finder's threshold, what dropping boxes as `morph detect` does (keypoints that do not settle, confidence below a cut-off; faces inside larger ones) keeps.")
        var verify: String?
        @Option(help: "With --verify: drop a face lying inside a larger, more settled one by more than this share (1: never).")
        var nestedShare = FaceAnalyzer.defaultNestedShare
        @Option(help: "Face verifier model, checking the boxes kept at the finder's threshold (none: no check).")
        var verifier = "models/face-verifier.safetensors"
        @Option(help: "Whole photos (DATA/afw-photos, every face annotated): which of 300-W's sides to measure, validation, train or all; none to skip.")
        var wholePhotos = "validation"
        @Option(help: "The finder's pyramid levels, longer sides in pixels, e.g. 512,256,128 (default: the model file's).")
        var levels: String?
        @Option(help: "The finder's threshold for the whole photos (default: the model file's).")
        var threshold: Double?

        func validate() throws {
            guard ["validation", "train", "all", "none"].contains(wholePhotos) else {
                throw ValidationError("--whole-photos must be validation, train, all or none")
            }
            try OptionCheck.require(containment, in: 0...1, "--containment")
            try OptionCheck.require(nestedShare, in: 0...1, "--nested-share")
            if let threshold { try OptionCheck.require(threshold, in: 0...1, "--threshold") }
            if let levels { try OptionCheck.pyramidLevels(levels) }
        }

        /// The finder at `--model` with `--levels` and `--threshold` applied.
        func loadFinder() throws -> FaceFinder {
            let finder = try FaceFinder(contentsOf: URL(fileURLWithPath: model))
            if let levels { finder.levels = try OptionCheck.pyramidLevels(levels) }
            if let threshold { finder.threshold = threshold }
            return finder
        }

        func run() throws {
            if wholePhotos != "none" { try evaluateWholePhotos() }
            let finder = try loadFinder()
            finder.containment = containment
            let shipped = finder.threshold
            finder.threshold = 0.05
            let checker = try faceVerifier(verifier)
            let root = URL(fileURLWithPath: data)
            for (name, folder, scheme) in [("imm", "imm_face_db", LandmarkScheme.imm58), ("300w", "300w", .ibug68)] {
                let examples = try LandmarkDataset.load(scheme, root: root.appendingPathComponent(folder)).validation
                let started = Date()
                let candidates = examples.map { finder.candidates($0.image) }
                let milliseconds = 1000 * Date().timeIntervalSince(started) / Double(examples.count)
                print("\(name): \(examples.count) validation photos, \(String(format: "%.1f", milliseconds)) ms per photo")
                let boxes = candidates.map {
                    FaceFinder.suppress($0.filter { $0.score >= shipped }, overlap: finder.overlap, containment: containment)
                }
                let checked = checker.map { checker in zip(boxes, examples).map { checker.kept($0, in: $1.image) } } ?? boxes
                if let checker {
                    let report = FaceFinderEvaluation.score(candidates: checked, examples: examples, threshold: 0,
                                                            overlap: 1, containment: 1)
                    print(String(format: "  threshold %.2f, then the verifier (%.3f)  found %5.1f%%   boxes per photo %.2f",
                                 shipped, checker.threshold, 100 * report.hitRate, report.boxesPerPhoto))
                }
                if let verify {
                    try printVerification(checked, examples: examples, shipped: shipped,
                                          model: TrainedModel(contentsOf: URL(fileURLWithPath: verify)))
                }
                for threshold in [0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8] {
                    let report = FaceFinderEvaluation.score(candidates: candidates, examples: examples, threshold: threshold,
                                                            overlap: finder.overlap, containment: containment)
                    print(String(format: "  threshold %.2f%@  found %5.1f%%   boxes per photo %.2f   centre error %.1f px",
                                 threshold, abs(threshold - shipped) < 1e-9 ? " (model's)" : "          ",
                                 100 * report.hitRate, report.boxesPerPhoto, report.meanCentreError))
                }
            }
        }
    }
}

extension MorphCommand.Eval.Faces {
    /// What `morph detect` finds (finder, verifier, the 68-point model and its checks) on the whole AFW
    /// photos: recall by face size, unmatched faces per photo, and a contact sheet of the missed faces.
    func evaluateWholePhotos() throws {
        let xml = URL(fileURLWithPath: data).appendingPathComponent("afw-photos/faces.xml")
        let landmarks = verify.map(URL.init(fileURLWithPath:)) ?? ModelFiles.folder().appendingPathComponent("landmarks68.safetensors")
        let analyzer = FaceAnalyzer(finder: try loadFinder(), verifier: try faceVerifier(verifier),
                                    landmarks: try TrainedModel(contentsOf: landmarks))
        let split: DatasetSplit? = wholePhotos == "all" ? nil : DatasetSplit(rawValue: wholePhotos)
        let report = try WholePhotoRecall.evaluate(try DlibDataset(contentsOf: xml), split: split, analyzer: analyzer,
                                                   progress: ProgressReporter())
        let percent = { (found: Int, of: Int) in String(format: "%.1f%% of %d", 100 * Double(found) / Double(max(of, 1)), of) }
        print("whole photos (\(xml.path), \(wholePhotos)): \(report.photos) photos, found \(percent(report.found, report.annotated)) annotated faces; "
              + String(format: "%.2f reported faces per photo, %.2f matching no annotated face; %.0f ms per photo (median)",
                       Double(report.reported) / Double(max(report.photos, 1)), Double(report.unmatched) / Double(max(report.photos, 1)),
                       report.medianMilliseconds))
        for bin in report.bins { print("  faces \(bin.label): found \(percent(bin.found, bin.annotated))") }
        if let sheet = try WholePhotoRecall.missedSheet(report.missed) {
            let path = "output/missed-faces.jpg"
            try FileManager.default.createDirectory(atPath: "output", withIntermediateDirectories: true)
            try ImageFile.write(sheet, to: path, quality: 88)
            print("  missed faces: \(path)")
        }
    }

    /// Hit rate and boxes per photo of the `detected` boxes (the finder's at its `shipped` threshold,
    /// then the verifier's if any) when faces are dropped as `morph detect` drops them: keypoints that do
    /// not settle (confidence below a cut-off, see `FaceAnalyzer.minimumConfidence`) or lie inside a
    /// larger face (`nestedShare`). A face is found when its keypoints' box hits the annotated one.
    func printVerification(_ detected: [[FaceDetection]], examples: [TrainingExample], shipped: Double, model: TrainedModel) {
        let predictor = KeypointPredictor(model: model)
        let analysed = zip(detected, examples).map { detections, example in
            zip(detections, FaceAnalyzer.keypoints(predictor, example.image, boxes: detections.map(\.box))).map {
                AnalyzedFace(box: $0.box, score: $0.score, points: $1.points, confidence: $1.confidence, origin: .detected)
            }
        }
        for cutoff in [0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8] {
            var hits = 0, boxes = 0
            for (faces, example) in zip(analysed, examples) {
                let kept = FaceAnalyzer.kept(faces, minimumConfidence: cutoff, nestedShare: nestedShare)
                boxes += kept.count
                if FaceFinderEvaluation.hit(kept, truth: example.landmarkBox) != nil { hits += 1 }
            }
            let n = Double(max(examples.count, 1))
            print(String(format: "  threshold %.2f, keypoint confidence >= %.1f, nested share %.2f  found %5.1f%%   boxes per photo %.2f",
                         shipped, cutoff, nestedShare, 100 * Double(hits) / n, Double(boxes) / n))
        }
    }
}

/// The face verifier at `path`, or nil for "none".
func faceVerifier(_ path: String) throws -> FaceVerifier? {
    path == "none" ? nil : try FaceVerifier(contentsOf: URL(fileURLWithPath: path))
}

/// Console table of a landmark evaluation.
enum LandmarkReportPrinter {
    static func print(_ report: LandmarkEvaluationReport, folder: String) {
        func line(_ name: String, _ g: LandmarkEvaluationReport.Group) -> String {
            name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: " %5d   %6.2f%%   %6.1f%%   %6.1f%%   %6.3f", g.count, 100 * g.meanNME,
                         100 * g.failureRate8, 100 * g.failureRate10, g.auc8)
        }
        Swift.print("boxes: \(report.boxes)  refine: \(report.refine)  flip: \(report.flip)")
        Swift.print("group                  n      NME    >8% fail  >10% fail  AUC@8%")
        Swift.print(line("all", report.overall))
        for (name, group) in report.subsets.sorted(by: { $0.key < $1.key }) { Swift.print(line(name, group)) }
        Swift.print(String(format: "face boxes found: %.1f%%   time per face: %.1f ms", 100 * report.boxHitRate,
                           report.millisecondsPerFace))
        Swift.print("CED curve and worst faces: \(folder)")
    }
}

extension MorphCommand.Eval {
    /// `morph eval identity`: the face-identity model on LFW, IMM and collections made from LFW.
    struct Identity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face-identity model: LFW verification (10-fold threshold, ROC AUC, true accepts at 1% and 0.1% false accepts, time per face), IMM rank-1 identification, and --face auto on collections made from LFW people.",
            discussion: "The pairs' people are disjoint from the training people (peopleDevTrain.txt). Collections: for each pairs person with 8 or more photos, 8 scenes each showing one of their photos among 2-4 photos of the people who look most like them; a scene counts as followed when the picked face is the person's.")
        @Option(help: "The lfw folder.") var data: String
        @Option(help: "The pairs file in it.") var pairs = "pairsDevTest.txt"
        @Option(help: "The IMM folder for rank-1 identification (default: imm_face_db beside the lfw folder; none: skip).")
        var imm: String?
        @Option(help: ArgumentHelp("Models folder: finder, verifier and 68-point model (default: as for `morph`).", valueName: "dir"))
        var models: String?
        @Option(help: "The identity model (default: identity.safetensors in the models folder).") var model: String?
        @Flag(help: "Embed the crop only, without adding its mirror image's embedding.") var noFlip = false
        @Flag(help: "Skip the collections.") var noCollections = false
        @Option(help: "Folder for the ROC curve and the keypoint cache.") var output = "output/eval-identity"

        func run() throws {
            let folder = ModelFiles.folder(explicit: models)
            let modelURL = model.map(URL.init(fileURLWithPath:)) ?? ModelFiles.identityURL(folder: folder)
            let identity = try IdentityModel(contentsOf: modelURL)
            identity.flipAverage = !noFlip
            let outputURL = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
            let progress = ProgressReporter()
            let root = URL(fileURLWithPath: data)
            let (report, milliseconds) = try IdentityEvaluation.verification(
                root: root, pairs: pairs, landmarks: folder.appendingPathComponent("landmarks68.safetensors"), model: identity,
                cache: outputURL.appendingPathComponent("keypoints.json"), progress: progress)
            print("\(modelURL.path) on \(pairs) (\(noFlip ? "no mirror" : "crop + mirror")):")
            print(String(format: "  accuracy %.2f%% ± %.2f (10-fold threshold)   ROC AUC %.4f   TAR %.1f%% at FAR 1%%, %.1f%% at FAR 0.1%%",
                         100 * report.accuracy, 100 * report.accuracySpread, report.auc, 100 * report.trueAcceptAt1Percent,
                         100 * report.trueAcceptAtTenthPercent))
            print(String(format: "  best threshold on all pairs %.3f (the model's: %.3f)   embedding %.1f ms per face", report.threshold,
                         identity.threshold, milliseconds))
            let plot = LinePlot(title: "LFW \(pairs) ROC", xLabel: "false accept rate", yLabel: "true accept rate",
                                series: [.init(name: "identity", color: .red, points: report.roc.map { ($0.falseAccept, $0.trueAccept) })])
            let rocPath = outputURL.appendingPathComponent("roc.png").path
            try ImageFile.write(plot.render(), to: rocPath)
            print("  ROC curve: \(rocPath)")
            let analyzer = try ModelFiles.analyzer(folder: folder, manualBoxes: nil, identity: modelURL)
            let immFolder = imm ?? root.deletingLastPathComponent().appendingPathComponent("imm_face_db").path
            if immFolder != "none" {
                let imm = try IdentityEvaluation.immRankOne(folder: URL(fileURLWithPath: immFolder), analyzer: analyzer, progress: progress)
                print(String(format: "IMM rank-1 identification: %.1f%% of %d photos (%d without a face)", 100 * imm.rankOne, imm.photos,
                             imm.withoutFace.count))
            }
            if !noCollections {
                for lookalikes in [true, false] {
                let reports = try SyntheticCollections.evaluate(root: root, pairs: pairs, analyzer: analyzer, lookalikes: lookalikes,
                                                                offsets: [-0.1, 0, 0.1], progress: progress)
                print(lookalikes ? "collections, strangers among the 12 people most alike (by this model):" : "collections, strangers drawn from everyone:")
                for collections in reports {
                    let n = Double(max(collections.scenes, 1))
                    print(String(format: "  %d people, %d scenes, threshold %.3f%@: --face auto followed the person in %.1f%%, another person in %.1f%%, skipped %.1f%%; the largest face is the person's in %.1f%%",
                                 collections.collections, collections.scenes, collections.threshold,
                                 abs(collections.threshold - identity.threshold) < 1e-9 ? " (the model's)" : "",
                                 100 * Double(collections.followed) / n, 100 * Double(collections.wrong) / n,
                                 100 * Double(collections.skipped) / n, 100 * Double(collections.largestRight) / n))
                }
                }
            }
        }
    }
}
