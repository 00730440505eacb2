import Foundation
import XCTest
@testable import DetectorTraining

final class ReportTests: XCTestCase {
    func testTheFinderAndVerifierReportsReadAsOneLineEach() {
        let finder = FaceFinderReport(count: 40, hitRate: 0.975, meanCentreError: 3, boxesPerPhoto: 1.125, millisecondsPerPhoto: 21.25)
        XCTAssertEqual(finder.line(name: "imm"), "imm: found 97.5% of 40 validation faces, 1.12 boxes per photo, 21.2 ms per photo")
        let verifier = FaceVerifierReport(faces: 400, nonFaces: 100, threshold: 0.25, facesKept: 0.995, nonFacesDropped: 0.8)
        XCTAssertEqual(verifier.line, "threshold 0.250: keeps 99.5% of 400 validation face boxes, drops 80.0% of 100 other boxes")
    }

    func testALabellersFolderHasItsVerifierOnlyWhenTheFileIsThere() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labellers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let without = SceneLabellers(folder: folder)
        XCTAssertEqual(without.finder.lastPathComponent, "faces.safetensors")
        XCTAssertEqual(without.landmarks.lastPathComponent, "landmarks68.safetensors")
        XCTAssertNil(without.verifier)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("face-verifier.safetensors").path, contents: Data())
        XCTAssertEqual(SceneLabellers(folder: folder).verifier?.lastPathComponent, "face-verifier.safetensors")
        XCTAssertEqual(SceneLabellers.requiredModels, ["faces", "landmarks68"])
    }
}
