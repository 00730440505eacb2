import XCTest
@testable import Training

final class RecipeTests: XCTestCase {
    func testCommandLineOptionsGoOverTheRecipeAndTheRestStays() {
        let recipe = TrainingOptions.landmarksRecipe
        let same = recipe.overriding(epochs: nil, batchSize: nil, learningRate: nil, weightDecay: nil, loss: nil, seed: 9,
                                     augmentationStrength: 1)
        XCTAssertEqual([same.epochs, same.batchSize], [recipe.epochs, recipe.batchSize])
        XCTAssertEqual(same.learningRate, recipe.learningRate)
        XCTAssertEqual(same.loss, recipe.loss)
        XCTAssertEqual(same.seed, 9)
        XCTAssertEqual(same.augmentation.rotationDegrees, recipe.augmentation.rotationDegrees)
        XCTAssertEqual(same.cosine, recipe.cosine, "what the command line cannot give stays the recipe's")
        XCTAssertEqual(same.weightDecay, recipe.weightDecay)

        let given = recipe.overriding(epochs: 3, batchSize: 8, learningRate: 0.5, weightDecay: 0.05, loss: .l1, seed: 1,
                                      augmentationStrength: 0)
        XCTAssertEqual([given.epochs, given.batchSize], [3, 8])
        XCTAssertEqual(given.learningRate, 0.5)
        XCTAssertEqual(given.weightDecay, 0.05)
        XCTAssertEqual(given.decoupledWeightDecay, recipe.decoupledWeightDecay)
        XCTAssertEqual(given.loss, .l1)
        XCTAssertEqual(given.augmentation.rotationDegrees, 0)
        XCTAssertTrue(given.augmentation.flip, "mirroring is not a range")
    }

    func testTrainingReportsReadAsOneLineOfValidationFigures() {
        let plain = EvaluationSummary(count: 5, meanPixelError: 2.5, meanNME: 0.04, meanLoss: 0.1)
        let perturbed = EvaluationSummary(count: 5, meanPixelError: 3, meanNME: 0.05, meanLoss: 0.1)
        let report = TrainingReport(task: "landmarks", command: "morph train landmarks", data: "300w", epochs: 1, seed: 1,
                                    input: "128x128", pool: "max", trainCount: 10, validation: plain, perturbed: perturbed,
                                    perturbationIncrease: 0.25, runFolder: "runs/a", model: "models/a.safetensors")
        XCTAssertEqual(report.line, "validation NME 4.00%  mean error 2.50 px  (perturbed: NME 5.00%, +25%)")
        let identity = IdentityTraining.Report(trainPeople: 3, trainPhotos: 9, validationPeople: 2, validationPairs: 8,
                                               validation: VerificationEvaluation.evaluate(scores: [0.9, 0.1], same: [true, false],
                                                                                           folds: 1))
        XCTAssertTrue(identity.line.hasPrefix("validation: 8 pairs of 2 held-out people: accuracy 100.0% at threshold "), identity.line)
    }
}
