import ArgumentParser
import FaceAnalysis
import Foundation
import Imaging
import Morph
import Pipeline
import Plumbing
import Video

extension MorphCommand {
    /// `morph PHOTOS -o video.mp4`: the morph video.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a face-morph video from photos (the default subcommand).",
            discussion: """
                Photos are ordered by capture date when every photo has one, else by file name; each face is aligned on its eyes and morphed into the next. A photo whose keypoints are wrong can be fixed by hand with a sidecar beside it: 300-W points (.pts) or a `morph detect` JSON (.json), named after the photo's full name (b.jpg.pts) or its stem (b.pts); the full name is looked up first, .pts before .json, and a stem shared by two photos (b.jpg and b.png) is refused rather than guessed. Interrupting the render (Ctrl-C, SIGTERM, SIGHUP, a closed output pipe) removes the partial video; a partial video of a killed run is removed by the next render into that folder.
                """)

        @OptionGroup var input: PhotoArguments
        @OptionGroup var look: LookArguments

        @Option(name: .shortAndLong, help: "Output video: .mp4 (H.264) or .gif.")
        var output = "morph.mp4"

        @Option(help: "Frame size WIDTHxHEIGHT (even numbers, 16 to 7680).")
        var size = "720x720"

        @Option(parsing: .unconditional, help: "Seconds of each transition (0 to 600).")
        var transition = 1.5

        @Option(parsing: .unconditional, help: "Seconds each photo is held (0 to 600).")
        var hold = 0.5

        @Option(parsing: .unconditional, help: "Frames per second (1 to 240).")
        var fps = 30.0

        @Option(help: "Transition curve: linear or smooth.")
        var easing = Easing.smooth

        @Option(help: "Photo order: auto (date if every photo has one, else name), date, name or given.")
        var order = PhotoOrder.auto

        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Which face when a photo has several: auto (the person in the most photos), largest, center, or its number N (0 = largest).",
            discussion: "auto compares the faces of all photos with the identity model (identity.safetensors) and follows the person who appears in the most of them, matched through neighbouring photos so that a child is followed through the years. A photo where that person is not found is skipped with a warning, never replaced by someone else. Without an identity model, or when no person is found in two photos and a third of them (a collection of different people), auto uses the largest face of each photo."))
        var face = "auto"

        @Option(help: ArgumentHelp(
            "Follow the person of a reference photo: PHOTO (its largest face) or PHOTO:N (its N-th face, largest first, as `morph detect` lists them).",
            valueName: "photo[:n]"))
        var person: String?

        @Option(help: ArgumentHelp("Also write a JSON manifest: every photo in the video's order with the face used (box, 68 points, similarity) or why it was skipped, and its frames.",
                                   valueName: "file.json"))
        var manifest: String?

        @Option(parsing: .unconditional, help: "H.264 quality, constant rate factor 0 to 51 (lower is better, 18-28 typical).")
        var crf = 20

        @Option(help: "x264 speed preset (ultrafast ... veryslow).")
        var preset = "veryfast"

        func validate() throws {
            guard parsedSize != nil else { throw ValidationError("--size must look like 720x720 with even numbers from 16 to 7680") }
            guard FaceChoice(argument: face) != nil else { throw ValidationError("--face must be auto, largest, center or a number") }
            if let person {
                guard face == "auto" else { throw ValidationError("--person and --face \(face) choose the face in two ways: give one") }
                guard Self.reference(person) != nil else {
                    throw ValidationError("--person \(person): no such photo (give PHOTO or PHOTO:N with N from 1)")
                }
            }
            try OptionCheck.require(transition, in: 0...600, "--transition", unit: "seconds")
            try OptionCheck.require(hold, in: 0...600, "--hold", unit: "seconds")
            try OptionCheck.require(fps, in: 1...240, "--fps")
            try OptionCheck.require(crf, in: 0...51, "--crf")
            guard VideoEncoder.presets.contains(preset) else {
                throw ValidationError("--preset must be one of \(VideoEncoder.presets.joined(separator: ", ")), not \(preset)")
            }
        }

        /// `PHOTO` (face 1) or `PHOTO:N` when PHOTO exists, else nil.
        static func reference(_ argument: String) -> (path: String, face: Int)? {
            if FileManager.default.fileExists(atPath: argument) { return (argument, 1) }
            guard let colon = argument.lastIndex(of: ":"), let n = Int(argument[argument.index(after: colon)...]), n >= 1 else { return nil }
            let path = String(argument[..<colon])
            return FileManager.default.fileExists(atPath: path) ? (path, n) : nil
        }

        private var parsedSize: (Int, Int)? {
            let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ (16...7680).contains($0) && $0 % 2 == 0 }) else { return nil }
            return (parts[0], parts[1])
        }

        func run() throws {
            var options = MorphVideoOptions()
            (options.width, options.height) = parsedSize!
            options.transition = transition
            options.hold = hold
            options.fps = fps
            options.easing = easing
            options.order = order
            options.face = FaceChoice(argument: face)!
            if let person {
                options.face = .person
                options.reference = Self.reference(person)
            }
            options.manifest = manifest
            options.crf = crf
            options.preset = preset
            options.strict = input.strict
            look.apply(to: &options)
            let job = MorphVideoJob(photos: input.photos, output: output, options: options,
                                    makeAnalyzer: try input.analyzerFactory(identity: options.face.followsPerson))
            let progress = ProgressReporter()
            let started = Date()
            let report = try job.run(progress: progress)
            report.summary(output: output, seconds: Date().timeIntervalSince(started), manifest: manifest).forEach { progress.log($0) }
        }
    }
}

extension Easing: ExpressibleByArgument {}
extension PhotoOrder: ExpressibleByArgument {}
