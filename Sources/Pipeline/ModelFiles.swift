import Foundation
import Landmarks

/// Finds the shipped model files: `--models DIR`, `$MORPH_MODELS`, `./models`, or the `models`
/// folder of the source tree the executable was built in (`.build/<config>/morph`).
public enum ModelFiles {
    /// The folder holding `faces.safetensors`, `landmarks68.safetensors` and `face-verifier.safetensors`.
    public static func folder(explicit: String? = nil) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["MORPH_MODELS"] {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let local = URL(fileURLWithPath: "models")
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("landmarks68.safetensors").path) {
            return local
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("../../../models").standardizedFileURL
    }

    /// A new analyser with the finder, the verifier (when the folder has one: a folder of earlier
    /// models works without, only slower) and the 68-point model from `folder`.
    public static func analyzer(folder: URL, manualBoxes: FaceBoxes?) throws -> FaceAnalyzer {
        let finder = try FaceFinder(contentsOf: folder.appendingPathComponent("faces.safetensors"))
        let verifierURL = folder.appendingPathComponent("face-verifier.safetensors")
        let verifier = FileManager.default.fileExists(atPath: verifierURL.path) ? try FaceVerifier(contentsOf: verifierURL) : nil
        let landmarks = try TrainedModel(contentsOf: folder.appendingPathComponent("landmarks68.safetensors"))
        return FaceAnalyzer(finder: finder, verifier: verifier, landmarks: landmarks, manualBoxes: manualBoxes?.dataset)
    }
}

import FaceData

/// Face boxes given by hand in dlib's imglab XML (`--faces FILE`).
public struct FaceBoxes: Sendable {
    /// The parsed file.
    public let dataset: DlibDataset

    /// Reads `path`.
    public init(path: String) throws {
        dataset = try DlibDataset(contentsOf: URL(fileURLWithPath: path))
    }
}
