import FaceData
import Imaging
import NeuralNet

/// Namespace of the keypoint detectors, their training loops and evaluation.
public enum Landmarks {}
