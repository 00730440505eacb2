import FaceData
import Foundation
import Imaging
import NeuralNet
import XCTest
@testable import FaceAnalysis
@testable import Training

final class LFWFacesTests: XCTestCase {
    /// A small random 68-point model.
    private func predictor(seed: UInt64) -> KeypointPredictor {
        let spec = KeypointModelSpec.landmarks(inputSize: 64)
        return KeypointPredictor(model: TrainedModel(spec: spec, network: spec.makeNetwork(seed: seed)))
    }

    func testTeachersAreAveragedAndTheirDisagreementLowersTheConfidence() {
        var rng = SplitMix64(seed: 4)
        var image = Image(width: 128, height: 128, channels: 1, fill: 0)
        for y in 0..<128 { for x in 0..<128 { image[x, y, 0] = UInt8(rng.next() % 256) } }
        let a = predictor(seed: 1), b = predictor(seed: 2)
        let alone = LFWFaces.keypoints(image, predictors: [a]), other = LFWFaces.keypoints(image, predictors: [b])
        let twice = LFWFaces.keypoints(image, predictors: [a, a])
        XCTAssertEqual(twice.confidence, alone.confidence, accuracy: 1e-12, "a teacher agrees with itself")
        for (p, q) in zip(twice.points, alone.points) { XCTAssertEqual(p.distance(to: q), 0, accuracy: 1e-9) }

        let both = LFWFaces.keypoints(image, predictors: [a, b])
        for k in 0..<68 {
            XCTAssertEqual(both.points[k].x, (alone.points[k].x + other.points[k].x) / 2, accuracy: 1e-9)
            XCTAssertEqual(both.points[k].y, (alone.points[k].y + other.points[k].y) / 2, accuracy: 1e-9)
        }
        let interocular = max(LandmarkScheme.ibug68.interocularDistance(both.points), 1)
        let spread = LandmarkMetrics.meanPointError(alone.points, both.points) / interocular
        XCTAssertEqual(both.confidence, min(alone.confidence, other.confidence, max(0, 1 - spread / LFWFaces.disagreementLimit)),
                       accuracy: 1e-9)
    }
}
