import Foundation
import Imaging
import XCTest

/// The `morph` command itself: exit codes, messages and refusals, and interrupted renders.
final class MorphToolTests: ToolTestCase {
    /// A small textured PNG photo at `name`.
    @discardableResult
    private func photo(_ name: String, seed: Int = 1) throws -> String {
        var image = Image(width: 96, height: 80, channels: 3)
        for y in 0..<80 { for x in 0..<96 { for c in 0..<3 { image[x, y, c] = UInt8((x * (c + 1) + y * seed) % 256) } } }
        try ImageFile.write(image, to: path(name))
        return path(name)
    }

    private func assertRefused(_ arguments: [String], mentions text: String, line: UInt = #line) throws {
        let outcome = try MorphTool.run(arguments)
        XCTAssertFalse(outcome.signalled, "crashed: \(outcome.standardError)", line: line)
        XCTAssertEqual(outcome.status, 64, "usage errors exit with 64: \(outcome.standardError)", line: line)
        XCTAssertTrue(outcome.standardError.contains(text), "'\(outcome.standardError)' lacks '\(text)'", line: line)
    }

    func testNumericOptionsAreCheckedBeforeAnyPhotoIsRead() throws {
        let photo = path("never-read.jpg")  // does not exist: the options must be refused first
        try assertRefused(["render", photo, "--transition", "1e12"], mentions: "--transition must be between 0.0 and 600.0 seconds, not 1000000000000.0")
        try assertRefused(["render", photo, "--hold", "1e300"], mentions: "--hold must be between 0.0 and 600.0 seconds")
        try assertRefused(["render", photo, "--fps", "nan"], mentions: "--fps must be between 1.0 and 240.0, not nan")
        try assertRefused(["render", photo, "--crf", "-3"], mentions: "--crf must be between 0 and 51, not -3")
        try assertRefused(["render", photo, "--size", "0x0"], mentions: "--size must look like 720x720")
        try assertRefused(["train", "nose", "--data", folder.path, "--input-size", "0"], mentions: "--input-size must be between 40 and 1280, not 0")
        try assertRefused(["train", "landmarks", "--data", folder.path, "--input-size", "100000"], mentions: "--input-size must be between 32 and 1024")
        try assertRefused(["train", "nose", "--data", folder.path, "--epochs", "-1"], mentions: "--epochs must be between 1 and 10000, not -1")
        try assertRefused(["train", "imm", "--data", folder.path, "--batch-size", "0"], mentions: "--batch-size must be between 2 and 4096, not 0")
        try assertRefused(["train", "landmarks", "--data", folder.path, "--unlabelled", folder.path, "--unlabelled-ratio", "0"],
                          mentions: "--unlabelled-ratio must be between 0.05 and 20.0, not 0.0")
        try assertRefused(["train", "landmarks", "--data", folder.path, "--unlabelled-ratio", "2"], mentions: "--teachers and --unlabelled-ratio need --unlabelled")
        try assertRefused(["train", "landmarks", "--data", folder.path, "--unlabelled", folder.path], mentions: "no peopleDevTrain.txt there")
        try assertRefused(["train", "imm-crop", "--data", folder.path, "--head", "pool", "--feature-stride", "8"],
                          mentions: "--feature-stride 8 needs --head integral")
        try assertRefused(["train", "landmarks", "--data", folder.path, "--head", "pool", "--cell-loss-weight", "1"],
                          mentions: "--cell-loss-weight needs --head integral")
        try assertRefused(["train", "nose-crop", "--data", folder.path, "--feature-stride", "12"],
                          mentions: "--feature-stride must be")
        try assertRefused(["bench", "detect", photo, "--passes", "1"], mentions: "--passes must be between 2 and 100, not 1")
        try assertRefused(["detect", photo, "--min-confidence", "-1"], mentions: "--min-confidence must be between 0.0 and 1.0, not -1.0")
        // Negative numbers are values to check, not unknown options ("Missing value").
        try assertRefused(["render", photo, "--face", "-1"], mentions: "--face must be auto, largest, center or a number")
        try assertRefused(["bench", "render", "--frames", "-1"], mentions: "--frames must be between 1 and 100000, not -1")
        try assertRefused(["bench", "video", photo, "--count", "-1"], mentions: "--count must be between 1 and 1000, not -1")
        try assertRefused(["bench", "detect", photo, "--megapixels", "-1"], mentions: "--megapixels must be between 0.01 and 100.0, not -1.0")
        try assertRefused(["train", "nose", "--data", folder.path, "--seed", "-1"], mentions: "'-1' is invalid for '--seed")
        try assertRefused(["train", "nose", "--data", folder.path, "--augmentation-strength", "-1"],
                          mentions: "--augmentation-strength must be between 0.0 and 10.0, not -1.0")
        try assertRefused(["train", "landmarks", "--data", folder.path, "--occlusion", "1.5"],
                          mentions: "--occlusion must be between 0.0 and 1.0, not 1.5")
        try assertRefused(["train", "verifier", "--data", folder.path, "--occlusion", "0.5"],
                          mentions: "--occlusion: the verifier's crops are not occluded")
        try assertRefused(["train", "faces", "--data", folder.path, "--occlusion", "0.5"],
                          mentions: "Error: --occlusion: the face finder's synthetic scenes have their own augmentation")
        try assertRefused(["train", "faces", "--data", folder.path, "--threshold", "-1"], mentions: "--threshold must be between 0.0 and 1.0, not -1.0")
        try assertRefused(["train", "faces", "--data", folder.path, "--levels", "-5"], mentions: "--levels: pyramid sides of 16 to 4096 pixels")
        XCTAssertEqual(names, [])
    }

