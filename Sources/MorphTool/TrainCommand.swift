import ArgumentParser
import ConvNet
import CourseModels
import DetectorTraining
import FaceAnalysis
import Foundation
import Imaging
import NeuralNet
import Pipeline
import Plumbing
import Training

extension MorphCommand {
    /// `morph train`: train a detector.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the detectors: each run writes its log, curves, checkpoint and model to its run folder (output/runs/TASK by default); -o names the model file.",
            subcommands: [Nose.self, IMM.self, SecondStage<NoseNetwork>.self, SecondStage<IMMPointsNetwork>.self,
                          Landmarks.self, Faces.self, Verifier.self, Identity.self, Compare.self])
    }
}

/// Options every training subcommand takes; nil means the task's own default.
struct TrainingArguments: ParsableArguments {
    @Option(help: "Dataset folder (IMM: the imm_face_db folder; 300-W: a tree of photos with .pts files).")
    var data: String

    @Option(parsing: .unconditional, help: "Epochs, 1 to 10000 (default: the task's recipe).")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "Examples per step, 2 to 4096 (default: the task's recipe).")
    var batchSize: Int?

    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Peak learning rate, above 0 and at most 10 (default: the task's recipe).")
    var learningRate: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Weight decay, 0 to 1 (default: the task's recipe).",
        discussion: "Every recipe but the nose and imm networks' uses AdamW, where the decay is decoupled: each step shrinks every weight by the learning rate times this. With Adam (nose, imm) it is an L2 term added to the gradient."))
    var weightDecay: Float?

    @Option(help: "Loss function (default: the task's recipe).")
    var loss: LossKind?

    @Option(parsing: .unconditional, help: "Seed of initialisation, data order and augmentation (0 or more).")
    var seed: UInt64 = 1

    @Option(help: "Run folder for logs, curves, pictures and the checkpoint (default: output/runs/TASK).")
    var run: String?

    @Option(name: .shortAndLong, help: "Where to write the trained model (default: TASK.safetensors in the run folder; the shipped models are replaced only when named).")
    var output: String?

    @Flag(help: "Continue the run folder's checkpoint instead of starting over (an error when the run folder has no checkpoint).")
    var resume = false

    @Option(parsing: .unconditional, help: "Use only the first N training photos (quick trials).")
    var limit: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Scale every range of the recipe's augmentation by this factor, 0 to 10 (1: the recipe's; 0: none).",
        discussion: "Jitter, rotation, brightness, contrast and blur probability are scaled; mirroring stays as it is. A light final fine-tuning stage (e.g. 0.5) brings training crops closer to the evaluation's."))
    var augmentationStrength = 1.0

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Probability of hiding a random rectangle of each training crop under noise, 0 to 1 (keypoint and identity training; default: the recipe's, none).",
        discussion: "Random erasing: 2-25% of the crop's area, aspect between 1:2 and 2:1; the hidden points keep their targets. Taken as given, not scaled by --augmentation-strength."))
    var occlusion: Double?

    /// The largest square input the ResNet-based models take (and the smallest).
    static let squareInputSizes = 32...1024

    @Option(name: .customLong("init"), help: ArgumentHelp(
        "Start from this model's weights instead of a random initialisation (fine-tuning).",
        discussion: "The network must have the same layers and shapes, except the output layer, which keeps its random start when its size differs; a checkpoint taken up with --resume wins over it.",
        valueName: "model"))
    var initialWeights: String?

    func validate() throws {
        guard FileManager.default.fileExists(atPath: data) else {
            throw ValidationError("--data \(data): no such folder")
        }
        try OptionCheck.require(epochs, in: 1...10_000, "--epochs")
        try OptionCheck.require(batchSize, in: 2...4096, "--batch-size")
        try OptionCheck.require(learningRate, in: 1e-8...10, "--lr")
        try OptionCheck.require(weightDecay, in: 0...1, "--weight-decay")
        try OptionCheck.require(limit, in: 1...Int(Int32.max), "--limit")
        try OptionCheck.require(augmentationStrength, in: 0...10, "--augmentation-strength")
        try OptionCheck.require(occlusion, in: 0...1, "--occlusion")
        if let initialWeights, !FileManager.default.fileExists(atPath: initialWeights) {
            throw ValidationError("--init \(initialWeights): no such file")
        }
    }

    /// Applies the explicit options over `recipe`.
    func options(over recipe: TrainingOptions) -> TrainingOptions {
        recipe.overriding(epochs: epochs, batchSize: batchSize, learningRate: learningRate, weightDecay: weightDecay,
                          loss: loss, seed: seed, augmentationStrength: augmentationStrength, occlusionProbability: occlusion)
    }

    /// The command line as typed, for the model's metadata.
    var command: String {
        (["morph"] + CommandLine.arguments.dropFirst()).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// The run folder (created) and its progress reporter for a model called `modelName`.
    func prepareRun(_ modelName: String) throws -> (TrainingRun, ProgressReporter) {
        let trainingRun = try TrainingRun(folder: runFolder(modelName))
        return (trainingRun, ProgressReporter(logPath: trainingRun.logPath))
    }

    /// The model to start from, if any.
    var initialURL: URL? { initialWeights.map(URL.init(fileURLWithPath:)) }

    /// The run folder of a model called `modelName`.
    func runFolder(_ modelName: String) -> URL { URL(fileURLWithPath: run ?? "output/runs/\(modelName)") }

    /// Where the trained model goes.
    func modelURL(_ modelName: String) -> URL {
        output.map(URL.init(fileURLWithPath:)) ?? runFolder(modelName).appendingPathComponent("\(modelName).safetensors")
    }

    /// Prints a report's `lines`, then where the run folder and the model are.
    func finish(_ lines: [String], run: TrainingRun, model: URL) {
        lines.forEach { print($0) }
        print("run folder: \(run.folder.path)\nmodel: \(model.path)")
    }

    /// Trains `spec` with `recipe` (with the LFW photos of `unlabelled` mixed in, labelled by its
    /// teachers; see `PseudoLabelledFaces.lfw`) on `trainShare` of the annotated training faces, and
    /// prints where the results are.
    func train(_ spec: KeypointModelSpec, recipe: TrainingOptions, modelName: String,
               unlabelled: (root: URL, teachers: [URL], ratio: Double)? = nil, trainShare: Double = 1) throws {
        let (trainingRun, progress) = try prepareRun(modelName)
        let pseudoLabelled = try unlabelled.map {
            try PseudoLabelledFaces.lfw(root: $0.root, teachers: $0.teachers, ratio: $0.ratio,
                                        cache: trainingRun.folder.appendingPathComponent("pseudo-labels.json"), progress: progress)
        }
        let report = try KeypointTraining.run(
            spec: spec, options: options(over: recipe), data: URL(fileURLWithPath: data), run: trainingRun,
            modelURL: modelURL(modelName), resume: resume, initialWeights: initialURL, pseudoLabelled: pseudoLabelled,
            limit: limit, trainShare: trainShare, command: command, progress: progress)
        finish([report.line], run: trainingRun, model: modelURL(modelName))
    }
}

