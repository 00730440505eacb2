import NeuralNet
import Plumbing

/// Batch normalisation over the N, H and W axes of [N, C, H, W], per channel.
///
/// Training normalises with the batch mean and biased variance and moves the running statistics
/// by `momentum` (the running variance takes the unbiased batch variance, as PyTorch does);
/// evaluation normalises with the running statistics. Parameters `weight`, `bias` [C];
/// buffers `running_mean`, `running_var` [C]. With `fusedReLU` the layer also applies max(y, 0),
/// saving the separate rectifier's pass over the data and its two buffers.
public final class BatchNorm2d: Layer {
    /// The number of channels C.
    public let channels: Int
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// The weight of the batch statistic in each running-statistic update.
    public let momentum: Float
    /// The per-channel scale (gamma), [C].
    public let weight: Parameter
    /// The per-channel offset (beta), [C].
    public let bias: Parameter
    /// The running mean, [C].
    public let runningMean: Tensor
    /// The running variance, [C].
    public let runningVar: Tensor
    /// Whether a ReLU follows the normalisation inside this layer.
    public let fusedReLU: Bool

    private var input: Tensor?
    private var usedBatchStatistics = false
    private let mean: Tensor, inverseStd: Tensor  // [C], the statistics the last forward used
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a layer with weight 1, bias 0, running mean 0 and running variance 1.
    public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, fusedReLU: Bool = false) {
        self.channels = channels; self.epsilon = epsilon; self.momentum = momentum; self.fusedReLU = fusedReLU
        weight = Parameter(Tensor(shape: [channels], repeating: 1))
        bias = Parameter(Tensor(shape: [channels]))
        runningMean = Tensor(shape: [channels])
        runningVar = Tensor(shape: [channels], repeating: 1)
        mean = Tensor(shape: [channels])
        inverseStd = Tensor(shape: [channels])
    }

    public var parameters: [NamedParameter] { [(name: "weight", parameter: weight), (name: "bias", parameter: bias)] }
    public var buffers: [NamedBuffer] { [(name: "running_mean", tensor: runningMean), (name: "running_var", tensor: runningVar)] }

    /// Calls `body(channel, planes)` for each channel in parallel, where `planes(image)` is the
    /// offset of that channel's plane in image `image`.
    private func forEachChannel(images: Int, area: Int, _ body: (Int, (Int) -> Int) -> Void) {
        Parallel.forEach(channels, grain: 1) { range in
            for c in range { body(c) { image in (image * self.channels + c) * area } }
        }
    }

    /// Channel `c`'s normalisation with `mean` and `variance` as y = x * scale + shift, and 1/std.
    private func affine(_ c: Int, mean: Float, variance: Float) -> (scale: Float, shift: Float, inverseStd: Float) {
        let inverseStd = 1 / (variance + epsilon).squareRoot(), scale = weight.value[c] * inverseStd
        return (scale, bias.value[c] - mean * scale, inverseStd)
    }

    // input [N, C, H, W] -> output [N, C, H, W]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == channels, "BatchNorm2d(\(channels)) got \(x.shape)")
        let images = x.shape[0], area = x.shape[2] * x.shape[3], total = images * area
        input = x
        usedBatchStatistics = training
        output.resize(to: x.shape)
        forEachChannel(images: images, area: area) { c, plane in
            var mu = runningMean[c], variance = runningVar[c]
            if training {
                // One pass: sums of d = x - shift and of d^2, shifted by a sample of the channel so
                // that the variance E[d^2] - E[d]^2 does not cancel.
                let shift = x.data[plane(0)]
                var sum: Double = 0, squares: Double = 0
                for image in 0..<images {
                    let (s, q) = shiftedSums(x.data + plane(image), area, shift: shift)
                    sum += Double(s); squares += Double(q)
                }
                let meanShift = sum / Double(total), centred = max(squares - sum * meanShift, 0)
                mu = shift + Float(meanShift)
                variance = Float(centred / Double(total))
                let unbiased = total > 1 ? Float(centred / Double(total - 1)) : variance
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mu
                runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased
            }
            let (scale, shift, invStd) = affine(c, mean: mu, variance: variance)
            mean[c] = mu
            inverseStd[c] = invStd
            for image in 0..<images {
                let source = x.data + plane(image), target = output.data + plane(image)
                if fusedReLU {
                    for i in 0..<area { target[i] = max(source[i] * scale + shift, 0) }
                } else {
                    for i in 0..<area { target[i] = source[i] * scale + shift }
                }
            }
        }
        return output
    }

    /// max(normalised `x` + `residual`, 0) into `result`, with the running statistics: the end of a
    /// residual block at inference, in one pass instead of three (normalise, add, rectify). Leaves
    /// nothing for `backward`.
    // x, residual, result [N, C, H, W]
    public func inferenceForward(_ x: Tensor, adding residual: Tensor, into result: Tensor) {
        precondition(x.shape.count == 4 && x.shape[1] == channels && residual.shape == x.shape,
                     "BatchNorm2d(\(channels)) residual end got \(x.shape) and \(residual.shape)")
        let images = x.shape[0], area = x.shape[2] * x.shape[3]
        input = nil
        result.resize(to: x.shape)
        forEachChannel(images: images, area: area) { c, plane in
            let (scale, shift, _) = affine(c, mean: runningMean[c], variance: runningVar[c])
            for image in 0..<images {
                let source = x.data + plane(image), skip = residual.data + plane(image), target = result.data + plane(image)
                for i in 0..<area { target[i] = max(source[i] * scale + shift + skip[i], 0) }
            }
        }
    }

    // gradOutput [N, C, H, W] -> gradInput [N, C, H, W]; accumulates weight and bias grads
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("BatchNorm2d.backward before forward") }
        precondition(gradOutput.shape == x.shape, "BatchNorm2d gradient shape \(gradOutput.shape) != \(x.shape)")
        let images = x.shape[0], area = x.shape[2] * x.shape[3], total = Float(images * area)
        gradInput.resize(to: x.shape)
        forEachChannel(images: images, area: area) { c, plane in
            let mu = mean[c], invStd = inverseStd[c]
            // The fused rectifier's gradient: masked into gradInput while summing, then used in place of
            // gradOutput (each element of dx below reads only the same element of dy).
            let dyBase: UnsafeMutablePointer<Float> = fusedReLU ? gradInput.data : gradOutput.data
            var sumDy: Float = 0, sumDyXhat: Float = 0
            for image in 0..<images {
                let (a, b) = sumAndShiftedDot(gradOutput.data + plane(image), x.data + plane(image), shift: mu, area,
                                              rectifiedBy: fusedReLU ? output.data + plane(image) : nil,
                                              into: gradInput.data + plane(image))
                sumDy += a; sumDyXhat += b * invStd
            }
            weight.grad[c] += sumDyXhat
            bias.grad[c] += sumDy
            let scale = weight.value[c] * invStd
            // Batch statistics depend on the input, adding the mean and variance terms.
            let meanTerm = usedBatchStatistics ? sumDy / total : 0
            let xhatTerm = usedBatchStatistics ? sumDyXhat / total * invStd : 0
            for image in 0..<images {
                let dy = dyBase + plane(image), source = x.data + plane(image)
                let target = gradInput.data + plane(image)
                for i in 0..<area { target[i] = scale * (dy[i] - meanTerm - (source[i] - mu) * xhatTerm) }
            }
        }
        return gradInput
    }
}

