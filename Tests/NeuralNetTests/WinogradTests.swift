import XCTest
@testable import ConvNet
@testable import NeuralNet

/// Winograd's 3x3 convolutions against the im2col path: forward output, input gradient, kernel
/// and bias gradients, on random shapes (odd plane sizes, partial tiles, both tile sides, several
/// chunks of images).
final class WinogradTests: XCTestCase {
    /// A 3x3, stride-1, padding-1 convolution on [images, cin, height, width] random data.
    struct Case {
        let images: Int, cin: Int, cout: Int, height: Int, width: Int
    }

    /// Forward output, input gradient, weight gradient and bias gradient of `conv` on `x` with
    /// output gradient `dy`, each copied.
    func run(_ conv: Conv2d, _ x: Tensor, _ dy: Tensor) -> [[Float]] {
        conv.zeroGrad()
        let y = conv.forward(x, training: true).array
        let dx = conv.backward(dy).array
        return [y, dx, conv.weight.grad.array, conv.bias!.grad.array]
    }

    /// Runs `body` with the portable tile transforms, then with the AVX2 kernels where the CPU has them.
    func forEachTileKernel(_ body: (String) -> Void) {
        let available = vectorTileKernels
        defer { vectorTileKernels = available }
        for vector in available ? [false, true] : [false] {
            vectorTileKernels = vector
            body(vector ? "AVX2 tile kernels" : "portable tile transforms")
        }
    }

    /// Compares the two paths of Conv2d on `c` (Winograd with the layer's own tile choice, with each
    /// kind of tile transform).
    func compare(_ c: Case, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var generator = SplitMix64(seed: seed)
        let conv = Conv2d(inputChannels: c.cin, outputChannels: c.cout, kernelSize: 3, padding: 1, generator: &generator)
        let x = randomTensor([c.images, c.cin, c.height, c.width], seed: seed + 1)
        let dy = randomTensor([c.images, c.cout, c.height, c.width], seed: seed + 2)
        defer { Conv2d.winogradPolicy = .whenItPays }
        Conv2d.winogradPolicy = .never
        let reference = run(conv, x, dy)
        Conv2d.winogradPolicy = .always
        forEachTileKernel { kernels in
            let winograd = run(conv, x, dy)
            for (index, name) in ["output", "input gradient", "weight gradient", "bias gradient"].enumerated() {
                let scale = reference[index].map(abs).max()!
                assertClose(winograd[index], reference[index], absolute: 1e-5 * scale, relative: 1e-4,
                            "\(name) of \(c), \(kernels)", file: file, line: line)
            }
        }
    }

    func testMatchesIm2colOnRandomShapes() {
        var generator = SplitMix64(seed: 5)
        for trial in 0..<6 {
            let c = Case(images: 1 + Int(generator.next() % 3), cin: 32 + Int(generator.next() % 9),
                         cout: 32 + Int(generator.next() % 9), height: 1 + Int(generator.next() % 13),
                         width: 1 + Int(generator.next() % 13))
            compare(c, seed: 100 + UInt64(trial))
        }
    }

    func testSmallBatchesOnSmallPlanesKeepIm2col() {
        // Batch 1 at 5x5 with 512 channels: transforming the kernels would cost more than it saves.
        let small = WinogradConvolution(inputChannels: 512, outputChannels: 512, height: 5, width: 5)
        XCTAssertFalse(small.pays(images: 1))
        XCTAssertTrue(small.pays(images: 32))
        XCTAssertTrue(WinogradConvolution(inputChannels: 64, outputChannels: 64, height: 40, width: 40).pays(images: 1))
    }

