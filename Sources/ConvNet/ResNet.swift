import NeuralNet
import Plumbing

/// ResNet's basic residual block: conv3x3-BN-ReLU-conv3x3-BN, plus the input (through a 1x1
/// strided conv and BN, `downsample`, when the shape changes), then ReLU.
/// Children: `conv1`, `bn1`, `conv2`, `bn2`, `downsample.0`, `downsample.1` (PyTorch's keys).
public final class BasicBlock: Layer {
    /// The main path.
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    /// The projection of the input when stride or width change, else nil (identity).
    public let downsample: Sequential?
    private let relu2 = ReLU()
    private let sum = Tensor(shape: [0])
    /// The output of an inference pass, whose end (normalise, add, rectify) runs as one step; the
    /// step's inputs are kept so that `backward` can redo that end in the separate layers it needs.
    private let fusedOutput = Tensor(shape: [0])
    private var fusedInputs: (main: Tensor, shortcut: Tensor)?

    /// Creates a block mapping `inputChannels` to `outputChannels` with the first conv strided,
    /// its kernels drawn from `generator` (zeros without one: weights to be loaded).
    public init(inputChannels: Int, outputChannels: Int, stride: Int, generator: inout SplitMix64?) {
        conv1 = Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride,
                       padding: 1, bias: false, generator: &generator)
        bn1 = BatchNorm2d(channels: outputChannels, fusedReLU: true)
        conv2 = Conv2d(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1,
                       bias: false, generator: &generator)
        bn2 = BatchNorm2d(channels: outputChannels)
        if stride != 1 || inputChannels != outputChannels {
            downsample = Sequential([
                Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, stride: stride,
                       bias: false, generator: &generator),
                BatchNorm2d(channels: outputChannels),
            ])
        } else {
            downsample = nil
        }
    }

    private var children: [(String, Layer)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)] + (downsample.map { [("downsample", $0)] } ?? [])
    }

    public var parameters: [NamedParameter] { children.flatMap { prefixed($0.0, $0.1.parameters) } }
    public var buffers: [NamedBuffer] { children.flatMap { prefixed($0.0, $0.1.buffers) } }

    // input [N, Cin, H, W] -> output [N, Cout, H/s, W/s]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = conv1.forward(x, training: training, as: "conv1")
        y = bn1.forward(y, training: training, as: "bn1")  // with ReLU
        y = conv2.forward(y, training: training, as: "conv2")
        let shortcut = downsample?.forward(x, training: training, as: "downsample") ?? x
        precondition(shortcut.shape == y.shape, "BasicBlock shortcut \(shortcut.shape) != \(y.shape)")
        if training {
            fusedInputs = nil
            return end(y, shortcut, training: true)
        }
        fusedInputs = (y, shortcut)
        LayerProfiler.measure("batchnorm+add+relu", backward: false) {
            bn2.inferenceForward(y, adding: shortcut, into: fusedOutput)
        }
        return fusedOutput
    }

    /// relu(bn2(y) + shortcut) through the separate layers, which keep what `backward` needs.
    private func end(_ y: Tensor, _ shortcut: Tensor, training: Bool) -> Tensor {
        let normalised = bn2.forward(y, training: training, as: "bn2")
        sum.resize(to: normalised.shape)
        LayerProfiler.measure("add", backward: false) { add(normalised, shortcut, into: sum) }
        return relu2.forward(sum, training: training, as: "relu")
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        if let (y, shortcut) = fusedInputs {
            _ = end(y, shortcut, training: false)
            fusedInputs = nil
        }
        let gradSum = relu2.backward(gradOutput, as: "relu")
        var g = bn2.backward(gradSum, as: "bn2")
        g = conv1.backward(bn1.backward(conv2.backward(g, as: "conv2"), as: "bn1"), as: "conv1")
        let gradShortcut = downsample?.backward(gradSum, as: "downsample") ?? gradSum
        // g is conv1's input-gradient buffer, which conv1 does not read again: add in place.
        LayerProfiler.measure("add", backward: true) { add(g, gradShortcut, into: g) }
        return g
    }
}

