import Foundation

/// Whole-file writes that never leave a half-written file at the destination.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `path`, then renames it over `path`.
    ///
    /// Refuses a destination that is a device, pipe or socket (it would be replaced by a regular
    /// file) or a folder. The temporary file is removed when anything fails, and on SIGINT, SIGTERM
    /// SIGHUP and SIGPIPE once `TemporaryFile.removeOnSignals()` is installed.
    public static func write(_ data: Data, to path: String) throws {
        if RegularFile.isSpecial(path) {
            throw FileError.unwritable(file: path, reason: "not a regular file (a device, pipe or socket)")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw FileError.unwritable(file: path, reason: FileError.reason(errno: EISDIR, path: path))
        }
        let temporary = TemporaryFile.sibling(of: path)
        let token = TemporaryFile.remember(temporary)
        defer { TemporaryFile.forget(token) }
        func fail(_ code: Int32) -> FileError {
            unlink(temporary)
            return FileError.unwritable(file: path, reason: FileError.reason(errno: code, path: path))
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw FileError.unwritable(file: path, reason: FileError.reason(errno: errno, path: path)) }
        var written = 0
        while written < data.count {
            let count = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, data.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                throw fail(code)
            }
            written += count
        }
        guard close(descriptor) == 0 else { throw fail(errno) }
        guard rename(temporary, path) == 0 else { throw fail(errno) }
    }
}
