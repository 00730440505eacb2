import FaceAnalysis
import FaceData
import NeuralNet

/// Training a keypoint network on annotated faces (nose, IMM-58 or 68-point), optionally with
/// pseudo-labelled faces mixed in: each epoch shows every annotated face and `pseudoPerEpoch` faces
/// drawn afresh from the pseudo-labelled ones.
final class KeypointTrainingTask: TrainingTask {
    let spec: KeypointModelSpec
    let network: Layer
    let train: [TrainingExample]
    let validation: [TrainingExample]
    /// The annotated faces, then the pseudo-labelled ones.
    private let pool: [TrainingExample]
    private let pseudoPerEpoch: Int
    let lossKind: LossKind
    let cellLossWeight: Float
    private let builder: BatchBuilder

    init(spec: KeypointModelSpec, options: TrainingOptions, train: [TrainingExample], validation: [TrainingExample],
         pseudoLabelled: PseudoLabelledFaces? = nil) {
        self.spec = spec
        self.train = train
        self.validation = validation
        pool = train + (pseudoLabelled?.examples ?? [])
        pseudoPerEpoch = pool.count == train.count ? 0 : Int((Double(train.count) * pseudoLabelled!.ratio).rounded())
        lossKind = options.loss
        cellLossWeight = options.cellLossWeight
        network = spec.makeNetwork(seed: options.seed)
        builder = BatchBuilder(spec: spec, augmentation: options.augmentation)
    }

    var trainCount: Int { train.count + pseudoPerEpoch }
    var metricName: String { "NME" }

    /// Indices from `train.count` on stand for pseudo-labelled faces, drawn by `seed` (a new draw each batch).
    func fillTrainingBatch(_ indices: [Int], seed: UInt64, input: Tensor, target: Tensor) {
        let drawn = indices.map { index in
            guard index >= train.count else { return index }
            var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
            return train.count + Int(rng.next() % UInt64(pool.count - train.count))
        }
        _ = builder.fill(pool, indices: drawn, seed: seed, input: input, target: target)
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
