import ArgumentParser
import FaceAnalysis
import Foundation
import Pipeline
import Plumbing

extension MorphCommand {
    /// `morph detect`: keypoints for a photo collection.
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find every face and its 68 keypoints; write JSON (and .pts), overlays and a contact sheet.",
            discussion: """
                For each photo, NAME.json holds the source, its upright size, the EXIF orientation applied and the faces (box, score, 68 points in upright pixel coordinates). An output folder may be the photos' own (the JSON then serves as each photo's sidecar), but the run is refused before any photo is read when an output would replace an input photo or take another photo's sidecar name. Failed photos are listed at the end; the exit status is non-zero for usage errors, when every photo failed, or with --strict at the first failure.
                """)

        @OptionGroup var input: PhotoArguments

        @Option(name: .shortAndLong, help: "Output folder.")
        var output = "keypoints"

        @Flag(help: "Also write 300-W .pts files (NAME.pts, NAME.face2.pts for a second face, ...).")
        var pts = false

        @Flag(help: "Skip the overlay pictures and the contact sheet.")
        var noOverlays = false

        @Flag(help: "Group the faces into people with the identity model: a `person` number on each face in the JSON (1: the person in the most photos) and people.jpg, one row of faces per person.")
        var people = false

        func run() throws {
            var options = DetectOptions()
            options.pts = pts
            options.overlays = !noOverlays
            options.strict = input.strict
            options.people = people
            let job = DetectJob(photos: input.photos, folder: URL(fileURLWithPath: output), options: options,
                                makeAnalyzer: try input.analyzerFactory(identity: people))
            let progress = ProgressReporter()
            let report = try job.run(progress: progress)
            report.summary(folder: output).forEach { progress.log($0) }
            if report.analysed.isEmpty { throw ExitCode.failure }
        }
    }
}