/// Element-wise `a + b` into `result` (which may be `a`), in parallel.
func add(_ a: Tensor, _ b: Tensor, into result: Tensor) {
    let x = a.data, y = b.data, z = result.data
    Parallel.forEach(a.count, grain: 1 << 15) { range in
        for i in range { z[i] = x[i] + y[i] }
    }
}

/// How ResNet18 turns its last feature map [N, 512, h, w] into its output.
public enum ResNetHead: Equatable, Sendable {
    /// torchvision's global average pool: fc reads 512 features, wherever in the image they fired.
    case globalAveragePool
    /// Flattening the whole `height` x `width` feature map: fc reads 512*h*w features and so knows
    /// where each one is (better suited to regressing coordinates).
    case flatten(height: Int, width: Int)
    /// No pooling: fc is a 1x1 convolution applied at every position of the map, and the output is
    /// [N, outputs, h, w] (per-position predictions). Its parameters start at zero, so a new head on
    /// trained layers leaves their gradients zero until it has learnt something.
    case pointwise

    /// The layer between layer4 and fc (nil: fc reads the map itself).
    func makePool() -> Layer? {
        switch self {
        case .globalAveragePool: return GlobalAvgPool2d()
        case .flatten: return Flatten()
        case .pointwise: return nil
        }
    }

    /// The output layer on a map of `channels` channels, drawing from `generator` (nil: zero parameters).
    func makeOutputLayer(channels: Int, outputs: Int, generator: inout SplitMix64?) -> Layer {
        switch self {
        case .globalAveragePool, .flatten:
            let features = if case let .flatten(height, width) = self { channels * height * width } else { channels }
            var drawing = generator ?? SplitMix64(seed: 0)  // uniform draws: cheap either way
            return Linear(inputFeatures: features, outputFeatures: outputs, generator: &drawing)
        case .pointwise:
            var none: SplitMix64?
            return Conv2d(inputChannels: channels, outputChannels: outputs, kernelSize: 1, generator: &none)
        }
    }
}