extension MorphCommand.Train {
    /// `morph train nose`: the course's nose-tip CNN on IMM.
    struct Nose: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nose-tip CNN on IMM (whole photo at 160x120 grey, conv blocks + 2 linear, MSE, Adam, 80 epochs).")
        @OptionGroup var arguments: TrainingArguments
        @OptionGroup var network: WholePhotoArguments

        func run() throws { try network.train(.nose, arguments, modelName: NoseNetwork.modelName) }
    }

    /// `morph train imm`: all 58 IMM points.
    struct IMM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "imm",
            abstract: "58-point CNN on IMM (whole photo at 320x240 grey, 5 conv blocks + 2 linear, Adam, 80 epochs, augmented).")
        @OptionGroup var arguments: TrainingArguments
        @OptionGroup var network: WholePhotoArguments

        func run() throws { try network.train(.imm, arguments, modelName: IMMPointsNetwork.modelName) }
    }

    /// `morph train nose-crop|imm-crop`: a second stage for one of the course's IMM networks.
    struct SecondStage<Network: IMMNetwork>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Network.secondStage.rawValue, abstract: Network.secondStageAbstract,
                discussion: "Start it from the 68-point model (--init models/landmarks68.safetensors): every layer but the output layer carries over, the integral head included (--head pool replaces the head by a global average).")
        }
        @OptionGroup var arguments: TrainingArguments
        @Option(parsing: .unconditional, help: "Square input size in pixels (32 to 1024).") var inputSize = 128
        @OptionGroup var network: ResNetHeadArguments

        func validate() throws {
            try OptionCheck.require(inputSize, in: TrainingArguments.squareInputSizes, "--input-size")
        }

        func run() throws {
            var spec = KeypointModelSpec.standard(Network.secondStage, inputSize: inputSize)
            var recipe = TrainingOptions.courseRecipe(Network.secondStage)
            network.configure(&spec, &recipe)
            try arguments.train(spec, recipe: recipe, modelName: Network.secondStageModelName)
        }
    }

    /// `morph train landmarks`: the 68-point ResNet18 on 300-W.
    struct Landmarks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "68-point ResNet18 on 300-W face crops (grey, integral head at stride 16, AdamW + cosine, wing loss, augmented).",
            discussion: "The defaults are one run from scratch (`morph train landmarks --data DATA/300w --seed 21`). The shipped model adds the identity model's backbone, LFW faces labelled by two teachers, a 192 px input at feature stride 8, and a last stage at 224 px on the annotated faces: `make train-landmarks` runs its four stages (see docs/models.md).")
        @OptionGroup var arguments: TrainingArguments
        @Option(parsing: .unconditional, help: "Square input size in pixels (32 to 1024).") var inputSize = 128
        @OptionGroup var network: ResNetHeadArguments
        @Option(help: ArgumentHelp("An LFW folder: its peopleDevTrain.txt photos join the training faces, keypoints placed by --teachers (distillation).",
                                   discussion: "The teachers' keypoints are averaged over the models and a mirrored pass, and cached in the run folder (pseudo-labels.json); faces whose teachers do not settle or disagree are left out. The validation stays 300-W's."))
        var unlabelled: String?
        @Option(parsing: .unconditional, help: "Comma-separated 68-point models that label the --unlabelled photos (default: the models folder's landmarks68).")
        var teachers: String?
        @Option(parsing: .unconditional, help: "Unlabelled faces drawn afresh each epoch, per annotated training face (0.05 to 20).")
        var unlabelledRatio = 1.0
        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Train on this share of the annotated training faces, evenly spaced over the photos (0.05 to 1).",
            discussion: "For measuring how accuracy grows with annotated faces: every subset keeps its share, and the validation stays whole."))
        var trainShare = 1.0

        /// The teachers' model files.
        var teacherURLs: [URL] {
            teachers.map { $0.split(separator: ",").map { URL(fileURLWithPath: String($0)) } }
                ?? [ModelFiles.file("landmarks68.safetensors", explicit: nil)]
        }

        func validate() throws {
            try OptionCheck.require(inputSize, in: TrainingArguments.squareInputSizes, "--input-size")
            try OptionCheck.require(unlabelledRatio, in: 0.05...20, "--unlabelled-ratio")
            try OptionCheck.require(trainShare, in: 0.05...1, "--train-share")
            if unlabelled == nil, teachers != nil || unlabelledRatio != 1 {
                throw ValidationError("--teachers and --unlabelled-ratio need --unlabelled")
            }
            if let unlabelled, !FileManager.default.fileExists(atPath: unlabelled + "/peopleDevTrain.txt") {
                throw ValidationError("--unlabelled \(unlabelled): no peopleDevTrain.txt there (an LFW folder is expected)")
            }
            if unlabelled != nil, let missing = teacherURLs.first(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
                throw ValidationError("--teachers: no such file \(missing.path)")
            }
        }

        func run() throws {
            var spec = KeypointModelSpec.landmarks(inputSize: inputSize)
            var recipe = TrainingOptions.landmarksRecipe
            network.configure(&spec, &recipe)
            try arguments.train(spec, recipe: recipe, modelName: "landmarks68",
                                unlabelled: unlabelled.map { (URL(fileURLWithPath: $0), teacherURLs, unlabelledRatio) },
                                trainShare: trainShare)
        }
    }
}

