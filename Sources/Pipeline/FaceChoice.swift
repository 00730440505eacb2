import Imaging
import Landmarks

/// Which face of a photo with several the video follows.
public enum FaceChoice: Equatable, Sendable {
    /// The largest face box (among the confident ones, see `scoreFraction`).
    case largest
    /// The face nearest the photo's centre.
    case center
    /// The N-th face (0-based) in largest-first order.
    case index(Int)

    /// Parses "largest", "center" or a number.
    public init?(argument: String) {
        switch argument {
        case "largest": self = .largest
        case "center", "centre": self = .center
        default:
            guard let n = Int(argument), n >= 0 else { return nil }
            self = .index(n)
        }
    }

    /// Faces scoring below this fraction of the photo's best score are not considered: the finder's
    /// weaker boxes are mostly parts of a face or background.
    public static let scoreFraction = 0.75

    /// The chosen face of `analysis`, or nil when it has none (or fewer than N + 1).
    public func pick(from analysis: PhotoAnalysis) -> AnalyzedFace? {
        let best = analysis.faces.map(\.score).max() ?? 0
        let faces = analysis.faces.filter { $0.score >= FaceChoice.scoreFraction * best }.sorted { $0.box.area > $1.box.area }
        switch self {
        case .largest: return faces.first
        case .center:
            let middle = Point(x: Double(analysis.width) / 2, y: Double(analysis.height) / 2)
            return faces.min { $0.box.center.distance(to: middle) < $1.box.center.distance(to: middle) }
        case .index(let n): return n < faces.count ? faces[n] : nil
        }
    }
}
