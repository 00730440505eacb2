import FaceAnalysis
import Foundation
import Imaging
import NeuralNet
import Plumbing
import Training
import XCTest
@testable import DetectorTraining

final class FaceVerifierTrainingTests: XCTestCase {
    func testLabelsFacesPartsOfFacesUnsettledBoxesAndLeavesOtherSettledBoxesOut() {
        let truth = Box(x: 100, y: 100, width: 100, height: 100)
        let onTheFace = Box(x: 102, y: 98, width: 96, height: 104), elsewhere = Box(x: 400, y: 80, width: 90, height: 90)
        let label = { (box: Box, keypoints: Box, confidence: Double) in
            VerifierLabeling.label(box, keypointBox: keypoints, faces: [truth], confidence: confidence, minimumConfidence: 0.5)
        }
        XCTAssertEqual(label(Box(x: 95, y: 90, width: 110, height: 120), elsewhere, 0.1), true)  // the face, however it settles
        XCTAssertEqual(label(Box(x: 130, y: 160, width: 40, height: 35), elsewhere, 0.9), false)  // the mouth: part of the face
        XCTAssertEqual(label(Box(x: 0, y: 0, width: 400, height: 400), elsewhere, 0.9), false)    // centred on it, far too large
        XCTAssertEqual(label(elsewhere, elsewhere, 0.2), false)                                   // elsewhere, does not settle
        XCTAssertNil(label(elsewhere, elsewhere, 0.8))                                            // elsewhere, settles: unknown
        // Too loose and off-centre to hit, but its keypoints settle on the face: the pipeline gets the face from it.
        let loose = Box(x: 60, y: 20, width: 210, height: 210)
        XCTAssertEqual(label(loose, onTheFace, 0.8), true)
        XCTAssertEqual(label(loose, onTheFace, 0.3), false)  // the same box when its keypoints do not settle
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
}
