/// The EXIF facts the tool uses: orientation and capture time.
public struct EXIFInfo: Equatable, Sendable {
    /// EXIF orientation 1...8 (1 = stored upright).
    public var orientation: Int = 1
    /// DateTimeOriginal as written ("YYYY:MM:DD HH:MM:SS"), if present.
    public var dateTimeOriginal: String?

    /// An info with the given fields.
    public init(orientation: Int = 1, dateTimeOriginal: String? = nil) {
        self.orientation = orientation
        self.dateTimeOriginal = dateTimeOriginal
    }

    /// Reads EXIF from a JPEG's APP1 segment or a PNG's eXIf chunk; missing or damaged EXIF gives defaults.
    public static func read(from bytes: [UInt8]) -> EXIFInfo {
        guard let tiff = tiffRange(in: bytes) else { return EXIFInfo() }
        return TIFFReader(bytes: bytes, range: tiff)?.info() ?? EXIFInfo()
    }

    /// The byte range of the TIFF structure inside a JPEG APP1 "Exif" segment or a PNG eXIf chunk.
    static func tiffRange(in bytes: [UInt8]) -> Range<Int>? {
        if JPEGCodec.matches(bytes) {
            var offset = 2
            while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
                let marker = bytes[offset + 1]
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
                if marker == 0xDA || marker == 0xD9 { return nil }  // image data starts: no EXIF before it
                let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                let start = offset + 4, end = offset + 2 + length
                guard length >= 2, end <= bytes.count else { return nil }
                if marker == 0xE1, end - start >= 6, Array(bytes[start..<start + 6]) == Array("Exif\0\0".utf8) {
                    return (start + 6)..<end
                }
                offset = end
            }
        } else if PNGCodec.matches(bytes) {
            var offset = 8
            while offset + 12 <= bytes.count {
                let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
                let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
                let start = offset + 8
                guard length >= 0, start + length <= bytes.count else { return nil }
                if type == "eXIf" { return start..<start + length }
                if type == "IDAT" || type == "IEND" { return nil }
                offset = start + length + 4
            }
        }
        return nil
    }
}

/// A bounds-checked reader of the TIFF IFDs inside EXIF.
struct TIFFReader {
    let bytes: [UInt8]
    let base: Int
    let end: Int
    let littleEndian: Bool

    init?(bytes: [UInt8], range: Range<Int>) {
        guard range.count >= 8 else { return nil }
        self.bytes = bytes
        base = range.lowerBound
        end = range.upperBound
        switch (bytes[base], bytes[base + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
    }

    /// An unsigned integer of `size` bytes at `offset` from the TIFF start, or nil when out of range.
    func uint(at offset: Int, size: Int) -> Int? {
        guard offset >= 0, base + offset + size <= end else { return nil }
        let slice = bytes[(base + offset)..<(base + offset + size)]
        return (littleEndian ? slice.reversed() : Array(slice)).reduce(0) { $0 << 8 | Int($1) }
    }

    /// The entries of the IFD at `offset`: tag -> (type, count, value-or-offset field position).
    func entries(at offset: Int) -> [Int: (type: Int, count: Int, field: Int)] {
        guard let count = uint(at: offset, size: 2), count < 1000 else { return [:] }
        var result: [Int: (type: Int, count: Int, field: Int)] = [:]
        for index in 0..<count {
            let entry = offset + 2 + index * 12
            guard let tag = uint(at: entry, size: 2), let type = uint(at: entry + 2, size: 2),
                  let n = uint(at: entry + 4, size: 4) else { break }
            result[tag] = (type, n, entry + 8)
        }
        return result
    }

    func info() -> EXIFInfo {
        var info = EXIFInfo()
        guard let ifd0 = uint(at: 4, size: 4) else { return info }
        let root = entries(at: ifd0)
        if let entry = root[0x0112], entry.type == 3, let value = uint(at: entry.field, size: 2), (1...8).contains(value) {
            info.orientation = value
        }
        if let pointer = root[0x8769], let exifOffset = uint(at: pointer.field, size: 4),
           let entry = entries(at: exifOffset)[0x9003], entry.type == 2, entry.count >= 19,
           let textOffset = uint(at: entry.field, size: 4), base + textOffset + 19 <= end {
            let start = base + textOffset
            info.dateTimeOriginal = String(decoding: bytes[start..<start + 19], as: UTF8.self)
        }
        return info
    }
}
