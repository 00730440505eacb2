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

    /// The 68-point model's recipe, with `morph train landmarks`' defaults (integral head, stride 16,
    /// cell cross-entropy 1).
    public static let landmarksRecipe = TrainingOptions(
        epochs: 60, batchSize: 32, learningRate: 1e-3, weightDecay: 1e-4, adamW: true, cosineWarmupEpochs: 1, loss: .wing,
        augmentation: Augmentation(scale: 0.15, shift: 0.1, rotationDegrees: 30, flip: true, brightness: 0.2, contrast: 0.3,
                                   blurProbability: 0.2))

    /// The face finder's recipe.
    public static let faceFinderRecipe = TrainingOptions(epochs: 50, batchSize: 32, learningRate: 2e-3, weightDecay: 1e-4,
                                                         adamW: true, cosineWarmupEpochs: 1)
}
