// Pixel contract of every `Image` in this package:
//   - 8 bits per sample, `channels` samples per pixel, interleaved (RGB order for 3 channels);
//   - rows stored top to bottom, pixels left to right, origin at the top-left corner;
//   - no row padding: sample (x, y, c) is at `pixels[(y * width + x) * channels + c]`;
//   - a pixel's centre is at (x + 0.5, y + 0.5) in continuous coordinates; point coordinates
//     used for keypoints are 0-based pixel indices (the centre of pixel (0, 0) is (0, 0)).

/// An 8-bit raster image, grey (1 channel) or RGB (3 channels), in the layout described above.
public struct Image: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Samples per pixel: 1 (grey) or 3 (RGB).
    public let channels: Int
    /// `height * width * channels` samples, row-major, interleaved.
    public var pixels: [UInt8]

    /// Wraps existing samples; `pixels.count` must equal `width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "channels must be 1 or 3")
        precondition(width > 0 && height > 0, "empty image")
        precondition(pixels.count == width * height * channels, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A new image filled with one value per channel.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    /// Total pixel count.
    public var pixelCount: Int { width * height }

    /// The sample at column `x`, row `y`, channel `c`.
    @inlinable
    public subscript(x: Int, y: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }
}

/// The colour layout a caller asks a decoder or converter for.
public enum ColorMode: Sendable {
    /// One luma channel (ITU-R BT.601 weights).
    case grey
    /// Three channels, red, green, blue.
    case rgb

    /// Samples per pixel in this mode.
    public var channels: Int { self == .grey ? 1 : 3 }
}
