import ArgumentParser
import CourseModels
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
                discussion: "With the second-stage crop model (shipped: \(Network.secondStageModelName).safetensors), "
                    + "the whole-photo model's guess places the crop the second model looks at; both are reported.")
        }

        @Option(help: "The IMM folder (imm_face_db).") var data: String
        @Option(help: "Model file (default: \(Network.modelName).safetensors in the models folder, found as `morph` finds it).") var model: String?
        @Option(help: "Second-stage crop model (default: \(Network.secondStageModelName).safetensors in the models folder, when present).")
        var stage2: String?
        @Flag(help: "Evaluate the whole-photo model alone.") var singleStage = false

        func run() throws {
            let path = ModelFiles.file("\(Network.modelName).safetensors", explicit: model).path
            let trained = try TrainedModel(contentsOf: URL(fileURLWithPath: path), catalogue: .course)
            let (_, validation) = try LandmarkDataset.load(trained.spec.scheme, root: URL(fileURLWithPath: data))
            print("model \(path) (\(trained.spec.task.rawValue), input \(trained.spec.inputWidth)x\(trained.spec.inputHeight)), "
                  + "\(validation.count) validation photos at their 640x480 size")
            let shipped = ModelFiles.file("\(Network.secondStageModelName).safetensors", explicit: nil).path
            let second = singleStage ? nil : stage2 ?? (FileManager.default.fileExists(atPath: shipped) ? shipped : nil)
            let cascade = try second.map {
                try KeypointCascade(first: trained, second: TrainedModel(contentsOf: URL(fileURLWithPath: $0), catalogue: .course))
            }
            if let second, let look = cascade?.second.model.spec {
                print("second stage \(second) (\(look.task.rawValue), input \(look.inputWidth)x\(look.inputHeight))")
            }
            for stage in WholePhotoEvaluation.stages(model: trained, cascade: cascade, examples: validation) {
                WholePhotoEvaluation.lines(stage: stage.name, plain: stage.plain, perturbed: stage.perturbed).forEach { print($0) }
            }
        }
    }

    /// `morph eval landmarks`: the 68-point model on whole photos.
    struct Landmarks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "68-point model on whole photos (300-W layout): NME, failure rates, AUC, CED curve, worst faces.")

        @Option(help: "A tree of photos with .pts files (searched recursively).") var data: String
        @Option(help: ArgumentHelp(
            "Model file (default: landmarks68.safetensors in the models folder, found as `morph` finds it).",
            discussion: "Give it several times to measure an ensemble: each model predicts from its own crop and the points are averaged (--boxes truth or detector)."))
        var model: [String] = []
        @Option(help: "Which faces: validation (the fixed 10% split) or all.") var split = "validation"
        @Option(help: "Refinement passes, each on a crop made from the previous prediction.") var refine = 0
        @Flag(help: "With --boxes truth or detector: average every pass with the prediction on the mirrored crop.") var flip = false
        @Option(help: "With --boxes pipeline: which keypoint pass also sees the face mirrored: settling (as `morph detect`: averaged with the last, at no extra cost), last (one more pass) or none.")
        var mirroring: KeypointMirroring?
        @Option(help: "Folder for the CED curve and the worst faces.") var output = "output/eval-landmarks"
        @Option(help: ArgumentHelp(
            "Face boxes from the ground-truth landmarks (truth), the face finder (detector), or all of `morph detect` (pipeline).",
            discussion: "detector: the finder's first box that hits the face, then --refine and --flip as given. pipeline: "
                + "the finder's boxes the verifier passes, each with its 2 re-crops (--mirroring), the confidence and nesting checks, then the largest face whose keypoints' box hits."))
        var boxes = "truth"
        @Option(help: "Face finder model, for --boxes detector or pipeline (default: the models folder's faces.safetensors).")
        var finder: String?
        @Option(help: "With --boxes pipeline: the face verifier model (default: the models folder's face-verifier.safetensors; none: every finder box goes to the keypoint model).")
        var verifier: String?
        @Option(name: .customLong("min-confidence"), help: "With --boxes pipeline: as `morph detect --min-confidence`.")
        var minimumConfidence = FaceAnalyzer.defaultMinimumConfidence
        @Option(help: "With --boxes pipeline: of two faces nesting by more than this share of the smaller, keep the larger unless the smaller settles clearly better (1: both).")
        var nestedShare = FaceAnalyzer.defaultNestedShare

        func validate() throws {
            try OptionCheck.require(refine, in: 0...10, "--refine")
            try OptionCheck.require(minimumConfidence, in: 0...1, "--min-confidence")
            try OptionCheck.require(nestedShare, in: 0...1, "--nested-share")
            guard ["validation", "all"].contains(split) else { throw ValidationError("--split must be validation or all") }
            guard ["truth", "detector", "pipeline"].contains(boxes) else {
                throw ValidationError("--boxes must be truth, detector or pipeline")
            }
            if boxes == "pipeline" && model.count > 1 {
                throw ValidationError("--boxes pipeline runs one model, as `morph detect` does: give --model once")
            }
            if boxes == "pipeline" && (refine != 0 || flip) {
                throw ValidationError("--boxes pipeline re-crops and mirrors as `morph detect` does: leave out --refine and --flip (--mirroring chooses the mirrored pass)")
            }
            if boxes != "pipeline" && mirroring != nil {
                throw ValidationError("--mirroring chooses the mirrored pass of --boxes pipeline; with --boxes \(boxes) use --flip")
            }
        }

        func run() throws {
            let models = try (model.isEmpty ? [nil] : model.map(Optional.some)).map { explicit in
                let file = ModelFiles.file("landmarks68.safetensors", explicit: explicit)
                let trained = try TrainedModel(contentsOf: file)
                guard trained.spec.scheme == .ibug68 else {
                    throw LandmarksError.badModel(file: file.path, reason: "it places \(trained.spec.scheme.name) points, not the 68 of 300-W")
                }
                return trained
            }
            let trained = models[0]
            let (train, validation) = try LandmarkDataset.load(.ibug68, root: URL(fileURLWithPath: data))
            let source: LandmarkEvaluation.BoxSource
            switch boxes {
            case "truth": source = .truth
            case "detector": source = .detector(try FaceFinder(contentsOf: ModelFiles.file("faces.safetensors", explicit: finder)))
            default:
                let analyzer = FaceAnalyzer(finder: try FaceFinder(contentsOf: ModelFiles.file("faces.safetensors", explicit: finder)),
                                            verifier: try faceVerifier(verifier), landmarks: trained)
                analyzer.minimumConfidence = minimumConfidence
                analyzer.nestedShare = nestedShare
                analyzer.mirroring = mirroring ?? .settlingPass
                source = .pipeline(analyzer)
            }
            let report = try LandmarkEvaluation.run(models: models, examples: split == "all" ? train + validation : validation,
                                                    from: source, refine: refine, flip: flip, folder: URL(fileURLWithPath: output),
                                                    progress: ProgressReporter())
            report.lines(folder: output).forEach { print($0) }
        }
    }
}

