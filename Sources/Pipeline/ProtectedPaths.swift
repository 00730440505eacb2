import Foundation

/// The paths a job must never write: its input photos and the sidecar names of each photo
/// (`PHOTO.jpg.pts`, `PHOTO.pts`, `.json` alike, whether they exist yet or not: a file written
/// there would be taken as that photo's keypoints by the next run).
struct ProtectedPaths {
    /// What each protected path is, by canonical path.
    private var roles = [String: (photo: String, isPhoto: Bool)]()

    /// The protected paths of `photos`.
    init(photos: [String]) {
        for photo in photos {
            let url = URL(fileURLWithPath: photo)
            roles[ProtectedPaths.canonical(url)] = (photo, true)
            for base in [url, url.deletingPathExtension()] {
                for ext in ["pts", "json"] {
                    let sidecar = base.appendingPathExtension(ext)
                    let key = ProtectedPaths.canonical(sidecar)
                    if roles[key] == nil { roles[key] = (photo, false) }
                }
            }
        }
    }

    /// Throws `PipelineError.outputCollides` when `output` is an input photo, or the sidecar name of
    /// a photo other than `owner` (a photo's own results may sit beside it as its sidecar).
    func check(_ output: URL, owner: String?) throws {
        guard let hit = roles[ProtectedPaths.canonical(output)] else { return }
        if let owner, hit.photo == owner, !hit.isPhoto { return }
        throw PipelineError.outputCollides(output: output.path, what: hit.isPhoto ? "the input photo \(hit.photo)" : "the sidecar name of \(hit.photo)")
    }

    /// The path with its folder's symbolic links resolved (the folder exists; the file may not).
    private static func canonical(_ url: URL) -> String {
        url.deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath()
            .appendingPathComponent(url.lastPathComponent).path
    }
}
