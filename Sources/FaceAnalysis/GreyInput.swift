/// How every network here reads grey pixels: (value / 255 - 0.5) / 0.25, so mid-grey is 0.
public enum GreyInput {
    /// The pixel value (0...1) fed as 0.
    public static let mean: Float = 0.5
    /// The pixel spread (0...1 units) fed as 1.
    public static let std: Float = 0.25

    /// Writes grey samples as network input, after an optional contrast change about mid-grey and a
    /// brightness shift (both in 0...1 units; training's augmentation, none at inference).
    public static func normalise(_ pixels: ArraySlice<UInt8>, into destination: UnsafeMutablePointer<Float>,
                                 contrast: Float = 1, brightness: Float = 0) {
        let scale = contrast / (255 * std), shift = (brightness + 0.5 * (1 - contrast) - mean) / std
        for (offset, value) in pixels.enumerated() { destination[offset] = Float(value) * scale + shift }
    }
}
