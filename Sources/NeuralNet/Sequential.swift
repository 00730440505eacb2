/// Layers applied in order; children are named "0", "1", ... as in PyTorch's `nn.Sequential`.
public final class Sequential: Layer {
    /// The layers, first applied first.
    public let layers: [Layer]

    /// Creates a container running `layers` in order.
    public init(_ layers: [Layer]) { self.layers = layers }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        layers.enumerated().reduce(x) { $1.element.forward($0, training: training, as: String($1.offset)) }
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        layers.enumerated().reversed().reduce(gradOutput) { $1.element.backward($0, as: String($1.offset)) }
    }

    public var parameters: [NamedParameter] {
        layers.enumerated().flatMap { prefixed(String($0.offset), $0.element.parameters) }
    }

    public var buffers: [NamedBuffer] {
        layers.enumerated().flatMap { prefixed(String($0.offset), $0.element.buffers) }
    }
}
