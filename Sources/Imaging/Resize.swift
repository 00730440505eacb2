import Plumbing

/// Separable resampling: area averaging when shrinking an axis, bilinear when enlarging it.
extension Image {
    /// The image resized to `newWidth` x `newHeight`.
    public func resized(width newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "empty target size")
        if newWidth == width && newHeight == height { return self }
        let horizontal = ResampleKernel(source: width, target: newWidth)
        let vertical = ResampleKernel(source: height, target: newHeight)
        let ch = channels
        // Horizontal pass into floats: [height, newWidth, channels].
        var middle = [Float](repeating: 0, count: height * newWidth * ch)
        pixels.withUnsafeBufferPointer { src in
            middle.withUnsafeMutableBufferPointer { mid in
                let src = src, mid = mid
                Parallel.forEachIndex(height, grain: 32, chunksPerCore: 1) { y in  // a band of 32 rows or more per core
                    let srcRow = y * width * ch, midRow = y * newWidth * ch
                    for x in 0..<newWidth {
                        let (start, weights) = horizontal.taps(x)
                        for c in 0..<ch {
                            var sum: Float = 0
                            for (k, weight) in weights.enumerated() {
                                sum += weight * Float(src[srcRow + (start + k) * ch + c])
                            }
                            mid[midRow + x * ch + c] = sum
                        }
                    }
                }
            }
        }
        // Vertical pass into bytes.
        var out = Image(width: newWidth, height: newHeight, channels: ch)
        let rowLength = newWidth * ch
        middle.withUnsafeBufferPointer { mid in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                let mid = mid, dst = dst
                Parallel.forEachIndex(newHeight, grain: 32, chunksPerCore: 1) { y in
                    let (start, weights) = vertical.taps(y)
                    for i in 0..<rowLength {
                        var sum: Float = 0
                        for (k, weight) in weights.enumerated() {
                            sum += weight * mid[(start + k) * rowLength + i]
                        }
                        dst[y * rowLength + i] = UInt8(min(255, max(0, sum + 0.5)))
                    }
                }
            }
        }
        return out
    }

    /// The image scaled so its longer side is at most `maxSide` (unchanged if already smaller).
    public func fitting(maxSide: Int) -> Image {
        let longest = max(width, height)
        guard longest > maxSide else { return self }
        let factor = Double(maxSide) / Double(longest)
        return resized(width: max(1, Int((Double(width) * factor).rounded())),
                       height: max(1, Int((Double(height) * factor).rounded())))
    }
}

/// Per-output-sample source taps and weights along one axis.
struct ResampleKernel {
    private let starts: [Int]
    private let weights: [[Float]]

    init(source: Int, target: Int) {
        let scale = Double(source) / Double(target)
        var starts = [Int](), weights = [[Float]]()
        starts.reserveCapacity(target)
        weights.reserveCapacity(target)
        for i in 0..<target {
            if scale > 1 {
                // Area average: output sample i covers source interval [i*scale, (i+1)*scale).
                let lo = Double(i) * scale, hi = lo + scale
                let first = Int(lo), last = min(source - 1, Int((hi - 1e-9).rounded(.down)))
                let taps = (first...last).map { j in Float((min(hi, Double(j + 1)) - max(lo, Double(j))) / scale) }
                starts.append(first)
                weights.append(taps)
            } else {
                // Bilinear between the two nearest source centres, edges clamped.
                let centre = min(max((Double(i) + 0.5) * scale - 0.5, 0), Double(source - 1))
                let j = min(Int(centre), max(source - 2, 0)), frac = Float(centre - Double(j))
                starts.append(j)
                weights.append(source == 1 ? [1] : [1 - frac, frac])
            }
        }
        self.starts = starts
        self.weights = weights
    }

    @inline(__always)
    func taps(_ i: Int) -> (start: Int, weights: [Float]) { (starts[i], weights[i]) }
}
