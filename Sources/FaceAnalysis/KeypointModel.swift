import ConvNet
import FaceData
import Foundation
import Imaging
import NeuralNet

/// Which keypoint detector a model file holds (its `task` metadata): the 68-point model that `morph`
/// runs; the course's IMM models add theirs (`CourseModels`).
public struct KeypointTask: RawRepresentable, Hashable, Sendable {
    /// The `task` metadata value.
    public var rawValue: String

    /// The task called `rawValue`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The 68 iBUG points, from a face crop (ResNet18).
    public static let landmarks = KeypointTask(rawValue: "landmarks")
}

/// Down-sampling between the convolution blocks of the small whole-photo networks (a model file's
/// `pool` metadata; ResNet18 ignores it).
public enum PoolKind: String, CaseIterable, Sendable {
    /// 2x2 max-pooling.
    case max
    /// Max over 2x2 windows at stride 1, then BlurPool (anti-aliased stride 2; Zhang 2019).
    case blur
}

/// How the ResNet18 of a face-crop model reads its last feature map.
public enum HeadKind: String, CaseIterable, Sendable {
    /// Global average pooling, as torchvision's ResNet18.
    case pool
    /// The whole feature map flattened into the last layer, which so sees where each feature is.
    case flatten
    /// Integral regression: per point, a softmax over the map's cells weights each cell's vote (its
    /// centre plus a predicted offset); see `IntegralHead`.
    case integral
}

/// What part of the photo a keypoint network sees.
public enum KeypointFraming: Sendable, Equatable {
    /// The whole photo (the course's IMM networks).
    case wholePhoto
    /// A square crop centred on the face box, `cropMargin` times the box's longer side.
    case faceBox
    /// A square crop centred on the face box (the anchor points), `cropMargin` times the photo's width.
    case photoWidth
}

/// Builds the network a keypoint specification describes.
public protocol KeypointNetworkBuilder: Sendable {
    /// A freshly initialised network for `spec` (`seed` nil: weights left for loading right after).
    func makeNetwork(for spec: KeypointModelSpec, seed: UInt64?) -> Layer
}

/// ResNet18 on the crop, with the specification's head and feature stride (the face-crop models).
public struct ResNet18Keypoints: KeypointNetworkBuilder {
    /// The builder.
    public init() {}

    /// ResNet18 with one input channel and the specification's outputs (`seed` nil: kernels left zero).
    public func makeNetwork(for spec: KeypointModelSpec, seed: UInt64?) -> Layer {
        let resnetHead: ResNetHead = switch spec.head {
        case .pool: .globalAveragePool
        case .flatten: .flatten(height: spec.featureMap.height, width: spec.featureMap.width)
        case .integral: .pointwise
        }
        return ResNet18(inputChannels: 1, outputs: spec.integralHead?.channels ?? spec.outputCount, seed: seed,
                        head: resnetHead, outputStride: spec.featureStride)
    }
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
    /// Input pixels per cell of the map the ResNet18's head reads: 32, 16 with layer4 unstrided, or 8
    /// (integral head only) with layer4's map also enlarged and merged into layer2's.
    public var featureStride = 32
    /// Crop side as a multiple of the face box's longer side, or of the photo's width (see `framing`).
    public var cropMargin: Double
    /// What part of the photo the network sees.
    public var framing: KeypointFraming
    /// The scheme's points that place a face crop when points are known or guessed (all of them, or
    /// for the nose-crop model the nose tip).
    public var anchorIndices: [Int]
    /// Builds the network.
    public var builder: any KeypointNetworkBuilder

    /// A specification from its parts; `anchorIndices` nil means all of the scheme's points.
    public init(task: KeypointTask, inputWidth: Int, inputHeight: Int, scheme: LandmarkScheme, targetIndices: [Int],
                pool: PoolKind = .max, cropMargin: Double, framing: KeypointFraming, anchorIndices: [Int]? = nil,
                builder: any KeypointNetworkBuilder) {
        self.task = task
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.scheme = scheme
        self.targetIndices = targetIndices
        self.pool = pool
        self.cropMargin = cropMargin
        self.framing = framing
        self.anchorIndices = anchorIndices ?? Array(0..<scheme.pointCount)
        self.builder = builder
    }

    /// The 68-point model's specification: a square face crop of `inputSize` pixels (128 by default)
    /// around the face box, 1.3 times its longer side, with the pooled head at stride 32; `morph train
    /// landmarks` sets `head` and `featureStride` (the shipped model: integral head, stride 8).
    public static func landmarks(inputSize: Int? = nil) -> KeypointModelSpec {
        let side = inputSize ?? 128
        return KeypointModelSpec(task: .landmarks, inputWidth: side, inputHeight: side, scheme: .ibug68,
                                 targetIndices: Array(0..<68), cropMargin: 1.3, framing: .faceBox,
                                 builder: ResNet18Keypoints())
    }

    /// Training targets: x and y per predicted point.
    public var targetCount: Int { 2 * targetIndices.count }

    /// Network outputs per example: the targets, or the integral head's maps.
    public var outputCount: Int { integralHead?.outputCount ?? targetCount }

    /// The size of ResNet18's last feature map: the input / `featureStride`, rounded up.
    public var featureMap: (width: Int, height: Int) {
        ((inputWidth + featureStride - 1) / featureStride, (inputHeight + featureStride - 1) / featureStride)
    }

    /// The integral head over ResNet18's last map, when the model has one.
    public var integralHead: IntegralHead? {
        guard head == .integral, !usesWholePhoto else { return nil }
        return IntegralHead(points: targetIndices.count, gridWidth: featureMap.width, gridHeight: featureMap.height)
    }

    /// Whether the network sees the whole photo (the course's IMM networks) rather than a face crop.
    public var usesWholePhoto: Bool { framing == .wholePhoto }

