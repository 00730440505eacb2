import FaceData
import Imaging

/// The face crop the identity network reads: the eye centres and mouth corners of 68 iBUG keypoints
/// brought by a similarity transform (least squares) onto fixed places of a square grey crop.
///
/// The places follow the common face-recognition layout (eyes at 46% of the height, 31% of the side
/// apart; mouth corners at 82%): the crop holds brows to chin and cheek to cheek, little hair or
/// background, which change between photos of one person more than the face does.
public enum IdentityAlignment {
    /// Crop side in pixels.
    public static let side = 64
    /// Template places, as fractions of the side: the image-left eye's centre, the image-right eye's,
    /// the image-left mouth corner, the image-right one.
    static let template = [Point(x: 0.342, y: 0.462), Point(x: 0.658, y: 0.462),
                           Point(x: 0.370, y: 0.824), Point(x: 0.630, y: 0.824)]

    /// The four anchor points (eye centres, mouth corners) of 68 iBUG keypoints, in template order.
    static func anchors(ibug68 points: [Point]) -> [Point] {
        precondition(points.count == 68, "identity alignment needs 68 iBUG points, got \(points.count)")
        func mean(_ range: ClosedRange<Int>) -> Point {
            let n = Double(range.count)
            return Point(x: range.reduce(0) { $0 + points[$1].x } / n, y: range.reduce(0) { $0 + points[$1].y } / n)
        }
        return [mean(36...41), mean(42...47), points[48], points[54]]
    }

    /// The map from photo pixels to crop pixels for a face with these 68 keypoints, or nil when the
    /// keypoints are degenerate (all in one place).
    public static func cropFromPhoto(ibug68 points: [Point]) -> AffineTransform? {
        let s = Double(side)
        // Template fractions are of the crop's extent: pixel centres run from 0 to side - 1.
        return AffineTransform.similarity(fitting: anchors(ibug68: points),
                                          to: template.map { Point(x: $0.x * s - 0.5, y: $0.y * s - 0.5) })
    }

    /// The aligned grey crop of the face with keypoints `points` in the grey `photo`, with an
    /// augmentation draw (none at inference) and optionally mirrored; nil for degenerate keypoints.
    public static func crop(_ photo: Image, ibug68 points: [Point], geometry: CropGeometry = CropGeometry()) -> Image? {
        guard let aligned = cropFromPhoto(ibug68: points) else { return nil }
        let centre = Double(side - 1) / 2, s = Double(side)
        // Jitter about the crop's centre: scale, rotate, shift (a fraction of the side), then mirror.
        var jitter = AffineTransform.translation(centre + geometry.shiftX * s, centre + geometry.shiftY * s)
            .concatenating(after: .scale(1 / geometry.scale, 1 / geometry.scale))
            .concatenating(after: .rotation(geometry.rotation))
            .concatenating(after: .translation(-centre, -centre))
        if geometry.flip {
            jitter = AffineTransform(a: -1, b: 0, c: 0, d: 1, tx: s - 1, ty: 0).concatenating(after: jitter)
        }
        let cropFromPhoto = jitter.concatenating(after: aligned)
        let pixelsPerUnit = (cropFromPhoto.a * cropFromPhoto.a + cropFromPhoto.c * cropFromPhoto.c).squareRoot()
        return FaceCropper.resample(photo.channels == 1 ? photo : photo.converted(to: .grey), cropFromPhoto: cropFromPhoto,
                                    pixelsPerUnit: pixelsPerUnit, width: side, height: side)
    }
}
