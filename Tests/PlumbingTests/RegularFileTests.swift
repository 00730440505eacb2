import Foundation
import XCTest
@testable import Plumbing

/// A fresh folder under the system temporary directory, removed when the test ends.
final class ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("PlumbingTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The folder's entries, sorted.
    var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

final class RegularFileTests: XCTestCase {
    func testReadsWholeFilesAndPrefixes() throws {
        let folder = try ScratchFolder()
        let bytes = (0..<1000).map { UInt8($0 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("a.bin")))
        XCTAssertEqual(try RegularFile.read(folder.file("a.bin"), limit: 1000), bytes)
        XCTAssertEqual(try RegularFile.readPrefix(folder.file("a.bin"), count: 10), Array(bytes.prefix(10)))
        XCTAssertEqual(try RegularFile.readPrefix(folder.file("a.bin"), count: 5000), bytes)
    }

    func testSizeIsCheckedBeforeReading() throws {
        let folder = try ScratchFolder()
        // A sparse 3 GB file: reading it whole would take seconds and gigabytes.
        let path = folder.file("huge.jpg")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(truncate(path, 3_000_000_000), 0)
        let started = Date()
        XCTAssertThrowsError(try RegularFile.read(path, limit: 1_000_000_000)) {
            XCTAssertEqual($0 as? FileError, .unreadable(file: path, reason: "3000.0 MB, larger than the 1000.0 MB limit"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }

    func testPipesDevicesAndFoldersAreRefusedWithoutBlocking() throws {
        let folder = try ScratchFolder()
        let fifo = folder.file("photo.jpg")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        for path in [fifo, "/dev/zero"] {
            XCTAssertThrowsError(try RegularFile.read(path, limit: .max)) {
                XCTAssertEqual($0 as? FileError, .unreadable(file: path, reason: "not a regular file (a pipe, device or socket)"))
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "a FIFO without a writer must not block")
        XCTAssertThrowsError(try RegularFile.read(folder.path, limit: .max)) {
            XCTAssertEqual($0 as? FileError, .unreadable(file: folder.path, reason: "a folder, not a file"))
        }
        XCTAssertTrue(RegularFile.isSpecial(fifo))
        XCTAssertTrue(RegularFile.isSpecial("/dev/null"))
        XCTAssertFalse(RegularFile.isSpecial(folder.path))
        XCTAssertFalse(RegularFile.isSpecial(folder.file("missing")))
    }

    func testReasonsAreWordsNotErrorDomains() throws {
        let folder = try ScratchFolder()
        let missing = folder.file("missing.jpg")
        XCTAssertThrowsError(try RegularFile.read(missing, limit: 10)) {
            XCTAssertEqual($0 as? FileError, .unreadable(file: missing, reason: "no such file"))
            XCTAssertEqual("\($0)", "\(missing): cannot read: no such file")
        }
        let long = folder.file(String(repeating: "n", count: 300) + ".jpg")
        XCTAssertThrowsError(try RegularFile.read(long, limit: 10)) { XCTAssertEqual(($0 as? FileError)?.reason, "file name too long") }
        try Data([1]).write(to: URL(fileURLWithPath: folder.file("plain")))
        let underFile = folder.file("plain/photo.jpg")
        XCTAssertThrowsError(try RegularFile.read(underFile, limit: 10)) {
            XCTAssertEqual(($0 as? FileError)?.reason, "a part of the path is not a folder")
        }
        let mangled = folder.file("caf\u{FFFD}.jpg")
        XCTAssertThrowsError(try RegularFile.read(mangled, limit: 10)) {
            XCTAssertEqual(($0 as? FileError)?.reason, "the file name is not valid UTF-8 (rename the file)")
        }
        // Foundation's errors are turned into the same words.
        XCTAssertThrowsError(try Data(contentsOf: URL(fileURLWithPath: missing))) {
            XCTAssertEqual(FileError.reason(for: $0, path: missing), "no such file")
        }
        XCTAssertThrowsError(try FileManager.default.contentsOfDirectory(atPath: missing)) {
            XCTAssertEqual(FileError.reason(for: $0, path: missing), "no such file")
        }
        XCTAssertEqual(FileError.reason(for: CocoaError(.fileWriteNoPermission), path: missing), "permission denied")
        XCTAssertThrowsError(try FileManager.default.createDirectory(atPath: folder.file("plain"), withIntermediateDirectories: true)) {
            XCTAssertEqual(FileError.reason(for: $0, path: folder.file("plain")), "a file of that name is in the way")
        }
        XCTAssertThrowsError(try FileManager.default.createDirectory(atPath: folder.file("plain/sub"), withIntermediateDirectories: true)) {
            XCTAssertEqual(FileError.reason(for: $0, path: folder.file("plain/sub")), "a part of the path is not a folder")
        }
    }
}