extension MorphCommand.Train {
    /// `morph train faces`: the face finder.
    struct Faces: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face finder on scenes made from real photos and pasted faces (--data: the folder holding imm_face_db, 300w, afw-photos and lfw).",
            discussion: "The scenes are the IMM and 300-W training photos, the whole AFW training photos and every 4th LFW photo, zoomed so that one face takes 12-250 px, and IMM and 300-W faces pasted onto backgrounds; a quarter of the faces are partly hidden behind another face or background. The faces nobody annotated are found first by the current models (scene-labels.json in the run folder, reused by later runs on the same photos with the same models): taught as faces when their keypoints settle surely, else left out of the loss.")
        @OptionGroup var arguments: TrainingArguments
        @Option(parsing: .unconditional, help: "Training canvases per epoch (1 to 1000000).") var scenes = 4800
        @Option(parsing: .unconditional, help: "The threshold written into the model file, which morph uses (0 to 1).") var threshold = 0.25
        @Option(parsing: .unconditional, help: "The pyramid levels written into the model file, which morph uses: longer sides in pixels, largest first.")
        var levels = "384,160,96"
        @Option(help: "Folder of the models that find the faces nobody annotated (faces, face-verifier and landmarks68 .safetensors), or none: only annotated faces are known and LFW is left out. Default: the models morph uses.")
        var labellers: String?

        func validate() throws {
            try OptionCheck.require(scenes, in: 1...1_000_000, "--scenes")
            try OptionCheck.require(threshold, in: 0...1, "--threshold")
            try OptionCheck.pyramidLevels(levels)
            if arguments.loss != nil { throw ValidationError("--loss: the face finder has its own loss (focal + L1)") }
            let given = [("--augmentation-strength", arguments.augmentationStrength != 1), ("--occlusion", arguments.occlusion != nil)]
                .filter(\.1).map(\.0)
            if !given.isEmpty {
                throw ValidationError(given.joined(separator: ", ") + ": the face finder's synthetic scenes have their own augmentation")
            }
        }

        func run() throws {
            let (trainingRun, progress) = try arguments.prepareRun("faces")
            let reports = try FaceFinderTraining.run(
                dataRoot: URL(fileURLWithPath: arguments.data), options: arguments.options(over: .faceFinderRecipe),
                canvasesPerEpoch: scenes, run: trainingRun, modelURL: arguments.modelURL("faces"),
                resume: arguments.resume, initialWeights: arguments.initialURL, limit: arguments.limit,
                labellers: try sceneLabellers(), threshold: threshold, levels: try OptionCheck.pyramidLevels(levels),
                command: arguments.command, progress: progress)
            arguments.finish(reports.sorted(by: { $0.key < $1.key }).map { $1.line(name: $0) }, run: trainingRun,
                             model: arguments.modelURL("faces"))
        }

        /// The labelling models of `--labellers` (nil for none); the verifier is optional.
        func sceneLabellers() throws -> SceneLabellers? {
            if labellers == "none" { return nil }
            let folder = ModelFiles.folder(explicit: labellers)
            for name in SceneLabellers.requiredModels
            where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name).safetensors").path) {
                throw ValidationError("--labellers \(folder.path): no \(name).safetensors there")
            }
            return SceneLabellers(folder: folder)
        }
    }
}

