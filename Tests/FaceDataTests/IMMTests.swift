import Foundation
import Imaging
import XCTest
@testable import FaceData

/// A made-up `.asf` in the IMM layout: `count` points on a small ellipse, 7 or 10 fields a row.
func makeASF(count: Int = 58, host: String = "01-1m.jpg", extraFields: Bool = false) -> String {
    var text = "######\n# AAM Shape File (made up for tests)\n######\n\n#\n# number of model points\n#\n\(count)\n\n"
    text += "#\n# model points\n#\n"
    for i in 0..<count {
        let angle = Double(i) / Double(count) * 2 * Double.pi
        let x = 0.5 + 0.25 * cos(angle), y = 0.5 + 0.25 * sin(angle)
        text += "0 \t4 \t\(x) \t\(y) \t\(i) \t\(max(i - 1, 0)) \t\(i + 1)" + (extraFields ? "\t0.00\t0.00\t0.00" : "") + "\n"
    }
    return text + "\n#\n# host image\n#\n\(host)\n"
}

final class IMMAnnotationTests: XCTestCase {
    func testParsesPointsAndHostImage() throws {
        let annotation = try IMMAnnotation(parsing: makeASF(), file: "01-1m.asf")
        XCTAssertEqual(annotation.relativePoints.count, 58)
        XCTAssertEqual(annotation.hostImage, "01-1m.jpg")
        XCTAssertEqual(annotation.relativePoints[0].x, 0.75, accuracy: 1e-12)
        XCTAssertEqual(annotation.relativePoints[0].y, 0.5, accuracy: 1e-12)
    }

    func testAcceptsUserFieldsAndCRLF() throws {
        let text = makeASF(extraFields: true).replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try IMMAnnotation(parsing: text, file: "x.asf").relativePoints.count, 58)
    }

    func testScalesToPixels() throws {
        let annotation = IMMAnnotation(relativePoints: [Point(x: 0.5, y: 0.25)], hostImage: "a.jpg")
        XCTAssertEqual(annotation.points(width: 640, height: 480), [Point(x: 320, y: 120)])
    }

    func assertMalformed(_ text: String, line: Int?, mentions: String, file: StaticString = #filePath, at: UInt = #line) {
        FaceDataTests.assertMalformed(try IMMAnnotation(parsing: text, file: "bad.asf"), name: "bad.asf", line: line,
                                      mentions: mentions, file: file, at: at)
    }

    func testMalformedFilesNameTheLine() {
        var lines = makeASF().components(separatedBy: "\n")
        let firstPoint = lines.firstIndex { $0.hasPrefix("0 \t4") }!
        let countLine = lines.firstIndex(of: "58")!

        var badCount = lines
        badCount[countLine] = "fifty-eight"
        assertMalformed(badCount.joined(separator: "\n"), line: countLine + 1, mentions: "number of points")

        var shortRow = lines
        shortRow[firstPoint + 3] = "0 4 0.5"
        assertMalformed(shortRow.joined(separator: "\n"), line: firstPoint + 4, mentions: "at least 7 fields")

        var notNumber = lines
        notNumber[firstPoint + 1] = "0 \t4 \tabc \t0.5 \t1 \t0 \t2"
        assertMalformed(notNumber.joined(separator: "\n"), line: firstPoint + 2, mentions: "relative coordinates")

        var pixels = lines
        pixels[firstPoint] = "0 \t4 \t320.5 \t240 \t0 \t0 \t1"
        assertMalformed(pixels.joined(separator: "\n"), line: firstPoint + 1, mentions: "0...1")

        var outOfOrder = lines
        outOfOrder[firstPoint + 2] = "0 \t4 \t0.5 \t0.5 \t7 \t1 \t3"
        assertMalformed(outOfOrder.joined(separator: "\n"), line: firstPoint + 3, mentions: "out of order")

        lines.append("extra.jpg")
        assertMalformed(lines.joined(separator: "\n"), line: lines.count, mentions: "after the host image")
    }

    func testTruncatedAndEmptyFiles() {
        assertMalformed("# only comments\n", line: nil, mentions: "no point count")
        assertMalformed(makeASF(host: ""), line: nil, mentions: "missing the host image")
        let truncated = makeASF().components(separatedBy: "\n").prefix(30).joined(separator: "\n")
        assertMalformed(truncated, line: nil, mentions: "ends after")
    }

    func testFileNames() {
        let name = IMMFileName("07-3f.asf")
        XCTAssertEqual(name, IMMFileName("07-3f"))
        XCTAssertEqual(name?.person, 7)
        XCTAssertEqual(name?.view, 3)
        XCTAssertEqual(name?.gender, .female)
        XCTAssertEqual(IMMFileName("40-6m")?.gender, .male)
        for bad in ["7-3f", "07-3x", "07_3m", "ab-1m", "07-m", "face.asf"] {
            XCTAssertNil(IMMFileName(bad), bad)
        }
    }
}

final class IMMDatasetTests: XCTestCase {
    func testListsSamplesWithPersonSplit() throws {
        let folder = try TemporaryFolder()
        for name in ["01-1m", "32-6f", "33-1m", "40-2f"] {
            try folder.write(makeASF(host: "\(name).jpg"), to: "\(name).asf")
            try folder.write("", to: "\(name).jpg")
        }
        let dataset = try IMMDataset(directory: folder.url)
        XCTAssertEqual(dataset.samples.map(\.name.person), [1, 32, 33, 40])
        XCTAssertEqual(dataset.samples(in: .train).map(\.name.person), [1, 32])
        XCTAssertEqual(dataset.samples(in: .validation).map(\.name.person), [33, 40])
        let first = dataset.samples[0]
        XCTAssertEqual(first.imageURL.lastPathComponent, "01-1m.jpg")
        XCTAssertEqual(first.points.count, 58)
        XCTAssertEqual(first.points[0].x, 0.75 * 640, accuracy: 1e-9)
        XCTAssertEqual(first.points[0].y, 0.5 * 480, accuracy: 1e-9)
    }

    func testRejectsMissingHostImageWrongCountAndBadName() throws {
        let missing = try TemporaryFolder()
        try missing.write(makeASF(), to: "01-1m.asf")
        XCTAssertThrowsError(try IMMDataset(directory: missing.url)) { XCTAssertTrue("\($0)".contains("does not exist")) }

        let wrongCount = try TemporaryFolder()
        try wrongCount.write(makeASF(count: 10), to: "01-1m.asf")
        try wrongCount.write("", to: "01-1m.jpg")
        XCTAssertThrowsError(try IMMDataset(directory: wrongCount.url)) { XCTAssertTrue("\($0)".contains("IMM needs 58")) }

        let badName = try TemporaryFolder()
        try badName.write(makeASF(), to: "face.asf")
        XCTAssertThrowsError(try IMMDataset(directory: badName.url)) { XCTAssertTrue("\($0)".contains("PP-Vg")) }

        let empty = try TemporaryFolder()
        XCTAssertThrowsError(try IMMDataset(directory: empty.url)) { XCTAssertTrue("\($0)".contains("no .asf")) }
    }
}
