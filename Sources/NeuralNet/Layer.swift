import Plumbing
import Synchronization

/// A trainable tensor and the gradient accumulated for it.
public final class Parameter {
    /// The current value.
    public let value: Tensor
    /// The sum of gradients since the last `zeroGrad()`; same shape as `value`.
    public let grad: Tensor

    /// Set while the value is fixed for inference (`Layer.freezeForInference`): a number no other
    /// freezing used, so a layer can tell whether what it prepared from the value is still current.
    public private(set) var freezeStamp: Int?

    /// Whether the value is fixed for inference.
    public var isFrozen: Bool { freezeStamp != nil }

    private static let lastFreezeStamp = Atomic<Int>(0)

    /// Creates a parameter holding `value` with a zero gradient.
    public init(_ value: Tensor) {
        self.value = value
        grad = Tensor(shape: value.shape)
    }

    /// Fixes the value from now on (until `thaw`).
    public func freeze() {
        freezeStamp = Parameter.lastFreezeStamp.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Lets the value change again (loading new weights does this).
    public func thaw() { freezeStamp = nil }
}

/// A named parameter, named with PyTorch's state-dict key (e.g. `layer1.0.conv1.weight`).
public typealias NamedParameter = (name: String, parameter: Parameter)
/// A named non-trainable tensor such as BatchNorm's `running_mean`.
public typealias NamedBuffer = (name: String, tensor: Tensor)

/// A network layer with a forward pass and a backward pass.
///
/// `forward` caches what `backward` needs; `backward` takes the gradient of the loss with respect
/// to the last output, ADDS the parameter gradients into `Parameter.grad` and returns the gradient
/// with respect to the last input. Returned tensors belong to the layer and are overwritten by its
/// next call.
public protocol Layer: AnyObject {
    /// Runs the layer on `input`; `training` selects batch statistics, dropout and so on.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Back-propagates `gradOutput` through the last `forward` call.
    func backward(_ gradOutput: Tensor) -> Tensor
    /// The trainable parameters in a fixed order, named with PyTorch's keys.
    var parameters: [NamedParameter] { get }
    /// The non-trainable state (running statistics), named with PyTorch's keys.
    var buffers: [NamedBuffer] { get }
}

extension Layer {
    /// No parameters by default.
    public var parameters: [NamedParameter] { [] }
    /// No buffers by default.
    public var buffers: [NamedBuffer] { [] }

    /// Fixes every parameter for inference: layers may then keep forms of their weights prepared once
    /// (a convolution's Winograd-transformed kernels) instead of on every call. Loading a state dict
    /// thaws them; back-propagating through a frozen layer is a programming error.
    public func freezeForInference() {
        for (_, parameter) in parameters { parameter.freeze() }
    }

    /// Sets every parameter gradient to zero.
    public func zeroGrad() {
        for (_, parameter) in parameters { parameter.grad.zero() }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.parameter.value.count } }
}

/// Prefixes the names of a child's parameters with `prefix.`.
package func prefixed(_ prefix: String, _ items: [NamedParameter]) -> [NamedParameter] {
    items.map { (name: "\(prefix).\($0.name)", parameter: $0.parameter) }
}

/// Prefixes the names of a child's buffers with `prefix.`.
package func prefixed(_ prefix: String, _ items: [NamedBuffer]) -> [NamedBuffer] {
    items.map { (name: "\(prefix).\($0.name)", tensor: $0.tensor) }
}

/// Adds the per-channel sums of `gradient` [N, C, area] into `grad` [C].
package func accumulateBiasGradient(_ gradient: Tensor, into grad: Tensor, images: Int, area: Int) {
    let channels = grad.count
    Parallel.forEach(channels, grain: 16) { range in
        for channel in range {
            var sum: Float = 0
            for image in 0..<images {
                let plane = gradient.data + (image * channels + channel) * area
                for i in 0..<area { sum += plane[i] }
            }
            grad.data[channel] += sum
        }
    }
}
