import Foundation
import Plumbing
import Imaging
import Morph

/// What a morph video used, photo by photo (`--manifest FILE.json`).
public struct VideoManifest: Codable, Sendable {
    /// The video file.
    public var video: String
    /// Frames, frames per second, frame size.
    public var frames: Int, fps: Double, width: Int, height: Int
    /// How the face of each photo was chosen (`auto`, `person`, `largest`, ...).
    public var faceChoice: String
    /// The note of the choice, e.g. why `auto` fell back to the largest faces.
    public var note: String?
    /// Every input photo, in the video's order; skipped photos where they would have been.
    public var photos: [Entry]

    /// One input photo.
    public struct Entry: Codable, Sendable {
        /// The photo's path.
        public var path: String
        /// Whether the video shows it.
        public var used: Bool
        /// Why not, for a skipped photo.
        public var reason: String?
        /// The face used.
        public var face: Face?
        /// The first and last frame where the photo shows (its transitions included), and its still frames.
        public var firstFrame: Int?, lastFrame: Int?, holdFrames: [Int]?
    }

    /// The face a photo gave the video.
    public struct Face: Codable, Sendable {
        /// The face box and its 68 keypoints, upright photo pixels.
        public var box: Box, points: [Point]
        /// The finder's score and how settled the keypoints are.
        public var score: Double, confidence: Double
        /// The mean likeness with the person's faces in other photos (or the reference), when followed by identity.
        public var similarity: Double?
    }

    /// The manifest of a video over `ordered` photos where `picked[i]` is photo i's face (or why it
    /// was skipped), shown in `schedule` in the order of the used ones.
    init(video: String, ordered: [String], picked: [Result<PickedFace, PhotoProblem>], schedule: FrameSchedule,
         options: MorphVideoOptions, note: String?) {
        self.video = video
        frames = schedule.frameCount
        fps = schedule.fps
        width = options.width
        height = options.height
        faceChoice = "\(options.face)"
        self.note = note
        var shown = 0
        photos = zip(ordered, picked).map { path, result in
            switch result {
            case .failure(let problem):
                return Entry(path: path, used: false, reason: problem.reason)
            case .success(let pick):
                defer { shown += 1 }
                let visible = schedule.visibleRange(of: shown), hold = schedule.holdRange(of: shown)
                let face = Face(box: pick.face.box, points: pick.face.points, score: pick.face.score,
                                confidence: pick.face.confidence, similarity: pick.similarity)
                return Entry(path: path, used: true, face: face, firstFrame: visible.lowerBound, lastFrame: visible.upperBound,
                             holdFrames: [hold.lowerBound, hold.upperBound])
            }
        }
    }

    /// Writes the manifest as pretty-printed JSON, atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
