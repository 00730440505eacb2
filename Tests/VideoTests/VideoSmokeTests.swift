import XCTest
@testable import Video

final class VideoSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(Video.self) }
}
