import Foundation
import Imaging
import NeuralNet

/// A face found in a photo: its landmark-style box (photo pixels) and a confidence in 0...1.
public struct FaceDetection: Equatable, Sendable {
    /// The box around the face's landmarks, in photo pixels.
    public var box: Box
    /// The network's confidence.
    public var score: Double

    /// A detection from its parts.
    public init(box: Box, score: Double) {
        self.box = box
        self.score = score
    }
}

/// Finds every face in a photo of any size: an image pyramid through `FaceFinderNetwork`,
/// every cell of the centre heat map above the threshold, then non-maximum suppression.
///
/// A finder owns its network's buffers: use one finder per thread.
public final class FaceFinder {
    /// The `task` metadata value of face finder files.
    public static let task = "faces"
    /// The network.
    public let network: Layer
    /// Longer side of each pyramid level in pixels (faces of about 12-100 px are found at each); a model
    /// file may name its own (`levels` metadata).
    public var levels = [384, 160, 96]
    /// Minimum confidence of a reported face.
    public var threshold = 0.35
    /// Intersection over union above which the weaker of two detections is dropped.
    public var overlap = 0.35
    /// Share of a weaker detection's area inside a stronger one above which it is dropped (an eye
    /// or a mouth found as a small "face" inside a face); 1 keeps them.
    public var containment = 1.0
    private let input = Tensor(shape: [0])

    /// A finder running `network`.
    public init(network: Layer) {
        self.network = network
    }

    /// Loads a finder written by `morph train faces`, its weights frozen for inference.
    public convenience init(contentsOf url: URL) throws {
        let contents = try SafeTensors.readModel(url, task: FaceFinder.task, kind: "a face finder")
        let widths = contents.metadata["widths"].map { $0.split(separator: ",").compactMap { Int($0) } }
            ?? FaceFinderNetwork.firstWidths
        guard widths.count == 4 else {
            throw LandmarksError.badModel(file: url.path, reason: "widths must list four channel counts")
        }
        let network = FaceFinderNetwork.make(seed: 0, widths: widths)
        try network.load(stateDict: contents.tensors, source: url.path)
        network.freezeForInference()
        self.init(network: network)
        if let threshold = contents.metadata["threshold"].flatMap(Double.init) { self.threshold = threshold }
        if let text = contents.metadata["levels"] {
            guard let levels = FaceFinder.levels(parsing: text) else {
                throw LandmarksError.badModel(file: url.path, reason: "levels must list pyramid sides of 16 to 4096 pixels, got \"\(text)\"")
            }
            self.levels = levels
        }
    }

    /// Pyramid levels from a comma-separated list ("512,256,128"), each 16 to 4096 pixels; nil when malformed.
    public static func levels(parsing text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let levels = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.count == parts.count, levels.allSatisfy({ (16...4096).contains($0) }) else { return nil }
        return levels
    }

    /// Every face in the grey `photo`, strongest first.
    public func detect(_ photo: Image) -> [FaceDetection] {
        FaceFinder.suppress(candidates(photo), overlap: overlap, containment: containment)
    }

    /// Every heat-map cell above `threshold` at every pyramid level, before suppression (photo pixels).
    public func candidates(_ photo: Image) -> [FaceDetection] {
        let grey = photo.channels == 1 ? photo : photo.converted(to: .grey)
        var found = [FaceDetection]()
        var previous = grey  // each level is shrunk from the one before: the large photo is read once
        for level in levels.sorted(by: >) {
            let factor = Double(level) / Double(max(grey.width, grey.height))
            guard factor < 1.5 else { continue }  // the photo is already small: a finer level covers it
            let width = max(1, Int((Double(grey.width) * factor).rounded()))
            let height = max(1, Int((Double(grey.height) * factor).rounded()))
            let scaled = previous.resized(width: width, height: height)
            previous = scaled
            found += detectAtScale(scaled).map {
                let s = Double(grey.width) / Double(width)
                return FaceDetection(box: Box(x: $0.box.x * s, y: $0.box.y * s, width: $0.box.width * s,
                                              height: $0.box.height * s), score: $0.score)
            }
        }
        return found
    }

    /// Detections in one pyramid level (coordinates of `image`).
    func detectAtScale(_ image: Image) -> [FaceDetection] {
        let stride = FaceFinderNetwork.stride
        let paddedWidth = (image.width + stride - 1) / stride * stride
        let paddedHeight = (image.height + stride - 1) / stride * stride
        FaceFinder.normalise(image, into: input, width: paddedWidth, height: paddedHeight)
        let output = network.forward(input, training: false)  // [1, 5, gh, gw]
        return FaceFinder.decode(output.data, gridWidth: paddedWidth / stride, gridHeight: paddedHeight / stride,
                                 threshold: threshold)
    }

    /// Writes `image` into `tensor` [1, 1, height, width], normalised, padded with mid-grey.
    static func normalise(_ image: Image, into tensor: Tensor, width: Int, height: Int) {
        tensor.resize(to: [1, 1, height, width])
        tensor.data.update(repeating: 0, count: width * height)  // 0 = mid-grey after normalisation
        for y in 0..<image.height {
            GreyInput.normalise(image.pixels[(y * image.width)..<((y + 1) * image.width)], into: tensor.data + y * width)
        }
    }

    /// Boxes of every heat-map cell above `threshold`, from one image's output planes.
    ///
    /// Every such cell is a candidate, not only the heat map's local maxima: at stride 16, two faces
    /// side by side (one half behind the other) have their centres in neighbouring cells, and a 3x3
    /// peak rule kept only the stronger. The neighbouring cells of one face give boxes that overlap,
    /// which `suppress` merges.
    static func decode(_ planes: UnsafePointer<Float>, gridWidth: Int, gridHeight: Int, threshold: Double) -> [FaceDetection] {
        let cells = gridWidth * gridHeight, stride = Double(FaceFinderNetwork.stride)
        let logitThreshold = Float(log(threshold / (1 - threshold)))
        var result = [FaceDetection]()
        for gy in 0..<gridHeight {
            for gx in 0..<gridWidth {
                let cell = gy * gridWidth + gx, logit = planes[cell]
                guard logit > logitThreshold else { continue }
                let cx = (Double(gx) + Double(planes[cells + cell])) * stride
                let cy = (Double(gy) + Double(planes[2 * cells + cell])) * stride
                let w = exp(Double(min(planes[3 * cells + cell], 6))) * stride
                let h = exp(Double(min(planes[4 * cells + cell], 6))) * stride
                result.append(FaceDetection(box: Box(x: cx - w / 2, y: cy - h / 2, width: w, height: h),
                                            score: 1 / (1 + exp(-Double(logit)))))
            }
        }
        return result
    }

    /// Non-maximum suppression: strongest first, dropping any box that overlaps a kept one by more
    /// than `overlap` IoU or lies inside one by more than `containment` of its own area.
    public static func suppress(_ detections: [FaceDetection], overlap: Double, containment: Double = 1) -> [FaceDetection] {
        var kept = [FaceDetection]()
        for candidate in detections.sorted(by: { $0.score > $1.score }) where kept.allSatisfy({
            $0.box.iou(candidate.box) <= overlap
                && (containment >= 1 || $0.box.intersection(candidate.box) <= containment * candidate.box.area)
        }) {
            kept.append(candidate)
        }
        return kept
    }
}
