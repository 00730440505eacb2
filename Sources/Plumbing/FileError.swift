import Foundation

/// A file that could not be read or written, with the reason in words ("permission denied").
public enum FileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file could not be written.
    case unwritable(file: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .unwritable(let file, _): return file
        }
    }

    /// Why, without the file name.
    public var reason: String {
        switch self {
        case .unreadable(_, let reason), .unwritable(_, let reason): return reason
        }
    }

    /// "FILE: cannot read: REASON" or "FILE: cannot write: REASON".
    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read: \(reason)"
        case let .unwritable(file, reason): return "\(file): cannot write: \(reason)"
        }
    }

    /// The reason for the system error `code` in plain words, for a file called `path`.
    ///
    /// A name that arrived with invalid UTF-8 was repaired with U+FFFD on the way in and so names
    /// another file: that is said instead of "no such file".
    public static func reason(errno code: Int32, path: String) -> String {
        switch code {
        case ENOENT: return path.contains("\u{FFFD}") ? "the file name is not valid UTF-8 (rename the file)" : "no such file"
        case EACCES, EPERM: return "permission denied"
        case ENAMETOOLONG: return "file name too long"
        case EISDIR: return "a folder, not a file"
        case ENOTDIR: return "a part of the path is not a folder"
        case ENOSPC: return "no space left on the device"
        case EROFS: return "read-only file system"
        case EDQUOT: return "disk quota exceeded"
        case ELOOP: return "too many symbolic links"
        case EEXIST: return "a file of that name is in the way"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// The reason behind a Foundation error (its POSIX cause when it has one) in plain words,
    /// instead of an `NSCocoaErrorDomain` dump.
    public static func reason(for error: Error, path: String) -> String {
        if let error = error as? FileError { return error.reason }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return reason(errno: Int32(nsError.code), path: path) }
        if let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
           underlying.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(underlying.code), path: path)
        }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return reason(errno: ENOENT, path: path)
        case .fileReadNoPermission, .fileWriteNoPermission: return reason(errno: EACCES, path: path)
        case .fileReadInvalidFileName, .fileWriteInvalidFileName: return "invalid file name"
        case .fileWriteOutOfSpace: return reason(errno: ENOSPC, path: path)
        case .fileWriteFileExists: return reason(errno: EEXIST, path: path)
        case .fileWriteVolumeReadOnly: return reason(errno: EROFS, path: path)
        case .fileReadTooLarge: return "too large"
        default: return "input/output error"
        }
    }
}
