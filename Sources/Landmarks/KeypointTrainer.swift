import FaceData
import Foundation
import Imaging
import NeuralNet

/// Trains a keypoint network: batches, optimiser steps, validation and a checkpoint every epoch.
public final class KeypointTrainer {
    /// What is being trained.
    public let spec: KeypointModelSpec
    /// The recipe.
    public let options: TrainingOptions
    /// The network (its weights change as training goes).
    public let network: Layer
    private let optimizer: Adam
    private let train: [TrainingExample]
    private let validation: [TrainingExample]
    private let run: TrainingRun
    /// Epochs completed so far, with their numbers.
    public private(set) var history: [EpochRecord] = []

    /// A trainer for `spec` with `options` writing into `run`.
    public init(spec: KeypointModelSpec, options: TrainingOptions, train: [TrainingExample],
                validation: [TrainingExample], run: TrainingRun) throws {
        guard train.count >= 2 else {
            throw LandmarksError.emptyDataset(folder: run.folder.path, reason: "fewer than 2 training examples")
        }
        self.spec = spec
        self.options = options
        self.train = train
        self.validation = validation
        self.run = run
        network = spec.makeNetwork(seed: options.seed)
        optimizer = Adam(parameters: network.parameters.map(\.parameter), learningRate: options.learningRate,
                         weightDecay: options.weightDecay, decoupledWeightDecay: options.decoupledWeightDecay)
    }

    private var stepsPerEpoch: Int { max(1, train.count / options.batchSize) }

    /// Runs the remaining epochs (all of them, or those after the run folder's checkpoint when
    /// `resume`), reporting to `progress`. Returns the full history.
    @discardableResult
    public func fit(resume: Bool, progress: ProgressReporter) throws -> [EpochRecord] {
        if resume, FileManager.default.fileExists(atPath: run.checkpointURL.path) {
            history = try run.restoreCheckpoint(network: network, optimizer: optimizer, spec: spec)
            progress.log("resumed \(run.checkpointURL.path) after epoch \(history.count)")
        }
        let builder = BatchBuilder(spec: spec, augmentation: options.augmentation)
        let evaluator = KeypointEvaluator(spec: spec, network: network)
        let input = Tensor(shape: [0]), target = Tensor(shape: [0])
        progress.log("training \(spec.task.rawValue): \(train.count) train / \(validation.count) validation, "
                     + "\(network.parameterCount) parameters, input \(spec.inputWidth)x\(spec.inputHeight)")
        for epoch in stride(from: history.count + 1, through: options.epochs, by: 1) {
            let started = Date()
            var order = Array(train.indices)
            var shuffler = SplitMix64(seed: options.seed &+ UInt64(epoch) &* 0xA24B_AED4_963E_E407)
            order.shuffle(using: &shuffler)
            var lossSum = 0.0
            for batch in 0..<stepsPerEpoch {
                let indices = Array(order[(batch * options.batchSize)..<min((batch + 1) * options.batchSize, order.count)])
                let step = (epoch - 1) * stepsPerEpoch + batch
                _ = builder.fill(train, indices: indices, seed: shuffler.next(), input: input, target: target)
                let output = network.forward(input, training: true)
                let loss = options.loss.evaluate(output, target)
                network.zeroGrad()
                _ = network.backward(loss.gradient)
                optimizer.learningRate = options.learningRate(step: step, stepsPerEpoch: stepsPerEpoch)
                optimizer.step()
                lossSum += Double(loss.value)
                progress.update("epoch \(epoch)/\(options.epochs)", done: batch + 1, total: stepsPerEpoch,
                                detail: String(format: "loss %.5f", lossSum / Double(batch + 1)), stepStart: started)
            }
            let checked = evaluator.evaluate(validation, loss: options.loss).summary
            let record = EpochRecord(epoch: epoch, trainLoss: lossSum / Double(stepsPerEpoch),
                                     validationLoss: checked.meanLoss, validationNME: checked.meanNME,
                                     validationPixelError: checked.meanPixelError,
                                     learningRate: Double(optimizer.learningRate),
                                     seconds: Date().timeIntervalSince(started))
            history.append(record)
            try run.saveCheckpoint(network: network, optimizer: optimizer, spec: spec, history: history)
            try run.writeCurves(history)
            progress.log(String(format: "epoch %d/%d  train loss %.5f  val loss %.5f  val NME %.2f%%  val error %.2f px  %.0f s",
                                epoch, options.epochs, record.trainLoss, record.validationLoss,
                                100 * record.validationNME, record.validationPixelError, record.seconds))
        }
        return history
    }

    /// Evaluates the trained network on `examples` (optionally perturbed).
    public func evaluate(_ examples: [TrainingExample], augmentation: Augmentation = .none,
                         seed: UInt64 = 7) -> (faces: [EvaluatedFace], summary: EvaluationSummary) {
        KeypointEvaluator(spec: spec, network: network).evaluate(examples, augmentation: augmentation, seed: seed,
                                                                 loss: options.loss)
    }
}
