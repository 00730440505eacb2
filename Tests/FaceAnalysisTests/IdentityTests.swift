import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing
import XCTest
@testable import FaceAnalysis

final class IdentityTests: XCTestCase {
    /// 68 points whose eye centres and mouth corners are the given places (the other points at the centre).
    private func points(leftEye: Point, rightEye: Point, mouthLeft: Point, mouthRight: Point) -> [Point] {
        var points = [Point](repeating: leftEye.interpolated(to: mouthRight), count: 68)
        for i in 36...41 { points[i] = leftEye }
        for i in 42...47 { points[i] = rightEye }
        points[48] = mouthLeft
        points[54] = mouthRight
        return points
    }

    func testAlignmentPutsTheAnchorsOnTheTemplate() throws {
        let rotation = AffineTransform.translation(40, 30).concatenating(after: .scale(2, 2)).concatenating(after: .rotation(0.3))
        let template = IdentityAlignment.template.map { Point(x: $0.x * 64 - 0.5, y: $0.y * 64 - 0.5) }
        let inPhoto = template.map { rotation.apply($0) }
        let face = points(leftEye: inPhoto[0], rightEye: inPhoto[1], mouthLeft: inPhoto[2], mouthRight: inPhoto[3])
        let cropFromPhoto = try XCTUnwrap(IdentityAlignment.cropFromPhoto(ibug68: face))
        for (anchor, place) in zip(IdentityAlignment.anchors(ibug68: face), template) {
            XCTAssertEqual(cropFromPhoto.apply(anchor).x, place.x, accuracy: 1e-6)
            XCTAssertEqual(cropFromPhoto.apply(anchor).y, place.y, accuracy: 1e-6)
        }
        XCTAssertNil(IdentityAlignment.cropFromPhoto(ibug68: [Point](repeating: Point(x: 3, y: 3), count: 68)))
    }
}
