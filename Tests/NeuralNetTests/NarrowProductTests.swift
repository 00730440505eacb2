import XCTest
@testable import ConvNet
@testable import NeuralNet

/// The narrow matrix product (dot products of rows, no packing) against OpenBLAS's sgemm, and the
/// convolutions that use it against the same convolutions through sgemm.
final class NarrowProductTests: XCTestCase {
    func testMatchesSgemmWithPartialBlocks() {
        guard cpuRunsVectorKernels else { return XCTAssertEqual(narrowProductColumns, 0, "without AVX2, sgemm computes every product") }
        // Rows and columns off the kernel's 4x3 register blocks, depths off its 8 lanes.
        for (trial, (m, n, k)) in [(1, 1, 1), (7, 5, 13), (4, 3, 8), (9, 25, 4608), (13, 64, 77), (6, 2, 300)].enumerated() {
            let a = randomTensor([m, k], seed: 170 + UInt64(trial)).array, b = randomTensor([k, n], seed: 180 + UInt64(trial)).array
            var expected = [Float](repeating: 0, count: m * n), narrow = expected
            var scratch = [Float](repeating: .nan, count: n * k)
            gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: 0, c: &expected, ldc: n)
            narrowProduct(m: m, n: n, k: k, a: a, b: b, scratch: &scratch, c: &narrow)
            let scale = Float(k).squareRoot()
            assertClose(narrow, expected, absolute: 1e-5 * scale, relative: 1e-5, "\(m)x\(k) times \(k)x\(n)")
        }
    }

    func testTransposeSwapsRowsAndColumns() {
        let rows = 130, columns = 3  // more than two bands of 64 rows
        let matrix = (0..<rows * columns).map(Float.init)
        var transposed = [Float](repeating: 0, count: rows * columns)
        transpose(matrix, rows: rows, columns: columns, into: &transposed)
        for row in 0..<rows {
            for column in 0..<columns { XCTAssertEqual(transposed[column * rows + row], matrix[row * columns + column]) }
        }
    }

    func testConvolutionsWithFewOutputPositionsMatchSgemm() {
        guard cpuRunsVectorKernels else { return XCTAssertEqual(narrowProductColumns, 0, "without AVX2, sgemm computes every product") }
        let columns = narrowProductColumns
        defer { narrowProductColumns = columns }
        var generator = SplitMix64(seed: 23)
        // ResNet18's layer4 shapes at batch 1 and 2, scaled down: 3x3/1 and 3x3/2 into 5x5 planes,
        // a 1x1/2 projection, and a padded 3x3 on an odd plane with a bias.
        let cases: [(images: Int, cin: Int, cout: Int, kernel: Int, stride: Int, padding: Int, side: Int, bias: Bool)] = [
            (1, 40, 24, 3, 1, 1, 5, false), (2, 40, 24, 3, 1, 1, 5, false), (1, 24, 40, 3, 2, 1, 10, false),
            (1, 24, 40, 1, 2, 0, 10, false), (1, 9, 6, 3, 1, 1, 7, true),
        ]
        for (trial, c) in cases.enumerated() {
            let conv = Conv2d(inputChannels: c.cin, outputChannels: c.cout, kernelSize: c.kernel, stride: c.stride,
                              padding: c.padding, bias: c.bias, generator: &generator)
            let x = randomTensor([c.images, c.cin, c.side, c.side], seed: 230 + UInt64(trial))
            narrowProductColumns = 0
            let expected = conv.forward(x, training: false).array
            narrowProductColumns = columns
            let narrow = conv.forward(x, training: false).array
            assertClose(narrow, expected, absolute: 1e-5, relative: 1e-4, "\(c)")
        }
    }
}
