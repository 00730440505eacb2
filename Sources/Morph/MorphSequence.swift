import Imaging

/// Renders a whole morph video's frames, in schedule order, from the aligned faces.
///
/// Frames are produced one at a time and handed to a closure (typically a video encoder), so
/// memory stays flat however long the video is. Faces are asked for in order, each once, and only
/// the current pair (with its triangulation) is kept.
///
///     let aligner = try FaceAligner(width: 720, height: 720)
///     let schedule = try FrameSchedule(photoCount: photos.count, transition: 1.5, hold: 0.5, fps: 30)
///     let encoder = try VideoEncoder(path: "out.mp4", settings: VideoSettings(width: 720, height: 720, fps: 30))
///     try MorphSequence(schedule: schedule, easing: .smooth) { i in
///         try aligner.align(photos[i].image, ibug68: photos[i].keypoints)
///     }.render { _, frame in try encoder.append(frame) }
///     try encoder.finish()
public struct MorphSequence {
    /// Which frame shows what.
    public let schedule: FrameSchedule
    /// Progress-to-weight curve of the transitions.
    public let easing: Easing
    /// The aligned face of photo `i` (all of one frame size), asked for once per photo, in order.
    public let face: (Int) throws -> AlignedFace

    /// A sequence whose faces come from `face(i)` for `i` in `0..<schedule.photoCount`.
    public init(schedule: FrameSchedule, easing: Easing = .smooth, face: @escaping (Int) throws -> AlignedFace) {
        (self.schedule, self.easing, self.face) = (schedule, easing, face)
    }

    /// A sequence over faces already in memory.
    public init(faces: [AlignedFace], schedule: FrameSchedule, easing: Easing = .smooth) {
        precondition(schedule.photoCount == faces.count, "schedule is for \(schedule.photoCount) photos, \(faces.count) given")
        self.init(schedule: schedule, easing: easing) { faces[$0] }
    }

    /// Calls `body(index, frame)` for every frame in order; rethrows the first error `face` or `body`
    /// throws, and throws `MorphError.mismatchedPair` when consecutive faces differ in size or keypoints.
    public func render(_ body: (_ index: Int, _ frame: Image) throws -> Void) throws {
        var current = (index: 0, face: try face(0))
        var next: (index: Int, face: AlignedFace)?
        var morph: (pair: Int, FaceMorph)?
        var canvas = Image(width: current.face.image.width, height: current.face.image.height, channels: 3)
        for (index, frame) in schedule.enumerated() {
            switch frame {
            case .hold(let photo):
                if photo != current.index {
                    current = next?.index == photo ? next! : (photo, try face(photo))
                    next = nil
                }
                try body(index, current.face.image)
            case .transition(let pair, let t):
                if morph?.pair != pair {
                    if next?.index != pair + 1 { next = (pair + 1, try face(pair + 1)) }
                    morph = (pair, try FaceMorph(from: current.face, to: next!.face))
                }
                morph!.1.render(alpha: easing.apply(t), into: &canvas)
                try body(index, canvas)
            }
        }
    }
}
