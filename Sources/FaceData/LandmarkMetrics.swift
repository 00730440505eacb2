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

    /// The NME of each of `scheme`'s parts, in `scheme.parts` order: the mean error of the part's points
    /// divided by the ground truth's interocular distance, as fractions.
    public static func partNMEs(_ predicted: [Point], _ truth: [Point], scheme: LandmarkScheme) -> [Double] {
        let interocular = scheme.interocularDistance(truth)
        return scheme.parts.map { meanPointError(Array(predicted[$0.indices]), Array(truth[$0.indices])) / interocular }
    }

    /// Each part's error split along and across its ground-truth contour, in `scheme.parts` order: each
    /// point's offset projected on the contour's direction there (from the previous point to the next,
    /// one-sided at an open contour's ends) and on its normal; mean absolute values over the part's
    /// points, divided by the interocular distance.
    public static func partContourErrors(_ predicted: [Point], _ truth: [Point],
                                         scheme: LandmarkScheme) -> [(along: Double, across: Double)] {
        let interocular = scheme.interocularDistance(truth)
        return scheme.parts.map { part in
            let indices = Array(part.indices), last = indices.count - 1
            var along = 0.0, across = 0.0
            for (i, index) in indices.enumerated() {
                let before = indices[i > 0 ? i - 1 : (part.isClosed ? last : i)]
                let after = indices[i < last ? i + 1 : (part.isClosed ? 0 : i)]
                let dx = truth[after].x - truth[before].x, dy = truth[after].y - truth[before].y
                let length = max((dx * dx + dy * dy).squareRoot(), .leastNormalMagnitude)
                let ex = predicted[index].x - truth[index].x, ey = predicted[index].y - truth[index].y
                along += abs(ex * dx + ey * dy) / length
                across += abs(ex * dy - ey * dx) / length
            }
            let scale = Double(indices.count) * interocular
            return (along / scale, across / scale)
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
