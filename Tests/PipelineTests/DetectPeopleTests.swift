import FaceAnalysis
import FaceData
import Foundation
import Imaging
import XCTest
@testable import Pipeline

final class DetectPeopleTests: XCTestCase {
    func testTheSamePersonInTwoPhotosGetsOneNumberAndARowOfTheSheet() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("people-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var face = Image(width: 120, height: 120, channels: 3)
        for i in face.pixels.indices { face.pixels[i] = UInt8((i * 7919 + (i / 360) * 104_729) % 251) }  // a fixed texture
        // Two copies of one photo and one other photo, each with the same sidecar keypoints.
        let points = (0..<68).map { Point(x: 30 + Double($0 % 17) * 3.5, y: 35 + Double($0 / 17) * 15) }
        var paths = [String]()
        for (name, image) in [("a", face), ("b", face), ("c", Image(width: 120, height: 120, channels: 3, fill: 90))] {
            let path = folder.appendingPathComponent("\(name).png").path
            try ImageFile.write(image, to: path)
            try PTSFile.write(points, to: URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("pts"))
            paths.append(path)
        }
        var options = DetectOptions()
        options.people = true
        options.overlays = false
        let output = folder.appendingPathComponent("out")
        // --people joins groups at a mean cosine of 0.99: the model's threshold plus the grouping's margin.
        let identity = { IdentityModel(network: IdentityNetwork.make(seed: 5), threshold: 0.99 - PersonGrouping.identityMargin) }
        let report = try DetectJob(photos: paths, folder: output, options: options) {
            FaceAnalyzer(finder: nil, landmarks: nil, identity: identity())
        }.run(progress: nil)
        let people = try ["a", "b", "c"].map { try DetectionRecord(contentsOf: output.appendingPathComponent("\($0).json")).faces[0].person }
        XCTAssertEqual(people, [1, 1, 2])
        XCTAssertEqual(report.recurringPeople, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: try XCTUnwrap(report.peopleSheet)))
        XCTAssertThrowsError(try DetectJob(photos: paths, folder: output, options: options) {
            FaceAnalyzer(finder: nil, landmarks: nil)
        }.run(progress: nil)) { XCTAssertTrue("\($0)".contains("identity model"), "\($0)") }
    }
}
