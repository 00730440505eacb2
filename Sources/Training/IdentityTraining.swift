import ConvNet
import Dispatch
import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing

/// The identity network with the cosine classifier it is trained through: parameters are the
/// backbone's own keys (so a trained 68-point ResNet18 can start it) and `classifier.weight`.
final class IdentityTrainingNetwork: Layer {
    let backbone: ResNet18
    let classifier: CosineClassifier

    init(side: Int, classes: Int, seed: UInt64) {
        backbone = IdentityNetwork.make(side: side, seed: seed)
        var generator = SplitMix64(seed: seed ^ 0xC1A5_51F1)
        classifier = CosineClassifier(inputFeatures: IdentityNetwork.embeddingSize, classes: classes, generator: &generator)
    }

    var parameters: [NamedParameter] { backbone.parameters + classifier.parameters.map { (name: "classifier.\($0.name)", parameter: $0.parameter) } }
    var buffers: [NamedBuffer] { backbone.buffers }

    // input [N, 1, side, side] -> cosines [N, classes]
    func forward(_ x: Tensor, training: Bool) -> Tensor {
        classifier.forward(backbone.forward(x, training: training), training: training)
    }

    func backward(_ gradOutput: Tensor) -> Tensor { backbone.backward(classifier.backward(gradOutput)) }
}

/// Training the identity network: CosFace's margin softmax over the training people, aligned crops
/// jittered, mirrored, brightened, contrasted and blurred; validated on same/different-person pairs of
/// people held out of training.
final class IdentityTrainingTask: TrainingTask {
    let training: IdentityTrainingNetwork
    let faces: [LFWFace], labels: [Int]
    let validationFaces: [LFWFace], validationPairs: [(Int, Int)]
    let alignment: IdentityAlignment
    let augmentation: Augmentation
    let scale: Float, margin: Float

    init(faces: [LFWFace], labels: [Int], classes: Int, validationFaces: [LFWFace], validationPairs: [(Int, Int)],
         alignment: IdentityAlignment, augmentation: Augmentation, scale: Float, margin: Float, seed: UInt64) {
        training = IdentityTrainingNetwork(side: alignment.side, classes: classes, seed: seed)
        self.alignment = alignment
        self.faces = faces
        self.labels = labels
        self.validationFaces = validationFaces
        self.validationPairs = validationPairs
        self.augmentation = augmentation
        self.scale = scale
        self.margin = margin
    }

    var network: Layer { training }
    var trainCount: Int { faces.count }
    var metricName: String { "pair error" }

