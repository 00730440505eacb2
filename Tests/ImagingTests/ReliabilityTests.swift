import Foundation
import XCTest
@testable import Imaging

/// Inputs that used to hang or crash the imaging code: far-away drawing, pipes and huge files given
/// as photos, unwritable outputs.
final class ReliabilityTests: XCTestCase {
    func testPlotsOfDivergedRunsDrawWithoutTrapping() {
        // A diverged run's flat 4e16 curve, values one apart at 1e16, huge and tiny values, one point.
        let curves: [[(x: Double, y: Double)]] = [[(1, 3.9e16)], [(1, 1e16), (2, 1e16 + 2)], [(1, 1e-300), (2, 1e305), (3, 5)],
                                                  [(1, .greatestFiniteMagnitude), (2, -.greatestFiniteMagnitude)], [(1e20, 1), (1e20, 2)]]
        let started = Date()
        for (index, points) in curves.enumerated() {
            for logY in [false, true] {
                let plot = LinePlot(title: "loss", xLabel: "epoch", yLabel: "NME",
                                    series: [LinePlot.Series(name: "validation", color: .red, points: points)], logY: logY)
                let image = plot.render(width: 200, height: 150)
                XCTAssertEqual([image.width, image.height], [200, 150], "curve \(index)")
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(LinePlot.span(3.9e16, 3.9e16).1 - LinePlot.span(3.9e16, 3.9e16).0, 0.1 * 3.9e16, accuracy: 1e6)
        XCTAssertEqual(LinePlot.ticks(from: 1e16, to: 1e16 + 2), [1e16], "no step below the values' resolution")
    }

    func testDrawingFarOutsideTheImageCostsNothing() {
        var image = Image(width: 40, height: 30, channels: 3)
        let started = Date()
        image.drawLine(from: Point(x: 0, y: 0), to: Point(x: 1e12, y: 1e12), color: .red, thickness: 3)
        image.drawLine(from: Point(x: -1e15, y: 10), to: Point(x: 1e15, y: 10), color: .green)
        image.drawBox(Box(x: -1e9, y: -1e9, width: 3e9, height: 3e9), color: .blue, thickness: 2)
        image.drawDot(Point(x: 1e300, y: 5), radius: 4, color: .white)
        image.drawDot(Point(x: .nan, y: 5), radius: 4, color: .white)
        image.drawLine(from: Point(x: .infinity, y: 0), to: Point(x: 5, y: 5), color: .white)
        image.drawLine(from: Point(x: -1e308, y: 0), to: Point(x: 1e308, y: 0), color: .white)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertEqual(image[20, 20, 0], Color.red.r, "the visible part of the diagonal is drawn")
        XCTAssertEqual(image[5, 10, 1], Color.green.g, "the visible part of the long line is drawn")
        XCTAssertEqual(image[35, 2, 2], 0, "the box's edges lie outside the image")
    }

    func testClippingKeepsTheVisiblePart() throws {
        let box = Box(x: 0, y: 0, width: 10, height: 10)
        let (a, b) = try XCTUnwrap(Image.clip(Point(x: -10, y: 5), Point(x: 20, y: 5), to: box))
        XCTAssertEqual([a.x, a.y, b.x, b.y], [0, 5, 10, 5])
        XCTAssertNil(Image.clip(Point(x: -10, y: -5), Point(x: 20, y: -5), to: box))
        XCTAssertNil(Image.clip(Point(x: 11, y: 0), Point(x: 30, y: 30), to: box))
    }

    func testBoundsOfGivenBoxesAndPoints() {
        XCTAssertTrue(Box(x: -10, y: -10, width: 50, height: 50).fits(photoWidth: 100, photoHeight: 80))
        XCTAssertFalse(Box(x: 10, y: 10, width: 0, height: 50).fits(photoWidth: 100, photoHeight: 80))
        XCTAssertFalse(Box(x: 100, y: 10, width: 5, height: 5).fits(photoWidth: 100, photoHeight: 80))
        XCTAssertFalse(Box(x: 0, y: 0, width: .nan, height: 5).fits(photoWidth: 100, photoHeight: 80))
        XCTAssertFalse(Box(x: 0, y: 0, width: 401, height: 5).fits(photoWidth: 100, photoHeight: 80))
        XCTAssertTrue(Point(x: -99, y: 159).isNear(photoWidth: 100, photoHeight: 80))
        XCTAssertFalse(Point(x: 201, y: 0).isNear(photoWidth: 100, photoHeight: 80))
        XCTAssertFalse(Point(x: 0, y: .infinity).isNear(photoWidth: 100, photoHeight: 80))
    }

    func testAJPEGMissingOnlyItsEndMarkerDecodes() throws {
        let image = TestImages.gradient(width: 70, height: 50)
        for progressive in [false, true] {
            let jpeg = try JPEGCodec.encode(image, quality: 90, progressive: progressive, name: "mem")
            XCTAssertEqual(Array(jpeg.suffix(2)), [0xFF, 0xD9])
            let complete = try ImageFile.decode(jpeg, name: "complete.jpg").image
            XCTAssertEqual(try ImageFile.decode(Array(jpeg.dropLast(2)), name: "no-end.jpg").image, complete, "progressive \(progressive)")
            XCTAssertThrowsError(try ImageFile.decode(Array(jpeg.prefix(jpeg.count * 2 / 3)), name: "cut.jpg")) {
                XCTAssertEqual($0 as? ImagingError, .truncated(file: "cut.jpg"), "progressive \(progressive)")
            }
        }
    }

    func testPipesDevicesAndHugeFilesAreRefusedBeforeReading() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.jpg").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let huge = folder.appendingPathComponent("huge.jpg").path
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: Data([0xFF, 0xD8, 0xFF])))
        XCTAssertEqual(truncate(huge, 2_000_000_000), 0)  // sparse: no disk used
        let started = Date()
        for path in [fifo, "/dev/zero"] {
            XCTAssertThrowsError(try ImageFile.read(path)) {
                XCTAssertEqual($0 as? ImagingError, .unreadable(file: path, reason: "not a regular file (a pipe, device or socket)"))
            }
            XCTAssertThrowsError(try ImageFile.exif(of: path))
        }
        XCTAssertThrowsError(try ImageFile.read(huge)) {
            XCTAssertEqual($0 as? ImagingError, .unreadable(file: huge, reason: "2000.0 MB, larger than the 1000.0 MB limit"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }

    func testAHeaderAnnouncingTooManyPixelsOrNoPhotoIsRefusedBeforeTheRestIsRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 900 MB sparse files: a PNG whose header says 50000x50000, and zeros named .jpg.
        var png = try ImageFile.encodePNG(TestImages.gradient(width: 8, height: 8))
        png.replaceSubrange(16..<24, with: [0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50])
        let huge = folder.appendingPathComponent("huge.png").path, zeros = folder.appendingPathComponent("zeros.jpg").path
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: Data(png)))
        XCTAssertTrue(FileManager.default.createFile(atPath: zeros, contents: nil))
        for path in [huge, zeros] { XCTAssertEqual(truncate(path, 900_000_000), 0) }
        let started = Date()
        XCTAssertThrowsError(try ImageFile.read(huge)) {
            XCTAssertEqual($0 as? ImagingError, .tooLarge(file: huge, width: 50_000, height: 50_000, limit: ImageFile.defaultPixelLimit))
        }
        XCTAssertThrowsError(try ImageFile.read(zeros, minimumLongSide: 100)) {
            XCTAssertEqual($0 as? ImagingError, .unsupportedFormat(file: zeros))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5, "refused from the first bytes, not after reading 900 MB")
    }

    func testWriteFailuresGiveAReasonAndLeaveNoTemporaryFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing/out.png").path
        XCTAssertThrowsError(try ImageFile.write(TestImages.gradient(), to: missing)) {
            XCTAssertEqual($0 as? ImagingError, .unwritable(file: missing, reason: "no such file"))
        }
        let fifo = folder.appendingPathComponent("out.png").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try ImageFile.write(TestImages.gradient(), to: fifo)) {
            XCTAssertEqual($0 as? ImagingError, .unwritable(file: fifo, reason: "not a regular file (a device, pipe or socket)"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.png"])
    }
}
