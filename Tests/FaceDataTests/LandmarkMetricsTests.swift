import Imaging
import XCTest
@testable import FaceData

final class LandmarkMetricsTests: XCTestCase {
    /// Outer eye corners 100 px apart; half the points off by a 3-4-5 triangle, half exact:
    /// mean error 2.5 px, NME 2.5%.
    func testNMEOnAHandMadeFace() {
        var truth = (0..<68).map { Point(x: Double($0), y: Double($0 % 5)) }
        truth[36] = Point(x: 100, y: 200)
        truth[45] = Point(x: 160, y: 280)  // distance sqrt(60^2 + 80^2) = 100
        let predicted = truth.enumerated().map { $0.offset % 2 == 0 ? Point(x: $0.element.x + 3, y: $0.element.y - 4) : $0.element }
        XCTAssertEqual(LandmarkMetrics.meanPointError(predicted, truth), 2.5, accuracy: 1e-12)
        XCTAssertEqual(LandmarkMetrics.nme(predicted, truth, scheme: .ibug68), 0.025, accuracy: 1e-12)
        XCTAssertEqual(LandmarkMetrics.nme(truth, truth, scheme: .ibug68), 0)
    }

    /// Only the jaw's 17 points off, by 4 px with eye corners 100 px apart: the jaw's NME is 4%, every
    /// other part's 0, and the parts' NMEs weighted by their sizes give the whole face's.
    func testPartNMEsSeparateTheJawFromTheRest() {
        var truth = (0..<68).map { Point(x: Double($0), y: 0) }
        truth[36] = Point(x: 100, y: 50)
        truth[45] = Point(x: 200, y: 50)
        let predicted = truth.enumerated().map { $0.offset <= 16 ? Point(x: $0.element.x, y: 4) : $0.element }
        let parts = LandmarkMetrics.partErrors(predicted, truth, scheme: .ibug68).map(\.nme)
        XCTAssertEqual(parts.count, LandmarkScheme.ibug68.parts.count)
        XCTAssertEqual(parts[0], 0.04, accuracy: 1e-12)
        XCTAssertEqual(parts.dropFirst().max(), 0)
        let weighted = zip(LandmarkScheme.ibug68.parts, parts).reduce(0) { $0 + Double($1.0.indices.count) * $1.1 } / 68
        XCTAssertEqual(weighted, LandmarkMetrics.nme(predicted, truth, scheme: .ibug68), accuracy: 1e-12)
    }

    /// A straight jaw along x: a shift along x is all "along", a shift in y all "across", and a
    /// closed eye contour's first point takes its direction from its last and second points.
    func testContourErrorsSplitAlongAndAcrossTheContour() {
        var truth = (0..<68).map { Point(x: Double($0) * 10, y: 0) }
        truth[36] = Point(x: 100, y: 50)
        truth[45] = Point(x: 200, y: 50)
        for index in 37...40 { truth[index] = Point(x: Double(index - 36) * 5 + 100, y: Double(50 + index % 2)) }
        truth[41] = Point(x: 100, y: 60)
        let alongJaw = truth.enumerated().map { $0.offset <= 16 ? Point(x: $0.element.x + 3, y: 0) : $0.element }
        let acrossJaw = truth.enumerated().map { $0.offset <= 16 ? Point(x: $0.element.x, y: -5) : $0.element }
        XCTAssertEqual(LandmarkMetrics.partErrors(alongJaw, truth, scheme: .ibug68)[0].along, 0.03, accuracy: 1e-12)
        XCTAssertEqual(LandmarkMetrics.partErrors(alongJaw, truth, scheme: .ibug68)[0].across, 0, accuracy: 1e-12)
        XCTAssertEqual(LandmarkMetrics.partErrors(acrossJaw, truth, scheme: .ibug68)[0].across, 0.05, accuracy: 1e-12)
        XCTAssertEqual(LandmarkMetrics.partErrors(acrossJaw, truth, scheme: .ibug68)[0].along, 0, accuracy: 1e-12)
        // Point 36 moved 6 px along the direction from 41 (100, 60) to 37 (105, 51).
        let direction = (x: 5 / (106.0).squareRoot(), y: -9 / (106.0).squareRoot())
        var eye = truth
        eye[36] = Point(x: truth[36].x + 6 * direction.x, y: truth[36].y + 6 * direction.y)
        let eyeError = LandmarkMetrics.partErrors(eye, truth, scheme: .ibug68)[5]
        XCTAssertEqual(LandmarkScheme.ibug68.parts[5].indices, 36...41)
        XCTAssertEqual(eyeError.along, 6.0 / 6 / 100, accuracy: 1e-12)
        XCTAssertEqual(eyeError.across, 0, accuracy: 1e-12)
    }

    func testNMEUsesIMMOuterEyeCorners() {
        var truth = [Point](repeating: Point(x: 0, y: 0), count: 58)
        truth[13] = Point(x: 400, y: 200)
        truth[21] = Point(x: 280, y: 200)
        let predicted = truth.map { Point(x: $0.x + 6, y: $0.y) }
        XCTAssertEqual(LandmarkMetrics.nme(predicted, truth, scheme: .imm58), 0.05, accuracy: 1e-12)
    }

    func testFailureRateCEDAndAUC() {
        let errors = [0.01, 0.02, 0.04, 0.08, 0.12]
        XCTAssertEqual(LandmarkMetrics.failureRate(errors, threshold: 0.08), 0.2)
        XCTAssertEqual(LandmarkMetrics.failureRate(errors, threshold: 0.10), 0.2)
        XCTAssertEqual(LandmarkMetrics.failureRate(errors, threshold: 0.03), 0.6)
        XCTAssertEqual(LandmarkMetrics.cumulativeErrorDistribution(errors, thresholds: [0, 0.01, 0.03, 0.08, 1]),
                       [0, 0.2, 0.4, 0.8, 1])
        // Areas below 0.08: 0.07 + 0.06 + 0.04 + 0 + 0 = 0.17, mean 0.034, over 0.08 = 0.425.
        XCTAssertEqual(LandmarkMetrics.areaUnderCurve(errors, threshold: 0.08), 0.425, accuracy: 1e-12)
        XCTAssertEqual(LandmarkMetrics.areaUnderCurve([0, 0], threshold: 0.08), 1)
        XCTAssertEqual(LandmarkMetrics.areaUnderCurve([0.5], threshold: 0.08), 0)
    }

    /// The exact AUC agrees with integrating the CED numerically on a fine grid.
    func testAUCMatchesNumericIntegrationOfCED() {
        let errors = (0..<50).map { Double(($0 * 37) % 101) / 1000 }
        let steps = 8000, threshold = 0.08
        let grid = (0..<steps).map { (Double($0) + 0.5) * threshold / Double(steps) }
        let ced = LandmarkMetrics.cumulativeErrorDistribution(errors, thresholds: grid)
        let numeric = ced.reduce(0, +) / Double(steps)
        XCTAssertEqual(LandmarkMetrics.areaUnderCurve(errors, threshold: threshold), numeric, accuracy: 1e-3)
    }
}
