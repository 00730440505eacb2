import Foundation
import Imaging
import XCTest
@testable import FaceData

/// 68 made-up points on a line, offset by `shift`.
func madeUpFace(shift: Double = 0) -> [Point] {
    (0..<68).map { Point(x: 10 + Double($0) + shift, y: 20 + Double($0 % 7) + shift) }
}

final class DetectionRecordTests: XCTestCase {
    func testWriteReadRoundTripAndSchema() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("IMG_1.json")
        let record = DetectionRecord(source: "IMG_1.jpg", width: 4032, height: 3024, orientation: 6, faces: [
            FaceRecord(box: Box(x: 1, y: 2, width: 300, height: 310), score: 0.99, confidence: 0.75, points: madeUpFace()),
            FaceRecord(box: Box(x: 5, y: 6, width: 7, height: 8), points: madeUpFace(shift: 0.25)),
        ])
        try record.write(to: url)
        XCTAssertEqual(try DetectionRecord(contentsOf: url), record)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["IMG_1.json"])

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        XCTAssertEqual(json?["source"] as? String, "IMG_1.jpg")
        XCTAssertEqual(json?["orientation"] as? Int, 6)
        let faces = json?["faces"] as? [[String: Any]]
        XCTAssertEqual((faces?[0]["box"] as? [String: Double])?["width"], 300)
        XCTAssertEqual(faces?[0]["score"] as? Double, 0.99)
        XCTAssertNil(faces?[1]["score"])
        XCTAssertEqual(faces?[0]["confidence"] as? Double, 0.75)
        XCTAssertNil(faces?[1]["confidence"])
        XCTAssertEqual((faces?[0]["points"] as? [[Double]])?.first, [10, 20])
    }

    func testMalformedJSONNamesFileAndKey() throws {
        let folder = try TemporaryFolder()
        func check(_ text: String, _ mentions: String, at: UInt = #line) throws {
            let url = try folder.write(text, to: "bad.json")
            assertMalformed(try DetectionRecord(contentsOf: url), name: url.path, line: nil, mentions: mentions, at: at)
        }
        try check("{", "not valid JSON")
        try check(#"{"source": "a.jpg", "width": 1, "height": 1, "orientation": 1}"#, "missing key 'faces'")
        try check(#"{"source": "a.jpg", "width": 1, "height": 1, "orientation": 1, "faces": [{"box": {"x": 0, "y": 0, "width": 1, "height": 1}, "points": [[1, 2], [3]]}]}"#,
                  "faces[0].points[1]: a point must be [x, y]")
        try check(#"{"source": "a.jpg", "width": "wide", "height": 1, "orientation": 1, "faces": []}"#, "width")
    }
}

final class SidecarTests: XCTestCase {
    func testNoSidecar() throws {
        let folder = try TemporaryFolder()
        XCTAssertNil(try Sidecar.resolve(for: folder.write("", to: "a.jpg")))
    }

    func testJSONSidecar() throws {
        let folder = try TemporaryFolder()
        let photo = try folder.write("", to: "a.jpg")
        let face = FaceRecord(box: Box(x: 0, y: 0, width: 9, height: 9), score: 0.5, points: madeUpFace())
        try DetectionRecord(source: "a.jpg", width: 100, height: 100, faces: [face]).write(to: folder.url.appendingPathComponent("a.json"))
        let sidecar = try Sidecar.resolve(for: photo)
        XCTAssertEqual(sidecar?.kind, .json)
        XCTAssertEqual(sidecar?.faces, [face])
    }

    func testPTSWinsOverJSON() throws {
        let folder = try TemporaryFolder()
        let photo = try folder.write("", to: "a.JPG")
        try DetectionRecord(source: "a.JPG", width: 100, height: 100, faces: [
            FaceRecord(box: Box(x: 0, y: 0, width: 9, height: 9), points: madeUpFace()),
        ]).write(to: folder.url.appendingPathComponent("a.json"))
        let manual = madeUpFace(shift: 5)
        try PTSFile.write(manual, to: folder.url.appendingPathComponent("a.pts"))
        let sidecar = try XCTUnwrap(Sidecar.resolve(for: photo))
        XCTAssertEqual(sidecar.kind, .pts)
        XCTAssertEqual(sidecar.url.lastPathComponent, "a.pts")
        XCTAssertEqual(sidecar.faces.count, 1)
        XCTAssertNil(sidecar.faces[0].score)
        XCTAssertEqual(sidecar.faces[0].box, Box(enclosing: sidecar.faces[0].points))
        for (a, b) in zip(sidecar.faces[0].points, manual) {
            XCTAssertEqual(a.x, b.x, accuracy: 0.0005)
            XCTAssertEqual(a.y, b.y, accuracy: 0.0005)
        }
    }

    func testBrokenOrWrongSizedSidecarIsAnError() throws {
        let folder = try TemporaryFolder()
        let photo = try folder.write("", to: "a.jpg")
        let pts = try folder.write("1 1\n2 2\n", to: "a.pts")
        assertMalformed(try Sidecar.resolve(for: photo) as Any, name: pts.path, line: nil, mentions: "face 0 has 2 points, expected 68")
        XCTAssertEqual(try Sidecar.resolve(for: photo, pointCount: 2)?.faces.first?.points.count, 2)
        try folder.write("1 1\n2 x\n", to: "a.pts")
        assertMalformed(try Sidecar.resolve(for: photo) as Any, name: pts.path, line: 2, mentions: "expected a point")
    }
}
