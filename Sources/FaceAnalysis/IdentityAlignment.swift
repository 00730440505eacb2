import FaceData
import Imaging

/// The face crop the identity network reads: the eye centres and mouth corners of 68 iBUG keypoints
/// brought by a similarity transform (least squares) onto fixed places of a square grey crop.
///
/// At `context` 1 the places follow the common face-recognition layout (eyes at 46% of the height,
/// 31% of the side apart; mouth corners at 82%): the crop holds brows to chin and cheek to cheek,
/// little hair or background. A larger `context` shrinks the face about the crop's centre, so hair,
/// ears and jaw line come into view at the cost of face pixels.
public struct IdentityAlignment: Sendable, Equatable {
    /// Crop side in pixels.
    public var side: Int
    /// How much more than brows to chin the crop holds: the crop's side over the standard layout's.
    public var context: Double

    /// The shipped layout: 64 pixels, brows to chin.
    public static let standard = IdentityAlignment(side: 64, context: 1)
    /// Crop sides a model may have.
    public static let sides = 32...256
    /// Contexts a model may have.
    public static let contexts = 0.8...2.0

    /// Template places at `context` 1, as fractions of the side: the image-left eye's centre, the
    /// image-right eye's, the image-left mouth corner, the image-right one.
    static let template = [Point(x: 0.342, y: 0.462), Point(x: 0.658, y: 0.462),
                           Point(x: 0.370, y: 0.824), Point(x: 0.630, y: 0.824)]

    /// A layout of `side` pixels holding `context` times the standard layout's view.
    public init(side: Int, context: Double) {
        precondition(IdentityAlignment.sides.contains(side) && IdentityAlignment.contexts.contains(context),
                     "identity crop \(side) px, context \(context) out of range")
        self.side = side
        self.context = context
    }

    /// The layout a model file's metadata records (`input`, `crop_context`; absent: the standard layout's).
    public init(metadata: [String: String], file: String) throws {
        func value<T: Comparable>(_ key: String, _ parse: (String) -> T?, in range: ClosedRange<T>, default fallback: T) throws -> T {
            guard let text = metadata[key] else { return fallback }
            guard let value = parse(text), range.contains(value) else {
                throw LandmarksError.badModel(file: file, reason: "\(key) \(text) is not in \(range)")
            }
            return value
        }
        let standard = IdentityAlignment.standard
        self.init(side: try value("input", { Int($0) }, in: IdentityAlignment.sides, default: standard.side),
                  context: try value("crop_context", { Double($0) }, in: IdentityAlignment.contexts, default: standard.context))
    }

    /// The metadata that records this layout in a model file.
    public var metadata: [String: String] { ["input": String(side), "crop_context": String(context)] }

    /// The template places in crop pixels (pixel centres run from 0 to side - 1).
    var places: [Point] {
        let s = Double(side)
        return IdentityAlignment.template.map {
            Point(x: (0.5 + ($0.x - 0.5) / context) * s - 0.5, y: (0.5 + ($0.y - 0.5) / context) * s - 0.5)
        }
    }

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
    public func cropFromPhoto(ibug68 points: [Point]) -> AffineTransform? {
        AffineTransform.similarity(fitting: IdentityAlignment.anchors(ibug68: points), to: places)
    }

    /// The aligned grey crop of the face with keypoints `points` in the grey `photo`, with an
    /// augmentation draw (none at inference) and optionally mirrored; nil for degenerate keypoints.
    public func crop(_ photo: Image, ibug68 points: [Point], geometry: CropGeometry = CropGeometry()) -> Image? {
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
