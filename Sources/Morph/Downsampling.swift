import Imaging
import Plumbing

/// Prefiltering helpers so that strong reductions (a 12 MP photo into a 720 px frame) do not alias.
extension Image {
    /// This image as 3-channel RGB (grey samples replicated), or itself when already RGB.
    func asRGB() -> Image {
        guard channels == 1 else { return self }
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        for i in 0..<pixelCount {
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (pixels[i], pixels[i], pixels[i])
        }
        return Image(width: width, height: height, channels: 3, pixels: rgb)
    }

    /// The RGB image at half size by 2x2 box averaging; an odd last row or column is repeated.
    /// Pixel centre (x, y) of the result sits at (2x + 0.5, 2y + 0.5) in this image.
    func halvedRGB() -> Image {
        precondition(channels == 3, "halvedRGB needs RGB")
        let w = (width + 1) / 2, h = (height + 1) / 2
        var out = Image(width: w, height: h, channels: 3)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                let (src, dst) = (src.baseAddress!, dst.baseAddress!)
                Parallel.forEach(h, chunksPerCore: 2) { rows in
                    for y in rows {
                        let r0 = 2 * y * width * 3, r1 = min(2 * y + 1, height - 1) * width * 3
                        for x in 0..<w {
                            let c0 = 2 * x * 3, c1 = min(2 * x + 1, width - 1) * 3
                            for c in 0..<3 {
                                let sum = Int(src[r0 + c0 + c]) + Int(src[r0 + c1 + c]) + Int(src[r1 + c0 + c]) + Int(src[r1 + c1 + c])
                                dst[(y * w + x) * 3 + c] = UInt8((sum + 2) >> 2)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
