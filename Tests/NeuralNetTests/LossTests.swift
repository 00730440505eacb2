import Foundation
import XCTest
@testable import NeuralNet

final class LossTests: XCTestCase {
    func testBinaryCrossEntropyValueAndGradient() {
        let logits = Tensor(shape: [4, 1], values: [0, 2, -3, 40])
        let targets = Tensor(shape: [4, 1], values: [1, 0, 0, 1])
        let result = Loss.binaryCrossEntropy(logits: logits, targets: targets)
        // -log σ(0), -log(1 - σ(2)), -log(1 - σ(-3)), -log σ(40), averaged.
        let expected = (log(2.0) + log(1 + exp(2.0)) + log(1 + exp(-3.0)) + log(1 + exp(-40.0))) / 4
        XCTAssertEqual(Double(result.value), expected, accuracy: 1e-6)
        for i in 0..<4 {
            let plus = logits.copy(), minus = logits.copy()
            plus[i] += 1e-2
            minus[i] -= 1e-2
            let numeric = (Loss.binaryCrossEntropy(logits: plus, targets: targets).value
                - Loss.binaryCrossEntropy(logits: minus, targets: targets).value) / 2e-2
            XCTAssertEqual(result.gradient[i], numeric, accuracy: 1e-3, "element \(i)")
        }
    }
}
