import Foundation

/// CIE L*a*b* (D65 white, sRGB primaries) conversions of 8-bit sRGB samples, and the CIE76 colour difference.
///
/// L is in [0, 100]; a and b are about [-128, 127]. The sRGB decoding goes through a 256-entry table,
/// the encoding through a 16384-entry table of linear light (under 0.25 of an 8-bit level off).
public enum LabColour {
    /// Linear light of each 8-bit sRGB level.
    private static let linear: [Float] = (0..<256).map { level in
        let v = Double(level) / 255
        return Float(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4))
    }
    /// Entries of the linear-to-sRGB table.
    private static let encodeSteps = 16384
    /// 8-bit sRGB level of linear light `i / (encodeSteps - 1)`.
    private static let encode: [UInt8] = (0..<encodeSteps).map { i in
        let v = Double(i) / Double(encodeSteps - 1)
        let s = v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055
        return UInt8((s * 255).rounded())
    }
    private static let (xn, zn): (Float, Float) = (0.95047, 1.08883)
    private static let epsilon: Float = 216.0 / 24389, kappa: Float = 24389.0 / 27

    /// The Lab colour of an 8-bit sRGB pixel.
    @inline(__always)
    public static func lab(r: UInt8, g: UInt8, b: UInt8) -> SIMD3<Float> {
        let (lr, lg, lb) = (linear[Int(r)], linear[Int(g)], linear[Int(b)])
        let x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / xn
        let y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb
        let z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / zn
        @inline(__always) func f(_ t: Float) -> Float { t > epsilon ? cbrtf(t) : (kappa * t + 16) / 116 }
        let (fx, fy, fz) = (f(x), f(y), f(z))
        return SIMD3(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// The 8-bit sRGB pixel of a Lab colour (out-of-gamut colours are clipped per channel).
    @inline(__always)
    public static func rgb(_ lab: SIMD3<Float>) -> (UInt8, UInt8, UInt8) {
        let fy = (lab.x + 16) / 116, fx = fy + lab.y / 500, fz = fy - lab.z / 200
        @inline(__always) func finv(_ t: Float) -> Float { t * t * t > epsilon ? t * t * t : (116 * t - 16) / kappa }
        let x = finv(fx) * xn, y = lab.x > kappa * epsilon ? fy * fy * fy : lab.x / kappa, z = finv(fz) * zn
        let r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
        let g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
        let b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
        @inline(__always) func level(_ v: Float) -> UInt8 {
            encode[Int(Swift.min(Swift.max(v, 0), 1) * Float(encodeSteps - 1) + 0.5)]
        }
        return (level(r), level(g), level(b))
    }

    /// The CIE76 colour difference: the Euclidean distance in Lab.
    @inline(__always)
    public static func deltaE(_ p: SIMD3<Float>, _ q: SIMD3<Float>) -> Float {
        let d = p - q
        return (d * d).sum().squareRoot()
    }
}
