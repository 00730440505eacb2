import XCTest
@testable import Evaluation

final class LandmarkEvaluationTests: XCTestCase {
    func testMissedFacesAreFailuresButNotPartOfTheMean() {
        let group = LandmarkEvaluation.group([0.02, 0.04, .infinity, 0.09])
        XCTAssertEqual(group.count, 4)
        XCTAssertEqual(group.meanNME, 0.05, accuracy: 1e-12, "mean of the three found faces")
        XCTAssertEqual(group.failureRate8, 0.5, accuracy: 1e-12, "the miss and the 9% face")
        XCTAssertEqual(group.failureRate10, 0.25, accuracy: 1e-12, "the miss only")
    }
}