    /// Fills `input` [B, 1, side, side] and `target` [B, 1] (class numbers); sample `i`'s draws depend on `seed` and `i` only.
    func fillTrainingBatch(_ indices: [Int], seed: UInt64, input: Tensor, target: Tensor) {
        let alignment = alignment, side = alignment.side, plane = side * side
        input.resize(to: [indices.count, 1, side, side])
        target.resize(to: [indices.count, 1])
        let augmentation = augmentation
        DispatchQueue.concurrentPerform(iterations: indices.count) { i in
            var rng = SplitMix64(seed: seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
            let face = faces[indices[i]]
            var crop = alignment.crop(face.image, ibug68: face.points, geometry: augmentation.drawGeometry(&rng))
                ?? Image(width: side, height: side, channels: 1, fill: 128)
            if Double(rng.nextFloat()) < augmentation.blurProbability { crop = crop.gaussianBlurred3x3() }
            augmentation.occludeAtRandom(&crop, rng: &rng)
            let contrast = 1 + rng.uniform(-augmentation.contrast, augmentation.contrast)
            let brightness = rng.uniform(-augmentation.brightness, augmentation.brightness)
            GreyInput.normalise(crop.pixels[...], into: input.data + i * plane, contrast: contrast, brightness: brightness)
            target.data[i] = Float(labels[indices[i]])
        }
    }

    /// The first `count` training faces as the network sees them (augmented, before normalisation), to check the alignment.
    func exampleCrops(count: Int, seed: UInt64) -> [Image] {
        var rng = SplitMix64(seed: seed)
        return faces.prefix(count).compactMap { alignment.crop($0.image, ibug68: $0.points, geometry: augmentation.drawGeometry(&rng)) }
    }

    func loss(_ output: Tensor, _ target: Tensor) -> Loss.Result {
        Loss.marginSoftmax(cosines: output, labels: target, scale: scale, margin: margin)
    }

    /// Embeddings of the validation faces (no mirroring: what the network alone has learnt).
    func validationEmbeddings() -> [[Float]] {
        let model = IdentityModel(network: training.backbone, alignment: alignment, threshold: 0)
        model.flipAverage = false
        return validationFaces.map { model.embeddings($0.image, faces: [$0.points])[0] ?? [Float](repeating: 0, count: IdentityNetwork.embeddingSize) }
    }

    /// Verification of the validation pairs at their best threshold (one fold).
    func verification() -> VerificationReport {
        let embeddings = validationEmbeddings()
        let scores = validationPairs.map { Embedding.cosine(embeddings[$0.0], embeddings[$0.1]) }
        let same = validationPairs.map { validationFaces[$0.0].photo.name == validationFaces[$0.1].photo.name }
        return VerificationEvaluation.evaluate(scores: scores, same: same, folds: 1)
    }

    /// Loss: 1 - ROC AUC of the validation pairs; metric: their error rate at the best threshold.
    func validate() -> (loss: Double, metric: Double, pixelError: Double?) {
        let report = verification()
        return (1 - report.auc, 1 - report.accuracy, nil)
    }
}

/// One complete identity training job on LFW's development training people.
public enum IdentityTraining {
    /// CosFace's scale and margin.
    public static let scale: Float = 30, margin: Float = 0.3
    /// Every this-many-th person with two or more photos is held out for validation.
    static let validationStride = 20

    /// The identity recipe.
    public static let recipe = TrainingOptions(
        epochs: 24, batchSize: 64, learningRate: 2e-3, weightDecay: 5e-4, adamW: true, cosineWarmupEpochs: 1,
        augmentation: Augmentation(scale: 0.08, shift: 0.04, rotationDegrees: 10, flip: true, brightness: 0.25,
                                   contrast: 0.35, blurProbability: 0.25))

    /// What a training run reports.
    public struct Report: Codable, Sendable {
        /// Training people and photos; validation people and pairs.
        public var trainPeople: Int, trainPhotos: Int, validationPeople: Int, validationPairs: Int
        /// Validation pairs at the threshold picked on them.
        public var validation: VerificationReport

        /// The line `morph train identity` prints.
        public var line: String {
            String(format: "validation: %d pairs of %d held-out people: accuracy %.1f%% at threshold %.3f, ROC AUC %.4f",
                   validationPairs, validationPeople, 100 * validation.accuracy, validation.threshold, validation.auc)
        }
    }

