import ConvNet
import NeuralNet

/// A plain stack of 3x3 convolutions, each followed by batch norm and ReLU: the body of the face
/// finder and of the face verifier.
struct ConvStack {
    /// The layers so far.
    private(set) var layers = [Layer]()
    /// Channels of the stack's output.
    private(set) var channels: Int

    /// An empty stack reading `inputChannels` channels.
    init(inputChannels: Int) {
        channels = inputChannels
    }

    /// Appends a 3x3 convolution without bias (padding 1) to `output` channels, then batch norm and ReLU.
    mutating func conv(_ output: Int, stride: Int, generator: inout SplitMix64) {
        layers += [Conv2d(inputChannels: channels, outputChannels: output, kernelSize: 3, stride: stride, padding: 1,
                          bias: false, generator: &generator),
                   BatchNorm2d(channels: output), ReLU()]
        channels = output
    }
}
