import CPNG
@testable import Imaging

/// Small synthetic images and files for the codec tests.
enum TestImages {
    /// An RGB image whose colour varies smoothly, so JPEG keeps it close.
    static func gradient(width: Int = 64, height: Int = 48) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y, 0] = UInt8(x * 255 / (width - 1))
                image[x, y, 1] = UInt8(y * 255 / (height - 1))
                image[x, y, 2] = 128
            }
        }
        return image
    }

    /// A grey image where every pixel has a distinct value.
    static func uniquePixels(width: Int, height: Int) -> Image {
        Image(width: width, height: height, channels: 1, pixels: (0..<width * height).map { UInt8($0 * 7 % 256) })
    }

    /// A TIFF (big-endian) EXIF blob with IFD0 orientation and an Exif IFD with DateTimeOriginal.
    static func exif(orientation: Int, date: String? = nil) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let hasDate = date != nil
        let ifd0Count = hasDate ? 2 : 1
        let ifd0Size = 2 + 12 * ifd0Count + 4
        let exifIFDOffset = 8 + ifd0Size
        let exifIFDSize = 2 + 12 + 4
        let textOffset = exifIFDOffset + exifIFDSize
        var bytes: [UInt8] = Array("MM".utf8) + u16(42) + u32(8) + u16(ifd0Count)
        bytes += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
        if let date {
            bytes += u16(0x8769) + u16(4) + u32(1) + u32(exifIFDOffset)
            bytes += u32(0)
            bytes += u16(1) + u16(0x9003) + u16(2) + u32(20) + u32(textOffset) + u32(0)
            bytes += Array(date.utf8) + [0]
        } else {
            bytes += u32(0)
        }
        return bytes
    }

    /// `jpeg` with an APP1 Exif segment inserted after the start-of-image marker.
    static func insertingEXIF(_ tiff: [UInt8], intoJPEG jpeg: [UInt8]) -> [UInt8] {
        let payload = Array("Exif\0\0".utf8) + tiff
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg[2...]
    }

    /// `png` with an eXIf chunk inserted after IHDR.
    static func insertingEXIF(_ tiff: [UInt8], intoPNG png: [UInt8]) -> [UInt8] {
        let ihdrEnd = 8 + 8 + 13 + 4
        let type = Array("eXIf".utf8)
        let length = tiff.count
        let chunk = [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + type + tiff + bigEndian(crc32(type + tiff))
        return Array(png[..<ihdrEnd]) + chunk + png[ihdrEnd...]
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// A 16-bit grey PNG holding `values` (sRGB-encoded samples, no gamma chunk).
    static func png16(width: Int, height: Int, values: [UInt16]) throws -> [UInt8] {
        let samples = values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        return try PNGCodec.encode(samples: samples, width: width, height: height,
                                   format: UInt32(PNG_FORMAT_LINEAR_Y), rowBytes: width * 2, name: "test")
    }

    /// A palette PNG with the given RGB palette and per-pixel indices.
    static func palettePNG(width: Int, height: Int, palette: [Color], indices: [UInt8]) throws -> [UInt8] {
        let colormap = palette.flatMap { [$0.r, $0.g, $0.b] }
        return try PNGCodec.encode(samples: indices, width: width, height: height,
                                   format: UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_COLORMAP), rowBytes: width,
                                   colormap: colormap, colormapEntries: palette.count, name: "test")
    }

    /// An RGBA PNG.
    static func rgbaPNG(width: Int, height: Int, rgba: [UInt8]) throws -> [UInt8] {
        try PNGCodec.encode(samples: rgba, width: width, height: height, format: UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA),
                            rowBytes: width * 4, name: "test")
    }
}
