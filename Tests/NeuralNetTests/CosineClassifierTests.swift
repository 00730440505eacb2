import XCTest
@testable import NeuralNet

extension GradientCheckTests {
    func testCosineClassifier() {
        var g = SplitMix64(seed: 11)
        check(CosineClassifier(inputFeatures: 6, classes: 5, generator: &g), input: randomTensor([4, 6], seed: 12),
              training: true, samples: 12)
    }
}

/// The cosine classifier's outputs and the margin softmax loss.
final class CosineClassifierTests: XCTestCase {
    func testOutputsAreCosines() {
        var g = SplitMix64(seed: 13)
        let layer = CosineClassifier(inputFeatures: 3, classes: 2, generator: &g)
        layer.weight.value.assign(Tensor(shape: [2, 3], values: [2, 0, 0, 0, 0, -5]))
        let out = layer.forward(Tensor(shape: [2, 3], values: [3, 0, 0, 0, 4, 4]), training: false)
        assertClose(out.array, [1, 0, 0, -Float(0.5).squareRoot()], absolute: 1e-6, relative: 0, "cosines")
    }

    func testMarginSoftmaxValueAndGradient() {
        let cosines = randomTensor([3, 4], seed: 14), labels = Tensor(shape: [3, 1], values: [0, 3, 1])
        let (scale, margin): (Float, Float) = (8, 0.3)
        let result = Loss.marginSoftmax(cosines: cosines, labels: labels, scale: scale, margin: margin)
        // The value by hand: mean of -log softmax(scale (cos - margin at the label)) at the label.
        var expected = 0.0
        for row in 0..<3 {
            let label = Int(labels[row])
            let logits = (0..<4).map { Double(scale) * (Double(cosines[row * 4 + $0]) - ($0 == label ? Double(margin) : 0)) }
            expected += log(logits.map(exp).reduce(0, +)) - logits[label]
        }
        XCTAssertEqual(Double(result.value), expected / 3, accuracy: 1e-4)
        for i in [0, 5, 7, 10] {
            let saved = cosines[i]
            cosines[i] = saved + 1e-3
            let plus = Loss.marginSoftmax(cosines: cosines, labels: labels, scale: scale, margin: margin).value
            cosines[i] = saved - 1e-3
            let minus = Loss.marginSoftmax(cosines: cosines, labels: labels, scale: scale, margin: margin).value
            cosines[i] = saved
            XCTAssertEqual(result.gradient[i], (plus - minus) / 2e-3, accuracy: 2e-3, "element \(i)")
        }
    }
}