extension MorphCommand.Eval {
    /// `morph eval faces`: the face finder's hit rate and false boxes at several thresholds.
    struct Faces: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face finder: recall on whole photos with every face annotated (AFW, by face size, missed faces in output/missed-faces.jpg), then hit rate and boxes per photo on the IMM and 300-W validation photos by threshold.")

        @Option(help: "The folder holding imm_face_db, 300w and afw-photos.") var data: String
        @Option(help: "Model file (default: faces.safetensors in the models folder, found as `morph` finds it).")
        var model: String?
        @Option(help: "Drop a box lying inside a stronger one by more than this share of its area (1: keep it).")
        var containment = 1.0
        @Option(help: "68-point model: also report, at the finder's threshold, what dropping boxes as `morph detect` does (keypoints that do not settle, confidence below a cut-off; faces inside larger ones) keeps.")
        var verify: String?
        @Option(help: "With --verify: of two faces nesting by more than this share of the smaller, keep the larger unless the smaller settles clearly better (1: both).")
        var nestedShare = FaceAnalyzer.defaultNestedShare
        @Option(help: "Face verifier model, checking the boxes kept at the finder's threshold (default: the models folder's face-verifier.safetensors; none: no check).")
        var verifier: String?
        @Option(help: "Whole photos (DATA/afw-photos, every face annotated): which of 300-W's sides to measure, validation, train or all; none to skip.")
        var wholePhotos = "validation"
        @Option(parsing: .unconditional, help: "The finder's pyramid levels, longer sides in pixels, e.g. 512,256,128 (default: the model file's).")
        var levels: String?
        @Option(parsing: .unconditional, help: "The finder's threshold for the whole photos, 0 to 1 (default: the model file's).")
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
            let finder = try FaceFinder(contentsOf: ModelFiles.file("faces.safetensors", explicit: model))
            if let levels { finder.levels = try OptionCheck.pyramidLevels(levels) }
            if let threshold { finder.threshold = threshold }
            return finder
        }

        func run() throws {
            if wholePhotos != "none" { try evaluateWholePhotos() }
            let finder = try loadFinder()
            let verifier = try faceVerifier(self.verifier)
            let keypoints = try verify.map { try TrainedModel(contentsOf: URL(fileURLWithPath: $0)) }
            let root = URL(fileURLWithPath: data)
            for (name, folder, scheme) in [("imm", "imm_face_db", LandmarkScheme.imm58), ("300w", "300w", .ibug68)] {
                let examples = try LandmarkDataset.load(scheme, root: root.appendingPathComponent(folder)).validation
                FaceFinderSweep.run(name: name, examples: examples, finder: finder, verifier: verifier, keypoints: keypoints,
                                    containment: containment, nestedShare: nestedShare).lines.forEach { print($0) }
            }
        }

        /// What `morph detect` finds (finder, verifier, the 68-point model and its checks) on the whole AFW
        /// photos: recall by face size, unmatched faces per photo, and a contact sheet of the missed faces.
        func evaluateWholePhotos() throws {
            let xml = URL(fileURLWithPath: data).appendingPathComponent("afw-photos/faces.xml")
            let landmarks = ModelFiles.file("landmarks68.safetensors", explicit: verify)
            let analyzer = FaceAnalyzer(finder: try loadFinder(), verifier: try faceVerifier(verifier),
                                        landmarks: try TrainedModel(contentsOf: landmarks))
            let split: DatasetSplit? = wholePhotos == "all" ? nil : DatasetSplit(rawValue: wholePhotos)
            let report = try WholePhotoRecall.evaluate(try DlibDataset(contentsOf: xml), split: split, analyzer: analyzer,
                                                       progress: ProgressReporter())
            report.lines(file: xml.path, split: wholePhotos).forEach { print($0) }
            let sheet = "output/missed-faces.jpg"
            print("  missed faces: " + (try WholePhotoRecall.writeMissedSheet(report.missed, to: sheet) ? sheet : "none"))
        }
    }
}

