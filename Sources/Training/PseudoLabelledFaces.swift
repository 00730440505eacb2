import FaceAnalysis
import FaceData
import Foundation
import Imaging
import Plumbing

/// Faces whose keypoints come from teacher models, mixed into a keypoint model's training
/// (distillation onto unannotated photos).
public struct PseudoLabelledFaces: Sendable {
    /// The faces, their teachers' keypoints as the annotation.
    public var examples: [TrainingExample]
    /// Examples drawn from them per epoch, as a share of the annotated training examples.
    public var ratio: Double
    /// Where they came from, for the model's metadata.
    public var provenance: String

    /// Faces labelled by the caller.
    public init(examples: [TrainingExample], ratio: Double, provenance: String) {
        self.examples = examples
        self.ratio = ratio
        self.provenance = provenance
    }

    /// Faces kept whose teachers are at least this sure (`LFWFaces.keypoints`).
    public static let minimumConfidence = 0.5

    /// The photos of `peopleDevTrain.txt`'s people in the LFW folder `root` (the people LFW's verification
    /// test leaves out), keypoints by the average of the `teachers` with mirrored passes, cached in
    /// `cache`; only the faces whose teachers settle and agree (`minimumConfidence`).
    public static func lfw(root: URL, teachers: [URL], ratio: Double, cache: URL,
                           progress: ProgressReporter?) throws -> PseudoLabelledFaces {
        let people = try LFWProtocol.people(contentsOf: root.appendingPathComponent("peopleDevTrain.txt"))
        let photos = people.flatMap { person in (1...person.count).map { LFWProtocol.Photo(name: person.name, number: $0) } }
        let faces = try LFWFaces.load(photos, root: root, landmarks: teachers, mirroring: .lastPass, cache: cache,
                                      label: "keypoints of the unannotated faces", progress: progress)
        let kept = faces.filter { $0.confidence >= minimumConfidence }
        let examples = kept.map { face in
            TrainingExample(name: "\(face.photo.name)_\(face.photo.number)", subset: "lfw", image: face.image,
                            points: face.points, landmarkBox: Box(enclosing: face.points))
        }
        let provenance = "\(examples.count) of \(faces.count) LFW photos of peopleDevTrain.txt, keypoints by "
            + teachers.map(\.path).joined(separator: " + ") + " (averaged, mirrored passes), "
            + String(format: "%.2f per annotated example per epoch", ratio)
        return PseudoLabelledFaces(examples: examples, ratio: ratio, provenance: provenance)
    }
}
