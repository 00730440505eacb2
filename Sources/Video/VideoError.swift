import CFFmpeg

/// A failure writing a video, naming the file and the reason (FFmpeg's message where it has one).
public enum VideoError: Error, Equatable, CustomStringConvertible {
    /// The output path names one of the input photos.
    case outputIsInput(path: String)
    /// The settings cannot be encoded (odd size, non-positive rate, quality out of range...).
    case invalidSettings(path: String, reason: String)
    /// The output file or its temporary sibling could not be created or replaced.
    case cannotWrite(path: String, reason: String)
    /// libavcodec has no encoder of this name.
    case encoderUnavailable(path: String, encoder: String)
    /// An FFmpeg call failed.
    case ffmpeg(path: String, operation: String, message: String)

    /// A message naming the file and the reason.
    public var description: String {
        switch self {
        case .outputIsInput(let path): return "\(path): the output would overwrite one of the input photos"
        case .invalidSettings(let path, let reason): return "\(path): \(reason)"
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        case .encoderUnavailable(let path, let encoder): return "\(path): libavcodec has no \(encoder) encoder"
        case .ffmpeg(let path, let operation, let message): return "\(path): \(operation) failed: \(message)"
        }
    }
}

/// FFmpeg's text for error code `code` (av_strerror).
func ffmpegMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    av_strerror(code, &buffer, buffer.count)
    return String(cString: buffer)
}
