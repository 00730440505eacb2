import FaceData
import Imaging

/// A grey crop handed to a network, with its landmarks in crop pixels and the map back to the photo.
public struct FaceCrop {
    /// The crop, grey, `width` x `height` of the cropper.
    public var image: Image
    /// The landmarks in crop pixel coordinates (empty when none were given).
    public var points: [Point]
    /// Maps photo coordinates to crop coordinates.
    public var cropFromPhoto: AffineTransform
    /// Whether the crop was mirrored (its points are already renumbered).
    public var flipped: Bool
}

/// Cuts square-ish, upright (or jittered) grey crops around a face for the keypoint networks.
public struct FaceCropper: Sendable {
    /// Crop width in pixels.
    public var width: Int
    /// Crop height in pixels.
    public var height: Int

    /// A cropper producing `width` x `height` crops.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The crop of `photo` (grey) centred on `center` whose width covers `side` photo pixels (height
    /// in proportion), scaled, shifted, rotated and mirrored by `geometry` (none at inference);
    /// `points` and `scheme` travel along when given.
    public func crop(_ photo: Image, center: Point, side: Double, points: [Point] = [], scheme: LandmarkScheme? = nil,
                     geometry: CropGeometry) -> FaceCrop {
        let jitteredSide = side * geometry.scale
        let centre = Point(x: center.x + geometry.shiftX * side, y: center.y + geometry.shiftY * side)
        let pixelsPerUnit = Double(width) / jitteredSide
        // photo -> crop: move the centre to the origin, rotate, scale, move to the crop centre.
        var cropFromPhoto = AffineTransform.translation(Double(width - 1) / 2, Double(height - 1) / 2)
            .concatenating(after: .scale(pixelsPerUnit, pixelsPerUnit))
            .concatenating(after: .rotation(geometry.rotation))
            .concatenating(after: .translation(-centre.x, -centre.y))
        if geometry.flip {
            cropFromPhoto = AffineTransform(a: -1, b: 0, c: 0, d: 1, tx: Double(width - 1), ty: 0)
                .concatenating(after: cropFromPhoto)
        }
        let grey = photo.channels == 1 ? photo : photo.converted(to: .grey)
        let image = FaceCropper.resample(grey, cropFromPhoto: cropFromPhoto, pixelsPerUnit: pixelsPerUnit,
                                         width: width, height: height)
        var cropPoints = points.map { cropFromPhoto.apply($0) }
        if geometry.flip, let scheme, cropPoints.count == scheme.pointCount {
            cropPoints = scheme.flipPermutation.map { cropPoints[$0] }
        }
        return FaceCrop(image: image, points: cropPoints, cropFromPhoto: cropFromPhoto, flipped: geometry.flip)
    }

    /// Bilinear resampling, after an area-averaging pre-shrink when the crop is much smaller than
    /// the photo region (so fine texture does not alias). Only the part of the photo under the crop is
    /// shrunk: a crop of a 12-megapixel photo then costs what its own area costs.
    static func resample(_ photo: Image, cropFromPhoto: AffineTransform, pixelsPerUnit: Double,
                         width: Int, height: Int) -> Image {
        let factor = Int(1 / pixelsPerUnit), photoFromCrop = cropFromPhoto.inverted!
        let direct = { photo.warped(sourceFromOutput: photoFromCrop, width: width, height: height) }
        guard factor >= 2 else { return direct() }
        let corners = [Point(x: -0.5, y: -0.5), Point(x: Double(width) - 0.5, y: -0.5),
                       Point(x: -0.5, y: Double(height) - 0.5), Point(x: Double(width) - 0.5, y: Double(height) - 0.5)]
            .map { photoFromCrop.apply($0) }
        // The photo rectangle under the crop, one factor wider each side, starting on the shrink's grid.
        let left = max(0, Int(corners.map(\.x).min()!.rounded(.down)) - factor) / factor * factor
        let top = max(0, Int(corners.map(\.y).min()!.rounded(.down)) - factor) / factor * factor
        let columns = (min(photo.width, Int(corners.map(\.x).max()!.rounded(.up)) + factor) - left) / factor
        let rows = (min(photo.height, Int(corners.map(\.y).max()!.rounded(.up)) + factor) - top) / factor
        guard columns >= 2, rows >= 2 else { return direct() }
        let small = photo.cropped(x: left, y: top, width: columns * factor, height: rows * factor)
            .resized(width: columns, height: rows)
        // A small-image pixel centre s sits at photo coordinate left + (s + 0.5) * factor - 0.5 (likewise for y).
        let f = Double(factor)
        let photoFromSmall = AffineTransform(a: f, b: 0, c: 0, d: f, tx: Double(left) + (f - 1) / 2, ty: Double(top) + (f - 1) / 2)
        return small.warped(sourceFromOutput: cropFromPhoto.concatenating(after: photoFromSmall).inverted!,
                            width: width, height: height)
    }
}

/// The geometric part of a crop: no change by default (inference), one augmentation draw in training.
public struct CropGeometry: Sendable {
    /// The crop side is multiplied by this.
    public var scale = 1.0
    /// The crop centre moves by these fractions of the crop side.
    public var shiftX = 0.0, shiftY = 0.0
    /// Rotation in radians.
    public var rotation = 0.0
    /// Mirrored left to right.
    public var flip = false

    /// A geometry from its parts (all default to no change).
    public init(scale: Double = 1, shiftX: Double = 0, shiftY: Double = 0, rotation: Double = 0, flip: Bool = false) {
        self.scale = scale
        self.shiftX = shiftX
        self.shiftY = shiftY
        self.rotation = rotation
        self.flip = flip
    }
}
