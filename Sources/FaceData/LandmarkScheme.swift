import Imaging

/// A landmark layout: how many points, which are mirror images of which, and where the eyes are.
///
/// "Image-left" and "image-right" mean the side of the picture, not of the person: the
/// person's right eye appears on the image's left.
public struct LandmarkScheme: Equatable, Sendable {
    /// A named, contiguous run of points (a jaw line, an eye contour, ...).
    public struct Part: Equatable, Sendable {
        /// Human-readable name, e.g. "jaw".
        public let name: String
        /// The point indices, 0-based.
        public let indices: ClosedRange<Int>
        /// Whether the contour closes back on its first point (eyes, lips).
        public let isClosed: Bool
    }

    /// Short identifier, e.g. "ibug68".
    public let name: String
    /// Number of points in one face.
    public let pointCount: Int
    /// `flipPermutation[i]` is the point that point `i` becomes after a horizontal flip.
    /// It is an involution: applying it twice gives the identity.
    public let flipPermutation: [Int]
    /// The two points whose distance normalises the NME (outer eye corners), image-left first.
    public let interocularPair: (Int, Int)
    /// The points of the eye on the image's left (the person's right eye).
    public let imageLeftEye: ClosedRange<Int>
    /// The points of the eye on the image's right (the person's left eye).
    public let imageRightEye: ClosedRange<Int>
    /// The nose tip.
    public let noseTip: Int
    /// The contours, in point order, for drawing.
    public let parts: [Part]

    /// Equality by name and layout (the tuple member is compared by hand).
    public static func == (lhs: LandmarkScheme, rhs: LandmarkScheme) -> Bool {
        lhs.name == rhs.name && lhs.pointCount == rhs.pointCount && lhs.flipPermutation == rhs.flipPermutation
            && lhs.interocularPair == rhs.interocularPair && lhs.imageLeftEye == rhs.imageLeftEye
            && lhs.imageRightEye == rhs.imageRightEye && lhs.noseTip == rhs.noseTip && lhs.parts == rhs.parts
    }

    /// The points after mirroring an image `imageWidth` pixels wide left to right.
    ///
    /// A 0-based pixel centre `x` maps to `imageWidth - 1 - x`, and the points are renumbered
    /// with `flipPermutation` so that, for example, the image-left eye stays the image-left eye.
    public func flippedHorizontally(_ points: [Point], imageWidth: Int) -> [Point] {
        precondition(points.count == pointCount, "\(name) needs \(pointCount) points, got \(points.count)")
        let axis = Double(imageWidth - 1)
        return flipPermutation.map { source in Point(x: axis - points[source].x, y: points[source].y) }
    }

    /// The distance between the outer eye corners, the NME normaliser.
    public func interocularDistance(_ points: [Point]) -> Double {
        precondition(points.count == pointCount, "\(name) needs \(pointCount) points, got \(points.count)")
        return points[interocularPair.0].distance(to: points[interocularPair.1])
    }

    /// The mean of each eye's contour points: image-left eye, then image-right eye.
    public func eyeCentres(_ points: [Point]) -> (imageLeft: Point, imageRight: Point) {
        precondition(points.count == pointCount, "\(name) needs \(pointCount) points, got \(points.count)")
        return (mean(of: points[imageLeftEye]), mean(of: points[imageRightEye]))
    }

    private func mean(of points: ArraySlice<Point>) -> Point {
        let n = Double(points.count)
        return Point(x: points.reduce(0) { $0 + $1.x } / n, y: points.reduce(0) { $0 + $1.y } / n)
    }
}

