import ArgumentParser
import FaceAnalysis
import Foundation
import Pipeline

/// Options shared by the commands that analyse photos (`morph` and `morph detect`).
struct PhotoArguments: ParsableArguments {
    @Argument(help: "Photos (JPEG or PNG).")
    var photos: [String] = []

    @Option(help: ArgumentHelp("Face boxes given by hand for photos the finder misses (dlib imglab XML; file names relative to it).",
                               valueName: "file"))
    var faces: String?

    @Option(help: ArgumentHelp("Folder with faces.safetensors and landmarks68.safetensors, and optionally face-verifier.safetensors and identity.safetensors (default: $MORPH_MODELS, else the installed or source tree's models).",
                               valueName: "dir"))
    var models: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Drop a found face whose keypoints settle worse than this (0...1; 0 keeps every box the finder and the verifier pass).",
                               valueName: "c"))
    var minConfidence = FaceAnalyzer.defaultMinimumConfidence

    @Option(parsing: .unconditional, help: ArgumentHelp("Of two found faces whose keypoint boxes nest by more than this share of the smaller box, keep the larger unless the smaller settles clearly better (1 keeps both).",
                               valueName: "share"))
    var nestedShare = FaceAnalyzer.defaultNestedShare

    @Flag(help: "Stop at the first photo that cannot be used instead of skipping it.")
    var strict = false

    func validate() throws {
        guard !photos.isEmpty else { throw ValidationError("give at least one photo") }
        try OptionCheck.require(minConfidence, in: 0...1, "--min-confidence")
        try OptionCheck.require(nestedShare, in: 0...1, "--nested-share")
        if let faces, !FileManager.default.fileExists(atPath: faces) {
            throw ValidationError("--faces \(faces): no such file")
        }
    }

    /// Makes one analyser (finder, verifier, keypoint model, and with `identity` the identity model when
    /// there is one) per call, reading the model files.
    func analyzerFactory(identity: Bool = false) throws -> () throws -> FaceAnalyzer {
        let folder = ModelFiles.folder(explicit: models)
        let boxes = try faces.map(FaceBoxes.init(path:))
        let minimumConfidence = minConfidence, nestedShare = nestedShare
        return {
            let analyzer = try ModelFiles.analyzer(folder: folder, manualBoxes: boxes,
                                                   identity: identity ? ModelFiles.identityModel(in: folder) : nil)
            analyzer.minimumConfidence = minimumConfidence
            analyzer.nestedShare = nestedShare
            return analyzer
        }
    }
}
