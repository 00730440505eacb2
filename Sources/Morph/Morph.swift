import Imaging

/// Namespace of the morphing geometry: Delaunay, alignment, triangle warps, blending.
public enum Morph {}
