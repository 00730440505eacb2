import Dispatch
import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing
import Training

/// One face-finder box of a dataset photo, labelled for the verifier.
public struct VerifierSample: Codable, Sendable, Equatable {
    /// Index of the photo among the examples it was mined from.
    public var example: Int
    /// The box, photo pixels.
    public var box: Box
    /// Whether the box holds an annotated face.
    public var isFace: Bool
}

/// The verifier's labels: what the finder found on annotated photos, and what the pipeline made of it.
public enum VerifierLabeling {
    /// A box is a face when it hits an annotated face (`FaceFinderEvaluation.hits`), or when its keypoints
    /// settle (`confidence` at least `minimumConfidence`) into a box (`keypointBox`) that hits one: a
    /// loose or off-centre box from which the pipeline still places the face's keypoints. A box whose
    /// keypoints do not settle (the pipeline drops it anyway), or whose centre lies on an annotated face
    /// without either hitting it (part of the face, or far too large), is not. Any other box is left out
    /// (nil): it settles on something away from the annotated faces, perhaps a face nobody annotated.
    public static func label(_ box: Box, keypointBox: Box, faces: [Box], confidence: Double, minimumConfidence: Double) -> Bool? {
        let settled = confidence >= minimumConfidence
        if faces.contains(where: { FaceFinderEvaluation.hits(box, truth: $0) || settled && FaceFinderEvaluation.hits(keypointBox, truth: $0) }) {
            return true
        }
        return !settled || faces.contains { $0.contains(box.center) } ? false : nil
    }

    /// Runs the finder and the 68-point model on each photo and labels every box (plus the annotated
    /// faces' own landmark boxes, sure faces).
    static func mine(_ scenes: [FaceScene], finder: FaceFinder, predictor: KeypointPredictor, label: String,
                     progress: ProgressReporter) -> [VerifierSample] {
        var samples = [VerifierSample]()
        let started = Date()
        for (index, scene) in scenes.enumerated() {
            let boxes = finder.detect(scene.image).map(\.box)
            for (box, found) in zip(boxes, FaceAnalyzer.keypoints(predictor, scene.image, boxes: boxes, mirroring: .none)) {
                if let isFace = VerifierLabeling.label(box, keypointBox: Box(enclosing: found.points), faces: scene.faces,
                                                       confidence: found.confidence,
                                                       minimumConfidence: FaceAnalyzer.defaultMinimumConfidence) {
                    samples.append(VerifierSample(example: index, box: box, isFace: isFace))
                }
            }
            samples += scene.faces.map { VerifierSample(example: index, box: $0, isFace: true) }
            progress.update(label, done: index + 1, total: scenes.count,
                            detail: "\(samples.count) boxes, \(samples.filter { !$0.isFace }.count) not faces",
                            stepStart: started)
        }
        return samples
    }
}

/// The mined boxes of a run, kept in its folder (`boxes.json`) so that a later run on the same photos
/// with the same labelling models reuses them.
struct VerifierBoxes: Codable {
    /// The finder's and the 68-point model's files: path, size and modification time.
    var labellers: [String]
    var trainPhotos: [String]
    var validationPhotos: [String]
    var train: [VerifierSample]
    var validation: [VerifierSample]
}

/// Training the verifier on mined boxes: binary cross-entropy, crops jittered, rotated and mirrored.
final class FaceVerifierTrainingTask: TrainingTask {
    let network: Layer
    let photos: [FaceScene], samples: [VerifierSample]
    let validationPhotos: [FaceScene], validationSamples: [VerifierSample]
    let augmentation: Augmentation

    init(photos: [FaceScene], samples: [VerifierSample], validationPhotos: [FaceScene],
         validationSamples: [VerifierSample], augmentation: Augmentation, seed: UInt64) {
        network = FaceVerifierNetwork.make(seed: seed)
        self.photos = photos
        self.samples = samples
        self.validationPhotos = validationPhotos
        self.validationSamples = validationSamples
        self.augmentation = augmentation
    }

    var trainCount: Int { samples.count }
    var metricName: String { "error rate" }

    func fillTrainingBatch(_ indices: [Int], seed: UInt64, input: Tensor, target: Tensor) {
        FaceVerifierTrainingTask.fill(indices.map { samples[$0] }, photos: photos, augmentation: augmentation, seed: seed,
                                      input: input, target: target)
    }

