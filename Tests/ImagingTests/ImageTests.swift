import XCTest
@testable import Imaging

final class ImageTests: XCTestCase {
    func testBoxContainsItsInsideAndEdgesOnly() {
        let box = Box(x: 10, y: 20, width: 30, height: 40)
        XCTAssertTrue(box.contains(Point(x: 25, y: 40)))
        XCTAssertTrue(box.contains(Point(x: 40, y: 60)))   // corner
        XCTAssertFalse(box.contains(Point(x: 40.5, y: 40)))
        XCTAssertFalse(box.contains(Point(x: 25, y: 19.9)))
    }

    func testSubscriptAddressesInterleavedSamples() {
        var image = Image(width: 3, height: 2, channels: 3)
        image[2, 1, 1] = 7
        XCTAssertEqual(image.pixels[(1 * 3 + 2) * 3 + 1], 7)
    }
}
