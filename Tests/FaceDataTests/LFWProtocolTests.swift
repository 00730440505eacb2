import Foundation
import XCTest
@testable import FaceData

final class LFWProtocolTests: XCTestCase {
    private func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lfw-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testPairsAndPeopleAreRead() throws {
        let pairs = try LFWProtocol.pairs(contentsOf: file("2\nAbel_Pacheco\t1\t4\nAbdel_Madi\t1\tAbel_Pacheco\t3\r\n"))
        XCTAssertEqual(pairs.count, 2)
        XCTAssertTrue(pairs[0].samePerson)
        XCTAssertFalse(pairs[1].samePerson)
        XCTAssertEqual(pairs[1].second, LFWProtocol.Photo(name: "Abel_Pacheco", number: 3))
        XCTAssertEqual(pairs[0].second.url(root: URL(fileURLWithPath: "/d")).path, "/d/Abel_Pacheco/Abel_Pacheco_0004.jpg")
        let people = try LFWProtocol.people(contentsOf: file("2\nAJ_Cook\t1\nAaron_Eckhart 3\n"))
        XCTAssertEqual(people, [.init(name: "AJ_Cook", count: 1), .init(name: "Aaron_Eckhart", count: 3)])
    }

    func testMalformedLinesNameTheFileAndLine() throws {
        let url = try file("3\nA 1 2\nB one 2\n")
        XCTAssertThrowsError(try LFWProtocol.pairs(contentsOf: url)) { error in
            XCTAssertEqual(error as? FaceDataError, .malformed(file: url.path, line: 3,
                                                                reason: "expected 'Name i j' or 'Name1 i Name2 j' with photo numbers from 1"))
        }
        XCTAssertThrowsError(try LFWProtocol.people(contentsOf: file("Name 3\n"))) { error in
            XCTAssertTrue("\(error)".contains("the first line must be a count"), "\(error)")
        }
    }
}
