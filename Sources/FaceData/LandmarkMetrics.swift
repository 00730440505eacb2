import Imaging

// Pure-geometry evaluation helpers. They live in FaceData, next to the schemes that define
// the normalisers, so that training, evaluation and any plotting code share one definition.

/// Error measures for predicted landmarks against ground truth.
public enum LandmarkMetrics {
    /// The mean Euclidean distance between corresponding points, in pixels.
    public static func meanPointError(_ predicted: [Point], _ truth: [Point]) -> Double {
        precondition(predicted.count == truth.count && !truth.isEmpty, "point lists must match and not be empty")
        return zip(predicted, truth).reduce(0) { $0 + $1.0.distance(to: $1.1) } / Double(truth.count)
    }

    /// The normalised mean error: mean point error divided by the ground truth's interocular
    /// distance (outer eye corners of `scheme`), as a fraction (0.03 = 3%).
    public static func nme(_ predicted: [Point], _ truth: [Point], scheme: LandmarkScheme) -> Double {
        meanPointError(predicted, truth) / scheme.interocularDistance(truth)
    }

    /// One part's errors in one face, as fractions of the interocular distance.
    public struct PartError: Equatable, Sendable {
        /// The mean distance of the part's points from the truth (the part's NME).
        public var nme: Double
        /// The mean error along the part's ground-truth contour, and across it.
        public var along: Double, across: Double
    }

    /// The errors of each of `scheme`'s parts, in `scheme.parts` order. Along and across: each point's
    /// offset projected on the ground-truth contour's direction there (from the previous point to the
    /// next, one-sided at an open contour's ends) and on its normal, as mean absolute values.
    public static func partErrors(_ predicted: [Point], _ truth: [Point], scheme: LandmarkScheme) -> [PartError] {
        let interocular = scheme.interocularDistance(truth)
        return scheme.parts.map { part in
            let indices = Array(part.indices), last = indices.count - 1
            var distance = 0.0, along = 0.0, across = 0.0
            for (i, index) in indices.enumerated() {
                let before = indices[i > 0 ? i - 1 : (part.isClosed ? last : i)]
                let after = indices[i < last ? i + 1 : (part.isClosed ? 0 : i)]
                let dx = truth[after].x - truth[before].x, dy = truth[after].y - truth[before].y
                let length = max((dx * dx + dy * dy).squareRoot(), .leastNormalMagnitude)
                let ex = predicted[index].x - truth[index].x, ey = predicted[index].y - truth[index].y
                distance += predicted[index].distance(to: truth[index])
                along += abs(ex * dx + ey * dy) / length
                across += abs(ex * dy - ey * dx) / length
            }
            let scale = Double(indices.count) * interocular
            return PartError(nme: distance / scale, along: along / scale, across: across / scale)
        }
    }

    /// The fraction of `errors` strictly above `threshold` (e.g. NME > 0.08).
    public static func failureRate(_ errors: [Double], threshold: Double) -> Double {
        precondition(!errors.isEmpty, "no errors to rate")
        return Double(errors.filter { $0 > threshold }.count) / Double(errors.count)
    }

    /// The cumulative error distribution: for each threshold, the fraction of `errors` at or
    /// below it.
    public static func cumulativeErrorDistribution(_ errors: [Double], thresholds: [Double]) -> [Double] {
        precondition(!errors.isEmpty, "no errors to accumulate")
        let sorted = errors.sorted()
        return thresholds.map { Double(upperBound(sorted, $0)) / Double(sorted.count) }
    }

    /// The area under the CED curve from 0 to `threshold`, divided by `threshold` (1 = every
    /// error is 0, 0 = every error is at least `threshold`).
    ///
    /// Computed exactly: the CED is a step function, and each error `e` contributes
    /// `max(0, threshold - e)` to the area, so no sampling grid is involved.
    public static func areaUnderCurve(_ errors: [Double], threshold: Double) -> Double {
        precondition(!errors.isEmpty && threshold > 0, "need errors and a positive threshold")
        let area = errors.reduce(0) { $0 + max(0, threshold - $1) } / Double(errors.count)
        return area / threshold
    }

    /// The number of elements of ascending `sorted` that are at most `value`.
    private static func upperBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
