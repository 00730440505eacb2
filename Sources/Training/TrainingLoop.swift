import ConvNet
import Foundation
import NeuralNet
import Plumbing

/// What the training loop needs from a detector being trained.
public protocol TrainingTask {
    /// The network being trained.
    var network: Layer { get }
    /// Training examples per epoch.
    var trainCount: Int { get }
    /// The name of the validation figure, e.g. "NME" (a fraction; lower is better).
    var metricName: String { get }
    /// Fills `input` and `target` from training examples `indices`, random draws from `seed`.
    func fillTrainingBatch(_ indices: [Int], seed: UInt64, input: Tensor, target: Tensor)
    /// The loss of `output` against `target`, with its gradient.
    func loss(_ output: Tensor, _ target: Tensor) -> Loss.Result
    /// Validation loss, metric and mean pixel error (nil for classifiers) after an epoch.
    func validate() -> (loss: Double, metric: Double, pixelError: Double?)
}

/// Epochs of shuffled batches, optimiser steps, validation and an atomic checkpoint after each epoch;
/// a resumed run continues exactly (data order, augmentation draws, optimiser state, schedule).
public final class TrainingLoop {
    let task: TrainingTask
    let options: TrainingOptions
    let run: TrainingRun
    let identity: [String: String]
    private let optimizer: Adam

    /// A loop training `task` with `options`; `identity` is metadata a checkpoint must match to resume.
    public init(task: TrainingTask, options: TrainingOptions, run: TrainingRun, identity: [String: String]) {
        self.task = task
        self.options = options
        self.run = run
        self.identity = identity
        optimizer = Adam(parameters: task.network.parameters.map(\.parameter), learningRate: options.learningRate,
                         weightDecay: options.weightDecay, decoupledWeightDecay: options.decoupledWeightDecay)
    }

    private var stepsPerEpoch: Int { max(1, task.trainCount / options.batchSize) }

    /// Runs the remaining epochs and returns the whole history.
    ///
    /// With `resume`, training continues from the run folder's checkpoint (an error when there is
    /// none: a typo in the run folder must not silently start over); otherwise it starts from
    /// `initialWeights` (a model file with the same layers; only the output layer may differ in
    /// size, and then keeps its random start) when given, else from the seed. A loss that becomes
    /// NaN or infinite stops training with `TrainingError.diverged`.
    @discardableResult
    public func fit(resume: Bool, initialWeights: URL? = nil, progress: ProgressReporter) throws -> [EpochRecord] {
        var history = [EpochRecord]()
        if resume {
            guard FileManager.default.fileExists(atPath: run.checkpointURL.path) else {
                throw TrainingError.badCheckpoint(file: run.checkpointURL.path, reason: "there is none: nothing to resume (leave out --resume to start over)")
            }
            history = try run.restoreCheckpoint(network: task.network, optimizer: optimizer, identity: identity)
            progress.log("resumed \(run.checkpointURL.path) after epoch \(history.count)")
        } else if let initialWeights {
            let fresh = try task.network.load(initialWeights: initialWeights)
            progress.log("starting from the weights of \(initialWeights.path)"
                         + (fresh.isEmpty ? "" : " (\(fresh.joined(separator: ", ")): not in that file or of another size, left at their start)"))
        }
        let network = task.network
        let input = Tensor(shape: [0]), target = Tensor(shape: [0])
        for epoch in stride(from: history.count + 1, through: options.epochs, by: 1) {
            let started = Date()
            var order = Array(0..<task.trainCount)
            var shuffler = SplitMix64(seed: options.seed &+ UInt64(epoch) &* 0xA24B_AED4_963E_E407)
            order.shuffle(using: &shuffler)
            var lossSum = 0.0
            for batch in 0..<stepsPerEpoch {
                let indices = Array(order[(batch * options.batchSize)..<min((batch + 1) * options.batchSize, order.count)])
                task.fillTrainingBatch(indices, seed: shuffler.next(), input: input, target: target)
                let output = network.forward(input, training: true)
                let loss = task.loss(output, target)
                network.zeroGrad()
                _ = network.backward(loss.gradient)
                optimizer.learningRate = options.learningRate(step: (epoch - 1) * stepsPerEpoch + batch,
                                                              stepsPerEpoch: stepsPerEpoch)
                optimizer.step()
                lossSum += Double(loss.value)
                guard lossSum.isFinite else { throw TrainingError.diverged(epoch: epoch, step: batch + 1) }
                progress.update("epoch \(epoch)/\(options.epochs)", done: batch + 1, total: stepsPerEpoch,
                                detail: String(format: "loss %.5f", lossSum / Double(batch + 1)), stepStart: started)
            }
            let checked = task.validate()
            guard checked.loss.isFinite else { throw TrainingError.diverged(epoch: epoch, step: stepsPerEpoch) }
            history.append(EpochRecord(epoch: epoch, trainLoss: lossSum / Double(stepsPerEpoch),
                                       validationLoss: checked.loss, validationMetric: checked.metric,
                                       validationPixelError: checked.pixelError,
                                       learningRate: Double(optimizer.learningRate),
                                       seconds: Date().timeIntervalSince(started)))
            try run.saveCheckpoint(network: network, optimizer: optimizer, identity: identity, history: history)
            try run.writeCurves(history, metricName: task.metricName)
            let record = history[history.count - 1]
            let pixels = record.validationPixelError.map { String(format: "  val error %.2f px", $0) } ?? ""
            progress.log(String(format: "epoch %d/%d  train loss %.5f  val loss %.5f  val %@ %.2f%%%@  %.0f s",
                                epoch, options.epochs, record.trainLoss, record.validationLoss, task.metricName,
                                100 * record.validationMetric, pixels, record.seconds))
        }
        return history
    }
}

