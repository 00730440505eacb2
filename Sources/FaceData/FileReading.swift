import Foundation
import Plumbing

/// The largest annotation file read (100 MB; a dlib XML of all of 300-W is about 20 MB).
let annotationByteLimit = 100_000_000

/// Reads a whole regular file, turning I/O failures into `FaceDataError.unreadable`.
func readData(_ url: URL) throws -> Data {
    do {
        return Data(try RegularFile.read(url.path, limit: annotationByteLimit))
    } catch let error as FileError {
        throw FaceDataError.unreadable(file: url.path, reason: error.reason)
    }
}

/// Writes `data` to `url` atomically (a temporary file, then a rename), turning failures into
/// `FaceDataError.unwritable`.
func writeAtomically(_ data: Data, to url: URL) throws {
    do {
        try AtomicFile.write(data, to: url.path)
    } catch let error as FileError {
        throw FaceDataError.unwritable(file: url.path, reason: error.reason)
    }
}

/// Reads a whole text file as UTF-8, turning I/O and encoding failures into `FaceDataError.unreadable`.
func readText(_ url: URL) throws -> String {
    guard let text = String(data: try readData(url), encoding: .utf8) else {
        throw FaceDataError.unreadable(file: url.path, reason: "not UTF-8 text")
    }
    return text
}

/// The non-blank lines of `text`, trimmed, each with its 1-based line number.
///
/// Lines end at any newline (`\n`, `\r\n` or `\r`); note that Swift treats `\r\n` as one
/// character, so splitting on `"\n"` alone would miss Windows line ends.
func numberedLines(_ text: String) -> [(number: Int, text: String)] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        .enumerated()
        .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
        .filter { !$0.text.isEmpty }
}