extension MorphCommand.Train {
    /// `morph train verifier`: the check of the face finder's boxes.
    struct Verifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face verifier: a small classifier that drops the face finder's boxes that are not faces (--data: the folder holding imm_face_db, 300w and afw-photos).",
            discussion: "Runs the finder and the 68-point model on every IMM, 300-W and whole AFW photo first and labels each box: a face when it or the box of its settled keypoints hits an annotated face, not a face when its keypoints do not settle or it lies on part of a face, left out otherwise (boxes.json in the run folder, reused by later runs in that folder on the same photos).")
        @OptionGroup var arguments: TrainingArguments
        @Option(help: "The face finder whose boxes are checked (default: the models folder's, found as `morph` finds it).")
        var finder: String?
        @Option(help: "The 68-point model that labels the boxes (default: the models folder's).")
        var landmarks: String?

        func validate() throws {
            if arguments.loss != nil { throw ValidationError("--loss: the verifier has its own loss (binary cross-entropy)") }
            if arguments.initialWeights != nil { throw ValidationError("--init: the verifier always starts from its seed") }
            if arguments.occlusion != nil { throw ValidationError("--occlusion: the verifier's crops are not occluded") }
        }

        func run() throws {
            let (trainingRun, progress) = try arguments.prepareRun(FaceVerifier.task)
            let modelURL = arguments.modelURL(FaceVerifier.task)
            let report = try FaceVerifierTraining.run(
                dataRoot: URL(fileURLWithPath: arguments.data), finderURL: ModelFiles.file("faces.safetensors", explicit: finder),
                landmarksURL: ModelFiles.file("landmarks68.safetensors", explicit: landmarks), options: arguments.options(over: FaceVerifierTraining.recipe),
                run: trainingRun, modelURL: modelURL, resume: arguments.resume, limit: arguments.limit,
                command: arguments.command, progress: progress)
            arguments.finish([report.line], run: trainingRun, model: modelURL)
        }
    }
}

