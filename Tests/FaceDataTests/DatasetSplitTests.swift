import XCTest
@testable import FaceData

final class DatasetSplitTests: XCTestCase {
    func testFNV1aKnownValues() {
        XCTAssertEqual(fnv1a64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(fnv1a64("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(fnv1a64("foobar"), 0x8594_4171_f739_67e8)
    }

    func testPhotoKeyDropsFolderExtensionAndFaceSuffix() {
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "afw/2086996835_3.jpg"), "2086996835")
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "4538917191_23.jpg"), "4538917191")
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "ibug/image_003_1.png"), "image_003")
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "image_0001.jpg"), "image_0001")
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "IMG_1234.JPG"), "IMG_1234")
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "_1.jpg"), "_1")
        XCTAssertEqual(DatasetSplit.photoKey(fileName: "portrait"), "portrait")
    }

    func testFacesOfOnePhotoShareASideAndTheFractionHolds() {
        let names = (0..<4000).map { "\(1_000_000 + $0 * 7919)" }
        for name in names.prefix(200) {
            let sides = Set((1...5).map { DatasetSplit.hashed(fileName: "\(name)_\($0).jpg") })
            XCTAssertEqual(sides.count, 1, name)
        }
        let validation = names.filter { DatasetSplit.hashed(fileName: "\($0)_1.jpg") == .validation }.count
        XCTAssertEqual(Double(validation) / Double(names.count), 0.1, accuracy: 0.02)
        XCTAssertTrue(names.allSatisfy { DatasetSplit.hashed(fileName: $0, validationFraction: 0) == .train })
        XCTAssertTrue(names.allSatisfy { DatasetSplit.hashed(fileName: $0, validationFraction: 1) == .validation })
    }

    func testSplitIsFixed() {
        // Pinned so that a change of hash or key rule, which would silently move faces between
        // training and validation, fails here. fnv1a64("image_0001") % 10000 == 8300.
        XCTAssertEqual(fnv1a64("image_0001") % 10_000, 8300)
        XCTAssertEqual(DatasetSplit.hashed(fileName: "lfpw/image_0001.jpg"), .train)
    }

    func testIMMPersonSplit() {
        XCTAssertEqual((1...40).filter { DatasetSplit.imm(person: $0) == .train }, Array(1...32))
    }
}
