import FaceAnalysis
import FaceData
import Imaging

/// Two keypoint models in a row: a whole-photo model's first guess, then a face-crop model's
/// second look at the crop made around that guess (the course's IMM networks with a second stage).
public final class KeypointCascade {
    /// The whole-photo model.
    public let first: KeypointPredictor
    /// The face-crop model.
    public let second: KeypointPredictor

    /// A cascade of `first` (a whole-photo model) and `second` (a crop model of the same scheme whose
    /// crop the first model's points define: all points of the scheme, or the nose tip for nose-crop).
    public init(first: TrainedModel, second: TrainedModel) throws {
        let guess = first.spec, look = second.spec
        guard guess.usesWholePhoto, !look.usesWholePhoto, guess.scheme == look.scheme,
              guess.targetIndices == look.anchorIndices else {
            throw CascadeError.mismatchedStages(
                first: guess.task.rawValue, second: look.task.rawValue,
                reason: "the second stage needs a whole-photo first stage that predicts its crop's anchor points")
        }
        self.first = KeypointPredictor(model: first)
        self.second = KeypointPredictor(model: second)
    }

    /// The second model's points for the face of `photo` (photo pixels).
    public func predict(_ photo: Image) -> [Point] {
        refine(photo, guess: first.predict(photo, box: nil))
    }

    /// The second model's points, on the crop placed by the first model's `guess` (its anchor points).
    public func refine(_ photo: Image, guess: [Point]) -> [Point] {
        second.predict(photo, box: Box(enclosing: guess))
    }
}

/// Why two keypoint models cannot run as a cascade.
public enum CascadeError: Error, CustomStringConvertible, Equatable {
    /// Two models that cannot run as first and second stage.
    case mismatchedStages(first: String, second: String, reason: String)

    /// A one-line explanation naming both models.
    public var description: String {
        switch self {
        case let .mismatchedStages(first, second, reason): return "\(first) then \(second): not a pair of stages (\(reason))"
        }
    }
}
