import Imaging

/// Mean and standard deviation per Lab channel (L, a, b) of a region of an RGB image.
public struct ColourStatistics: Equatable, Sendable {
    /// Mean L, a, b.
    public var mean: SIMD3<Double>
    /// Standard deviation of L, a, b.
    public var deviation: SIMD3<Double>

    /// Statistics with the given means and deviations.
    public init(mean: SIMD3<Double>, deviation: SIMD3<Double>) {
        (self.mean, self.deviation) = (mean, deviation)
    }

    /// The statistics of the pixels of RGB `image` in `region` (see `labSamples(of:in:)`).
    public init(of image: Image, in region: Box) {
        let samples = Self.labSamples(of: image, in: region)
        var sum = SIMD3<Double>(), squares = SIMD3<Double>()
        for lab in samples {
            let lab = SIMD3<Double>(lab)
            sum += lab
            squares += lab * lab
        }
        let count = Double(samples.count)
        mean = sum / count
        deviation = pointwiseMax(squares / count - mean * mean, .zero).squareRoot()
    }

    /// The Lab colours of the pixels of RGB `image` whose centres lie in `region` (clipped to the
    /// image; the whole image when nothing is left), read on a grid of at most about 40,000 pixels,
    /// row by row: the same region of two same-size images gives the same pixels in the same order.
    public static func labSamples(of image: Image, in region: Box) -> [SIMD3<Float>] {
        precondition(image.channels == 3, "colour statistics need RGB")
        let rows = image.pixelRange(region.y, region.height, size: image.height)
        let columns = image.pixelRange(region.x, region.width, size: image.width)
        let step = max(1, Int((Double(rows.count * columns.count) / 40_000).squareRoot().rounded(.up)))
        var samples = [SIMD3<Float>]()
        samples.reserveCapacity((rows.count / step + 1) * (columns.count / step + 1))
        image.pixels.withUnsafeBufferPointer { p in
            for y in stride(from: rows.lowerBound, to: rows.upperBound, by: step) {
                for x in stride(from: columns.lowerBound, to: columns.upperBound, by: step) {
                    let i = (y * image.width + x) * 3
                    samples.append(LabColour.lab(r: p[i], g: p[i + 1], b: p[i + 2]))
                }
            }
        }
        return samples
    }

    /// Chroma of the mean colour, `hypot(a, b)`: near 0 for a grey photo.
    public var chroma: Double { (mean.y * mean.y + mean.z * mean.z).squareRoot() }
}

extension Image {
    /// Pixel indices whose centres lie in [start, start + length], clipped to `0..<size`; all of them when that is empty.
    func pixelRange(_ start: Double, _ length: Double, size: Int) -> Range<Int> {
        let first = max(0, Int(start.rounded(.up))), last = min(size - 1, Int((start + length).rounded(.down)))
        return first <= last ? first..<last + 1 : 0..<size
    }
}
