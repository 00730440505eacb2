import XCTest
@testable import FaceData

final class FaceDataSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(FaceData.self) }
}
