/// One output frame of a morph video: a photo held still, or a point inside a transition.
public enum ScheduledFrame: Equatable, Sendable {
    /// The aligned photo `photo`, unchanged.
    case hold(photo: Int)
    /// Between photo `pair` and photo `pair + 1`, at linear progress `t` strictly inside (0, 1)
    /// (apply `Easing` to get the morph weight).
    case transition(pair: Int, t: Double)

    /// The photo held in this frame, nil in a transition.
    public var heldPhoto: Int? {
        if case .hold(let photo) = self { return photo }
        return nil
    }
}

/// A setting of `FrameSchedule` that cannot describe a video.
public enum FrameScheduleError: Error, Equatable, CustomStringConvertible {
    /// No photo to show.
    case noPhotos
    /// Frames per second must be positive.
    case invalidFrameRate(Double)
    /// Durations must be finite and not negative.
    case invalidDuration(name: String, seconds: Double)
    /// The schedule would hold more frames than `FrameSchedule.maximumFrames`.
    case tooManyFrames(Double)

    /// A message naming the setting and the reason.
    public var description: String {
        switch self {
        case .noPhotos: return "frame schedule: no usable photo"
        case .invalidFrameRate(let fps): return "frame schedule: frame rate \(fps) is not a positive number"
        case .invalidDuration(let name, let seconds): return "frame schedule: \(name) \(seconds) s is not a duration >= 0"
        case .tooManyFrames(let frames):
            return "frame schedule: \(frames) frames is more than \(FrameSchedule.maximumFrames) (shorten the holds or transitions)"
        }
    }
}

/// The frame sequence of a morph video over `photoCount` photos.
///
/// With `H = max(1, round(hold * fps))` hold frames per photo and `M = round(transition * fps)`
/// transition frames per pair, the video is
///   hold(0) x H, transition(0, k / (M + 1)) for k = 1...M, hold(1) x H, ..., hold(N - 1) x H,
/// so `frameCount = N * H + (N - 1) * M` for N >= 2 photos. Transition frames exclude t = 0 and
/// t = 1, which the holds show. A single photo becomes a still of `max(H, round(fps))` frames
/// (at least one second). Frame `i` is shown at `i / fps` seconds.
public struct FrameSchedule: Sequence, Sendable {
    /// Number of photos.
    public let photoCount: Int
    /// Frames per second.
    public let fps: Double
    /// Frames each photo is held (`H`).
    public let holdFrames: Int
    /// Frames inside each transition (`M`).
    public let transitionFrames: Int
    /// Total number of frames in the video.
    public let frameCount: Int

    /// The most frames a schedule holds (10 hours at 30 fps).
    public static let maximumFrames = 1_080_000

    /// A schedule for `photoCount` photos; defaults are 1.5 s transitions, 0.5 s holds, 30 fps.
    public init(photoCount: Int, transition: Double = 1.5, hold: Double = 0.5, fps: Double = 30) throws {
        guard photoCount > 0 else { throw FrameScheduleError.noPhotos }
        guard fps.isFinite && fps > 0 else { throw FrameScheduleError.invalidFrameRate(fps) }
        for (name, seconds) in [("transition", transition), ("hold", hold)] where !(seconds.isFinite && seconds >= 0) {
            throw FrameScheduleError.invalidDuration(name: name, seconds: seconds)
        }
        // Counted in floating point first: a huge duration must not overflow the integer frame counts.
        let estimate = Double(photoCount) * (Swift.max(hold * fps, fps) + transition * fps)
        guard estimate <= Double(FrameSchedule.maximumFrames) else { throw FrameScheduleError.tooManyFrames(estimate) }
        self.photoCount = photoCount
        self.fps = fps
        transitionFrames = Int((transition * fps).rounded())
        let hold = Swift.max(1, Int((hold * fps).rounded()))
        holdFrames = photoCount == 1 ? Swift.max(hold, Int(fps.rounded())) : hold
        frameCount = photoCount * holdFrames + (photoCount - 1) * transitionFrames
    }

    /// Video duration in seconds (`frameCount / fps`).
    public var duration: Double { Double(frameCount) / fps }

    /// The frames where photo `photo` is held still.
    public func holdRange(of photo: Int) -> ClosedRange<Int> {
        precondition(photo >= 0 && photo < photoCount, "photo \(photo) outside 0..<\(photoCount)")
        let start = photo * (holdFrames + transitionFrames)
        return start...(start + holdFrames - 1)
    }

    /// The frames where photo `photo` shows at all: its hold and the transitions on either side.
    public func visibleRange(of photo: Int) -> ClosedRange<Int> {
        let hold = holdRange(of: photo)
        return (photo == 0 ? hold.lowerBound : hold.lowerBound - transitionFrames)...(photo == photoCount - 1 ? hold.upperBound : hold.upperBound + transitionFrames)
    }

    /// The frame at position `index` in `0..<frameCount`.
    public subscript(index: Int) -> ScheduledFrame {
        precondition(index >= 0 && index < frameCount, "frame index \(index) outside 0..<\(frameCount)")
        let period = holdFrames + transitionFrames
        let photo = index / period, offset = index % period
        if offset < holdFrames { return .hold(photo: photo) }
        return .transition(pair: photo, t: Double(offset - holdFrames + 1) / Double(transitionFrames + 1))
    }

    /// Iterates the frames in order, computed on the fly.
    public func makeIterator() -> AnyIterator<ScheduledFrame> {
        var next = 0
        return AnyIterator {
            guard next < frameCount else { return nil }
            defer { next += 1 }
            return self[next]
        }
    }
}
