/// Inverted dropout: in training each element is zeroed with probability `probability` and the
/// survivors are scaled by 1/(1-p); in evaluation the layer passes its input through.
public final class Dropout: Layer {
    /// The probability that an element is dropped in training.
    public let probability: Float
    private var generator: SplitMix64
    private var lastTraining = false
    private let mask = Tensor(shape: [0])  // 0 or 1/(1-p) per element
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a dropout layer whose masks come from a generator seeded with `seed`.
    public init(probability: Float = 0.5, seed: UInt64 = 0) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) outside [0, 1)")
        self.probability = probability
        generator = SplitMix64(seed: seed)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        lastTraining = training
        output.resize(to: x.shape)
        guard training else {
            output.data.update(from: x.data, count: x.count)
            return output
        }
        mask.resize(to: x.shape)
        let keep = 1 / (1 - probability)
        for i in 0..<x.count {
            mask.data[i] = generator.nextFloat() < probability ? 0 : keep
            output.data[i] = x.data[i] * mask.data[i]
        }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.shape == output.shape, "Dropout gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: output.shape)
        for i in 0..<gradOutput.count {
            gradInput.data[i] = lastTraining ? gradOutput.data[i] * mask.data[i] : gradOutput.data[i]
        }
        return gradInput
    }
}
