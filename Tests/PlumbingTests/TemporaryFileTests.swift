import Foundation
import XCTest
@testable import Plumbing

final class TemporaryFileTests: XCTestCase {
    func testSiblingNamesAreHiddenUniqueAndCarryTheProcess() {
        let a = TemporaryFile.sibling(of: "/videos/holiday.mp4"), b = TemporaryFile.sibling(of: "/videos/holiday.mp4")
        XCTAssertNotEqual(a, b)
        let name = (a as NSString).lastPathComponent
        XCTAssertTrue(a.hasPrefix("/videos/.holiday.partial-\(getpid())-"), a)
        XCTAssertTrue(a.hasSuffix(".mp4"), a)
        XCTAssertEqual(TemporaryFile.ownerPID(of: name), getpid())
        XCTAssertNil(TemporaryFile.ownerPID(of: "holiday.mp4"))
        XCTAssertNil(TemporaryFile.ownerPID(of: ".holiday.partial-x-1.mp4"))
        let long = TemporaryFile.sibling(of: "/v/" + String(repeating: "ü", count: 127) + ".json")
        XCTAssertLessThanOrEqual((long as NSString).lastPathComponent.utf8.count, 255)
    }

    func testLeftoversOfDeadProcessesAreRemovedOthersKept() throws {
        let folder = try ScratchFolder()
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let names = [".video.partial-\(dead)-1f.mp4", ".x.partial-\(getpid())-2e.json", ".y.partial-1-3d.jpg", "video.mp4",
                     ".notes.partial-\(dead)-zz.txt"]
        for name in names { try Data([0]).write(to: URL(fileURLWithPath: folder.file(name))) }
        XCTAssertEqual(TemporaryFile.removeStale(inFolder: folder.path), [folder.file(names[0])])
        XCTAssertEqual(folder.names, names.dropFirst().sorted())
    }

    func testRememberedFilesAreWhatTheSignalHandlerRemoves() throws {
        let folder = try ScratchFolder()
        let kept = folder.file("kept"), removed = folder.file("removed")
        for path in [kept, removed] { try Data([0]).write(to: URL(fileURLWithPath: path)) }
        let forgotten = TemporaryFile.remember(kept)
        let token = TemporaryFile.remember(removed)
        XCTAssertGreaterThanOrEqual(token, 0)
        TemporaryFile.forget(forgotten)
        TemporaryFile.removeRemembered()
        TemporaryFile.forget(token)
        XCTAssertEqual(folder.names, ["kept"])
    }
}

final class TerminalTextTests: XCTestCase {
    func testControlCharactersAreEscaped() {
        XCTAssertEqual(TerminalText.escaped("photo.jpg"), "photo.jpg")
        XCTAssertEqual(TerminalText.escaped("a\u{1B}[31mred\u{7}.jpg"), "a\\u{1B}[31mred\\u{7}.jpg")
        XCTAssertEqual(TerminalText.escaped("back\rspace\u{9B}"), "back\\u{D}space\\u{9B}")
        XCTAssertEqual(TerminalText.escaped("line one\nline\ttwo ünï"), "line one\nline\ttwo ünï")
    }
}
