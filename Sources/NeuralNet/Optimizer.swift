import Foundation
import Plumbing

/// An update rule for a fixed list of parameters.
public protocol Optimizer: AnyObject {
    /// The step size of the next `step()`; set it from a schedule.
    var learningRate: Float { get set }
    /// Updates every parameter from its accumulated gradient.
    func step()
}

/// Runs `body(start, end)` over `0..<count` of one parameter, split across the cores.
private func forEachSlice(_ count: Int, _ body: (Int, Int) -> Void) {
    Parallel.forEach(count, grain: 1 << 16) { body($0.lowerBound, $0.upperBound) }
}

/// Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's `SGD`
/// (no dampening): v = m v + (g + wd p); p -= lr v.
public final class SGD: Optimizer {
    public var learningRate: Float
    /// Velocity decay and L2 penalty factor.
    public let momentum: Float, weightDecay: Float
    private let parameters: [Parameter]
    let velocities: [Tensor]

    /// Creates the optimiser over `parameters` (e.g. `model.parameters.map(\.parameter)`).
    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
        velocities = parameters.map { Tensor(shape: $0.value.shape) }
    }

    public func step() {
        let lr = learningRate, m = momentum, wd = weightDecay
        for (parameter, velocity) in zip(parameters, velocities) {
            let p = parameter.value.data, g = parameter.grad.data, v = velocity.data
            forEachSlice(parameter.value.count) { start, end in
                for i in start..<end {
                    v[i] = m * v[i] + g[i] + wd * p[i]
                    p[i] -= lr * v[i]
                }
            }
        }
    }
}

/// Adam (Kingma and Ba) with bias correction. `weightDecay` adds wd p to the gradient (PyTorch's
/// `Adam`); with `decoupledWeightDecay` it shrinks p by lr wd instead (`AdamW`).
public class Adam: Optimizer {
    public var learningRate: Float
    /// Moment decays, denominator guard and weight-decay factor.
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    /// Whether weight decay shrinks the weights directly (AdamW) rather than adding to the gradient.
    public let decoupledWeightDecay: Bool
    /// Steps taken so far (drives the bias correction).
    public internal(set) var stepCount = 0
    private let parameters: [Parameter]
    let firstMoments: [Tensor], secondMoments: [Tensor]

    /// Creates the optimiser over `parameters` (e.g. `model.parameters.map(\.parameter)`).
    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay; self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = parameters.map { Tensor(shape: $0.value.shape) }
        secondMoments = parameters.map { Tensor(shape: $0.value.shape) }
    }

    public func step() {
        stepCount += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, lr = learningRate
        let stepSize = lr / (1 - pow(b1, Float(stepCount)))
        let correction2 = (1 - pow(b2, Float(stepCount))).squareRoot()
        let coupled = decoupledWeightDecay ? 0 : weightDecay
        let shrink = decoupledWeightDecay ? 1 - lr * weightDecay : 1
        for index in parameters.indices {
            let p = parameters[index].value.data, g = parameters[index].grad.data
            let m = firstMoments[index].data, v = secondMoments[index].data
            forEachSlice(parameters[index].value.count) { start, end in
                for i in start..<end {
                    let gradient = g[i] + coupled * p[i]
                    m[i] = b1 * m[i] + (1 - b1) * gradient
                    v[i] = b2 * v[i] + (1 - b2) * gradient * gradient
                    p[i] = p[i] * shrink - stepSize * m[i] / (v[i].squareRoot() / correction2 + eps)
                }
            }
        }
    }
}

/// Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's `AdamW`.
public final class AdamW: Adam {
    /// Creates the optimiser; PyTorch's default weight decay is 0.01.
    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                   epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
    }
}
