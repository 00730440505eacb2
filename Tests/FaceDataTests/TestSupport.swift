import Foundation
import XCTest
@testable import FaceData

/// A fresh folder under the system temporary directory, removed when the test ends.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("FaceDataTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `path` (relative, folders created as needed) and returns its URL.
    @discardableResult
    func write(_ text: String, to path: String) throws -> URL {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }
}

/// Asserts that `body` throws `FaceDataError.malformed` naming `name` and `line`, whose
/// description starts with the file name and contains `mentions`.
func assertMalformed(_ body: @autoclosure () throws -> Any, name: String, line: Int?, mentions: String,
                     file: StaticString = #filePath, at: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: at) { error in
        guard case let FaceDataError.malformed(errorFile, errorLine, _) = error else {
            return XCTFail("unexpected error \(error)", file: file, line: at)
        }
        XCTAssertEqual(errorFile, name, file: file, line: at)
        XCTAssertEqual(errorLine, line, file: file, line: at)
        XCTAssertTrue("\(error)".hasPrefix(name), "'\(error)' does not start with the file", file: file, line: at)
        XCTAssertTrue("\(error)".contains(mentions), "'\(error)' lacks '\(mentions)'", file: file, line: at)
    }
}
