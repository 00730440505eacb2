import Foundation
import Imaging
import NeuralNet
import Plumbing
import XCTest
@testable import FaceAnalysis

final class FaceVerifierTests: XCTestCase {

    func testSavedVerifierLoadsWithItsThresholdAndDropsBoxesBelowIt() throws {
        let network = FaceVerifierNetwork.make(seed: 2)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try network.save(to: url, metadata: ["task": FaceVerifier.task, "threshold": "0.25"])
        let verifier = try FaceVerifier(contentsOf: url)
        XCTAssertEqual(verifier.threshold, 0.25)

        var photo = Image(width: 200, height: 150, channels: 1, fill: 90)
        for y in 40..<100 { for x in 60..<120 { photo[x, y, 0] = UInt8((x * 7 + y * 3) % 256) } }
        let detections = [FaceDetection(box: Box(x: 60, y: 40, width: 60, height: 60), score: 0.9),
                          FaceDetection(box: Box(x: 130, y: 90, width: 40, height: 40), score: 0.4)]
        let scores = verifier.scores(photo, boxes: detections.map(\.box))
        XCTAssertEqual(scores.count, 2)
        // The loaded verifier is frozen for inference: its convolutions may take another form and round differently.
        for (loaded, original) in zip(scores, FaceVerifier(network: network).scores(photo, boxes: detections.map(\.box))) {
            XCTAssertEqual(loaded, original, accuracy: 1e-6)
        }
        verifier.threshold = (scores[0] + scores[1]) / 2
        XCTAssertNotEqual(scores[0], scores[1])
        XCTAssertEqual(verifier.kept(detections, in: photo).map(\.box), [scores[0] > scores[1] ? detections[0].box : detections[1].box])
        verifier.threshold = 0
        XCTAssertEqual(verifier.kept(detections, in: photo), detections)
    }

    func testAFileOfAnotherTaskIsRefusedByName() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finder-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try FaceVerifierNetwork.make(seed: 1).save(to: url, metadata: ["task": "faces"])
        XCTAssertThrowsError(try FaceVerifier(contentsOf: url)) { error in
            XCTAssertEqual(error as? LandmarksError, .badModel(file: url.path, reason: "not a face verifier (task faces)"))
        }
    }

    func testTheAnalyzerSkipsTheBoxesItsVerifierRejectsButNeverAGivenBox() {
        let finder = FaceFinder(network: FaceFinderNetwork.make(seed: 3))
        finder.threshold = 0.001  // an untrained finder: boxes everywhere
        let spec = KeypointModelSpec.landmarks(inputSize: 32)
        let landmarks = TrainedModel(spec: spec, network: spec.makeNetwork(seed: 1))
        let verifier = FaceVerifier(network: FaceVerifierNetwork.make(seed: 2))
        var photo = Image(width: 96, height: 96, channels: 1, fill: 0)
        for y in 0..<96 { for x in 0..<96 { photo[x, y, 0] = UInt8((x * 13 + y * 29) % 251) } }
        let analyzer = { FaceAnalyzer(finder: finder, verifier: verifier, landmarks: landmarks) }
        let boxes = finder.detect(photo).count
        XCTAssertGreaterThan(boxes, 0)

        let keepingAll = analyzer()
        keepingAll.minimumConfidence = 0
        keepingAll.nestedShare = 1
        verifier.threshold = 0
        XCTAssertEqual(keepingAll.faces(in: photo).faces.count, boxes)
        verifier.threshold = 1.01
        XCTAssertTrue(keepingAll.faces(in: photo).faces.isEmpty)
        let given = keepingAll.faces(in: photo, manualBoxes: [Box(x: 20, y: 20, width: 50, height: 50)]).faces
        XCTAssertEqual(given.map(\.origin), [.manualBox])
    }
}
