import NeuralNet
import Plumbing

/// A 2-D convolution with square kernels, computed as im2col followed by one OpenBLAS sgemm per
/// chunk of images (or, for a chunk of few output positions, `narrowProduct`), or for 3x3 kernels
/// with stride 1 and padding 1 between enough channels, by Winograd's minimal filtering
/// (`WinogradConvolution`). Parameters: `weight` [Cout, Cin, k, k] and optionally `bias` [Cout].
public final class Conv2d: Layer {
    /// Channels in (Cin) and out (Cout).
    public let inputChannels: Int, outputChannels: Int
    /// Square kernel side, step between windows, and zero border added on each side.
    public let kernelSize: Int, stride: Int, padding: Int
    /// The kernels, [Cout, Cin, k, k].
    public let weight: Parameter
    /// The per-channel offsets, [Cout], when the layer has them.
    public let bias: Parameter?
    /// Whether `backward` computes the input gradient (false for a network's first layer saves
    /// time; `backward` then returns zeros).
    public var computesInputGradient = true

    /// Floats of im2col columns processed per sgemm; bounds the scratch memory.
    static var columnBudget = 1 << 20

    /// When 3x3 convolutions with stride 1 and padding 1 between enough channels use Winograd's
    /// algorithm.
    enum WinogradPolicy {
        /// Never: im2col (tests compare with it).
        case never
        /// When the multiplications it saves outweigh transforming the kernels (the default).
        case whenItPays
        /// Always (tests of small shapes).
        case always
    }

    /// The policy in force for all layers.
    nonisolated(unsafe) static var winogradPolicy = WinogradPolicy.whenItPays

    /// Channels each way from which Winograd's products are large enough to pay for its transforms
    /// (measured: the 58-point CNN's 18-30-channel layers train 12% slower with it, ResNet18's
    /// 64-512-channel layers much faster).
    static let winogradMinimumChannels = 32

    /// Passes on at most this many images use kernels transformed once when the weights are frozen.
    /// Larger batches transform them on every pass, a block at a time into the caches: at batch 32,
    /// ResNet18's inference measured 7% slower with layer4's 51 MB of prepared F(5x5) kernels read
    /// from memory.
    static let preparedKernelsMaximumImages = 4

    private var input: Tensor?
    /// The kernels in Winograd's product domain by tile side, made once while `weight` is frozen
    /// (with the freeze stamp they were made under).
    private var prepared: (stamp: Int, kernels: [Int: Tensor]) = (0, [:])
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a convolution with Kaiming-normal kernels (fan-out, ReLU gain, as torchvision's
    /// ResNet) and bias uniform in ±1/sqrt(fan-in), drawn from `generator`.
    public convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            bias: Bool = true, generator: inout SplitMix64) {
        var drawing: SplitMix64? = generator
        self.init(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
                  padding: padding, bias: bias, generator: &drawing)
        generator = drawing!
    }

