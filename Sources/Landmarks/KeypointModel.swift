import FaceData
import Foundation
import Imaging
import NeuralNet

/// Which keypoint detector: the course's two IMM networks, their crop-based second stages, or the
/// 68-point ResNet18.
public enum KeypointTask: String, CaseIterable, Sendable {
    /// Nose tip only (IMM point 52), from the whole photo at 80x60.
    case nose
    /// All 58 IMM points, from the whole photo at 320x240.
    case imm
    /// Second stage of the nose: the nose tip again, from a ResNet18 crop centred on the first guess.
    case noseCrop = "nose-crop"
    /// Second stage of IMM-58: the 58 points again, from a ResNet18 crop around the first prediction.
    case immCrop = "imm-crop"
    /// The 68 iBUG points, from a face crop (ResNet18).
    case landmarks
}

/// Down-sampling between convolution blocks of the small IMM networks.
public enum PoolKind: String, CaseIterable, Sendable {
    /// 2x2 max-pooling.
    case max
    /// Max over 2x2 windows at stride 1, then BlurPool (anti-aliased stride 2; Zhang 2019).
    case blur
}

/// How the 68-point ResNet18 reads its last feature map.
public enum HeadKind: String, CaseIterable, Sendable {
    /// Global average pooling, as torchvision's ResNet18.
    case pool
    /// The whole feature map flattened into the last layer, which so sees where each feature is.
    case flatten
    /// Integral regression: per point, a softmax over the map's cells weights each cell's vote (its
    /// centre plus a predicted offset); see `IntegralHead`.
    case integral
}

/// Everything needed to build a keypoint network and to feed it: input size, points, crop rule.
public struct KeypointModelSpec: Sendable {
    /// The detector.
    public var task: KeypointTask
    /// Network input width in pixels.
    public var inputWidth: Int
    /// Network input height in pixels.
    public var inputHeight: Int
    /// The annotation scheme of the training data.
    public var scheme: LandmarkScheme
    /// Indices of the scheme's points the network predicts, in output order.
    public var targetIndices: [Int]
    /// Pooling of the small networks (ResNet18 ignores it).
    public var pool: PoolKind
    /// The head of the ResNet18 (the small networks ignore it).
    public var head: HeadKind = .pool
    /// Input pixels per cell of the ResNet18's last feature map: 32, or 16 with layer4 unstrided.
    public var featureStride = 32
    /// Crop side as a multiple of the landmark box's longer side (face-crop models), or, for the
    /// nose-crop model, as a fraction of the photo's width.
    public var cropMargin: Double

    /// The default specification of `task`; `inputSize` is the input width (the IMM tasks keep the
    /// photos' 4:3 shape), by default 160 for the nose (the course used 80; 160 measured better),
    /// 320 for IMM-58 and 128 for the square face crops.
    public static func standard(_ task: KeypointTask, pool: PoolKind = .max, inputSize: Int? = nil) -> KeypointModelSpec {
        switch task {
        case .nose:
            let width = inputSize ?? 160
            return KeypointModelSpec(task: task, inputWidth: width, inputHeight: width * 3 / 4, scheme: .imm58,
                                     targetIndices: [LandmarkScheme.imm58.noseTip], pool: pool, cropMargin: 1)
        case .imm:
            let width = inputSize ?? 320
            return KeypointModelSpec(task: task, inputWidth: width, inputHeight: width * 3 / 4, scheme: .imm58,
                                     targetIndices: Array(0..<58), pool: pool, cropMargin: 1)
        case .noseCrop:
            // IMM faces are of one size: a window of 0.4 photo widths around the nose holds the face's middle.
            let side = inputSize ?? 128
            return KeypointModelSpec(task: task, inputWidth: side, inputHeight: side, scheme: .imm58,
                                     targetIndices: [LandmarkScheme.imm58.noseTip], pool: pool, cropMargin: 0.4)
        case .immCrop:
            let side = inputSize ?? 128
            return KeypointModelSpec(task: task, inputWidth: side, inputHeight: side, scheme: .imm58,
                                     targetIndices: Array(0..<58), pool: pool, cropMargin: 1.3)
        case .landmarks:
            let side = inputSize ?? 128
            return KeypointModelSpec(task: task, inputWidth: side, inputHeight: side, scheme: .ibug68,
                                     targetIndices: Array(0..<68), pool: pool, cropMargin: 1.3)
        }
    }