    /// Fills `input` [B, 1, S, S] and `target` [B, 1] (1: a face); sample `i`'s draws depend on `seed` and `i` only.
    static func fill(_ batch: [VerifierSample], photos: [FaceScene], augmentation: Augmentation, seed: UInt64,
                     input: Tensor, target: Tensor) {
        let side = FaceVerifierNetwork.inputSide
        input.resize(to: [batch.count, 1, side, side])
        target.resize(to: [batch.count, 1])
        DispatchQueue.concurrentPerform(iterations: batch.count) { i in
            var rng = SplitMix64(seed: seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
            let geometry = augmentation.drawGeometry(&rng)
            let contrast = 1 + rng.uniform(-augmentation.contrast, augmentation.contrast)
            let brightness = rng.uniform(-augmentation.brightness, augmentation.brightness)
            FaceVerifierNetwork.fill(photos[batch[i].example].image, box: batch[i].box, geometry: geometry,
                                     contrast: contrast, brightness: brightness, into: input.data + i * side * side)
            target.data[i] = batch[i].isFace ? 1 : 0
        }
    }

    func loss(_ output: Tensor, _ target: Tensor) -> Loss.Result { Loss.binaryCrossEntropy(logits: output, targets: target) }

    /// The network's probability for each validation sample.
    func validationScores() -> [Double] {
        let input = Tensor(shape: [0]), target = Tensor(shape: [0])
        return stride(from: 0, to: validationSamples.count, by: 64).flatMap { first in
            let batch = Array(validationSamples[first..<min(first + 64, validationSamples.count)])
            FaceVerifierTrainingTask.fill(batch, photos: validationPhotos, augmentation: .none, seed: 0, input: input, target: target)
            let logits = network.forward(input, training: false)
            return (0..<batch.count).map { 1 / (1 + exp(-Double(logits.data[$0]))) }
        }
    }

    func validate() -> (loss: Double, metric: Double, pixelError: Double?) {
        let scores = validationScores()
        var loss = 0.0, errors = 0
        for (score, sample) in zip(scores, validationSamples) {
            let p = min(max(score, 1e-7), 1 - 1e-7)
            loss -= sample.isFace ? log(p) : log(1 - p)
            if (score >= 0.5) != sample.isFace { errors += 1 }
        }
        let n = Double(max(validationSamples.count, 1))
        return (loss / n, Double(errors) / n, nil)
    }
}

/// How the trained verifier sorts the validation boxes at its chosen threshold.
public struct FaceVerifierReport: Codable, Sendable {
    /// Validation boxes that hold the annotated face, and those that do not.
    public var faces: Int, nonFaces: Int
    /// The threshold: the highest that keeps `requiredRecall` of the faces (at most 0.5).
    public var threshold: Double
    /// Share of face boxes kept, and of the other boxes dropped, at `threshold`.
    public var facesKept: Double, nonFacesDropped: Double

    /// The line `morph train verifier` prints.
    public var line: String {
        String(format: "threshold %.3f: keeps %.1f%% of %d validation face boxes, drops %.1f%% of %d other boxes",
               threshold, 100 * facesKept, faces, 100 * nonFacesDropped, nonFaces)
    }
}

/// One complete verifier training job over the IMM and 300-W folders of a data root.
public enum FaceVerifierTraining {
    /// Share of the validation face boxes the chosen threshold must keep.
    public static let requiredRecall = 0.995

    /// The verifier's recipe.
    public static let recipe = TrainingOptions(
        epochs: 20, batchSize: 64, learningRate: 2e-3, weightDecay: 1e-4, adamW: true, cosineWarmupEpochs: 1,
        augmentation: Augmentation(scale: 0.1, shift: 0.05, rotationDegrees: 30, flip: true, brightness: 0.2, contrast: 0.3))

