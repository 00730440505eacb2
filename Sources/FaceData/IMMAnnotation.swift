import Foundation
import Imaging

/// One IMM `.asf` shape file: points in coordinates relative to the image size, and the host image.
///
/// Format (the AAM-API / FAME shape file): lines starting with `#` are comments and blank lines
/// are ignored; the first other line is the number of points N; then N rows of at least seven
/// whitespace-separated fields `<path#> <type> <x rel.> <y rel.> <point#> <from> <to>` (some
/// files append three user fields); the last line names the host image. Relative coordinates
/// lie in 0...1; pixel coordinates are `x * width`, `y * height`.
public struct IMMAnnotation: Equatable, Sendable {
    /// The points as stored, relative to the image size (0...1).
    public var relativePoints: [Point]
    /// The image file the shape belongs to, as named on the file's last line.
    public var hostImage: String

    /// An annotation from its parts.
    public init(relativePoints: [Point], hostImage: String) {
        self.relativePoints = relativePoints
        self.hostImage = hostImage
    }

    /// Reads and parses the `.asf` file at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(parsing: readText(url), file: url.path)
    }

    /// Parses `.asf` text; `file` names the source in error messages.
    public init(parsing text: String, file: String) throws {
        var count: Int?
        var points: [Point] = []
        var host: String?
        for (lineNumber, line) in numberedLines(text) where !line.hasPrefix("#") {
            func fail(_ reason: String) -> FaceDataError {
                .malformed(file: file, line: lineNumber, reason: reason)
            }
            guard let expected = count else {
                guard let n = Int(line), n > 0 else { throw fail("expected the number of points, found '\(line)'") }
                count = n
                continue
            }
            if host != nil { throw fail("unexpected line after the host image name: '\(line)'") }
            if points.count == expected {
                host = line
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 7 else {
                throw fail("point row \(points.count) of \(expected): expected at least 7 fields, found \(fields.count)")
            }
            guard let x = Double(fields[2]), let y = Double(fields[3]),
                  (0...1).contains(x), (0...1).contains(y) else {
                throw fail("point row \(points.count): x and y must be relative coordinates in 0...1, found '\(fields[2])' '\(fields[3])'")
            }
            guard Int(fields[4]) == points.count else {
                throw fail("point number '\(fields[4])' out of order, expected \(points.count)")
            }
            points.append(Point(x: x, y: y))
        }
        guard let expected = count else {
            throw FaceDataError.malformed(file: file, line: nil, reason: "no point count: the file is empty or all comments")
        }
        guard points.count == expected else {
            throw FaceDataError.malformed(file: file, line: nil, reason: "ends after \(points.count) of \(expected) points")
        }
        guard let host else {
            throw FaceDataError.malformed(file: file, line: nil, reason: "missing the host image name after the points")
        }
        self.init(relativePoints: points, hostImage: host)
    }

    /// The points in 0-based pixel coordinates of an image `width` x `height` pixels (IMM: 640x480).
    public func points(width: Int, height: Int) -> [Point] {
        relativePoints.map { Point(x: $0.x * Double(width), y: $0.y * Double(height)) }
    }
}
