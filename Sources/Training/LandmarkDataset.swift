import FaceData
import Foundation
import Imaging
import Plumbing

/// One annotated face held in memory for training or evaluation.
public struct TrainingExample: Sendable {
    /// A short name for reports (file name, with the subset for 300-W).
    public var name: String
    /// The folder relative to the dataset root, for per-subset reports.
    public var subset: String
    /// The photo, grey.
    public var image: Image
    /// Every annotated point of the face, photo pixels (0-based).
    public var points: [Point]
    /// The tight box around the points.
    public var landmarkBox: Box

    /// An example from its parts.
    public init(name: String, subset: String, image: Image, points: [Point], landmarkBox: Box) {
        self.name = name
        self.subset = subset
        self.image = image
        self.points = points
        self.landmarkBox = landmarkBox
    }
}

/// Loads the datasets of the keypoint tasks into memory, already split.
public enum LandmarkDataset {
    /// Training and validation examples annotated in `scheme` from `root` (IMM-58: the IMM folder;
    /// iBUG-68: a tree of photos with `.pts` files or a dlib XML file); `limit` keeps the first N of each side;
    /// `trainShare` keeps that share of the training side, evenly spaced over it (the validation stays whole).
    public static func load(_ scheme: LandmarkScheme, root: URL, limit: Int? = nil, trainShare: Double = 1,
                            validationFraction: Double = 0.1) throws -> (train: [TrainingExample], validation: [TrainingExample]) {
        let annotated: [(sample: LandmarkSample, split: DatasetSplit)]
        if scheme == .imm58 {
            annotated = try IMMDataset(directory: root).samples.map {
                (LandmarkSample(imageURL: $0.imageURL, points: $0.points, subset: ""), $0.split)
            }
        } else {
            precondition(scheme == .ibug68, "no dataset of the \(scheme.name) scheme")
            // A folder tree of photos with .pts files, or a dlib XML file (e.g. ibug_300W_large's).
            let samples = root.pathExtension.lowercased() == "xml"
                ? try DlibDataset(contentsOf: root).samples(pointCount: 68) : try PTSDataset.scan(root)
            annotated = samples.filter { $0.points.count == 68 }.map { ($0, $0.split(validationFraction: validationFraction)) }
        }
        guard !annotated.isEmpty else {
            throw TrainingError.emptyDataset(folder: root.path, reason: "no annotated photos found")
        }
        var train = evenlySpaced(annotated.filter { $0.split == .train }.map(\.sample), share: trainShare)
        var validation = annotated.filter { $0.split == .validation }.map(\.sample)
        if let limit {
            train = Array(train.prefix(limit))
            validation = Array(validation.prefix(max(1, limit / 4)))
        }
        return (try decode(train), try decode(validation))
    }

    /// `share` of `items` (at least one when there are any), evenly spaced: with the photos sorted by
    /// folder, every subset keeps its share.
    static func evenlySpaced<Item>(_ items: [Item], share: Double) -> [Item] {
        let count = min(items.count, max(1, Int((Double(items.count) * share).rounded())))
        return (0..<count).map { items[$0 * items.count / count] }
    }

    /// Decodes the photos of `samples` (grey) on all cores.
    public static func decode(_ samples: [LandmarkSample]) throws -> [TrainingExample] {
        try Parallel.map(samples.count) { index in
            let sample = samples[index]
            return Result {
                let photo = try ImageFile.read(sample.imageURL.path, mode: .grey)
                let name = sample.subset.isEmpty ? sample.imageURL.lastPathComponent
                    : "\(sample.subset)/\(sample.imageURL.lastPathComponent)"
                return TrainingExample(name: name, subset: sample.subset, image: photo.image, points: sample.points,
                                       landmarkBox: Box(enclosing: sample.points))
            }
        }.map { try $0.get() }
    }
}
