import FaceAnalysis
import FaceData
import Foundation
import Imaging
import XCTest
@testable import Pipeline

/// A deterministic corpus of bad inputs, made here: truncated and bit-flipped JPEGs and PNGs, files
/// that are not photos (empty, text, a pipe, a folder, a huge sparse file), odd file names, malformed
/// and lying sidecars, face-box XML and model files. Every one goes through the library entry points
/// `morph detect` and `morph` use, then through the built `morph` itself; none may crash or hang, every
/// refusal names its file with a reason in words, no input changes and no temporary file is left.
final class BadInputCorpusTests: ToolTestCase {
    /// Every regular input file of the corpus, by path, with its bytes.
    private var inputs = [String: Data]()

    /// Writes `bytes` as the corpus file `name` and returns its path.
    @discardableResult
    private func add(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        inputs[path] = Data(bytes)
        return path
    }

    /// A 68-point face in a 64x48 photo whose eyes the aligner accepts.
    private func face(shift: Double) -> [Point] {
        (0..<68).map { i in
            if (36..<48).contains(i) {
                let side = i < 42 ? -0.5 : 0.5, angle = Double(i % 6) * .pi / 3
                return Point(x: 32 + side * 16 + 2.4 * cos(angle) + shift, y: 20 + 1.2 * sin(angle))
            }
            let angle = Double(i) * 2 * .pi / 68
            return Point(x: 32 + 17 * cos(angle) + shift, y: 26 + 18 * sin(angle))
        }
    }

    private func pts(_ points: [Point]) -> [UInt8] { Array(PTSFile.format(points).utf8) }

