/// EXIF orientation handling: turning stored pixels upright.
extension Image {
    /// The image as it should be displayed for EXIF `orientation` 1...8 (other values: unchanged).
    ///
    /// Orientation names where row 0 / column 0 of the stored image go: 2 mirror, 3 rotate 180,
    /// 4 flip vertical, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise.
    public func applyingOrientation(_ orientation: Int) -> Image {
        guard (2...8).contains(orientation) else { return self }
        let w = width, h = height, ch = channels
        // Source column sx = ax*ox + bx*oy + cx and row sy = ay*ox + by*oy + cy for output (ox, oy).
        let (ax, bx, cx, ay, by, cy): (Int, Int, Int, Int, Int, Int)
        switch orientation {
        case 2: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, 1, 0)
        case 3: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, -1, h - 1)
        case 4: (ax, bx, cx, ay, by, cy) = (1, 0, 0, 0, -1, h - 1)
        case 5: (ax, bx, cx, ay, by, cy) = (0, 1, 0, 1, 0, 0)
        case 6: (ax, bx, cx, ay, by, cy) = (0, 1, 0, -1, 0, h - 1)
        case 7: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, -1, 0, h - 1)
        default: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, 1, 0, 0)
        }
        let swapsAxes = orientation >= 5
        let outWidth = swapsAxes ? h : w, outHeight = swapsAxes ? w : h
        var out = Image(width: outWidth, height: outHeight, channels: ch)
        let step = (ay * w + ax) * ch
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for oy in 0..<outHeight {
                    var s = ((by * oy + cy) * w + bx * oy + cx) * ch
                    var d = oy * outWidth * ch
                    for _ in 0..<outWidth {
                        for c in 0..<ch { dst[d + c] = src[s + c] }
                        s += step
                        d += ch
                    }
                }
            }
        }
        return out
    }
}
