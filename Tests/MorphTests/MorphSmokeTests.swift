import XCTest
@testable import Morph

final class MorphSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(Morph.self) }
}
