import XCTest
import Imaging
@testable import Morph

final class DelaunayTests: XCTestCase {
    /// Checks orientation, empty circumcircles, hull coverage and that every distinct point is a vertex.
    private func assertValid(_ points: [Point], _ triangles: [Triangle], file: StaticString = #filePath, line: UInt = #line) {
        var area = 0.0
        for t in triangles {
            let (a, b, c) = (points[t.a], points[t.b], points[t.c])
            let doubled = doubledArea(a, b, c)
            XCTAssertGreaterThan(doubled, 0, "triangle \(t) not positively oriented", file: file, line: line)
            area += doubled / 2
            // Circumcentre and radius.
            let d = 2 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y))
            let a2 = a.x * a.x + a.y * a.y, b2 = b.x * b.x + b.y * b.y, c2 = c.x * c.x + c.y * c.y
            let centre = Point(x: (a2 * (b.y - c.y) + b2 * (c.y - a.y) + c2 * (a.y - b.y)) / d,
                               y: (a2 * (c.x - b.x) + b2 * (a.x - c.x) + c2 * (b.x - a.x)) / d)
            let radius = centre.distance(to: a)
            for (i, p) in points.enumerated() where ![t.a, t.b, t.c].contains(i) && p != a && p != b && p != c {
                XCTAssertGreaterThanOrEqual(centre.distance(to: p), radius * (1 - 1e-9),
                                            "point \(i) inside circumcircle of \(t)", file: file, line: line)
            }
        }
        XCTAssertEqual(area, hullArea(points), accuracy: 1e-9 * max(1, hullArea(points)), "triangles do not cover the hull",
                       file: file, line: line)
        // Every distinct point is a vertex, referenced through its first index.
        let used = Set(triangles.flatMap(\.indices))
        for (i, p) in points.enumerated() {
            let first = points.firstIndex(of: p)!
            XCTAssertEqual(used.contains(i), i == first, "point \(i) (first index \(first))", file: file, line: line)
        }
    }

    func testRandomPointsWithDuplicatesAndCollinearRuns() {
        var random = SeededRandom(seed: 7)
        var points = (0..<80).map { _ in Point(x: random.unit() * 500, y: random.unit() * 300) }
        points += (0..<10).map { Point(x: 20 + Double($0) * 40, y: 150) }   // a collinear run through the middle
        points += [points[3], points[40], points[85], points[3]]            // duplicates
        assertValid(points, Delaunay.triangulate(points))
    }

    func testGridIsCocircularAndCollinearEverywhere() {
        let points = (0..<36).map { Point(x: Double($0 % 6) * 10, y: Double($0 / 6) * 10) }
        let triangles = Delaunay.triangulate(points)
        XCTAssertEqual(triangles.count, 50)
        assertValid(points, triangles)
    }

    func testFrameBorderPointsAndFacePointsTileTheFrame() {
        let face = AlignedFace.synthetic(size: 720, seed: 1)
        let border = [(0, 0), (0.5, 0), (1, 0), (1, 0.5), (1, 1), (0.5, 1), (0, 1), (0, 0.5)].map { Point(x: $0.0 * 719, y: $0.1 * 719) }
        let points = face.points + border
        let triangles = Delaunay.triangulate(points)
        assertValid(points, triangles)
        XCTAssertEqual(triangles.map { abs(doubledArea(points[$0.a], points[$0.b], points[$0.c])) / 2 }.reduce(0, +), 719 * 719, accuracy: 1e-6)
    }

    func testDegenerateInputsGiveNoTrianglesWithoutCrashing() {
        XCTAssertEqual(Delaunay.triangulate([]), [])
        XCTAssertEqual(Delaunay.triangulate([Point(x: 1, y: 1), Point(x: 1, y: 1), Point(x: 2, y: 2)]), [])
        XCTAssertEqual(Delaunay.triangulate((0..<20).map { Point(x: Double($0), y: 2 * Double($0) + 1) }), [])
    }

    func testDuplicateOfAVertexMapsToTheFirstIndex() {
        let points = [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1), Point(x: 1, y: 0)]
        XCTAssertEqual(Delaunay.triangulate(points).count, 1)
        XCTAssertFalse(Delaunay.triangulate(points).flatMap(\.indices).contains(3))
    }
}
