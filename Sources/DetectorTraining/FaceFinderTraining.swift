import FaceAnalysis
import Foundation
import Imaging
import NeuralNet
import Plumbing
import Training

/// Focal loss on the centre heat map plus L1 on offsets and log sizes at the centre cells
/// (CenterNet's recipe, Zhou et al. 2019), normalised by the number of faces. Cells whose target heat
/// is negative are left out.
enum FaceFinderLoss {
    static func evaluate(_ output: Tensor, _ target: Tensor) -> Loss.Result {
        precondition(output.shape == target.shape, "finder output and target shapes differ")
        let batch = output.shape[0], cells = output.shape[2] * output.shape[3], planes = FaceFinderNetwork.outputs
        let gradient = Tensor(shape: output.shape)
        var total = 0.0, positives = 0
        for n in 0..<batch {
            let o = output.data + n * planes * cells, t = target.data + n * planes * cells, g = gradient.data + n * planes * cells
            for c in 0..<cells {
                let z = Double(o[c]), y = Double(t[c])
                guard y >= 0 else { continue }
                let p = 1 / (1 + exp(-z))
                let logP = -softplus(-z), log1mP = -softplus(z)
                if y == 1 {
                    positives += 1
                    total += -pow(1 - p, 2) * logP
                    g[c] = Float(2 * p * pow(1 - p, 2) * logP - pow(1 - p, 3))
                    for k in 1..<planes {
                        let d = o[k * cells + c] - t[k * cells + c]
                        total += Double(abs(d))
                        g[k * cells + c] = d > 0 ? 1 : (d < 0 ? -1 : 0)
                    }
                } else {
                    let weight = pow(1 - y, 4)
                    total += -weight * p * p * log1mP
                    g[c] = Float(-weight * (2 * p * p * (1 - p) * log1mP - p * p * p))
                }
            }
        }
        let scale = 1 / Double(max(positives, 1))
        for i in 0..<gradient.count { gradient.data[i] *= Float(scale) }
        return (Float(total * scale), gradient)
    }

    /// log(1 + e^x) without overflow.
    static func softplus(_ x: Double) -> Double { x > 30 ? x : log1p(exp(x)) }
}

/// Training the face finder on synthetic canvases; validated on whole photos (the share of their
/// annotated faces missed).
final class FaceFinderTrainingTask: TrainingTask {
    let network: Layer
    let trainCount: Int
    let validation: [FaceScene]
    private let sampler: FaceFinderSampler

    init(sampler: FaceFinderSampler, validation: [FaceScene], canvasesPerEpoch: Int, seed: UInt64) {
        network = FaceFinderNetwork.make(seed: seed)
        self.sampler = sampler
        trainCount = canvasesPerEpoch
        self.validation = validation
    }

    var metricName: String { "miss rate" }

    func fillTrainingBatch(_ indices: [Int], seed: UInt64, input: Tensor, target: Tensor) {
        sampler.fill(count: indices.count, seed: seed, input: input, target: target)
    }

    func loss(_ output: Tensor, _ target: Tensor) -> Loss.Result { FaceFinderLoss.evaluate(output, target) }

    func validate() -> (loss: Double, metric: Double, pixelError: Double?) {
        let input = Tensor(shape: [0]), target = Tensor(shape: [0])
        let canvases = FaceFinderSampler(canvas: sampler.canvas, faces: sampler.faces, sceneGroups: [(1, validation)])
        canvases.fill(count: 64, seed: 12345, input: input, target: target)
        let loss = FaceFinderLoss.evaluate(network.forward(input, training: false), target).value
        return (Double(loss), FaceFinderEvaluation.missRate(finder: FaceFinder(network: network), scenes: validation), nil)
    }
}

/// One complete face-finder training job over the IMM, 300-W, whole AFW and LFW photos of a data root.
public enum FaceFinderTraining {
    /// Shares of the canvases showing a real scene drawn from each source: the 300-W and IMM training
    /// photos, the whole AFW training photos (group photos with every face annotated), LFW's photos.
    static let sceneWeights = (faces: 0.45, afw: 0.35, lfw: 0.2)
    /// Every how many LFW photos one is used (13,233 photos: about 3,300).
    static let lfwStep = 4

