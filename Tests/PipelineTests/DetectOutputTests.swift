import FaceAnalysis
import FaceData
import Foundation
import Imaging
import XCTest
@testable import Pipeline

/// `morph detect -o <the photos' folder>`: inputs are never replaced, extra faces' `.pts` never take
/// another photo's sidecar name, and a killed run's temporary files are cleaned up.
final class DetectOutputTests: FolderTestCase {
    private func photo(_ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try ImageFile.write(Image(width: 40, height: 30, channels: 3, fill: 90), to: path)
        return path
    }

    /// 68 made-up points inside a 40x30 photo, offset by `shift`.
    private func face(shift: Double) -> [Point] {
        (0..<68).map { Point(x: 5 + Double($0 % 17) * 1.5 + shift, y: 5 + Double($0 / 17) * 4 + shift) }
    }

    private func contents() throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    private func run(_ photos: [String], into output: URL, pts: Bool = false) throws -> DetectReport {
        var options = DetectOptions()
        options.pts = pts
        return try DetectJob(photos: photos, folder: output, options: options) { FaceAnalyzer(finder: nil, landmarks: nil) }
            .run(progress: nil)
    }

    func testPhotosNamedLikeOutputsAreNeverReplaced() throws {
        for names in [["contact-sheet.jpg", "a.jpg"], ["b.jpg", "b.overlay.jpg"]] {
            let photos = try names.map(photo)
            let before = try contents()
            XCTAssertThrowsError(try run(photos, into: folder)) { error in
                guard case PipelineError.outputCollides(let output, let what) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(photos.contains(output), output)
                XCTAssertTrue(what.hasPrefix("the input photo "), what)
                XCTAssertTrue("\(error)".contains("refusing to write there"), "\(error)")
            }
            XCTAssertEqual(try contents(), before, "nothing written, nothing replaced")
            for name in names { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
    }

    func testExtraFacesDoNotTakeAnotherPhotosSidecarName() throws {
        // Before, g.jpg's second face went to g_2.pts: the sidecar of the photo g_2.jpg.
        let g = try photo("g.jpg"), g2 = try photo("g_2.jpg")
        let faces = [FaceRecord(box: Box(x: 1, y: 1, width: 9, height: 9), points: face(shift: 0)),
                     FaceRecord(box: Box(x: 1, y: 1, width: 9, height: 9), points: face(shift: 2))]
        try DetectionRecord(source: "g.jpg", width: 40, height: 30, faces: faces).write(to: folder.appendingPathComponent("g.jpg.json"))
        let output = folder.appendingPathComponent("out")
        let report = try run([g, g2], into: output, pts: true)
        XCTAssertEqual(report.analysed.map(\.faces), [2, 0])
        let written = try FileManager.default.contentsOfDirectory(atPath: output.path)
        XCTAssertEqual(Set(written.filter { $0.hasSuffix(".pts") }), ["g.pts", "g.face2.pts"])
        // Written into the photos' own folder, g.jpg's results may sit beside it; no file takes g_2's names.
        let before = try Data(contentsOf: URL(fileURLWithPath: g2))
        _ = try run([g, g2], into: folder, pts: true)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: g2)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("g_2.pts").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("g.face2.pts").path))
    }

    func testAnOutputOnAnotherPhotosSidecarNameIsRefused() throws {
        // x.jpg in two folders: the second one's results would be called x_2 — unless x_2.jpg is a photo too.
        let sub = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let first = try photo("x.jpg"), second = try photo("sub/x.jpg"), third = try photo("x_2.jpg")
        XCTAssertThrowsError(try run([first, second, third], into: folder)) { error in
            XCTAssertEqual("\(error)", "\(folder.appendingPathComponent("x_2.json").path): refusing to write there: it is the sidecar name of \(third) (choose another output folder)")
        }
    }

    func testEveryPhotoFailingIsReportedAndNothingIsLeftBehind() throws {
        let broken = folder.appendingPathComponent("broken.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: broken)
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let leftover = output.appendingPathComponent(".broken.partial-\(try deadProcessID())-1f.json")
        try Data([1]).write(to: leftover)
        let report = try run([broken.path], into: output)
        XCTAssertEqual(report.analysed.count, 0)
        XCTAssertEqual(report.failed.map(\.path), [broken.path])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), [], "the dead run's temporary file is gone")
    }

    func testAnOutputFolderThatIsAFileIsRefused() throws {
        let photoPath = try photo("a.jpg")
        let file = folder.appendingPathComponent("notes.txt")
        try Data([1]).write(to: file)
        XCTAssertThrowsError(try run([photoPath], into: file)) {
            XCTAssertEqual("\($0)", "\(file.path): cannot write: not a folder")
        }
    }
}
