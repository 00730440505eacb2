import FaceData
import Foundation
import Imaging
import NeuralNet
import Plumbing
import XCTest
@testable import FaceAnalysis
@testable import Training

final class IdentityTrainingTests: XCTestCase {
    func testVerificationFiguresOnKnownScores() {
        let scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], same = [false, false, true, false, true, true]
        let report = VerificationEvaluation.evaluate(scores: scores, same: same, folds: 1)
        XCTAssertEqual(report.accuracy, 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(report.auc, 8.0 / 9, accuracy: 1e-12)   // 8 of the 9 (same, different) pairs are ordered right
        XCTAssertEqual(report.trueAcceptAt1Percent, 2.0 / 3, accuracy: 1e-12)
        let separable = VerificationEvaluation.evaluate(scores: [0.9, 0.8, 0.2, 0.1, 0.7, 0.3, 0.95, 0.15, 0.85, 0.05, 0.75, 0.25],
                                                        same: [true, true, false, false, true, false, true, false, true, false, true, false],
                                                        folds: 3)
        XCTAssertEqual(separable.accuracy, 1)
        XCTAssertEqual(separable.auc, 1)
        XCTAssertTrue((0.3..<0.7).contains(separable.threshold), "\(separable.threshold)")
        XCTAssertEqual(separable.roc.first, .init(falseAccept: 0, trueAccept: 0))
        XCTAssertEqual(separable.roc.last, .init(falseAccept: 1, trueAccept: 1))
    }

    func testRankOneFindsTheNearestOtherEmbedding() {
        let e = { (x: Float, y: Float) in Embedding.unit([x, y]) }
        XCTAssertEqual(VerificationEvaluation.rankOne([e(1, 0), e(1, 0.1), e(0, 1), e(0.2, 1), e(1, 0.3)], labels: [1, 1, 2, 2, 2]),
                       0.8, accuracy: 1e-12)  // the last one's nearest is person 1's
    }

    /// Two synthetic people (stripes across or along) on 96x96 photos with the same keypoints, noise and
    /// brightness changes on each photo.
    private func faces(_ count: Int, seed: UInt64) -> (faces: [LFWFace], labels: [Int]) {
        var rng = SplitMix64(seed: seed)
        // 68 points: the eye contours on the eye centres, the mouth corners in place, the others between.
        let face = (0..<68).map { index -> Point in
            switch index {
            case 36...41: Point(x: 34, y: 40)
            case 42...47: Point(x: 62, y: 40)
            case 48: Point(x: 38, y: 70)
            case 54: Point(x: 58, y: 70)
            default: Point(x: 46, y: 55)
            }
        }
        let made = (0..<count).map { index -> (LFWFace, Int) in
            let person = index % 2, base = rng.uniform(70, 130)
            var image = Image(width: 96, height: 96, channels: 1)
            for y in 0..<96 {
                for x in 0..<96 {
                    let stripe = ((person == 0 ? y : x) / 6) % 2 == 0 ? 60 : 0
                    image[x, y, 0] = UInt8(max(0, min(255, base + Float(stripe) + rng.uniform(-25, 25))))
                }
            }
            return (LFWFace(photo: .init(name: "p\(person)", number: index + 1), image: image, points: face), person)
        }
        return (made.map(\.0), made.map(\.1))
    }

    func testShortTrainingSeparatesTwoSyntheticPeople() throws {
        let train = faces(8, seed: 1), held = faces(6, seed: 2)
        var options = TrainingOptions()
        options.epochs = 4
        options.batchSize = 4
        options.learningRate = 2e-3
        options.augmentation = Augmentation(shift: 0.02, flip: true, brightness: 0.1)
        let pairs = IdentityTraining.validationPairs(held.faces.map(\.photo.name), seed: 4)
        let task = IdentityTrainingTask(faces: train.faces, labels: train.labels, classes: 2, validationFaces: held.faces,
                                        validationPairs: pairs, alignment: .standard, augmentation: options.augmentation, scale: 8,
                                        margin: 0.2, seed: 5)
        let run = try TrainingRun(folder: FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let history = try TrainingLoop(task: task, options: options, run: run, identity: ["task": IdentityModel.task])
            .fit(resume: false, progress: ProgressReporter(forcePlain: true))
        XCTAssertLessThan(history.last!.trainLoss, history.first!.trainLoss)
        let embeddings = task.validationEmbeddings()
        var same = [Double](), different = [Double]()
        for i in embeddings.indices {
            for j in embeddings.indices where j > i {
                let cosine = Embedding.cosine(embeddings[i], embeddings[j])
                if held.labels[i] == held.labels[j] { same.append(cosine) } else { different.append(cosine) }
            }
        }
        XCTAssertGreaterThan(same.min()!, different.max()!, "same \(same), different \(different)")
        XCTAssertEqual(history.last!.validationMetric, 0)
    }

    func testValidationSplitHoldsOutEveryTwentiethRepeatedPerson() {
        let people = (0..<60).map { LFWProtocol.Person(name: "p\($0)", count: $0 % 2 == 0 ? 1 : 3) }
        let split = IdentityTraining.split(people)
        XCTAssertEqual(split.validation.map(\.name), ["p39"])   // the 20th of the 30 repeated people
        XCTAssertEqual(split.train.count, 59)
        let pairs = IdentityTraining.validationPairs(["a", "a", "a", "b", "b"], seed: 1)
        XCTAssertEqual(pairs.count, 8)   // 3 + 1 same-person pairs, as many different-person ones
        XCTAssertEqual(pairs.filter { ["a", "a", "a", "b", "b"][$0.0] == ["a", "a", "a", "b", "b"][$0.1] }.count, 4)
    }
}