/// The sums of `x - shift` and of its square over `count` floats, vectorised.
@inline(__always)
func shiftedSums(_ x: UnsafePointer<Float>, _ count: Int, shift: Float) -> (Float, Float) {
    var sums = SIMD16<Float>(repeating: 0), squares = SIMD16<Float>(repeating: 0)
    let shifts = SIMD16<Float>(repeating: shift)
    var i = 0
    while i + 16 <= count {
        let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - shifts
        sums += d
        squares += d * d
        i += 16
    }
    var sum = sums.sum(), square = squares.sum()
    while i < count { let d = x[i] - shift; sum += d; square += d * d; i += 1 }
    return (sum, square)
}

/// The sums of `a` and of `a * (b - shift)` over `count` floats, vectorised. With `y`, `a` is first
/// rectified (zero where `y` is not above 0) and written to `target`.
@inline(__always)
func sumAndShiftedDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, shift: Float, _ count: Int,
                      rectifiedBy y: UnsafePointer<Float>? = nil, into target: UnsafeMutablePointer<Float>? = nil) -> (Float, Float) {
    var sums = SIMD16<Float>(repeating: 0), dots = SIMD16<Float>(repeating: 0)
    let shifts = SIMD16<Float>(repeating: shift), zeros = SIMD16<Float>(repeating: 0)
    var i = 0
    while i + 16 <= count {
        var x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
        if let y, let target {
            x.replace(with: 0, where: .!(UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self) .> zeros))
            UnsafeMutableRawPointer(target + i).storeBytes(of: x, as: SIMD16<Float>.self)
        }
        sums += x
        dots += x * (UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self) - shifts)
        i += 16
    }
    var sum = sums.sum(), dot = dots.sum()
    while i < count {
        var x = a[i]
        if let y, let target { x = y[i] > 0 ? x : 0; target[i] = x }
        sum += x; dot += x * (b[i] - shift); i += 1
    }
    return (sum, dot)
}
