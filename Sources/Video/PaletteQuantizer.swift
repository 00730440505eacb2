import Imaging

/// Maps RGB frames onto one fixed 252-colour palette (6 red x 7 green x 6 blue levels) with 4x4
/// ordered dithering, for GIF output: the same palette on every frame keeps colours from flickering.
enum PaletteQuantizer {
    /// Levels per channel, red, green, blue.
    static let levels = (6, 7, 6)
    /// 4x4 Bayer threshold matrix, values 0...15.
    private static let bayer: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]

    /// The palette as FFmpeg's PAL8 expects it: native-endian 0xAARRGGBB words (256 entries, the
    /// unused tail black).
    static let palette: [UInt32] = (0..<256).map { index in
        let (nr, ng, nb) = levels
        guard index < nr * ng * nb else { return 0xFF00_0000 }
        let r = index / (ng * nb), g = index / nb % ng, b = index % nb
        func byte(_ level: Int, _ count: Int) -> UInt32 { UInt32((level * 255 + (count - 1) / 2) / (count - 1)) }
        return 0xFF00_0000 | byte(r, nr) << 16 | byte(g, ng) << 8 | byte(b, nb)
    }

    /// Writes the palette index of every pixel of `image` (1 or 3 channels) into `indices`, whose
    /// rows are `stride` bytes apart.
    static func quantize(_ image: Image, into indices: UnsafeMutablePointer<UInt8>, stride: Int) {
        let (nr, ng, nb) = levels
        let channels = image.channels, width = image.width
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                let row = indices + y * stride
                for x in 0..<width {
                    // Threshold in (0, 1) as (2 * bayer + 1) / 32; level = floor(v * (n - 1) / 255 + threshold).
                    let t = (2 * bayer[(y & 3) * 4 + (x & 3)] + 1) * 255
                    func level(_ v: UInt8, _ n: Int) -> Int { (Int(v) * (n - 1) * 32 + t) / (255 * 32) }
                    let p = (y * width + x) * channels
                    let (r, g, b) = channels == 3 ? (pixels[p], pixels[p + 1], pixels[p + 2]) : (pixels[p], pixels[p], pixels[p])
                    row[x] = UInt8(level(r, nr) * ng * nb + level(g, ng) * nb + level(b, nb))
                }
            }
        }
    }
}
