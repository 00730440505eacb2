import Foundation
import Plumbing
import Imaging

/// One annotated IMM image: where it is, who and which view, and its 58 points in pixels.
public struct IMMSample: Equatable, Sendable {
    /// The `.asf` file the sample came from.
    public var annotationURL: URL
    /// The host image (the `.asf`'s last line, resolved against the `.asf`'s folder).
    public var imageURL: URL
    /// Person, view and gender from the `PP-Vg` file name.
    public var name: IMMFileName
    /// The 58 points in 0-based pixel coordinates (layout `LandmarkScheme.imm58`).
    public var points: [Point]

    /// The person-based side of the split: persons 1-32 train, 33-40 validation.
    public var split: DatasetSplit { .imm(person: name.person) }
}

/// The IMM face database in one folder: every `PP-Vg.asf` with its host image.
public struct IMMDataset: Sendable {
    /// All samples, ordered by file name.
    public let samples: [IMMSample]

    /// Reads every `.asf` file in `directory` (not recursively).
    ///
    /// Relative coordinates are scaled to `imageWidth` x `imageHeight` (640x480 for IMM; no
    /// image is decoded). Throws when the folder has no `.asf` file, a name does not follow
    /// `PP-Vg`, a file is malformed, does not hold 58 points, or its host image is missing.
    public init(directory: URL, imageWidth: Int = 640, imageHeight: Int = 480) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw FaceDataError.unreadable(file: directory.path, reason: FileError.reason(for: error, path: directory.path))
        }
        let annotationNames = names.filter { $0.lowercased().hasSuffix(".asf") }.sorted()
        guard !annotationNames.isEmpty else {
            throw FaceDataError.unreadable(file: directory.path, reason: "no .asf files in the folder")
        }
        samples = try annotationNames.map { fileName in
            let url = directory.appendingPathComponent(fileName)
            guard let name = IMMFileName(fileName) else {
                throw FaceDataError.malformed(file: url.path, line: nil, reason: "file name does not follow PP-Vg (e.g. 01-1m.asf)")
            }
            let annotation = try IMMAnnotation(contentsOf: url)
            let expected = LandmarkScheme.imm58.pointCount
            guard annotation.relativePoints.count == expected else {
                throw FaceDataError.malformed(file: url.path, line: nil,
                                              reason: "holds \(annotation.relativePoints.count) points, IMM needs \(expected)")
            }
            let imageURL = directory.appendingPathComponent(annotation.hostImage)
            guard FileManager.default.fileExists(atPath: imageURL.path) else {
                throw FaceDataError.malformed(file: url.path, line: nil,
                                              reason: "host image '\(annotation.hostImage)' does not exist")
            }
            return IMMSample(annotationURL: url, imageURL: imageURL, name: name,
                             points: annotation.points(width: imageWidth, height: imageHeight))
        }
    }

    /// The samples on one side of the person-based split.
    public func samples(in split: DatasetSplit) -> [IMMSample] {
        samples.filter { $0.split == split }
    }
}