extension LandmarkScheme {
    /// The iBUG / 300-W 68-point layout: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67.
    ///
    /// Interocular distance between the outer eye corners 36 and 45; nose tip 30.
    public static let ibug68 = LandmarkScheme(
        name: "ibug68", pointCount: 68,
        flipPermutation: [
            16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,  // jaw, mirrored about 8
            26, 25, 24, 23, 22, 21, 20, 19, 18, 17,                    // brows 17-21 <-> 26-22
            27, 28, 29, 30, 35, 34, 33, 32, 31,                        // nose bridge stays, nostrils 31-35 mirrored
            45, 44, 43, 42, 47, 46,                                    // eye 36-41 <-> eye 42-47
            39, 38, 37, 36, 41, 40,
            54, 53, 52, 51, 50, 49, 48,                                // outer upper lip, 51 on the axis
            59, 58, 57, 56, 55,                                        // outer lower lip, 57 on the axis
            64, 63, 62, 61, 60,                                        // inner upper lip, 62 on the axis
            67, 66, 65,                                                // inner lower lip, 66 on the axis
        ],
        interocularPair: (36, 45), imageLeftEye: 36...41, imageRightEye: 42...47, noseTip: 30,
        parts: [
            Part(name: "jaw", indices: 0...16, isClosed: false),
            Part(name: "image-left brow", indices: 17...21, isClosed: false),
            Part(name: "image-right brow", indices: 22...26, isClosed: false),
            Part(name: "nose bridge", indices: 27...30, isClosed: false),
            Part(name: "nostrils", indices: 31...35, isClosed: false),
            Part(name: "image-left eye", indices: 36...41, isClosed: true),
            Part(name: "image-right eye", indices: 42...47, isClosed: true),
            Part(name: "outer lips", indices: 48...59, isClosed: true),
            Part(name: "inner lips", indices: 60...67, isClosed: true),
        ])

    /// The IMM face database's 58-point layout: jaw 0-12, eyes 13-20 and 21-28, brows 29-33
    /// and 34-38, mouth 39-46, nose 47-57; nose tip 52.
    ///
    /// The flip table was measured, not guessed: over all 240 IMM annotations (640x480 pixels),
    /// each shape was mirrored about its centroid's vertical line and every point paired with the
    /// original point nearest to its mirror image, distances averaged over the dataset. The
    /// nearest point was the same in the frontal views (1, 2, 5) and in all views, the result
    /// is an involution, and the nearest is well separated from the second nearest (frontal
    /// views: 4-9 px against 10-33 px). Points on the axis: 6 (chin), 41, 45 (mouth middle), 52
    /// (nose tip). Both eye contours start at the outer corner and run over the top, so the eyes
    /// pair index by index (13 <-> 21, ..., 20 <-> 28); brows likewise (29 <-> 34, ...); the
    /// jaw, mouth and nose lines run across the face and pair end to end.
    ///
    /// Outer eye corners, the NME normaliser: 21 (image-left eye 21-28) and 13 (image-right eye
    /// 13-20). Measured: 13 has the largest x of its eye in 237 of 240 files and 21 the smallest
    /// of its eye in 231 of 240 (the rest are turned heads where the corners nearly tie); their
    /// mean horizontal distance from the face's centroid is 61 px, the inner corners 17 and 25
    /// lie at 23-25 px. Mean distance 13-21: 123 px (59-158 px) at 640x480.
    public static let imm58 = LandmarkScheme(
        name: "imm58", pointCount: 58,
        flipPermutation: [
            12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,  // jaw, mirrored about 6
            21, 22, 23, 24, 25, 26, 27, 28,            // eye 13-20 -> eye 21-28, index by index
            13, 14, 15, 16, 17, 18, 19, 20,            // eye 21-28 -> eye 13-20
            34, 35, 36, 37, 38,                        // brow 29-33 -> brow 34-38
            29, 30, 31, 32, 33,                        // brow 34-38 -> brow 29-33
            43, 42, 41, 40, 39, 46, 45, 44,            // mouth: corners 39 <-> 43, 41 and 45 on the axis
            57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, // nose line, tip 52 on the axis
        ],
        interocularPair: (21, 13), imageLeftEye: 21...28, imageRightEye: 13...20, noseTip: 52,
        parts: [
            Part(name: "jaw", indices: 0...12, isClosed: false),
            Part(name: "image-right eye", indices: 13...20, isClosed: true),
            Part(name: "image-left eye", indices: 21...28, isClosed: true),
            Part(name: "image-right brow", indices: 29...33, isClosed: false),
            Part(name: "image-left brow", indices: 34...38, isClosed: false),
            Part(name: "mouth", indices: 39...46, isClosed: true),
            Part(name: "nose", indices: 47...57, isClosed: false),
        ])
}
