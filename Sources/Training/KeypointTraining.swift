import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing

/// What a finished training run measured, written to `summary.json` and the model's metadata.
public struct TrainingReport: Codable, Sendable {
    /// The detector trained.
    public var task: String
    /// The exact command line.
    public var command: String
    /// The dataset folder.
    public var data: String
    /// Epochs trained.
    public var epochs: Int
    /// The seed.
    public var seed: UInt64
    /// Network input, "WxH".
    public var input: String
    /// Pooling of the small networks.
    public var pool: String
    /// Training examples.
    public var trainCount: Int
    /// Validation on the untouched validation images.
    public var validation: EvaluationSummary
    /// Validation on the same images randomly rotated by up to 12 degrees and shifted by up to 10%.
    public var perturbed: EvaluationSummary
    /// Relative growth of the NME under the perturbation (0.3 = 30% worse).
    public var perturbationIncrease: Double
    /// The run folder and the pictures in it.
    public var runFolder: String
    /// The saved model.
    public var model: String

    /// The line `morph train` prints at the end: the validation figures, plain and perturbed.
    public var line: String {
        String(format: "validation NME %.2f%%  mean error %.2f px  (perturbed: NME %.2f%%, %+.0f%%)",
               100 * validation.meanNME, validation.meanPixelError, 100 * perturbed.meanNME, 100 * perturbationIncrease)
    }
}

/// One complete training job: load data, train, evaluate, draw, save the model.
public enum KeypointTraining {
    /// The robustness check of the course: random rotation up to 12 degrees and shift up to 10%.
    public static let perturbation = Augmentation(shift: 0.1, rotationDegrees: 12)

    /// Trains `spec` on the dataset at `data` and writes everything into `run`; the final weights go
    /// to `modelURL` (F16) with the report in their metadata. `initialWeights`, a model file with the
    /// same layers, replaces the random initialisation (fine-tuning). `pseudoLabelled` faces, if any,
    /// are mixed into the training examples (never into the validation). `trainShare` of the annotated
    /// training faces are used (see `LandmarkDataset.load`).
    public static func run(spec: KeypointModelSpec, options: TrainingOptions, data: URL, run: TrainingRun,
                           modelURL: URL, resume: Bool, initialWeights: URL? = nil, pseudoLabelled: PseudoLabelledFaces? = nil,
                           limit: Int?, trainShare: Double = 1, command: String, progress: ProgressReporter) throws -> TrainingReport {
        progress.log("loading \(data.path)")
        let (train, validation) = try LandmarkDataset.load(spec.scheme, root: data, limit: limit, trainShare: trainShare)
        guard train.count >= options.batchSize else {
            throw TrainingError.emptyDataset(folder: data.path, reason: "\(train.count) training examples, fewer than one batch")
        }
        let trainer = KeypointTrainingTask(spec: spec, options: options, train: train, validation: validation,
                                           pseudoLabelled: pseudoLabelled)
        if let pseudoLabelled { progress.log("mixed in: \(pseudoLabelled.provenance)") }
        progress.log("training \(spec.task.rawValue): \(train.count) train / \(validation.count) validation, "
                     + "\(trainer.network.parameterCount) parameters, input \(spec.inputWidth)x\(spec.inputHeight)")
        try TrainingLoop(task: trainer, options: options, run: run, identity: spec.metadata)
            .fit(resume: resume, initialWeights: initialWeights, progress: progress)

        let plain = trainer.evaluate(validation)
        let perturbed = trainer.evaluate(validation, augmentation: perturbation)
        try run.writeFilters(of: trainer.network)
        _ = try run.writeOverlays(plain.faces, examples: validation, spec: spec, count: 3)
        let report = TrainingReport(
            task: spec.task.rawValue, command: command, data: data.path, epochs: options.epochs, seed: options.seed,
            input: "\(spec.inputWidth)x\(spec.inputHeight)", pool: spec.pool.rawValue, trainCount: train.count,
            validation: plain.summary, perturbed: perturbed.summary,
            perturbationIncrease: perturbed.summary.meanNME / max(plain.summary.meanNME, 1e-12) - 1,
            runFolder: run.folder.path, model: modelURL.path)
        try run.writeSummary(report)
        let reportJSON = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        var extra = [
            "validation_nme": String(format: "%.5f", plain.summary.meanNME),
            "validation_pixel_error": String(format: "%.3f", plain.summary.meanPixelError),
            "report": reportJSON,
        ]
        extra["pseudo_labelled"] = pseudoLabelled?.provenance
        try TrainedModel(spec: spec, network: trainer.network).save(to: modelURL, extra: options.provenance(
            extra, command: command, data: data))
        progress.log(String(format: "validation: NME %.2f%%, error %.2f px; perturbed: NME %.2f%% (%+.0f%%); model %@",
                            100 * plain.summary.meanNME, plain.summary.meanPixelError, 100 * perturbed.summary.meanNME,
                            100 * report.perturbationIncrease, modelURL.path))
        return report
    }
}
