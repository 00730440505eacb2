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
        let cropFromPhoto = try XCTUnwrap(IdentityAlignment.standard.cropFromPhoto(ibug68: face))
        for (anchor, place) in zip(IdentityAlignment.anchors(ibug68: face), template) {
            XCTAssertEqual(cropFromPhoto.apply(anchor).x, place.x, accuracy: 1e-6)
            XCTAssertEqual(cropFromPhoto.apply(anchor).y, place.y, accuracy: 1e-6)
        }
        XCTAssertNil(IdentityAlignment.standard.cropFromPhoto(ibug68: [Point](repeating: Point(x: 3, y: 3), count: 68)))
    }

    func testWiderContextShrinksTheFaceAboutTheCentre() throws {
        let face = points(leftEye: Point(x: 40, y: 50), rightEye: Point(x: 60, y: 50), mouthLeft: Point(x: 42, y: 80),
                          mouthRight: Point(x: 58, y: 80))
        let standard = try XCTUnwrap(IdentityAlignment(side: 80, context: 1).cropFromPhoto(ibug68: face))
        let wide = try XCTUnwrap(IdentityAlignment(side: 80, context: 1.25).cropFromPhoto(ibug68: face))
        let centre = 39.5
        for anchor in IdentityAlignment.anchors(ibug68: face) {
            // Each anchor lies 1.25 times closer to the crop's centre.
            XCTAssertEqual(wide.apply(anchor).x - centre, (standard.apply(anchor).x - centre) / 1.25, accuracy: 1e-6)
            XCTAssertEqual(wide.apply(anchor).y - centre, (standard.apply(anchor).y - centre) / 1.25, accuracy: 1e-6)
        }
    }

    func testLayoutRoundTripsThroughMetadataAndRejectsBadValues() throws {
        let layout = IdentityAlignment(side: 96, context: 1.3)
        XCTAssertEqual(try IdentityAlignment(metadata: layout.metadata, file: "m"), layout)
        XCTAssertEqual(try IdentityAlignment(metadata: [:], file: "m"), .standard)
        XCTAssertThrowsError(try IdentityAlignment(metadata: ["input": "12"], file: "m.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("m.safetensors"), "\(error)")
        }
        XCTAssertThrowsError(try IdentityAlignment(metadata: ["crop_context": "wide"], file: "m"))
    }

    func testModelOfAnotherCropSideLoadsWithItsLayout() throws {
        let layout = IdentityAlignment(side: 96, context: 1.25)
        let network = IdentityNetwork.make(side: layout.side, seed: 3)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try network.save(to: url, metadata: layout.metadata.merging(["task": IdentityModel.task, "threshold": "0.3"]) { $1 })
        let loaded = try IdentityModel(contentsOf: url)
        XCTAssertEqual(loaded.alignment, layout)
        var photo = Image(width: 160, height: 160, channels: 1, fill: 90)
        for y in 60..<100 { for x in 50..<110 { photo.pixels[y * 160 + x] = UInt8((x * 7 + y * 3) % 256) } }
        let face = points(leftEye: Point(x: 65, y: 70), rightEye: Point(x: 95, y: 70), mouthLeft: Point(x: 68, y: 110),
                          mouthRight: Point(x: 92, y: 110))
        let original = IdentityModel(network: network, alignment: layout, threshold: 0.3)
        let a = try XCTUnwrap(original.embeddings(photo, faces: [face])[0]), b = try XCTUnwrap(loaded.embeddings(photo, faces: [face])[0])
        XCTAssertEqual(a.count, IdentityNetwork.embeddingSize)
        XCTAssertEqual(Embedding.cosine(a, b), 1, accuracy: 1e-5)
    }
}
