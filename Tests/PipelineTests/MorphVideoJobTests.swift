import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Morph
import XCTest
@testable import Pipeline

final class MorphVideoJobTests: FolderTestCase {
    /// A made-up 68-point face centred at (cx, cy) with eye distance `eye`: eyes 36-47 on two small
    /// rings, the other points on a larger ring around the face.
    private func face(cx: Double, cy: Double, eye: Double) -> [Point] {
        (0..<68).map { i in
            if (36..<48).contains(i) {
                let side = i < 42 ? -0.5 : 0.5, angle = Double(i % 6) * .pi / 3
                return Point(x: cx + side * eye + 0.15 * eye * cos(angle), y: cy - 0.2 * eye + 0.08 * eye * sin(angle))
            }
            let angle = Double(i) * 2 * .pi / 68
            return Point(x: cx + 1.1 * eye * cos(angle), y: cy + 0.3 * eye + 1.2 * eye * sin(angle))
        }
    }

    /// Writes a textured photo and, when `points` are given, its `.pts` sidecar.
    private func photo(_ name: String, seed: Int, points: [Point]?) throws -> String {
        var image = Image(width: 96, height: 80, channels: 3)
        for y in 0..<80 { for x in 0..<96 { for c in 0..<3 { image[x, y, c] = UInt8((x * (c + 1) + y * seed) % 256) } } }
        let path = folder.appendingPathComponent(name).path
        try ImageFile.write(image, to: path)
        if let points { try PTSFile.write(points, to: URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("pts")) }
        return path
    }

    private func job(_ photos: [String], strict: Bool = false) -> MorphVideoJob {
        var options = MorphVideoOptions()
        (options.width, options.height, options.fps, options.transition, options.hold) = (64, 48, 10, 0.5, 0.2)
        options.order = .given
        options.strict = strict
        return MorphVideoJob(photos: photos, output: folder.appendingPathComponent("out.mp4").path, options: options) {
            FaceAnalyzer(finder: nil, landmarks: nil)
        }
    }

    func testSidecarKeypointsRenderTheScheduledFrames() throws {
        let photos = try [
            photo("a.png", seed: 1, points: face(cx: 48, cy: 40, eye: 20)),
            photo("b.png", seed: 2, points: face(cx: 40, cy: 44, eye: 24)),
            photo("c.png", seed: 3, points: face(cx: 52, cy: 38, eye: 18)),
        ]
        let report = try job(photos).run(progress: nil)
        // H = round(0.2 * 10) = 2 hold frames, M = round(0.5 * 10) = 5 transition frames: 3 * 2 + 2 * 5.
        XCTAssertEqual(report.frames, 16)
        XCTAssertEqual(report.used, photos)
        XCTAssertTrue(report.skipped.isEmpty)
        XCTAssertTrue(report.note?.contains("no identity model") ?? false, "\(report.note ?? "no note")")  // --face auto without one
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertTrue(written.contains("out.mp4"))
        XCTAssertFalse(written.contains { $0.hasPrefix(".out") }, "temporary file left behind: \(written)")
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("out.mp4").path)[.size] as! Int, 100)
    }

    func testBadAndFacelessPhotosAreSkippedUnlessStrict() throws {
        let good = try photo("good.png", seed: 1, points: face(cx: 48, cy: 40, eye: 20))
        let faceless = try photo("faceless.png", seed: 2, points: nil)
        let corrupt = folder.appendingPathComponent("corrupt.jpg").path
        try Data("not a photo".utf8).write(to: URL(fileURLWithPath: corrupt))
        let report = try job([good, faceless, corrupt]).run(progress: nil)
        XCTAssertEqual(report.used, [good])
        XCTAssertEqual(report.frames, 10, "one photo: a still of at least one second")
        XCTAssertEqual(report.skipped.map(\.path), [faceless, corrupt])
        XCTAssertEqual(report.skipped[0].reason, "no face found")
        XCTAssertTrue(report.skipped[1].description.contains("corrupt.jpg"))
        XCTAssertThrowsError(try job([good, faceless], strict: true).run(progress: nil))
    }

    func testOutputThatIsAnInputFailsBeforeAnyWork() throws {
        let good = try photo("good.png", seed: 1, points: face(cx: 48, cy: 40, eye: 20))
        var options = MorphVideoOptions()
        options.width = 64
        options.height = 48
        let overwrite = MorphVideoJob(photos: [good], output: good, options: options) { FaceAnalyzer(finder: nil, landmarks: nil) }
        XCTAssertThrowsError(try overwrite.run(progress: nil))
        XCTAssertGreaterThan(try Data(contentsOf: URL(fileURLWithPath: good)).count, 100, "the input is untouched")
    }

    func testAManifestOverAnInputOrTheVideoFailsBeforeAnyWork() throws {
        let good = try photo("good.png", seed: 1, points: face(cx: 48, cy: 40, eye: 20))
        let before = try Data(contentsOf: URL(fileURLWithPath: good))
        let video = folder.appendingPathComponent("v.mp4").path
        for manifest in [good, video, "/dev/null"] {
            var options = MorphVideoOptions()
            options.width = 64
            options.height = 48
            options.manifest = manifest
            let run = MorphVideoJob(photos: [good], output: video, options: options) { FaceAnalyzer(finder: nil, landmarks: nil) }
            XCTAssertThrowsError(try run.run(progress: nil)) { error in
                XCTAssertTrue("\(error)".hasPrefix(manifest), "\(error) names the manifest")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: video), "no video is written when the manifest cannot be")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: good)), before, "the photo is untouched")
    }

    func testNeitherOutputMayReplaceTheReferencePhotoOfPerson() throws {
        let good = try photo("good.png", seed: 1, points: face(cx: 48, cy: 40, eye: 20))
        let reference = try photo("reference.png", seed: 3, points: face(cx: 48, cy: 40, eye: 20))
        let before = try Data(contentsOf: URL(fileURLWithPath: reference))
        let video = folder.appendingPathComponent("v.mp4").path
        for (output, manifest) in [(reference, nil), (video, reference)] as [(String, String?)] {
            var options = MorphVideoOptions()
            options.width = 64
            options.height = 48
            options.face = .person
            options.reference = (reference, 1)
            options.manifest = manifest
            let run = MorphVideoJob(photos: [good], output: output, options: options) { FaceAnalyzer(finder: nil, landmarks: nil) }
            XCTAssertThrowsError(try run.run(progress: nil)) { error in
                XCTAssertTrue("\(error)".hasPrefix(reference), "\(error) names the reference photo")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: video))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: reference)), before, "the reference photo is untouched")
    }
}
