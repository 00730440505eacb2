import FaceAnalysis
import Imaging

/// Which face of a photo with several the video follows.
public enum FaceChoice: Equatable, Sendable {
    /// The person who appears in the most photos of the collection, by their identity embeddings.
    case auto
    /// The person of a reference photo's face (`PersonReference`).
    case person
    /// The largest face box (among the confident ones, see `scoreFraction`).
    case largest
    /// The face nearest the photo's centre.
    case center
    /// The N-th face (0-based) in largest-first order.
    case index(Int)

    /// Parses "auto", "largest", "center" or a number.
    public init?(argument: String) {
        switch argument {
        case "auto": self = .auto
        case "largest": self = .largest
        case "center", "centre": self = .center
        default:
            guard let n = Int(argument), n >= 0 else { return nil }
            self = .index(n)
        }
    }

    /// Whether the choice compares faces by identity (it needs an identity model).
    public var followsPerson: Bool { self == .auto || self == .person }

    /// Faces scoring below this fraction of the photo's best score are not considered: the finder's
    /// weaker boxes are mostly parts of a face or background.
    public static let scoreFraction = 0.75

    /// The chosen face of `photo` by a rule that looks at one photo only (`largest` for the identity
    /// rules), or nil when it has none (or fewer than N + 1).
    public func pick(from photo: PhotoFaces) -> AnalyzedFace? {
        let best = photo.faces.map(\.score).max() ?? 0
        let faces = photo.faces.filter { $0.score >= FaceChoice.scoreFraction * best }.sorted { $0.box.area > $1.box.area }
        switch self {
        case .largest, .auto, .person: return faces.first
        case .center:
            let middle = Point(x: Double(photo.width) / 2, y: Double(photo.height) / 2)
            return faces.min { $0.box.center.distance(to: middle) < $1.box.center.distance(to: middle) }
        case .index(let n): return n < faces.count ? faces[n] : nil
        }
    }
}

/// The faces of an analysed photo without its pixels: what the video job keeps of each photo.
public struct PhotoFaces: Sendable {
    /// The photo's path.
    public var path: String
    /// Upright full-resolution size.
    public var width: Int, height: Int
    /// The faces, largest first.
    public var faces: [AnalyzedFace]

    /// The faces of `analysis`.
    public init(_ analysis: PhotoAnalysis) {
        self.init(path: analysis.path, width: analysis.width, height: analysis.height, faces: analysis.faces)
    }

    /// A photo's faces from their parts.
    public init(path: String, width: Int, height: Int, faces: [AnalyzedFace]) {
        self.path = path
        self.width = width
        self.height = height
        self.faces = faces
    }
}
