import Foundation
import Imaging
import Landmarks
import Morph
import Video

/// Settings of a morph video.
public struct MorphVideoOptions: Sendable {
    /// Frame width and height in pixels (even).
    public var width = 720, height = 720
    /// Seconds of each transition.
    public var transition = 1.5
    /// Seconds each photo is held.
    public var hold = 0.5
    /// Frames per second.
    public var fps = 30.0
    /// Progress-to-weight curve of the transitions.
    public var easing = Easing.smooth
    /// H.264 quality (constant rate factor; lower is better).
    public var crf = 20
    /// x264 speed preset.
    public var preset = "veryfast"
    /// How the photos are put in sequence.
    public var order = PhotoOrder.auto
    /// Which face of a photo with several.
    public var face = FaceChoice.largest
    /// Fail on the first unusable photo instead of skipping it.
    public var strict = false

    /// Options with every field at its default.
    public init() {}
}

/// What a finished morph video job did.
public struct MorphVideoReport: Sendable {
    /// The photos in the video, in order.
    public var used: [String]
    /// The photos left out, with the reason.
    public var skipped: [PhotoProblem]
    /// Frames the encoder accepted (the schedule's frame count when all went well).
    public var frames: Int
    /// Video length in seconds.
    public var duration: Double
}

/// Photos -> ordered, analysed, aligned, morphed -> one H.264 MP4 (or GIF), streamed frame by frame.
public struct MorphVideoJob {
    /// The input photos.
    public let photos: [String]
    /// The output video path.
    public let output: String
    /// The settings.
    public let options: MorphVideoOptions
    /// Makes one analyser per worker thread.
    public let makeAnalyzer: () throws -> FaceAnalyzer

    /// A job over `photos` writing `output`.
    public init(photos: [String], output: String, options: MorphVideoOptions, makeAnalyzer: @escaping () throws -> FaceAnalyzer) {
        self.photos = photos
        self.output = output
        self.options = options
        self.makeAnalyzer = makeAnalyzer
    }

    /// Runs the job. The output path is checked before any photo is read; the video is written to a
    /// temporary file renamed into place at the end.
    public func run(progress: ProgressReporter?) throws -> MorphVideoReport {
        try OutputPath.check(output, inputs: photos)
        FFmpegLogging.showErrorsOnly()
        let aligner = try FaceAligner(width: options.width, height: options.height)
        let ordered = options.order.sorted(photos) { try? ImageFile.exif(of: $0).dateTimeOriginal }
        var skipped = [PhotoProblem]()
        var chosen = [(path: String, points: [Point])]()
        let choice = options.face
        let picked = try PhotoBatch.analyze(ordered, makeAnalyzer: makeAnalyzer, progress: progress) { analyzer, path in
            let analysis = try analyzer.analyze(path, mode: .grey)
            guard let face = choice.pick(from: analysis) else {
                throw PhotoProblem(path: path, reason: analysis.faces.isEmpty ? "no face found" : "no face \(choice)")
            }
            do {
                let eyes = try FaceAligner.eyeCentres(ibug68: face.points)
                _ = try aligner.transform(leftEye: eyes.left, rightEye: eyes.right)
            } catch {
                throw PhotoProblem(path: path, reason: "unusable keypoints: \(error)")
            }
            return (path: path, points: face.points)
        }
        for result in picked {
            switch result {
            case .failure(let problem):
                if options.strict { throw problem }
                skipped.append(problem)
            case .success(let face):
                chosen.append(face)
            }
        }
        for problem in skipped { progress?.log("skipped \(problem)") }
        guard !chosen.isEmpty else { throw PipelineError.noUsablePhoto(skipped: skipped.count) }
        let schedule = try FrameSchedule(photoCount: chosen.count, transition: options.transition, hold: options.hold,
                                         fps: options.fps)
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: options.width, height: options.height,
                                                                            fps: options.fps, crf: options.crf,
                                                                            preset: options.preset), inputs: photos)
        let started = Date()
        do {
            try MorphSequence(schedule: schedule, easing: options.easing) { index in
                try MorphVideoJob.align(chosen[index].path, points: chosen[index].points, aligner: aligner)
            }.render { index, frame in
                try encoder.append(frame)
                progress?.update("rendering frames", done: index + 1, total: schedule.frameCount, detail: "", stepStart: started)
            }
            try encoder.finish()
        } catch {
            encoder.cancel()  // removes the temporary file; nothing is left at the output path
            throw error
        }
        return MorphVideoReport(used: chosen.map(\.path), skipped: skipped, frames: encoder.frameCount, duration: schedule.duration)
    }
}

extension MorphVideoJob {
    /// The aligned frame of one photo. The photo is decoded again here (not kept from the analysis)
    /// so memory does not grow with the photo count, and shrunk in the JPEG decoder as far as the
    /// frame still samples it at least every half pixel.
    static func align(_ path: String, points: [Point], aligner: FaceAligner) throws -> AlignedFace {
        let eyes = try FaceAligner.eyeCentres(ibug68: points)
        let targets = aligner.eyeTargets
        let frameScale = targets.left.distance(to: targets.right) / max(eyes.left.distance(to: eyes.right), 1e-6)
        var shrink = 1
        while shrink < 8 && frameScale * Double(shrink * 2) <= 0.5 { shrink *= 2 }
        let photo = try ImageFile.read(path, mode: .rgb, shrink: shrink)
        let factor = 1 / Double(photo.scale)  // DCT scaling: output pixel i covers input pixels [i*s, (i+1)*s)
        let scaled = points.map { Point(x: ($0.x + 0.5) * factor - 0.5, y: ($0.y + 0.5) * factor - 0.5) }
        return try aligner.align(photo.image, ibug68: scaled)
    }
}

/// Why a pipeline job could not produce anything.
public enum PipelineError: Error, CustomStringConvertible {
    /// Every photo was skipped.
    case noUsablePhoto(skipped: Int)
    /// An output would replace an input photo or take a photo's sidecar name.
    case outputCollides(output: String, what: String)
    /// The output folder cannot be made or written.
    case cannotWrite(path: String, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .noUsablePhoto(let skipped): return "no usable photo: all \(skipped) were skipped (see the reasons above)"
        case let .outputCollides(output, what): return "\(output): refusing to write there: it is \(what) (choose another output folder)"
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        }
    }
}
