import ArgumentParser
import NeuralNet

/// `morph`: face-morph videos from photo collections, face keypoints, and the training of their detectors.
struct MorphCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "morph",
        abstract: "Turn a photo collection into a face-morph video; find face keypoints; train the detectors.",
        discussion: """
            Without a subcommand, `morph PHOTOS... -o video.mp4` renders the morph video.
            Training and evaluation read the datasets described in the README.
            """,
        version: "morph \(version) (BLAS: OpenBLAS \(BLASRuntime.coreName) kernels, \(BLASRuntime.threadCount) threads)",
        subcommands: [Render.self, Detect.self, Train.self, Eval.self, Bench.self, Manual.self],
        defaultSubcommand: Render.self)
}
