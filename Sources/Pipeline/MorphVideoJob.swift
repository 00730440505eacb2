import FaceAnalysis
import Foundation
import Imaging
import Morph
import Plumbing
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
    public var face = FaceChoice.auto
    /// The reference photo and the 1-based number of its face (largest first) for `FaceChoice.person`.
    public var reference: (path: String, face: Int)?
    /// Where to write the manifest (`VideoManifest`), if anywhere.
    public var manifest: String?
    /// Fail on the first unusable photo instead of skipping it.
    public var strict = false
    /// What fills the frame where an aligned photo does not reach.
    public var background = Background.blur
    /// Bring the photos' colours towards a reference smoothed along the order (`ColourHarmonizer`).
    public var harmonize = true
    /// The caption in the corner of each photo's frames.
    public var caption = CaptionStyle.none

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
    /// A note on how faces were chosen (e.g. the identity rule fell back to the largest faces).
    public var note: String?
    /// Colour steps between neighbouring photos and the share of black pixels, measured on the frames before encoding.
    public var smoothness: Smoothness

    /// The lines `morph` ends with after writing `output` in `seconds`: counts, colour steps, the
    /// `manifest` if one was written, and the photos skipped.
    public func summary(output: String, seconds: Double, manifest: String?) -> [String] {
        var lines = [String(format: "wrote %@: %d photos, %d frames, %.1f s of video, in %.1f s", output, used.count, frames,
                            duration, seconds), smoothness.summary]
        if let manifest { lines.append("manifest: \(manifest)") }
        if !skipped.isEmpty { lines += ["skipped \(skipped.count) photo(s):"] + skipped.map { "  \($0)" } }
        return lines
    }
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

    /// Runs the job. The output and manifest paths are checked before any photo is read; the video is
    /// written to a temporary file renamed into place at the end.
    public func run(progress: ProgressReporter?) throws -> MorphVideoReport {
        // The reference photo of --person is read too: neither output may replace it.
        let inputs = photos + (options.reference.map { [$0.path] } ?? [])
        try OutputPath.check(output, inputs: inputs)
        if let manifest = options.manifest {
            try OutputPath.check(manifest, inputs: inputs)
            if OutputPath.sameFile(manifest, output) {
                throw VideoError.cannotWrite(path: manifest, reason: "it is the video's own path (-o): name another file for the manifest")
            }
        }
        FFmpegLogging.showErrorsOnly()
        let aligner = try FaceAligner(width: options.width, height: options.height, background: options.background)
        let ordered = options.order.sorted(photos) { try? ImageFile.exif(of: $0).dateTimeOriginal }
        let (picker, pickerNote) = try makePicker()
        let analysed = try PhotoBatch.analyze(ordered, makeAnalyzer: makeAnalyzer, progress: progress) { analyzer, path in
            PhotoFaces(try analyzer.analyze(path, mode: .grey))
        }
        let faces = analysed.compactMap { try? $0.get() }
        var picks = picker.pick(faces)
        var next = picks.faces.makeIterator()
        // Photos that could not be analysed keep their problem; the others get their pick, checked for alignment.
        let picked: [Result<PickedFace, PhotoProblem>] = analysed.map { result in
            result.flatMap { photo in
                next.next()!.flatMap { pick in
                    do {
                        let eyes = try FaceAligner.eyeCentres(ibug68: pick.face.points)
                        _ = try aligner.transform(leftEye: eyes.left, rightEye: eyes.right)
                        return .success(pick)
                    } catch {
                        return .failure(PhotoProblem(path: photo.path, reason: "unusable keypoints: \(error)"))
                    }
                }
            }
        }
        picks.note = picks.note ?? pickerNote
        if let note = picks.note { progress?.log("note: \(note)") }
        var skipped = [PhotoProblem]()
        var chosen = [(path: String, points: [Point])]()
        for (path, result) in zip(ordered, picked) {
            switch result {
            case .failure(let problem):
                if options.strict { throw problem }
                skipped.append(problem)
            case .success(let pick):
                chosen.append((path, pick.face.points))
            }
        }
        for problem in skipped { progress?.log("skipped \(problem)") }
        guard !chosen.isEmpty else { throw PipelineError.noUsablePhoto(skipped: skipped.count) }
        let schedule = try FrameSchedule(photoCount: chosen.count, transition: options.transition, hold: options.hold,
                                         fps: options.fps)
        let captions = options.caption == .none ? nil : try Captions(chosen.map {
            options.caption.text(path: $0.path, exif: (try? ImageFile.exif(of: $0.path)) ?? EXIFInfo())
        }, width: options.width, height: options.height)
        let encoder = try VideoEncoder(path: output, settings: VideoSettings(width: options.width, height: options.height,
                                                                            fps: options.fps, crf: options.crf,
                                                                            preset: options.preset), inputs: photos)
        let started = Date()
        var meter = SmoothnessMeter(region: aligner.faceRegion)
        do {
            let transfers = options.harmonize ? try Self.colourTransfers(chosen, aligner: aligner) : Array(repeating: nil, count: chosen.count)
            try MorphSequence(schedule: schedule, easing: options.easing) { index in
                let face = try MorphVideoJob.align(chosen[index].path, points: chosen[index].points, aligner: aligner)
                guard let transfer = transfers[index] else { return face }
                var image = face.image
                transfer.apply(to: &image)
                return AlignedFace(image: image, points: face.points)
            }.render { index, frame in
                let shown = captions?.draw(on: frame, showing: schedule[index], easing: options.easing) ?? frame
                meter.add(shown, holdOf: schedule[index].heldPhoto)
                try encoder.append(shown)
                progress?.update("rendering frames", done: index + 1, total: schedule.frameCount, detail: "", stepStart: started)
            }
            try encoder.finish()
        } catch {
            encoder.cancel()  // removes the temporary file; nothing is left at the output path
            throw error
        }
        if let manifest = options.manifest {
            try VideoManifest(video: output, ordered: ordered, picked: picked, schedule: schedule, options: options,
                              note: picks.note).write(to: manifest)
        }
        return MorphVideoReport(used: chosen.map(\.path), skipped: skipped, frames: encoder.frameCount,
                                duration: schedule.duration, note: picks.note, smoothness: meter.result)
    }

    /// The picker for the options' face choice, and a note when the identity rule cannot run. The
    /// reference photo of `.person` is analysed here: it must hold the face asked for.
    func makePicker() throws -> (PersonPicker, String?) {
        guard options.face.followsPerson else { return (PersonPicker(choice: options.face, tracker: nil), nil) }
        let analyzer = try makeAnalyzer()
        guard let threshold = analyzer.identityThreshold else {
            if options.face == .person { throw PipelineError.noIdentityModel(option: "--person") }
            return (PersonPicker(choice: .largest, tracker: nil),
                    "no identity model (identity.safetensors) among the models: the largest face of each photo is used")
        }
        let tracker = PersonTracker(threshold: threshold)
        guard options.face == .person, let reference = options.reference else { return (PersonPicker(choice: .auto, tracker: tracker), nil) }
        let faces = try analyzer.analyze(reference.path, mode: .grey).faces
        guard reference.face >= 1 && reference.face <= faces.count, let embedding = faces[reference.face - 1].embedding else {
            throw PipelineError.badReference(path: reference.path, reason: faces.isEmpty ? "no face found"
                                             : "it has \(faces.count) face\(faces.count == 1 ? "" : "s"), not a face number \(reference.face)")
        }
        return (PersonPicker(choice: .person, tracker: tracker, reference: embedding), nil)
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
    /// An option that needs an identity model was given, but the models have none.
    case noIdentityModel(option: String)
    /// The reference photo of `--person` cannot be used.
    case badReference(path: String, reason: String)
    /// An output would replace an input photo or take a photo's sidecar name.
    case outputCollides(output: String, what: String)
    /// The output folder cannot be made or written.
    case cannotWrite(path: String, reason: String)
    /// The models folder does not hold the face finder.
    case noModels(folder: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .noUsablePhoto(let skipped): return "no usable photo: all \(skipped) were skipped (see the reasons above)"
        case .noIdentityModel(let option): return "\(option) needs an identity model (identity.safetensors) in the models folder"
        case let .badReference(path, reason): return "\(path): cannot be the reference of --person: \(reason)"
        case let .outputCollides(output, what): return "\(output): refusing to write there: it is \(what) (choose another output folder)"
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        case .noModels(let folder):
            return "\(folder): no models here (faces.safetensors is missing): give the models folder with --models FOLDER or MORPH_MODELS=FOLDER"
        }
    }
}
