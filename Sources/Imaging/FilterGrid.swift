/// Pictures of learned convolution kernels, one enlarged tile per kernel.
public enum FilterGrid {
    /// A grid of `kernels` (each `height` x `width` values, row-major), every tile scaled to
    /// black..white by the largest absolute value across all kernels (grey 128 is zero).
    public static func make(_ kernels: [[Float]], height: Int, width: Int, columns: Int = 8,
                            tile: Int = 32, padding: Int = 4) -> Image {
        precondition(!kernels.isEmpty && kernels.allSatisfy { $0.count == height * width }, "kernel size mismatch")
        let limit = max(kernels.flatMap { $0 }.map { abs($0) }.max() ?? 1, 1e-12)
        let tiles = kernels.map { kernel -> Image in
            let pixels = kernel.map { UInt8(max(0, min(255, 128 + 127 * $0 / limit))) }
            let small = Image(width: width, height: height, channels: 1, pixels: pixels)
            return FilterGrid.enlarge(small, factor: max(1, tile / max(width, height)))
        }
        return ContactSheet.make(tiles, columns: columns, cell: tile, padding: padding, background: 255)
    }

    /// Nearest-neighbour enlargement, so each kernel weight stays a sharp square.
    static func enlarge(_ image: Image, factor: Int) -> Image {
        var out = Image(width: image.width * factor, height: image.height * factor, channels: image.channels)
        for y in 0..<out.height {
            for x in 0..<out.width {
                for c in 0..<image.channels { out[x, y, c] = image[x / factor, y / factor, c] }
            }
        }
        return out
    }
}
