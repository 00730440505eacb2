import Imaging
import Plumbing

/// What fills the parts of an aligned frame the photo does not cover.
public enum Background: String, CaseIterable, Sendable {
    /// The photo mirrored about its edges, sharp.
    case extend
    /// The mirrored photo, blurred more the further it lies outside the photo (the default).
    case blur
    /// Black.
    case black
}

/// The blurred fill of `Background.blur`: a heavily blurred copy of the frame, blended in by a mask.
enum BlurredFill {
    /// Frame pixels over which the fill fades in from the photo's edge, as a share of the smaller frame side.
    static let featherShare = 0.03

    /// Blends a blurred copy of RGB `image` into it with weights `mask` (0: keep, 255: blurred only).
    static func blend(into image: inout Image, mask: [UInt8]) {
        precondition(image.channels == 3 && mask.count == image.pixelCount, "mask must cover the RGB image")
        let small = blurredThumbnail(image)
        let factor = Double(image.width) / Double(small.width), factorY = Double(image.height) / Double(small.height)
        let (width, height) = (image.width, image.height)
        image.pixels.withUnsafeMutableBufferPointer { out in
            let out = out.baseAddress!
            Parallel.forEach(height, chunksPerCore: 2) { rows in
                for y in rows {
                    let sy = min(max((Double(y) + 0.5) / factorY - 0.5, 0), Double(small.height - 1))
                    for x in 0..<width where mask[y * width + x] > 0 {
                        let sx = min(max((Double(x) + 0.5) / factor - 0.5, 0), Double(small.width - 1))
                        let m = Double(mask[y * width + x]) / 255, o = out + (y * width + x) * 3
                        for c in 0..<3 {
                            let value = Double(o[c]) * (1 - m) + small.sample(x: sx, y: sy, channel: c) * m
                            o[c] = UInt8(min(max(value.rounded(), 0), 255))
                        }
                    }
                }
            }
        }
    }

    /// `image` box-averaged to about 96 pixels on its smaller side, then box-blurred three times with
    /// radius 4 (close to a Gaussian of 4.5 thumbnail pixels, about 5% of the smaller frame side).
    static func blurredThumbnail(_ image: Image) -> FloatImage {
        let factor = max(1, min(image.width, image.height) / 96)
        var small = FloatImage(boxAveraging: image, factor: factor)
        for _ in 0..<3 { small.boxBlur(radius: 4) }
        return small
    }
}

/// A small RGB image of `Double` samples for the blurred fill.
struct FloatImage {
    let width: Int
    let height: Int
    var samples: [Double]

    /// `image` averaged over `factor` x `factor` blocks (the last blocks may be partial).
    init(boxAveraging image: Image, factor: Int) {
        (width, height) = ((image.width + factor - 1) / factor, (image.height + factor - 1) / factor)
        var sums = [Double](repeating: 0, count: width * height * 3), counts = [Double](repeating: 0, count: width * height)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let cell = (y / factor) * width + x / factor, i = (y * image.width + x) * 3
                for c in 0..<3 { sums[cell * 3 + c] += Double(image.pixels[i + c]) }
                counts[cell] += 1
            }
        }
        samples = sums.indices.map { sums[$0] / counts[$0 / 3] }
    }

    /// Bilinear read at (x, y), which must lie in [0, width - 1] x [0, height - 1].
    func sample(x: Double, y: Double, channel: Int) -> Double {
        let x0 = Int(x), y0 = Int(y), x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let (fx, fy) = (x - Double(x0), y - Double(y0))
        func at(_ x: Int, _ y: Int) -> Double { samples[(y * width + x) * 3 + channel] }
        return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
    }

    /// A box blur of `radius` along rows, then along columns; edges repeat the edge sample.
    mutating func boxBlur(radius: Int) {
        blurLines(count: height, length: width, step: 3, lineStep: width * 3, radius: radius)
        blurLines(count: width, length: height, step: width * 3, lineStep: 3, radius: radius)
    }

    /// Box-blurs `count` lines of `length` samples `step` apart, the lines `lineStep` apart, per channel.
    private mutating func blurLines(count: Int, length: Int, step: Int, lineStep: Int, radius: Int) {
        var line = [Double](repeating: 0, count: length)
        for l in 0..<count {
            for c in 0..<3 {
                let base = l * lineStep + c
                for i in 0..<length { line[i] = samples[base + i * step] }
                for i in 0..<length {
                    var sum = 0.0
                    for k in -radius...radius { sum += line[min(max(i + k, 0), length - 1)] }
                    samples[base + i * step] = sum / Double(2 * radius + 1)
                }
            }
        }
    }
}
