import Dispatch
import Foundation
import XCTest
@testable import Plumbing

final class AtomicFileTests: XCTestCase {
    func testReplacesTheFileAndLeavesNothingBehind() throws {
        let folder = try ScratchFolder()
        let path = folder.file("out.json")
        try AtomicFile.write(Data("first".utf8), to: path)
        try AtomicFile.write(Data("second".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path), "second")
        XCTAssertEqual(folder.names, ["out.json"])
    }

    func testTheSameOutputWrittenAtOnceDoesNotRace() throws {
        // Before, every write of one path used `.NAME.PID.tmp`: two threads shared the temporary file.
        let folder = try ScratchFolder()
        let path = folder.file("overlay.jpg")
        let contents = (0..<8).map { index in Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* (index + 1)) }) }
        var failures = [Error?](repeating: nil, count: contents.count)
        failures.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: contents.count) { index in
                do { try AtomicFile.write(contents[index], to: path) } catch { slots[index] = error }
            }
        }
        XCTAssertTrue(failures.allSatisfy { $0 == nil }, "\(failures)")
        XCTAssertTrue(contents.contains(try Data(contentsOf: URL(fileURLWithPath: path))), "a whole write, not a mix")
        XCTAssertEqual(folder.names, ["overlay.jpg"])
    }

    func testRefusesDevicesPipesAndFoldersAndNamesTheReason() throws {
        let folder = try ScratchFolder()
        let fifo = folder.file("out.jpg")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: fifo)) {
            XCTAssertEqual($0 as? FileError, .unwritable(file: fifo, reason: "not a regular file (a device, pipe or socket)"))
        }
        XCTAssertTrue(RegularFile.isSpecial(fifo), "the pipe is still there")
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: folder.path)) {
            XCTAssertEqual(($0 as? FileError)?.reason, "a folder, not a file")
        }
        let missingFolder = folder.file("missing/out.json")
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: missingFolder)) {
            XCTAssertEqual("\($0)", "\(missingFolder): cannot write: no such file")
        }
        XCTAssertEqual(folder.names, ["out.jpg"])
    }

    func testLongNamesKeepTheirTemporaryNameWithinTheLimit() throws {
        let folder = try ScratchFolder()
        let name = String(repeating: "é", count: 120) + ".json"  // 245 bytes: legal, and too long with a suffix added
        try AtomicFile.write(Data("x".utf8), to: folder.file(name))
        XCTAssertEqual(folder.names, [name])
    }
}
