import FaceData
import Imaging
import NeuralNet

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
    /// in proportion), with an augmentation draw; `points` and `scheme` travel along when given.
    public func crop(_ photo: Image, center: Point, side: Double, points: [Point] = [], scheme: LandmarkScheme? = nil,
                     augmentation: Augmentation = .none, rng: inout SplitMix64) -> FaceCrop {
        let geometry = augmentation.drawGeometry(&rng)
        var crop = crop(photo, center: center, side: side, points: points, scheme: scheme, geometry: geometry)
        if augmentation.blurProbability > 0 && Double(rng.nextFloat()) < augmentation.blurProbability {
            crop.image = crop.image.gaussianBlurred3x3()
        }
        return crop
    }

    /// The crop for a fixed geometry (no randomness).
    func crop(_ photo: Image, center: Point, side: Double, points: [Point], scheme: LandmarkScheme?,
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

extension Image {
    /// A 3x3 binomial ([1 2 1] x [1 2 1] / 16) blur with edge replication.
    func gaussianBlurred3x3() -> Image {
        var out = self
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    var sum = 0
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let weight = (2 - abs(dx)) * (2 - abs(dy))
                            let sx = Swift.min(Swift.max(x + dx, 0), width - 1), sy = Swift.min(Swift.max(y + dy, 0), height - 1)
                            sum += weight * Int(self[sx, sy, c])
                        }
                    }
                    out[x, y, c] = UInt8((sum + 8) / 16)
                }
            }
        }
        return out
    }
}
