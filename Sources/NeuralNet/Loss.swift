import Foundation

/// Losses (regression, and binary cross-entropy), each the mean over all elements, returning the
/// value and the gradient with respect to the prediction.
public enum Loss {
    /// The result of a loss: its value and d(value)/d(prediction), shaped like the prediction.
    public typealias Result = (value: Float, gradient: Tensor)

    /// Applies `term(difference) -> (loss, derivative)` element-wise to prediction - target.
    private static func mean(_ prediction: Tensor, _ target: Tensor, _ term: (Float) -> (Float, Float)) -> Result {
        precondition(prediction.shape == target.shape, "loss shapes differ: \(prediction.shape) vs \(target.shape)")
        let gradient = Tensor(shape: prediction.shape)
        let scale = 1 / Float(max(prediction.count, 1))
        var total: Double = 0
        for i in 0..<prediction.count {
            let (value, derivative) = term(prediction.data[i] - target.data[i])
            total += Double(value)
            gradient.data[i] = derivative * scale
        }
        return (Float(total) * scale, gradient)
    }

    /// Mean squared error, mean((p - t)^2).
    public static func mse(_ prediction: Tensor, _ target: Tensor) -> Result {
        mean(prediction, target) { d in (d * d, 2 * d) }
    }

    /// Mean absolute error, mean(|p - t|); the derivative at 0 is 0.
    public static func l1(_ prediction: Tensor, _ target: Tensor) -> Result {
        mean(prediction, target) { d in (abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0)) }
    }

    /// Smooth L1 (Huber-like, PyTorch's `smooth_l1_loss`): 0.5 d^2 / beta where |d| < beta,
    /// |d| - 0.5 beta elsewhere.
    public static func smoothL1(_ prediction: Tensor, _ target: Tensor, beta: Float = 1) -> Result {
        mean(prediction, target) { d in
            abs(d) < beta ? (0.5 * d * d / beta, d / beta) : (abs(d) - 0.5 * beta, d > 0 ? 1 : -1)
        }
    }

    /// Wing loss (Feng et al. 2018): w ln(1 + |d|/epsilon) where |d| < w, |d| - C elsewhere, with
    /// C = w - w ln(1 + w/epsilon) making the pieces meet.
    public static func wing(_ prediction: Tensor, _ target: Tensor, width: Float = 10, epsilon: Float = 2) -> Result {
        let c = width - width * log(1 + width / epsilon)
        return mean(prediction, target) { d in
            let a = abs(d), sign: Float = d > 0 ? 1 : (d < 0 ? -1 : 0)
            return a < width ? (width * log(1 + a / epsilon), sign * width / (epsilon + a)) : (a - c, sign)
        }
    }

    /// Binary cross-entropy on logits, mean over elements: -t log σ(z) - (1 - t) log(1 - σ(z)),
    /// computed without overflow; the gradient is (σ(z) - t) / count.
    public static func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Result {
        precondition(logits.shape == targets.shape, "loss shapes differ: \(logits.shape) vs \(targets.shape)")
        let gradient = Tensor(shape: logits.shape)
        let scale = 1 / Float(max(logits.count, 1))
        var total: Double = 0
        for i in 0..<logits.count {
            let z = Double(logits.data[i]), t = Double(targets.data[i])
            // log(1 + e^-|z|) + max(z, 0) - t z  ==  -t log σ(z) - (1 - t) log(1 - σ(z))
            total += log1p(exp(-abs(z))) + max(z, 0) - t * z
            gradient.data[i] = Float(1 / (1 + exp(-z)) - t) * scale
        }
        return (Float(total) * scale, gradient)
    }
}
