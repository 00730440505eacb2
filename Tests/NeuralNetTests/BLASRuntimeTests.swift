import XCTest
@testable import NeuralNet

final class BLASRuntimeTests: XCTestCase {
    func testUserValueIsRespected() {
        XCTAssertNil(BLASRuntime.recommendedCoreType(environment: ["OPENBLAS_CORETYPE": "Haswell"],
                                                     loadedCore: "Prescott", hasAVX512: true, hasAVX2: true))
    }

    func testGenericCoreOnAVX512PicksSkylakeX() {
        XCTAssertEqual(BLASRuntime.recommendedCoreType(environment: [:], loadedCore: "Prescott",
                                                       hasAVX512: true, hasAVX2: true), "SkylakeX")
        XCTAssertEqual(BLASRuntime.recommendedCoreType(environment: [:], loadedCore: "Prescott",
                                                       hasAVX512: false, hasAVX2: true), "Haswell")
    }

    func testKnownCoreIsLeftAlone() {
        XCTAssertNil(BLASRuntime.recommendedCoreType(environment: [:], loadedCore: "SkylakeX",
                                                     hasAVX512: true, hasAVX2: true))
        XCTAssertNil(BLASRuntime.recommendedCoreType(environment: [:], loadedCore: "Prescott",
                                                     hasAVX512: false, hasAVX2: false))
    }
}
