import Foundation
import Imaging
import Plumbing

/// Brings the colours of a photo sequence towards a common reference, so that skin tone and
/// brightness drift smoothly instead of jumping between photos.
///
/// Method (Reinhard-style statistics transfer in CIE Lab, made conservative):
/// 1. each photo's face region gives a mean and standard deviation per Lab channel;
/// 2. its reference is the Gaussian-weighted mean (`smoothing` photos wide) of the statistics of
///    the other photos around it in the order (leaving itself out, so an odd photo does not anchor its
///    own target), so a collection spanning years may drift slowly; photos whose face is nearly grey
///    (chroma under `greyChroma`) do not take part in the a/b reference;
/// 3. the photo moves `strength` of the way towards it by a per-channel affine map of L, a and b
///    applied to the whole frame, after a dead zone: a difference of the means under `tolerance`
///    (CIE76) and a contrast ratio within `contrastTolerance` are left alone, so a consistent
///    collection is not touched; contrast and saturation gains are bounded, and a photo's mean chroma
///    may grow by at most `chromaGain`, so a grey or sepia photo stays nearly grey or sepia;
///    lightness pushed past black or white is rolled off softly, so no new pure black or white appears.
public struct ColourHarmonizer: Sendable {
    /// Share of the way (past the dead zone) each photo moves towards its reference.
    public var strength = 0.8
    /// Standard deviation, in photos, of the Gaussian weights along the order.
    public var smoothing = 3.0
    /// Difference of the mean colours (CIE76) that is left alone (about the smallest difference people notice).
    public var tolerance = 3.0
    /// Ratio of standard deviations that is left alone (1.2: within 20%).
    public var contrastTolerance = 1.2
    /// Faces whose mean chroma is below this count as grey.
    public var greyChroma = 4.0
    /// Most mean chroma a photo may gain.
    public var chromaGain = 6.0
    /// Bounds of the lightness contrast gain.
    public var lightnessGain: ClosedRange<Double> = 0.7...1.45
    /// Bounds of the a/b saturation gain.
    public var saturationGain: ClosedRange<Double> = 0.8...1.25

    /// A harmonizer with the default settings.
    public init() {}

    /// The transfer of each photo, in order, from the statistics of the photos' face regions; nil
    /// where a photo is left as it is.
    public func transfers(for statistics: [ColourStatistics]) -> [ColourTransfer?] {
        statistics.indices.map { i in transfer(from: statistics[i], to: reference(at: i, in: statistics)) }
    }

    /// The Gaussian-weighted statistics of the photos around photo `i`, not counting it; a and b only
    /// from photos with colour (the photo's own values where no other photo counts).
    func reference(at i: Int, in statistics: [ColourStatistics]) -> ColourStatistics {
        var sum = ColourStatistics(mean: .zero, deviation: .zero), weights = SIMD3<Double>.zero
        for (j, s) in statistics.enumerated() where j != i {
            let w = exp(-Double((i - j) * (i - j)) / (2 * smoothing * smoothing))
            let channels = SIMD3<Double>(1, s.chroma >= greyChroma ? 1 : 0, s.chroma >= greyChroma ? 1 : 0) * w
            sum.mean += s.mean * channels
            sum.deviation += s.deviation * channels
            weights += channels
        }
        var reference = statistics[i]
        for c in 0..<3 where weights[c] > 0 {
            reference.mean[c] = sum.mean[c] / weights[c]
            reference.deviation[c] = sum.deviation[c] / weights[c]
        }
        return reference
    }

    /// The bounded, dead-zoned move of `own` towards `reference`, or nil when nothing moves.
    func transfer(from own: ColourStatistics, to reference: ColourStatistics) -> ColourTransfer? {
        var shift = reference.mean - own.mean
        let distance = (shift * shift).sum().squareRoot()
        shift = distance > tolerance ? shift * (strength * (distance - tolerance) / distance) : .zero
        // A grey or faded photo gains little colour: its mean a/b stays within `chromaGain` of its own chroma.
        let target = SIMD2(own.mean.y + shift.y, own.mean.z + shift.z)
        let targetChroma = (target * target).sum().squareRoot(), limit = own.chroma + chromaGain
        if targetChroma > limit {
            let limited = target * (limit / targetChroma)
            (shift.y, shift.z) = (limited.x - own.mean.y, limited.y - own.mean.z)
        }
        var gain = SIMD3<Double>(repeating: 1)
        for c in 0..<3 where own.deviation[c] > 1 && reference.deviation[c] > 1 {
            let ratio = log(reference.deviation[c] / own.deviation[c]), dead = log(contrastTolerance)
            let moved = exp(strength * max(0, abs(ratio) - dead) * (ratio < 0 ? -1 : 1))
            let bounds = c == 0 ? lightnessGain : saturationGain
            gain[c] = min(max(moved, bounds.lowerBound), bounds.upperBound)
        }
        guard shift != .zero || gain != SIMD3(repeating: 1) else { return nil }
        return ColourTransfer(centre: own.mean, gain: gain, shift: shift)
    }
}

/// A per-channel affine map in Lab: `(lab - centre) * gain + centre + shift`.
public struct ColourTransfer: Equatable, Sendable {
    /// The colour the gains scale about (the photo's mean face colour).
    public var centre: SIMD3<Double>
    /// Gain of L, a and b about `centre`.
    public var gain: SIMD3<Double>
    /// Added to L, a and b.
    public var shift: SIMD3<Double>

    /// A transfer with the given centre, gains and shift.
    public init(centre: SIMD3<Double>, gain: SIMD3<Double>, shift: SIMD3<Double>) {
        (self.centre, self.gain, self.shift) = (centre, gain, shift)
    }

    /// Applies the map to every pixel of RGB `image`.
    public func apply(to image: inout Image) {
        precondition(image.channels == 3, "colour transfer needs RGB")
        let gain = SIMD3<Float>(self.gain), offset = SIMD3<Float>(centre + shift) - SIMD3<Float>(centre) * gain
        let (width, height) = (image.width, image.height)
        image.pixels.withUnsafeMutableBufferPointer { p in
            let p = p.baseAddress!
            Parallel.forEach(height, chunksPerCore: 2) { rows in
                for i in rows.lowerBound * width..<rows.upperBound * width {
                    let o = p + 3 * i
                    var lab = LabColour.lab(r: o[0], g: o[1], b: o[2]) * gain + offset
                    lab.x = Self.rollOff(lab.x)
                    (o[0], o[1], o[2]) = LabColour.rgb(lab)
                }
            }
        }
    }

    /// Lightness kept inside (1, 99), a few 8-bit levels from black and white: unchanged in
    /// [knee, 100 - knee], beyond that bent exponentially towards 1 or 99 (continuous, slope 1 at the knee).
    @inline(__always)
    static func rollOff(_ l: Float) -> Float {
        let knee: Float = 8, bend: Float = knee - 1
        if l < knee { return 1 + bend * expf((l - knee) / bend) }
        if l > 100 - knee { return 99 - bend * expf((100 - knee - l) / bend) }
        return l
    }
}
