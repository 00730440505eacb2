/// The training recipes of the shipped models (each option can still be overridden on the command line).
extension TrainingOptions {
    /// Options with every field given.
    public init(epochs: Int, batchSize: Int, learningRate: Float, weightDecay: Float = 0, adamW: Bool = false,
                cosineWarmupEpochs: Int? = nil, loss: LossKind = .mse, augmentation: Augmentation = .none) {
        self.init()
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        decoupledWeightDecay = adamW
        cosine = cosineWarmupEpochs != nil
        warmupEpochs = cosineWarmupEpochs ?? 0
        self.loss = loss
        self.augmentation = augmentation
    }

    /// The recipe of a keypoint task.
    public static func recipe(_ task: KeypointTask) -> TrainingOptions {
        switch task {
        case .nose:
            // The course's net and loss; small batches, a cosine schedule and the augmentation measured better.
            return TrainingOptions(epochs: 80, batchSize: 16, learningRate: 1e-3, cosineWarmupEpochs: 0,
                                   augmentation: Augmentation(scale: 0.1, shift: 0.1, rotationDegrees: 12, flip: true,
                                                              brightness: 0.15, contrast: 0.2))
        case .imm:
            // The course's Adam 1.5e-4 for 50 epochs was still far from converged (32% NME at epoch 12);
            // 1e-3 with a cosine decay over 80 epochs trains in the same few minutes.
            return TrainingOptions(epochs: 80, batchSize: 16, learningRate: 1e-3, cosineWarmupEpochs: 0,
                                   augmentation: Augmentation(scale: 0.1, shift: 0.1, rotationDegrees: 12, flip: true,
                                                              brightness: 0.15, contrast: 0.2))
        case .noseCrop, .immCrop:
            // Second stages, meant to start from the 68-point model (--init): its face features carry over,
            // so a low rate; the first stage's misses (about 10% of the face) are covered by the shifts.
            return TrainingOptions(epochs: 80, batchSize: 16, learningRate: 3e-4, weightDecay: 1e-4, adamW: true,
                                   cosineWarmupEpochs: 1, loss: .l1,
                                   augmentation: Augmentation(scale: 0.15, shift: 0.15, rotationDegrees: 20, flip: true,
                                                              brightness: 0.2, contrast: 0.3, blurProbability: 0.2))
        case .landmarks:
            // The shipped model's recipe, with `morph train landmarks`' defaults: integral head, stride 16, cell cross-entropy 1.
            return TrainingOptions(epochs: 60, batchSize: 32, learningRate: 1e-3, weightDecay: 1e-4, adamW: true,
                                   cosineWarmupEpochs: 1, loss: .wing,
                                   augmentation: Augmentation(scale: 0.15, shift: 0.1, rotationDegrees: 30, flip: true,
                                                              brightness: 0.2, contrast: 0.3, blurProbability: 0.2))
        }
    }

    /// The face finder's recipe.
    public static let faceFinderRecipe = TrainingOptions(epochs: 30, batchSize: 32, learningRate: 2e-3, weightDecay: 1e-4,
                                                         adamW: true, cosineWarmupEpochs: 1)
}