    /// Trains, evaluates on each dataset's validation photos, and saves the model (F16) to `modelURL` with
    /// the `threshold` and pyramid `levels` that `morph` is to use it with. With `labellers`, the faces nobody annotated in the training photos are found first (kept in the
    /// run folder) and taught as faces or left out of the loss; without, only annotated faces are known
    /// and LFW is not used.
    public static func run(dataRoot: URL, options: TrainingOptions, canvasesPerEpoch: Int, run: TrainingRun,
                           modelURL: URL, resume: Bool, initialWeights: URL? = nil, limit: Int?, labellers: SceneLabellers?,
                           threshold: Double, levels: [Int], command: String, progress: ProgressReporter) throws -> [String: FaceFinderReport] {
        let imm = try LandmarkDataset.load(.imm58, root: dataRoot.appendingPathComponent("imm_face_db"), limit: limit)
        let w300 = try LandmarkDataset.load(.ibug68, root: dataRoot.appendingPathComponent("300w"), limit: limit)
        let afwTrain = try FaceSceneDataset.afwPhotos(root: dataRoot, split: .train, limit: limit)
        let afwValidation = try FaceSceneDataset.afwPhotos(root: dataRoot, split: .validation, limit: limit)
        let lfw = labellers == nil ? [] : try FaceSceneDataset.lfwPhotos(root: dataRoot, step: lfwStep, limit: limit)
        let train = imm.train + w300.train
        let unlabelled = train.map(FaceScene.init) + afwTrain + lfw
        let found = try labellers?.label(unlabelled, cache: run.folder.appendingPathComponent("scene-labels.json"),
                                         progress: progress)
        let scenes = unlabelled.enumerated().map { index, scene in
            FaceScene(name: scene.name, image: scene.image, annotated: scene.faces, found: found?[index] ?? [],
                      sure: labellers?.sure ?? 1)
        }
        let groups: [(weight: Double, scenes: [FaceScene])] = [
            (sceneWeights.faces, Array(scenes[..<train.count])),
            (sceneWeights.afw, Array(scenes[train.count..<(train.count + afwTrain.count)])),
            (sceneWeights.lfw, Array(scenes[(train.count + afwTrain.count)...])),
        ]
        let validation = (imm.validation + w300.validation).map(FaceScene.init) + afwValidation
        let task = FaceFinderTrainingTask(sampler: FaceFinderSampler(canvas: 128, faces: train, sceneGroups: groups),
                                          validation: validation, canvasesPerEpoch: canvasesPerEpoch, seed: options.seed)
        let sure = scenes.reduce(0) { $0 + $1.faces.count }, unsure = scenes.reduce(0) { $0 + $1.unsure.count }
        progress.log("training the face finder: \(train.count) faces to paste; scenes: \(train.count) 300-W and IMM, "
                     + "\(afwTrain.count) AFW, \(lfw.count) LFW, with \(sure) faces to find and \(unsure) unsure; "
                     + "\(canvasesPerEpoch) canvases per epoch, \(task.network.parameterCount) parameters")
        let identity = ["task": FaceFinder.task, "canvas": "128", "scenes": "real",
                        "widths": FaceFinderNetwork.standardWidths.map(String.init).joined(separator: ",")]
        try TrainingLoop(task: task, options: options, run: run, identity: identity)
            .fit(resume: resume, initialWeights: initialWeights, progress: progress)
        let finder = FaceFinder(network: task.network)
        finder.threshold = threshold
        finder.levels = levels
        let reports = ["imm": FaceFinderEvaluation.run(finder: finder, examples: imm.validation),
                       "300w": FaceFinderEvaluation.run(finder: finder, examples: w300.validation)]
        try run.writeSummary(reports)
        var metadata = options.provenance(identity, command: command, data: dataRoot)
        for (name, report) in reports { metadata["validation_hit_rate_\(name)"] = String(format: "%.4f", report.hitRate) }
        let afwMissed = FaceFinderEvaluation.missRate(finder: finder, scenes: Array(validation.suffix(afwValidation.count)))
        metadata["validation_hit_rate_afw_photos"] = String(format: "%.4f", 1 - afwMissed)
        if let labellers { metadata["labelled_by"] = labellers.summary }
        metadata["threshold"] = String(threshold)
        metadata["levels"] = levels.map(String.init).joined(separator: ",")
        try task.network.save(to: modelURL, metadata: metadata, dtype: .f16)
        return reports
    }
}
