import XCTest
import Imaging
@testable import Morph

final class FaceMorphTests: XCTestCase {
    private func face(seed: Int, shift: Double) -> AlignedFace {
        var random = SeededRandom(seed: UInt64(seed))
        let points = (0..<30).map { _ in Point(x: 8 + random.unit() * 48 + shift, y: 8 + random.unit() * 40) }
        return AlignedFace(image: patternImage(width: 72, height: 60, seed: seed), points: points)
    }

    func testWeightsZeroAndOneReproduceTheAlignedEndpoints() throws {
        let a = face(seed: 1, shift: 0), b = face(seed: 2, shift: 5)
        let morph = try FaceMorph(from: a, to: b)
        XCTAssertEqual(morph.frame(alpha: 0), a.image)
        XCTAssertEqual(morph.frame(alpha: 1), b.image)
        let middle = morph.frame(alpha: 0.5)
        XCTAssertNotEqual(middle, a.image)
        XCTAssertNotEqual(middle, b.image)
    }

    /// A feature drawn at keypoint k in each face sits at the interpolated keypoint mid-morph, when
    /// the keypoints around it move together (so every triangle near it has the same affine map).
    func testFeatureFollowsItsKeypoint() throws {
        let p = Point(x: 24.3, y: 25.6), shift = Point(x: 17.4, y: 6.7)
        let square = [(-7, -7), (7, -7), (7, 7), (-7, 7)].map { Point(x: p.x + Double($0.0), y: p.y + Double($0.1)) }
        let shapeA = [p] + square
        let shapeB = shapeA.map { Point(x: $0.x + shift.x, y: $0.y + shift.y) }
        let a = AlignedFace(image: blobImage(width: 72, height: 60, center: shapeA[0]), points: shapeA)
        let b = AlignedFace(image: blobImage(width: 72, height: 60, center: shapeB[0]), points: shapeB)
        let morph = try FaceMorph(from: a, to: b)
        for alpha in [0.25, 0.5, 0.8] {
            let expected = shapeA[0].interpolated(to: shapeB[0], t: alpha)
            XCTAssertEqual(centroid(morph.frame(alpha: alpha), near: expected, radius: 5).distance(to: expected), 0, accuracy: 0.02)
        }
    }

    /// When B's keypoints are an affine image of A's and B the same affine warp of A, every morph
    /// frame shows one consistent picture: the two warps agree, so mid-way equals both sources.
    func testAffinePairIsConsistentMidway() throws {
        let aligner = try FaceAligner(width: 72, height: 60)
        let base = smoothImage(width: 72, height: 60)
        let a = face(seed: 4, shift: 0)
        let map = AffineTransform.translation(1.5, -0.75)
        let b = AlignedFace(image: aligner.warp(base, frameFromPhoto: map), points: a.points.map(map.apply))
        let morph = try FaceMorph(from: AlignedFace(image: base, points: a.points), to: b)
        let mid = morph.frame(alpha: 0.5)
        let expected = aligner.warp(base, frameFromPhoto: .translation(0.75, -0.375))
        // Compare away from the border, where the frame points stay fixed instead of following the map.
        var worst = 0
        for y in 15..<45 { for x in 20..<52 { for c in 0..<3 { worst = max(worst, abs(Int(mid[x, y, c]) - Int(expected[x, y, c]))) } } }
        XCTAssertLessThanOrEqual(worst, 3)
    }

    func testMismatchedPairsAreRejected() {
        let a = face(seed: 1, shift: 0)
        let fewer = AlignedFace(image: a.image, points: Array(a.points.prefix(10)))
        XCTAssertThrowsError(try FaceMorph(from: a, to: fewer))
        let smaller = AlignedFace(image: patternImage(width: 70, height: 60, seed: 1), points: a.points)
        XCTAssertThrowsError(try FaceMorph(from: a, to: smaller))
    }

    func testSequenceStreamsTheScheduledFrames() throws {
        let faces = [face(seed: 1, shift: 0), face(seed: 2, shift: 3), face(seed: 3, shift: -3)]
        let schedule = try FrameSchedule(photoCount: 3, transition: 0.5, hold: 0.2, fps: 10)
        var seen: [Image] = []
        try MorphSequence(faces: faces, schedule: schedule, easing: .smooth).render { index, frame in
            XCTAssertEqual(index, seen.count)
            seen.append(frame)
        }
        XCTAssertEqual(seen.count, schedule.frameCount)
        XCTAssertEqual(seen.count, 3 * 2 + 2 * 5)
        XCTAssertEqual(seen[0], faces[0].image)
        XCTAssertEqual(seen[7], faces[1].image)
        XCTAssertEqual(seen.last, faces[2].image)
        XCTAssertNotEqual(seen[4], faces[0].image)
    }

    /// Keypoints that swap places fold triangles over mid-morph; every pixel must still be written,
    /// whatever the output buffer held before.
    func testFoldedTrianglesLeaveNoStalePixels() throws {
        let pa = [Point(x: 20, y: 20), Point(x: 50, y: 22), Point(x: 35, y: 45)]
        let pb = [pa[1], pa[0], Point(x: 36, y: 15)]
        let morph = try FaceMorph(from: AlignedFace(image: patternImage(width: 72, height: 60, seed: 1), points: pa),
                                  to: AlignedFace(image: patternImage(width: 72, height: 60, seed: 9), points: pb))
        for alpha in [0.3, 0.5, 0.7] {
            var dark = Image(width: 72, height: 60, channels: 3, fill: 0)
            var bright = Image(width: 72, height: 60, channels: 3, fill: 255)
            morph.render(alpha: alpha, into: &dark)
            morph.render(alpha: alpha, into: &bright)
            XCTAssertEqual(dark, bright)
        }
    }

    /// Keypoints outside the frame in either face are dropped, so the triangles still tile the frame.
    func testKeypointsOutsideTheFrameAreDroppedAndTheFrameIsTiled() throws {
        var a = face(seed: 1, shift: 0).points, b = face(seed: 2, shift: 0).points
        a[0] = Point(x: -5, y: 30)
        b[1] = Point(x: 30, y: 80)
        let morph = try FaceMorph(from: AlignedFace(image: patternImage(width: 72, height: 60, seed: 1), points: a),
                                  to: AlignedFace(image: patternImage(width: 72, height: 60, seed: 2), points: b))
        XCTAssertEqual(morph.sourceShape.count, 30 - 2 + 8)
        let mid = zip(morph.sourceShape, morph.targetShape).map { $0.interpolated(to: $1) }
        let area = morph.triangles.map { doubledArea(mid[$0.a], mid[$0.b], mid[$0.c]) / 2 }.reduce(0, +)
        XCTAssertEqual(area, 71 * 59, accuracy: 1e-9)
    }
}
