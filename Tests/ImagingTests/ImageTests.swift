import XCTest
@testable import Imaging

final class ImageTests: XCTestCase {
    func testSubscriptAddressesInterleavedSamples() {
        var image = Image(width: 3, height: 2, channels: 3)
        image[2, 1, 1] = 7
        XCTAssertEqual(image.pixels[(1 * 3 + 2) * 3 + 1], 7)
    }
}
