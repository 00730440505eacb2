import FaceAnalysis
import Imaging
import XCTest
@testable import Pipeline

final class FaceChoiceTests: XCTestCase {
    private func face(_ x: Double, _ y: Double, _ side: Double, score: Double = 1) -> AnalyzedFace {
        AnalyzedFace(box: Box(x: x, y: y, width: side, height: side), score: score, points: [], confidence: 1, origin: .detected)
    }

    func testWeakBoxesAreNotChosen() {
        let analysis = PhotoAnalysis(path: "p.jpg", image: Image(width: 2, height: 2, channels: 3), scale: 1, width: 1000,
                                     height: 800, orientation: 1, dateTimeOriginal: nil,
                                     faces: [face(0, 0, 500, score: 0.4), face(450, 350, 100, score: 0.7)], timings: (0, 0, 0))
        XCTAssertEqual(FaceChoice.largest.pick(from: PhotoFaces(analysis))?.box.x, 450)
    }

    func testLargestCentreAndIndex() {
        let analysis = PhotoAnalysis(path: "p.jpg", image: Image(width: 2, height: 2, channels: 3), scale: 1, width: 1000,
                                     height: 800, orientation: 1, dateTimeOriginal: nil,
                                     faces: [face(0, 0, 100), face(450, 350, 60), face(800, 600, 150)], timings: (0, 0, 0))
        XCTAssertEqual(FaceChoice.largest.pick(from: PhotoFaces(analysis))?.box.x, 800)
        XCTAssertEqual(FaceChoice.center.pick(from: PhotoFaces(analysis))?.box.x, 450)
        XCTAssertEqual(FaceChoice(argument: "1").flatMap { $0.pick(from: PhotoFaces(analysis)) }?.box.x, 0)
        XCTAssertNil(FaceChoice.index(3).pick(from: PhotoFaces(analysis)))
        XCTAssertNil(FaceChoice(argument: "-1"))
        XCTAssertNil(FaceChoice(argument: "biggest"))
        XCTAssertEqual(FaceChoice(argument: "auto"), .auto)
    }
}
