import XCTest
@testable import Landmarks

final class LandmarksSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(Landmarks.self) }
}
