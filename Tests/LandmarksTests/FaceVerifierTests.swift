import Foundation
import Imaging
import NeuralNet
import Plumbing
import XCTest
@testable import Landmarks

final class FaceVerifierTests: XCTestCase {
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

    func testLabelsFacesPartsOfFacesUnsettledBoxesAndLeavesOtherSettledBoxesOut() {
        let truth = Box(x: 100, y: 100, width: 100, height: 100)
        let label = { (box: Box, confidence: Double) in
            VerifierLabeling.label(box, faces: [truth], confidence: confidence, minimumConfidence: 0.5)
        }
        XCTAssertEqual(label(Box(x: 95, y: 90, width: 110, height: 120), 0.1), true)    // the face, however it settles
        XCTAssertEqual(label(Box(x: 130, y: 160, width: 40, height: 35), 0.9), false)  // the mouth: part of the face
        XCTAssertEqual(label(Box(x: 0, y: 0, width: 400, height: 400), 0.9), false)    // centred on it, far too large
        XCTAssertEqual(label(Box(x: 400, y: 80, width: 90, height: 90), 0.2), false)   // elsewhere, does not settle
        XCTAssertNil(label(Box(x: 400, y: 80, width: 90, height: 90), 0.8))            // elsewhere, settles: unknown
    }

    func testThresholdKeepsTheRequiredShareOfFacesAndIsAtMostOneHalf() {
        // 400 faces scored 0.0025...1 and 100 other boxes scored 0...0.099.
        let faces = (1...400).map { Double($0) / 400 }, others = (0..<100).map { Double($0) / 1000 }
        let report = FaceVerifierTraining.report(scores: faces + others, labels: faces.map { _ in true } + others.map { _ in false })
        XCTAssertEqual(report.threshold, 3.0 / 400, accuracy: 1e-12)  // 2 of 400 faces (0.5%) may fall below
        XCTAssertEqual(report.facesKept, 398.0 / 400, accuracy: 1e-12)
        XCTAssertEqual(report.nonFacesDropped, 8.0 / 100, accuracy: 1e-12)
        let easy = FaceVerifierTraining.report(scores: [0.9, 0.95, 0.1], labels: [true, true, false])
        XCTAssertEqual(easy.threshold, 0.5)
        XCTAssertEqual(easy.nonFacesDropped, 1)
    }

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
        XCTAssertEqual(scores, FaceVerifier(network: network).scores(photo, boxes: detections.map(\.box)))
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

    func testShortTrainingTellsDiscsFromNoise() throws {
        // Photos with a bright disc ("face") on noise; boxes on the disc are faces, boxes on noise are not.
        var rng = SplitMix64(seed: 9)
        let photos = (0..<12).map { _ in
            var image = Image(width: 120, height: 120, channels: 1, fill: 0)
            for y in 0..<120 { for x in 0..<120 { image[x, y, 0] = UInt8(rng.next() % 120) } }
            for y in 20..<60 { for x in 20..<60 where (x - 40) * (x - 40) + (y - 40) * (y - 40) < 400 { image[x, y, 0] = 230 } }
            return FaceScene(name: "p", image: image, faces: [Box(x: 20, y: 20, width: 40, height: 40)], unsure: [])
        }
        let samples = photos.indices.flatMap { index in
            [VerifierSample(example: index, box: Box(x: 20, y: 20, width: 40, height: 40), isFace: true),
             VerifierSample(example: index, box: Box(x: 70, y: 70, width: 40, height: 40), isFace: false)]
        }
        var options = FaceVerifierTraining.recipe
        options.epochs = 4
        options.batchSize = 8
        options.seed = 4
        let task = FaceVerifierTrainingTask(photos: photos, samples: samples, validationPhotos: photos,
                                            validationSamples: samples, augmentation: options.augmentation, seed: 4)
        let run = try TrainingRun(folder: FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let history = try TrainingLoop(task: task, options: options, run: run, identity: ["task": FaceVerifier.task])
            .fit(resume: false, progress: ProgressReporter(forcePlain: true))
        XCTAssertEqual(history.last!.validationMetric, 0, "validation errors: \(history.map(\.validationMetric))")
        XCTAssertNil(history.last!.validationPixelError)
        let csv = try String(contentsOf: run.folder.appendingPathComponent("metrics.csv"), encoding: .utf8)
        XCTAssertTrue(csv.contains("val_error_rate,val_pixel_error"), csv)
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
