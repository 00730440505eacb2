import FaceData
import Foundation
import Imaging
import NeuralNet
import XCTest
@testable import CourseModels
@testable import FaceAnalysis
@testable import Training

final class CascadeTests: XCTestCase {
    func testSecondStageCropsSitAroundTheFirstGuess() {
        let points = (0..<58).map { Point(x: 200 + Double($0 % 8) * 20, y: 150 + Double($0 / 8) * 25) }
        let nose = KeypointModelSpec.standard(.noseCrop)
        for guess in [[points[LandmarkScheme.imm58.noseTip]], points] {
            let region = nose.cropRegion(photoWidth: 640, photoHeight: 480, around: guess)
            XCTAssertEqual(region.center.x, points[LandmarkScheme.imm58.noseTip].x, accuracy: 1e-9)
            XCTAssertEqual(region.center.y, points[LandmarkScheme.imm58.noseTip].y, accuracy: 1e-9)
            XCTAssertEqual(region.side, 0.4 * 640, accuracy: 1e-9)
        }
        let face = KeypointModelSpec.standard(.immCrop).cropRegion(photoWidth: 640, photoHeight: 480, around: points)
        let box = Box(enclosing: points)
        XCTAssertEqual(face.center.x, box.center.x, accuracy: 1e-9)
        XCTAssertEqual(face.side, 1.3 * max(box.width, box.height), accuracy: 1e-9)
        XCTAssertFalse(KeypointModelSpec.standard(.immCrop).usesWholePhoto)
    }

    func testStagesMustFitTogether() throws {
        func model(_ task: KeypointTask, size: Int) -> TrainedModel {
            let spec = KeypointModelSpec.standard(task, inputSize: size)
            return TrainedModel(spec: spec, network: spec.makeNetwork(seed: 1))
        }
        let nose = model(.nose, size: 80), imm = model(.imm, size: 80)
        let noseCrop = model(.noseCrop, size: 32), immCrop = model(.immCrop, size: 32)
        XCTAssertNoThrow(try KeypointCascade(first: nose, second: noseCrop))
        XCTAssertNoThrow(try KeypointCascade(first: imm, second: immCrop))
        for (first, second) in [(nose, immCrop), (imm, noseCrop), (immCrop, noseCrop), (imm, nose)] {
            XCTAssertThrowsError(try KeypointCascade(first: first, second: second)) { error in
                guard case CascadeError.mismatchedStages = error else { return XCTFail("\(error)") }
            }
        }
        let points = try KeypointCascade(first: nose, second: noseCrop).predict(Image(width: 160, height: 120, channels: 1, fill: 90))
        XCTAssertEqual(points.count, 1)
    }

    func testAnotherOutputLayerStartsRandomWhileTheBackboneLoads() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("backbone-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let source = KeypointModelSpec.standard(.immCrop, inputSize: 32)
        let sourceNetwork = source.makeNetwork(seed: 1)
        try TrainedModel(spec: source, network: sourceNetwork).save(to: url, extra: [:], dtype: .f32)

        let target = KeypointModelSpec.standard(.noseCrop, inputSize: 32).makeNetwork(seed: 2)
        let randomHead = target.parameters.suffix(2).map(\.parameter.value.array)
        XCTAssertEqual(try target.load(initialWeights: url), ["fc.weight", "fc.bias"])
        let loaded = Dictionary(uniqueKeysWithValues: target.stateDict.map { ($0.name, $0.tensor.array) })
        for (name, tensor) in sourceNetwork.stateDict where !name.hasPrefix("fc.") {
            XCTAssertEqual(loaded[name], tensor.array, "\(name) did not come from the file")
        }
        XCTAssertEqual(target.parameters.suffix(2).map(\.parameter.value.array), randomHead)

        // Anything but the output layer must still match.
        let narrow = KeypointModelSpec.standard(.nose, inputSize: 80).makeNetwork(seed: 2)
        XCTAssertThrowsError(try narrow.load(initialWeights: url)) { XCTAssertTrue("\($0)".contains(url.path), "\($0)") }
    }

    func testPerturbedCopiesMoveThePointsWithThePixels() {
        var image = Image(width: 160, height: 120, channels: 1, fill: 20)
        let spot = Point(x: 60, y: 45)
        for y in 43...47 { for x in 58...62 { image[x, y, 0] = 250 } }
        var points = [Point](repeating: Point(x: 80, y: 60), count: 58)
        points[0] = spot
        let example = TrainingExample(name: "spot", subset: "", image: image, points: points, landmarkBox: Box(enclosing: points))
        for copy in WholePhotoEvaluation.perturbedCopies([example, example, example], seed: 7) {
            XCTAssertEqual(copy.image.width, 160)
            let moved = copy.points[0]
            XCTAssertNotEqual(moved.x, spot.x, accuracy: 0.01)
            XCTAssertGreaterThan(copy.image[Int(moved.x.rounded()), Int(moved.y.rounded()), 0], 200)
        }
    }
}
