import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing
import Training
import XCTest
@testable import Evaluation

final class LandmarkSourcesTests: XCTestCase {
    private func examples() -> [TrainingExample] {
        let points = (0..<68).map { Point(x: 60 + Double($0 % 9) * 6, y: 50 + Double($0 / 9) * 6) }
        return (0..<2).map {
            TrainingExample(name: "face\($0).jpg", subset: "", image: Image(width: 160, height: 140, channels: 1, fill: 100),
                            points: points, landmarkBox: Box(enclosing: points))
        }
    }

    func testTruthBoxesFindEveryFaceAndAFinderThatFindsNoneMissesThemAll() throws {
        let spec = KeypointModelSpec.landmarks(inputSize: 32)
        let model = TrainedModel(spec: spec, network: spec.makeNetwork(seed: 1))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let progress = ProgressReporter(forcePlain: true)
        let truth = try LandmarkEvaluation.run(models: [model], examples: examples(), from: .truth, refine: 0, flip: false,
                                               folder: folder, progress: progress)
        XCTAssertEqual(truth.boxes, "truth")
        XCTAssertEqual(truth.boxHitRate, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("ced.png").path))

        let finder = FaceFinder(network: FaceFinderNetwork.make(seed: 2))
        finder.threshold = 0.999_999
        let detector = try LandmarkEvaluation.run(models: [model], examples: examples(), from: .detector(finder), refine: 0, flip: false,
                                                  folder: folder, progress: progress)
        XCTAssertEqual(detector.boxes, "detector")
        XCTAssertEqual(detector.boxHitRate, 0)
        XCTAssertEqual(detector.overall.failureRate10, 1, "a face without a box is a failure")

        let pipeline = try LandmarkEvaluation.run(models: [model], examples: examples(),
                                                  from: .pipeline(FaceAnalyzer(finder: finder, landmarks: model)),
                                                  refine: 0, flip: true, folder: folder, progress: progress)
        XCTAssertEqual([pipeline.boxes, "\(pipeline.refine)", pipeline.mirrored], ["pipeline", "\(FaceAnalyzer.refinePasses)", "settling"],
                       "the pipeline re-crops and mirrors as `morph detect` does")
    }

    /// Several models: each predicts from its own crop (here of different sizes) and the report measures
    /// the mean of their points.
    func testAnEnsembleIsMeasuredOnTheMeanOfItsModelsPoints() throws {
        let models = [(32, 3), (40, 4)].map { size, seed in
            let spec = KeypointModelSpec.landmarks(inputSize: size)
            return TrainedModel(spec: spec, network: spec.makeNetwork(seed: UInt64(seed)))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let face = examples()[0]
        let mean = Point.mean(of: models.map { KeypointPredictor(model: $0).predict(face.image, box: face.landmarkBox) })
        let single = models.map { LandmarkMetrics.nme(KeypointPredictor(model: $0).predict(face.image, box: face.landmarkBox),
                                                      face.points, scheme: .ibug68) }
        let report = try LandmarkEvaluation.run(models: models, examples: [face], from: .truth, refine: 0, flip: false,
                                                folder: folder, progress: ProgressReporter(forcePlain: true))
        XCTAssertEqual(report.overall.meanNME, LandmarkMetrics.nme(mean, face.points, scheme: .ibug68), accuracy: 1e-12)
        XCTAssertFalse(single.contains { abs($0 - report.overall.meanNME) < 1e-9 }, "the ensemble is neither model alone")
    }
}
