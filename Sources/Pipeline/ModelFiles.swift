import FaceAnalysis
import FaceData
import Foundation

/// Finds the shipped model files, in this order: `--models DIR`, `$MORPH_MODELS`, the install's
/// `share/morph/models` beside the executable's `bin/`, or the `models` folder of the source tree the
/// executable was built in (`.build/<config>/morph`). The current folder is never searched unless named.
public enum ModelFiles {
    /// The folder holding `faces.safetensors`, `landmarks68.safetensors`, and optionally
    /// `face-verifier.safetensors` and `identity.safetensors`.
    public static func folder(explicit: String? = nil) -> URL {
        // The running binary: argv[0] may be a bare name found on the PATH.
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return folder(explicit: explicit, environment: ProcessInfo.processInfo.environment["MORPH_MODELS"],
                      executable: URL(fileURLWithPath: running))
    }

    /// The lookup for a given `--models` value, `$MORPH_MODELS` value and executable.
    static func folder(explicit: String?, environment: String?, executable: URL) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let environment, !environment.isEmpty { return URL(fileURLWithPath: environment) }
        let binFolder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [binFolder.appendingPathComponent("../share/morph/models"),  // PREFIX/bin/morph
                          binFolder.appendingPathComponent("../../../models")]         // .build/<triple>/<config>/morph
        let found = candidates.map(\.standardizedFileURL).first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("landmarks68.safetensors").path)
        }
        return found ?? candidates[0].standardizedFileURL
    }

    /// The file `explicit` when given, else `fileName` in the models folder (`folder()`).
    public static func file(_ fileName: String, explicit: String?) -> URL {
        explicit.map(URL.init(fileURLWithPath:)) ?? folder().appendingPathComponent(fileName)
    }

    /// The identity model's file in `folder`.
    public static func identityURL(folder: URL) -> URL { folder.appendingPathComponent("identity.safetensors") }

    /// The folder's identity model file, or nil when it has none.
    public static func identityModel(in folder: URL) -> URL? {
        let url = identityURL(folder: folder)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A new analyser with the finder, the verifier (when the folder has one: a folder of earlier
    /// models works without, only slower) and the 68-point model from `folder`, and the identity model
    /// at `identity` if given.
    public static func analyzer(folder: URL, manualBoxes: FaceBoxes?, identity: URL? = nil) throws -> FaceAnalyzer {
        let finderURL = folder.appendingPathComponent("faces.safetensors")
        guard FileManager.default.fileExists(atPath: finderURL.path) else { throw PipelineError.noModels(folder: folder.path) }
        let finder = try FaceFinder(contentsOf: finderURL)
        let verifierURL = folder.appendingPathComponent("face-verifier.safetensors")
        let verifier = FileManager.default.fileExists(atPath: verifierURL.path) ? try FaceVerifier(contentsOf: verifierURL) : nil
        let landmarks = try TrainedModel(contentsOf: folder.appendingPathComponent("landmarks68.safetensors"))
        let identityModel = try identity.map(IdentityModel.init(contentsOf:))
        return FaceAnalyzer(finder: finder, verifier: verifier, landmarks: landmarks, manualBoxes: manualBoxes?.dataset,
                            identity: identityModel)
    }
}

/// Face boxes given by hand in dlib's imglab XML (`--faces FILE`).
public struct FaceBoxes: Sendable {
    /// The parsed file.
    public let dataset: DlibDataset

    /// Reads `path`.
    public init(path: String) throws {
        dataset = try DlibDataset(contentsOf: URL(fileURLWithPath: path))
    }
}