extension Layer {
    /// Loads a model file's weights for fine-tuning and returns the keys left at their random start.
    ///
    /// Every layer must match in name and shape, except the output layer (the last weight and bias),
    /// which may have another number of outputs (a 68-point model can start a 58-point one), and
    /// ResNet18's top-down step (`ResNet18.topDownKey`), which only stride-8 models have: it starts at
    /// random when the file lacks it and is left out when this model lacks it.
    func load(initialWeights url: URL) throws -> [String] {
        var state = try SafeTensors.read(contentsOf: url).tensors
        let isTopDown = { (name: String) in name.hasPrefix(ResNet18.topDownKey + ".") }
        let tensors = parameters.map { (name: $0.name, tensor: $0.parameter.value) } + buffers
        let names = Set(tensors.map(\.name))
        state = state.filter { !isTopDown($0.key) || names.contains($0.key) }
        let output = parameters.suffix(2).map { (name: $0.name, tensor: $0.parameter.value) }
        let added = tensors.filter { isTopDown($0.name) && state[$0.name] == nil }
        let fresh = output.filter { own in state[own.name].map { $0.shape != own.tensor.shape } ?? false } + added
        for (name, tensor) in fresh { state[name] = tensor.copy() }
        try load(stateDict: state, source: url.path)
        return fresh.map(\.name)
    }
}

/// Why training could not start or go on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A dataset folder holds nothing usable.
    case emptyDataset(folder: String, reason: String)
    /// A training checkpoint (or a run folder's record) does not match the run being resumed.
    case badCheckpoint(file: String, reason: String)
    /// The training loss became NaN or infinite.
    case diverged(epoch: Int, step: Int)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case let .emptyDataset(folder, reason): return "\(folder): no training data (\(reason))"
        case let .badCheckpoint(file, reason): return "\(file): cannot resume from this checkpoint (\(reason))"
        case let .diverged(epoch, step):
            return "training diverged at epoch \(epoch), step \(step): the loss is NaN or infinite (try a lower --lr); the last checkpoint is kept"
        }
    }
}
