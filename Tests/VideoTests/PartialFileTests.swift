import Foundation
import Imaging
import XCTest
@testable import Video

/// The hidden `.NAME.partial-PID-RANDOM.mp4` files: unique, never left by a dead process, and a
/// device or pipe is never replaced by the video.
final class PartialFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("partial-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }

    func testTwoEncodersOfOneOutputUseTwoTemporaryFiles() throws {
        let output = directory.appendingPathComponent("same.mp4").path
        let settings = VideoSettings(width: 32, height: 32, fps: 10)
        let first = try VideoEncoder(path: output, settings: settings), second = try VideoEncoder(path: output, settings: settings)
        XCTAssertNotEqual(first.temporaryPath, second.temporaryPath)
        XCTAssertTrue(first.temporaryPath.contains(".same.partial-\(getpid())-"), first.temporaryPath)
        first.cancel()
        second.cancel()
        XCTAssertEqual(names, [])
    }

    func testLeftoversOfAKilledRunAreRemovedByTheNextEncoder() throws {
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let leftover = ".holiday.partial-\(finished.processIdentifier)-abc123.mp4"
        try Data([0, 0, 0, 8]).write(to: directory.appendingPathComponent(leftover))
        try Data([1]).write(to: directory.appendingPathComponent("keep.mp4"))
        let encoder = try VideoEncoder(path: directory.appendingPathComponent("next.mp4").path,
                                       settings: VideoSettings(width: 32, height: 32, fps: 10))
        XCTAssertFalse(names.contains(leftover))
        encoder.cancel()
        XCTAssertEqual(names, ["keep.mp4"])
    }

    func testDevicesAndPipesAreNotReplaced() throws {
        let fifo = directory.appendingPathComponent("video.mp4").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for output in [fifo, "/dev/null"] {
            XCTAssertThrowsError(try OutputPath.check(output, inputs: [])) {
                XCTAssertEqual($0 as? VideoError, .cannotWrite(path: output, reason: "not a regular file (a device, pipe or socket)"))
            }
        }
        XCTAssertEqual(names, ["video.mp4"])
    }
}
