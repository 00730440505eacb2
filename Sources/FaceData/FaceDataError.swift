import Foundation

/// A problem with an annotation file that a user can cause: unreadable, malformed or unwritable.
///
/// The description names the file, the line where there is one (1-based) and the reason,
/// in the compiler-like form `FILE:LINE: reason`.
public enum FaceDataError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file's content breaks its format; `line` is nil when the problem is not on one line.
    case malformed(file: String, line: Int?, reason: String)
    /// The file or folder could not be read at all.
    case unreadable(file: String, reason: String)
    /// The file could not be written.
    case unwritable(file: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .malformed(let file, _, _), .unreadable(let file, _), .unwritable(let file, _): return file
        }
    }

    /// `FILE:LINE: reason` (or `FILE: reason` without a line).
    public var description: String {
        switch self {
        case .malformed(let file, let line?, let reason): return "\(file):\(line): \(reason)"
        case .malformed(let file, nil, let reason): return "\(file): \(reason)"
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .unwritable(let file, let reason): return "\(file): cannot write: \(reason)"
        }
    }

    /// The same text as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
