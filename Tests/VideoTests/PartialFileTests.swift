import Foundation
import Imaging
import XCTest
@testable import Video

/// The hidden `.NAME.partial-PID-RANDOM.mp4` files: unique, never left by a dead process, and a
/// device or pipe is never replaced by the video.
final class PartialFileTests: VideoFolderTestCase {
    func testTwoEncodersOfOneOutputUseTwoTemporaryFiles() throws {
        let output = path("same.mp4")
        let settings = VideoSettings(width: 32, height: 32, fps: 10)
        let first = try VideoEncoder(path: output, settings: settings), second = try VideoEncoder(path: output, settings: settings)
        XCTAssertNotEqual(first.temporaryPath, second.temporaryPath)
        XCTAssertTrue(first.temporaryPath.contains(".same.partial-\(getpid())-"), first.temporaryPath)
        first.cancel()
        second.cancel()
        XCTAssertEqual(try contents(), [])
    }

    func testLeftoversOfAKilledRunAreRemovedByTheNextEncoder() throws {
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let leftover = ".holiday.partial-\(finished.processIdentifier)-abc123.mp4"
        try Data([0, 0, 0, 8]).write(to: directory.appendingPathComponent(leftover))
        try Data([1]).write(to: directory.appendingPathComponent("keep.mp4"))
        let encoder = try VideoEncoder(path: path("next.mp4"),
                                       settings: VideoSettings(width: 32, height: 32, fps: 10))
        XCTAssertFalse(try contents().contains(leftover))
        encoder.cancel()
        XCTAssertEqual(try contents(), ["keep.mp4"])
    }

    func testDevicesAndPipesAreNotReplaced() throws {
        let fifo = path("video.mp4")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for output in [fifo, "/dev/null"] {
            XCTAssertThrowsError(try OutputPath.check(output, inputs: [])) {
                XCTAssertEqual($0 as? VideoError, .cannotWrite(path: output, reason: "not a regular file (a device, pipe or socket)"))
            }
        }
        XCTAssertEqual(try contents(), ["video.mp4"])
    }
}
