/// Which of the keypoint passes of `FaceAnalyzer.keypoints` also sees the face mirrored: averaging a
/// prediction with one made on the mirror image evens out the model's left-right bias.
public enum KeypointMirroring: String, CaseIterable, Sendable {
    /// No mirrored pass.
    case none
    /// The settling pass (the first re-crop) runs on the mirrored crop and is averaged with the last,
    /// plain pass: flip averaging at no extra cost (what `morph detect` does).
    case settlingPass = "settling"
    /// The last pass runs on the crop and on its mirror (one more network pass; LFW's teacher keypoints).
    case lastPass = "last"
}
