import ConvNet
import XCTest
@testable import NeuralNet

/// Optimisers, schedules, the seeded generator, and a small network fitting a batch.
final class TrainingTests: XCTestCase {
    func parameter(_ values: [Float], grad: [Float]) -> Parameter {
        let p = Parameter(Tensor(shape: [values.count], values: values))
        p.grad.assign(Tensor(shape: [grad.count], values: grad))
        return p
    }

    func testSGDMomentumAndWeightDecay() {
        let p = parameter([1, -2], grad: [0.5, 0.25])
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        sgd.step()  // v = g + wd p
        let v1: [Float] = [0.5 + 0.01, 0.25 - 0.02]
        assertClose(p.value.array, [1 - 0.1 * v1[0], -2 - 0.1 * v1[1]], absolute: 1e-7, relative: 1e-6, "step 1")
        let p1 = p.value.array
        sgd.step()  // v = 0.9 v + g + wd p
        let v2 = (0..<2).map { 0.9 * v1[$0] + [0.5, 0.25][$0] + 0.01 * p1[$0] }
        assertClose(p.value.array, (0..<2).map { p1[$0] - 0.1 * v2[$0] }, absolute: 1e-7, relative: 1e-6, "step 2")
    }

    func testAdamFirstStepMovesByLearningRate() {
        let p = parameter([1, -2, 3], grad: [0.5, -1e-3, 20])
        Adam(parameters: [p], learningRate: 0.01).step()
        // Bias-corrected first step: m/sqrt(v) = sign(g).
        assertClose(p.value.array, [0.99, -1.99, 2.99], absolute: 1e-5, relative: 0, "Adam")
    }

    func testAdamWDecaysDecoupled() {
        let p = parameter([2], grad: [0]), q = parameter([2], grad: [0])
        AdamW(parameters: [p], learningRate: 0.1, weightDecay: 0.5).step()
        XCTAssertEqual(p.value[0], 2 * (1 - 0.1 * 0.5), accuracy: 1e-6, "shrink by lr wd, no gradient step")
        Adam(parameters: [q], learningRate: 0.1, weightDecay: 0.5).step()
        XCTAssertEqual(q.value[0], 2 - 0.1, accuracy: 1e-5, "coupled decay goes through the moments")
    }

