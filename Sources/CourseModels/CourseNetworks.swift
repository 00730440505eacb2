import ConvNet
import FaceAnalysis
import FaceData
import Foundation
import NeuralNet
import Training

extension KeypointTask {
    /// Nose tip only (IMM point 52), from the whole photo.
    public static let nose = KeypointTask(rawValue: "nose")
    /// All 58 IMM points, from the whole photo.
    public static let imm = KeypointTask(rawValue: "imm")
    /// Second stage of the nose: the nose tip again, from a ResNet18 crop centred on the first guess.
    public static let noseCrop = KeypointTask(rawValue: "nose-crop")
    /// Second stage of IMM-58: the 58 points again, from a ResNet18 crop around the first prediction.
    public static let immCrop = KeypointTask(rawValue: "imm-crop")
}

extension KeypointCatalogue {
    /// The course's four IMM tasks and the product's.
    public static let course = KeypointCatalogue.product.adding(KeypointCatalogue([
        .nose: { .nose(inputSize: $0) }, .imm: { .imm(inputSize: $0) },
        .noseCrop: { .noseCrop(inputSize: $0) }, .immCrop: { .immCrop(inputSize: $0) },
    ]))
}

extension KeypointModelSpec {
    /// The default specification of a course task or the 68-point one, with `pool` (the small networks'
    /// down-sampling) and `inputSize` (the input width; nil: the task's own).
    public static func standard(_ task: KeypointTask, pool: PoolKind = .max, inputSize: Int? = nil) -> KeypointModelSpec {
        guard let spec = KeypointCatalogue.course.standard(task, pool: pool, inputSize: inputSize) else {
            preconditionFailure("no keypoint task \(task.rawValue)")
        }
        return spec
    }

    /// The nose tip from the whole photo, `inputSize` wide (160 by default: the course used 80, 160
    /// measured better) in the photos' 4:3 shape.
    public static func nose(inputSize: Int? = nil) -> KeypointModelSpec {
        let width = inputSize ?? 160
        return KeypointModelSpec(task: .nose, inputWidth: width, inputHeight: width * 3 / 4, scheme: .imm58,
                                 targetIndices: [LandmarkScheme.imm58.noseTip], cropMargin: 1, framing: .wholePhoto,
                                 builder: ConvBlockKeypoints(channels: [12, 24, 32, 32, 32, 32]))
    }

    /// The 58 IMM points from the whole photo, `inputSize` wide (320 by default) in the photos' 4:3 shape.
    public static func imm(inputSize: Int? = nil) -> KeypointModelSpec {
        let width = inputSize ?? 320
        return KeypointModelSpec(task: .imm, inputWidth: width, inputHeight: width * 3 / 4, scheme: .imm58,
                                 targetIndices: Array(0..<58), cropMargin: 1, framing: .wholePhoto,
                                 builder: ConvBlockKeypoints(channels: [18, 24, 30, 30, 25, 25]))
    }

    /// The nose tip again from a square crop (128 pixels by default) centred on the first guess: IMM
    /// faces are of one size, and a window of 0.4 photo widths around the nose holds the face's middle.
    public static func noseCrop(inputSize: Int? = nil) -> KeypointModelSpec {
        let side = inputSize ?? 128
        return KeypointModelSpec(task: .noseCrop, inputWidth: side, inputHeight: side, scheme: .imm58,
                                 targetIndices: [LandmarkScheme.imm58.noseTip], cropMargin: 0.4, framing: .photoWidth,
                                 anchorIndices: [LandmarkScheme.imm58.noseTip], builder: ResNet18Keypoints())
    }

    /// The 58 points again from a square crop (128 pixels by default) around the first prediction,
    /// 1.3 times its box's longer side.
    public static func immCrop(inputSize: Int? = nil) -> KeypointModelSpec {
        let side = inputSize ?? 128
        return KeypointModelSpec(task: .immCrop, inputWidth: side, inputHeight: side, scheme: .imm58,
                                 targetIndices: Array(0..<58), cropMargin: 1.3, framing: .faceBox,
                                 builder: ResNet18Keypoints())
    }
}