    func testDetectFailsWhenEveryPhotoFailsAndEscapesFileNames() throws {
        let broken = path("bad\u{1B}[31mname.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: URL(fileURLWithPath: broken))
        let outcome = try MorphTool.run(["detect", broken, "-o", path("out"), "--models", MorphTool.models])
        XCTAssertFalse(outcome.signalled)
        XCTAssertEqual(outcome.status, 1, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("1 photo(s) failed"), outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("bad\\u{1B}[31mname.jpg"), outcome.standardError)
        XCTAssertFalse(outcome.standardError.contains("\u{1B}[31m"), "a file name must not drive the terminal")
    }

    func testDetectIntoThePhotosFolderNeverReplacesAPhoto() throws {
        let sheet = try photo("contact-sheet.jpg"), other = try photo("a.png")
        let before = try [sheet, other].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let outcome = try MorphTool.run(["detect", sheet, other, "-o", folder.path, "--models", MorphTool.models])
        XCTAssertEqual(outcome.status, 1, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("\(sheet): refusing to write there: it is the input photo"), outcome.standardError)
        XCTAssertEqual(try [sheet, other].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }, before)
        XCTAssertEqual(names, ["a.png", "contact-sheet.jpg"])
    }

    func testAVideoIsNeverWrittenOverADevice() throws {
        let input = try photo("a.png")
        let outcome = try MorphTool.run([input, "-o", "/dev/null", "--models", MorphTool.models])
        XCTAssertEqual(outcome.status, 1, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("/dev/null: cannot write: not a regular file"), outcome.standardError)
        var info = stat()
        XCTAssertEqual(stat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a device")
    }

    /// Writes two photos with `.pts` sidecars (a made-up face the aligner accepts): rendering them
    /// needs no face finding.
    private func sidecarPhotos() throws -> [String] {
        try (0..<2).map { index in
            let name = "p\(index).png"
            let points = (0..<68).map { i -> String in
                if (36..<48).contains(i) {
                    let side = i < 42 ? -0.5 : 0.5, angle = Double(i % 6) * .pi / 3
                    return "\(48 + side * 20 + 3 * cos(angle) + 1) \(36 + 1.6 * sin(angle) + 1)"
                }
                let angle = Double(i) * 2 * .pi / 68
                return "\(48 + 22 * cos(angle) + 1) \(46 + 24 * sin(angle) + 1)"
            }
            try "version: 1\nn_points: 68\n{\n\(points.joined(separator: "\n"))\n}\n"
                .write(toFile: path("p\(index).pts"), atomically: false, encoding: .utf8)
            return try photo(name, seed: index + 2)
        }
    }

    func testAnInterruptedRenderLeavesNoPartialVideo() throws {
        let photos = try sidecarPhotos()
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            let log = folder.appendingPathComponent("render.log")
            let process = try MorphTool.start(photos + ["-o", path("out.mp4"), "--size", "640x480", "--transition", "600",
                                                        "--preset", "ultrafast", "--models", MorphTool.models], errorLog: log)
            let deadline = Date().addingTimeInterval(60)
            while !names.contains(where: { $0.contains(".partial-") }) && process.isRunning && Date() < deadline {
                usleep(20_000)
            }
            XCTAssertTrue(process.isRunning, "the render ended early: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            XCTAssertTrue(names.contains { $0.hasPrefix(".out.partial-\(process.processIdentifier)-") }, "\(names)")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "signal \(signal)")
            XCTAssertEqual(process.terminationStatus, signal)
            XCTAssertEqual(names.filter { $0.contains("partial") || $0 == "out.mp4" }, [], "signal \(signal)")
            try FileManager.default.removeItem(at: log)
        }
    }
}