    /// Training targets: x and y per predicted point.
    public var targetCount: Int { 2 * targetIndices.count }

    /// Network outputs per example: the targets, or the integral head's maps.
    public var outputCount: Int { integralHead?.outputCount ?? targetCount }

    /// The size of ResNet18's last feature map: the input / `featureStride`, rounded up.
    var featureMap: (width: Int, height: Int) {
        ((inputWidth + featureStride - 1) / featureStride, (inputHeight + featureStride - 1) / featureStride)
    }

    /// The integral head over ResNet18's last map, when the model has one.
    var integralHead: IntegralHead? {
        guard head == .integral, !usesWholePhoto else { return nil }
        return IntegralHead(points: targetIndices.count, gridWidth: featureMap.width, gridHeight: featureMap.height)
    }

    /// Whether the network sees the whole photo (the course's IMM networks) rather than a face crop.
    public var usesWholePhoto: Bool { task == .nose || task == .imm }

    /// A freshly initialised network for this specification (`seed` nil: a ResNet's kernels are left
    /// zero, for weights loaded right after; the small networks are cheap to draw either way).
    public func makeNetwork(seed: UInt64?) -> Layer {
        switch task {
        case .nose: return smallCNN(channels: Array([12, 24, 32, 32, 32, 32].prefix(blockCount)), seed: seed ?? 0)
        case .imm: return smallCNN(channels: Array([18, 24, 30, 30, 25, 25].prefix(blockCount)), seed: seed ?? 0)
        case .landmarks, .noseCrop, .immCrop:
            let resnetHead: ResNetHead = switch head {
            case .pool: .globalAveragePool
            case .flatten: .flatten(height: featureMap.height, width: featureMap.width)
            case .integral: .pointwise
            }
            return ResNet18(inputChannels: 1, outputs: integralHead?.channels ?? outputCount, seed: seed,
                            head: resnetHead, outputStride: featureStride)
        }
    }

    /// Conv blocks of the small networks: enough halvings to bring the input width to about 10
    /// (3 at the nose's 80 pixels, 5 at IMM's 320, as in the course).
    var blockCount: Int { min(6, max(1, Int((log2(Double(inputWidth) / 10)).rounded()))) }

