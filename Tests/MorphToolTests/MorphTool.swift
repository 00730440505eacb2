import Foundation
import XCTest

/// Runs the built `morph` executable (beside the test bundle, or in the package's .build/debug).
enum MorphTool {
    /// What a finished run printed and how it ended.
    struct Outcome {
        var status: Int32
        var signalled: Bool
        var standardError: String
    }

    /// The package's root folder (this file is Tests/MorphToolTests/MorphTool.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The shipped models, for the commands that load them before reading any photo.
    static let models = packageRoot.appendingPathComponent("models").path

    /// Starts `morph ARGUMENTS` with its standard error captured to a file (read it after it ends).
    static func start(_ arguments: [String], errorLog: URL) throws -> Process {
        let process = Process()
        process.executableURL = try locate()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = environment["OPENBLAS_CORETYPE"] ?? "Haswell"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `morph ARGUMENTS` to the end.
    static func run(_ arguments: [String]) throws -> Outcome {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("morph-tool-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let process = try start(arguments, errorLog: log)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       standardError: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// The executable's location; a missing executable fails the test.
    static func locate() throws -> URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("morph")
        let inBuild = packageRoot.appendingPathComponent(".build/debug/morph")
        guard let found = [besideTests, inBuild].first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("no morph executable at \(besideTests.path) or \(inBuild.path): build it first (swift build --build-tests)")
            throw CocoaError(.fileNoSuchFile)
        }
        return found
    }
}
