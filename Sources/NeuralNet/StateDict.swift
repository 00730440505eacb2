/// A reason a state dictionary does not fit a model.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    /// The model has a tensor the source lacks.
    case missingKey(key: String, source: String)
    /// The source has a tensor the model lacks.
    case unexpectedKey(key: String, source: String)
    /// The source's tensor has another shape than the model's.
    case shapeMismatch(key: String, expected: [Int], found: [Int], source: String)

    /// A message naming the source and the key.
    public var description: String {
        switch self {
        case let .missingKey(key, source): return "\(source): missing key '\(key)'"
        case let .unexpectedKey(key, source): return "\(source): unexpected key '\(key)'"
        case let .shapeMismatch(key, expected, found, source):
            return "\(source): key '\(key)' has shape \(found), the model expects \(expected)"
        }
    }
}

extension Layer {
    /// Parameters and buffers by PyTorch key, parameters first.
    public var stateDict: [NamedBuffer] {
        parameters.map { (name: $0.name, tensor: $0.parameter.value) } + buffers
    }

    /// Copies tensors from `state` into the model's parameters and buffers.
    ///
    /// With `strict`, a key the model has but `state` lacks, or a key `state` has but the model
    /// lacks, is an error; shape mismatches always are. PyTorch's BatchNorm counter
    /// `num_batches_tracked` is accepted and ignored. The parameters are thawed (`freezeForInference`).
    /// - Parameter source: names the origin (a file path) in error messages.
    public func load(stateDict state: [String: Tensor], strict: Bool = true,
                     source: String = "state dict") throws {
        let targets = stateDict
        let known = Set(targets.map(\.name))
        if strict {
            for key in state.keys.sorted() where !known.contains(key) && !key.hasSuffix("num_batches_tracked") {
                throw StateDictError.unexpectedKey(key: key, source: source)
            }
        }
        for (name, tensor) in targets {
            guard let value = state[name] else {
                if strict { throw StateDictError.missingKey(key: name, source: source) }
                continue
            }
            guard value.shape == tensor.shape else {
                throw StateDictError.shapeMismatch(key: name, expected: tensor.shape, found: value.shape,
                                                   source: source)
            }
        }
        for (_, parameter) in parameters { parameter.thaw() }
        for (name, tensor) in targets {
            if let value = state[name] { tensor.assign(value) }
        }
    }
}
