import Plumbing

/// The rectifier max(x, 0), element-wise, any shape.
public final class ReLU: Layer {
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a rectifier.
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        output.resize(to: x.shape)
        let source = x.data, target = output.data
        Parallel.forEach(x.count, grain: 1 << 15) { range in
            for i in range { target[i] = max(source[i], 0) }
        }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.shape == output.shape, "ReLU gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: output.shape)
        let y = output.data, dy = gradOutput.data, dx = gradInput.data
        Parallel.forEach(output.count, grain: 1 << 15) { range in
            for i in range { let g = dy[i]; dx[i] = y[i] > 0 ? g : 0 }  // unconditional load: vectorises
        }
        return gradInput
    }
}
