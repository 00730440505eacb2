import Foundation
import Imaging

/// One annotated face: the image file, its points in 0-based pixels and, where the source has
/// one, a face box.
public struct LandmarkSample: Equatable, Sendable {
    /// The image file (not decoded here).
    public var imageURL: URL
    /// The landmarks in 0-based pixel coordinates of the image as stored.
    public var points: [Point]
    /// A face box given by the source (dlib XML); nil for `.pts` trees.
    public var box: Box?
    /// The folder relative to the dataset root (e.g. `helen/trainset`), for per-subset reports;
    /// empty for files at the root.
    public var subset: String

    /// A sample from its parts.
    public init(imageURL: URL, points: [Point], box: Box? = nil, subset: String) {
        self.imageURL = imageURL
        self.points = points
        self.box = box
        self.subset = subset
    }

    /// The side of the fixed hashed split this face's photo falls on (see `DatasetSplit.hashed`).
    public func split(validationFraction: Double = 0.1) -> DatasetSplit {
        .hashed(fileName: imageURL.lastPathComponent, validationFraction: validationFraction)
    }
}
