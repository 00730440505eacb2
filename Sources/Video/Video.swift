import CFFmpeg
import Imaging

/// Namespace of the video encoder.
public enum Video {}