    /// A freshly initialised network for this specification (`seed` nil: a ResNet's kernels are left
    /// zero, for weights loaded right after; the small networks are cheap to draw either way).
    public func makeNetwork(seed: UInt64?) -> Layer {
        builder.makeNetwork(for: self, seed: seed)
    }

    /// The metadata that lets a saved model be rebuilt: task, input size, pool, head, feature stride,
    /// crop margin.
    public var metadata: [String: String] {
        ["task": task.rawValue, "input_width": String(inputWidth), "input_height": String(inputHeight),
         "pool": pool.rawValue, "head": head.rawValue, "feature_stride": String(featureStride),
         "crop_margin": String(cropMargin),
         "points": String(targetIndices.count)]
    }

    /// The specification recorded in a model file's metadata, for a task `catalogue` holds.
    public init(metadata: [String: String], file: String, catalogue: KeypointCatalogue = .product) throws {
        guard let task = metadata["task"].map(KeypointTask.init(rawValue:)),
              let width = metadata["input_width"].flatMap(Int.init), let height = metadata["input_height"].flatMap(Int.init)
        else { throw LandmarksError.badModel(file: file, reason: "metadata lacks task/input_width/input_height") }
        guard var spec = catalogue.standard(task, pool: metadata["pool"].flatMap(PoolKind.init(rawValue:)) ?? .max,
                                            inputSize: width) else {
            throw LandmarksError.badModel(file: file, reason: "task \(task.rawValue) is not one of \(catalogue.taskNames)")
        }
        spec.inputWidth = width
        spec.inputHeight = height
        spec.cropMargin = metadata["crop_margin"].flatMap(Double.init) ?? spec.cropMargin
        spec.head = metadata["head"].flatMap(HeadKind.init(rawValue:)) ?? .pool
        spec.featureStride = metadata["feature_stride"].flatMap(Int.init) ?? 32
        guard ResNet18.outputStrides.contains(spec.featureStride) else {
            throw LandmarksError.badModel(file: file, reason: "feature_stride \(spec.featureStride) is not \(ResNet18.outputStridesText)")
        }
        guard spec.featureStride != 8 || spec.head == .integral else {
            throw LandmarksError.badModel(file: file, reason: "feature_stride 8 needs the integral head, not \(spec.head.rawValue)")
        }
        self = spec
    }

    /// The crop centre and side (photo pixels) the network sees for a photo and (for face crops) a face box.
    public func cropRegion(photoWidth: Int, photoHeight: Int, faceBox: Box?) -> (center: Point, side: Double) {
        switch (framing, faceBox) {
        case (.faceBox, let box?): return (box.center, max(box.width, box.height) * cropMargin)
        case (.photoWidth, let box?): return (box.center, cropMargin * Double(photoWidth))
        default: return (Point(x: Double(photoWidth - 1) / 2, y: Double(photoHeight - 1) / 2), Double(photoWidth))
        }
    }

    /// The crop region for a face whose points are known or guessed (all of the scheme's, or only the
    /// `anchorIndices`): around the anchors' box, which for the nose-crop model is the nose tip alone.
    public func cropRegion(photoWidth: Int, photoHeight: Int, around points: [Point]) -> (center: Point, side: Double) {
        let anchor = points.count == scheme.pointCount ? anchorIndices.map { points[$0] } : points
        return cropRegion(photoWidth: photoWidth, photoHeight: photoHeight, faceBox: Box(enclosing: anchor))
    }

    /// Network targets for crop points: x and y mapped from crop pixels to [-1, 1].
    public func encode(_ points: [Point], into target: UnsafeMutablePointer<Float>) {
        let halfW = Double(inputWidth) / 2, halfH = Double(inputHeight) / 2
        for (k, index) in targetIndices.enumerated() {
            target[2 * k] = Float((points[index].x - (halfW - 0.5)) / halfW)
            target[2 * k + 1] = Float((points[index].y - (halfH - 0.5)) / halfH)
        }
    }

    /// Crop pixel points from one example's network outputs.
    public func decode(_ output: UnsafePointer<Float>) -> [Point] {
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

/// The keypoint tasks a model file may name, each with its default specification.
public struct KeypointCatalogue: Sendable {
    /// The default specification of each task for an input width (nil: the task's own).
    public var standards: [KeypointTask: @Sendable (_ inputSize: Int?) -> KeypointModelSpec]

    /// A catalogue of `standards`.
    public init(_ standards: [KeypointTask: @Sendable (_ inputSize: Int?) -> KeypointModelSpec]) {
        self.standards = standards
    }

    /// The tasks `morph` runs: the 68-point model.
    public static let product = KeypointCatalogue([.landmarks: { .landmarks(inputSize: $0) }])

    /// This catalogue's tasks and `other`'s.
    public func adding(_ other: KeypointCatalogue) -> KeypointCatalogue {
        KeypointCatalogue(standards.merging(other.standards) { $1 })
    }

    /// The default specification of `task` with `pool` and `inputSize`, or nil when the catalogue does not hold it.
    public func standard(_ task: KeypointTask, pool: PoolKind = .max, inputSize: Int? = nil) -> KeypointModelSpec? {
        guard var spec = standards[task]?(inputSize) else { return nil }
        spec.pool = pool
        return spec
    }

    /// The task names, sorted and joined for messages.
    var taskNames: String { standards.keys.map(\.rawValue).sorted().joined(separator: ", ") }
}

/// Why a model file could not be used.
public enum LandmarksError: Error, CustomStringConvertible, Equatable {
    /// A model file is missing, unreadable or not the model asked for.
    case badModel(file: String, reason: String)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case let .badModel(file, reason): return "\(file): not a usable model (\(reason))"
        }
    }
}
