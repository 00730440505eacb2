/// A fully connected layer y = x W^T + b. Parameters: `weight` [out, in], `bias` [out].
public final class Linear: Layer {
    /// Features in and out.
    public let inputFeatures: Int, outputFeatures: Int
    /// The weights, [out, in].
    public let weight: Parameter
    /// The offsets, [out], when the layer has them.
    public let bias: Parameter?

    private var input: Tensor?
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a layer with weight and bias uniform in ±1/sqrt(in) (PyTorch's default), drawn
    /// from `generator`.
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, generator: inout SplitMix64) {
        self.inputFeatures = inputFeatures; self.outputFeatures = outputFeatures
        let bound = 1 / Float(inputFeatures).squareRoot()
        let w = Tensor(shape: [outputFeatures, inputFeatures])
        for i in 0..<w.count { w[i] = generator.uniform(-bound, bound) }
        weight = Parameter(w)
        if bias {
            let b = Tensor(shape: [outputFeatures])
            for i in 0..<b.count { b[i] = generator.uniform(-bound, bound) }
            self.bias = Parameter(b)
        } else {
            self.bias = nil
        }
    }

    public var parameters: [NamedParameter] {
        [(name: "weight", parameter: weight)] + (bias.map { [(name: "bias", parameter: $0)] } ?? [])
    }

    // input [N, in] -> output [N, out]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[1] == inputFeatures, "Linear expects [N, \(inputFeatures)], got \(x.shape)")
        let n = x.shape[0]
        input = x
        output.resize(to: [n, outputFeatures])
        if let bias {
            for row in 0..<n { (output.data + row * outputFeatures).update(from: bias.value.data, count: outputFeatures) }
        }
        gemm(transposeB: true, m: n, n: outputFeatures, k: inputFeatures, a: x.data, lda: inputFeatures,
             b: weight.value.data, ldb: inputFeatures, beta: bias == nil ? 0 : 1, c: output.data, ldc: outputFeatures)
        return output
    }

    // gradOutput [N, out] -> gradInput [N, in]; accumulates weight and bias grads
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Linear.backward before forward") }
        precondition(gradOutput.shape == output.shape, "Linear gradient shape \(gradOutput.shape) != \(output.shape)")
        let n = x.shape[0]
        gemm(transposeA: true, m: outputFeatures, n: inputFeatures, k: n, a: gradOutput.data, lda: outputFeatures,
             b: x.data, ldb: inputFeatures, beta: 1, c: weight.grad.data, ldc: inputFeatures)
        if let bias { accumulateBiasGradient(gradOutput, into: bias.grad, images: n, area: 1) }
        gradInput.resize(to: x.shape)
        gemm(m: n, n: inputFeatures, k: outputFeatures, a: gradOutput.data, lda: outputFeatures,
             b: weight.value.data, ldb: inputFeatures, beta: 0, c: gradInput.data, ldc: inputFeatures)
        return gradInput
    }
}
