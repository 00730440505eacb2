import FaceAnalysis
import Foundation
import Imaging
import Training

/// How well the finder finds the annotated face of each photo.
public struct FaceFinderReport: Codable, Sendable {
    /// Photos evaluated.
    public var count: Int
    /// Fraction of photos where a box's centre lies inside the landmark box and its size is 0.5-2x of it.
    public var hitRate: Double
    /// Mean distance between the hit box's centre and the landmark box's centre, photo pixels.
    public var meanCentreError: Double
    /// Mean number of boxes reported per photo.
    public var boxesPerPhoto: Double
    /// Mean milliseconds per photo for finding (one thread).
    public var millisecondsPerPhoto: Double

    /// The line `morph train faces` prints for the validation photos of the dataset `name`.
    public func line(name: String) -> String {
        String(format: "%@: found %.1f%% of %d validation faces, %.2f boxes per photo, %.1f ms per photo",
               name, 100 * hitRate, count, boxesPerPhoto, millisecondsPerPhoto)
    }
}

/// Measures a face finder on annotated photos.
public enum FaceFinderEvaluation {
    /// The detection among `detections` that hits `truth` (see `FaceFinderReport.hitRate`), if any.
    public static func hit(_ detections: [FaceDetection], truth: Box) -> FaceDetection? {
        detections.first { hits($0.box, truth: truth) }
    }

    /// The first of `faces` whose keypoints' box hits `truth`: what `morph detect` reports is judged,
    /// not the finder's box it started from.
    public static func hit(_ faces: [AnalyzedFace], truth: Box) -> AnalyzedFace? {
        faces.first { hits($0.keypointBox, truth: truth) }
    }

    /// Whether `box`'s centre lies inside `truth` and its size is 0.5-2x of it.
    public static func hits(_ box: Box, truth: Box) -> Bool {
        let ratio = (box.width * box.height / (truth.width * truth.height)).squareRoot()
        return truth.contains(box.center) && ratio >= 0.5 && ratio <= 2
    }

    /// Runs `finder` on every example's photo.
    public static func run(finder: FaceFinder, examples: [TrainingExample]) -> FaceFinderReport {
        var candidates = [[FaceDetection]](), seconds = 0.0
        for example in examples {
            let clock = Date()
            candidates.append(finder.candidates(example.image))
            seconds += Date().timeIntervalSince(clock)
        }
        return score(candidates: candidates, examples: examples, threshold: finder.threshold, overlap: finder.overlap,
                     containment: finder.containment, seconds: seconds)
    }

    /// The report for candidates already found (`FaceFinder.candidates`), keeping those scoring at
    /// least `threshold` and suppressing overlaps as `FaceFinder.detect` does.
    public static func score(candidates: [[FaceDetection]], examples: [TrainingExample], threshold: Double,
                             overlap: Double, containment: Double, seconds: Double = 0) -> FaceFinderReport {
        var hits = 0, centreError = 0.0, boxes = 0
        for (found, example) in zip(candidates, examples) {
            let detections = FaceFinder.suppress(found.filter { $0.score >= threshold }, overlap: overlap,
                                                 containment: containment)
            boxes += detections.count
            if let found = hit(detections, truth: example.landmarkBox) {
                hits += 1
                centreError += found.box.center.distance(to: example.landmarkBox.center)
            }
        }
        let n = Double(max(examples.count, 1))
        return FaceFinderReport(count: examples.count, hitRate: Double(hits) / n,
                                meanCentreError: centreError / Double(max(hits, 1)), boxesPerPhoto: Double(boxes) / n,
                                millisecondsPerPhoto: 1000 * seconds / n)
    }
}
