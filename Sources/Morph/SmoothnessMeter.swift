import Foundation
import Imaging

/// How smoothly a morph video runs in colour, and how much of it is pure black.
public struct Smoothness: Equatable, Sendable {
    /// Per pair of neighbouring photos: CIE76 difference between the mean colours of the face region of their hold frames.
    public var meanColourSteps: [Double]
    /// Per pair of neighbouring photos: mean CIE76 difference, pixel by pixel, of the face region of their hold frames.
    public var pixelSteps: [Double]
    /// Share of all frame pixels that are pure black (0, 0, 0).
    public var blackShare: Double

    /// The mean of `values`, 0 when empty.
    public static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// One line with the video's colour steps and black share, as `morph` prints it.
    public var summary: String {
        String(format: "colour steps between neighbouring photos (face, CIE76): mean colour %.2f (max %.2f), pixel by pixel %.2f; pure-black pixels %.4f%%",
               Smoothness.mean(meanColourSteps), meanColourSteps.max() ?? 0, Smoothness.mean(pixelSteps), 100 * blackShare)
    }
}

/// Measures `Smoothness` from a video's frames as they are rendered, before encoding.
public struct SmoothnessMeter {
    /// The face region of the frames (e.g. `FaceAligner.faceRegion`).
    public let region: Box
    private var previous: (photo: Int, samples: [SIMD3<Float>], mean: SIMD3<Double>)?
    private var steps: (mean: [Double], pixel: [Double]) = ([], [])
    private var black = 0, total = 0

    /// A meter reading the face colours in `region`.
    public init(region: Box) { self.region = region }

    /// Counts the frame's black pixels; when it is the first hold frame of `holdOf`, also compares its
    /// face region with the previous photo's.
    public mutating func add(_ frame: Image, holdOf photo: Int?) {
        precondition(frame.channels == 3, "frames are RGB")
        frame.pixels.withUnsafeBufferPointer { p in
            for i in 0..<frame.pixelCount where p[3 * i] == 0 && p[3 * i + 1] == 0 && p[3 * i + 2] == 0 { black += 1 }
        }
        total += frame.pixelCount
        guard let photo, previous?.photo != photo else { return }
        let samples = ColourStatistics.labSamples(of: frame, in: region)
        let mean = samples.reduce(SIMD3<Double>()) { $0 + SIMD3<Double>($1) } / Double(samples.count)
        if let previous, previous.samples.count == samples.count {
            let difference = mean - previous.mean
            steps.mean.append((difference * difference).sum().squareRoot())
            let sum = zip(samples, previous.samples).reduce(0.0) { $0 + Double(LabColour.deltaE($1.0, $1.1)) }
            steps.pixel.append(sum / Double(samples.count))
        }
        previous = (photo, samples, mean)
    }

    /// The figures so far.
    public var result: Smoothness {
        Smoothness(meanColourSteps: steps.mean, pixelSteps: steps.pixel, blackShare: total == 0 ? 0 : Double(black) / Double(total))
    }
}
