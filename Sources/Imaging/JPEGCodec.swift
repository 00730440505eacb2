import CJPEGShim

/// JPEG decoding and encoding through libjpeg-turbo (errors come back as `ImagingError`, never `exit()`).
enum JPEGCodec {
    /// True when `bytes` start with the JPEG start-of-image marker.
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    /// What a JPEG header says, read without decoding pixels.
    struct Header {
        var width: Int
        var height: Int
        var components: Int
        var progressive: Bool
    }

    /// Reads the header of `bytes`.
    static func header(of bytes: [UInt8], name: String) throws -> Header {
        var header = cs_jpeg_header()
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer {
            cs_jpeg_read_header($0.baseAddress, $0.count, &header, &message, message.count)
        }
        try check(status, message: message, name: name)
        return Header(width: Int(header.width), height: Int(header.height), components: Int(header.components),
                      progressive: header.progressive != 0)
    }

    /// Width and height from the header, without decoding pixels.
    static func size(of bytes: [UInt8], name: String) throws -> (width: Int, height: Int) {
        let header = try header(of: bytes, name: name)
        return (header.width, header.height)
    }

    /// Decodes to `mode`, shrunk by 1/`scale` in libjpeg's DCT (1, 2, 4 or 8), refusing images over `maxPixels`.
    static func decode(_ bytes: [UInt8], mode: ColorMode, scale: Int, maxPixels: Int, name: String) throws -> Image {
        precondition([1, 2, 4, 8].contains(scale), "JPEG scale must be 1, 2, 4 or 8")
        let (width, height) = try size(of: bytes, name: name)
        guard width * height <= maxPixels else {
            throw ImagingError.tooLarge(file: name, width: width, height: height, limit: maxPixels)
        }
        var outWidth: Int32 = 0, outHeight: Int32 = 0
        cs_jpeg_scaled_size(Int32(width), Int32(height), Int32(scale), &outWidth, &outHeight)
        var pixels = [UInt8](repeating: 0, count: Int(outWidth) * Int(outHeight) * mode.channels)
        var message = [CChar](repeating: 0, count: 256)
        var warnings: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                cs_jpeg_decode(src.baseAddress, src.count, Int32(mode.channels), Int32(scale),
                               dst.baseAddress, dst.count, &warnings, &message, message.count)
            }
        }
        try check(status, message: message, name: name)
        return Image(width: Int(outWidth), height: Int(outHeight), channels: mode.channels, pixels: pixels)
    }

    /// Encodes grey or RGB pixels at `quality` (1-100).
    static func encode(_ image: Image, quality: Int, progressive: Bool = false, name: String) throws -> [UInt8] {
        try encode(samples: image.pixels, width: image.width, height: image.height, channels: image.channels,
                   quality: quality, progressive: progressive, name: name)
    }

    /// Encodes raw interleaved samples (`channels` 1, 3 or 4 = CMYK, stored inverted as Adobe does).
    static func encode(samples: [UInt8], width: Int, height: Int, channels: Int, quality: Int,
                       progressive: Bool, name: String) throws -> [UInt8] {
        precondition(samples.count == width * height * channels, "sample count does not match the size")
        var out: UnsafeMutablePointer<UInt8>?
        var outSize = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = samples.withUnsafeBufferPointer {
            cs_jpeg_encode($0.baseAddress, Int32(width), Int32(height), Int32(channels),
                           Int32(min(100, max(1, quality))), progressive ? 1 : 0, &out, &outSize,
                           &message, message.count)
        }
        guard status == Int32(CS_JPEG_OK.rawValue), let out else {
            throw ImagingError.unwritable(file: name, reason: String(cString: message))
        }
        defer { cs_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: outSize))
    }

    private static func check(_ status: Int32, message: [CChar], name: String) throws {
        switch UInt32(status) {
        case CS_JPEG_OK.rawValue: return
        case CS_JPEG_TRUNCATED.rawValue: throw ImagingError.truncated(file: name)
        default: throw ImagingError.corrupt(file: name, reason: String(cString: message))
        }
    }
}
