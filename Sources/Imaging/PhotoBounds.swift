/// Limits on coordinates given by hand for a photo (face boxes, sidecar keypoints): a face may
/// reach past the photo's edge, but not lie a whole photo away from it or have no size.
extension Box {
    /// Whether the box can mark a face in a `photoWidth` x `photoHeight` photo: finite, of positive
    /// size, at most 4 times the photo's size and overlapping it.
    public func fits(photoWidth: Int, photoHeight: Int) -> Bool {
        let (w, h) = (Double(photoWidth), Double(photoHeight))
        guard [x, y, width, height].allSatisfy(\.isFinite), width > 0, height > 0 else { return false }
        return width <= 4 * w && height <= 4 * h && x < w && y < h && x + width > 0 && y + height > 0
    }
}

extension Point {
    /// Whether the point lies within one photo size of a `photoWidth` x `photoHeight` photo.
    public func isNear(photoWidth: Int, photoHeight: Int) -> Bool {
        let (w, h) = (Double(photoWidth), Double(photoHeight))
        return x.isFinite && y.isFinite && x >= -w && x <= 2 * w && y >= -h && y <= 2 * h
    }
}
