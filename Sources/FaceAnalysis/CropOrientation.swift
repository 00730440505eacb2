/// Which way round a keypoint pass sees each face crop.
public enum CropOrientation: Sendable {
    /// The crop as it is in the photo.
    case plain
    /// The mirrored crop only; the points are mapped back to the photo's side.
    case mirrored
    /// The crop and its mirror, the two predictions averaged (test-time flip averaging).
    case averaged

    /// The crops of one face a pass predicts on (true: mirrored).
    var flips: [Bool] {
        switch self {
        case .plain: [false]
        case .mirrored: [true]
        case .averaged: [false, true]
        }
    }
}
