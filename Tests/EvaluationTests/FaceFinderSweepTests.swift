import FaceAnalysis
import Foundation
import Imaging
import Training
import XCTest
@testable import DetectorTraining
@testable import Evaluation

final class FaceFinderSweepTests: XCTestCase {
    private let truth = Box(x: 100, y: 100, width: 100, height: 100)

    private func example(_ name: String) -> TrainingExample {
        let corners = [Point(x: 100, y: 100), Point(x: 200, y: 200)]
        return TrainingExample(name: name, subset: "", image: Image(width: 320, height: 240, channels: 1, fill: 80),
                               points: corners, landmarkBox: truth)
    }

    /// A found face whose keypoints span `side` pixels from (`x`, `y`), settled to `confidence`.
    private func face(x: Double, y: Double, side: Double, confidence: Double) -> AnalyzedFace {
        AnalyzedFace(box: Box(x: x, y: y, width: side, height: side), score: 0.9,
                     points: [Point(x: x, y: y), Point(x: x + side, y: y + side)], confidence: confidence, origin: .detected)
    }

    func testTheKeypointCheckCountsTheFacesKeptAtEachCutOff() {
        // Photo 1: the face, settled 0.6, and a stray box elsewhere settled 0.3. Photo 2: the face, settled 0.9.
        let analysed = [[face(x: 102, y: 98, side: 96, confidence: 0.6), face(x: 250, y: 10, side: 40, confidence: 0.3)],
                        [face(x: 98, y: 104, side: 100, confidence: 0.9)]]
        let checks = FaceFinderSweep.check(analysed, examples: [example("a"), example("b")], nestedShare: 0.5)
        XCTAssertEqual(checks.map(\.cutoff), FaceFinderSweep.cutoffs)
        XCTAssertEqual(checks.map(\.hitRate), [1, 1, 1, 1, 1, 0.5, 0.5], "a face settled at the cut-off stays")
        XCTAssertEqual(checks.map(\.boxesPerPhoto), [1.5, 1.5, 1, 1, 1, 0.5, 0.5])
    }

    func testAFinderThatFindsNothingMissesEveryFaceAtEveryThreshold() {
        let finder = FaceFinder(network: FaceFinderNetwork.make(seed: 1))
        finder.levels = [96]
        finder.threshold = 0.999_999  // an untrained finder's scores stay below this
        let sweep = FaceFinderSweep.run(name: "made-up", examples: [example("a")], finder: finder, verifier: nil,
                                        keypoints: nil, containment: 1, nestedShare: 0.5)
        XCTAssertEqual(finder.threshold, 0.999_999, "the finder keeps its threshold")
        XCTAssertEqual(sweep.photos, 1)
        XCTAssertNil(sweep.verified)
        XCTAssertTrue(sweep.checks.isEmpty)
        XCTAssertEqual(sweep.byThreshold.map(\.threshold), FaceFinderSweep.thresholds)
        XCTAssertEqual(sweep.lines.count, 1 + FaceFinderSweep.thresholds.count)
        XCTAssertTrue(sweep.lines[0].hasPrefix("made-up: 1 validation photos, "), sweep.lines[0])
    }

    func testTheLinesMarkTheModelsThresholdAndShowTheVerifierAndChecks() {
        let report = FaceFinderReport(count: 4, hitRate: 0.75, meanCentreError: 2.5, boxesPerPhoto: 1.25, millisecondsPerPhoto: 3)
        let sweep = FaceFinderSweep(name: "imm", photos: 4, millisecondsPerPhoto: 12.34, threshold: 0.35, verified: (0.5, report),
                                    checks: [.init(cutoff: 0.5, hitRate: 0.5, boxesPerPhoto: 1)], nestedShare: 0.5,
                                    byThreshold: [(0.3, report), (0.35, report)])
        XCTAssertEqual(sweep.lines, [
            "imm: 4 validation photos, 12.3 ms per photo",
            "  threshold 0.35, then the verifier (0.500)  found  75.0%   boxes per photo 1.25",
            "  threshold 0.35, keypoint confidence >= 0.5, nested share 0.50  found  50.0%   boxes per photo 1.00",
            "  threshold 0.30            found  75.0%   boxes per photo 1.25   centre error 2.5 px",
            "  threshold 0.35 (model's)  found  75.0%   boxes per photo 1.25   centre error 2.5 px",
        ])
    }
}
