import Dispatch
import Foundation
import Imaging
import Morph

/// A self-contained speed measurement of morph rendering (warp + blend, no encoding).
public enum MorphBenchmark {
    /// Frames per second of `FaceMorph.render` on two synthetic `size` x `size` faces with 68
    /// keypoints each, over `frames` frames at weights spread across (0, 1), after one warm-up frame.
    public static func renderFramesPerSecond(size: Int = 720, frames: Int = 120) throws -> Double {
        precondition(frames > 0, "frames must be positive")
        let a = AlignedFace.synthetic(size: size, seed: 1), b = AlignedFace.synthetic(size: size, seed: 2)
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

    /// `morph bench render`: the median frames per second of `runs` runs of `frames` frames, with the
    /// slowest and fastest run.
    public static func line(size: Int, frames: Int, runs: Int) throws -> String {
        let rates = try (0..<runs).map { _ in try renderFramesPerSecond(size: size, frames: frames) }.sorted()
        return String(format: "render %dx%d: %.1f frames/s (median of %d runs of %d frames; min %.1f, max %.1f)",
                      size, size, rates[runs / 2], runs, frames, rates.first!, rates.last!)
    }
}
