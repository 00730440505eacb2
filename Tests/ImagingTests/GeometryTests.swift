import XCTest
@testable import Imaging

final class GeometryTests: XCTestCase {
    func testLeastSquaresSimilarityRecoversAKnownOne() throws {
        let truth = AffineTransform.translation(5, -3).concatenating(after: .scale(1.7, 1.7)).concatenating(after: .rotation(0.4))
        let source = [Point(x: 0, y: 0), Point(x: 10, y: 1), Point(x: 3, y: 8), Point(x: -4, y: 6)]
        let fitted = try XCTUnwrap(AffineTransform.similarity(fitting: source, to: source.map(truth.apply)))
        for p in source {
            XCTAssertEqual(fitted.apply(p).x, truth.apply(p).x, accuracy: 1e-9)
            XCTAssertEqual(fitted.apply(p).y, truth.apply(p).y, accuracy: 1e-9)
        }
    }

    func testLeastSquaresSimilaritySplitsTheDifferenceAndRefusesOnePoint() throws {
        // Two pairs mapped exactly, a third pulled off: the fit is a similarity (equal scales, no shear).
        let fitted = try XCTUnwrap(AffineTransform.similarity(fitting: [Point(x: 0, y: 0), Point(x: 2, y: 0), Point(x: 1, y: 2)],
                                                              to: [Point(x: 0, y: 0), Point(x: 2, y: 0), Point(x: 1, y: 3)]))
        XCTAssertEqual(fitted.a, fitted.d, accuracy: 1e-12)
        XCTAssertEqual(fitted.b, -fitted.c, accuracy: 1e-12)
        XCTAssertNil(AffineTransform.similarity(fitting: [Point(x: 1, y: 1), Point(x: 1, y: 1)], to: [Point(x: 0, y: 0), Point(x: 3, y: 3)]))
    }

    func testMeanOfPointSetsIsPointByPoint() {
        let sets = [[Point(x: 0, y: 2), Point(x: 4, y: 4)], [Point(x: 2, y: 0), Point(x: 8, y: 2)], [Point(x: 1, y: 1), Point(x: 0, y: 0)]]
        XCTAssertEqual(Point.mean(of: sets), [Point(x: 1, y: 1), Point(x: 4, y: 2)])
        XCTAssertEqual(Point.mean(of: []), [])
    }
}
