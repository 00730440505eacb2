import Foundation
import XCTest
@testable import FaceData

/// Every prefix of a valid file either parses or throws a `FaceDataError`; nothing crashes.
final class RobustnessTests: XCTestCase {
    func assertEveryPrefixParsesOrThrows(_ text: String, _ parse: (String) throws -> Void) {
        var thrown = 0
        for length in 0...text.count {
            do {
                try parse(String(text.prefix(length)))
            } catch is FaceDataError {
                thrown += 1
            } catch {
                XCTFail("prefix of length \(length) threw a foreign error \(error)")
            }
        }
        XCTAssertGreaterThan(thrown, 0)
    }

    func testTruncatedFiles() {
        assertEveryPrefixParsesOrThrows(makeASF(count: 6)) { _ = try IMMAnnotation(parsing: $0, file: "t.asf") }
        assertEveryPrefixParsesOrThrows("version: 1\nn_points: 3\n{\n1 1\n10.5 20.25\n101 51\n}\n") {
            _ = try PTSFile.parse($0, file: "t.pts")
        }
        let xml = "<dataset><images><image file='a.jpg'><box top='1' left='2' width='3' height='4' ignore='0'>"
            + "<part name='00' x='1' y='2'/></box></image></images></dataset>"
        assertEveryPrefixParsesOrThrows(xml) {
            _ = try DlibDataset(parsing: Data($0.utf8), file: "t.xml", baseURL: URL(fileURLWithPath: "/"))
        }
    }

    func testMissingAndBinaryFilesAreUnreadable() throws {
        let folder = try TemporaryFolder()
        let missing = folder.url.appendingPathComponent("missing.pts")
        XCTAssertThrowsError(try PTSFile.read(missing)) { error in
            guard case FaceDataError.unreadable(let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, missing.path)
        }
        let binary = folder.url.appendingPathComponent("binary.asf")
        try Data([0xff, 0xfe, 0x00, 0xc3]).write(to: binary)
        XCTAssertThrowsError(try IMMAnnotation(contentsOf: binary)) { XCTAssertTrue("\($0)".contains("not UTF-8")) }
    }
}
