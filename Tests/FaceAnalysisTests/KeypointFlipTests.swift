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

    private func spread(_ a: [Point], _ b: [Point]) -> Double {
        zip(a, b).map { abs($0.x - $1.x) + abs($0.y - $1.y) }.max()!
    }

    func testWithoutMirroringTheKeypointsAreTheThirdPlainPass() {
        let (predictor, photo, boxes) = fixture()
        let found = FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, mirroring: .none)[0]
        let expected = predictor.predict(photo, boxes: boxes, refine: FaceAnalyzer.refinePasses)[0]
        XCTAssertEqual(found.points.map(\.x), expected.map(\.x))
        XCTAssertEqual(found.points.map(\.y), expected.map(\.y))
    }

    func testTheMirroredSettlingPassIsAveragedWithTheLastPlainOne() {
        let (predictor, photo, boxes) = fixture()
        let found = FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, mirroring: .settlingPass)[0]
        // First pass plain, the settling pass on the mirrored crop around it, the last plain around that.
        let first = predictor.predict(photo, boxes: boxes)
        let settling = predictor.predict(photo, boxes: first.map { Box(enclosing: $0) }, orientation: .mirrored)[0]
        let last = predictor.predict(photo, boxes: [Box(enclosing: settling)])[0]
        XCTAssertEqual(found.points.count, 68)
        XCTAssertEqual(found.points.map(\.x), Point.mean(of: [settling, last]).map(\.x))
        XCTAssertEqual(found.points.map(\.y), Point.mean(of: [settling, last]).map(\.y))
        // The confidence measures the last pass's shift from the mirrored one.
        let shift = LandmarkMetrics.meanPointError(settling, last) / max(LandmarkScheme.ibug68.interocularDistance(last), 1)
        XCTAssertEqual(found.confidence, max(0, 1 - shift / 0.1), accuracy: 1e-12)
        // On an asymmetric photo the mirrored crop gives other points than the plain one.
        let plainSettling = predictor.predict(photo, boxes: first.map { Box(enclosing: $0) })[0]
        XCTAssertGreaterThan(spread(settling, plainSettling), 1e-3)
    }

    func testTheMirroredLastPassIsTheMeanOfTheCropAndItsMirror() {
        let (predictor, photo, boxes) = fixture()
        let plain = FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, mirroring: .none)[0]
        let flipped = FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, mirroring: .lastPass)[0]
        XCTAssertTrue((0...1).contains(flipped.confidence))
        // Same settling passes, so the last crop is the same: the average of the crop's and the mirror's
        // predictions differs from the crop's alone on an asymmetric photo, and matches the predictor's.
        let settling = predictor.predict(photo, boxes: boxes, refine: FaceAnalyzer.refinePasses - 1)
        let expected = predictor.predict(photo, boxes: settling.map { Box(enclosing: $0) }, orientation: .averaged)[0]
        XCTAssertEqual(flipped.points.map(\.x), expected.map(\.x))
        XCTAssertGreaterThan(spread(plain.points, flipped.points), 1e-3)
    }

    func testTheAnalyzerMirrorsTheSettlingPassUnlessToldOtherwise() {
        let (predictor, photo, boxes) = fixture()
        let analyzer = FaceAnalyzer(finder: nil, verifier: nil, landmarks: predictor.model)
        XCTAssertEqual(analyzer.mirroring, .settlingPass)
        for mirroring in KeypointMirroring.allCases {
            analyzer.mirroring = mirroring
            let points = analyzer.faces(in: photo, manualBoxes: boxes).faces[0].points
            XCTAssertEqual(points.map(\.x), FaceAnalyzer.keypoints(predictor, photo, boxes: boxes, mirroring: mirroring)[0].points.map(\.x),
                           "\(mirroring)")
        }
    }
}
