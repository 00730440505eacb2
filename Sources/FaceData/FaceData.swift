import Imaging

/// Namespace of the face-dataset readers (IMM `.asf`, 300-W `.pts`, dlib XML).
public enum FaceData {}
