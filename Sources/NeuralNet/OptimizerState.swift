/// Saving and restoring an optimiser's internal state, so a resumed training run continues exactly.
public protocol StatefulOptimizer: Optimizer {
    /// The state tensors and counters, named so they can share a safetensors file with a model.
    var state: [NamedBuffer] { get }
    /// Restores `state` saved from an optimiser over the same parameters; `source` names the file in errors.
    func load(state: [String: Tensor], source: String) throws
}

extension StatefulOptimizer {
    /// Copies each saved tensor into its place, checking keys and shapes.
    func restore(_ targets: [NamedBuffer], from saved: [String: Tensor], source: String) throws {
        for (name, tensor) in targets {
            guard let value = saved[name] else { throw StateDictError.missingKey(key: name, source: source) }
            guard value.shape == tensor.shape else {
                throw StateDictError.shapeMismatch(key: name, expected: tensor.shape, found: value.shape, source: source)
            }
            tensor.assign(value)
        }
    }
}

extension Adam: StatefulOptimizer {
    /// First and second moments per parameter (`optimizer.m.<i>`, `optimizer.v.<i>`) and the step count.
    public var state: [NamedBuffer] {
        firstMoments.enumerated().map { (name: "optimizer.m.\($0.offset)", tensor: $0.element) }
            + secondMoments.enumerated().map { (name: "optimizer.v.\($0.offset)", tensor: $0.element) }
            + [(name: "optimizer.step", tensor: Tensor(shape: [1], values: [Float(stepCount)]))]
    }

    public func load(state saved: [String: Tensor], source: String) throws {
        let moments = state.filter { $0.name != "optimizer.step" }
        try restore(moments, from: saved, source: source)
        guard let step = saved["optimizer.step"], step.count == 1 else {
            throw StateDictError.missingKey(key: "optimizer.step", source: source)
        }
        stepCount = Int(step[0])
    }
}

extension SGD: StatefulOptimizer {
    /// The momentum buffers per parameter (`optimizer.velocity.<i>`).
    public var state: [NamedBuffer] {
        velocities.enumerated().map { (name: "optimizer.velocity.\($0.offset)", tensor: $0.element) }
    }

    public func load(state saved: [String: Tensor], source: String) throws {
        try restore(state, from: saved, source: source)
    }
}