/// The verifier of `--verifier`: nil for "none", the models folder's when not given.
func faceVerifier(_ path: String?) throws -> FaceVerifier? {
    path == "none" ? nil : try FaceVerifier(contentsOf: ModelFiles.file("face-verifier.safetensors", explicit: path))
}

extension MorphCommand.Eval {
    /// `morph eval identity`: the face-identity model on LFW, IMM and collections made from LFW.
    struct Identity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face-identity model: LFW verification (10-fold threshold, ROC AUC, true accepts at 1% and 0.1% false accepts, time per face), IMM rank-1 identification, and --face auto and --people on collections made from LFW and IMM people.",
            discussion: "The pairs' people are disjoint from the training people (peopleDevTrain.txt). Collections: for each pairs person with 8 or more photos, 8 scenes each showing one of their photos among 2-4 photos of the people who look most like them; a scene counts as followed when the picked face is the person's. --people: 8 collections of 5 people with 6 or more photos, 6 photos each, shuffled; pairs of faces (each photo's face nearest its centre) count as rightly put together when they are one person.")
        @Option(help: "The lfw folder.") var data: String
        @Option(help: "The pairs file in it.") var pairs = "pairsDevTest.txt"
        @Option(help: "The IMM folder for rank-1 identification and --people collections (default: imm_face_db beside the lfw folder; none: skip).")
        var imm: String?
        @Option(help: ArgumentHelp("Models folder: finder, verifier and 68-point model (default: as for `morph`).", valueName: "dir"))
        var models: String?
        @Option(help: "The identity model (default: identity.safetensors in the models folder).") var model: String?
        @Flag(help: "Embed the crop only, without adding its mirror image's embedding.") var noFlip = false
        @Flag(help: "Skip the collections (--face auto and --people).") var noCollections = false
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
            IdentityEvaluation.verificationLines(report, millisecondsPerFace: milliseconds, modelFile: modelURL.path, pairs: pairs,
                                                 flipAverage: !noFlip, modelThreshold: identity.threshold).forEach { print($0) }
            let rocPath = outputURL.appendingPathComponent("roc.png").path
            try ImageFile.write(IdentityEvaluation.rocChart(report, pairs: pairs), to: rocPath)
            print("  ROC curve: \(rocPath)")
            let analyzer = try ModelFiles.analyzer(folder: folder, manualBoxes: nil, identity: modelURL)
            let immFolder = imm ?? root.deletingLastPathComponent().appendingPathComponent("imm_face_db").path
            if immFolder != "none" {
                print(IdentityEvaluation.rankOneLine(try IdentityEvaluation.immRankOne(folder: URL(fileURLWithPath: immFolder),
                                                                                     analyzer: analyzer, progress: progress)))
            }
            guard !noCollections else { return }
            for lookalikes in [true, false] {
                let reports = try SyntheticCollections.evaluate(root: root, pairs: pairs, analyzer: analyzer, lookalikes: lookalikes,
                                                                offsets: [-0.1, 0, 0.1], progress: progress)
                print(SyntheticCollections.Report.heading(lookalikes: lookalikes))
                reports.forEach { print($0.line(modelThreshold: identity.threshold)) }
            }
            var people = [("LFW people of \(pairs)", try PeopleGroupingEvaluation.lfwPhotos(root: root, pairs: pairs))]
            if immFolder != "none" { people.append(("IMM people", try PeopleGroupingEvaluation.immPhotos(folder: URL(fileURLWithPath: immFolder)))) }
            for (name, photos) in people {
                let reports = try PeopleGroupingEvaluation.evaluate(photos: photos, analyzer: analyzer, margins: [0, 0.15, PersonGrouping.identityMargin, 0.35],
                                                                    label: "--people on \(name)", progress: progress)
                print("--people on collections of 5 \(name), 6 photos each, in random order (\(reports.first?.collections ?? 0) collections):")
                reports.forEach { print($0.line(modelThreshold: identity.threshold)) }
            }
        }
    }
}

extension KeypointMirroring: ExpressibleByArgument {}
