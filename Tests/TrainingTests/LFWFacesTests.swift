import FaceData
import Foundation
import Imaging
import NeuralNet
import XCTest
@testable import FaceAnalysis
@testable import Training

final class LFWFacesTests: XCTestCase {
    /// A small random 68-point model.
    private func predictor(seed: UInt64) -> KeypointPredictor {
        let spec = KeypointModelSpec.landmarks(inputSize: 64)
        return KeypointPredictor(model: TrainedModel(spec: spec, network: spec.makeNetwork(seed: seed)))
    }

    func testTeachersAreAveragedAndTheirDisagreementLowersTheConfidence() {
        var rng = SplitMix64(seed: 4)
        var image = Image(width: 128, height: 128, channels: 1, fill: 0)
        for y in 0..<128 { for x in 0..<128 { image[x, y, 0] = UInt8(rng.next() % 256) } }
        let a = predictor(seed: 1), b = predictor(seed: 2)
        let alone = LFWFaces.keypoints(image, predictors: [a]), other = LFWFaces.keypoints(image, predictors: [b])
        let twice = LFWFaces.keypoints(image, predictors: [a, a])
        XCTAssertEqual(twice.confidence, alone.confidence, accuracy: 1e-12, "a teacher agrees with itself")
        for (p, q) in zip(twice.points, alone.points) { XCTAssertEqual(p.distance(to: q), 0, accuracy: 1e-9) }

        let both = LFWFaces.keypoints(image, predictors: [a, b])
        for k in 0..<68 {
            XCTAssertEqual(both.points[k].x, (alone.points[k].x + other.points[k].x) / 2, accuracy: 1e-9)
            XCTAssertEqual(both.points[k].y, (alone.points[k].y + other.points[k].y) / 2, accuracy: 1e-9)
        }
        let interocular = max(LandmarkScheme.ibug68.interocularDistance(both.points), 1)
        let spread = LandmarkMetrics.meanPointError(alone.points, both.points) / interocular
        XCTAssertEqual(both.confidence, min(alone.confidence, other.confidence, max(0, 1 - spread / LFWFaces.disagreementLimit)),
                       accuracy: 1e-9)
    }

    func testAnInterruptedLabellingKeepsTheKeypointsOfTheCompletedChunks() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfw-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let photos = (1...5).map { LFWProtocol.Photo(name: "Some_One", number: $0) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Some_One"), withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 5)
        for photo in photos.dropLast() {
            var image = Image(width: 64, height: 64, channels: 1, fill: 0)
            for y in 0..<64 { for x in 0..<64 { image[x, y, 0] = UInt8(rng.next() % 256) } }
            try ImageFile.write(image, to: photo.url(root: root).path)
        }
        try Data("not a photo".utf8).write(to: photos[4].url(root: root))
        let model = root.appendingPathComponent("teacher.safetensors"), cache = root.appendingPathComponent("cache.json")
        try predictor(seed: 1).model.save(to: model, extra: [:])

        XCTAssertThrowsError(try LFWFaces.load(photos, root: root, landmarks: [model], cache: cache, cacheInterval: 2,
                                               label: "keypoints", progress: nil), "the fifth photo is not a photo")
        let saved = try JSONDecoder().decode(LFWFaces.KeypointCache.self, from: Data(contentsOf: cache))
        XCTAssertEqual(Set(saved.points.keys), ["Some_One/1", "Some_One/2", "Some_One/3", "Some_One/4"])

        // Marks the first photo's cached keypoints: a resumed call must return them, not label it again.
        var marked = saved
        marked.points["Some_One/1"] = Array(repeating: Point(x: -7, y: -7), count: 68)
        try JSONEncoder().encode(marked).write(to: cache)
        try ImageFile.write(Image(width: 64, height: 64, channels: 1, fill: 90), to: photos[4].url(root: root).path)
        let faces = try LFWFaces.load(photos, root: root, landmarks: [model], cache: cache, cacheInterval: 2,
                                      label: "keypoints", progress: nil)
        XCTAssertEqual(faces.map(\.photo), photos)
        XCTAssertEqual(faces[0].points.map(\.x), Array(repeating: -7, count: 68))
        XCTAssertNotEqual(faces[4].points.map(\.x), Array(repeating: -7, count: 68))
        let complete = try JSONDecoder().decode(LFWFaces.KeypointCache.self, from: Data(contentsOf: cache))
        XCTAssertEqual(complete.points.count, 5)
    }
}
