import Foundation

/// A learning rate as a function of the step (or epoch) index, counted from 0.
public protocol LearningRateSchedule {
    /// The learning rate for step `step`.
    func learningRate(at step: Int) -> Float
}

/// Multiplies the base rate by `gamma` every `stepSize` steps (PyTorch's `StepLR`).
public struct StepSchedule: LearningRateSchedule {
    /// Initial rate, steps between decays, and decay factor.
    public let base: Float, stepSize: Int, gamma: Float

    /// Creates the schedule.
    public init(base: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "step size must be positive")
        self.base = base; self.stepSize = stepSize; self.gamma = gamma
    }

    public func learningRate(at step: Int) -> Float { base * pow(gamma, Float(step / stepSize)) }
}

/// Linear warm-up from base/warmupSteps to `base` over `warmupSteps`, then cosine decay to
/// `minimum` at `totalSteps` (and `minimum` after it).
public struct CosineSchedule: LearningRateSchedule {
    /// Peak rate, final rate, warm-up length, and step at which the decay ends.
    public let base: Float, minimum: Float, warmupSteps: Int, totalSteps: Int

    /// Creates the schedule.
    public init(base: Float, totalSteps: Int, warmupSteps: Int = 0, minimum: Float = 0) {
        precondition(totalSteps > warmupSteps && warmupSteps >= 0, "need totalSteps > warmupSteps >= 0")
        self.base = base; self.minimum = minimum; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
    }

    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let progress = min(1, Float(step - warmupSteps) / Float(totalSteps - warmupSteps))
        return minimum + (base - minimum) * 0.5 * (1 + cos(Float.pi * progress))
    }
}
