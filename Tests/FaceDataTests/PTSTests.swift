import Foundation
import Imaging
import XCTest
@testable import FaceData

final class PTSFileTests: XCTestCase {
    let headed = "version: 1\nn_points:  3\n{\n1 1\n10.5 20.25\n101 51\n}\n"

    func testReadsHeaderedFileAsZeroBased() throws {
        let points = try PTSFile.parse(headed, file: "a.pts")
        XCTAssertEqual(points, [Point(x: 0, y: 0), Point(x: 9.5, y: 19.25), Point(x: 100, y: 50)])
    }

    func testReadsHeaderlessFileAndCRLF() throws {
        XCTAssertEqual(try PTSFile.parse("1 1\n10.5 20.25\n101 51\n", file: "a.pts"),
                       try PTSFile.parse(headed, file: "a.pts"))
        XCTAssertEqual(try PTSFile.parse(headed.replacingOccurrences(of: "\n", with: "\r\n"), file: "a.pts").count, 3)
    }

    func testWriteThenReadRoundTripsAtomically() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("face.pts")
        let points = (0..<68).map { Point(x: Double($0) * 1.25, y: 200 - Double($0) / 3) }
        try PTSFile.write(points, to: url)
        try PTSFile.write(points, to: url)  // replaces the existing file
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("version: 1\nn_points: 68\n{\n1.000 201.000\n"))
        XCTAssertTrue(text.hasSuffix("}\n"))
        let back = try PTSFile.read(url)
        XCTAssertEqual(back.count, 68)
        for (a, b) in zip(back, points) {
            XCTAssertEqual(a.x, b.x, accuracy: 0.0005)
            XCTAssertEqual(a.y, b.y, accuracy: 0.0005)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["face.pts"])
    }

    func assertMalformed(_ text: String, line: Int?, mentions: String, file: StaticString = #filePath, at: UInt = #line) {
        FaceDataTests.assertMalformed(try PTSFile.parse(text, file: "bad.pts"), name: "bad.pts", line: line,
                                      mentions: mentions, file: file, at: at)
    }

    func testMalformedFilesNameTheLineAndReason() {
        assertMalformed("", line: nil, mentions: "empty file")
        assertMalformed("version: 1\nn_points: 3\n{\n1 1\n2 x\n3 3\n}\n", line: 5, mentions: "expected a point 'x y'")
        assertMalformed("version: 1\nn_points: 3\n{\n1 1\n2 2\n}\n", line: 6, mentions: "n_points says 3 but 2")
        assertMalformed("version: 1\nn_points: 2\n{\n1 1\n2 2\n", line: 5, mentions: "no closing '}'")
        assertMalformed("version: 1\nn_points: 1\n{\n1 1\n}\nmore\n", line: 6, mentions: "after '}'")
        assertMalformed("version: 1\nn_points: lots\n{\n}\n", line: 2, mentions: "n_points must be")
        assertMalformed("version: 1\nn_points: 1\n", line: 2, mentions: "no '{'")
        assertMalformed("1 1\n2 2 2\n", line: 2, mentions: "expected a point")
        assertMalformed("1 1\nnan 2\n", line: 2, mentions: "expected a point")
    }
}

final class PTSDatasetTests: XCTestCase {
    func testScansRecursivelyForPhotosWithPoints() throws {
        let folder = try TemporaryFolder()
        let pts = "1 1\n3 5\n"
        for photo in ["afw/100_1.jpg", "afw/100_2.JPG", "helen/trainset/7_1.png", "top.jpeg"] {
            try folder.write("", to: photo)
            try folder.write(pts, to: (photo as NSString).deletingPathExtension + ".pts")
        }
        try folder.write("", to: "afw/no_points.jpg")
        try folder.write(pts, to: "afw/orphan.pts")
        try folder.write("", to: "afw/notes.txt")

        let samples = try PTSDataset.scan(folder.url)
        XCTAssertEqual(samples.map(\.imageURL.lastPathComponent), ["100_1.jpg", "100_2.JPG", "7_1.png", "top.jpeg"])
        XCTAssertEqual(samples.map(\.subset), ["afw", "afw", "helen/trainset", ""])
        XCTAssertEqual(samples[0].points, [Point(x: 0, y: 0), Point(x: 2, y: 4)])
        XCTAssertNil(samples[0].box)
        XCTAssertEqual(samples[0].split(), samples[1].split())
    }

    func testMalformedPointsFileFailsTheScanNamingIt() throws {
        let folder = try TemporaryFolder()
        try folder.write("", to: "a/x.jpg")
        try folder.write("1 1\noops\n", to: "a/x.pts")
        XCTAssertThrowsError(try PTSDataset.scan(folder.url)) { error in
            XCTAssertTrue("\(error)".contains("x.pts:2: expected a point"), "\(error)")
        }
    }

    func testMissingFolderIsAnError() {
        XCTAssertThrowsError(try PTSDataset.scan(URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")))
    }
}
