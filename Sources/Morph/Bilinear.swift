import Imaging

/// An RGB image with its last column and last row repeated once more, so a bilinear read at any
/// position in [0, width - 1] x [0, height - 1] can fetch its 2x2 neighbourhood without edge tests.
struct PaddedRGB {
    /// Width of the original image.
    let width: Int
    /// Height of the original image.
    let height: Int
    /// Bytes per padded row, `(width + 1) * 3`.
    let stride: Int
    /// `(height + 1) * stride` samples.
    let samples: [UInt8]

    /// The padded copy of `image` (RGB).
    init(_ image: Image) {
        precondition(image.channels == 3, "PaddedRGB needs RGB")
        (width, height, stride) = (image.width, image.height, (image.width + 1) * 3)
        var samples = [UInt8](repeating: 0, count: (image.height + 1) * stride)
        let rowBytes = image.width * 3
        for y in 0...image.height {
            let from = min(y, image.height - 1) * rowBytes, to = y * stride
            samples[to..<to + rowBytes] = image.pixels[from..<from + rowBytes]
            samples[to + rowBytes..<to + rowBytes + 3] = image.pixels[from + rowBytes - 3..<from + rowBytes]
        }
        self.samples = samples
    }
}

/// Fixed-point bilinear reads of padded RGB samples, shared by alignment and morph rendering.
///
/// Coordinates are in units of 1/256 pixel (`Bilinear.one`); the result is the interpolated sample
/// times 65536, so callers round once after any further weighting.
enum Bilinear {
    /// Fixed-point scale of coordinates and weights.
    static let one = 256
    /// log2 of `one`.
    static let shift = 8

    /// The fixed-point (1/256 px) form of `value` clamped to [0, `limit`], rounded to nearest
    /// (by truncation of a non-negative value plus one half, which avoids a libm call).
    @inline(__always)
    static func fixed(_ value: Float, limit: Float) -> Int { Int(Swift.min(Swift.max(value, 0), limit) * Float(one) + 0.5) }

    /// Interpolates the three channels at fixed-point (`fx`, `fy`) of a `PaddedRGB` whose samples
    /// start at `src` with rows `stride` bytes apart; (`fx`, `fy`) must lie within
    /// [0, (width - 1) * 256] x [0, (height - 1) * 256]. Each result is the value times 65536.
    @inline(__always)
    static func rgb(_ src: UnsafePointer<UInt8>, stride: Int, fx: Int, fy: Int) -> (Int, Int, Int) {
        let ax = fx & (one - 1), ay = fy & (one - 1)
        let p = src + (fy >> shift) * stride + (fx >> shift) * 3
        let w00 = (one - ax) * (one - ay), w10 = ax * (one - ay), w01 = (one - ax) * ay, w11 = ax * ay
        @inline(__always) func channel(_ c: Int) -> Int {
            Int(p[c]) * w00 + Int(p[c + 3]) * w10 + Int(p[c + stride]) * w01 + Int(p[c + stride + 3]) * w11
        }
        return (channel(0), channel(1), channel(2))
    }
}
