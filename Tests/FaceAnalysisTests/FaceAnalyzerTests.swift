import Imaging
import XCTest
@testable import FaceAnalysis

final class FaceAnalyzerTests: XCTestCase {
    /// A face whose 68 points fill the square at (`x`, `y`) with side `side`.
    private func face(x: Double, y: Double, side: Double, confidence: Double,
                      origin: AnalyzedFace.Origin = .detected) -> AnalyzedFace {
        face(x: x, y: y, width: side, height: side, confidence: confidence, origin: origin)
    }

    /// A face whose 68 points fill the `width` x `height` rectangle at (`x`, `y`).
    private func face(x: Double, y: Double, width: Double, height: Double, confidence: Double,
                      origin: AnalyzedFace.Origin = .detected) -> AnalyzedFace {
        let points = (0..<68).map { Point(x: x + width * Double($0 % 9) / 8, y: y + height * Double($0 / 9) / 7) }
        return AnalyzedFace(box: Box(x: x, y: y, width: width, height: height), score: 0.6, points: points,
                            confidence: confidence, origin: origin)
    }

    func testUnsettledAndNestedFacesAreDroppedLargestFirst() {
        let whole = face(x: 100, y: 100, side: 200, confidence: 0.9)
        let mouth = face(x: 150, y: 220, side: 90, confidence: 0.8)       // inside the whole face
        let elsewhere = face(x: 400, y: 100, side: 120, confidence: 0.7)
        let unsettled = face(x: 600, y: 300, side: 150, confidence: 0.3)
        let kept = FaceAnalyzer.kept([mouth, unsettled, elsewhere, whole], minimumConfidence: 0.5, nestedShare: 0.5)
        XCTAssertEqual(kept.map(\.box.x), [100, 400])

        // A mouth and chin that settle a little better than the face around them do not replace it.
        let posterFace = face(x: 100, y: 100, side: 200, confidence: 0.77)
        let posterMouth = face(x: 130, y: 190, side: 120, confidence: 0.79)
        XCTAssertEqual(FaceAnalyzer.kept([posterMouth, posterFace], minimumConfidence: 0.5, nestedShare: 0.5).map(\.box.x), [100])

        // Nothing is dropped with the checks off.
        XCTAssertEqual(FaceAnalyzer.kept([mouth, unsettled, elsewhere, whole], minimumConfidence: 0, nestedShare: 1).count, 4)
    }

    func testALessSettledFaceAroundAMoreSettledOneIsDroppedAndGivenFacesAlwaysStay() {
        let garbage = face(x: 0, y: 0, side: 500, confidence: 0.1)
        let real = face(x: 150, y: 150, side: 100, confidence: 0.95)
        XCTAssertEqual(FaceAnalyzer.kept([garbage, real], minimumConfidence: 0, nestedShare: 0.5).map(\.confidence), [0.95])
        XCTAssertEqual(FaceAnalyzer.kept([garbage, real], minimumConfidence: 0, nestedShare: 1).count, 2)

        // Two faces cheek to cheek and a box between them whose keypoints straddle both: the left face
        // lies inside the straddling box by 95% of its area, the right one by 45%.
        let left = face(x: 254, y: 255, side: 240, confidence: 0.98)
        let right = face(x: 437, y: 423, side: 238, confidence: 0.96)
        let straddling = face(x: 266, y: 254, width: 365, height: 307, confidence: 0.54)
        XCTAssertEqual(FaceAnalyzer.kept([left, straddling, right], minimumConfidence: 0.5, nestedShare: 0.5).map(\.confidence),
                       [0.98, 0.96])

        let whole = face(x: 100, y: 100, side: 200, confidence: 0.9)
        let given = face(x: 150, y: 220, side: 90, confidence: 0.2, origin: .manualBox)
        XCTAssertEqual(FaceAnalyzer.kept([given, whole], minimumConfidence: 0.5, nestedShare: 0.5).map(\.origin),
                       [.detected, .manualBox])
    }

    func testTheSameFaceFoundTwiceKeepsTheMoreSettledOne() {
        let looser = face(x: 100, y: 100, side: 201, confidence: 0.85)    // the larger keypoint box, less settled
        let settled = face(x: 101, y: 100, side: 199, confidence: 0.99)
        let elsewhere = face(x: 400, y: 100, side: 120, confidence: 0.7)
        let kept = FaceAnalyzer.kept([looser, elsewhere, settled], minimumConfidence: 0.5, nestedShare: 0.5)
        XCTAssertEqual(kept.map(\.confidence), [0.99, 0.7])
        XCTAssertEqual(FaceAnalyzer.kept([settled, looser], minimumConfidence: 0.5, nestedShare: 0.5).map(\.confidence), [0.99])
        XCTAssertEqual(FaceAnalyzer.kept([looser, settled], minimumConfidence: 0.5, nestedShare: 1).count, 2)
    }
}
