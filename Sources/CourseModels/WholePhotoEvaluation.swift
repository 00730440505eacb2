import FaceAnalysis
import FaceData
import Imaging
import NeuralNet
import Training

/// Evaluation of the IMM whole-photo models, untouched and under the course's perturbation.
public enum WholePhotoEvaluation {
    /// Summaries on `examples` as they are and randomly rotated (±12°) and shifted (±10%).
    public static func run(model: TrainedModel, examples: [TrainingExample]) -> (plain: EvaluationSummary, perturbed: EvaluationSummary) {
        let evaluator = KeypointEvaluator(spec: model.spec, network: model.network)
        return (evaluator.evaluate(examples).summary,
                evaluator.evaluate(examples, augmentation: KeypointTraining.perturbation, seed: 7).summary)
    }

    /// Summaries of the first stage alone and of the whole cascade, on `examples` as they are and on
    /// copies of the photos rotated (±12°) and shifted (±10%) once, so both see the same photos.
    public static func run(cascade: KeypointCascade, examples: [TrainingExample])
        -> (first: (plain: EvaluationSummary, perturbed: EvaluationSummary),
            cascade: (plain: EvaluationSummary, perturbed: EvaluationSummary)) {
        let targets = cascade.second.model.spec.targetIndices, scheme = cascade.second.model.spec.scheme
        let summaries = [examples, perturbedCopies(examples, seed: 7)].map { photos in
            let guesses = photos.map { cascade.first.predict($0.image, box: nil) }
            let refined = zip(photos, guesses).map { cascade.refine($0.image, guess: $1) }
            return (EvaluationSummary(predictions: guesses, examples: photos, targets: targets, scheme: scheme),
                    EvaluationSummary(predictions: refined, examples: photos, targets: targets, scheme: scheme))
        }
        return ((summaries[0].0, summaries[1].0), (summaries[0].1, summaries[1].1))
    }

    /// The stages `morph eval nose|imm` reports for the whole-photo `model` on `examples`: the model
    /// alone, or with a `cascade` (of that model and a second stage) the first stage alone and both stages.
    public static func stages(model: TrainedModel, cascade: KeypointCascade?, examples: [TrainingExample])
        -> [(name: String, plain: EvaluationSummary, perturbed: EvaluationSummary)] {
        guard let cascade else {
            let results = run(model: model, examples: examples)
            return [("whole photo", results.plain, results.perturbed)]
        }
        let results = run(cascade: cascade, examples: examples)
        return [("first stage alone", results.first.plain, results.first.perturbed),
                ("both stages", results.cascade.plain, results.cascade.perturbed)]
    }

    /// The lines `morph eval nose|imm` prints for one stage: mean error and NME, plain and perturbed.
    public static func lines(stage: String, plain: EvaluationSummary, perturbed: EvaluationSummary) -> [String] {
        let figures = [("plain", plain), ("rotated ±12°, shifted ±10%", perturbed)].map { (name: String, summary: EvaluationSummary) in
            "  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: " mean error %6.2f px   NME %5.2f%%", summary.meanPixelError, 100 * summary.meanNME)
        }
        let change = 100 * (perturbed.meanNME / plain.meanNME - 1)
        return [stage + ":"] + figures + [String(format: "  NME change under perturbation: %+.1f%%", change)]
    }

    /// Each photo rotated and shifted by the course's perturbation (same size; points moved along).
    static func perturbedCopies(_ examples: [TrainingExample], seed: UInt64) -> [TrainingExample] {
        examples.enumerated().map { index, example in
            var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            let photo = example.image
            let crop = FaceCropper(width: photo.width, height: photo.height).crop(
                photo, center: Point(x: Double(photo.width - 1) / 2, y: Double(photo.height - 1) / 2),
                side: Double(photo.width), points: example.points, augmentation: KeypointTraining.perturbation, rng: &rng)
            var moved = example
            moved.image = crop.image
            moved.points = crop.points
            moved.landmarkBox = Box(enclosing: crop.points)
            return moved
        }
    }
}
