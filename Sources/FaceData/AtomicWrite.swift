import Foundation

/// Writes `data` to `url` atomically: a temporary file in the same folder, then `rename(2)`.
///
/// Readers see either the old file or the complete new one, never a partial write; the
/// temporary file is removed when anything fails.
func writeAtomically(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
        try data.write(to: temporary)
    } catch {
        throw FaceDataError.unwritable(file: url.path, reason: error.localizedDescription)
    }
    guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw FaceDataError.unwritable(file: url.path, reason: reason)
    }
}
