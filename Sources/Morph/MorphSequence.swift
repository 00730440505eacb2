import Imaging

/// Renders a whole morph video's frames, in schedule order, from the aligned faces.
///
/// Frames are produced one at a time and handed to a closure (typically a video encoder), so
/// memory stays flat however long the video is. Only the current pair's triangulation is kept.
///
///     let aligner = try FaceAligner(width: 720, height: 720)
///     let faces = try photos.map { try aligner.align($0.image, ibug68: $0.keypoints) }
///     let schedule = try FrameSchedule(photoCount: faces.count, transition: 1.5, hold: 0.5, fps: 30)
///     let encoder = try VideoEncoder(path: "out.mp4", settings: VideoSettings(width: 720, height: 720, fps: 30))
///     try MorphSequence(faces: faces, schedule: schedule, easing: .smooth).render { _, frame in
///         try encoder.append(frame)
///     }
///     try encoder.finish()
public struct MorphSequence {
    /// The aligned faces, in video order.
    public let faces: [AlignedFace]
    /// Which frame shows what.
    public let schedule: FrameSchedule
    /// Progress-to-weight curve of the transitions.
    public let easing: Easing

    /// A sequence over `faces` (all of one frame size); the schedule must be for `faces.count` photos.
    public init(faces: [AlignedFace], schedule: FrameSchedule, easing: Easing = .smooth) {
        precondition(schedule.photoCount == faces.count, "schedule is for \(schedule.photoCount) photos, \(faces.count) given")
        precondition(faces.allSatisfy { $0.image.width == faces[0].image.width && $0.image.height == faces[0].image.height },
                     "aligned faces differ in frame size")
        (self.faces, self.schedule, self.easing) = (faces, schedule, easing)
    }

    /// Calls `body(index, frame)` for every frame in order; rethrows the first error `body` throws,
    /// and throws `MorphError.mismatchedPair` when consecutive faces differ in size or keypoints.
    public func render(_ body: (_ index: Int, _ frame: Image) throws -> Void) throws {
        var morph: (pair: Int, FaceMorph)?
        var canvas = Image(width: faces[0].image.width, height: faces[0].image.height, channels: 3)
        for (index, frame) in schedule.enumerated() {
            switch frame {
            case .hold(let photo):
                try body(index, faces[photo].image)
            case .transition(let pair, let t):
                if morph?.pair != pair { morph = (pair, try FaceMorph(from: faces[pair], to: faces[pair + 1])) }
                morph!.1.render(alpha: easing.apply(t), into: &canvas)
                try body(index, canvas)
            }
        }
    }
}
