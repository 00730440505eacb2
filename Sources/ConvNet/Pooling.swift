import NeuralNet
import Plumbing

/// Maximum over square windows of each [H, W] plane (zero-free padding: padded cells never win).
public final class MaxPool2d: Layer {
    /// Square window side, step between windows, and border added on each side.
    public let kernelSize: Int, stride: Int, padding: Int
    private var inputShape: [Int] = []
    private var winners: [Int32] = []  // flat index within the input plane, per output element
    private var unrecordedInput: Tensor?  // the input of an inference pass, whose winners were not recorded
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a max pool; `stride` defaults to `kernelSize` as in PyTorch.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
    }

    // input [N, C, H, W] -> output [N, C, Ho, Wo]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x.shape)
        inputShape = x.shape
        output.resize(to: [x.shape[0], x.shape[1], g.outHeight, g.outWidth])
        if !training {
            unrecordedInput = x
            inferenceForward(x, g)
            return output
        }
        unrecordedInput = nil
        recordWinners(x, g)
        return output
    }

    private func geometry(_ shape: [Int]) -> WindowGeometry {
        WindowGeometry(planesOf: shape, kernel: kernelSize, stride: stride, padding: padding, layer: "MaxPool2d")
    }

    /// The maxima and, for `backward`, where each was found.
    private func recordWinners(_ x: Tensor, _ g: WindowGeometry) {
        if winners.count != output.count { winners = [Int32](repeating: 0, count: output.count) }
        let inArea = g.height * g.width, outArea = g.outHeight * g.outWidth
        winners.withUnsafeMutableBufferPointer { winners in
            Parallel.forEach(x.shape[0] * x.shape[1], grain: 4) { planes in
                for plane in planes {
                    let source = x.data + plane * inArea
                    for oy in 0..<g.outHeight {
                        let ys = g.inputRows(oy)
                        for ox in 0..<g.outWidth {
                            let xs = g.inputColumns(ox)
                            var best = -Float.infinity, bestIndex = ys.lowerBound * g.width + xs.lowerBound
                            for y in ys {
                                for x in xs where source[y * g.width + x] > best {
                                    best = source[y * g.width + x]; bestIndex = y * g.width + x
                                }
                            }
                            let o = plane * outArea + oy * g.outWidth + ox
                            output.data[o] = best
                            winners[o] = Int32(bestIndex)
                        }
                    }
                }
            }
        }
    }

    /// The maxima without their positions (nothing to route a gradient to): the maximum over a window
    /// is the maximum, over its columns, of each column's maximum over the window's rows, so each
    /// output row takes an element-wise maximum of whole input rows, then one of short spans of it.
    private func inferenceForward(_ x: Tensor, _ g: WindowGeometry) {
        let inArea = g.height * g.width, outArea = g.outHeight * g.outWidth
        Parallel.forEach(x.shape[0] * x.shape[1], grain: 4) { planes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: g.width) { rowMaxima in
                let rowMaxima = rowMaxima.baseAddress!
                for plane in planes {
                    let source = x.data + plane * inArea, target = output.data + plane * outArea
                    for oy in 0..<g.outHeight {
                        let ys = g.inputRows(oy)
                        rowMaxima.update(from: source + ys.lowerBound * g.width, count: g.width)
                        for y in ys.dropFirst() {
                            let row = source + y * g.width
                            for i in 0..<g.width { rowMaxima[i] = max(rowMaxima[i], row[i]) }
                        }
                        for ox in 0..<g.outWidth {
                            let xs = g.inputColumns(ox)
                            var best = -Float.infinity
                            for i in xs { best = max(best, rowMaxima[i]) }
                            target[oy * g.outWidth + ox] = best
                        }
                    }
                }
            }
        }
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        if let x = unrecordedInput {  // an inference pass: find the winners now
            recordWinners(x, geometry(x.shape))
            unrecordedInput = nil
        }
        precondition(gradOutput.shape == output.shape, "MaxPool2d gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: inputShape)
        let inArea = inputShape[2] * inputShape[3], outArea = output.shape[2] * output.shape[3]
        winners.withUnsafeBufferPointer { winners in
            Parallel.forEach(inputShape[0] * inputShape[1], grain: 4) { planes in
                for plane in planes {
                    let target = gradInput.data + plane * inArea
                    target.update(repeating: 0, count: inArea)
                    for o in plane * outArea..<(plane + 1) * outArea { target[Int(winners[o])] += gradOutput.data[o] }
                }
            }
        }
        return gradInput
    }
}

