import Imaging
import XCTest
@testable import FaceData

final class LandmarkSchemeTests: XCTestCase {
    let schemes: [LandmarkScheme] = [.ibug68, .imm58]

    func testFlipTablesArePermutationsAndInvolutions() {
        for scheme in schemes {
            let table = scheme.flipPermutation
            XCTAssertEqual(table.count, scheme.pointCount, scheme.name)
            XCTAssertEqual(Set(table), Set(0..<scheme.pointCount), "\(scheme.name) is not a permutation")
            XCTAssertEqual(table.map { table[$0] }, Array(0..<scheme.pointCount), "\(scheme.name) is not an involution")
        }
    }

    func testFlipMapsOneEyeOntoTheOtherAndKeepsPartsTogether() {
        for scheme in schemes {
            let table = scheme.flipPermutation
            XCTAssertEqual(Set(scheme.imageLeftEye.map { table[$0] }), Set(scheme.imageRightEye), scheme.name)
            XCTAssertEqual(table[scheme.interocularPair.0], scheme.interocularPair.1, scheme.name)
            XCTAssertEqual(table[scheme.noseTip], scheme.noseTip, scheme.name)
        }
        let ibug = LandmarkScheme.ibug68.flipPermutation
        XCTAssertEqual(ibug[36], 45)
        XCTAssertEqual(ibug[39], 42)
        XCTAssertEqual(ibug[48], 54)
        XCTAssertEqual(ibug[0], 16)
        XCTAssertEqual(ibug[8], 8)
        let imm = LandmarkScheme.imm58.flipPermutation
        XCTAssertEqual(imm[13], 21)
        XCTAssertEqual(imm[39], 43)
        XCTAssertEqual(imm[6], 6)
    }

    /// A face that is its own mirror image comes back unchanged from a flip, and a flip twice
    /// gives back any face.
    func testFlippingPoints() {
        let width = 201
        let axis = Double(width - 1) / 2
        for scheme in schemes {
            var symmetric = [Point](repeating: Point(x: 0, y: 0), count: scheme.pointCount)
            for i in 0..<scheme.pointCount where i <= scheme.flipPermutation[i] {
                let mirror = scheme.flipPermutation[i]
                let offset = i == mirror ? 0 : Double(10 + i)
                symmetric[i] = Point(x: axis - offset, y: Double(3 * i))
                symmetric[mirror] = Point(x: axis + offset, y: Double(3 * i))
            }
            XCTAssertEqual(scheme.flippedHorizontally(symmetric, imageWidth: width), symmetric, scheme.name)

            let any = (0..<scheme.pointCount).map { Point(x: Double($0 * 7 % 200), y: Double($0)) }
            let flipped = scheme.flippedHorizontally(any, imageWidth: width)
            XCTAssertEqual(flipped[scheme.flipPermutation[5]].x, Double(width - 1) - any[5].x)
            XCTAssertEqual(scheme.flippedHorizontally(flipped, imageWidth: width), any, scheme.name)
        }
    }

    func testInterocularDistanceAndEyeCentres() {
        var points = [Point](repeating: Point(x: 50, y: 50), count: 68)
        for i in 36...41 { points[i] = Point(x: 30 + Double(i - 36), y: 40) }  // mean x 32.5
        for i in 42...47 { points[i] = Point(x: 70 + Double(i - 42), y: 44) }  // mean x 72.5
        points[36] = Point(x: 20, y: 40)                                     // mean x 30.833...
        points[45] = Point(x: 80, y: 48)
        let scheme = LandmarkScheme.ibug68
        XCTAssertEqual(scheme.interocularDistance(points), (60.0 * 60 + 8 * 8).squareRoot(), accuracy: 1e-12)
        let centres = scheme.eyeCentres(points)
        XCTAssertEqual(centres.imageLeft.x, (20 + 31 + 32 + 33 + 34 + 35) / 6, accuracy: 1e-12)
        XCTAssertEqual(centres.imageLeft.y, 40, accuracy: 1e-12)
        XCTAssertEqual(centres.imageRight.x, (70 + 71 + 72 + 80 + 74 + 75) / 6, accuracy: 1e-12)
        XCTAssertEqual(centres.imageRight.y, (5 * 44 + 48) / 6, accuracy: 1e-12)
    }

    func testPartsCoverEveryPointOnce() {
        for scheme in schemes {
            XCTAssertEqual(scheme.parts.flatMap { Array($0.indices) }.sorted(), Array(0..<scheme.pointCount), scheme.name)
        }
    }
}
