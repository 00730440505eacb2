import Imaging

/// The morph between two aligned faces: one triangulation of their average shape, rendered at any
/// weight by per-triangle affine warps of both images and a cross-dissolve.
///
/// The shape is the keypoints that lie strictly inside the frame in BOTH faces (others are
/// dropped), plus the frame's 4 corners and 4 edge midpoints, so the triangles tile the frame.
/// A pixel left uncovered because a triangle folded over at some weight is drawn as a plain
/// cross-dissolve. An instance reuses its scratch buffers: render from one thread at a time.
public final class FaceMorph {
    /// The face shown at weight 0.
    public let from: AlignedFace
    /// The face shown at weight 1.
    public let to: AlignedFace
    /// Shape points of `from` (kept keypoints, then the 8 frame points).
    public let sourceShape: [Point]
    /// Shape points of `to`, index for index with `sourceShape`.
    public let targetShape: [Point]
    /// Delaunay triangles of the average shape, as indices into the shapes.
    public let triangles: [Triangle]
    private let warper: TriangleWarper

    /// Prepares the morph; throws when the faces differ in frame size or keypoint count.
    public init(from: AlignedFace, to: AlignedFace) throws {
        let (w, h) = (from.image.width, from.image.height)
        guard to.image.width == w, to.image.height == h else {
            throw MorphError.mismatchedPair("frames \(w)x\(h) and \(to.image.width)x\(to.image.height)")
        }
        guard from.points.count == to.points.count else {
            throw MorphError.mismatchedPair("\(from.points.count) and \(to.points.count) keypoints")
        }
        let right = Double(w - 1), bottom = Double(h - 1)
        func inside(_ p: Point) -> Bool { p.x > 0 && p.x < right && p.y > 0 && p.y < bottom }
        let kept = from.points.indices.filter { inside(from.points[$0]) && inside(to.points[$0]) }
        let border = [(0, 0), (0.5, 0), (1, 0), (1, 0.5), (1, 1), (0.5, 1), (0, 1), (0, 0.5)]
            .map { Point(x: $0.0 * right, y: $0.1 * bottom) }
        self.from = from
        self.to = to
        sourceShape = kept.map { from.points[$0] } + border
        targetShape = kept.map { to.points[$0] } + border
        triangles = Delaunay.triangulate(zip(sourceShape, targetShape).map { $0.interpolated(to: $1) })
        warper = TriangleWarper(a: from.image, b: to.image)
    }

    /// Renders the morph at weight `alpha` in [0, 1] (0 is `from`, 1 is `to`, exactly) into `output`,
    /// which must be an RGB image of the frame size (its storage is reused).
    public func render(alpha: Double, into output: inout Image) {
        precondition(alpha >= 0 && alpha <= 1, "alpha \(alpha) outside [0, 1]")
        let shape = zip(sourceShape, targetShape).map { $0.interpolated(to: $1, t: alpha) }
        let pieces = triangles.map { t -> TriangleWarper.Piece in
            let corners = (shape[t.a], shape[t.b], shape[t.c])
            return TriangleWarper.Piece(
                corners: corners,
                sourceA: AffineTransform.mapping(corners, to: (sourceShape[t.a], sourceShape[t.b], sourceShape[t.c])),
                sourceB: AffineTransform.mapping(corners, to: (targetShape[t.a], targetShape[t.b], targetShape[t.c])))
        }
        warper.render(pieces, weightB: alpha, into: &output)
    }

    /// A new frame at weight `alpha` (allocates; use `render(alpha:into:)` in loops).
    public func frame(alpha: Double) -> Image {
        var out = Image(width: from.image.width, height: from.image.height, channels: 3)
        render(alpha: alpha, into: &out)
        return out
    }
}
