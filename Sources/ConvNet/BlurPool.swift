import NeuralNet
import Plumbing

/// Anti-aliased downsampling (Zhang, "Making Convolutional Networks Shift-Invariant Again",
/// 2019): each channel is blurred with the fixed [1,2,1]x[1,2,1]/16 filter over a reflection-padded
/// border, then sampled every `stride` pixels. No parameters.
public final class BlurPool2d: Layer {
    /// The sampling step after blurring.
    public let stride: Int
    private static let taps: [Float] = [0.25, 0.5, 0.25]
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a blur pool that downsamples by `stride`.
    public init(stride: Int = 2) { self.stride = stride }

    /// Mirrors `index` into 0..<size without repeating the edge (reflection padding of 1).
    @inline(__always) private func reflect(_ index: Int, _ size: Int) -> Int {
        index < 0 ? -index : (index >= size ? 2 * size - 2 - index : index)
    }

    /// Calls `body(inputIndex, outputIndex, weight)` for every filter tap of every output element of
    /// each plane; planes run in parallel.
    private func forEachTap(_ shape: [Int], _ body: (Int, Int, Float) -> Void) {
        let height = shape[2], width = shape[3]
        let outHeight = (height - 1) / stride + 1, outWidth = (width - 1) / stride + 1
        let taps = BlurPool2d.taps
        Parallel.forEach(shape[0] * shape[1], grain: 4) { planes in
            for plane in planes {
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        let o = (plane * outHeight + oy) * outWidth + ox
                        for ky in 0..<3 {
                            let y = reflect(oy * stride - 1 + ky, height)
                            for kx in 0..<3 {
                                let x = reflect(ox * stride - 1 + kx, width)
                                body((plane * height + y) * width + x, o, taps[ky] * taps[kx])
                            }
                        }
                    }
                }
            }
        }
    }

    // input [N, C, H, W] -> output [N, C, (H-1)/s+1, (W-1)/s+1]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[2] >= 2 && x.shape[3] >= 2,
                     "BlurPool2d expects [N, C, H>=2, W>=2], got \(x.shape)")
        inputShape = x.shape
        output.resize(to: [x.shape[0], x.shape[1], (x.shape[2] - 1) / stride + 1, (x.shape[3] - 1) / stride + 1])
        output.zero()
        forEachTap(x.shape) { i, o, w in output.data[o] += w * x.data[i] }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.shape == output.shape, "BlurPool2d gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: inputShape)
        gradInput.zero()
        forEachTap(inputShape) { i, o, w in gradInput.data[i] += w * gradOutput.data[o] }
        return gradInput
    }
}