    func testSchedules() {
        let step = StepSchedule(base: 1, stepSize: 10, gamma: 0.5)
        XCTAssertEqual([0, 9, 10, 25].map(step.learningRate(at:)), [1, 1, 0.5, 0.25])
        let cosine = CosineSchedule(base: 1, totalSteps: 110, warmupSteps: 10, minimum: 0.1)
        XCTAssertEqual(cosine.learningRate(at: 0), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 9), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 10), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 60), 0.55, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 110), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 500), 0.1, accuracy: 1e-6)
    }

    func testGeneratorIsSeededAndUniform() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(a.next(), c.next())
        let normals = (0..<20000).map { _ in Double(a.normal()) }
        let mean = normals.reduce(0, +) / 20000, variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
        XCTAssertTrue((0..<1000).allSatisfy { _ in (0..<1).contains(a.nextFloat()) })
    }

    func testInitialisationIsDeterministic() {
        XCTAssertEqual(ResNet18(inputChannels: 1, outputs: 4, seed: 5).fc.parameters[0].parameter.value.array,
                       ResNet18(inputChannels: 1, outputs: 4, seed: 5).fc.parameters[0].parameter.value.array)
        var g = SplitMix64(seed: 1)
        let conv = Conv2d(inputChannels: 16, outputChannels: 32, kernelSize: 3, generator: &g)
        let w = conv.weight.value.array.map(Double.init)
        let std = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(std, (2.0 / (32 * 9)).squareRoot(), accuracy: 0.01, "Kaiming normal, fan-out")
    }

    func testAnOptionalGeneratorDrawsTheSameAndNoneLeavesZeros() throws {
        var plain = SplitMix64(seed: 3)
        var optional: SplitMix64? = SplitMix64(seed: 3)
        let a = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, generator: &plain)
        let b = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, generator: &optional)
        XCTAssertEqual(a.weight.value.array, b.weight.value.array)
        XCTAssertEqual(a.bias!.value.array, b.bias!.value.array)
        XCTAssertEqual(plain.next(), optional!.next(), "both generators advanced alike")

        let loaded = ResNet18(inputChannels: 1, outputs: 4, seed: nil)
        let convolutions = loaded.parameters.filter { $0.parameter.value.shape.count == 4 }
        XCTAssertEqual(convolutions.count, 20)
        XCTAssertTrue(convolutions.allSatisfy { $0.parameter.value.array.allSatisfy { $0 == 0 } })
        let drawn = ResNet18(inputChannels: 1, outputs: 4, seed: 5)
        try loaded.load(stateDict: drawn.stateDict.reduce(into: [:]) { $0[$1.name] = $1.tensor })
        let x = Tensor(shape: [1, 1, 32, 32], values: (0..<1024).map { Float(sin(Double($0))) })
        XCTAssertEqual(loaded.forward(x, training: false).array, drawn.forward(x, training: false).array)
    }

    func testFlattenHeadOnAOnePixelMapEqualsAveragePooling() {
        // At 32x32 layer4's map is 1x1, where flattening and averaging are the same function.
        let pooled = ResNet18(inputChannels: 1, outputs: 6, seed: 8)
        let flat = ResNet18(inputChannels: 1, outputs: 6, seed: 8, head: .flatten(height: 1, width: 1))
        let x = randomTensor([2, 1, 32, 32], seed: 9), gradient = randomTensor([2, 6], seed: 10)
        assertClose(flat.forward(x, training: true).array, pooled.forward(x, training: true).array,
                    absolute: 1e-6, relative: 1e-5, "output")
        _ = flat.backward(gradient)
        _ = pooled.backward(gradient)
        assertClose(flat.conv1.weight.grad.array, pooled.conv1.weight.grad.array, absolute: 1e-6, relative: 1e-4, "conv1 gradient")
    }

    func testFlattenHeadReadsTheWholeMap() {
        let model = ResNet18(inputChannels: 1, outputs: 6, seed: 8, head: .flatten(height: 2, width: 2))
        XCTAssertEqual(model.fc.parameters[0].parameter.value.shape, [6, 2048])
        let y = model.forward(randomTensor([3, 1, 64, 64], seed: 11), training: false)
        XCTAssertEqual(y.shape, [3, 6])
    }

    func testPointwiseHeadPredictsPerPositionAndStartsAtZero() {
        let model = ResNet18(inputChannels: 1, outputs: 6, seed: 8, head: .pointwise)
        XCTAssertEqual(model.fc.parameters.map(\.parameter.value.shape), [[6, 512, 1, 1], [6]])
        let y = model.forward(randomTensor([2, 1, 96, 64], seed: 11), training: true)
        XCTAssertEqual(y.shape, [2, 6, 3, 2])
        XCTAssertTrue(y.array.allSatisfy { $0 == 0 }, "a zero head predicts zeros")
        model.zeroGrad()
        _ = model.backward(randomTensor([2, 6, 3, 2], seed: 12))
        XCTAssertGreaterThan(model.fc.parameters[0].parameter.grad.array.map(abs).max()!, 0, "the head learns")
        XCTAssertTrue(model.layer4.parameters.allSatisfy { $0.parameter.grad.array.allSatisfy { $0 == 0 } },
                      "the trained layers are left alone until the head has weights")

        let fine = ResNet18(inputChannels: 1, outputs: 6, seed: 8, head: .pointwise, outputStride: 16)
        XCTAssertEqual(fine.parameters.map(\.parameter.value.shape), model.parameters.map(\.parameter.value.shape),
                       "the same weights")
        XCTAssertEqual(fine.forward(randomTensor([2, 1, 96, 64], seed: 11), training: false).shape, [2, 6, 6, 4])
    }

    func testOutputStride8MergesLayer4IntoLayer2() {
        let model = ResNet18(inputChannels: 1, outputs: 6, seed: 8, head: .pointwise, outputStride: 8)
        let stride16 = ResNet18(inputChannels: 1, outputs: 6, seed: 8, head: .pointwise, outputStride: 16)
        let names = model.parameters.map(\.name)
        XCTAssertEqual(Array(names.prefix(stride16.parameters.count - 2)), Array(stride16.parameters.map(\.name).dropLast(2)),
                       "the backbone's keys are those of the other strides")
        XCTAssertTrue(names.contains("top_down.lateral.weight") && names.contains("top_down.smooth.weight")
                      && names.contains("top_down.bn.weight"), "\(names.suffix(6))")
        XCTAssertEqual(model.fc.parameters.map(\.parameter.value.shape), [[6, 128, 1, 1], [6]])
        // 90x60 input: layer2 12x8 (stride 8, rounded up), layer4 6x4.
        XCTAssertEqual(model.forward(randomTensor([2, 1, 90, 60], seed: 11), training: false).shape, [2, 6, 12, 8])
        XCTAssertEqual(model.forward(randomTensor([1, 1, 72, 40], seed: 11), training: true).shape, [1, 6, 9, 5],
                       "odd map sides: the enlarged coarse map is cut to the fine one")
    }

    func testSmallCNNOverfitsABatch() {
        var g = SplitMix64(seed: 3)
        let model = Sequential([
            Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, generator: &g),
            BatchNorm2d(channels: 4), ReLU(), MaxPool2d(kernelSize: 2),
            Conv2d(inputChannels: 4, outputChannels: 8, kernelSize: 3, padding: 1, generator: &g), ReLU(),
            BlurPool2d(stride: 2), Flatten(), Dropout(probability: 0.1, seed: 4),
            Linear(inputFeatures: 32, outputFeatures: 6, generator: &g),
        ])
        let x = randomTensor([8, 1, 8, 8], seed: 5), target = randomTensor([8, 6], seed: 6)
        let optimizer = Adam(parameters: model.parameters.map(\.parameter), learningRate: 0.01)
        let schedule = CosineSchedule(base: 0.01, totalSteps: 200, warmupSteps: 10)
        var first: Float = 0
        for step in 0..<200 {
            model.zeroGrad()
            let (loss, gradient) = Loss.mse(model.forward(x, training: true), target)
            if step == 0 { first = loss }
            _ = model.backward(gradient)
            optimizer.learningRate = schedule.learningRate(at: step)
            optimizer.step()
        }
        let final = Loss.mse(model.forward(x, training: false), target).value
        XCTAssertLessThan(final, 0.05 * first, "loss \(first) -> \(final)")
    }
}
