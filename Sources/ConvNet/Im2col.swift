import Plumbing

/// The geometry of a 2-D sliding window (convolution or pooling) over one [H, W] plane.
struct WindowGeometry {
    let height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int
    let outHeight: Int, outWidth: Int

    init(height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        self.height = height; self.width = width
        self.kernel = kernel; self.stride = stride; self.padding = padding
        outHeight = (height + 2 * padding - kernel) / stride + 1
        outWidth = (width + 2 * padding - kernel) / stride + 1
        precondition(outHeight > 0 && outWidth > 0,
                     "window \(kernel)/\(stride)/\(padding) does not fit a \(height)x\(width) plane")
    }

    /// The windows of `layer` (named in the message) over the planes of an input [N, C, H, W].
    init(planesOf shape: [Int], kernel: Int, stride: Int, padding: Int, layer: String) {
        precondition(shape.count == 4, "\(layer) expects [N, C, H, W], got \(shape)")
        self.init(height: shape[2], width: shape[3], kernel: kernel, stride: stride, padding: padding)
    }

    /// Output positions `o` (along one axis of length `size` producing `outSize`) whose input
    /// coordinate `o * stride - padding + offset` lies inside the plane.
    func validRange(offset: Int, size: Int, outSize: Int) -> Range<Int> {
        let shift = padding - offset  // input = o * stride - shift
        let low = shift > 0 ? (shift + stride - 1) / stride : 0
        let last = size - 1 + shift
        let high = last < 0 ? 0 : min(outSize, last / stride + 1)
        return low..<max(low, high)
    }

    /// The input rows inside the plane that the window of output row `o` covers (padding left out).
    func inputRows(_ o: Int) -> Range<Int> { inputSpan(o, size: height) }

    /// The input columns inside the plane that the window of output column `o` covers.
    func inputColumns(_ o: Int) -> Range<Int> { inputSpan(o, size: width) }

    private func inputSpan(_ o: Int, size: Int) -> Range<Int> {
        max(0, o * stride - padding)..<min(size, o * stride - padding + kernel)
    }
}

/// Unfolds `images` planes of `channels` x [H, W] into columns [channels * k * k, images * Ho * Wo]:
/// row (c, ky, kx), column (image, oy, ox). Rows are filled in parallel.
func im2col(_ input: UnsafePointer<Float>, images: Int, channels: Int, geometry g: WindowGeometry,
            into columns: UnsafeMutablePointer<Float>) {
    let planeSize = g.height * g.width, outSize = g.outHeight * g.outWidth
    let rowLength = images * outSize
    Parallel.forEach(channels * g.kernel * g.kernel, grain: 1) { rows in
        for row in rows {
            let c = row / (g.kernel * g.kernel), ky = (row / g.kernel) % g.kernel, kx = row % g.kernel
            let xs = g.validRange(offset: kx, size: g.width, outSize: g.outWidth)
            let ys = g.validRange(offset: ky, size: g.height, outSize: g.outHeight)
            for image in 0..<images {
                let source = input + (image * channels + c) * planeSize
                let target = columns + row * rowLength + image * outSize
                for oy in 0..<g.outHeight {
                    let line = target + oy * g.outWidth
                    guard ys.contains(oy) else { line.update(repeating: 0, count: g.outWidth); continue }
                    let sourceLine = source + (oy * g.stride - g.padding + ky) * g.width - g.padding + kx
                    line.update(repeating: 0, count: xs.lowerBound)
                    if g.stride == 1 {
                        (line + xs.lowerBound).update(from: sourceLine + xs.lowerBound, count: xs.count)
                    } else {
                        for ox in xs { line[ox] = sourceLine[ox * g.stride] }
                    }
                    (line + xs.upperBound).update(repeating: 0, count: g.outWidth - xs.upperBound)
                }
            }
        }
    }
}

/// Folds columns [channels * k * k, images * Ho * Wo] back into `images` planes of `channels` x
/// [H, W], summing overlapping windows; the planes are overwritten. Planes are filled in parallel.
func col2im(_ columns: UnsafePointer<Float>, images: Int, channels: Int, geometry g: WindowGeometry,
            into output: UnsafeMutablePointer<Float>) {
    let planeSize = g.height * g.width, outSize = g.outHeight * g.outWidth
    let rowLength = images * outSize
    Parallel.forEach(images * channels, grain: 1) { planes in
        for plane in planes {
            let image = plane / channels, c = plane % channels
            let target = output + plane * planeSize
            target.update(repeating: 0, count: planeSize)
            for ky in 0..<g.kernel {
                let ys = g.validRange(offset: ky, size: g.height, outSize: g.outHeight)
                for kx in 0..<g.kernel {
                    let xs = g.validRange(offset: kx, size: g.width, outSize: g.outWidth)
                    let row = (c * g.kernel + ky) * g.kernel + kx
                    let source = columns + row * rowLength + image * outSize
                    for oy in ys {
                        let line = target + (oy * g.stride - g.padding + ky) * g.width - g.padding + kx
                        let sourceLine = source + oy * g.outWidth
                        if g.stride == 1 {
                            for ox in xs { line[ox] += sourceLine[ox] }  // unit stride vectorises
                        } else {
                            for ox in xs { line[ox * g.stride] += sourceLine[ox] }
                        }
                    }
                }
            }
        }
    }
}
