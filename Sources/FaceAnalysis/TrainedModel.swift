import Foundation
import NeuralNet

/// A keypoint network with the specification it was trained for, as stored in `models/`.
public struct TrainedModel {
    /// How to feed the network.
    public let spec: KeypointModelSpec
    /// The network, in evaluation use.
    public let network: Layer
    /// The file's metadata (command, data, epochs, seed, validation metrics...).
    public let metadata: [String: String]

    /// Wraps a network and its specification.
    public init(spec: KeypointModelSpec, network: Layer, metadata: [String: String] = [:]) {
        self.spec = spec
        self.network = network
        self.metadata = metadata
    }

    /// Loads a model file written by `morph train` of a task `catalogue` holds (strict: every key must match),
    /// its weights frozen for inference.
    public init(contentsOf url: URL, catalogue: KeypointCatalogue = .product) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw LandmarksError.badModel(file: url.path, reason: "no such file")
        }
        let contents = try SafeTensors.read(contentsOf: url)
        let spec = try KeypointModelSpec(metadata: contents.metadata, file: url.path, catalogue: catalogue)
        let network = spec.makeNetwork(seed: nil)  // the weights are loaded next
        try network.load(stateDict: contents.tensors, source: url.path)
        network.freezeForInference()
        self.init(spec: spec, network: network, metadata: contents.metadata)
    }

    /// Saves weights (F16 by default, as shipped) with the specification and `extra` metadata.
    public func save(to url: URL, extra: [String: String], dtype: SafeTensors.DType = .f16) throws {
        try network.save(to: url, metadata: spec.metadata.merging(extra) { $1 }, dtype: dtype)
    }
}

extension SafeTensors {
    /// Reads the model file at `url`, which must exist and hold a model of `task` (`kind` names it in
    /// the error, e.g. "a face finder").
    static func readModel(_ url: URL, task: String, kind: String) throws -> Contents {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw LandmarksError.badModel(file: url.path, reason: "no such file")
        }
        let contents = try SafeTensors.read(contentsOf: url)
        guard contents.metadata["task"] == task else {
            throw LandmarksError.badModel(file: url.path, reason: "not \(kind) (task \(contents.metadata["task"] ?? "missing"))")
        }
        return contents
    }
}
