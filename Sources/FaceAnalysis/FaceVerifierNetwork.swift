import Imaging
import NeuralNet

/// The face verifier's small classifier and the crop it reads: is a face finder's box a whole face?
///
/// Input [N, 1, 64, 64]: a grey crop around the box (normalised as the keypoint models' input).
/// Output [N, 1]: the logit that the box holds a whole face.
public enum FaceVerifierNetwork {
    /// Crop side in pixels.
    public static let inputSide = 64
    /// The crop covers this many times the box's longer side (the face and its surroundings, so that
    /// a box on half a face is told from a box on a whole one).
    public static let context = 1.6
    /// Channels of the four stride-2 stages.
    static let widths = [16, 32, 64, 128]

    /// A freshly initialised network.
    public static func make(seed: UInt64) -> Layer {
        var generator = SplitMix64(seed: seed)
        var body = ConvStack(inputChannels: 1)
        for (stage, width) in widths.enumerated() {
            body.conv(width, stride: 2, generator: &generator)  // 64 -> 32 -> 16 -> 8 -> 4
            if stage < widths.count - 1 { body.conv(width, stride: 1, generator: &generator) }
        }
        let side = inputSide >> widths.count                    // [N, 128, 4, 4]
        return Sequential(body.layers + [
            Flatten(),
            Linear(inputFeatures: body.channels * side * side, outputFeatures: 64, generator: &generator), ReLU(),
            Linear(inputFeatures: 64, outputFeatures: 1, generator: &generator),
        ])
    }

    /// The square photo region read for `box`.
    static func region(for box: Box) -> (center: Point, side: Double) {
        (box.center, context * max(box.width, box.height))
    }

    /// Writes the crop for `box` of the grey `photo` into `destination` (inputSide² floats), with a
    /// geometry and a contrast and brightness change (training's augmentation; none at inference).
    public static func fill(_ photo: Image, box: Box, geometry: CropGeometry = CropGeometry(), contrast: Float = 1,
                            brightness: Float = 0, into destination: UnsafeMutablePointer<Float>) {
        let region = region(for: box)
        let crop = FaceCropper(width: inputSide, height: inputSide)
            .crop(photo, center: region.center, side: region.side, points: [], scheme: nil, geometry: geometry)
        GreyInput.normalise(crop.image.pixels[...], into: destination, contrast: contrast, brightness: brightness)
    }
}
