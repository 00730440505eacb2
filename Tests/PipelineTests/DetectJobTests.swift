import FaceAnalysis
import FaceData
import Foundation
import Imaging
import XCTest
@testable import Pipeline

final class DetectJobTests: XCTestCase {
    func testFacelessAndBrokenPhotosDoNotFailTheRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Image(width: 80, height: 60, channels: 3, fill: 120)
        let withFace = folder.appendingPathComponent("face.png").path, without = folder.appendingPathComponent("empty.png").path
        try ImageFile.write(photo, to: withFace)
        try ImageFile.write(photo, to: without)
        let points = (0..<68).map { Point(x: 20 + Double($0 % 17) * 2, y: 15 + Double($0 / 17) * 6) }
        try PTSFile.write(points, to: URL(fileURLWithPath: withFace).deletingPathExtension().appendingPathExtension("pts"))
        let broken = folder.appendingPathComponent("broken.jpg").path
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: URL(fileURLWithPath: broken))

        let output = folder.appendingPathComponent("out")
        var options = DetectOptions()
        options.pts = true
        let report = try DetectJob(photos: [withFace, without, broken], folder: output, options: options) {
            FaceAnalyzer(finder: nil, landmarks: nil)
        }.run(progress: nil)

        XCTAssertEqual(report.analysed.map(\.faces), [1, 0])
        XCTAssertEqual(report.failed.map(\.path), [broken])
        let record = try DetectionRecord(contentsOf: output.appendingPathComponent("face.json"))
        XCTAssertEqual(record.faces.count, 1)
        XCTAssertEqual(record.faces[0].points[10].x, points[10].x, accuracy: 1e-3)
        XCTAssertEqual(try DetectionRecord(contentsOf: output.appendingPathComponent("empty.json")).faces.count, 0)
        XCTAssertEqual(try PTSFile.read(output.appendingPathComponent("face.pts")).count, 68)
        for file in ["face.overlay.jpg", "empty.overlay.jpg", "contact-sheet.jpg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), file)
        }
        var strict = options
        strict.strict = true
        XCTAssertThrowsError(try DetectJob(photos: [broken], folder: output, options: strict) {
            FaceAnalyzer(finder: nil, landmarks: nil)
        }.run(progress: nil))
    }

    func testOutputNamesAreUnique() {
        let names = DetectJob.outputNames(for: ["a/IMG_1.jpg", "b/IMG_1.jpg", "c/IMG_1.png", "d/other.jpg"])
        XCTAssertEqual(Set(names.values), ["IMG_1", "IMG_1_2", "IMG_1_3", "other"])
    }
}
