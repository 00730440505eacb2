/// Flattens every axis after the first: [N, ...] -> [N, product of the rest].
public final class Flatten: Layer {
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a flatten layer.
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        output.resize(to: [x.shape[0], x.count / max(x.shape[0], 1)])
        output.data.update(from: x.data, count: x.count)
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.count == output.count, "Flatten gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: inputShape)
        gradInput.data.update(from: gradOutput.data, count: gradOutput.count)
        return gradInput
    }
}
