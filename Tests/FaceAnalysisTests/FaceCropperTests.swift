import FaceData
import Foundation
import Imaging
import NeuralNet
import XCTest
@testable import FaceAnalysis

final class FaceCropperTests: XCTestCase {
    func testCropMapsPointsAndPixelsTogether() {
        var photo = Image(width: 200, height: 160, channels: 1, fill: 0)
        for y in 70..<74 { for x in 120..<124 { photo[x, y, 0] = 255 } }  // a bright block centred at (121.5, 71.5)
        let cropper = FaceCropper(width: 64, height: 64)
        let crop = cropper.crop(photo, center: Point(x: 100, y: 80), side: 128, points: [Point(x: 121.5, y: 71.5)],
                                geometry: CropGeometry())
        let p = crop.points[0]
        XCTAssertEqual(p.x, 31.5 + 21.5 / 2, accuracy: 1e-9)
        XCTAssertEqual(p.y, 31.5 - 8.5 / 2, accuracy: 1e-9)
        XCTAssertGreaterThan(crop.image[Int(p.x.rounded()), Int(p.y.rounded()), 0], 150)
        let back = crop.cropFromPhoto.inverted!.apply(p)
        XCTAssertEqual(back.x, 121.5, accuracy: 1e-9)
    }

    func testShrinkingOnlyTheRegionUnderACropMatchesShrinkingTheWholePhoto() {
        var photo = Image(width: 900, height: 700, channels: 1)
        for y in 0..<700 {
            for x in 0..<900 {
                let wave = 60 * sin(Double(x) / 13) * cos(Double(y) / 17) + 40 * sin(Double(x + y) / 29)
                photo[x, y, 0] = UInt8(128 + wave)
            }
        }
        let cropper = FaceCropper(width: 40, height: 40)
        for (center, side, turn) in [(Point(x: 300, y: 250), 240.0, 0.0), (Point(x: 60, y: 650), 200, 0.3),
                                     (Point(x: 850, y: 30), 400, -0.2)] {
            let crop = cropper.crop(photo, center: center, side: side, points: [], scheme: nil,
                                    geometry: CropGeometry(rotation: turn))
            let factor = Int(side / 40)
            let whole = photo.resized(width: 900 / factor, height: 700 / factor)
            let sx = 900 / Double(whole.width), sy = 700 / Double(whole.height)
            let photoFromSmall = AffineTransform(a: sx, b: 0, c: 0, d: sy, tx: (sx - 1) / 2, ty: (sy - 1) / 2)
            let reference = whole.warped(sourceFromOutput: crop.cropFromPhoto.concatenating(after: photoFromSmall).inverted!,
                                         width: 40, height: 40)
            let difference = zip(crop.image.pixels, reference.pixels).map { abs(Int($0) - Int($1)) }
            XCTAssertLessThan(Double(difference.reduce(0, +)) / Double(difference.count), 1.5, "crop at \(center)")
        }
    }

    func testFlipRenumbersPointsWithTheScheme() {
        let scheme = LandmarkScheme.ibug68
        let points = (0..<68).map { Point(x: 50 + Double($0 % 17) * 3, y: 40 + Double($0 / 17) * 5) }
        let photo = Image(width: 160, height: 120, channels: 1, fill: 90)
        let cropper = FaceCropper(width: 80, height: 80)
        let plain = cropper.crop(photo, center: Point(x: 80, y: 60), side: 100, points: points, scheme: scheme,
                                 geometry: CropGeometry())
        let mirrored = cropper.crop(photo, center: Point(x: 80, y: 60), side: 100, points: points, scheme: scheme,
                                    geometry: CropGeometry(flip: true))
        for i in 0..<68 {
            let j = scheme.flipPermutation[i]
            XCTAssertEqual(mirrored.points[i].x, 79 - plain.points[j].x, accuracy: 1e-9)
            XCTAssertEqual(mirrored.points[i].y, plain.points[j].y, accuracy: 1e-9)
        }
    }

    func testTargetsRoundTrip() {
        let spec = KeypointModelSpec.landmarks(inputSize: 96)
        let points = (0..<68).map { Point(x: Double($0), y: 95 - Double($0)) }
        var target = [Float](repeating: 0, count: 136)
        target.withUnsafeMutableBufferPointer { spec.encode(points, into: $0.baseAddress!) }
        XCTAssertTrue(target.allSatisfy { abs($0) <= 1 })
        let decoded = target.withUnsafeBufferPointer { spec.decode($0.baseAddress!) }
        for (a, b) in zip(points, decoded) { XCTAssertEqual(a.x, b.x, accuracy: 1e-4); XCTAssertEqual(a.y, b.y, accuracy: 1e-4) }
    }
}
