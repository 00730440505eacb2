import FaceAnalysis
import Foundation
import Imaging
import Morph
import XCTest
@testable import Pipeline

final class PersonPickerTests: XCTestCase {
    private func e(_ degrees: Double) -> [Float] { Embedding.unit([Float(cos(degrees * .pi / 180)), Float(sin(degrees * .pi / 180))]) }

    /// A photo whose faces have these embeddings, the first the largest.
    private func photo(_ name: String, _ looks: [[Float]?]) -> PhotoFaces {
        PhotoFaces(path: name, width: 1000, height: 800, faces: looks.enumerated().map { index, look in
            AnalyzedFace(box: Box(x: Double(index) * 200, y: 100, width: 150 - Double(index) * 10, height: 150), score: 1,
                         points: [], confidence: 1, origin: .detected, embedding: look)
        })
    }

    func testAutoFollowsThePersonNotTheLargestFaceAndSkipsPhotosWithoutThem() throws {
        let photos = [photo("a", [e(90), e(0)]), photo("b", [e(5)]), photo("c", [e(180), e(200)]), photo("d", [e(92), e(3)]),
                      photo("e", [])]
        let (picks, note) = PersonPicker(choice: .auto, tracker: PersonTracker(threshold: 0.9)).pick(photos)
        XCTAssertNil(note)
        XCTAssertEqual(try picks[0].get().face.box.x, 200)
        XCTAssertEqual(try picks[1].get().face.box.x, 0)
        XCTAssertEqual(try picks[3].get().face.box.x, 200)
        XCTAssertGreaterThan(try XCTUnwrap(try picks[1].get().similarity), 0.99)
        XCTAssertThrowsError(try picks[2].get()) { XCTAssertTrue("\($0)".hasPrefix("c: the person was not found (2 faces"), "\($0)") }
        XCTAssertThrowsError(try picks[4].get()) { XCTAssertEqual("\($0)", "e: no face found") }
    }

    func testAReferenceFollowsItsPersonAndNobodyInTwoPhotosFallsBackToTheLargest() throws {
        let photos = [photo("a", [e(90), e(0)]), photo("b", [e(5), e(88)])]
        let reference = PersonPicker(choice: .person, tracker: PersonTracker(threshold: 0.9), reference: e(91)).pick(photos).faces
        XCTAssertEqual(try reference.map { try $0.get().face.box.x }, [0, 200])
        let strangers = [photo("a", [e(0)]), photo("b", [e(90)]), photo("c", [e(180)])]
        let (picks, note) = PersonPicker(choice: .auto, tracker: PersonTracker(threshold: 0.9)).pick(strangers)
        XCTAssertNotNil(note)
        XCTAssertEqual(picks.filter { (try? $0.get()) != nil }.count, 3)
        let withoutModel = PersonPicker(choice: .largest, tracker: nil).pick(photos).faces
        XCTAssertEqual(try withoutModel.map { try $0.get().face.box.x }, [0, 0])
    }

    func testTheManifestListsEveryPhotoWithItsFramesOrItsReason() throws {
        let face = AnalyzedFace(box: Box(x: 1, y: 2, width: 3, height: 4), score: 0.9, points: [Point(x: 5, y: 6)], confidence: 0.8,
                                origin: .detected)
        let picked: [Result<PickedFace, PhotoProblem>] = [.success(PickedFace(face: face, similarity: 0.7)),
                                                          .failure(PhotoProblem(path: "b.jpg", reason: "no face found")),
                                                          .success(PickedFace(face: face, similarity: nil))]
        let schedule = try FrameSchedule(photoCount: 2, transition: 1, hold: 0.5, fps: 10)
        let manifest = VideoManifest(video: "v.mp4", ordered: ["a.jpg", "b.jpg", "c.jpg"], picked: picked, schedule: schedule,
                                     options: MorphVideoOptions(), note: nil)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try manifest.write(to: url.path)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        XCTAssertEqual(json["frames"] as? Int, 20)
        XCTAssertEqual(json["faceChoice"] as? String, "auto")
        let photos = try XCTUnwrap(json["photos"] as? [[String: Any]])
        XCTAssertEqual(photos.map { $0["path"] as? String }, ["a.jpg", "b.jpg", "c.jpg"])
        XCTAssertEqual(photos.map { $0["used"] as? Bool }, [true, false, true])
        XCTAssertEqual(photos[1]["reason"] as? String, "no face found")
        XCTAssertEqual(photos[0]["firstFrame"] as? Int, 0)
        XCTAssertEqual(photos[0]["lastFrame"] as? Int, 14)        // hold 0-4, transition 5-14
        XCTAssertEqual(photos[2]["firstFrame"] as? Int, 5)
        XCTAssertEqual(photos[2]["holdFrames"] as? [Int], [15, 19])
        XCTAssertEqual(photos[2]["lastFrame"] as? Int, 19)
        let usedFace = try XCTUnwrap(photos[0]["face"] as? [String: Any])
        XCTAssertEqual(usedFace["similarity"] as? Double, 0.7)
        XCTAssertNotNil(usedFace["points"] as? [Any])
        XCTAssertNotNil(usedFace["box"] as? [String: Any])
    }
}
