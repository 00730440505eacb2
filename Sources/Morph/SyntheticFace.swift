import Foundation
import Imaging

extension AlignedFace {
    /// A shaded RGB frame with 68 face-like keypoints (four rings of 17), varied by `seed`: a made-up face
    /// for speed measurements and tests.
    public static func synthetic(size: Int, seed: Int) -> AlignedFace {
        let s = Double(size), wobble = Double(seed) * 0.01
        var points: [Point] = []
        let rings = [(17, 0.34, 0.50), (17, 0.22, 0.45), (17, 0.12, 0.55), (17, 0.06, 0.42)]
        for (count, radius, cy) in rings {
            for k in 0..<count {
                let angle = Double(k) / Double(count) * 2 * .pi + wobble
                points.append(Point(x: s * (0.5 + radius * cos(angle) * (1 + wobble)), y: s * (cy + radius * 0.9 * sin(angle))))
            }
        }
        // Smooth shading with a few sharp-edged bands, closer to a photo than noise (and to what x264 sees).
        var image = Image(width: size, height: size, channels: 3)
        let k = Double(seed)
        for y in 0..<size {
            for x in 0..<size {
                let (u, v) = (Double(x) / s, Double(y) / s)
                let i = (y * size + x) * 3
                image.pixels[i] = UInt8(127.5 + 120 * sin(6 * u + k) * cos(4 * v))
                image.pixels[i + 1] = UInt8(127.5 + 120 * cos(5 * (u + v) + 2 * k))
                image.pixels[i + 2] = (x / 48 + y / 48 + seed) % 3 == 0 ? 220 : UInt8(80 + 100 * v)
            }
        }
        return AlignedFace(image: image, points: points)
    }
}
