import Foundation
import Imaging
import NeuralNet

/// Checks the face finder's boxes with a small classifier before the 68-point model runs on them:
/// most of the finder's boxes are not faces, and each costs three keypoint passes.
///
/// A verifier owns its network's buffers: use one per thread.
public final class FaceVerifier {
    /// The `task` metadata value of verifier files.
    public static let task = "face-verifier"
    /// The network (`FaceVerifierNetwork`).
    public let network: Layer
    private let input = Tensor(shape: [0])
    /// Boxes scoring below this are dropped.
    public var threshold = 0.5

    /// A verifier running `network`.
    public init(network: Layer) {
        self.network = network
    }

    /// Loads a verifier written by `morph train verifier` (its threshold from the file's metadata), frozen for inference.
    public convenience init(contentsOf url: URL) throws {
        let contents = try SafeTensors.readModel(url, task: FaceVerifier.task, kind: "a face verifier")
        let network = FaceVerifierNetwork.make(seed: 0)
        try network.load(stateDict: contents.tensors, source: url.path)
        network.freezeForInference()
        self.init(network: network)
        if let threshold = contents.metadata["threshold"].flatMap(Double.init) { self.threshold = threshold }
    }

    /// The probability that each box of the grey `photo` holds a whole face (one network batch).
    public func scores(_ photo: Image, boxes: [Box]) -> [Double] {
        guard !boxes.isEmpty else { return [] }
        let side = FaceVerifierNetwork.inputSide
        input.resize(to: [boxes.count, 1, side, side])
        for (row, box) in boxes.enumerated() { FaceVerifierNetwork.fill(photo, box: box, into: input.data + row * side * side) }
        let logits = network.forward(input, training: false)  // [N, 1]
        return (0..<boxes.count).map { 1 / (1 + exp(-Double(logits.data[$0]))) }
    }

    /// The detections whose boxes score at least `threshold`.
    public func kept(_ detections: [FaceDetection], in photo: Image) -> [FaceDetection] {
        zip(detections, scores(photo, boxes: detections.map(\.box))).filter { $0.1 >= threshold }.map(\.0)
    }
}
