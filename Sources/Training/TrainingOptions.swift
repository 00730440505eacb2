import Foundation
import NeuralNet

/// The recipe of one training run.
public struct TrainingOptions: Sendable {
    /// Passes over the training set.
    public var epochs = 20
    /// Examples per optimiser step.
    public var batchSize = 64
    /// Peak learning rate.
    public var learningRate: Float = 3e-4
    /// Weight decay (decoupled, as AdamW, when `decoupledWeightDecay`).
    public var weightDecay: Float = 0
    /// Use AdamW's decoupled weight decay instead of Adam's L2 term.
    public var decoupledWeightDecay = false
    /// Linear warm-up length in epochs before the cosine decay (cosine schedule only).
    public var warmupEpochs = 0
    /// Cosine decay to 1% of the peak over the run; constant rate when false.
    public var cosine = false
    /// The loss function.
    public var loss = LossKind.mse
    /// Weight of the integral head's cell-score cross-entropy in the training loss (0: none; the
    /// validation loss leaves it out).
    public var cellLossWeight: Float = 0
    /// Seed of initialisation, data order and augmentation.
    public var seed: UInt64 = 1
    /// Random changes applied to each training crop.
    public var augmentation = Augmentation.none

    /// Options with every field at its default.
    public init() {}

    /// These options with the command line's over them (nil: the recipe's own), the `seed`, and every
    /// augmentation range scaled by `augmentationStrength` (mirroring unchanged; a given
    /// `occlusionProbability` is taken as it is).
    public func overriding(epochs: Int?, batchSize: Int?, learningRate: Float?, weightDecay: Float?, loss: LossKind?,
                           seed: UInt64, augmentationStrength: Double, occlusionProbability: Double? = nil) -> TrainingOptions {
        var options = self
        options.epochs = epochs ?? self.epochs
        options.batchSize = batchSize ?? self.batchSize
        options.learningRate = learningRate ?? self.learningRate
        options.weightDecay = weightDecay ?? self.weightDecay
        options.loss = loss ?? self.loss
        options.seed = seed
        options.augmentation = augmentation.scaled(by: augmentationStrength)
        if let occlusionProbability { options.augmentation.occlusionProbability = occlusionProbability }
        return options
    }

    /// `identity` with how a model was trained: the command, the data, the epochs and the seed.
    public func provenance(_ identity: [String: String], command: String, data: URL) -> [String: String] {
        identity.merging(["command": command, "data": data.path, "epochs": String(epochs), "seed": String(seed)]) { $1 }
    }

    /// The learning rate at optimiser step `step` of `totalSteps`.
    func learningRate(step: Int, stepsPerEpoch: Int) -> Float {
        guard cosine else { return learningRate }
        return CosineSchedule(base: learningRate, totalSteps: epochs * stepsPerEpoch,
                              warmupSteps: warmupEpochs * stepsPerEpoch, minimum: learningRate / 100)
            .learningRate(at: step)
    }
}

/// One line of the training history.
public struct EpochRecord: Codable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss over the epoch's batches.
    public var trainLoss: Double
    /// Mean validation loss.
    public var validationLoss: Double
    /// Mean validation metric (a fraction: NME for keypoints, miss rate for the face finder).
    public var validationMetric: Double
    /// Mean validation error in photo pixels (nil for classifiers).
    public var validationPixelError: Double?
    /// Learning rate at the end of the epoch.
    public var learningRate: Double
    /// Wall-clock seconds of the epoch (training and validation).
    public var seconds: Double
}
