/// Colour conversion, cropping and float views of an `Image`.
extension Image {
    /// The image in `mode`: RGB to grey uses BT.601 luma; grey to RGB repeats the sample.
    public func converted(to mode: ColorMode) -> Image {
        if mode.channels == channels { return self }
        var out = Image(width: width, height: height, channels: mode.channels)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixelCount {
                    if mode == .grey {
                        let r = Int(src[3 * i]), g = Int(src[3 * i + 1]), b = Int(src[3 * i + 2])
                        dst[i] = UInt8((r * 77 + g * 150 + b * 29 + 128) >> 8)
                    } else {
                        dst[3 * i] = src[i]
                        dst[3 * i + 1] = src[i]
                        dst[3 * i + 2] = src[i]
                    }
                }
            }
        }
        return out
    }

    /// The pixels inside the integer rectangle at (`x`, `y`) of size `w` x `h`, which must lie inside the image.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> Image {
        precondition(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height, "crop outside the image")
        var out = Image(width: w, height: h, channels: channels)
        let rowLength = w * channels
        for row in 0..<h {
            let src = ((y + row) * width + x) * channels
            out.pixels.replaceSubrange(row * rowLength..<(row + 1) * rowLength, with: pixels[src..<src + rowLength])
        }
        return out
    }

    /// Planar floats `[channels, height, width]`, each sample mapped by `(value / 255 - mean) / std`.
    public func floatPlanes(mean: Float = 0, std: Float = 1) -> [Float] {
        var out = [Float](repeating: 0, count: pixels.count)
        let plane = pixelCount, ch = channels, scale = 1 / (255 * std), shift = mean / std
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<plane {
                    for c in 0..<ch { dst[c * plane + i] = Float(src[i * ch + c]) * scale - shift }
                }
            }
        }
        return out
    }

    /// The image mirrored left to right.
    public func flippedHorizontally() -> Image { applyingOrientation(2) }
}
