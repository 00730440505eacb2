import Foundation
import Imaging
import XCTest
@testable import FaceData

/// The sidecar naming rule (full photo name first, then the stem unless two photos share it), and
/// the limits on what a sidecar or a face-box file may say about a photo.
final class SidecarLookupTests: XCTestCase {
    func testFullNameWinsOverTheStem() throws {
        let folder = try TemporaryFolder()
        let photo = try folder.write("", to: "b.png")
        try PTSFile.write(madeUpFace(), to: folder.url.appendingPathComponent("b.pts"))
        try PTSFile.write(madeUpFace(shift: 3), to: folder.url.appendingPathComponent("b.png.pts"))
        let sidecar = try XCTUnwrap(Sidecar.resolve(for: photo))
        XCTAssertEqual(sidecar.url.lastPathComponent, "b.png.pts")
        XCTAssertEqual(sidecar.faces[0].points[0].x, madeUpFace(shift: 3)[0].x, accuracy: 0.001)
    }

    func testAStemSharedByTwoPhotosIsRefusedNotGuessed() throws {
        // Before, b.png silently took b.jpg's b.pts.
        let folder = try TemporaryFolder()
        let jpeg = try folder.write("", to: "b.jpg"), png = try folder.write("", to: "b.png")
        let pts = folder.url.appendingPathComponent("b.pts")
        try PTSFile.write(madeUpFace(), to: pts)
        assertMalformed(try Sidecar.resolve(for: png) as Any, name: pts.path, line: nil,
                        mentions: "could be the sidecar of b.png or of b.jpg; name it b.png.pts")
        assertMalformed(try Sidecar.resolve(for: jpeg) as Any, name: pts.path, line: nil, mentions: "name it b.jpg.pts")
        try FileManager.default.moveItem(at: pts, to: folder.url.appendingPathComponent("b.jpg.pts"))
        XCTAssertEqual(try Sidecar.resolve(for: jpeg)?.url.lastPathComponent, "b.jpg.pts")
        XCTAssertNil(try Sidecar.resolve(for: png))
    }

    func testAStemSharedWithAnExtensionInOtherCaseIsRefused() throws {
        // b.jpg and b.JPG are two photos on a case-sensitive file system: b.pts belongs to neither surely.
        let folder = try TemporaryFolder()
        _ = try folder.write("one", to: "b.jpg")
        let upper = try folder.write("two", to: "b.JPG")
        let pts = folder.url.appendingPathComponent("b.pts")
        try PTSFile.write(madeUpFace(), to: pts)
        assertMalformed(try Sidecar.resolve(for: upper) as Any, name: pts.path, line: nil,
                        mentions: "could be the sidecar of b.JPG or of b.jpg")
        let alone = try TemporaryFolder(), only = try alone.write("one", to: "c.JPG")
        try PTSFile.write(madeUpFace(), to: alone.url.appendingPathComponent("c.pts"))
        XCTAssertEqual(try Sidecar.resolve(for: only)?.url.lastPathComponent, "c.pts", "a photo alone keeps its stem's sidecar")
    }

    func testPointsFarOutsideThePhotoAreRefused() throws {
        let folder = try TemporaryFolder()
        let photo = try folder.write("", to: "far.jpg")
        var points = madeUpFace()
        points[30] = Point(x: 1e9, y: 40)
        let pts = folder.url.appendingPathComponent("far.pts")
        try PTSFile.write(points, to: pts)
        let sidecar = try XCTUnwrap(Sidecar.resolve(for: photo))
        assertMalformed(try sidecar.checkPoints(photoWidth: 200, photoHeight: 100), name: pts.path, line: nil,
                        mentions: "face 0 point 30 at (1000000000.0, 40.0) lies far outside the 200x100 photo")
        XCTAssertNoThrow(try sidecar.checkPoints(photoWidth: 2_000_000_000, photoHeight: 100))
    }

    func testFaceBoxesWithoutSizeOrOutsideThePhotoAreRefused() throws {
        let folder = try TemporaryFolder()
        for (box, ok) in [("top='10' left='10' width='50' height='50'", true), ("top='10' left='10' width='0' height='50'", false),
                          ("top='1e9' left='10' width='50' height='50'", false), ("top='-100' left='-100' width='50' height='50'", false),
                          ("top='0' left='0' width='1e9' height='1e9'", false), ("top='-20' left='180' width='50' height='50'", true)] {
            let xml = try folder.write("<dataset><images><image file='p.jpg'><box \(box)/></image></images></dataset>", to: "faces.xml")
            let dataset = try DlibDataset(contentsOf: xml)
            let photo = folder.url.appendingPathComponent("p.jpg")
            if ok {
                XCTAssertEqual(try dataset.boxes(for: photo, photoWidth: 200, photoHeight: 100)?.count, 1, box)
            } else {
                assertMalformed(try dataset.boxes(for: photo, photoWidth: 200, photoHeight: 100) as Any, name: xml.path, line: nil,
                                mentions: "for p.jpg has no size or lies outside its 200x100 photo")
            }
            XCTAssertNil(try dataset.boxes(for: folder.url.appendingPathComponent("other.jpg"), photoWidth: 200, photoHeight: 100))
        }
    }

    func testPipesAreNotReadAsSidecars() throws {
        let folder = try TemporaryFolder()
        let photo = try folder.write("", to: "p.jpg")
        let fifo = folder.url.appendingPathComponent("p.pts")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try Sidecar.resolve(for: photo)) {
            XCTAssertEqual($0 as? FaceDataError, .unreadable(file: fifo.path, reason: "not a regular file (a pipe, device or socket)"))
        }
    }
}
