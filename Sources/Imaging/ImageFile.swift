import Foundation
import Plumbing

/// A decoded photo: upright pixels plus what the file said about them.
public struct DecodedImage: Sendable {
    /// Pixels with the EXIF orientation already applied.
    public var image: Image
    /// The EXIF orientation that was applied (1 when none).
    public var orientation: Int
    /// EXIF DateTimeOriginal, if the file has one.
    public var dateTimeOriginal: String?
    /// The factor the decoder shrank by (1 unless a scale was asked for).
    public var scale: Int
}

/// Reading and writing image files (JPEG, PNG) with one call each way.
public enum ImageFile {
    /// The default ceiling on decoded pixels (100 megapixels), checked from the header before allocating.
    public static let defaultPixelLimit = 100_000_000

    /// Decodes a JPEG or PNG held in memory; `name` is used in error messages.
    /// - Parameters:
    ///   - mode: grey or RGB output.
    ///   - shrink: for JPEG, the largest of 1, 2, 4, 8 that divides the cost (DCT-domain scaling);
    ///     ignored for PNG, where `scale` in the result is 1.
    public static func decode(_ bytes: [UInt8], name: String, mode: ColorMode = .rgb, shrink: Int = 1,
                              pixelLimit: Int = defaultPixelLimit) throws -> DecodedImage {
        guard !bytes.isEmpty else { throw ImagingError.empty(file: name) }
        let exif = EXIFInfo.read(from: bytes)
        let image: Image, scale: Int
        if JPEGCodec.matches(bytes) {
            scale = shrink
            image = try JPEGCodec.decode(bytes, mode: mode, scale: shrink, maxPixels: pixelLimit, name: name)
        } else if PNGCodec.matches(bytes) {
            scale = 1
            image = try PNGCodec.decode(bytes, mode: mode, maxPixels: pixelLimit, name: name)
        } else {
            throw ImagingError.unsupportedFormat(file: name)
        }
        return DecodedImage(image: image.applyingOrientation(exif.orientation), orientation: exif.orientation,
                            dateTimeOriginal: exif.dateTimeOriginal, scale: scale)
    }

    /// Reads and decodes the file at `path`.
    public static func read(_ path: String, mode: ColorMode = .rgb, shrink: Int = 1,
                            pixelLimit: Int = defaultPixelLimit) throws -> DecodedImage {
        try decode(readBytes(path, pixelLimit: pixelLimit), name: path, mode: mode, shrink: shrink, pixelLimit: pixelLimit)
    }

    /// Reads and decodes the file at `path`, letting the JPEG decoder shrink by 2, 4 or 8 as far as
    /// the longer side stays at least `minimumLongSide`; also gives the upright full-resolution size.
    public static func read(_ path: String, mode: ColorMode = .rgb, minimumLongSide: Int,
                            pixelLimit: Int = defaultPixelLimit) throws -> (decoded: DecodedImage, width: Int, height: Int) {
        let bytes = try readBytes(path, pixelLimit: pixelLimit)
        let size = try uprightSize(of: bytes, name: path)
        var shrink = 1
        while shrink < 8 && max(size.width, size.height) / (shrink * 2) >= minimumLongSide { shrink *= 2 }
        return (try decode(bytes, name: path, mode: mode, shrink: shrink, pixelLimit: pixelLimit), size.width, size.height)
    }

    /// The upright size (after EXIF orientation) from the header alone.
    public static func size(of path: String) throws -> (width: Int, height: Int) {
        try uprightSize(of: readBytes(path, pixelLimit: .max), name: path)
    }

    /// The upright size of an encoded image from its header and EXIF.
    static func uprightSize(of bytes: [UInt8], name path: String) throws -> (width: Int, height: Int) {
        let exif = EXIFInfo.read(from: bytes)
        let size: (width: Int, height: Int)
        if JPEGCodec.matches(bytes) {
            size = try JPEGCodec.size(of: bytes, name: path)
        } else if PNGCodec.matches(bytes), bytes.count >= 24 {
            let word = { (o: Int) in bytes[o..<o + 4].reduce(0) { $0 << 8 | Int($1) } }
            size = (word(16), word(20))
        } else {
            throw bytes.isEmpty ? ImagingError.empty(file: path) : ImagingError.unsupportedFormat(file: path)
        }
        return exif.orientation >= 5 ? (size.height, size.width) : size
    }

    /// The bytes at the start of a file that hold its EXIF block (JPEG keeps it in one APP1 segment
    /// of at most 64 KB near the start).
    static let exifPrefix = 256 * 1024

    /// EXIF facts of the file at `path` without decoding pixels, from the start of the file only.
    public static func exif(of path: String) throws -> EXIFInfo {
        do {
            return EXIFInfo.read(from: try RegularFile.readPrefix(path, count: exifPrefix))
        } catch let error as FileError {
            throw ImagingError.unreadable(file: path, reason: error.reason)
        }
    }

    /// Encodes `image` as JPEG (`quality` 1-100).
    public static func encodeJPEG(_ image: Image, quality: Int = 92) throws -> [UInt8] {
        try JPEGCodec.encode(image, quality: quality, name: "<memory>")
    }

    /// Encodes `image` as PNG.
    public static func encodePNG(_ image: Image) throws -> [UInt8] {
        try PNGCodec.encode(image, name: "<memory>")
    }

    /// Writes `image` to `path` (format from the extension: .jpg/.jpeg or .png) through a temporary
    /// file in the same folder that is renamed into place.
    public static func write(_ image: Image, to path: String, quality: Int = 92) throws {
        let lower = path.lowercased()
        let bytes: [UInt8]
        if lower.hasSuffix(".png") {
            bytes = try PNGCodec.encode(image, name: path)
        } else if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") {
            bytes = try JPEGCodec.encode(image, quality: quality, name: path)
        } else {
            throw ImagingError.unwritable(file: path, reason: "unknown extension; use .png, .jpg or .jpeg")
        }
        do {
            try AtomicFile.write(Data(bytes), to: path)
        } catch let error as FileError {
            throw ImagingError.unwritable(file: path, reason: error.reason)
        }
    }

    /// The largest photo file read (1 GB): far above any JPEG or PNG within the pixel limit, and a
    /// stop for huge non-photos before they fill the memory.
    public static let byteLimit = 1_000_000_000

    /// The bytes at the start of a file read first to check that it is a photo.
    static let headerPrefix = 64 * 1024

    /// The whole file at `path`: a regular file of at most `byteLimit` bytes. Its start is read and
    /// checked first, so a file that is not a JPEG or PNG, or whose header announces more than
    /// `pixelLimit` pixels, is refused before the rest is read (a JPEG's size is checked there when
    /// its frame header lies in the first `headerPrefix` bytes, as it does unless the metadata is large).
    static func readBytes(_ path: String, pixelLimit: Int = defaultPixelLimit) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw ImagingError.unreadable(file: path, reason: "a folder, not a photo (give its photos, e.g. \(path)/*.jpg)")
        }
        do {
            let head = try RegularFile.readPrefix(path, count: headerPrefix)
            guard !head.isEmpty else { throw ImagingError.empty(file: path) }
            guard JPEGCodec.matches(head) || PNGCodec.matches(head) else { throw ImagingError.unsupportedFormat(file: path) }
            if let size = try? uprightSize(of: head, name: path), size.width * size.height > pixelLimit {
                throw ImagingError.tooLarge(file: path, width: size.width, height: size.height, limit: pixelLimit)
            }
            return try RegularFile.read(path, limit: byteLimit)
        } catch let error as FileError {
            throw ImagingError.unreadable(file: path, reason: error.reason)
        }
    }
}
