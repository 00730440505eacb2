import Foundation

/// The cosine of each input with each class's weight vector: both are scaled to unit length first
/// (the classifier of margin-based softmax losses such as CosFace and ArcFace). Parameter: `weight`
/// [classes, features].
public final class CosineClassifier: Layer {
    /// Features in, classes out.
    public let inputFeatures: Int, classes: Int
    /// One weight vector per class, [classes, features].
    public let weight: Parameter

    private let unitInput = Tensor(shape: [0]), unitWeight = Tensor(shape: [0])
    private var inputNorms = [Float](), weightNorms = [Float]()
    private let output = Tensor(shape: [0]), gradInput = Tensor(shape: [0]), gradUnitWeight = Tensor(shape: [0])

    /// A classifier with weights drawn uniformly in ±1/sqrt(features) from `generator`.
    public init(inputFeatures: Int, classes: Int, generator: inout SplitMix64) {
        self.inputFeatures = inputFeatures
        self.classes = classes
        let bound = 1 / Float(inputFeatures).squareRoot()
        let w = Tensor(shape: [classes, inputFeatures])
        for i in 0..<w.count { w[i] = generator.uniform(-bound, bound) }
        weight = Parameter(w)
    }

    public var parameters: [NamedParameter] { [(name: "weight", parameter: weight)] }

    // input [N, features] -> output [N, classes], each entry in -1...1
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[1] == inputFeatures,
                     "CosineClassifier expects [N, \(inputFeatures)], got \(x.shape)")
        let n = x.shape[0]
        unitInput.resize(to: x.shape)
        inputNorms = CosineClassifier.normaliseRows(x, into: unitInput)
        unitWeight.resize(to: weight.value.shape)
        weightNorms = CosineClassifier.normaliseRows(weight.value, into: unitWeight)
        output.resize(to: [n, classes])
        gemm(transposeB: true, m: n, n: classes, k: inputFeatures, a: unitInput.data, lda: inputFeatures,
             b: unitWeight.data, ldb: inputFeatures, beta: 0, c: output.data, ldc: classes)
        return output
    }

    // gradOutput [N, classes] -> gradInput [N, features]; accumulates the weight gradient
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.shape == output.shape, "CosineClassifier gradient shape \(gradOutput.shape) != \(output.shape)")
        let n = unitInput.shape[0]
        // Gradients with respect to the unit vectors, then through the scaling to unit length.
        gradInput.resize(to: unitInput.shape)
        gemm(m: n, n: inputFeatures, k: classes, a: gradOutput.data, lda: classes, b: unitWeight.data,
             ldb: inputFeatures, beta: 0, c: gradInput.data, ldc: inputFeatures)
        CosineClassifier.projectOutOfRows(gradInput, unit: unitInput, norms: inputNorms, accumulatingInto: nil)
        gradUnitWeight.resize(to: weight.value.shape)
        gemm(transposeA: true, m: classes, n: inputFeatures, k: n, a: gradOutput.data, lda: classes, b: unitInput.data,
             ldb: inputFeatures, beta: 0, c: gradUnitWeight.data, ldc: inputFeatures)
        CosineClassifier.projectOutOfRows(gradUnitWeight, unit: unitWeight, norms: weightNorms, accumulatingInto: weight.grad)
        return gradInput
    }

    /// Writes each row of `x` [R, C] scaled to unit length into `unit`; returns the rows' lengths.
    static func normaliseRows(_ x: Tensor, into unit: Tensor) -> [Float] {
        let rows = x.shape[0], columns = x.count / max(rows, 1)
        return (0..<rows).map { row in
            let source = x.data + row * columns, target = unit.data + row * columns
            var sum: Float = 0
            for i in 0..<columns { sum += source[i] * source[i] }
            let norm = max(sum.squareRoot(), 1e-12)
            for i in 0..<columns { target[i] = source[i] / norm }
            return norm
        }
    }

    /// Turns the gradient `g` with respect to unit rows `u = x / |x|` into the gradient with respect to
    /// `x`: (g - u (u . g)) / |x|, in place, or added into `accumulatingInto` when given.
    static func projectOutOfRows(_ g: Tensor, unit: Tensor, norms: [Float], accumulatingInto sum: Tensor?) {
        let columns = g.count / max(norms.count, 1)
        for (row, norm) in norms.enumerated() {
            let gr = g.data + row * columns, ur = unit.data + row * columns
            var dot: Float = 0
            for i in 0..<columns { dot += ur[i] * gr[i] }
            let target = (sum ?? g).data + row * columns
            for i in 0..<columns {
                let value = (gr[i] - ur[i] * dot) / norm
                target[i] = sum == nil ? value : target[i] + value
            }
        }
    }
}

extension Loss {
    /// Large-margin cosine loss (CosFace, Wang et al. 2018) on cosines [N, classes] from a
    /// `CosineClassifier`: softmax cross-entropy of `scale * (cos - margin [class == label])`, mean over
    /// the batch. `labels` [N, 1] holds class indices. The gradient is with respect to the cosines.
    public static func marginSoftmax(cosines: Tensor, labels: Tensor, scale: Float, margin: Float) -> Result {
        let n = cosines.shape[0], classes = cosines.shape[1]
        precondition(labels.count == n, "one label per row: \(labels.count) labels for \(n) rows")
        let gradient = Tensor(shape: cosines.shape)
        var total = 0.0
        for row in 0..<n {
            let label = Int(labels.data[row])
            precondition((0..<classes).contains(label), "label \(label) outside 0..<\(classes)")
            let c = cosines.data + row * classes, g = gradient.data + row * classes
            for k in 0..<classes { g[k] = scale * (c[k] - (k == label ? margin : 0)) }
            let top = (0..<classes).reduce(-Float.infinity) { max($0, g[$1]) }
            var sum: Double = 0
            for k in 0..<classes { sum += exp(Double(g[k] - top)) }
            total += log(sum) + Double(top - g[label])
            for k in 0..<classes {
                let p = Float(exp(Double(g[k] - top)) / sum)
                g[k] = scale * (p - (k == label ? 1 : 0)) / Float(n)
            }
        }
        return (Float(total / Double(n)), gradient)
    }
}
