import XCTest
import Imaging
@testable import Morph

final class AlignmentTests: XCTestCase {
    func testOddOrEmptyFrameSizesAreRejected() {
        XCTAssertThrowsError(try FaceAligner(width: 721, height: 720)) {
            XCTAssertEqual($0 as? MorphError, .invalidFrameSize(width: 721, height: 720))
        }
        XCTAssertThrowsError(try FaceAligner(width: 0, height: 0))
    }

    func testEyesLandOnTheirTargets() throws {
        let aligner = try FaceAligner(width: 720, height: 720)
        let map = try aligner.transform(leftEye: Point(x: 1200, y: 830), rightEye: Point(x: 1500, y: 790))
        let targets = aligner.eyeTargets
        XCTAssertEqual(map.apply(Point(x: 1200, y: 830)).distance(to: targets.left), 0, accuracy: 1e-9)
        XCTAssertEqual(map.apply(Point(x: 1500, y: 790)).distance(to: targets.right), 0, accuracy: 1e-9)
        XCTAssertEqual(targets.left.y, targets.right.y)
        XCTAssertThrowsError(try aligner.transform(leftEye: Point(x: 5, y: 5), rightEye: Point(x: 5, y: 5)))
        XCTAssertThrowsError(try aligner.transform(leftEye: Point(x: .nan, y: 5), rightEye: Point(x: 9, y: 5))) {
            XCTAssertEqual($0 as? MorphError, .nonFiniteEyes)
        }
    }

    func testIbugEyeCentresAreMeansOfTheEyeContours() throws {
        var points = [Point](repeating: Point(x: 0, y: 0), count: 68)
        for i in 36..<42 { points[i] = Point(x: Double(i), y: 10) }
        for i in 42..<48 { points[i] = Point(x: Double(i), y: 20) }
        let eyes = try FaceAligner.eyeCentres(ibug68: points)
        XCTAssertEqual(eyes.left, Point(x: 38.5, y: 10))
        XCTAssertEqual(eyes.right, Point(x: 44.5, y: 20))
        XCTAssertThrowsError(try FaceAligner.eyeCentres(ibug68: Array(points.prefix(40))))
    }

    /// A quarter turn plus an integer shift maps pixel centres onto pixel centres: samples move exactly.
    func testQuarterTurnMovesEverySampleExactly() throws {
        let photo = patternImage(width: 20, height: 16, seed: 3)
        let aligner = try FaceAligner(width: 16, height: 20)
        let map = AffineTransform.translation(15, 0).concatenating(after: .rotation(.pi / 2))  // (x, y) -> (15 - y, x)
        let out = aligner.warp(photo, frameFromPhoto: map)
        for y in 0..<16 {
            for x in 0..<20 {
                for c in 0..<3 { XCTAssertEqual(out[15 - y, x, c], photo[x, y, c]) }
            }
        }
    }

    /// A blob at a known place lands where the transform sends it, under rotation and scale.
    func testRotatedScaledWarpMapsAKnownPoint() throws {
        let photo = blobImage(width: 80, height: 60, center: Point(x: 30.25, y: 22.5), sigma: 2)
        let aligner = try FaceAligner(width: 96, height: 96)
        let map = try aligner.transform(leftEye: Point(x: 20, y: 30), rightEye: Point(x: 50, y: 35))
        let aligned = try aligner.align(photo, keypoints: [Point(x: 30.25, y: 22.5)], leftEye: Point(x: 20, y: 30), rightEye: Point(x: 50, y: 35))
        XCTAssertEqual(aligned.points[0], map.apply(Point(x: 30.25, y: 22.5)))
        // The window excludes the blob's mirror image near the bottom edge.
        XCTAssertEqual(centroid(aligned.image, near: aligned.points[0]).distance(to: aligned.points[0]), 0, accuracy: 0.05)
    }

    /// Outside the photo the frame shows the photo mirrored at its edges, not black.
    func testAreasOutsideThePhotoAreReflections() throws {
        let photo = patternImage(width: 10, height: 10, seed: 1)
        let aligner = try FaceAligner(width: 30, height: 30)
        let out = aligner.warp(photo, frameFromPhoto: .translation(10, 10))
        for c in 0..<3 {
            XCTAssertEqual(out[12, 12, c], photo[2, 2, c])
            XCTAssertEqual(out[8, 12, c], photo[2, 2, c])    // x = -2 mirrors to 2
            XCTAssertEqual(out[21, 25, c], photo[7, 3, c])   // x = 11 -> 7, y = 15 -> 3
        }
    }

    func testLargePhotosArePrefilteredBeforeSampling() throws {
        // A one-pixel checkerboard reduced 8x must come out mid-grey, not aliased black/white.
        var photo = Image(width: 256, height: 256, channels: 1)
        for y in 0..<256 { for x in 0..<256 where (x + y) % 2 == 0 { photo[x, y, 0] = 255 } }
        let aligner = try FaceAligner(width: 32, height: 32)
        let out = aligner.warp(photo, frameFromPhoto: .scale(0.125, 0.125))
        for value in out.pixels[(16 * 32 * 3)..<(17 * 32 * 3)] { XCTAssertEqual(Double(value), 127.5, accuracy: 2) }
    }
}
