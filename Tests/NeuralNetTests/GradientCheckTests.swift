import XCTest
@testable import ConvNet
@testable import NeuralNet

/// Finite-difference checks of every layer's input and parameter gradients.
final class GradientCheckTests: XCTestCase {
    /// Compares `backward` against central differences of L = sum(forward(x) * r) for a fixed
    /// random r, at up to `samples` elements of the input and of each parameter.
    func check(_ layer: Layer, input: Tensor, training: Bool, samples: Int = 10, step: Float = 1e-3,
               file: StaticString = #filePath, line: UInt = #line) {
        let projection = randomTensor(layer.forward(input, training: training).shape, seed: 99)
        func loss() -> Double {
            let out = layer.forward(input, training: training)
            return (0..<out.count).reduce(0) { $0 + Double(out[$1]) * Double(projection[$1]) }
        }
        layer.zeroGrad()
        _ = layer.forward(input, training: training)
        let inputGrad = layer.backward(projection).copy()
        // Accumulation: a second backward doubles the parameter gradients.
        let once = layer.parameters.map { $0.parameter.grad.copy() }
        _ = layer.forward(input, training: training)
        _ = layer.backward(projection)
        for ((name, parameter), first) in zip(layer.parameters, once) {
            assertClose(parameter.grad.array, first.array.map { 2 * $0 }, absolute: 1e-5, relative: 1e-5,
                        "\(name) accumulates", file: file, line: line)
            parameter.grad.assign(first)
        }
        var targets: [(String, Tensor, Tensor)] = [("input", input, inputGrad)]
        targets += layer.parameters.map { ($0.name, $0.parameter.value, $0.parameter.grad) }
        var generator = SplitMix64(seed: 7)
        for (name, tensor, analytic) in targets {
            for _ in 0..<min(samples, tensor.count) {
                let i = Int(generator.next() % UInt64(tensor.count)), saved = tensor[i]
                tensor[i] = saved + step
                let plus = loss()
                tensor[i] = saved - step
                let minus = loss()
                tensor[i] = saved
                let numeric = Float((plus - minus) / Double(2 * step))
                XCTAssertEqual(analytic[i], numeric, accuracy: 3e-3 + 2e-2 * abs(numeric),
                               "\(name)[\(i)] (training: \(training))", file: file, line: line)
            }
        }
    }