    /// The photos of the corpus (paths) and the names of those that must be analysed.
    private func makePhotos() throws -> (photos: [String], readable: Set<String>) {
        var image = Image(width: 64, height: 48, channels: 3)
        for y in 0..<48 { for x in 0..<64 { for c in 0..<3 { image[x, y, c] = UInt8((x * 3 + y * (c + 2)) % 256) } } }
        let jpeg = try ImageFile.encodeJPEG(image, quality: 85), png = try ImageFile.encodePNG(image)
        var photos = [String](), readable = Set<String>()
        func photo(_ name: String, _ bytes: [UInt8], readable isReadable: Bool = false) throws {
            let path = try add(name, bytes)
            photos.append(path)
            if isReadable { readable.insert(path) }
        }
        try photo("good.jpg", jpeg, readable: true)
        try photo("good.png", png, readable: true)
        for (index, fraction) in [0.05, 0.3, 0.6, 0.95].enumerated() {
            try photo("cut-\(index).jpg", Array(jpeg.prefix(Int(Double(jpeg.count) * fraction))))
            try photo("cut-\(index).png", Array(png.prefix(Int(Double(png.count) * fraction))))
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for index in 0..<16 {
            var bytes = index % 2 == 0 ? jpeg : png
            for _ in 0...(index % 4) { bytes[next() % bytes.count] ^= UInt8(1 << (next() % 8)) }
            try photo("flip-\(index).\(index % 2 == 0 ? "jpg" : "png")", bytes)  // may decode or not: never crash
        }
        try photo("empty.jpg", [])
        try photo("notes.jpg", Array("not a photo\n".utf8))
        try photo("png-named.jpg", png, readable: true)
        // Odd names: terminal escapes, a newline, non-ASCII, a leading dash, a 240-byte name.
        for name in ["esc\u{1B}[31mred.jpg", "new\nline.png", "ünïcödé ☃.jpg", "-dash.jpg", String(repeating: "n", count: 236) + ".jpg"] {
            try photo(name, name.hasSuffix(".png") ? png : jpeg, readable: true)
        }
        // Not regular files, and a file too large to be a photo (sparse: no disk used).
        let pipe = folder.appendingPathComponent("pipe.jpg").path
        XCTAssertEqual(mkfifo(pipe, 0o600), 0)
        let directory = folder.appendingPathComponent("folder.jpg").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let huge = folder.appendingPathComponent("huge.jpg").path
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: Data([0xFF, 0xD8, 0xFF])))
        XCTAssertEqual(truncate(huge, 1_500_000_000), 0)
        photos += [pipe, directory, huge, folder.appendingPathComponent("missing.jpg").path]
        // Sidecars: good ones, and malformed or lying ones.
        var far = face(shift: 0)
        far[8] = Point(x: 4e9, y: 1e9)
        let sidecars: [(String, String, [UInt8], Bool)] = [
            ("face-a.jpg", "face-a.pts", pts(face(shift: 0)), true),
            ("face-b.png", "face-b.png.pts", pts(face(shift: 3)), true),
            ("side-garbage.jpg", "side-garbage.pts", Array("hello\n\u{1B}]0;pwned\u{7}\n".utf8), false),
            ("side-short.jpg", "side-short.pts", pts(Array(face(shift: 0).prefix(3))), false),
            ("side-nan.jpg", "side-nan.pts", Array("version: 1\nn_points: 2\n{\nnan nan\n1 1\n}\n".utf8), false),
            ("side-far.jpg", "side-far.pts", pts(far), false),
            ("side-binary.jpg", "side-binary.pts", [0xFF, 0xFE, 0x00, 0xC3, 0x28], false),
            ("side-json.jpg", "side-json.json", Array(#"{"faces": ["#.utf8), false),
            ("side-json3.jpg", "side-json3.json", Array(#"{"source":"x","width":1,"height":1,"orientation":1,"faces":[{"box":{"x":0,"y":0,"width":1,"height":1},"points":[[1,2,3]]}]}"#.utf8), false),
        ]
        for (photoName, sidecarName, sidecar, usable) in sidecars {
            try photo(photoName, photoName.hasSuffix(".png") ? png : jpeg, readable: true)
            try add(sidecarName, sidecar)
            if !usable { readable.remove(photos.last!) }
        }
        return (photos, readable)
    }

    private func assertHumanReason(_ message: String, names file: String, line: UInt = #line) {
        XCTAssertTrue(message.contains(file), "'\(message)' does not name \(file)", line: line)
        assertNoRawError(message, line: line)
    }

    private func assertNoRawError(_ message: String, line: UInt = #line) {
        for raw in ["NSCocoaErrorDomain", "Error Domain", "Code=", "libxml2 error", "EncodingError"] {
            XCTAssertFalse(message.contains(raw), "'\(message)' is a raw error, not a reason", line: line)
        }
    }

    private func assertInputsUnchangedAndNoTemporaryFiles(line: UInt = #line) throws {
        for (path, bytes) in inputs {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "\(path) changed", line: line)
        }
        let everything = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        XCTAssertEqual(everything.filter { $0.contains(".partial-") }, [], "temporary files left", line: line)
    }

    func testDetectAndRenderOverTheCorpus() throws {
        let (photos, readable) = try makePhotos()
        let output = folder.appendingPathComponent("out")
        var options = DetectOptions()
        options.pts = true
        let report = try DetectJob(photos: photos, folder: output, options: options) { FaceAnalyzer(finder: nil, landmarks: nil) }
            .run(progress: nil)
        XCTAssertEqual(report.analysed.count + report.failed.count, photos.count)
        XCTAssertTrue(readable.isSubset(of: Set(report.analysed.map(\.path))),
                      "not analysed: \(readable.subtracting(report.analysed.map(\.path)))")
        for problem in report.failed { assertHumanReason(problem.description, names: problem.path) }
        let reasons = Dictionary(uniqueKeysWithValues: report.failed.map { (($0.path as NSString).lastPathComponent, $0.description) })
        XCTAssertTrue(reasons["pipe.jpg"]?.contains("not a regular file") == true, "\(reasons["pipe.jpg"] ?? "analysed")")
        XCTAssertTrue(reasons["folder.jpg"]?.contains("a folder, not a photo") == true)
        XCTAssertTrue(reasons["huge.jpg"]?.contains("1500.0 MB, larger than the 1000.0 MB limit") == true)
        XCTAssertTrue(reasons["missing.jpg"]?.contains("no such file") == true)
        XCTAssertTrue(reasons["side-far.jpg"]?.contains("lies far outside the 64x48 photo") == true, "\(reasons["side-far.jpg"] ?? "analysed")")
        XCTAssertTrue(reasons["side-binary.jpg"]?.contains("not UTF-8") == true)
        XCTAssertEqual(report.analysed.first { $0.path.hasSuffix("face-b.png") }?.faces, 1)
        try assertInputsUnchangedAndNoTemporaryFiles()

        var settings = MorphVideoOptions()
        (settings.width, settings.height, settings.fps, settings.transition, settings.hold) = (64, 48, 10, 0.3, 0.1)
        settings.order = .given
        let video = output.appendingPathComponent("video.mp4").path
        let rendered = try MorphVideoJob(photos: photos, output: video, options: settings) { FaceAnalyzer(finder: nil, landmarks: nil) }
            .run(progress: nil)
        XCTAssertEqual(rendered.used.map { ($0 as NSString).lastPathComponent }, ["face-a.jpg", "face-b.png"])
        for problem in rendered.skipped { assertHumanReason(problem.description, names: problem.path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: video))
        try assertInputsUnchangedAndNoTemporaryFiles()
        print("bad-input corpus: \(photos.count) photos, \(inputs.count) regular input files")
    }

    func testTheBuiltToolOverTheCorpus() throws {
        let (photos, _) = try makePhotos()
        let output = folder.appendingPathComponent("out").path
        for arguments in [["detect"] + photos + ["-o", output, "--pts"],
                          photos + ["-o", output + "/video.mp4", "--size", "64x48", "--order", "given", "--transition", "0.3"]] {
            let log = folder.appendingPathComponent("tool.log")
            let process = try MorphTool.start(arguments + ["--models", MorphTool.models], errorLog: log)
            let deadline = Date().addingTimeInterval(180)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            XCTAssertLessThan(Date(), deadline, "\(arguments[0]) hangs over the corpus")
            XCTAssertEqual(process.terminationReason, .exit, "\(arguments[0]) crashed: \(printed.suffix(2000))")
            XCTAssertEqual(process.terminationStatus, 0, "some photos are usable: \(printed.suffix(2000))")
            for name in ["cut-0.jpg", "empty.jpg", "notes.jpg", "pipe.jpg", "folder.jpg", "huge.jpg", "missing.jpg", "side-far.jpg",
                         "esc\\u{1B}[31mred.jpg"] {
                XCTAssertTrue(printed.contains(name), "\(arguments[0]) does not name \(name): \(printed.suffix(3000))")
            }
            XCTAssertFalse(printed.contains("\u{1B}"), "a raw terminal escape is printed")
            assertNoRawError(printed)
            try assertInputsUnchangedAndNoTemporaryFiles()
            try FileManager.default.removeItem(at: log)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/video.mp4"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/face-a.json"))
    }

    func testLyingModelAndFaceBoxFilesAreRefusedNamingTheFile() throws {
        let models = folder.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        func header(_ json: String, payload: Int = 0) -> [UInt8] {
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian, Array.init) + Array(json.utf8) + [UInt8](repeating: 0, count: payload)
        }
        let lies: [[UInt8]] = [
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8),
            [1, 2, 3],
            [],
            header(#"{"w":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,16]}}"#, payload: 16),
            header(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#) + Array(withUnsafeBytes(of: Float.nan.bitPattern, Array.init)) + [0, 0, 0, 0],
            header(#"{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#, payload: 8),
            header(#"not json"#, payload: 8),
        ]
        for (index, bytes) in lies.enumerated() {
            let path = try add("models/faces.safetensors", bytes)
            XCTAssertThrowsError(try ModelFiles.analyzer(folder: models, manualBoxes: nil), "lie \(index)") {
                assertHumanReason("\($0)", names: path)
            }
        }
        let xmls: [String] = [
            "", "<<<", "<dataset>", "<dataset><images><image file='a.jpg'><box top='x' left='1' width='2' height='2'/></image></images></dataset>",
            "<dataset><images><image file='a.jpg'><box top='1' left='1' width='-5' height='5'/></image></images></dataset>",
            "<dataset><images><image><box/></image></images></dataset>", "<dataset></images>", "<dataset>&undefined;</dataset>",
            "<dataset attr=\"unterminated></dataset>", "<?xml version='1.0'?><dataset/><extra/>",
        ]
        for (index, text) in xmls.enumerated() {
            let path = try add("faces-\(index).xml", Array(text.utf8))
            XCTAssertThrowsError(try FaceBoxes(path: path), "xml \(index)") { assertHumanReason("\($0)", names: path) }
        }
        try assertInputsUnchangedAndNoTemporaryFiles()
    }
}