/// ResNet-18 (He et al. 2016) in torchvision's layout and key names, with a configurable number of
/// input channels (1 for grey images), outputs (136 for 68 landmarks) and head.
///
/// conv1 7x7/2 - bn1 - relu - maxpool 3x3/2 - layer1..layer4 (two BasicBlocks each; 64, 128, 256,
/// 512 channels; strides 1, 2, 2, 2) - global average pool (or flatten, or nothing) - fc. At output
/// stride 8, layer4 is unstrided and `top_down` merges its map into layer2's before fc.
public final class ResNet18: Layer {
    /// The stem: 7x7/2 convolution and its normalisation.
    public let conv1: Conv2d, bn1: BatchNorm2d
    /// The four stages of two BasicBlocks.
    public let layer1: Sequential, layer2: Sequential, layer3: Sequential, layer4: Sequential
    /// At output stride 8, layer4's map merged into layer2's (128 channels); else nil.
    public let topDown: TopDownMerge?
    /// The output layer: a `Linear` on the pooled or flattened map, or a 1x1 `Conv2d` on the map.
    public let fc: Layer
    private let maxpool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1), pool: Layer?

    /// The key of the top-down step's layers (`top_down.lateral.weight`, ...), which files of output
    /// stride 16 or 32 lack.
    public static let topDownKey = "top_down"

    /// The output strides on offer: 32 (torchvision's), 16 with layer4 unstrided, or 8 with layer4
    /// unstrided and merged into layer2's map (pointwise head only).
    public static let outputStrides = [8, 16, 32]

    /// The output strides on offer, for messages ("8, 16 or 32").
    public static var outputStridesText: String {
        outputStrides.dropLast().map(String.init).joined(separator: ", ") + " or \(outputStrides.last!)"
    }

    /// Creates the network with weights drawn from a generator seeded with `seed` (nil: zero
    /// kernels, for weights loaded right after). The first convolution skips its input gradient
    /// (set `conv1.computesInputGradient` to get it). `outputStride` 16 leaves layer4 unstrided, for
    /// a last map twice as fine (the same weights; layer4 costs 4x); 8 also merges that map into
    /// layer2's (`topDown`), for the `.pointwise` head only. With a `.flatten` head the input size is
    /// fixed: its side / `outputStride` (rounded up) must be the head's size.
    public init(inputChannels: Int = 3, outputs: Int = 1000, seed: UInt64? = 0, head: ResNetHead = .globalAveragePool,
                outputStride: Int = 32) {
        precondition(ResNet18.outputStrides.contains(outputStride), "ResNet18's output stride is \(ResNet18.outputStridesText), not \(outputStride)")
        precondition(outputStride != 8 || head == .pointwise, "ResNet18's output stride 8 needs the pointwise head")
        var generator = seed.map(SplitMix64.init(seed:))
        conv1 = Conv2d(inputChannels: inputChannels, outputChannels: 64, kernelSize: 7, stride: 2, padding: 3,
                       bias: false, generator: &generator)
        conv1.computesInputGradient = false
        bn1 = BatchNorm2d(channels: 64, fusedReLU: true)
        func stage(_ input: Int, _ output: Int, _ stride: Int) -> Sequential {
            Sequential([BasicBlock(inputChannels: input, outputChannels: output, stride: stride, generator: &generator),
                        BasicBlock(inputChannels: output, outputChannels: output, stride: 1, generator: &generator)])
        }
        layer1 = stage(64, 64, 1)
        layer2 = stage(64, 128, 2)
        layer3 = stage(128, 256, 2)
        layer4 = stage(256, 512, outputStride == 32 ? 2 : 1)
        topDown = outputStride == 8 ? TopDownMerge(coarseChannels: 512, fineChannels: 128, generator: &generator) : nil
        pool = head.makePool()
        fc = head.makeOutputLayer(channels: topDown == nil ? 512 : 128, outputs: outputs, generator: &generator)
    }

    private var stages: [(String, Sequential)] { [("layer1", layer1), ("layer2", layer2), ("layer3", layer3), ("layer4", layer4)] }

    private var children: [(String, Layer)] {
        [("conv1", conv1), ("bn1", bn1)] + stages.map { ($0, $1 as Layer) }
            + (topDown?.children.map { ("\(ResNet18.topDownKey).\($0)", $1) } ?? []) + [("fc", fc)]
    }

    public var parameters: [NamedParameter] { children.flatMap { prefixed($0.0, $0.1.parameters) } }
    public var buffers: [NamedBuffer] { children.flatMap { prefixed($0.0, $0.1.buffers) } }

    // input [N, Cin, H, W] -> output [N, outputs] ([N, outputs, H/s, W/s] with the pointwise head, s the output stride)
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = bn1.forward(conv1.forward(x, training: training, as: "conv1"), training: training, as: "bn1")  // with ReLU
        y = maxpool.forward(y, training: training, as: "maxpool")
        let fine = layer2.forward(layer1.forward(y, training: training, as: "layer1"), training: training, as: "layer2")
        y = layer4.forward(layer3.forward(fine, training: training, as: "layer3"), training: training, as: "layer4")
        if let topDown { y = topDown.forward(fine: fine, coarse: y, training: training) }
        return fc.forward(pool?.forward(y, training: training, as: "pool") ?? y, training: training, as: "fc")
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let gradFeatures = fc.backward(gradOutput, as: "fc")
        var g = pool?.backward(gradFeatures, as: "pool") ?? gradFeatures
        var gradFine: Tensor?
        if let topDown { (gradFine, g) = topDown.backward(g) }
        g = layer3.backward(layer4.backward(g, as: "layer4"), as: "layer3")
        // g is layer3's input-gradient buffer, which it does not read again: add in place.
        if let gradFine { LayerProfiler.measure("add", backward: true) { add(g, gradFine, into: g) } }
        g = layer1.backward(layer2.backward(g, as: "layer2"), as: "layer1")
        return conv1.backward(bn1.backward(maxpool.backward(g, as: "maxpool"), as: "bn1"), as: "conv1")
    }
}