/// Mean over square windows of each [H, W] plane; padded cells count as zeros (PyTorch's
/// `count_include_pad=True`).
public final class AvgPool2d: Layer {
    /// Square window side, step between windows, and border added on each side.
    public let kernelSize: Int, stride: Int, padding: Int
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates an average pool; `stride` defaults to `kernelSize` as in PyTorch.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
    }

    /// Calls `body(plane, outputIndex, inputRows, inputColumns)` for every output element.
    private func forEachWindow(_ g: WindowGeometry, planes: Int, _ body: (Int, Int, Range<Int>, Range<Int>) -> Void) {
        let outArea = g.outHeight * g.outWidth
        Parallel.forEach(planes, grain: 4) { range in
            for plane in range {
                for oy in 0..<g.outHeight {
                    let ys = g.inputRows(oy)
                    for ox in 0..<g.outWidth {
                        let xs = g.inputColumns(ox)
                        body(plane, plane * outArea + oy * g.outWidth + ox, ys, xs)
                    }
                }
            }
        }
    }

    private func geometry(_ shape: [Int]) -> WindowGeometry {
        WindowGeometry(planesOf: shape, kernel: kernelSize, stride: stride, padding: padding, layer: "AvgPool2d")
    }

    // input [N, C, H, W] -> output [N, C, Ho, Wo]
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x.shape), inArea = g.height * g.width
        inputShape = x.shape
        output.resize(to: [x.shape[0], x.shape[1], g.outHeight, g.outWidth])
        let scale = 1 / Float(kernelSize * kernelSize)
        forEachWindow(g, planes: x.shape[0] * x.shape[1]) { plane, o, ys, xs in
            let source = x.data + plane * inArea
            var sum: Float = 0
            for y in ys { for x in xs { sum += source[y * g.width + x] } }
            output.data[o] = sum * scale
        }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.shape == output.shape, "AvgPool2d gradient shape \(gradOutput.shape) != \(output.shape)")
        let g = geometry(inputShape), inArea = g.height * g.width
        gradInput.resize(to: inputShape)
        gradInput.zero()
        let scale = 1 / Float(kernelSize * kernelSize)
        // Planes are split between threads, so windows of one plane never race.
        forEachWindow(g, planes: inputShape[0] * inputShape[1]) { plane, o, ys, xs in
            let target = gradInput.data + plane * inArea, share = gradOutput.data[o] * scale
            for y in ys { for x in xs { target[y * g.width + x] += share } }
        }
        return gradInput
    }
}

/// The mean of each [H, W] plane: [N, C, H, W] -> [N, C] (pooling and flattening in one).
public final class GlobalAvgPool2d: Layer {
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// Creates a global average pool.
    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4, "GlobalAvgPool2d expects [N, C, H, W], got \(x.shape)")
        inputShape = x.shape
        let area = x.shape[2] * x.shape[3]
        output.resize(to: [x.shape[0], x.shape[1]])
        Parallel.forEach(output.count, grain: 64) { planes in
            for plane in planes { output.data[plane] = shiftedSums(x.data + plane * area, area, shift: 0).0 / Float(area) }
        }
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.shape == output.shape, "GlobalAvgPool2d gradient shape \(gradOutput.shape) != \(output.shape)")
        gradInput.resize(to: inputShape)
        let area = inputShape[2] * inputShape[3]
        Parallel.forEach(output.count, grain: 64) { planes in
            for plane in planes {
                (gradInput.data + plane * area).update(repeating: gradOutput.data[plane] / Float(area), count: area)
            }
        }
        return gradInput
    }
}
