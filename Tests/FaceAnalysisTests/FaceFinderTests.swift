import Imaging
import NeuralNet
import XCTest
@testable import FaceAnalysis

final class FaceFinderTests: XCTestCase {
    func testNonMaximumSuppressionKeepsTheStrongestOfOverlappingBoxes() {
        let boxes = [
            FaceDetection(box: Box(x: 0, y: 0, width: 100, height: 100), score: 0.9),
            FaceDetection(box: Box(x: 10, y: 5, width: 100, height: 100), score: 0.95),  // overlaps the first heavily
            FaceDetection(box: Box(x: 300, y: 300, width: 50, height: 50), score: 0.5),
            FaceDetection(box: Box(x: 60, y: 60, width: 100, height: 100), score: 0.8),   // IoU with the best is low
        ]
        let kept = FaceFinder.suppress(boxes, overlap: 0.35)
        XCTAssertEqual(kept.map(\.score), [0.95, 0.8, 0.5])
        XCTAssertTrue(FaceFinder.suppress([], overlap: 0.35).isEmpty)
    }

    func testContainmentDropsAWeakerBoxInsideAStrongerOne() {
        let face = FaceDetection(box: Box(x: 0, y: 0, width: 100, height: 100), score: 0.9)
        let eye = FaceDetection(box: Box(x: 20, y: 30, width: 20, height: 20), score: 0.5)  // IoU 0.04, all inside
        let strongEye = FaceDetection(box: eye.box, score: 0.95)
        XCTAssertEqual(FaceFinder.suppress([face, eye], overlap: 0.35).count, 2, "IoU alone keeps it")
        let inside = FaceDetection(box: Box(x: 0.1, y: 0.3, width: 0.7, height: 0.1), score: 0.5)  // rounding-prone
        XCTAssertEqual(FaceFinder.suppress([face, inside], overlap: 0.35, containment: 1).count, 2, "1 keeps every box")
        XCTAssertEqual(FaceFinder.suppress([eye, face], overlap: 0.35, containment: 0.7), [face])
        // Only the weaker box is dropped, and only when it is the one inside.
        XCTAssertEqual(FaceFinder.suppress([face, strongEye], overlap: 0.35, containment: 0.7), [strongEye, face])
    }

    func testFacesWhoseCentresFallInNeighbouringCellsAreBothFound() {
        // A 6x6 grid (stride 16). Face A is centred in cell (2, 2), face B (half behind A, weaker) in
        // cell (3, 2); the cell beside A's centre, (1, 2), sees A too and predicts nearly A's box.
        let grid = 6, cells = grid * grid, stride = Float(FaceFinderNetwork.stride)
        var planes = [Float](repeating: 0, count: 5 * cells)
        for i in 0..<cells { planes[i] = -8 }
        func predict(_ gx: Int, _ gy: Int, logit: Float, centreX: Float, centreY: Float, side: Float) {
            let cell = gy * grid + gx
            planes[cell] = logit
            planes[cells + cell] = centreX / stride - Float(gx)
            planes[2 * cells + cell] = centreY / stride - Float(gy)
            planes[3 * cells + cell] = log(side / stride)
            planes[4 * cells + cell] = log(side / stride)
        }
        predict(2, 2, logit: 6, centreX: 40, centreY: 40, side: 30)
        predict(1, 2, logit: 2, centreX: 38, centreY: 41, side: 31)
        predict(3, 2, logit: 1, centreX: 58, centreY: 40, side: 28)  // IoU with A about 0.23
        let found = planes.withUnsafeBufferPointer {
            FaceFinder.suppress(FaceFinder.decode($0.baseAddress!, gridWidth: grid, gridHeight: grid, threshold: 0.25), overlap: 0.35)
        }
        XCTAssertEqual(found.count, 2, "A, and B beside it; A's neighbouring cell merged into A")
        guard found.count == 2 else { return }
        XCTAssertEqual(found[0].box.x + found[0].box.width / 2, 40, accuracy: 1e-3)
        XCTAssertEqual(found[1].box.x + found[1].box.width / 2, 58, accuracy: 1e-3)
    }
}
