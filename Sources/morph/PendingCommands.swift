import ArgumentParser

extension MorphCommand {
    /// `morph detect`: keypoints for a photo collection.
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find faces and 68 keypoints in photos (JSON, .pts, overlays).")
        @Argument(help: "Photos to analyse.") var photos: [String] = []
        func run() throws { throw ValidationError("detection is not available yet in this build") }
    }

    /// `morph PHOTOS -o video.mp4`: the morph video.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render a face-morph video from photos (the default).")
        @Argument(help: "Photos, in any order.") var photos: [String] = []
        @Option(name: .shortAndLong, help: "Output video (.mp4).") var output = "morph.mp4"
        func run() throws { throw ValidationError("rendering is not available yet in this build") }
    }
}
