/// Evaluation of the IMM whole-photo models, untouched and under the course's perturbation.
public enum WholePhotoEvaluation {
    /// Summaries on `examples` as they are and randomly rotated (±12°) and shifted (±10%).
    public static func run(model: TrainedModel, examples: [TrainingExample]) -> (plain: EvaluationSummary, perturbed: EvaluationSummary) {
        let evaluator = KeypointEvaluator(spec: model.spec, network: model.network)
        return (evaluator.evaluate(examples).summary,
                evaluator.evaluate(examples, augmentation: KeypointTraining.perturbation, seed: 7).summary)
    }
}
