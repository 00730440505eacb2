/// Input a caller or user supplied that the morph code cannot use.
public enum MorphError: Error, Equatable, CustomStringConvertible {
    /// The output frame must have positive, even width and height (yuv420p needs even sizes).
    case invalidFrameSize(width: Int, height: Int)
    /// Fewer keypoints than the iBUG 68-point layout needs.
    case tooFewKeypoints(count: Int)
    /// The two eye centres are at the same place, so no scale or angle follows from them.
    case eyesCoincide
    /// An eye centre has a NaN or infinite coordinate.
    case nonFiniteEyes
    /// The two aligned faces of a pair differ in frame size or keypoint count.
    case mismatchedPair(String)

    /// A message naming the reason.
    public var description: String {
        switch self {
        case .invalidFrameSize(let w, let h):
            return "morph: frame size \(w)x\(h) is not positive and even in both dimensions"
        case .tooFewKeypoints(let count):
            return "morph: \(count) keypoints given, the iBUG layout needs 68"
        case .eyesCoincide:
            return "morph: the left and right eye centres coincide"
        case .nonFiniteEyes:
            return "morph: an eye centre is not a finite point"
        case .mismatchedPair(let reason):
            return "morph: the two faces of a pair do not match: \(reason)"
        }
    }
}
