import FaceData
import Imaging
import XCTest
@testable import FaceAnalysis

final class KeypointFlipTests: XCTestCase {
    /// An untrained 68-point model on an asymmetric grey photo.
    private func fixture() -> (KeypointPredictor, Image, [Box]) {
        let spec = KeypointModelSpec.landmarks(inputSize: 32)
        let predictor = KeypointPredictor(model: TrainedModel(spec: spec, network: spec.makeNetwork(seed: 5)))
        var photo = Image(width: 96, height: 96, channels: 1, fill: 0)
        for y in 0..<96 { for x in 0..<96 { photo[x, y, 0] = UInt8((x * x / 7 + y * 29) % 251) } }
        return (predictor, photo, [Box(x: 20, y: 24, width: 48, height: 44)])
    }

    func testTheFlipAveragedLastPassIsTheMeanOfTheCropAndItsMirror() {
        let (predictor, photo, boxes) = fixture()
        let plain = FaceAnalyzer.keypoints(predictor, photo, boxes: boxes)[0]
        let flipped = FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, flipAverage: true)[0]
        XCTAssertEqual(flipped.points.count, 68)
        XCTAssertTrue((0...1).contains(flipped.confidence))
        // Same settling passes, so the last crop is the same: the average of the crop's and the mirror's
        // predictions differs from the crop's alone on an asymmetric photo, and matches the predictor's.
        let settling = predictor.predict(photo, boxes: boxes, refine: FaceAnalyzer.refinePasses - 1)
        let expected = predictor.predict(photo, boxes: settling.map { Box(enclosing: $0) }, flipAverage: true)[0]
        XCTAssertEqual(flipped.points.map(\.x), expected.map(\.x))
        XCTAssertGreaterThan(zip(plain.points, flipped.points).map { abs($0.x - $1.x) + abs($0.y - $1.y) }.max()!, 1e-3)
    }

    func testTheAnalyzerFlipsOnlyWhenAsked() {
        let (predictor, photo, boxes) = fixture()
        let analyzer = FaceAnalyzer(finder: nil, verifier: nil, landmarks: predictor.model)
        let plain = analyzer.faces(in: photo, manualBoxes: boxes).faces[0].points
        analyzer.flipAverage = true
        let flipped = analyzer.faces(in: photo, manualBoxes: boxes).faces[0].points
        XCTAssertEqual(plain.map(\.x), FaceAnalyzer.keypoints(predictor, photo, boxes: boxes)[0].points.map(\.x))
        XCTAssertEqual(flipped.map(\.x), FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, flipAverage: true)[0].points.map(\.x))
    }
}
