import FaceAnalysis
import FaceData
import Foundation
import Imaging
import NeuralNet

/// The random changes applied to a training crop; all zero/false means none.
public struct Augmentation: Sendable {
    /// Scale jitter: the crop side is multiplied by a factor in [1 - scale, 1 + scale].
    public var scale: Double
    /// Shift jitter: the crop centre moves by up to this fraction of the crop side on each axis.
    public var shift: Double
    /// Rotation jitter in degrees: uniform in [-rotation, +rotation].
    public var rotationDegrees: Double
    /// Mirror half of the crops left to right (with the landmark scheme's point swap).
    public var flip: Bool
    /// Brightness jitter added to samples in 0...1 units: uniform in [-brightness, +brightness].
    public var brightness: Float
    /// Contrast jitter: samples scaled about 0.5 by a factor in [1 - contrast, 1 + contrast].
    public var contrast: Float
    /// Probability of a 3x3 Gaussian blur.
    public var blurProbability: Double
    /// Probability of hiding one random rectangle of the crop under noise (random erasing; the points
    /// keep their targets, so the network learns to place hidden ones from the rest of the face).
    public var occlusionProbability: Double

    /// An augmentation with the given ranges (all default to none).
    public init(scale: Double = 0, shift: Double = 0, rotationDegrees: Double = 0, flip: Bool = false,
                brightness: Float = 0, contrast: Float = 0, blurProbability: Double = 0, occlusionProbability: Double = 0) {
        self.scale = scale
        self.shift = shift
        self.rotationDegrees = rotationDegrees
        self.flip = flip
        self.brightness = brightness
        self.contrast = contrast
        self.blurProbability = blurProbability
        self.occlusionProbability = occlusionProbability
    }

    /// No change at all (validation and inference).
    public static let none = Augmentation()

    /// Every range multiplied by `factor` (the probabilities of a blur and an occlusion capped at 1);
    /// mirroring unchanged.
    public func scaled(by factor: Double) -> Augmentation {
        Augmentation(scale: scale * factor, shift: shift * factor, rotationDegrees: rotationDegrees * factor, flip: flip,
                     brightness: brightness * Float(factor), contrast: contrast * Float(factor),
                     blurProbability: min(1, blurProbability * factor),
                     occlusionProbability: min(1, occlusionProbability * factor))
    }

    /// Hides a random rectangle of `image` with probability `occlusionProbability` (no draw when that
    /// is 0, so the other draws stay as they were without occlusion).
    public func occludeAtRandom(_ image: inout Image, rng: inout SplitMix64) {
        if occlusionProbability > 0 && Double(rng.nextFloat()) < occlusionProbability { image.occludeRandomRectangle(&rng) }
    }

    /// One random draw of the geometric part.
    public func drawGeometry(_ rng: inout SplitMix64) -> CropGeometry {
        CropGeometry(scale: 1 + Double(rng.uniform(Float(-scale), Float(scale))),
                     shiftX: Double(rng.uniform(Float(-shift), Float(shift))),
                     shiftY: Double(rng.uniform(Float(-shift), Float(shift))),
                     rotation: Double(rng.uniform(Float(-rotationDegrees), Float(rotationDegrees))) * .pi / 180,
                     flip: flip && rng.nextFloat() < 0.5)
    }
}

extension FaceCropper {
    /// The crop of `photo` (grey) centred on `center` whose width covers `side` photo pixels (height
    /// in proportion), with an augmentation draw; `points` and `scheme` travel along when given.
    public func crop(_ photo: Image, center: Point, side: Double, points: [Point] = [], scheme: LandmarkScheme? = nil,
                     augmentation: Augmentation = .none, rng: inout SplitMix64) -> FaceCrop {
        let geometry = augmentation.drawGeometry(&rng)
        var crop = crop(photo, center: center, side: side, points: points, scheme: scheme, geometry: geometry)
        if augmentation.blurProbability > 0 && Double(rng.nextFloat()) < augmentation.blurProbability {
            crop.image = crop.image.gaussianBlurred3x3()
        }
        augmentation.occludeAtRandom(&crop.image, rng: &rng)
        return crop
    }
}

extension Image {
    /// A 3x3 binomial ([1 2 1] x [1 2 1] / 16) blur with edge replication.
    public func gaussianBlurred3x3() -> Image {
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

    /// Shares of the image's area an occluding rectangle covers (drawn uniformly).
    static let occlusionAreaShares: ClosedRange<Float> = 0.02...0.25
    /// Widest width-to-height ratio of an occluding rectangle (and its inverse the narrowest).
    static let occlusionMaxAspect: Float = 2

    /// Covers one rectangle (a share of the area in `occlusionAreaShares`, aspect between 1/2 and 2,
    /// anywhere inside) with uniform noise.
    public mutating func occludeRandomRectangle(_ rng: inout SplitMix64) {
        let area = Float(width * height) * rng.uniform(Self.occlusionAreaShares.lowerBound, Self.occlusionAreaShares.upperBound)
        let aspect = exp(rng.uniform(-log(Self.occlusionMaxAspect), log(Self.occlusionMaxAspect)))
        let boxWidth = Swift.min(width, Swift.max(1, Int((area * aspect).squareRoot())))
        let boxHeight = Swift.min(height, Swift.max(1, Int((area / aspect).squareRoot())))
        let left = Swift.min(width - boxWidth, Int(rng.nextFloat() * Float(width - boxWidth + 1)))
        let top = Swift.min(height - boxHeight, Int(rng.nextFloat() * Float(height - boxHeight + 1)))
        for y in top..<(top + boxHeight) {
            for x in left..<(left + boxWidth) {
                for c in 0..<channels { self[x, y, c] = UInt8(truncatingIfNeeded: rng.next() >> 56) }
            }
        }
    }
}
