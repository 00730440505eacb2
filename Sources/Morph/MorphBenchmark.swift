import Foundation
import Dispatch
import Imaging

/// A self-contained speed measurement of morph rendering (warp + blend, no encoding).
public enum MorphBenchmark {
    /// Frames per second of `FaceMorph.render` on two synthetic `size` x `size` faces with 68
    /// keypoints each, over `frames` frames at weights spread across (0, 1), after one warm-up frame.
    public static func renderFramesPerSecond(size: Int = 720, frames: Int = 120) throws -> Double {
        precondition(frames > 0, "frames must be positive")
        let a = syntheticFace(size: size, seed: 1), b = syntheticFace(size: size, seed: 2)
        let morph = try FaceMorph(from: a, to: b)
        var canvas = Image(width: size, height: size, channels: 3)
        morph.render(alpha: 0.5, into: &canvas)
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<frames {
            morph.render(alpha: Double(i + 1) / Double(frames + 1), into: &canvas)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(frames) / seconds
    }

    /// A shaded RGB frame with 68 face-like keypoints (four rings of 17), varied by `seed`.
    public static func syntheticFace(size: Int, seed: Int) -> AlignedFace {
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