    /// Creates a convolution drawn as above, or with zero parameters when `generator` is nil (for
    /// weights loaded right after: ResNet18's 11 million normal draws take about 0.3 s).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, generator: inout SplitMix64?) {
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        let window = kernelSize * kernelSize
        let w = Tensor(shape: [outputChannels, inputChannels, kernelSize, kernelSize])
        let std = (2.0 / Float(outputChannels * window)).squareRoot()
        if generator != nil { for i in 0..<w.count { w[i] = std * generator!.normal() } }
        weight = Parameter(w)
        if bias {
            let b = Tensor(shape: [outputChannels])
            let bound = 1 / Float(inputChannels * window).squareRoot()
            if generator != nil { for i in 0..<b.count { b[i] = generator!.uniform(-bound, bound) } }
            self.bias = Parameter(b)
        } else {
            self.bias = nil
        }
    }

    public var parameters: [NamedParameter] {
        [(name: "weight", parameter: weight)] + (bias.map { [(name: "bias", parameter: $0)] } ?? [])
    }

    private func geometry(_ x: Tensor) -> WindowGeometry {
        precondition(x.shape.count == 4 && x.shape[1] == inputChannels,
                     "Conv2d expects [N, \(inputChannels), H, W], got \(x.shape)")
        return WindowGeometry(height: x.shape[2], width: x.shape[3], kernel: kernelSize, stride: stride,
                              padding: padding)
    }

    /// Output planes at least this large are multiplied one image at a time, straight into the
    /// output (wide enough for an efficient sgemm, and no reordering copies).
    static var directArea = 1024

    /// Multiply-adds of one image's forward pass on a `height` x `width` input: as a direct
    /// convolution, and in the matrix products this layer runs on a batch of `images` (fewer with
    /// Winograd's algorithm; its transforms not counted). Each gradient pass costs the same again.
    public func multiplyAdds(height: Int, width: Int, images: Int) -> (direct: Int, products: Int) {
        let g = WindowGeometry(height: height, width: width, kernel: kernelSize, stride: stride, padding: padding)
        let direct = outputChannels * inputChannels * kernelSize * kernelSize * g.outHeight * g.outWidth
        return (direct, winograd(g, images: images)?.productMACs ?? direct)
    }

    /// Whether the layer is a 1x1, stride-1, unpadded convolution: an image's [Cin, H * W] planes
    /// are then its im2col columns, multiplied in place, one image per sgemm. (Strided 1x1
    /// convolutions go through `im2col`, which for them is a plain subsample.)
    private var isPointwise: Bool { kernelSize == 1 && stride == 1 && padding == 0 }

    /// Images per sgemm: one for large planes and pointwise layers, else as many as fit in `columnBudget`.
    private func chunkSize(_ g: WindowGeometry, images: Int) -> Int {
        if g.outHeight * g.outWidth >= Conv2d.directArea || isPointwise { return 1 }
        let perImage = inputChannels * kernelSize * kernelSize * g.outHeight * g.outWidth
        return max(1, min(images, Conv2d.columnBudget / max(perImage, 1)))
    }

    /// The Winograd form of this layer for `images` inputs of geometry `g`, or nil when it computes
    /// with im2col.
    private func winograd(_ g: WindowGeometry, images: Int) -> WinogradConvolution? {
        guard Conv2d.winogradPolicy != .never, kernelSize == 3, stride == 1, padding == 1,
              min(inputChannels, outputChannels) >= Conv2d.winogradMinimumChannels else { return nil }
        if usesPreparedKernels(images: images) {
            // The form that suits one image serves every small batch: one set of prepared kernels per layer
            // (at 4 images layer4 of the keypoint model would pick F(5x5): 51 MB a layer besides F(2x2)'s 17).
            return WinogradConvolution.withPreparedKernels(inputChannels: inputChannels, outputChannels: outputChannels,
                                                           height: g.height, width: g.width, images: 1)
        }
        let winograd = WinogradConvolution(inputChannels: inputChannels, outputChannels: outputChannels,
                                           height: g.height, width: g.width)
        return Conv2d.winogradPolicy == .always || winograd.pays(images: images) ? winograd : nil
    }

    /// Bytes of kernels kept transformed between passes (frozen weights).
    var preparedKernelBytes: Int { prepared.kernels.values.reduce(0) { $0 + 4 * $1.count } }

    /// Whether a pass on `images` images uses kernels transformed once (frozen weights, a small batch).
    private func usesPreparedKernels(images: Int) -> Bool {
        weight.isFrozen && images <= Conv2d.preparedKernelsMaximumImages && Conv2d.winogradPolicy == .whenItPays
    }

    /// The transformed kernels of `winograd` for a pass on `images` images, made on the first such
    /// pass after `weight` was frozen; nil when the pass transforms them itself.
    private func preparedKernels(_ winograd: WinogradConvolution, images: Int) -> UnsafePointer<Float>? {
        guard usesPreparedKernels(images: images), let stamp = weight.freezeStamp else { return nil }
        if prepared.stamp != stamp { prepared = (stamp, [:]) }
        if let kernels = prepared.kernels[winograd.tileSide] { return UnsafePointer(kernels.data) }
        let kernels = winograd.transformedKernels(weight.value.data)
        prepared.kernels[winograd.tileSide] = kernels
        return UnsafePointer(kernels.data)
    }

    /// The im2col columns [Cin * k * k, images * Ho * Wo] of `images` images at `x`: written into
    /// `buffer`, or for a pointwise layer (one image) the image itself.
    private func unfold(_ x: UnsafePointer<Float>, images: Int, _ g: WindowGeometry,
                        into buffer: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        if isPointwise { return x }
        im2col(x, images: images, channels: inputChannels, geometry: g, into: buffer)
        return UnsafePointer(buffer)
    }

    // input [N, Cin, H, W] -> output [N, Cout, Ho, Wo]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x), n = x.shape[0]
        input = x
        output.resize(to: [n, outputChannels, g.outHeight, g.outWidth])
        if let winograd = winograd(g, images: n) {
            winograd.forward(x.data, images: n, kernels: weight.value.data, transformed: preparedKernels(winograd, images: n),
                             bias: bias?.value.data, into: output.data)
            return output
        }
        let rows = inputChannels * kernelSize * kernelSize, area = g.outHeight * g.outWidth
        let inPlane = inputChannels * g.height * g.width, outPlane = outputChannels * area
        let chunk = chunkSize(g, images: n)
        let space = Workspace.current
        let product = space.buffer(1, count: outPlane * chunk)
        for first in Swift.stride(from: 0, to: n, by: chunk) {
            let count = min(chunk, n - first)
            let columns = unfold(x.data + first * inPlane, images: count, g, into: space.buffer(0, count: rows * chunk * area))
            let direct = count == 1
            let target = direct ? output.data + first * outPlane : product  // [Cout, count * area]
            if count * area <= narrowProductColumns {
                narrowProduct(m: outputChannels, n: count * area, k: rows, a: weight.value.data, b: columns,
                              scratch: space.buffer(2, count: rows * count * area), c: target)
            } else {
                gemm(m: outputChannels, n: count * area, k: rows, a: weight.value.data, lda: rows,
                     b: columns, ldb: count * area, beta: 0, c: target, ldc: count * area)
            }
            let biasData = bias?.value.data
            if direct && biasData == nil { continue }  // the product is already the output
            Parallel.forEach(count * outputChannels, grain: 8) { lines in
                for line in lines {
                    let image = line / outputChannels, channel = line % outputChannels
                    let destination = output.data + (first + image) * outPlane + channel * area
                    if !direct {
                        destination.update(from: product + channel * count * area + image * area, count: area)
                    }
                    if let biasData {
                        let value = biasData[channel]
                        for i in 0..<area { destination[i] += value }
                    }
                }
            }
        }
        return output
    }

    // gradOutput [N, Cout, Ho, Wo] -> gradInput [N, Cin, H, W]; accumulates weight and bias grads
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("Conv2d.backward before forward") }
        precondition(!weight.isFrozen, "Conv2d.backward through weights frozen for inference")
        let g = geometry(x), n = x.shape[0]
        precondition(gradOutput.shape == output.shape, "Conv2d gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: x.shape)
        let rows = inputChannels * kernelSize * kernelSize, area = g.outHeight * g.outWidth
        let inPlane = inputChannels * g.height * g.width, outPlane = outputChannels * area
        if let bias { accumulateBiasGradient(gradOutput, into: bias.grad, images: n, area: area) }
        if !computesInputGradient { gradInput.zero() }
        if let winograd = winograd(g, images: n) {
            winograd.backward(input: x.data, gradOutput: gradOutput.data, images: n, kernels: weight.value.data,
                              kernelGradient: weight.grad.data, gradInput: computesInputGradient ? gradInput.data : nil)
            return gradInput
        }
        let chunk = chunkSize(g, images: n)
        let space = Workspace.current
        let gathered = space.buffer(1, count: outPlane * chunk)
        for first in Swift.stride(from: 0, to: n, by: chunk) {
            let count = min(chunk, n - first)
            let dy: UnsafeMutablePointer<Float>  // [Cout, count * area]
            if count == 1 {
                dy = gradOutput.data + first * outPlane
            } else {
                dy = gathered
                Parallel.forEach(count * outputChannels, grain: 8) { lines in
                    for line in lines {
                        let image = line / outputChannels, channel = line % outputChannels
                        (gathered + channel * count * area + image * area)
                            .update(from: gradOutput.data + (first + image) * outPlane + channel * area, count: area)
                    }
                }
            }
            let columns = unfold(x.data + first * inPlane, images: count, g, into: space.buffer(0, count: rows * chunk * area))
            gemm(transposeB: true, m: outputChannels, n: rows, k: count * area, a: dy, lda: count * area,
                 b: columns, ldb: count * area, beta: 1, c: weight.grad.data, ldc: rows)
            guard computesInputGradient else { continue }
            let target = gradInput.data + first * inPlane
            let gradColumns = isPointwise ? target : space.buffer(2, count: rows * chunk * area)
            gemm(transposeA: true, m: rows, n: count * area, k: outputChannels, a: weight.value.data, lda: rows,
                 b: dy, ldb: count * area, beta: 0, c: gradColumns, ldc: count * area)
            if !isPointwise { col2im(gradColumns, images: count, channels: inputChannels, geometry: g, into: target) }
        }
        return gradInput
    }
}
