import FaceAnalysis
import FaceData
import Imaging
import XCTest
@testable import CourseModels
@testable import Training

final class WholePhotoEvaluationTests: XCTestCase {
    /// IMM-like photos at 160x120 with 58 points whose outer eye corners are 40 px apart.
    private func examples(_ count: Int) -> [TrainingExample] {
        (0..<count).map { index in
            var points = (0..<58).map { (k: Int) -> Point in
                Point(x: 40 + Double((k * 7 + index) % 80), y: 30 + Double(k * 5 % 60))
            }
            points[13] = Point(x: 100, y: 40)
            points[21] = Point(x: 60, y: 40)
            return TrainingExample(name: "p\(index)", subset: "", image: Image(width: 160, height: 120, channels: 1, fill: 90),
                                   points: points, landmarkBox: Box(enclosing: points))
        }
    }

    func testTheModelAloneIsOneStageAndACascadeTwo() throws {
        let nose = KeypointModelSpec.standard(.nose, inputSize: 80), crop = KeypointModelSpec.standard(.noseCrop, inputSize: 32)
        let first = TrainedModel(spec: nose, network: nose.makeNetwork(seed: 1))
        let second = TrainedModel(spec: crop, network: crop.makeNetwork(seed: 2))
        let photos = examples(3)
        let alone = WholePhotoEvaluation.stages(model: first, cascade: nil, examples: photos)
        XCTAssertEqual(alone.map(\.name), ["whole photo"])
        XCTAssertEqual(alone[0].plain.count, 3)
        let both = WholePhotoEvaluation.stages(model: first, cascade: try KeypointCascade(first: first, second: second), examples: photos)
        XCTAssertEqual(both.map(\.name), ["first stage alone", "both stages"])
        XCTAssertEqual(both[0].plain.meanPixelError, alone[0].plain.meanPixelError, accuracy: 1e-9,
                       "the first stage alone is the model alone")
    }

    func testAStageReadsAsErrorsPlainAndPerturbedAndTheirChange() {
        let plain = EvaluationSummary(count: 10, meanPixelError: 3.25, meanNME: 0.05, meanLoss: 0)
        let perturbed = EvaluationSummary(count: 10, meanPixelError: 4, meanNME: 0.06, meanLoss: 0)
        XCTAssertEqual(WholePhotoEvaluation.lines(stage: "whole photo", plain: plain, perturbed: perturbed), [
            "whole photo:",
            "  plain                        mean error   3.25 px   NME  5.00%",
            "  rotated ±12°, shifted ±10%   mean error   4.00 px   NME  6.00%",
            "  NME change under perturbation: +20.0%",
        ])
    }

    func testTheShippedCourseModelsLoadThroughTheCourseCatalogueOnly() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models")
        for course in CourseModel.allCases {
            for (name, task) in [(course.modelName, course.task), (course.secondStageModelName, course.secondStage)] {
                let url = models.appendingPathComponent("\(name).safetensors")
                XCTAssertEqual(try TrainedModel(contentsOf: url, catalogue: .course).spec.task, task)
                XCTAssertThrowsError(try TrainedModel(contentsOf: url)) { error in
                    XCTAssertTrue("\(error)".contains("task \(task.rawValue) is not one of landmarks"), "\(error)")
                }
            }
        }
    }
}
