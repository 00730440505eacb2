import Foundation
import Pipeline

/// `morph bench video`: the whole job, `morph PHOTOS -o video.mp4`, end to end on a collection of mixed sizes.
public enum VideoBenchmark {
    /// The megapixels the collection's photos are enlarged to, in turn.
    public static let sizes = [0.3, 1, 2, 5, 8, 12]

    /// The lines for `count` photos drawn from `photos` (cycled) and enlarged to `sizes` in a temporary
    /// folder, rendered with `options` and the models in `models` into a temporary video (both removed):
    /// the time from the first photo read to the video written, then the job's note and colour steps.
    /// `face` names the face choice in the report.
    public static func lines(photos: [String], count: Int, face: String, options: MorphVideoOptions, models: URL) throws -> [String] {
        let sources = (0..<count).map { photos[$0 % photos.count] }
        let collection = try DetectBenchmark.enlarged(sources, megapixels: sizes)
        defer { try? FileManager.default.removeItem(atPath: (collection[0] as NSString).deletingLastPathComponent) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("morph-bench-\(getpid()).mp4").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let started = Date()
        let identity = options.face.followsPerson ? ModelFiles.identityModel(in: models) : nil
        let report = try MorphVideoJob(photos: collection, output: output, options: options) {
            try ModelFiles.analyzer(folder: models, manualBoxes: nil, identity: identity)
        }.run(progress: nil)
        return [String(format: "video: %d photos (0.3-12 MP), face %@, %d frames at 720x720, 30 fps: %.1f s end to end (%d skipped)",
                       count, face, report.frames, Date().timeIntervalSince(started), report.skipped.count)]
            + (report.note.map { ["note: \($0)"] } ?? []) + [report.smoothness.summary]
    }
}
