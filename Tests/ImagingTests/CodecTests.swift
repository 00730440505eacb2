import Foundation
import XCTest
@testable import Imaging

final class CodecTests: XCTestCase {
    private func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        XCTAssertEqual(a.pixels.count, b.pixels.count)
        let total = zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(a.pixels.count)
    }

    func testJPEGRoundTripStaysClose() throws {
        let original = TestImages.gradient()
        let bytes = try ImageFile.encodeJPEG(original, quality: 95)
        let decoded = try ImageFile.decode(bytes, name: "gradient.jpg").image
        XCTAssertEqual(decoded.width, 64)
        XCTAssertEqual(decoded.height, 48)
        XCTAssertLessThan(meanAbsoluteDifference(original, decoded), 2.0)
    }

    func testPNGRoundTripIsExact() throws {
        let original = TestImages.gradient()
        let decoded = try ImageFile.decode(ImageFile.encodePNG(original), name: "gradient.png").image
        XCTAssertEqual(decoded, original)
        let grey = TestImages.uniquePixels(width: 5, height: 3)
        XCTAssertEqual(try ImageFile.decode(ImageFile.encodePNG(grey), name: "g.png", mode: .grey).image, grey)
    }

    func testGreyJPEGDecodesToEqualRGBChannels() throws {
        let grey = TestImages.gradient().converted(to: .grey)
        let rgb = try ImageFile.decode(ImageFile.encodeJPEG(grey, quality: 95), name: "grey.jpg", mode: .rgb).image
        XCTAssertEqual(rgb.channels, 3)
        for i in 0..<rgb.pixelCount {
            XCTAssertEqual(rgb.pixels[3 * i], rgb.pixels[3 * i + 1])
            XCTAssertEqual(rgb.pixels[3 * i], rgb.pixels[3 * i + 2])
        }
        XCTAssertLessThan(meanAbsoluteDifference(rgb.converted(to: .grey), grey), 2.0)
    }

    func testCMYKJPEGConvertsToRGB() throws {
        // Inverted (Adobe) CMYK: 255 means no ink. Pure red is C=0 M=1 Y=1 K=0 -> stored (255, 0, 0, 255).
        let samples = Array([[UInt8]](repeating: [255, 0, 0, 255], count: 16 * 16).joined())
        let bytes = try JPEGCodec.encode(samples: samples, width: 16, height: 16, channels: 4, quality: 100,
                                         progressive: false, name: "cmyk.jpg")
        let rgb = try ImageFile.decode(bytes, name: "cmyk.jpg").image
        XCTAssertGreaterThan(rgb[8, 8, 0], 245)
        XCTAssertLessThan(rgb[8, 8, 1], 10)
        XCTAssertLessThan(rgb[8, 8, 2], 10)
        let grey = try ImageFile.decode(bytes, name: "cmyk.jpg", mode: .grey).image
        XCTAssertEqual(Double(grey[8, 8, 0]), 76, accuracy: 4)
    }

    func testProgressiveJPEGDecodes() throws {
        let original = TestImages.gradient()
        let bytes = try JPEGCodec.encode(original, quality: 95, progressive: true, name: "p.jpg")
        XCTAssertTrue(try JPEGCodec.header(of: bytes, name: "p.jpg").progressive)
        XCTAssertFalse(try JPEGCodec.header(of: ImageFile.encodeJPEG(original), name: "b.jpg").progressive)
        XCTAssertLessThan(meanAbsoluteDifference(original, try ImageFile.decode(bytes, name: "p.jpg").image), 2.0)
    }

    func testSixteenBitPNGKeepsTheHighByte() throws {
        let values: [UInt16] = [0, 0x4000, 0x8000, 0xFFFF]
        let bytes = try TestImages.png16(width: 4, height: 1, values: values)
        let decoded = try ImageFile.decode(bytes, name: "16.png", mode: .grey).image
        XCTAssertEqual(decoded.pixels.first, 0)
        XCTAssertEqual(decoded.pixels.last, 255)
        XCTAssertTrue(zip(decoded.pixels, decoded.pixels.dropFirst()).allSatisfy { $0 < $1 }, "\(decoded.pixels)")
    }

    func testPaletteAndAlphaPNGs() throws {
        let palette = [Color.red, Color.green, Color.blue]
        let bytes = try TestImages.palettePNG(width: 3, height: 1, palette: palette, indices: [2, 1, 0])
        let decoded = try ImageFile.decode(bytes, name: "palette.png").image
        XCTAssertEqual(decoded.pixels, [Color.blue, Color.green, Color.red].flatMap { [$0.r, $0.g, $0.b] })
        // Fully transparent pixels composite on white; opaque ones keep their colour.
        let rgba = try TestImages.rgbaPNG(width: 2, height: 1, rgba: [10, 20, 30, 255, 0, 0, 0, 0])
        XCTAssertEqual(try ImageFile.decode(rgba, name: "alpha.png").image.pixels, [10, 20, 30, 255, 255, 255])
    }

    func testDecoderShrinksJPEGsOnlyAsFarAsAsked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shrink-\(getpid()).jpg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ImageFile.write(TestImages.gradient(width: 64, height: 48), to: path)
        let halved = try ImageFile.read(path, minimumLongSide: 20)
        XCTAssertEqual([halved.decoded.image.width, halved.decoded.image.height, halved.decoded.scale], [32, 24, 2])
        XCTAssertEqual([halved.width, halved.height], [64, 48])
        XCTAssertEqual(try ImageFile.read(path, minimumLongSide: 64).decoded.scale, 1)
        XCTAssertEqual(try ImageFile.read(path, minimumLongSide: 1).decoded.scale, 8)
    }
}
