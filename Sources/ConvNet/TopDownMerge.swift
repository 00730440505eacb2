import NeuralNet
import Plumbing

/// One top-down step of a feature pyramid (Lin et al. 2017): a coarse map reduced to a finer map's
/// channels by a 1x1 convolution, enlarged 2x (nearest neighbour), added to the finer map, then
/// smoothed by a 3x3 convolution, batch normalisation and ReLU.
///
/// fine [N, C, h, w] and coarse [N, Cc, ceil(h/2), ceil(w/2)] -> [N, C, h, w].
/// Children: `lateral`, `smooth`, `bn`.
public final class TopDownMerge {
    /// The coarse map's reduction to the fine map's channels (1x1, no bias).
    public let lateral: Conv2d
    /// The smoothing of the sum (3x3, no bias) and its normalisation (with ReLU).
    public let smooth: Conv2d, bn: BatchNorm2d
    private let merged = Tensor(shape: [0]), gradReduced = Tensor(shape: [0])

    /// A step from `coarseChannels` to `fineChannels`, its kernels drawn from `generator` (zeros
    /// without one: weights to be loaded).
    public init(coarseChannels: Int, fineChannels: Int, generator: inout SplitMix64?) {
        lateral = Conv2d(inputChannels: coarseChannels, outputChannels: fineChannels, kernelSize: 1, bias: false,
                         generator: &generator)
        smooth = Conv2d(inputChannels: fineChannels, outputChannels: fineChannels, kernelSize: 3, padding: 1, bias: false,
                        generator: &generator)
        bn = BatchNorm2d(channels: fineChannels, fusedReLU: true)
    }

    /// The layers, with PyTorch-style keys.
    public var children: [(String, Layer)] { [("lateral", lateral), ("smooth", smooth), ("bn", bn)] }

    /// The merged, smoothed map of `fine` and `coarse`.
    public func forward(fine: Tensor, coarse: Tensor, training: Bool) -> Tensor {
        let reduced = lateral.forward(coarse, training: training, as: "top_down.lateral")
        let (n, channels, height, width) = (fine.shape[0], fine.shape[1], fine.shape[2], fine.shape[3])
        precondition(reduced.shape == [n, channels, (height + 1) / 2, (width + 1) / 2],
                     "TopDownMerge: coarse map \(coarse.shape) does not match fine map \(fine.shape)")
        merged.resize(to: fine.shape)
        LayerProfiler.measure("top_down.enlarge+add", backward: false) {
            TopDownMerge.enlarge(reduced, height: height, width: width) { planeOut, coarseRow, y, x in
                let i = planeOut + y * width + x
                merged.data[i] = reduced.data[coarseRow + x / 2] + fine.data[i]
            }
        }
        return bn.forward(smooth.forward(merged, training: training, as: "top_down.smooth"), training: training, as: "top_down.bn")
    }

    /// The gradients of `fine` and `coarse` from the output's gradient `gradOutput`.
    public func backward(_ gradOutput: Tensor) -> (fine: Tensor, coarse: Tensor) {
        let gradMerged = smooth.backward(bn.backward(gradOutput, as: "top_down.bn"), as: "top_down.smooth")
        let (n, channels, height, width) = (gradMerged.shape[0], gradMerged.shape[1], gradMerged.shape[2], gradMerged.shape[3])
        gradReduced.resize(to: [n, channels, (height + 1) / 2, (width + 1) / 2])
        gradReduced.zero()
        LayerProfiler.measure("top_down.enlarge+add", backward: true) {
            // Each coarse cell took the gradient of the (up to) 2x2 fine cells it was copied to.
            TopDownMerge.enlarge(gradReduced, height: height, width: width) { planeOut, coarseRow, y, x in
                gradReduced.data[coarseRow + x / 2] += gradMerged.data[planeOut + y * width + x]
            }
        }
        return (gradMerged, lateral.backward(gradReduced, as: "top_down.lateral"))
    }

    /// Visits every fine cell (`y`, `x`) of each plane of `coarse` [N, C, ceil(h/2), ceil(w/2)]
    /// enlarged to h x w, planes in parallel: `visit` gets the fine plane's start, the start of
    /// the coarse row under the cell, and the cell.
    private static func enlarge(_ coarse: Tensor, height: Int, width: Int,
                                visit: (_ planeOut: Int, _ coarseRow: Int, _ y: Int, _ x: Int) -> Void) {
        let planes = coarse.shape[0] * coarse.shape[1], coarseHeight = coarse.shape[2], coarseWidth = coarse.shape[3]
        Parallel.forEach(planes, grain: max(1, 4096 / (height * width))) { range in
            for plane in range {
                let planeOut = plane * height * width, planeIn = plane * coarseHeight * coarseWidth
                for y in 0..<height {
                    let coarseRow = planeIn + (y / 2) * coarseWidth
                    for x in 0..<width { visit(planeOut, coarseRow, y, x) }
                }
            }
        }
    }
}
