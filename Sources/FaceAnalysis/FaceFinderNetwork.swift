import ConvNet
import Foundation
import Imaging
import NeuralNet

/// The face finder's fully convolutional network and the meaning of its output grid.
///
/// Input [N, 1, H, W] (H, W multiples of `stride`), grey normalised as the keypoint models.
/// Output [N, 5, H/16, W/16]: per cell, the logit that a face centre lies in the cell, the centre's
/// offset inside the cell (x, y in cell units), and log(width / stride), log(height / stride) of the
/// face's landmark box.
public enum FaceFinderNetwork {
    /// Pixels per output cell.
    public static let stride = 16
    /// Output channels per cell.
    public static let outputs = 5
    /// Channels of the four stride-2 stages of new networks.
    public static let standardWidths = [16, 32, 64, 128]
    /// Channels of networks whose file does not say (the first shipped finder).
    static let firstWidths = [16, 32, 64, 96]

    /// A freshly initialised network with `widths` channels in its four stages.
    public static func make(seed: UInt64, widths: [Int] = standardWidths) -> Layer {
        var generator = SplitMix64(seed: seed)
        var body = ConvStack(inputChannels: 1)
        for width in widths {
            body.conv(width, stride: 2, generator: &generator)
            body.conv(width, stride: 1, generator: &generator)
        }
        body.conv(widths.last!, stride: 1, generator: &generator)
        let head = Conv2d(inputChannels: body.channels, outputChannels: outputs, kernelSize: 1, generator: &generator)
        // Start with a low face probability everywhere (focal-loss practice): bias of the logit = -4.
        head.bias?.value[0] = -4
        return Sequential(body.layers + [head])
    }
}
