import Foundation

/// Labeled Faces in the Wild's protocol files and photo layout (`lfw/<Name>/<Name>_NNNN.jpg`).
///
/// `people*.txt`: a count line, then `Name count` lines. `pairs*.txt`: a count line, then
/// `Name i j` (same person, photos i and j, 1-based) or `Name1 i Name2 j` (two people).
public struct LFWProtocol: Sendable {
    /// One person and how many photos they have.
    public struct Person: Equatable, Sendable {
        /// The folder name, e.g. `Abdullah_Gul`.
        public var name: String
        /// Photos 1...count exist.
        public var count: Int

        /// A person with `count` photos.
        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// One photo: a person and a 1-based number.
    public struct Photo: Hashable, Sendable {
        /// The person's folder name.
        public var name: String
        /// The 1-based photo number.
        public var number: Int

        /// Photo `number` of `name`.
        public init(name: String, number: Int) {
            self.name = name
            self.number = number
        }

        /// `Name/Name_NNNN.jpg` under the dataset root.
        public func url(root: URL) -> URL {
            root.appendingPathComponent(name).appendingPathComponent(String(format: "%@_%04d.jpg", name, number))
        }
    }

    /// Two photos and whether they show the same person.
    public struct Pair: Equatable, Sendable {
        /// The two photos.
        public var first: Photo, second: Photo
        /// Whether both show the same person.
        public var samePerson: Bool { first.name == second.name }
    }

    /// How many photos person `name` has under the dataset root (the `.jpg` files of their folder).
    public static func photoCount(of name: String, root: URL) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)
            .filter { $0.lowercased().hasSuffix(".jpg") }.count
    }

    /// The people a `pairs*.txt` file names.
    public static func names(inPairs url: URL) throws -> Set<String> {
        Set(try pairs(contentsOf: url).flatMap { [$0.first.name, $0.second.name] })
    }

    /// Reads a `people*.txt` file.
    public static func people(contentsOf url: URL) throws -> [Person] {
        try records(url).map { line in
            guard line.fields.count == 2, let count = Int(line.fields[1]), count >= 1 else {
                throw FaceDataError.malformed(file: url.path, line: line.number, reason: "expected 'Name count'")
            }
            return Person(name: line.fields[0], count: count)
        }
    }

    /// Reads a `pairs*.txt` file.
    public static func pairs(contentsOf url: URL) throws -> [Pair] {
        try records(url).map { line in
            let f = line.fields
            let numbers = f.count == 3 ? [f[1], f[2]].compactMap { Int($0) } : f.count == 4 ? [f[1], f[3]].compactMap { Int($0) } : []
            guard numbers.count == 2, numbers.allSatisfy({ $0 >= 1 }) else {
                throw FaceDataError.malformed(file: url.path, line: line.number,
                                              reason: "expected 'Name i j' or 'Name1 i Name2 j' with photo numbers from 1")
            }
            return Pair(first: Photo(name: f[0], number: numbers[0]), second: Photo(name: f.count == 3 ? f[0] : f[2], number: numbers[1]))
        }
    }

    /// The lines after the count line, split on white space, with their line numbers.
    private static func records(_ url: URL) throws -> [(number: Int, fields: [String])] {
        let lines = numberedLines(try readText(url))
        guard let header = lines.first, Int(header.text.split(whereSeparator: \.isWhitespace).first ?? "") != nil else {
            throw FaceDataError.malformed(file: url.path, line: lines.first?.number, reason: "the first line must be a count")
        }
        return lines.dropFirst().map { ($0.number, $0.text.split(whereSeparator: \.isWhitespace).map(String.init)) }
    }
}
