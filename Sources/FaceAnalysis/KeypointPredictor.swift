import FaceData
import Imaging
import NeuralNet

/// Keypoints for one face in a photo from a trained model: crop, predict, map back; optionally a
/// second pass on a crop made from the first prediction and test-time flip averaging.
///
/// A predictor owns its network's buffers: use one predictor per thread.
public final class KeypointPredictor {
    /// The model used.
    public let model: TrainedModel
    private let input = Tensor(shape: [0])

    /// A predictor running `model`.
    public init(model: TrainedModel) {
        self.model = model
    }

    /// The model's points (photo pixels) for the face in `box` of the grey `photo` (the whole photo
    /// for the IMM models). Each of the `refine` passes re-crops around the previous prediction and
    /// predicts again; every pass sees the crops the way `orientation` says.
    public func predict(_ photo: Image, box: Box?, refine: Int = 0, orientation: CropOrientation = .plain) -> [Point] {
        predict(photo, boxes: [box], refine: refine, orientation: orientation)[0]
    }

    /// The points of several faces of one photo, predicted together (one network batch per pass).
    public func predict(_ photo: Image, boxes: [Box?], refine: Int = 0, orientation: CropOrientation = .plain) -> [[Point]] {
        guard !boxes.isEmpty else { return [] }
        let spec = model.spec
        let region = { (box: Box?) in spec.cropRegion(photoWidth: photo.width, photoHeight: photo.height, faceBox: box) }
        let flips = orientation.flips
        var points = pass(photo, regions: boxes.map(region), flips: flips)
        for _ in 0..<(!spec.usesWholePhoto && spec.targetIndices.count == spec.scheme.pointCount ? refine : 0) {
            points = pass(photo, regions: points.map { region(Box(enclosing: $0)) }, flips: flips)
        }
        return points
    }

    /// One crop-and-predict pass over `regions`, each in the orientations `flips` lists (true:
    /// mirrored), the predictions averaged.
    private func pass(_ photo: Image, regions: [(center: Point, side: Double)], flips: [Bool]) -> [[Point]] {
        let spec = model.spec
        let cropper = FaceCropper(width: spec.inputWidth, height: spec.inputHeight)
        let crops = regions.flatMap { region in
            flips.map {
                cropper.crop(photo, center: region.center, side: region.side, points: [], scheme: spec.scheme,
                             geometry: CropGeometry(flip: $0))
            }
        }
        let plane = spec.inputWidth * spec.inputHeight
        input.resize(to: [crops.count, 1, spec.inputHeight, spec.inputWidth])
        for (row, crop) in crops.enumerated() { GreyInput.normalise(crop.image.pixels[...], into: input.data + row * plane) }
        let output = model.network.forward(input, training: false)
        return regions.indices.map { face in
            Point.mean(of: ((face * flips.count)..<((face + 1) * flips.count)).map { row in
                let crop = crops[row], photoFromCrop = crop.cropFromPhoto.inverted!
                let points = spec.decode(output.data + row * spec.outputCount).map { photoFromCrop.apply($0) }
                return crop.flipped && points.count == spec.scheme.pointCount ? spec.scheme.flipPermutation.map { points[$0] } : points
            })
        }
    }
}
