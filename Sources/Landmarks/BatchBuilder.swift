import FaceData
import Imaging
import NeuralNet
import Plumbing

/// Turns examples into network inputs and targets: crop, augment, normalise.
struct BatchBuilder {
    let spec: KeypointModelSpec
    let augmentation: Augmentation

    /// Grey samples are fed as (value / 255 - 0.5) / 0.25.
    static let mean: Float = 0.5, std: Float = 0.25

    /// Writes grey samples as network input, after an optional contrast change about mid-grey and a
    /// brightness shift (both in 0...1 units).
    static func normalise(_ pixels: ArraySlice<UInt8>, into destination: UnsafeMutablePointer<Float>,
                          contrast: Float = 1, brightness: Float = 0) {
        let scale = contrast / (255 * std), shift = (brightness + 0.5 * (1 - contrast) - mean) / std
        for (offset, value) in pixels.enumerated() { destination[offset] = Float(value) * scale + shift }
    }

    /// Fills `input` [B, 1, H, W] and `target` [B, 2K] from `examples[indices]`; sample `i`'s random
    /// draws depend only on `seed` and `i`, not on thread scheduling. Returns the crops.
    func fill(_ examples: [TrainingExample], indices: [Int], seed: UInt64, input: Tensor, target: Tensor?) -> [FaceCrop] {
        let width = spec.inputWidth, height = spec.inputHeight, plane = width * height
        input.resize(to: [indices.count, 1, height, width])
        target?.resize(to: [indices.count, spec.targetCount])
        let cropper = FaceCropper(width: width, height: height)
        return Parallel.map(indices.count) { i in
            let example = examples[indices[i]]
            var rng = SplitMix64(seed: seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
            let region = spec.cropRegion(photoWidth: example.image.width, photoHeight: example.image.height,
                                         around: example.points)
            let crop = cropper.crop(example.image, center: region.center, side: region.side, points: example.points,
                                    scheme: spec.scheme, augmentation: augmentation, rng: &rng)
            let contrast = 1 + rng.uniform(-augmentation.contrast, augmentation.contrast)
            let brightness = rng.uniform(-augmentation.brightness, augmentation.brightness)
            BatchBuilder.normalise(crop.image.pixels[...], into: input.data + i * plane, contrast: contrast,
                                   brightness: brightness)
            if let target { spec.encode(crop.points, into: target.data + i * spec.targetCount) }
            return crop
        }
    }
}
