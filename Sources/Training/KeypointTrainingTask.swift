import FaceAnalysis
import FaceData
import NeuralNet

/// Training a keypoint network on annotated faces (nose, IMM-58 or 68-point).
final class KeypointTrainingTask: TrainingTask {
    let spec: KeypointModelSpec
    let network: Layer
    let train: [TrainingExample]
    let validation: [TrainingExample]
    let lossKind: LossKind
    let cellLossWeight: Float
    private let builder: BatchBuilder

    init(spec: KeypointModelSpec, options: TrainingOptions, train: [TrainingExample], validation: [TrainingExample]) {
        self.spec = spec
        self.train = train
        self.validation = validation
        lossKind = options.loss
        cellLossWeight = options.cellLossWeight
        network = spec.makeNetwork(seed: options.seed)
        builder = BatchBuilder(spec: spec, augmentation: options.augmentation)
    }

    var trainCount: Int { train.count }
    var metricName: String { "NME" }

    func fillTrainingBatch(_ indices: [Int], seed: UInt64, input: Tensor, target: Tensor) {
        _ = builder.fill(train, indices: indices, seed: seed, input: input, target: target)
    }

    func loss(_ output: Tensor, _ target: Tensor) -> Loss.Result { spec.loss(output, target, kind: lossKind, cellWeight: cellLossWeight) }

    func validate() -> (loss: Double, metric: Double, pixelError: Double?) {
        let summary = evaluate(validation).summary
        return (summary.meanLoss, summary.meanNME, summary.meanPixelError)
    }

    /// Predictions and errors on `examples`, optionally perturbed.
    func evaluate(_ examples: [TrainingExample], augmentation: Augmentation = .none,
                  seed: UInt64 = 7) -> (faces: [EvaluatedFace], summary: EvaluationSummary) {
        KeypointEvaluator(spec: spec, network: network).evaluate(examples, augmentation: augmentation, seed: seed,
                                                                 loss: lossKind)
    }
}
