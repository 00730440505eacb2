import Foundation

/// Reading whole files safely: only regular files (a FIFO or a device would block or never end),
/// and only up to a size limit checked before anything is read.
public enum RegularFile {
    /// The bytes of the regular file at `path`, at most `limit` bytes (checked from its size first).
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        try read(path, limit: limit, prefix: nil)
    }

    /// The first `count` bytes of the regular file at `path` (fewer when it is shorter).
    public static func readPrefix(_ path: String, count: Int) throws -> [UInt8] {
        try read(path, limit: .max, prefix: count)
    }

    private static func read(_ path: String, limit: Int, prefix: Int?) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting; fstat then refuses it.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError.unreadable(file: path, reason: FileError.reason(errno: errno, path: path)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw FileError.unreadable(file: path, reason: FileError.reason(errno: errno, path: path))
        }
        try requireRegular(info, path: path)
        let size = Int(info.st_size)
        guard size <= limit else {
            throw FileError.unreadable(file: path, reason: "\(megabytes(size)), larger than the \(megabytes(limit)) limit")
        }
        let wanted = min(size, prefix ?? size)
        var bytes = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        while filled < wanted {
            let got = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + filled, wanted - filled) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw FileError.unreadable(file: path, reason: FileError.reason(errno: errno, path: path)) }
            if got == 0 { break }  // the file shrank while being read
            filled += got
        }
        return Array(bytes.prefix(filled))
    }

    /// Throws unless `info` describes a regular file.
    static func requireRegular(_ info: stat, path: String) throws {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw FileError.unreadable(file: path, reason: FileError.reason(errno: EISDIR, path: path))
        default: throw FileError.unreadable(file: path, reason: "not a regular file (a pipe, device or socket)")
        }
    }

    /// "12.3 MB".
    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    /// True when `path` exists and is something other than a regular file or a folder (a device,
    /// pipe or socket), following symbolic links: such a path must not be replaced by an output.
    public static func isSpecial(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }
}
