import Foundation
import Imaging
import Training
import XCTest
@testable import Evaluation

/// What `morph eval` prints, from the reports of the evaluation jobs.
final class ReportLinesTests: XCTestCase {
    func testALandmarkReportIsATableOfAllFacesAndEachSubset() {
        let group = LandmarkEvaluation.group([0.02, 0.04, .infinity, 0.09])
        let report = LandmarkEvaluationReport(boxes: "truth", refine: 1, mirrored: "every pass", overall: group,
                                              subsets: ["lfpw": group, "afw": group],
                                              parts: [.init(name: "jaw", meanNME: 0.0512, along: 0.04, across: 0.025),
                                                      .init(name: "nose", meanNME: 0.03, along: 0.02, across: 0.015)], boxHitRate: 0.75, millisecondsPerFace: 4.25)
        let lines = report.lines(folder: "out")
        XCTAssertEqual(lines.first, "boxes: truth  refine: 1  mirrored: every pass")
        XCTAssertEqual(lines.map { String($0.prefix(4)) }, ["boxe", "grou", "all ", "afw ", "lfpw", "part", "jaw ", "nose", "face", "CED "])
        XCTAssertEqual(lines[2], "all                    4     5.00%     50.0%     25.0%   \(String(format: "%6.3f", group.auc8))")
        XCTAssertEqual(lines[6], "jaw                  5.12%   4.00%   2.50%")
        XCTAssertEqual(lines[8], "face boxes found: 75.0%   time per face: 4.2 ms")
        XCTAssertEqual(lines[9], "CED curve and worst faces: out")
    }

    func testWholePhotoRecallReadsAsSharesOfTheAnnotatedFaces() throws {
        let report = WholePhotoRecallReport(photos: 2, annotated: 4, found: 3, reported: 5, unmatched: 1,
                                            bins: [.init(label: "< 48 px", annotated: 0, found: 0),
                                                   .init(label: "48-96 px", annotated: 4, found: 3)],
                                            missed: [], medianMilliseconds: 120.4)
        XCTAssertEqual(report.lines(file: "faces.xml", split: "validation"), [
            "whole photos (faces.xml, validation): 2 photos, found 75.0% of 4 annotated faces; "
                + "2.50 reported faces per photo, 0.50 matching no annotated face; 120 ms per photo (median)",
            "  faces < 48 px: found 0.0% of 0",
            "  faces 48-96 px: found 75.0% of 4",
        ])
        let sheet = FileManager.default.temporaryDirectory.appendingPathComponent("missed-\(UUID().uuidString).jpg").path
        XCTAssertFalse(try WholePhotoRecall.writeMissedSheet([], to: sheet), "nothing missed, nothing written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sheet))
        try Data("an earlier run's sheet".utf8).write(to: URL(fileURLWithPath: sheet))
        XCTAssertFalse(try WholePhotoRecall.writeMissedSheet([], to: sheet))
        XCTAssertFalse(FileManager.default.fileExists(atPath: sheet), "an earlier run's sheet is not left to be taken for this one's")
    }

    func testIdentityFiguresNameTheModelAndMarkItsThreshold() {
        let report = VerificationEvaluation.evaluate(scores: [0.9, 0.8, 0.2, 0.1], same: [true, true, false, false], folds: 1)
        let lines = IdentityEvaluation.verificationLines(report, millisecondsPerFace: 7.25, modelFile: "id.safetensors",
                                                         pairs: "pairs.txt", flipAverage: true, modelThreshold: 0.5)
        XCTAssertEqual(lines[0], "id.safetensors on pairs.txt (crop + mirror):")
        XCTAssertEqual(lines[1], "  accuracy 100.00% ± 0.00 (10-fold threshold)   ROC AUC 1.0000   TAR 100.0% at FAR 1%, 100.0% at FAR 0.1%")
        XCTAssertTrue(lines[2].hasSuffix("(the model's: 0.500)   embedding 7.2 ms per face"), lines[2])
        XCTAssertEqual(IdentityEvaluation.rankOneLine((0.9, 20, ["a.jpg"])), "IMM rank-1 identification: 90.0% of 20 photos (1 without a face)")
        let chart = IdentityEvaluation.rocChart(report, pairs: "pairs.txt")
        XCTAssertGreaterThan(chart.width, 0)

        let collections = SyntheticCollections.Report(threshold: 0.5, collections: 2, scenes: 16, followed: 12, wrong: 2, skipped: 2,
                                                      largestRight: 4)
        XCTAssertEqual(collections.line(modelThreshold: 0.5),
                       "  2 people, 16 scenes, threshold 0.500 (the model's): --face auto followed the person in 75.0%, another person in 12.5%, skipped 12.5%; the largest face is the person's in 25.0%")
        XCTAssertFalse(collections.line(modelThreshold: 0.4).contains("the model's"))
    }
}