    func testConv2dWithBiasPadding() {
        var g = SplitMix64(seed: 1)
        check(Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, generator: &g),
              input: randomTensor([2, 2, 5, 6], seed: 2), training: true)
    }

    func testConv2dStridedWithoutBiasInBothChunkings() {
        let saved = Conv2d.columnBudget
        defer { Conv2d.columnBudget = saved }
        for budget in [1, 1 << 20] {  // one image per sgemm (direct path), all images in one sgemm
            Conv2d.columnBudget = budget
            var g = SplitMix64(seed: 3)
            check(Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: 2, padding: 1, bias: false,
                         generator: &g), input: randomTensor([3, 3, 7, 6], seed: 4), training: true)
        }
    }

    func testConv2dPointwiseStrided() {
        var g = SplitMix64(seed: 5)
        check(Conv2d(inputChannels: 3, outputChannels: 2, kernelSize: 1, stride: 2, generator: &g),
              input: randomTensor([2, 3, 5, 5], seed: 6), training: true)
    }

    func testConv2dPointwiseMultipliesImagesInPlace() {
        var g = SplitMix64(seed: 25)
        check(Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 1, generator: &g),
              input: randomTensor([3, 3, 4, 5], seed: 26), training: true)
    }

    func testBatchNormBothModes() {
        let bn = BatchNorm2d(channels: 3)
        setFormulaWeights(bn)
        let x = randomTensor([4, 3, 3, 2], seed: 8)
        check(bn, input: x, training: true)
        XCTAssertNotEqual(bn.runningMean[0], 0, "training moves the running mean")
        check(bn, input: x, training: false)
    }

    func testBatchNormWithFusedReLUBothModes() {
        let bn = BatchNorm2d(channels: 3, fusedReLU: true)
        setFormulaWeights(bn)
        let x = randomTensor([4, 3, 3, 2], seed: 24)
        check(bn, input: x, training: true)
        check(bn, input: x, training: false)
        let reference = BatchNorm2d(channels: 3)
        setFormulaWeights(reference)
        let y = bn.forward(x, training: true), z = reference.forward(x, training: true)
        XCTAssertEqual(y.array, z.array.map { max($0, 0) })
        XCTAssertTrue(y.array.contains(0) && y.array.contains { $0 > 0 })
    }

    func testFusedReLUMatchesSeparateLayersOnWidePlanes() {
        // 35 elements a plane: two vectors of 16 and a tail.
        let x = randomTensor([2, 3, 5, 7], seed: 27), dy = randomTensor([2, 3, 5, 7], seed: 28)
        let fused = BatchNorm2d(channels: 3, fusedReLU: true), plain = BatchNorm2d(channels: 3), relu = ReLU()
        setFormulaWeights(fused)
        setFormulaWeights(plain)
        XCTAssertEqual(fused.forward(x, training: true).array, relu.forward(plain.forward(x, training: true), training: true).array)
        assertClose(fused.backward(dy).array, plain.backward(relu.backward(dy)).array, absolute: 1e-6, relative: 1e-5, "input gradient")
        assertClose(fused.weight.grad.array, plain.weight.grad.array, absolute: 1e-6, relative: 1e-5, "weight gradient")
        assertClose(fused.bias.grad.array, plain.bias.grad.array, absolute: 1e-6, relative: 1e-5, "bias gradient")
    }

    func testReLU() {
        check(ReLU(), input: randomTensor([2, 3, 4, 4], seed: 9), training: true)
    }

    func testMaxPool() {
        check(MaxPool2d(kernelSize: 2), input: distinctTensor([2, 2, 4, 6], seed: 10), training: true)
        check(MaxPool2d(kernelSize: 3, stride: 2, padding: 1), input: distinctTensor([1, 2, 7, 5], seed: 11), training: true)
    }

    func testAvgPool() {
        check(AvgPool2d(kernelSize: 2), input: randomTensor([2, 2, 4, 6], seed: 12), training: true)
        check(AvgPool2d(kernelSize: 3, stride: 2, padding: 1), input: randomTensor([1, 2, 7, 5], seed: 13), training: true)
    }

    func testGlobalAvgPool() {
        check(GlobalAvgPool2d(), input: randomTensor([2, 3, 3, 4], seed: 14), training: true)
    }

    func testBlurPool() {
        let pool = BlurPool2d(stride: 2)
        let out = pool.forward(Tensor(shape: [1, 1, 5, 6], repeating: 2), training: false)
        XCTAssertEqual(out.shape, [1, 1, 3, 3])
        XCTAssertTrue(out.array.allSatisfy { abs($0 - 2) < 1e-6 }, "blur keeps a constant image")
        check(pool, input: randomTensor([2, 2, 5, 6], seed: 15), training: true)
    }

    func testLinearAndFlatten() {
        var g = SplitMix64(seed: 16)
        check(Sequential([Flatten(), Linear(inputFeatures: 12, outputFeatures: 4, generator: &g)]),
              input: randomTensor([3, 3, 2, 2], seed: 17), training: true)
    }

    func testDropout() {
        let dropout = Dropout(probability: 0.5, seed: 3)
        let x = randomTensor([4, 50], seed: 18)
        check(dropout, input: x, training: false)
        let y = dropout.forward(x, training: true).copy()
        let dy = randomTensor([4, 50], seed: 19)
        let dx = dropout.backward(dy)
        let zeros = y.array.filter { $0 == 0 }.count
        XCTAssertTrue((60...140).contains(zeros), "about half dropped, got \(zeros) of 200")
        for i in 0..<x.count {
            XCTAssertEqual(dx[i], y[i] == 0 ? 0 : 2 * dy[i], accuracy: 1e-6)
            XCTAssertEqual(y[i], y[i] == 0 ? 0 : 2 * x[i], accuracy: 1e-6)
        }
    }

    func testBasicBlockWithDownsampleBothModes() {
        var g: SplitMix64? = SplitMix64(seed: 20)
        let block = BasicBlock(inputChannels: 2, outputChannels: 3, stride: 2, generator: &g)
        let x = randomTensor([2, 2, 6, 6], seed: 21)
        check(block, input: x, training: true, samples: 6)
        check(block, input: x, training: false, samples: 6)
    }

    func testBasicBlockIdentity() {
        var g: SplitMix64? = SplitMix64(seed: 22)
        check(BasicBlock(inputChannels: 2, outputChannels: 2, stride: 1, generator: &g),
              input: randomTensor([2, 2, 4, 4], seed: 23), training: true, samples: 6)
    }

    /// A layer around `TopDownMerge`: the fine map is the input, the coarse map a fixed strided 1x1
    /// convolution of it (ceil(h/2) x ceil(w/2)), so both of the merge's inputs carry gradients back.
    private final class MergeProbe: Layer {
        let merge: TopDownMerge
        let pool: Conv2d
        init(channels: Int, generator: inout SplitMix64?) {
            pool = Conv2d(inputChannels: channels, outputChannels: 3, kernelSize: 1, stride: 2, bias: false, generator: &generator)
            merge = TopDownMerge(coarseChannels: 3, fineChannels: channels, generator: &generator)
        }
        var parameters: [NamedParameter] { merge.children.flatMap { prefixed($0.0, $0.1.parameters) } }
        func forward(_ x: Tensor, training: Bool) -> Tensor {
            merge.forward(fine: x, coarse: pool.forward(x, training: training), training: training)
        }
        func backward(_ gradOutput: Tensor) -> Tensor {
            let (fine, coarse) = merge.backward(gradOutput)
            let total = pool.backward(coarse).copy()
            for i in 0..<total.count { total[i] += fine[i] }
            return total
        }
    }

    func testTopDownMergeOnEvenAndOddMaps() {
        var g: SplitMix64? = SplitMix64(seed: 24)
        let probe = MergeProbe(channels: 2, generator: &g)
        check(probe, input: randomTensor([2, 2, 4, 6], seed: 25), training: true, samples: 8)
        check(probe, input: randomTensor([2, 2, 5, 3], seed: 26), training: true, samples: 8)
        check(probe, input: randomTensor([2, 2, 5, 3], seed: 27), training: false, samples: 8, step: 1e-4)  // a ReLU input lies within 1e-3 of its kink
    }
}
