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
}
