/// Which side of a fixed train/validation split a sample falls on.
public enum DatasetSplit: String, Sendable, CaseIterable {
    /// Used to fit the model.
    case train
    /// Held out to measure it.
    case validation

    /// The IMM split of the course project: persons 1-32 train, persons 33-40 validation.
    public static func imm(person: Int) -> DatasetSplit {
        person <= 32 ? .train : .validation
    }

    /// The fixed 300-W split: a photo is in validation when the FNV-1a 64-bit hash of its
    /// `photoKey`, modulo 10 000, is below `validationFraction * 10 000`.
    ///
    /// The hash is stable across runs, machines and Swift versions (unlike `Hasher`), and it
    /// depends only on the file's base name, so moving the dataset or adding files never moves
    /// an existing photo to the other side. Every face of one photo — afw's `NAME_1`, `NAME_2`,
    /// which in the full 300-W download are byte-identical copies of one photo with different
    /// faces annotated — shares a key and therefore a side. On the 2012 faces of the compact
    /// copy in ../shared/data/300w, 10% gives 210 validation faces (afw 41, helen 93, lfpw 76).
    public static func hashed(fileName: String, validationFraction: Double = 0.1) -> DatasetSplit {
        precondition((0...1).contains(validationFraction), "validationFraction must be in 0...1")
        let bucket = fnv1a64(photoKey(fileName: fileName)) % 10_000
        return Double(bucket) < validationFraction * 10_000 ? .validation : .train
    }

    /// The name that groups faces of one photo: the base name without folder and extension,
    /// with a trailing face suffix `_N` removed.
    ///
    /// A face suffix is `_` and a number of one to three digits without a leading zero, so
    /// `2086996835_3.jpg` -> `2086996835` and `image_003_1.png` -> `image_003`, while lfpw's
    /// `image_0001.jpg` and a phone's `IMG_1234.jpg` keep their names.
    public static func photoKey(fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let stem = base.lastIndex(of: ".").map { String(base[..<$0]) } ?? base
        guard let underscore = stem.lastIndex(of: "_") else { return stem }
        let suffix = stem[stem.index(after: underscore)...]
        let isFaceNumber = (1...3).contains(suffix.count) && suffix.allSatisfy(\.isASCIIDigit)
            && suffix.first != "0" && underscore != stem.startIndex
        return isFaceNumber ? String(stem[..<underscore]) : stem
    }
}

/// The 64-bit FNV-1a hash of the string's UTF-8 bytes (offset basis 0xcbf29ce484222325,
/// prime 0x100000001b3).
public func fnv1a64(_ string: String) -> UInt64 {
    string.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
}

extension Character {
    /// Whether the character is one of the ASCII digits 0-9.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
