import Foundation

/// A folder tree of photos with 300-W `.pts` files beside them (`NAME.jpg` + `NAME.pts`).
public enum PTSDataset {
    /// File extensions recognised as photos, compared case-insensitively.
    public static let photoExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Every photo under `root` (recursively, hidden files skipped) that has a `.pts` file with
    /// the same base name in the same folder, with its points; ordered by path.
    ///
    /// Photos without a `.pts` are skipped; a malformed `.pts` throws, naming the file and line.
    public static func scan(_ root: URL) throws -> [LandmarkSample] {
        let root = root.standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw FaceDataError.unreadable(file: root.path, reason: "cannot list the folder")
        }
        let photos = enumerator.compactMap { $0 as? URL }
            .filter { photoExtensions.contains($0.pathExtension.lowercased()) }
            .map(\.standardizedFileURL)
            .sorted { $0.path < $1.path }
        guard !photos.isEmpty || FileManager.default.fileExists(atPath: root.path) else {
            throw FaceDataError.unreadable(file: root.path, reason: "no such folder")
        }
        return try photos.compactMap { photo in
            let pts = photo.deletingPathExtension().appendingPathExtension("pts")
            guard FileManager.default.fileExists(atPath: pts.path) else { return nil }
            return LandmarkSample(imageURL: photo, points: try PTSFile.read(pts), subset: subset(of: photo, under: root))
        }
    }

    /// The photo's folder relative to `root` ("" at the root).
    private static func subset(of photo: URL, under root: URL) -> String {
        let folder = photo.deletingLastPathComponent().pathComponents
        return folder.dropFirst(root.pathComponents.count).joined(separator: "/")
    }
}
