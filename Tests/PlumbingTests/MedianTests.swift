import Plumbing
import XCTest

final class MedianTests: XCTestCase {
    func testTheMedianIsTheMiddleValueOrTheUpperOfTwoAndZeroWhenEmpty() {
        XCTAssertEqual([5.0, 1, 3].median, 3)
        XCTAssertEqual([4.0, 1, 3, 2].median, 3)
        XCTAssertEqual([Double]().median, 0)
    }
}
