import Imaging

/// Fixed-point bilinear reads of interleaved RGB samples, shared by alignment and morph rendering.
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

    /// Interpolates the three channels at fixed-point (`fx`, `fy`), which must lie within
    /// [0, (width - 1) * 256] x [0, (height - 1) * 256]; each result is the value times 65536.
    @inline(__always)
    static func rgb(_ src: UnsafePointer<UInt8>, width: Int, height: Int, fx: Int, fy: Int) -> (Int, Int, Int) {
        let x0 = fx >> shift, y0 = fy >> shift
        let ax = fx & (one - 1), ay = fy & (one - 1)
        let dx = x0 + 1 < width ? 3 : 0, dy = y0 + 1 < height ? 3 * width : 0
        let p = src + (y0 * width + x0) * 3
        let w00 = (one - ax) * (one - ay), w10 = ax * (one - ay), w01 = (one - ax) * ay, w11 = ax * ay
        @inline(__always) func channel(_ c: Int) -> Int {
            Int(p[c]) * w00 + Int(p[c + dx]) * w10 + Int(p[c + dy]) * w01 + Int(p[c + dx + dy]) * w11
        }
        return (channel(0), channel(1), channel(2))
    }
}
