import XCTest
import FaceAnalysis
@testable import Evaluation

final class PeopleGroupingEvaluationTests: XCTestCase {
    func testPairsAreCountedByTruthAndGroup() {
        // Faces 0-1 are a, 2-3 are b; 0, 1 and 2 share a group, 3 has none.
        var report = PeopleGroupingEvaluation.Report(margin: PersonGrouping.identityMargin)
        report.add(people: ["a", "a", "b", "b"], groups: [0, 0, 0, nil])
        XCTAssertEqual([report.together, report.togetherWrongly, report.keptApart], [1, 2, 1])
        XCTAssertEqual(report.precision, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(report.recall, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.f1, 0.4, accuracy: 1e-12)
        XCTAssertEqual([report.collections, report.faces, report.groups, report.people], [1, 4, 1, 2])
        let line = report.line(modelThreshold: 0.1)
        XCTAssertTrue(line.contains("threshold \(String(format: "%.3f", 0.1 + PersonGrouping.identityMargin))"), line)
        XCTAssertTrue(line.contains("as --people"), line)
        XCTAssertTrue(line.contains("33.3%") && line.contains("50.0%") && line.contains("F1 0.400"), line)
    }

    func testAnEmptyReportHasNoDivisionByZero() {
        let report = PeopleGroupingEvaluation.Report(margin: 0)
        XCTAssertEqual([report.precision, report.recall, report.f1], [0, 0, 0])
        XCTAssertFalse(report.line(modelThreshold: 0.2).contains("as --people"))
    }
}
