import CPNG

/// PNG decoding and encoding through libpng's simplified API, which reports errors without longjmp.
enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// True when `bytes` start with the PNG signature.
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && Array(bytes[0..<8]) == signature
    }

    /// Decodes grey, grey+alpha, RGB, RGBA, palette and 16-bit PNGs to `mode`; alpha is composited on white.
    static func decode(_ bytes: [UInt8], mode: ColorMode, maxPixels: Int, name: String) throws -> Image {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = bytes.withUnsafeBufferPointer {
            png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count)
        }
        guard began != 0 else { throw failure(image, name: name) }
        let width = Int(image.width), height = Int(image.height)
        guard width * height <= maxPixels else {
            throw ImagingError.tooLarge(file: name, width: width, height: height, limit: maxPixels)
        }
        image.format = mode == .grey ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: width * height * mode.channels)
        var white = png_color(red: 255, green: 255, blue: 255)
        let finished = pixels.withUnsafeMutableBytes {
            png_image_finish_read(&image, &white, $0.baseAddress, Int32(width * mode.channels), nil)
        }
        guard finished != 0 else { throw failure(image, name: name) }
        return Image(width: width, height: height, channels: mode.channels, pixels: pixels)
    }

    /// Encodes `samples` in libpng's `format` (PNG_FORMAT_*); 16-bit formats take little-endian pairs.
    static func encode(samples: [UInt8], width: Int, height: Int, format: UInt32, rowBytes: Int,
                       colormap: [UInt8]? = nil, colormapEntries: Int = 0, name: String) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        image.colormap_entries = UInt32(colormapEntries)
        defer { png_image_free(&image) }
        var size: png_alloc_size_t = 0
        let sized = samples.withUnsafeBytes {
            png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, Int32(rowBytes), colormap)
        }
        guard sized != 0 else { throw ImagingError.unwritable(file: name, reason: message(image)) }
        var out = [UInt8](repeating: 0, count: Int(size))
        let written = out.withUnsafeMutableBytes { dst in
            samples.withUnsafeBytes {
                png_image_write_to_memory(&image, dst.baseAddress, &size, 0, $0.baseAddress, Int32(rowBytes), colormap)
            }
        }
        guard written != 0 else { throw ImagingError.unwritable(file: name, reason: message(image)) }
        return Array(out.prefix(Int(size)))
    }

    /// Encodes an 8-bit grey or RGB image.
    static func encode(_ image: Image, name: String) throws -> [UInt8] {
        try encode(samples: image.pixels, width: image.width, height: image.height,
                   format: image.channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB),
                   rowBytes: image.width * image.channels, name: name)
    }

    private static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    private static func failure(_ image: png_image, name: String) -> ImagingError {
        let text = message(image)
        if text.contains("EOF") || text.contains("Not enough") || text.contains("truncated") {
            return .truncated(file: name)
        }
        return .corrupt(file: name, reason: text)
    }
}