/// The course's whole-photo networks: blocks of 3x3 conv + ReLU + pool (the specification's `pool`),
/// then Linear(hidden 128) + ReLU + Linear(outputs).
struct ConvBlockKeypoints: KeypointNetworkBuilder {
    /// Channels of the blocks; the first `blockCount` are used.
    let channels: [Int]

    /// Conv blocks for an input `inputWidth` wide: enough halvings to bring it to about 10 (3 at the
    /// nose's 80 pixels, 5 at IMM's 320, as in the course).
    static func blockCount(inputWidth: Int) -> Int { min(6, max(1, Int((log2(Double(inputWidth) / 10)).rounded()))) }

    /// The network, its weights drawn from `seed` (0 when nil: small networks are cheap to draw either way).
    func makeNetwork(for spec: KeypointModelSpec, seed: UInt64?) -> Layer {
        var generator = SplitMix64(seed: seed ?? 0)
        var layers = [Layer](), input = 1, height = spec.inputHeight, width = spec.inputWidth
        for output in channels.prefix(ConvBlockKeypoints.blockCount(inputWidth: spec.inputWidth)) {
            layers.append(Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1,
                                 generator: &generator))
            layers.append(ReLU())
            switch spec.pool {
            case .max: layers.append(MaxPool2d(kernelSize: 2))
            case .blur: layers += [MaxPool2d(kernelSize: 2, stride: 1), BlurPool2d(stride: 2)]
            }
            input = output
            height /= 2
            width /= 2
        }
        layers += [Flatten(), Linear(inputFeatures: input * height * width, outputFeatures: 128, generator: &generator),
                   ReLU(), Linear(inputFeatures: 128, outputFeatures: spec.outputCount, generator: &generator)]
        return Sequential(layers)
    }
}

/// One of the course's two IMM networks with its second stage: tasks, model file names, recipes.
public enum CourseModel: CaseIterable, Sendable {
    /// The nose tip.
    case nose
    /// The 58 IMM points.
    case points58

    /// The whole-photo network's task (`nose` or `imm`), also its evaluation command's name.
    public var task: KeypointTask { self == .nose ? .nose : .imm }
    /// The second stage's task.
    public var secondStage: KeypointTask { self == .nose ? .noseCrop : .immCrop }
    /// The whole-photo network's file name in models/ (without `.safetensors`).
    public var modelName: String { self == .nose ? "nose" : "imm58" }
    /// The second stage's file name in models/ (without `.safetensors`).
    public var secondStageModelName: String { modelName + "-crop" }
    /// One line about the second stage.
    public var secondStageSummary: String {
        self == .nose
            ? "Second stage of the nose tip on IMM: ResNet18 (integral head) on a 128x128 window of 0.4 photo widths around the first guess."
            : "Second stage of the 58 IMM points: ResNet18 (integral head) on a 128x128 face crop around the first prediction."
    }
}

/// The training recipes of the course's models (each option can still be overridden on the command line).
extension TrainingOptions {
    /// The recipe of a course task.
    public static func courseRecipe(_ task: KeypointTask) -> TrainingOptions {
        switch task {
        case .nose, .imm:
            // The course's nets and losses; small batches, a cosine schedule and the augmentation measured
            // better. For IMM-58 the course's Adam 1.5e-4 for 50 epochs was still far from converged (32% NME
            // at epoch 12); 1e-3 with a cosine decay over 80 epochs trains in the same few minutes.
            return TrainingOptions(epochs: 80, batchSize: 16, learningRate: 1e-3, cosineWarmupEpochs: 0,
                                   augmentation: Augmentation(scale: 0.1, shift: 0.1, rotationDegrees: 12, flip: true,
                                                              brightness: 0.15, contrast: 0.2))
        case .noseCrop, .immCrop:
            // Second stages, meant to start from the 68-point model (--init): its face features carry over,
            // so a low rate; the first stage's misses (about 10% of the face) are covered by the shifts.
            return TrainingOptions(epochs: 80, batchSize: 16, learningRate: 3e-4, weightDecay: 1e-4, adamW: true,
                                   cosineWarmupEpochs: 1, loss: .l1,
                                   augmentation: Augmentation(scale: 0.15, shift: 0.15, rotationDegrees: 20, flip: true,
                                                              brightness: 0.2, contrast: 0.3, blurProbability: 0.2))
        default:
            preconditionFailure("\(task.rawValue) is not a course task")
        }
    }
}
