import Foundation
import XCTest
@testable import NeuralNet

/// A tensor of `shape` with elements uniform in [-1, 1) from a generator seeded with `seed`.
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let t = Tensor(shape: shape)
    for i in 0..<t.count { t[i] = generator.uniform(-1, 1) }
    return t
}

/// A tensor of `shape` holding a seeded shuffle of evenly spaced values in [-1, 1): no two
/// elements are close, so max-pooling has no near-ties for finite differences to trip on.
func distinctTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let values = (0..<count).map { Float(2 * $0 - count) / Float(count) }.shuffled(using: &generator)
    return Tensor(shape: shape, values: values)
}

/// Pseudo-random values in [-1, 1) shared with tools/torch/models.py's `formula`:
/// h = 43758.5453 sin(12.9898 i + phase), 2 frac(h) - 1, in Double, rounded to Float.
func formula(_ count: Int, phase: Double) -> [Float] {
    (0..<count).map {
        let h = sin(Double($0) * 12.9898 + phase) * 43758.5453
        return Float(2 * (h - h.rounded(.down)) - 1)
    }
}

/// A tensor filled from `formula`, times `scale`.
func formulaTensor(_ shape: [Int], phase: Double, scale: Float = 1) -> Tensor {
    let t = Tensor(shape: shape)
    for (i, v) in formula(t.count, phase: phase).enumerated() { t[i] = v * scale }
    return t
}

/// Sets the parameters as tools/torch/models.py's `formula_weights` does.
func setFormulaWeights(_ model: Layer) {
    for (t, (name, parameter)) in model.parameters.enumerated() {
        let p = parameter.value
        let values = formula(p.count, phase: 0.7 * Double(t) + 1.3).map(Double.init)
        for i in 0..<p.count {
            if p.shape.count > 1 {
                p[i] = Float(values[i] * (3.0 / Double(p.count / p.shape[0])).squareRoot())
            } else {
                p[i] = Float(name.hasSuffix("weight") ? 1 + 0.1 * values[i] : 0.1 * values[i])
            }
        }
    }
}

/// The URL of a committed fixture.
func fixtureURL(_ name: String) -> URL {
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
}

/// Asserts |a - b| <= absolute + relative * |b| elementwise, reporting the worst element.
func assertClose(_ a: [Float], _ b: [Float], absolute: Float, relative: Float, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): sizes", file: file, line: line)
    var worst: (index: Int, excess: Float) = (-1, 0)
    for i in 0..<min(a.count, b.count) {
        let excess = abs(a[i] - b[i]) - (absolute + relative * abs(b[i]))
        if excess > worst.excess || !a[i].isFinite { worst = (i, a[i].isFinite ? excess : .infinity) }
    }
    if worst.index >= 0 {
        XCTFail("\(what): element \(worst.index) is \(a[worst.index]), expected \(b[worst.index])", file: file, line: line)
    }
}
