import Foundation
import XCTest
@testable import Pipeline

final class ModelFilesTests: XCTestCase {
    func testModelsAreFoundBesideAnInstalledOrBuiltBinaryNeverInTheCurrentFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let installed = root.appendingPathComponent("prefix/share/morph/models")
        let built = root.appendingPathComponent("tree/models")
        for folder in [installed, built, root.appendingPathComponent("prefix/bin"), root.appendingPathComponent("tree/.build/x86_64/release")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        for folder in [installed, built] {
            try Data().write(to: folder.appendingPathComponent("landmarks68.safetensors"))
        }
        let installedBinary = root.appendingPathComponent("prefix/bin/morph")
        let builtBinary = root.appendingPathComponent("tree/.build/x86_64/release/morph")
        XCTAssertEqual(ModelFiles.folder(explicit: nil, environment: nil, executable: installedBinary).path, installed.standardizedFileURL.path)
        XCTAssertEqual(ModelFiles.folder(explicit: nil, environment: nil, executable: builtBinary).path, built.standardizedFileURL.path)
        XCTAssertEqual(ModelFiles.folder(explicit: nil, environment: "/env/models", executable: builtBinary).path, "/env/models")
        XCTAssertEqual(ModelFiles.folder(explicit: "/given", environment: "/env/models", executable: builtBinary).path, "/given")
        // A binary elsewhere falls back to its own prefix's share folder, not to ./models.
        let stray = ModelFiles.folder(explicit: nil, environment: nil, executable: URL(fileURLWithPath: "/nowhere/bin/morph"))
        XCTAssertEqual(stray.path, "/nowhere/share/morph/models")
    }

    func testAModelFileIsTheNamedOneElseTheModelsFolders() {
        XCTAssertEqual(ModelFiles.file("faces.safetensors", explicit: "/given/finder.safetensors").path, "/given/finder.safetensors")
        XCTAssertEqual(ModelFiles.file("faces.safetensors", explicit: nil), ModelFiles.folder().appendingPathComponent("faces.safetensors"))
    }
}