extension MorphCommand.Train {
    /// `morph train identity`: the face-identity embedding on LFW.
    struct Identity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face-identity embedding on LFW's peopleDevTrain.txt people (--data: the lfw folder): ResNet18 on grey crops aligned by the 68 keypoints (64x64, brows to chin, by default), CosFace margin softmax, AdamW + cosine, augmented.",
            discussion: "Keypoints are placed on every photo by the 68-point model first (cached in the run folder as keypoints.json). Every 20th person with two or more photos is held out; the same-person threshold is picked on their pairs and stored in the model.")
        @OptionGroup var arguments: TrainingArguments
        @Option(help: "The 68-point model that aligns the faces (default: the shipped one, found as `morph` finds its models).")
        var landmarks: String?
        @Option(parsing: .unconditional, help: "Crop side in pixels (\(IdentityAlignment.sides.lowerBound) to \(IdentityAlignment.sides.upperBound)).")
        var inputSize = IdentityAlignment.standard.side
        @Option(help: ArgumentHelp("How much more than brows to chin the crop holds (\(IdentityAlignment.contexts.lowerBound) to \(IdentityAlignment.contexts.upperBound)).",
                                   discussion: "1 is the common face-recognition layout; 1.25 shrinks the face about the crop's centre so hair, ears and jaw line come into view."))
        var cropContext = IdentityAlignment.standard.context

        /// The 68-point model's file.
        var landmarksPath: String { ModelFiles.file("landmarks68.safetensors", explicit: landmarks).path }

        func validate() throws {
            if arguments.loss != nil { throw ValidationError("--loss: the identity network has its own loss (CosFace margin softmax)") }
            guard FileManager.default.fileExists(atPath: landmarksPath) else { throw ValidationError("--landmarks \(landmarksPath): no such file") }
            try OptionCheck.require(inputSize, in: IdentityAlignment.sides, "--input-size")
            try OptionCheck.require(cropContext, in: IdentityAlignment.contexts, "--crop-context")
        }

        func run() throws {
            let (trainingRun, progress) = try arguments.prepareRun("identity")
            let modelURL = arguments.modelURL("identity")
            let report = try IdentityTraining.run(
                root: URL(fileURLWithPath: arguments.data), landmarksURL: URL(fileURLWithPath: landmarksPath),
                alignment: IdentityAlignment(side: inputSize, context: cropContext),
                options: arguments.options(over: IdentityTraining.recipe), run: trainingRun, modelURL: modelURL,
                resume: arguments.resume, initialWeights: arguments.initialURL, limit: arguments.limit,
                command: arguments.command, progress: progress)
            arguments.finish([report.line], run: trainingRun, model: modelURL)
        }
    }
}

extension MorphCommand.Train {
    /// `morph train compare`: validation curves of several runs on one chart.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plot the validation curves of several run folders together (e.g. max-pool against BlurPool).")
        @Argument(help: "Run folders (each with a metrics.csv).") var runs: [String]
        @Option(name: .shortAndLong, help: "The chart (.png).") var output = "output/compare.png"
        @Option(help: "Chart title.") var title = "Validation NME"

        func run() throws {
            let chart = try RunComparison.plot(runs.map { URL(fileURLWithPath: $0) }, title: title)
            try ImageFile.write(chart, to: output)
            print("wrote \(output)")
        }
    }
}

/// The network options of the two whole-photo IMM models.
struct WholePhotoArguments: ParsableArguments {
    @Option(help: "Pooling between conv blocks: max, or blur (BlurPool; measured better for the nose).")
    var pool: PoolKind = .blur

    @Option(parsing: .unconditional, help: "Input width in pixels (40 to 1280), height 3/4 of it; one conv block per halving down to about 10 (default: nose 160, imm 320).")
    var inputSize: Int?

    func validate() throws {
        try OptionCheck.require(inputSize, in: 40...1280, "--input-size")
    }

    /// Trains `task` with its recipe into `NAME.safetensors` in the run folder (or `-o`).
    func train(_ task: KeypointTask, _ arguments: TrainingArguments, modelName: String) throws {
        try arguments.train(.standard(task, pool: pool, inputSize: inputSize), recipe: .courseRecipe(task), modelName: modelName)
    }
}

extension PoolKind: ExpressibleByArgument {}
extension HeadKind: ExpressibleByArgument {}
extension LossKind: ExpressibleByArgument {}

/// One of the course's IMM networks and its second stage, for the commands that train or evaluate them.
protocol IMMNetwork {
    /// The course model.
    static var course: CourseModel { get }
}

extension IMMNetwork {
    /// The whole-photo network's task (`nose` or `imm`), also the evaluation command's name.
    static var task: KeypointTask { course.task }
    /// The second stage's task.
    static var secondStage: KeypointTask { course.secondStage }
    /// The whole-photo network's model name (its file: NAME.safetensors).
    static var modelName: String { course.modelName }
    /// The second stage's model name.
    static var secondStageModelName: String { course.secondStageModelName }
    /// One line of help for training the second stage.
    static var secondStageAbstract: String { course.secondStageSummary }
}

/// The nose-tip networks.
enum NoseNetwork: IMMNetwork { static let course = CourseModel.nose }

/// The 58-point networks.
enum IMMPointsNetwork: IMMNetwork { static let course = CourseModel.points58 }
