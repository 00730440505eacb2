import Foundation
import XCTest
@testable import Imaging

final class FailureTests: XCTestCase {
    private func assertThrows(_ bytes: [UInt8], name: String, _ check: (ImagingError) -> Bool,
                              file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try ImageFile.decode(bytes, name: name)
            XCTFail("\(name) decoded", file: file, line: line)
        } catch let error as ImagingError {
            XCTAssertTrue(check(error), "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(name), "message names the file: \(error)", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    func testZeroByteAndTextFiles() {
        assertThrows([], name: "empty.jpg") { $0 == .empty(file: "empty.jpg") }
        assertThrows(Array("hello, not an image\n".utf8), name: "notes.jpg") { $0 == .unsupportedFormat(file: "notes.jpg") }
    }

    func testTruncatedJPEGAndPNG() throws {
        let jpeg = try ImageFile.encodeJPEG(TestImages.gradient(width: 128, height: 96), quality: 90)
        assertThrows(Array(jpeg.prefix(jpeg.count / 2)), name: "half.jpg") { $0 == .truncated(file: "half.jpg") }
        assertThrows(Array(jpeg.prefix(40)), name: "head.jpg") {
            if case .corrupt = $0 { return true }
            return $0 == .truncated(file: "head.jpg")
        }
        let png = try ImageFile.encodePNG(TestImages.gradient(width: 128, height: 96))
        assertThrows(Array(png.prefix(png.count / 2)), name: "half.png") {
            if case .corrupt = $0 { return true }
            return $0 == .truncated(file: "half.png")
        }
    }

    func testCorruptHeaders() throws {
        var jpeg = try ImageFile.encodeJPEG(TestImages.gradient())
        for i in 20..<60 { jpeg[i] = 0x5A }
        assertThrows(jpeg, name: "mangled.jpg") { if case .corrupt = $0 { return true } else { return false } }
        var png = try ImageFile.encodePNG(TestImages.gradient())
        png[20] ^= 0xFF  // IHDR CRC no longer matches
        assertThrows(png, name: "mangled.png") { if case .corrupt = $0 { return true } else { return false } }
    }

    func testMildDamageStillDecodes() throws {
        // Stray bytes before a marker make libjpeg warn ("extraneous bytes"), not fail.
        let original = TestImages.gradient(width: 64, height: 48)
        var jpeg = try ImageFile.encodeJPEG(original, quality: 95)
        let eoi = jpeg.count - 2
        jpeg.insert(contentsOf: [0x12, 0x34, 0x56], at: eoi)
        let decoded = try ImageFile.decode(jpeg, name: "stray.jpg").image
        XCTAssertEqual([decoded.width, decoded.height], [64, 48])
        XCTAssertEqual(decoded, try ImageFile.decode(try ImageFile.encodeJPEG(original, quality: 95), name: "clean.jpg").image)
    }

    func testRandomDamageNeverCrashes() throws {
        let jpeg = try ImageFile.encodeJPEG(TestImages.gradient(), quality: 80)
        let png = try ImageFile.encodePNG(TestImages.gradient())
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var decoded = 0, rejected = 0
        for round in 0..<300 {
            var bytes = round % 2 == 0 ? jpeg : png
            for _ in 0..<(1 + next() % 8) { bytes[next() % bytes.count] = UInt8(next() % 256) }
            if round % 5 == 0 { bytes = Array(bytes.prefix(next() % bytes.count)) }
            do {
                _ = try ImageFile.decode(bytes, name: "fuzz")
                decoded += 1
            } catch is ImagingError {
                rejected += 1
            }
        }
        XCTAssertEqual(decoded + rejected, 300)
        XCTAssertGreaterThan(rejected, 0)
    }

    func testPixelLimitIsCheckedFromTheHeader() throws {
        let image = TestImages.gradient(width: 100, height: 80)
        for (bytes, name) in [(try ImageFile.encodeJPEG(image), "big.jpg"), (try ImageFile.encodePNG(image), "big.png")] {
            XCTAssertThrowsError(try ImageFile.decode(bytes, name: name, pixelLimit: 7_999)) {
                XCTAssertEqual($0 as? ImagingError, .tooLarge(file: name, width: 100, height: 80, limit: 7_999))
            }
            XCTAssertNoThrow(try ImageFile.decode(bytes, name: name, pixelLimit: 8_000))
        }
    }

    func testMissingFileAndAtomicWrite() throws {
        XCTAssertThrowsError(try ImageFile.read("/nonexistent/photo.jpg")) {
            XCTAssertEqual($0 as? ImagingError, .unreadable(file: "/nonexistent/photo.jpg", reason: "no such file"))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try ImageFile.read(folder.path)) {
            XCTAssertEqual($0 as? ImagingError, .unreadable(file: folder.path, reason: "a folder, not a photo (give its photos, e.g. \(folder.path)/*.jpg)"))
        }
        let path = folder.appendingPathComponent("out.png").path
        try ImageFile.write(TestImages.gradient(), to: path)
        XCTAssertEqual(try ImageFile.read(path).image, TestImages.gradient())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.png"])
        XCTAssertThrowsError(try ImageFile.write(TestImages.gradient(), to: folder.appendingPathComponent("x.bmp").path))
    }
}
