import FaceAnalysis
import FaceData
import Imaging
import NeuralNet
import Plumbing

/// Turns examples into network inputs and targets: crop, augment, normalise.
struct BatchBuilder {
    let spec: KeypointModelSpec
    let augmentation: Augmentation

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
            GreyInput.normalise(crop.image.pixels[...], into: input.data + i * plane, contrast: contrast,
                                   brightness: brightness)
            if let target { spec.encode(crop.points, into: target.data + i * spec.targetCount) }
            return crop
        }
    }
}
