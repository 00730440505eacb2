import Foundation
import Imaging

/// Reads and writes 300-W `.pts` landmark files.
///
/// Standard form: `version: 1`, `n_points: N`, `{`, N lines `x y`, `}`. Files without the
/// header (just the `x y` lines) are accepted too. Coordinates in the file are 1-based pixel
/// positions (the 300-W convention); in memory they are 0-based `Point`s, so reading subtracts
/// 1 and writing adds 1.
public enum PTSFile {
    /// The 0-based points of the `.pts` file at `url`.
    public static func read(_ url: URL) throws -> [Point] {
        try parse(readText(url), file: url.path)
    }

    /// The 0-based points in `.pts` text; `file` names the source in error messages.
    public static func parse(_ text: String, file: String) throws -> [Point] {
        let lines = numberedLines(text)
        guard let first = lines.first else {
            throw FaceDataError.malformed(file: file, line: nil, reason: "empty file")
        }
        func fail(_ line: Int, _ reason: String) -> FaceDataError {
            .malformed(file: file, line: line, reason: reason)
        }
        func point(_ line: (number: Int, text: String)) throws -> Point {
            let fields = line.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, let x = Double(fields[0]), let y = Double(fields[1]), x.isFinite, y.isFinite else {
                throw fail(line.number, "expected a point 'x y', found '\(line.text)'")
            }
            return Point(x: x - 1, y: y - 1)
        }
        guard first.text.contains(":") || first.text == "{" else {
            return try lines.map(point)
        }
        // Header: `key: value` lines up to `{`; `n_points`, when present, must match the point count.
        var expected: Int?
        var index = 0
        while index < lines.count, lines[index].text != "{" {
            let line = lines[index]
            let pair = line.text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw fail(line.number, "expected a header line 'key: value' or '{', found '\(line.text)'") }
            if pair[0] == "n_points" {
                guard let n = Int(pair[1]), n > 0 else { throw fail(line.number, "n_points must be a positive integer, found '\(pair[1])'") }
                expected = n
            }
            index += 1
        }
        guard index < lines.count else { throw fail(lines[lines.count - 1].number, "the header has no '{'") }
        guard let close = lines[(index + 1)...].firstIndex(where: { $0.text == "}" }) else {
            throw fail(lines[lines.count - 1].number, "no closing '}'")
        }
        if close + 1 < lines.count {
            throw fail(lines[close + 1].number, "unexpected text after '}': '\(lines[close + 1].text)'")
        }
        let points = try lines[(index + 1)..<close].map(point)
        if let count = expected, points.count != count {
            throw fail(lines[close].number, "n_points says \(count) but \(points.count) points were given")
        }
        return points
    }

    /// The standard `.pts` text (with header) for 0-based `points`, coordinates written 1-based
    /// with three decimals.
    public static func format(_ points: [Point]) -> String {
        var text = "version: 1\nn_points: \(points.count)\n{\n"
        for p in points {
            text += String(format: "%.3f %.3f\n", p.x + 1, p.y + 1)
        }
        return text + "}\n"
    }

    /// Writes `points` to `url` in the standard form, atomically (temporary file, then rename).
    public static func write(_ points: [Point], to url: URL) throws {
        try writeAtomically(Data(format(points).utf8), to: url)
    }
}
