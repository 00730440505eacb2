import ConvNet
import XCTest
@testable import NeuralNet

/// Compares the engine with PyTorch on fixtures from tools/torch/golden.py: both sides build the
/// same model with formula weights and run one training step on formula data.
final class GoldenTests: XCTestCase {
    /// The Swift twin of models.py's `tiny_cnn`: [N, 1, 16, 16] -> [N, 5].
    func tinyCNN() -> Sequential {
        var g = SplitMix64(seed: 0)
        return Sequential([
            Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, generator: &g),
            BatchNorm2d(channels: 4), ReLU(), MaxPool2d(kernelSize: 2),
            Conv2d(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1, generator: &g),
            BatchNorm2d(channels: 6), ReLU(), AvgPool2d(kernelSize: 2),
            Flatten(), Linear(inputFeatures: 24, outputFeatures: 5, generator: &g),
        ])
    }

    func testTinyCNNMatchesPyTorch() throws {
        let golden = try SafeTensors.read(contentsOf: fixtureURL("golden_tiny.safetensors")).tensors
        let model = tinyCNN()
        setFormulaWeights(model)
        let x = formulaTensor([2, 1, 16, 16], phase: 0.5), target = formulaTensor([2, 5], phase: 2.0, scale: 0.5)
        let output = model.forward(x, training: true).copy()
        assertClose(output.array, golden["output"]!.array, absolute: 1e-5, relative: 1e-4, "output")
        let (loss, gradient) = Loss.mse(output, target)
        XCTAssertEqual(loss, golden["loss.mse"]![0], accuracy: 1e-5 * golden["loss.mse"]![0])
        model.zeroGrad()
        _ = model.backward(gradient)
        for (name, parameter) in model.parameters {
            let expected = golden["grad.\(name)"]!
            let scale = expected.array.map(abs).max()!
            // Biases of convolutions followed by BatchNorm have zero gradient up to rounding: the 1e-6 floor.
            assertClose(parameter.grad.array, expected.array, absolute: 1e-6 + 1e-4 * scale, relative: 1e-3, "grad \(name)")
        }
        for (name, buffer) in model.buffers {
            assertClose(buffer.array, golden["after_forward.\(name)"]!.array, absolute: 1e-6, relative: 1e-5, name)
        }
        let scaled = Tensor(shape: output.shape, values: output.array.map { $0 * 8 })
        let losses = ["l1": Loss.l1(scaled, target), "smooth_l1": Loss.smoothL1(scaled, target),
                      "wing": Loss.wing(scaled, target)]
        for (name, result) in losses {
            XCTAssertEqual(result.value, golden["loss.\(name)"]![0], accuracy: 1e-5 * abs(golden["loss.\(name)"]![0]) + 1e-6, name)
            assertClose(result.gradient.array, golden["loss_grad.\(name)"]!.array, absolute: 1e-6, relative: 1e-4, "\(name) gradient")
        }
        Adam(parameters: model.parameters.map(\.parameter), learningRate: 0.01, weightDecay: 0.001).step()
        for (name, parameter) in model.parameters {
            assertClose(parameter.value.array, golden["after_adam.\(name)"]!.array, absolute: 2e-6, relative: 1e-5, "Adam \(name)")
        }
        assertClose(model.forward(x, training: false).array, golden["eval_output"]!.array,
                    absolute: 1e-5, relative: 1e-4, "eval output")
    }

    func testPyTorchStateDictLoads() throws {
        let golden = try SafeTensors.read(contentsOf: fixtureURL("golden_tiny.safetensors")).tensors
        let model = tinyCNN()
        let metadata = try model.load(contentsOf: fixtureURL("tiny_state_dict.safetensors"))
        XCTAssertEqual(metadata["format"], "pt")
        let x = formulaTensor([2, 1, 16, 16], phase: 0.5)
        assertClose(model.forward(x, training: false).array, golden["eval_output"]!.array,
                    absolute: 1e-5, relative: 1e-4, "eval output after loading")
    }

    func testResNet18MatchesPyTorch() throws {
        let contents = try SafeTensors.read(contentsOf: fixtureURL("golden_resnet18.safetensors"))
        let golden = contents.tensors
        let model = ResNet18(inputChannels: 1, outputs: 136)
        // Keys and shapes as torchvision names them (num_batches_tracked is PyTorch-only).
        let torchKeys = contents.metadata["state_dict"]!.split(separator: ",").map(String.init)
            .filter { !$0.contains("num_batches_tracked") }
        let ours = model.stateDict.map { "\($0.name):\($0.tensor.shape.map(String.init).joined(separator: "x"))" }
        XCTAssertEqual(Set(ours), Set(torchKeys))
        XCTAssertEqual(ours.count, torchKeys.count)
        setFormulaWeights(model)
        let x = formulaTensor([2, 1, 64, 64], phase: 0.5), target = formulaTensor([2, 136], phase: 2.0, scale: 0.5)
        let output = model.forward(x, training: true)
        let expectedOutput = golden["output"]!.array
        let outputScale = expectedOutput.map(abs).max()!
        assertClose(output.array, expectedOutput, absolute: 1e-4 * outputScale, relative: 1e-3, "output")
        let (loss, gradient) = Loss.mse(output, target)
        XCTAssertEqual(loss, golden["loss.mse"]![0], accuracy: 1e-4 * golden["loss.mse"]![0])
        model.zeroGrad()
        _ = model.backward(gradient)
        for (name, parameter) in model.parameters {
            let expected = golden["grad_summary.\(name)"]!.array  // sum, sum of squares, 8 samples
            let g = parameter.grad.array.map(Double.init)
            let n = g.count
            let sum = g.reduce(0, +), squares = g.reduce(0) { $0 + $1 * $1 }
            let rms = (Double(expected[1]) / Double(n)).squareRoot()
            XCTAssertEqual(squares, Double(expected[1]), accuracy: 2e-3 * Double(expected[1]), "\(name) sum of squares")
            XCTAssertEqual(sum, Double(expected[0]), accuracy: 1e-3 * rms * Double(n), "\(name) sum")
            let picks = (0..<8).map { g[$0 * (n - 1) / 7] }
            for (k, pick) in picks.enumerated() {
                XCTAssertEqual(pick, Double(expected[2 + k]), accuracy: 1e-2 * rms + 1e-3 * abs(Double(expected[2 + k])),
                               "\(name) sample \(k)")
            }
        }
    }
}
