import CFFmpeg
import Foundation
import Imaging
import XCTest
@testable import Video

/// A test case with a fresh folder under the system temporary directory, removed after each test.
class VideoFolderTestCase: XCTestCase {
    /// The test's folder.
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("video-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The path of `name` in the folder.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The folder's entries, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }
}

final class VideoEncoderTests: VideoFolderTestCase {
    /// A grey frame whose level changes with `index`.
    private func frame(_ index: Int, width: Int = 64, height: Int = 48, level: Int = 128) -> Image {
        Image(width: width, height: height, channels: 3, fill: UInt8(level + index))
    }

    func testShortEncodeReadsBackAsH264WithTheRightFramesAndDuration() throws {
        let output = path("clip.mp4")
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: 64, height: 48, fps: 10, crf: 18))
        for i in 0..<10 { try encoder.append(frame(i)) }
        XCTAssertEqual(try contents().count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "output appears only when finished")
        try encoder.finish()
        XCTAssertEqual(try contents(), ["clip.mp4"])

        let facts = try readVideo(output)
        XCTAssertEqual(facts.codecID, AV_CODEC_ID_H264)
        XCTAssertEqual(facts.pixelFormat, AV_PIX_FMT_YUV420P.rawValue)
        XCTAssertEqual(facts.width, 64)
        XCTAssertEqual(facts.height, 48)
        XCTAssertEqual(facts.decodedFrames, 10)
        XCTAssertEqual(facts.streamDuration, 1.0, accuracy: 1e-6)
        XCTAssertEqual(facts.packetDurationSum, 1.0, accuracy: 1e-6)
        // RGB grey 128 is BT.709 limited-range luma 16 + 128 * 219 / 255 = 125.9, neutral chroma.
        XCTAssertEqual(facts.firstFrameMeans.y, 125.9, accuracy: 1.5)
        XCTAssertEqual(facts.firstFrameMeans.cb, 128, accuracy: 1.5)
        XCTAssertEqual(facts.firstFrameMeans.cr, 128, accuracy: 1.5)
        // +faststart: the index (moov) precedes the media data (mdat).
        let boxes = try topLevelBoxes(output)
        XCTAssertLessThan(try XCTUnwrap(boxes.firstIndex(of: "moov")), try XCTUnwrap(boxes.firstIndex(of: "mdat")))
    }

    func testGreyFramesAndReplacingAnOldOutput() throws {
        let output = path("again.mp4")
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: 32, height: 32, fps: 25))
        for i in 0..<3 { try encoder.append(Image(width: 32, height: 32, channels: 1, fill: UInt8(40 * i))) }
        try encoder.finish()
        XCTAssertEqual(try readVideo(output).decodedFrames, 3)
        XCTAssertEqual(try readVideo(output).streamDuration, 3.0 / 25, accuracy: 1e-6)
    }

    func testFractionalFrameRateKeepsExactTimestamps() throws {
        let output = path("ntsc.mp4")
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: 32, height: 32, fps: 29.97))
        for i in 0..<6 { try encoder.append(frame(i, width: 32, height: 32)) }
        try encoder.finish()
        let facts = try readVideo(output)
        XCTAssertEqual(facts.decodedFrames, 6)
        XCTAssertEqual(facts.streamDuration, 6 / 29.97, accuracy: 1e-4)
    }

    func testCancelAndReleaseLeaveNoFilesAndKeepTheOldOutput() throws {
        let output = path("kept.mp4")
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: 64, height: 48))
        try encoder.append(frame(0))
        encoder.cancel()
        encoder.cancel()
        XCTAssertEqual(try contents(), ["kept.mp4"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), Data("old".utf8))
        do {
            let abandoned = try VideoEncoder(path: path("abandoned.mp4"), settings: VideoSettings(width: 64, height: 48))
            try abandoned.append(frame(1))
        }
        XCTAssertEqual(try contents(), ["kept.mp4"])
    }

    func testOutputThatIsAnInputIsRefused() throws {
        let photo = path("photo.jpg")
        try Data("not really a jpeg".utf8).write(to: URL(fileURLWithPath: photo))
        let sameFile = directory.appendingPathComponent("./sub/../photo.jpg").path
        XCTAssertThrowsError(try VideoEncoder(path: sameFile, settings: VideoSettings(width: 64, height: 48), inputs: [photo])) {
            XCTAssertEqual($0 as? VideoError, .outputIsInput(path: sameFile))
        }
        let link = path("link.mp4")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: photo)
        XCTAssertThrowsError(try OutputPath.check(link, inputs: [photo]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: photo)), Data("not really a jpeg".utf8))
    }

    func testUnwritableOrInvalidOutputsFailAtInit() throws {
        let missing = path("no/such/dir/out.mp4")
        XCTAssertThrowsError(try VideoEncoder(path: missing, settings: VideoSettings(width: 64, height: 48))) { error in
            XCTAssertTrue("\(error)".contains(missing), "\(error)")
        }
        XCTAssertThrowsError(try VideoEncoder(path: directory.path, settings: VideoSettings(width: 64, height: 48)))
        XCTAssertThrowsError(try VideoEncoder(path: path("odd.mp4"), settings: VideoSettings(width: 63, height: 48)))
        XCTAssertThrowsError(try VideoEncoder(path: path("bad.mp4"), settings: VideoSettings(width: 64, height: 48, crf: 70)))
        XCTAssertThrowsError(try VideoEncoder(path: path("bad.mp4"), settings: VideoSettings(width: 64, height: 48, fps: 0)))
        XCTAssertThrowsError(try VideoEncoder(path: path("bad.mp4"), settings: VideoSettings(width: 64, height: 48, preset: "warp9"))) {
            XCTAssertTrue("\($0)".contains("preset"), "\($0)")
        }
        XCTAssertThrowsError(try VideoEncoder(path: path("out.unknownext"), settings: VideoSettings(width: 64, height: 48)))
        XCTAssertThrowsError(try VideoEncoder(path: path("out.wav"), settings: VideoSettings(width: 64, height: 48))) {
            XCTAssertTrue("\($0)".contains("cannot hold H.264"), "\($0)")
        }
        XCTAssertEqual(try contents(), [])
    }

    func testOutputNamesTooLongOrNotUTF8AreRefusedBeforeAnyWork() {
        let long = path(String(repeating: "v", count: 252) + ".mp4")
        XCTAssertThrowsError(try OutputPath.check(long, inputs: [])) {
            XCTAssertTrue("\($0)".hasSuffix("cannot write: the file name is too long (256 bytes; at most 255)"), "\($0)")
        }
        XCTAssertNoThrow(try OutputPath.check(path(String(repeating: "v", count: 251) + ".mp4"), inputs: []))
        XCTAssertThrowsError(try OutputPath.check(path("v\u{FFFD}.mp4"), inputs: [])) {
            XCTAssertTrue("\($0)".contains("not valid UTF-8"), "\($0)")
        }
    }

    func testGifOutputHasEveryFrameAndTheDuration() throws {
        let output = path("loop.gif")
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: 64, height: 48, fps: 10))
        for i in 0..<10 { try encoder.append(frame(i, level: 20 * i)) }
        try encoder.finish()
        let facts = try readVideo(output)
        XCTAssertEqual(facts.codecID, AV_CODEC_ID_GIF)
        XCTAssertEqual(facts.decodedFrames, 10)
        XCTAssertEqual(facts.packetDurationSum, 1.0, accuracy: 0.011)
    }

    func testPaletteCoversBlackToWhiteAndDithersGreyBetweenNeighbours() {
        XCTAssertEqual(PaletteQuantizer.palette[0], 0xFF00_0000)
        XCTAssertEqual(PaletteQuantizer.palette[251], 0xFFFF_FFFF)
        var indices = [UInt8](repeating: 0, count: 16)
        for (value, expected) in [(UInt8(0), UInt8(0)), (255, 251)] {
            PaletteQuantizer.quantize(Image(width: 4, height: 4, channels: 3, fill: value), into: &indices, stride: 4)
            XCTAssertEqual(Set(indices), [expected])
        }
        // A grey between two red levels mixes them so that the average red matches.
        var image = Image(width: 4, height: 4, channels: 3)
        for i in 0..<16 { image.pixels[3 * i] = 127 }
        PaletteQuantizer.quantize(image, into: &indices, stride: 4)
        let meanRed = indices.map { Double(PaletteQuantizer.palette[Int($0)] >> 16 & 0xFF) }.reduce(0, +) / 16
        XCTAssertEqual(meanRed, 127, accuracy: 4)
    }
}
