import CFFmpeg

/// Process-wide verbosity of FFmpeg's own messages (libx264 prints its settings and statistics
/// to standard error at the default level).
public enum FFmpegLogging {
    /// Shows only FFmpeg errors (call once, e.g. from the command line tool, unless verbose).
    public static func showErrorsOnly() { av_log_set_level(AV_LOG_ERROR) }
    /// Restores FFmpeg's default level (informational messages).
    public static func showInfo() { av_log_set_level(AV_LOG_INFO) }
}
