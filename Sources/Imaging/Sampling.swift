/// Sub-pixel reads of an `Image` (coordinates follow the pixel contract in Image.swift).
extension Image {
    /// Bilinear interpolation of channel `c` at (`x`, `y`); coordinates outside the image are
    /// clamped to the nearest edge pixel.
    @inlinable
    public func sample(x: Double, y: Double, channel c: Int) -> Double {
        let fx = min(max(x, 0), Double(width - 1)), fy = min(max(y, 0), Double(height - 1))
        let x0 = Int(fx), y0 = Int(fy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let ax = fx - Double(x0), ay = fy - Double(y0)
        let p00 = Double(pixels[(y0 * width + x0) * channels + c])
        let p10 = Double(pixels[(y0 * width + x1) * channels + c])
        let p01 = Double(pixels[(y1 * width + x0) * channels + c])
        let p11 = Double(pixels[(y1 * width + x1) * channels + c])
        let top = p00 + (p10 - p00) * ax, bottom = p01 + (p11 - p01) * ax
        return top + (bottom - top) * ay
    }

    /// The image resampled through `transform`, which maps OUTPUT coordinates to SOURCE coordinates,
    /// into a `width` x `height` image; outside the source the edge pixels are repeated.
    public func warped(sourceFromOutput transform: AffineTransform, width outWidth: Int, height outHeight: Int) -> Image {
        var out = Image(width: outWidth, height: outHeight, channels: channels)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    let p = transform.apply(Point(x: Double(x), y: Double(y)))
                    for c in 0..<channels {
                        dst[(y * outWidth + x) * channels + c] = UInt8(min(255, max(0, sample(x: p.x, y: p.y, channel: c) + 0.5)))
                    }
                }
            }
        }
        return out
    }
}