    /// Mines boxes with the finder at `finderURL` and the 68-point model at `landmarksURL` on the
    /// training and validation photos (or reuses the run's `boxes.json`), trains, picks the threshold
    /// on the validation boxes, and saves the model (F16).
    public static func run(dataRoot: URL, finderURL: URL, landmarksURL: URL, options: TrainingOptions,
                           run: TrainingRun, modelURL: URL, resume: Bool, limit: Int?, command: String,
                           progress: ProgressReporter) throws -> FaceVerifierReport {
        let finder = try FaceFinder(contentsOf: finderURL), landmarks = try TrainedModel(contentsOf: landmarksURL)
        let imm = try LandmarkDataset.load(.imm58, root: dataRoot.appendingPathComponent("imm_face_db"), limit: limit)
        let w300 = try LandmarkDataset.load(.ibug68, root: dataRoot.appendingPathComponent("300w"), limit: limit)
        let train = try (imm.train + w300.train).map(FaceScene.init)
            + FaceSceneDataset.afwPhotos(root: dataRoot, split: .train, limit: limit)
        let validation = try (imm.validation + w300.validation).map(FaceScene.init)
            + FaceSceneDataset.afwPhotos(root: dataRoot, split: .validation, limit: limit)
        let labellers = try [finderURL, landmarksURL].map(TrainingRun.fingerprint)
        let boxes = try minedBoxes(train: train, validation: validation, finder: finder, landmarks: landmarks,
                                   labellers: labellers, run: run, progress: progress)
        let task = FaceVerifierTrainingTask(photos: train, samples: boxes.train, validationPhotos: validation,
                                            validationSamples: boxes.validation, augmentation: options.augmentation,
                                            seed: options.seed)
        progress.log("training the face verifier: \(boxes.train.count) boxes (\(boxes.train.filter(\.isFace).count) faces) "
                     + "from \(train.count) photos, \(task.network.parameterCount) parameters")
        let identity = ["task": FaceVerifier.task, "input": String(FaceVerifierNetwork.inputSide)]
        try TrainingLoop(task: task, options: options, run: run, identity: identity).fit(resume: resume, progress: progress)
        let report = FaceVerifierTraining.report(scores: task.validationScores(), labels: boxes.validation.map(\.isFace))
        try run.writeSummary(report)
        var metadata = options.provenance(identity, command: command, data: dataRoot)
        metadata["threshold"] = String(format: "%.4f", report.threshold)
        metadata["validation_faces_kept"] = String(format: "%.4f", report.facesKept)
        metadata["validation_non_faces_dropped"] = String(format: "%.4f", report.nonFacesDropped)
        metadata["validation_boxes"] = "\(report.faces) faces, \(report.nonFaces) not"
        metadata["labelled_by"] = "\(finderURL.path), \(landmarksURL.path)"
        try task.network.save(to: modelURL, metadata: metadata, dtype: .f16)
        return report
    }

    /// The threshold keeping `requiredRecall` of the faces (at most 0.5) and what it keeps and drops.
    public static func report(scores: [Double], labels: [Bool]) -> FaceVerifierReport {
        let faces = zip(scores, labels).filter(\.1).map(\.0).sorted()
        let others = zip(scores, labels).filter { !$0.1 }.map(\.0)
        let allowedMisses = Int(Double(faces.count) * (1 - requiredRecall))
        let threshold = faces.isEmpty ? 0.5 : min(0.5, faces[allowedMisses])
        let n = { (count: Int, total: Int) in Double(count) / Double(max(total, 1)) }
        return FaceVerifierReport(faces: faces.count, nonFaces: others.count, threshold: threshold,
                                  facesKept: n(faces.filter { $0 >= threshold }.count, faces.count),
                                  nonFacesDropped: n(others.filter { $0 < threshold }.count, others.count))
    }

    /// The run's mined boxes: read from `boxes.json` when it was mined from the same photos by the same
    /// `labellers` (`fingerprint`s of the model files), else mined and saved.
    static func minedBoxes(train: [FaceScene], validation: [FaceScene], finder: FaceFinder,
                           landmarks: TrainedModel, labellers: [String], run: TrainingRun,
                           progress: ProgressReporter) throws -> VerifierBoxes {
        let url = run.folder.appendingPathComponent("boxes.json")
        if let data = try? Data(contentsOf: url), let saved = try? JSONDecoder().decode(VerifierBoxes.self, from: data),
           saved.labellers == labellers, saved.trainPhotos == train.map(\.name), saved.validationPhotos == validation.map(\.name) {
            progress.log("reusing the boxes mined earlier (\(url.path))")
            return saved
        }
        let predictor = KeypointPredictor(model: landmarks)
        let boxes = VerifierBoxes(
            labellers: labellers, trainPhotos: train.map(\.name), validationPhotos: validation.map(\.name),
            train: VerifierLabeling.mine(train, finder: finder, predictor: predictor, label: "mining training boxes", progress: progress),
            validation: VerifierLabeling.mine(validation, finder: finder, predictor: predictor, label: "mining validation boxes",
                                              progress: progress))
        try AtomicFile.write(try JSONEncoder().encode(boxes), to: url.path)
        return boxes
    }
}
