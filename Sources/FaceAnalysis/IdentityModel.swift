import ConvNet
import Foundation
import Imaging
import NeuralNet

/// The face-identity network: ResNet18 on the aligned grey crop (64x64 in the shipped model),
/// flattening its last map (2x2 at 64 pixels: stride 32) into a 128-number embedding.
///
/// Input [N, 1, side, side] (normalised as the keypoint models' input); output [N, 128]. Two faces of
/// one person have embeddings pointing the same way: compare them by their cosine.
public enum IdentityNetwork {
    /// Numbers in an embedding.
    public static let embeddingSize = 128

    /// The network for crops of `side` pixels, with weights drawn from `seed` (nil: zeros, for weights loaded next).
    public static func make(side: Int = IdentityAlignment.standard.side, seed: UInt64?) -> ResNet18 {
        let mapSide = (side + 31) / 32
        return ResNet18(inputChannels: 1, outputs: embeddingSize, seed: seed, head: .flatten(height: mapSide, width: mapSide),
                        outputStride: 32)
    }
}

/// Face embeddings from a trained identity model (`models/identity.safetensors`).
///
/// A model owns its network's buffers: use one per thread.
public final class IdentityModel {
    /// The `task` metadata value of identity model files.
    public static let task = "face-identity"
    /// The network.
    public let network: Layer
    /// Two faces whose embeddings' cosine reaches this are taken for one person (the model file's
    /// verification threshold).
    public let threshold: Double
    /// The file's metadata.
    public let metadata: [String: String]
    /// The crop the network reads.
    public let alignment: IdentityAlignment
    /// Also embed the mirrored crop and add the two (measured by `morph eval identity --no-flip`).
    public var flipAverage = true
    private let input = Tensor(shape: [0])

    /// A model running `network` on crops of `alignment` with a same-person `threshold`.
    public init(network: Layer, alignment: IdentityAlignment = .standard, threshold: Double, metadata: [String: String] = [:]) {
        self.network = network
        self.alignment = alignment
        self.threshold = threshold
        self.metadata = metadata
    }

    /// Loads a model written by `morph train identity`, its weights frozen for inference.
    public convenience init(contentsOf url: URL) throws {
        let contents = try SafeTensors.readModel(url, task: IdentityModel.task, kind: "a face-identity model")
        let alignment = try IdentityAlignment(metadata: contents.metadata, file: url.path)
        let network = IdentityNetwork.make(side: alignment.side, seed: nil)
        try network.load(stateDict: contents.tensors, source: url.path)
        network.freezeForInference()
        guard let threshold = contents.metadata["threshold"].flatMap(Double.init), threshold.isFinite else {
            throw LandmarksError.badModel(file: url.path, reason: "no same-person threshold in its metadata")
        }
        self.init(network: network, alignment: alignment, threshold: threshold, metadata: contents.metadata)
    }

    /// The unit-length embedding of each face (given by its 68 keypoints, photo pixels) of `photo`,
    /// in one network batch; nil for a face whose keypoints are degenerate.
    public func embeddings(_ photo: Image, faces: [[Point]]) -> [[Float]?] {
        let flips = flipAverage ? [false, true] : [false]
        let crops = faces.map { points in flips.map { alignment.crop(photo, ibug68: points, geometry: CropGeometry(flip: $0)) } }
        let usable = crops.compactMap { $0.allSatisfy { $0 != nil } ? $0.map { $0! } : nil }
        guard !usable.isEmpty else { return faces.map { _ in nil } }
        let side = alignment.side, plane = side * side
        input.resize(to: [usable.count * flips.count, 1, side, side])
        for (row, crop) in usable.joined().enumerated() { GreyInput.normalise(crop.pixels[...], into: input.data + row * plane) }
        let output = network.forward(input, training: false)  // [N * flips, 128]
        let size = IdentityNetwork.embeddingSize
        var row = 0
        return crops.map { faceCrops in
            guard faceCrops.allSatisfy({ $0 != nil }) else { return nil }
            var sum = [Float](repeating: 0, count: size)
            for _ in flips {
                for k in 0..<size { sum[k] += output.data[row * size + k] }
                row += 1
            }
            return Embedding.unit(sum)
        }
    }
}

/// Helpers on embeddings (unit-length `[Float]`).
public enum Embedding {
    /// `vector` scaled to unit length (unchanged when it is all zeros).
    public static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }

    /// The cosine of two unit-length embeddings.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "embeddings of different sizes")
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return Double(sum)
    }
}