    /// Loads `peopleDevTrain.txt`'s people from the LFW folder `root` (keypoints by the 68-point model at
    /// `landmarksURL`, cached in the run folder), trains on crops of `alignment`, and saves the backbone with the validation
    /// threshold and figures (F16) at `modelURL`.
    public static func run(root: URL, landmarksURL: URL, alignment: IdentityAlignment = .standard, options: TrainingOptions,
                           run: TrainingRun, modelURL: URL, resume: Bool, initialWeights: URL?, limit: Int?, command: String,
                           progress: ProgressReporter) throws -> Report {
        var people = try LFWProtocol.people(contentsOf: root.appendingPathComponent("peopleDevTrain.txt"))
        if let limit { people = Array(people.prefix(limit)) }
        let split = IdentityTraining.split(people)
        let photos = { (group: [LFWProtocol.Person]) in group.flatMap { p in (1...p.count).map { LFWProtocol.Photo(name: p.name, number: $0) } } }
        let cache = run.folder.appendingPathComponent("keypoints.json")
        let train = try LFWFaces.load(photos(split.train), root: root, landmarks: [landmarksURL], cache: cache,
                                      label: "keypoints of the training photos", progress: progress)
        let validation = try LFWFaces.load(photos(split.validation), root: root, landmarks: [landmarksURL], cache: cache,
                                           label: "keypoints of the validation photos", progress: progress)
        let classOf = Dictionary(uniqueKeysWithValues: split.train.enumerated().map { ($1.name, $0) })
        let pairs = validationPairs(validation.map(\.photo.name), seed: options.seed)
        let task = IdentityTrainingTask(faces: train, labels: train.map { classOf[$0.photo.name]! }, classes: split.train.count,
                                        validationFaces: validation, validationPairs: pairs, alignment: alignment,
                                        augmentation: options.augmentation, scale: scale, margin: margin, seed: options.seed)
        progress.log("training the identity network: \(train.count) photos of \(split.train.count) people; validation "
                     + "\(pairs.count) pairs of \(split.validation.count) other people; \(task.training.backbone.parameterCount) parameters")
        if let initialWeights, !(resume && FileManager.default.fileExists(atPath: run.checkpointURL.path)) {
            let fresh = try task.training.backbone.load(initialWeights: initialWeights)
            progress.log("backbone starts from \(initialWeights.path)" + (fresh.isEmpty ? "" : " (\(fresh.joined(separator: ", ")) left random)"))
        }
        try run.writeSheet(task.exampleCrops(count: 48, seed: options.seed), name: "training-crops.png")
        let identity = alignment.metadata.merging(["task": IdentityModel.task, "embedding": String(IdentityNetwork.embeddingSize),
                                                   "classes": String(split.train.count)]) { $1 }
        try TrainingLoop(task: task, options: options, run: run, identity: identity).fit(resume: resume, progress: progress)
        let report = Report(trainPeople: split.train.count, trainPhotos: train.count, validationPeople: split.validation.count,
                            validationPairs: pairs.count, validation: task.verification())
        try run.writeSummary(report)
        var metadata = options.provenance(identity, command: command, data: root)
        metadata["threshold"] = String(format: "%.4f", report.validation.threshold)
        metadata["validation_pairs"] = "\(pairs.count) pairs of \(split.validation.count) people held out of peopleDevTrain.txt"
        metadata["validation_accuracy"] = String(format: "%.4f", report.validation.accuracy)
        metadata["validation_auc"] = String(format: "%.4f", report.validation.auc)
        metadata["aligned_by"] = landmarksURL.lastPathComponent
        if let initialWeights { metadata["init"] = initialWeights.lastPathComponent }
        try task.training.backbone.save(to: modelURL, metadata: metadata, dtype: .f16)
        return report
    }

    /// People for training and for validation: every `validationStride`-th person with two or more photos is held out.
    static func split(_ people: [LFWProtocol.Person]) -> (train: [LFWProtocol.Person], validation: [LFWProtocol.Person]) {
        var train = [LFWProtocol.Person](), validation = [LFWProtocol.Person](), repeated = 0
        for person in people {
            if person.count >= 2 {
                repeated += 1
                if repeated % validationStride == 0 {
                    validation.append(person)
                    continue
                }
            }
            train.append(person)
        }
        return (train, validation)
    }

    /// Same-person pairs (at most 10 per person) and as many different-person pairs drawn with `seed`,
    /// as indices into `names` (one name per photo).
    static func validationPairs(_ names: [String], seed: UInt64) -> [(Int, Int)] {
        var same = [(Int, Int)]()
        let byPerson = Dictionary(grouping: names.indices, by: { names[$0] })
        for name in byPerson.keys.sorted() {
            let photos = byPerson[name]!
            var pairs = [(Int, Int)]()
            for i in photos.indices { for j in photos.indices where j > i { pairs.append((photos[i], photos[j])) } }
            same += pairs.prefix(10)
        }
        var rng = SplitMix64(seed: seed ^ 0x5A1D)
        var different = [(Int, Int)]()
        while different.count < same.count && names.count > 1 && byPerson.count > 1 {
            let i = Int(rng.next() % UInt64(names.count)), j = Int(rng.next() % UInt64(names.count))
            if names[i] != names[j] { different.append((i, j)) }
        }
        return same + different
    }
}
