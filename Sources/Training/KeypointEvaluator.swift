import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet

/// The prediction for one example and its errors.
public struct EvaluatedFace: Sendable {
    /// Index of the example in the evaluated list.
    public var index: Int
    /// Predicted points in photo pixels, in the model's output order.
    public var predicted: [Point]
    /// Mean distance to the true points in photo pixels.
    public var pixelError: Double
    /// Mean distance divided by the inter-ocular distance of the true face.
    public var nme: Double
}

/// Summary numbers of an evaluation.
public struct EvaluationSummary: Codable, Sendable {
    /// Faces evaluated.
    public var count: Int
    /// Mean of the per-face pixel errors.
    public var meanPixelError: Double
    /// Mean of the per-face NME (fraction, not percent).
    public var meanNME: Double
    /// Mean of the per-face loss values (network units).
    public var meanLoss: Double
}

extension EvaluationSummary {
    /// Mean pixel error and NME of `predictions` (the scheme's points `targets`, one list per example)
    /// on `examples`; no loss.
    public init(predictions: [[Point]], examples: [TrainingExample], targets: [Int], scheme: LandmarkScheme) {
        var pixels = 0.0, nme = 0.0
        for (predicted, example) in zip(predictions, examples) {
            let error = LandmarkMetrics.meanPointError(predicted, targets.map { example.points[$0] })
            pixels += error
            nme += error / scheme.interocularDistance(example.points)
        }
        let n = Double(max(examples.count, 1))
        self.init(count: examples.count, meanPixelError: pixels / n, meanNME: nme / n, meanLoss: 0)
    }
}

/// Runs a keypoint network over examples in evaluation mode and measures its errors.
public struct KeypointEvaluator {
    /// How to feed the network.
    public let spec: KeypointModelSpec
    /// The network, run in evaluation mode.
    public let network: Layer
    /// Examples per network batch.
    public var batchSize = 32

    /// An evaluator running `network`, fed as `spec` says.
    public init(spec: KeypointModelSpec, network: Layer) {
        self.spec = spec
        self.network = network
    }

    /// Predictions and errors for every example, with `augmentation` applied to the crops (none for
    /// plain validation; a perturbation for robustness checks) drawn from `seed`.
    public func evaluate(_ examples: [TrainingExample], augmentation: Augmentation = .none, seed: UInt64 = 0,
                  loss: LossKind = .mse) -> (faces: [EvaluatedFace], summary: EvaluationSummary) {
        let builder = BatchBuilder(spec: spec, augmentation: augmentation)
        let input = Tensor(shape: [0]), target = Tensor(shape: [0])
        var faces = [EvaluatedFace](), lossSum = 0.0
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let indices = Array(start..<min(start + batchSize, examples.count))
            let crops = builder.fill(examples, indices: indices, seed: seed &+ UInt64(start), input: input, target: target)
            let output = network.forward(input, training: false)
            lossSum += Double(spec.loss(output, target, kind: loss).value) * Double(indices.count)
            for (row, index) in indices.enumerated() {
                let inCrop = spec.decode(output.data + row * spec.outputCount)
                let photoFromCrop = crops[row].cropFromPhoto.inverted!
                let predicted = inCrop.map { photoFromCrop.apply($0) }
                faces.append(score(predicted, example: examples[index], index: index, flipped: crops[row].flipped))
            }
        }
        let n = Double(max(faces.count, 1))
        let summary = EvaluationSummary(count: faces.count, meanPixelError: faces.map(\.pixelError).reduce(0, +) / n,
                                        meanNME: faces.map(\.nme).reduce(0, +) / n, meanLoss: lossSum / n)
        return (faces, summary)
    }

    /// Errors of `predicted` against the example's points (a mirrored crop's points are renumbered
    /// back by the scheme's flip permutation).
    func score(_ predicted: [Point], example: TrainingExample, index: Int, flipped: Bool) -> EvaluatedFace {
        var predicted = predicted
        if flipped, predicted.count == spec.scheme.pointCount {
            predicted = spec.scheme.flipPermutation.map { predicted[$0] }
        }
        let truth = spec.targetIndices.map { example.points[$0] }
        let pixelError = LandmarkMetrics.meanPointError(predicted, truth)
        let interocular = spec.scheme.interocularDistance(example.points)
        return EvaluatedFace(index: index, predicted: predicted, pixelError: pixelError,
                             nme: interocular > 0 ? pixelError / interocular : .infinity)
    }
}

/// The training loss functions on offer.
public enum LossKind: String, CaseIterable, Sendable {
    /// Mean squared error (the course's choice).
    case mse
    /// Mean absolute error.
    case l1
    /// Huber-style smooth L1.
    case smoothl1
    /// Wing loss (Feng et al. 2018), on coordinates scaled to about +-64.
    case wing

    /// The value and gradient for `prediction` against `target`.
    func evaluate(_ prediction: Tensor, _ target: Tensor) -> Loss.Result {
        switch self {
        case .mse: return Loss.mse(prediction, target)
        case .l1: return Loss.l1(prediction, target)
        case .smoothl1: return Loss.smoothL1(prediction, target, beta: 0.02)
        case .wing: return LossKind.scaledWing(prediction, target)
        }
    }

    /// Wing loss is defined in pixel-like units: evaluate it on 64x the [-1, 1] coordinates.
    private static func scaledWing(_ prediction: Tensor, _ target: Tensor) -> Loss.Result {
        let scale: Float = 64
        let p = prediction.copy(), t = target.copy()
        for i in 0..<p.count { p[i] *= scale; t[i] *= scale }
        let result = Loss.wing(p, t)
        for i in 0..<result.gradient.count { result.gradient[i] *= scale }
        return result
    }
}

extension KeypointModelSpec {
    /// The training loss `kind` of network `output` against `target` [N, 2P], with its gradient;
    /// `cellWeight` weighs the integral head's cell-score cross-entropy (see `IntegralHead.loss`).
    func loss(_ output: Tensor, _ target: Tensor, kind: LossKind, cellWeight: Float = 0) -> Loss.Result {
        integralHead?.loss(output, target, cellWeight: cellWeight, coordinateLoss: kind.evaluate) ?? kind.evaluate(output, target)
    }
}
