/// Why an image could not be read or written; every message names the file and the reason.
public enum ImagingError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file is empty.
    case empty(file: String)
    /// The bytes are not a JPEG or PNG image.
    case unsupportedFormat(file: String)
    /// The decoder rejected the data.
    case corrupt(file: String, reason: String)
    /// The data ends before the image does.
    case truncated(file: String)
    /// The header announces more pixels than the limit allows.
    case tooLarge(file: String, width: Int, height: Int, limit: Int)
    /// The image could not be encoded or written.
    case unwritable(file: String, reason: String)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read the file (\(reason))"
        case let .empty(file): return "\(file): the file is empty"
        case let .unsupportedFormat(file): return "\(file): not a JPEG or PNG image"
        case let .corrupt(file, reason): return "\(file): corrupt image data (\(reason))"
        case let .truncated(file): return "\(file): the image data is truncated"
        case let .tooLarge(file, width, height, limit):
            return "\(file): \(width)x\(height) pixels exceeds the limit of \(limit) pixels"
        case let .unwritable(file, reason): return "\(file): cannot write the image (\(reason))"
        }
    }
}