    func testOddPlanesAndBothTileSides() {
        // ResNet18's planes at 160x160: F(4x4) at 40x40 and 20x20, F(5x5) at 10x10 and 5x5; partial
        // tiles on the odd planes.
        for (side, channels, expected) in [(40, 64, 4), (20, 128, 4), (10, 256, 5), (5, 512, 5)] {
            XCTAssertEqual(WinogradConvolution.tileSide(height: side, width: side, inputChannels: channels, outputChannels: channels),
                           expected, "\(side)x\(side)")
        }
        XCTAssertEqual(WinogradConvolution.tileSide(height: 12, width: 12, inputChannels: 32, outputChannels: 33), 4)
        for (index, (height, width)) in [(5, 5), (12, 12), (11, 9), (3, 17), (1, 2)].enumerated() {
            compare(Case(images: 2, cin: 32, cout: 33, height: height, width: width), seed: 200 + UInt64(index))
        }
    }

    func testGroupsOfTilesAcrossManyImages() {
        // One 4x4 tile per image: a group of 16 tiles spans 16 images (and 19 wrap the padded copies);
        // 6 tiles per 8x11 image: a group spans 4 images.
        XCTAssertEqual(WinogradConvolution.tileSide(height: 4, width: 4, inputChannels: 32, outputChannels: 32), 4)
        compare(Case(images: 19, cin: 32, cout: 32, height: 4, width: 4), seed: 400)
        compare(Case(images: 7, cin: 32, cout: 34, height: 8, width: 11), seed: 401)
    }

    func testKernelsTransformedInBlocksOfChannels() {
        // A budget of 9 channels of 35: 37 output channels in 5 blocks of 8, 8, 8, 8 and 5.
        let saved = WinogradConvolution.kernelBlockBudget
        defer { WinogradConvolution.kernelBlockBudget = saved }
        WinogradConvolution.kernelBlockBudget = 49 * 35 * 9
        XCTAssertEqual(WinogradConvolution.kernelBlock(a2: 49, inputs: 35, outputs: 37), 8)
        compare(Case(images: 3, cin: 35, cout: 37, height: 5, width: 5), seed: 500)
        compare(Case(images: 2, cin: 33, cout: 34, height: 12, width: 9), seed: 501)
    }

    func testForcedTileSidesAndChunks() {
        let saved = WinogradConvolution.chunkBudget
        defer { WinogradConvolution.chunkBudget = saved }
        WinogradConvolution.chunkBudget = 4096  // one image per chunk: gradients summed over chunks
        for side in [2, 4, 5] {
            let (images, cin, cout, height, width) = (3, 5, 7, 9, 10)
            let x = randomTensor([images, cin, height, width], seed: 300)
            let dy = randomTensor([images, cout, height, width], seed: 301)
            var generator = SplitMix64(seed: 302)
            let conv = Conv2d(inputChannels: cin, outputChannels: cout, kernelSize: 3, padding: 1, bias: false, generator: &generator)
            let expectedOutput = conv.forward(x, training: true).copy()  // im2col: fewer than 32 channels
            let expectedInputGradient = conv.backward(dy).copy()
            let winograd = WinogradConvolution(inputChannels: cin, outputChannels: cout, height: height, width: width, tileSide: side)
            forEachTileKernel { kernels in
                let output = Tensor(shape: expectedOutput.shape), gradInput = Tensor(shape: x.shape)
                let kernelGradient = Tensor(shape: conv.weight.value.shape)
                winograd.forward(x.data, images: images, kernels: conv.weight.value.data, bias: nil, into: output.data)
                winograd.backward(input: x.data, gradOutput: dy.data, images: images, kernels: conv.weight.value.data,
                                  kernelGradient: kernelGradient.data, gradInput: gradInput.data)
                for (name, got, expected) in [("output", output, expectedOutput), ("input gradient", gradInput, expectedInputGradient),
                                              ("kernel gradient", kernelGradient, conv.weight.grad)] {
                    let scale = expected.array.map(abs).max()!
                    assertClose(got.array, expected.array, absolute: 1e-5 * scale, relative: 1e-4, "F(\(side)) \(name), \(kernels)")
                }
            }
        }
    }
}
