import XCTest
@testable import ConvNet
@testable import NeuralNet

/// The inference shortcuts against the layers they stand for: frozen weights with kernels prepared
/// once, the fused end of a residual block, max pooling without positions.
final class InferenceTests: XCTestCase {
    /// Outputs of a small ResNet18 (32x32 input, so layer3 and layer4 run on 2x2 and 1x1 planes) on two
    /// batch sizes, and a frozen ResNet18's output on 160x160 (ResNet18's own plane sizes).
    func testFrozenWeightsGiveTheSameOutputs() {
        for (side, images) in [(32, 3), (160, 1)] {
            let model = ResNet18(inputChannels: 1, outputs: 8, seed: 3)
            let x = randomTensor([images, 1, side, side], seed: 4)
            let expected = model.forward(x, training: false).array
            model.freezeForInference()
            XCTAssertTrue(model.parameters.allSatisfy { $0.parameter.isFrozen })
            let first = model.forward(x, training: false).array, second = model.forward(x, training: false).array
            let scale = expected.map(abs).max()!
            assertClose(first, expected, absolute: 1e-4 * scale, relative: 1e-3, "frozen \(side)x\(side), first pass")
            XCTAssertEqual(second, first, "frozen \(side)x\(side): the prepared kernels are reused as made")
        }
    }

    func testPreparedKernelsChooseTheCheapestFormPerPlane() {
        // At batch 1, frozen: F(4x4) on 40x40 and 20x20, F(2x2) on 10x10 (its transformed kernels
        // are the smallest), im2col on 5x5 (any transformed kernels outweigh the products saved), and
        // im2col for 512 channels at 10x10 (F(2x2)'s 16.8 MB of kernels exceed the budget).
        for (side, channels, expected) in [(40, 64, 4), (20, 128, 4), (10, 256, 2), (5, 512, 0), (10, 512, 0), (5, 256, 0)] {
            let winograd = WinogradConvolution.withPreparedKernels(inputChannels: channels, outputChannels: channels,
                                                                   height: side, width: side, images: 1)
            XCTAssertEqual(winograd?.tileSide ?? 0, expected, "\(side)x\(side), \(channels) channels")
        }
        // Four images share one kernel read: F(2x2) on 5x5 too.
        XCTAssertEqual(WinogradConvolution.withPreparedKernels(inputChannels: 256, outputChannels: 256, height: 5,
                                                               width: 5, images: 4)?.tileSide, 2)
    }

    func testOneSetOfPreparedKernelsServesSmallBatchesAndLargeOnesTransformTheirOwn() {
        var generator = SplitMix64(seed: 5)
        let conv = Conv2d(inputChannels: 256, outputChannels: 256, kernelSize: 3, padding: 1, bias: false, generator: &generator)
        conv.freezeForInference()
        _ = conv.forward(randomTensor([8, 256, 10, 10], seed: 6), training: false)
        XCTAssertEqual(conv.preparedKernelBytes, 0, "a batch of 8 transforms its kernels itself")
        _ = conv.forward(randomTensor([1, 256, 10, 10], seed: 6), training: false)
        XCTAssertEqual(conv.preparedKernelBytes, 16 * 256 * 256 * 4, "one image: F(2x2) kernels, 4x4 per pair")
        _ = conv.forward(randomTensor([4, 256, 10, 10], seed: 6), training: false)
        XCTAssertEqual(conv.preparedKernelBytes, 16 * 256 * 256 * 4, "four images reuse them")
    }

    func testLoadingWeightsThawsThemAndNewKernelsAreUsed() throws {
        var generator = SplitMix64(seed: 6)
        let conv = Conv2d(inputChannels: 32, outputChannels: 32, kernelSize: 3, padding: 1, generator: &generator)
        let x = randomTensor([1, 32, 10, 10], seed: 7)
        conv.freezeForInference()
        let before = conv.forward(x, training: false).array
        let doubled = conv.stateDict.map { (name: $0.name, tensor: Tensor(shape: $0.tensor.shape, values: $0.tensor.array.map { 2 * $0 })) }
        try conv.load(stateDict: Dictionary(uniqueKeysWithValues: doubled.map { ($0.name, $0.tensor) }))
        XCTAssertFalse(conv.weight.isFrozen)
        conv.freezeForInference()
        let after = conv.forward(x, training: false).array
        assertClose(after, before.map { 2 * $0 }, absolute: 1e-4, relative: 1e-4, "output of doubled weights and bias")
    }

    /// (Back-propagation after the fused step: GradientCheckTests' inference-mode BasicBlock.)
    func testTheFusedBlockEndMatchesTheSeparateLayers() {
        var generator: SplitMix64? = SplitMix64(seed: 8)
        let block = BasicBlock(inputChannels: 3, outputChannels: 4, stride: 2, generator: &generator)
        for (name, tensor) in block.buffers {  // running statistics away from 0 and 1
            for i in 0..<tensor.count { tensor[i] = name.hasSuffix("mean") ? 0.1 * Float(i) - 0.2 : 0.5 + 0.1 * Float(i) }
        }
        let x = randomTensor([2, 3, 6, 6], seed: 9)
        let fused = block.forward(x, training: false).copy()
        let y = block.bn1.forward(block.conv1.forward(x, training: false), training: false)
        let main = block.bn2.forward(block.conv2.forward(y, training: false), training: false)
        let shortcut = block.downsample!.forward(x, training: false)
        let expected = zip(main.array, shortcut.array).map { max($0 + $1, 0) }
        assertClose(fused.array, expected, absolute: 1e-6, relative: 1e-5, "fused block end")
        XCTAssertTrue(fused.array.contains { $0 == 0 } && fused.array.contains { $0 > 0 }, "the rectifier cuts some values")
    }

    func testMaxPoolWithoutPositionsMatchesAndStillBackPropagates() {
        for (kernel, stride, padding) in [(3, 2, 1), (2, 2, 0), (3, 1, 1)] {
            let pool = MaxPool2d(kernelSize: kernel, stride: stride, padding: padding)
            let x = distinctTensor([2, 3, 9, 8], seed: UInt64(11 + kernel))
            let dy = randomTensor(pool.forward(x, training: true).shape, seed: 12)
            let expected = pool.forward(x, training: true).copy(), expectedGradient = pool.backward(dy).copy()
            XCTAssertEqual(pool.forward(x, training: false).array, expected.array, "kernel \(kernel) stride \(stride)")
            XCTAssertEqual(pool.backward(dy).array, expectedGradient.array, "gradient after an inference pass")
        }
    }
}
