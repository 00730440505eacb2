import Foundation
import Imaging
import NeuralNet
import XCTest
@testable import FaceAnalysis

final class IntegralHeadTests: XCTestCase {
    private let head = IntegralHead(points: 2, gridWidth: 3, gridHeight: 2)

    private func coordinates(_ output: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: 2 * head.points)
        output.withUnsafeBufferPointer { head.coordinates($0.baseAddress!, into: &result) }
        return result
    }

    func testEqualScoresAverageTheCellCentresAndASureCellGivesItsVote() {
        // Layout [3P, h, w]: scores of points 0 and 1, x offsets, y offsets; 6 cells each.
        var output = [Float](repeating: 0, count: head.outputCount)
        XCTAssertEqual(head.outputCount, 36)
        for value in coordinates(output) { XCTAssertEqual(value, 0, accuracy: 1e-6, "a 3x2 grid's centres average to the middle") }

        output[6 + 5] = 50  // point 1 is surely in the last cell, centre (2/3, 1/2)
        output[18 + 5] = 0.1  // its x offset there
        output[30 + 5] = -0.2  // its y offset there
        let c = coordinates(output)
        XCTAssertEqual(c[2], 2.0 / 3 + 0.1, accuracy: 1e-5)
        XCTAssertEqual(c[3], 0.5 - 0.2, accuracy: 1e-5)
        XCTAssertEqual(c[0], 0, accuracy: 1e-6, "point 0 unchanged")
        XCTAssertEqual(c[1], 0, accuracy: 1e-6, "point 0 unchanged")
    }

    func testLossGradientMatchesFiniteDifferences() {
        let output = Tensor(shape: [2, 6, 2, 3], values: (0..<72).map { Float(sin(Double($0) * 1.7)) })
        let target = Tensor(shape: [2, 4], values: [0.3, -0.5, -0.2, 0.4, 0.6, 0.1, -0.7, -0.3])
        let analytic = head.loss(output, target, coordinateLoss: Loss.mse).gradient
        XCTAssertEqual(analytic.shape, output.shape)
        for i in [0, 3, 7, 11, 14, 20, 29, 35, 36, 50, 71] {
            let plus = output.copy(), minus = output.copy()
            plus[i] += 1e-3
            minus[i] -= 1e-3
            let numeric = (head.loss(plus, target, coordinateLoss: Loss.mse).value - head.loss(minus, target, coordinateLoss: Loss.mse).value) / 2e-3
            XCTAssertEqual(analytic[i], numeric, accuracy: 1e-3, "element \(i)")
        }
    }

    func testCellLossGradientMatchesFiniteDifferences() {
        let output = Tensor(shape: [2, 6, 2, 3], values: (0..<72).map { Float(cos(Double($0) * 0.9)) })
        let target = Tensor(shape: [2, 4], values: [0.3, -0.5, -0.2, 0.4, 0.6, 0.1, -0.7, -0.3])
        let loss = { (output: Tensor) in self.head.loss(output, target, cellWeight: 2, coordinateLoss: Loss.l1) }
        let plain = head.loss(output, target, coordinateLoss: Loss.l1)
        let analytic = loss(output)
        XCTAssertGreaterThan(analytic.value, plain.value + 1, "the cross-entropy adds to the loss")
        for i in [0, 4, 8, 11, 13, 17, 20, 29, 36, 50] {
            let plus = output.copy(), minus = output.copy()
            plus[i] += 1e-3
            minus[i] -= 1e-3
            XCTAssertEqual(analytic.gradient[i], (loss(plus).value - loss(minus).value) / 2e-3, accuracy: 2e-3, "element \(i)")
        }
    }

    func testCellTargetSplitsAPointOverTheNearestCentres() {
        // 3x2 grid: centres x in {-2/3, 0, 2/3}, y in {-1/2, 1/2}.
        for (x, y) in [(Float(0.25), Float(-0.1)), (-0.9, 0.7), (0, 0.5), (0.7, -0.6)] {
            let cells = head.cellTarget(x: x, y: y)
            XCTAssertEqual(cells.reduce(0) { $0 + $1.weight }, 1, accuracy: 1e-6)
            let meanX = cells.reduce(Float(0)) { $0 + $1.weight * (Float(2 * ($1.cell % 3) + 1) / 3 - 1) }
            let meanY = cells.reduce(Float(0)) { $0 + $1.weight * (Float(2 * ($1.cell / 3) + 1) / 2 - 1) }
            XCTAssertEqual(meanX, min(max(x, -2.0 / 3), 2.0 / 3), accuracy: 1e-5, "x of (\(x), \(y)), clamped to the centres")
            XCTAssertEqual(meanY, min(max(y, -0.5), 0.5), accuracy: 1e-5, "y of (\(x), \(y)), clamped to the centres")
        }
        XCTAssertEqual(head.cellTarget(x: 0.25, y: -0.1).count, 4)
        XCTAssertEqual(head.cellTarget(x: 0, y: 0.5).map(\.cell), [4], "on a centre: that cell alone")
    }

    func testAFinerFeatureStrideIsSavedAndRebuilt() throws {
        var spec = KeypointModelSpec.landmarks(inputSize: 64)
        spec.head = .integral
        spec.featureStride = 16
        XCTAssertEqual(spec.outputCount, 3 * 68 * 4 * 4)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fine-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try TrainedModel(spec: spec, network: spec.makeNetwork(seed: 3)).save(to: url, extra: [:], dtype: .f32)
        let loaded = try TrainedModel(contentsOf: url)
        XCTAssertEqual(loaded.spec.featureStride, 16)
        XCTAssertEqual(loaded.spec.outputCount, spec.outputCount)

        var metadata = spec.metadata
        metadata["feature_stride"] = "4"
        XCTAssertThrowsError(try KeypointModelSpec(metadata: metadata, file: "odd.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("odd.safetensors"), "\(error)")
            XCTAssertTrue("\(error)".contains("not 8, 16 or 32"), "\(error)")
        }
        metadata["feature_stride"] = "8"
        metadata["head"] = HeadKind.pool.rawValue
        XCTAssertThrowsError(try KeypointModelSpec(metadata: metadata, file: "pooled.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("needs the integral head"), "\(error)")
        }
    }

    func testStride8ModelIsSavedAndRebuiltWithItsTopDownStep() throws {
        var spec = KeypointModelSpec.landmarks(inputSize: 64)
        spec.head = .integral
        spec.featureStride = 8
        XCTAssertEqual(spec.outputCount, 3 * 68 * 8 * 8)
        let network = spec.makeNetwork(seed: 3)
        // A head that is not all zeros, so that the saved and rebuilt models' points can differ.
        var draws = SplitMix64(seed: 9)
        for (name, parameter) in network.parameters where name.hasPrefix("fc.") {
            for i in 0..<parameter.value.count { parameter.value[i] = 0.01 * draws.normal() }
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stride8-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let model = TrainedModel(spec: spec, network: network)
        try model.save(to: url, extra: [:], dtype: .f32)
        let loaded = try TrainedModel(contentsOf: url)
        XCTAssertEqual(loaded.spec.featureStride, 8)
        var pixels = [UInt8](repeating: 0, count: 90 * 90)
        for i in pixels.indices {
            let row = i / 90
            pixels[i] = UInt8(truncatingIfNeeded: i * 37 + row * 11)
        }
        let photo = Image(width: 90, height: 90, channels: 1, pixels: pixels)
        let box = Box(x: 20, y: 20, width: 50, height: 50)
        let before = KeypointPredictor(model: model).predict(photo, box: box)
        let after = KeypointPredictor(model: loaded).predict(photo, box: box)
        for (a, b) in zip(before, after) {
            XCTAssertEqual(a.x, b.x, accuracy: 1e-3)
            XCTAssertEqual(a.y, b.y, accuracy: 1e-3)
        }
    }
}
