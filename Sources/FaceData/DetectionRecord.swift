import Foundation
import Imaging

/// The JSON that `morph detect` writes for one photo, also accepted as a `PHOTO.json` sidecar.
///
/// Schema (coordinates are 0-based pixels of the photo AFTER its EXIF orientation is applied):
/// ```
/// {"source": "IMG_0001.jpg", "width": 4032, "height": 3024, "orientation": 6,
///  "faces": [{"box": {"x": 10, "y": 20, "width": 300, "height": 300}, "score": 0.99,
///             "points": [[x, y], ... 68 pairs in the iBUG order]}]}
/// ```
/// `width` and `height` are the oriented size; `orientation` is the EXIF value that was
/// applied (1 = none). `score` is omitted for hand-made faces. Keys are written sorted.
public struct DetectionRecord: Codable, Equatable, Sendable {
    /// The photo's file name (as given to `morph detect`).
    public var source: String
    /// Width in pixels after orientation.
    public var width: Int
    /// Height in pixels after orientation.
    public var height: Int
    /// The EXIF orientation (1-8) that was applied.
    public var orientation: Int
    /// The faces found, possibly none.
    public var faces: [FaceRecord]

    /// A record from its parts.
    public init(source: String, width: Int, height: Int, orientation: Int = 1, faces: [FaceRecord]) {
        self.source = source
        self.width = width
        self.height = height
        self.orientation = orientation
        self.faces = faces
    }

    /// Reads the JSON file at `url`; a decoding failure names the file and the offending key.
    public init(contentsOf url: URL) throws {
        let data = try readData(url)
        do {
            self = try JSONDecoder().decode(DetectionRecord.self, from: data)
        } catch {
            let reason = (error as? DecodingError).map(Self.explain) ?? "not valid JSON"
            throw FaceDataError.malformed(file: url.path, line: nil, reason: reason)
        }
    }

    /// Writes the record as pretty-printed JSON to `url`, atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw FaceDataError.unwritable(file: url.path, reason: "a face holds a number JSON cannot store (NaN or infinite)")
        }
        try writeAtomically(data, to: url)
    }

    /// A one-line reason with the JSON path of the problem, e.g. `faces[0].points[3]: ...`.
    private static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// One face in a `DetectionRecord`: its box, the finder's score and its landmarks.
public struct FaceRecord: Codable, Equatable, Sendable {
    /// The face box in oriented-photo pixels.
    public var box: Box
    /// The finder's confidence in 0...1; nil for faces given by hand.
    public var score: Double?
    /// How well the keypoints settled in 0...1 (see `FaceAnalyzer.keypoints`); nil when not measured.
    public var confidence: Double?
    /// The landmarks (68 in the iBUG order for `morph detect`), each stored as `[x, y]`.
    public var points: [Point]
    /// The person's number in the collection (`morph detect --people`: 1 appears in the most photos).
    public var person: Int?

    /// A face from its parts.
    public init(box: Box, score: Double? = nil, confidence: Double? = nil, points: [Point], person: Int? = nil) {
        self.box = box
        self.score = score
        self.confidence = confidence
        self.points = points
        self.person = person
    }

    private enum CodingKeys: String, CodingKey {
        case box, score, confidence, points, person
    }

    /// Decodes `points` from `[x, y]` pairs, rejecting pairs that are not exactly two numbers.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        box = try container.decode(Box.self, forKey: .box)
        score = try container.decodeIfPresent(Double.self, forKey: .score)
        confidence = try container.decodeIfPresent(Double.self, forKey: .confidence)
        person = try container.decodeIfPresent(Int.self, forKey: .person)
        let pairs = try container.decode([[Double]].self, forKey: .points)
        if let bad = pairs.firstIndex(where: { $0.count != 2 || !$0.allSatisfy(\.isFinite) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [CodingKeys.points, IndexKey(bad)],
                debugDescription: "a point must be [x, y], two finite numbers"))
        }
        points = pairs.map { Point(x: $0[0], y: $0[1]) }
    }

    /// Encodes `points` as `[x, y]` pairs.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(box, forKey: .box)
        try container.encodeIfPresent(score, forKey: .score)
        try container.encodeIfPresent(confidence, forKey: .confidence)
        try container.encodeIfPresent(person, forKey: .person)
        try container.encode(points.map { [$0.x, $0.y] }, forKey: .points)
    }
}

/// An array position as a coding key, for error paths.
private struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) { intValue = index; stringValue = "\(index)" }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { return nil }
}