    /// Blocks of 3x3 conv + ReLU + pool, then Linear(hidden 128) + ReLU + Linear(outputs).
    func smallCNN(channels: [Int], seed: UInt64) -> Layer {
        var generator = SplitMix64(seed: seed)
        var layers = [Layer](), input = 1, height = inputHeight, width = inputWidth
        for output in channels {
            layers.append(Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1,
                                 generator: &generator))
            layers.append(ReLU())
            switch pool {
            case .max: layers.append(MaxPool2d(kernelSize: 2))
            case .blur: layers += [MaxPool2d(kernelSize: 2, stride: 1), BlurPool2d(stride: 2)]
            }
            input = output
            height /= 2
            width /= 2
        }
        layers += [Flatten(), Linear(inputFeatures: input * height * width, outputFeatures: 128, generator: &generator),
                   ReLU(), Linear(inputFeatures: 128, outputFeatures: outputCount, generator: &generator)]
        return Sequential(layers)
    }

    /// The metadata that lets a saved model be rebuilt: task, input size, pool, head, feature stride,
    /// crop margin.
    public var metadata: [String: String] {
        ["task": task.rawValue, "input_width": String(inputWidth), "input_height": String(inputHeight),
         "pool": pool.rawValue, "head": head.rawValue, "feature_stride": String(featureStride),
         "crop_margin": String(cropMargin),
         "points": String(targetIndices.count)]
    }

    /// The specification recorded in a model file's metadata.
    public init(metadata: [String: String], file: String) throws {
        guard let task = metadata["task"].flatMap(KeypointTask.init(rawValue:)),
              let width = metadata["input_width"].flatMap(Int.init), let height = metadata["input_height"].flatMap(Int.init)
        else { throw LandmarksError.badModel(file: file, reason: "metadata lacks task/input_width/input_height") }
        var spec = KeypointModelSpec.standard(task, pool: metadata["pool"].flatMap(PoolKind.init(rawValue:)) ?? .max,
                                              inputSize: width)
        spec.inputWidth = width
        spec.inputHeight = height
        spec.cropMargin = metadata["crop_margin"].flatMap(Double.init) ?? spec.cropMargin
        spec.head = metadata["head"].flatMap(HeadKind.init(rawValue:)) ?? .pool
        spec.featureStride = metadata["feature_stride"].flatMap(Int.init) ?? 32
        guard ResNet18.outputStrides.contains(spec.featureStride) else {
            throw LandmarksError.badModel(file: file, reason: "feature_stride \(spec.featureStride) is not \(ResNet18.outputStridesText)")
        }
        self = spec
    }

    init(task: KeypointTask, inputWidth: Int, inputHeight: Int, scheme: LandmarkScheme, targetIndices: [Int],
         pool: PoolKind, cropMargin: Double) {
        self.task = task
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.scheme = scheme
        self.targetIndices = targetIndices
        self.pool = pool
        self.cropMargin = cropMargin
    }

    /// The crop centre and side (photo pixels) the network sees for a photo and (for face crops) a face box.
    public func cropRegion(photoWidth: Int, photoHeight: Int, faceBox: Box?) -> (center: Point, side: Double) {
        if usesWholePhoto || faceBox == nil {
            return (Point(x: Double(photoWidth - 1) / 2, y: Double(photoHeight - 1) / 2), Double(photoWidth))
        }
        let box = faceBox!
        if task == .noseCrop { return (box.center, cropMargin * Double(photoWidth)) }
        return (box.center, max(box.width, box.height) * cropMargin)
    }

    /// The scheme's points that place a face crop: the nose tip for the nose-crop model, else all.
    public var anchorIndices: [Int] { task == .noseCrop ? [scheme.noseTip] : Array(0..<scheme.pointCount) }

    /// The crop region for a face whose points are known or guessed (all of the scheme's, or only the
    /// `anchorIndices`): around the anchors' box, which for the nose-crop model is the nose tip alone.
    public func cropRegion(photoWidth: Int, photoHeight: Int, around points: [Point]) -> (center: Point, side: Double) {
        let anchor = points.count == scheme.pointCount ? anchorIndices.map { points[$0] } : points
        return cropRegion(photoWidth: photoWidth, photoHeight: photoHeight, faceBox: Box(enclosing: anchor))
    }

    /// Network targets for crop points: x and y mapped from crop pixels to [-1, 1].
    func encode(_ points: [Point], into target: UnsafeMutablePointer<Float>) {
        let halfW = Double(inputWidth) / 2, halfH = Double(inputHeight) / 2
        for (k, index) in targetIndices.enumerated() {
            target[2 * k] = Float((points[index].x - (halfW - 0.5)) / halfW)
            target[2 * k + 1] = Float((points[index].y - (halfH - 0.5)) / halfH)
        }
    }

    /// Crop pixel points from one example's network outputs.
    func decode(_ output: UnsafePointer<Float>) -> [Point] {
        guard let integralHead else { return points(fromTargets: output) }
        var coordinates = [Float](repeating: 0, count: targetCount)
        coordinates.withUnsafeMutableBufferPointer { integralHead.coordinates(output, into: $0.baseAddress!) }
        return coordinates.withUnsafeBufferPointer { points(fromTargets: $0.baseAddress!) }
    }

    /// Crop pixel points from x, y pairs in [-1, 1] units (the inverse of `encode`).
    private func points(fromTargets coordinates: UnsafePointer<Float>) -> [Point] {
        let halfW = Double(inputWidth) / 2, halfH = Double(inputHeight) / 2
        return (0..<targetIndices.count).map {
            Point(x: Double(coordinates[2 * $0]) * halfW + halfW - 0.5,
                  y: Double(coordinates[2 * $0 + 1]) * halfH + halfH - 0.5)
        }
    }
}

/// Why a model file could not be used.
public enum LandmarksError: Error, CustomStringConvertible, Equatable {
    /// A model file is missing, unreadable or not the model asked for.
    case badModel(file: String, reason: String)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case let .badModel(file, reason): return "\(file): not a usable keypoint model (\(reason))"
        }
    }
}
