/// An RGB colour for overlays.
public struct Color: Equatable, Sendable {
    /// Red, green, blue in 0...255.
    public var r: UInt8, g: UInt8, b: UInt8

    /// A colour from its three components.
    public init(r: UInt8, g: UInt8, b: UInt8) { (self.r, self.g, self.b) = (r, g, b) }

    /// BT.601 luma of the colour, for drawing on grey images.
    public var luma: UInt8 {
        let weighted: Int = Int(r) * 77 + Int(g) * 150 + Int(b) * 29
        return UInt8((weighted + 128) >> 8)
    }

    /// Pure red.
    public static let red = Color(r: 230, g: 40, b: 40)
    /// Pure green.
    public static let green = Color(r: 40, g: 210, b: 60)
    /// Blue.
    public static let blue = Color(r: 50, g: 110, b: 240)
    /// Yellow.
    public static let yellow = Color(r: 250, g: 220, b: 40)
    /// White.
    public static let white = Color(r: 255, g: 255, b: 255)
}

/// Overlay drawing: filled dots, thick lines and box outlines (clipped to the image).
extension Image {
    /// Paints the pixel at (`x`, `y`) when it lies inside the image.
    @inlinable
    public mutating func plot(x: Int, y: Int, color: Color) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * channels
        if channels == 1 {
            pixels[i] = color.luma
        } else {
            pixels[i] = color.r
            pixels[i + 1] = color.g
            pixels[i + 2] = color.b
        }
    }

    /// A filled disc of `radius` pixels centred on `center`; only the part inside the image is
    /// visited, so a far-away or non-finite centre costs nothing.
    public mutating func drawDot(_ center: Point, radius: Double, color: Color) {
        let r = max(radius, 0.5)
        guard center.x.isFinite, center.y.isFinite, r.isFinite else { return }
        guard let rows = pixelRange(center.y - r, center.y + r, limit: height),
              let columns = pixelRange(center.x - r, center.x + r, limit: width) else { return }
        for y in rows {
            for x in columns {
                let dx = Double(x) - center.x, dy = Double(y) - center.y
                if dx * dx + dy * dy <= r * r { plot(x: x, y: y, color: color) }
            }
        }
    }

    /// The pixels from `low` (rounded down) to `high` (rounded up) that lie in `0..<limit`, or nil.
    private func pixelRange(_ low: Double, _ high: Double, limit: Int) -> ClosedRange<Int>? {
        let first = max(0, low.rounded(.down)), last = min(Double(limit - 1), high.rounded(.up))
        return first <= last ? Int(first)...Int(last) : nil
    }

    /// A straight line from `start` to `end`, `thickness` pixels wide. The line is first clipped to
    /// the image (grown by the thickness), so drawing costs at most the pixels it can touch.
    public mutating func drawLine(from start: Point, to end: Point, color: Color, thickness: Double = 1) {
        let margin = max(thickness, 1)
        guard let (start, end) = Image.clip(start, end, to: Box(x: -margin, y: -margin, width: Double(width) + 2 * margin,
                                                                height: Double(height) + 2 * margin)) else { return }
        let steps = max(1, Int(start.distance(to: end).rounded(.up)))
        for i in 0...steps {
            let p = start.interpolated(to: end, t: Double(i) / Double(steps))
            if thickness <= 1 {
                plot(x: Int(p.x.rounded()), y: Int(p.y.rounded()), color: color)
            } else {
                drawDot(p, radius: thickness / 2, color: color)
            }
        }
    }

    /// The part of the segment from `a` to `b` inside `box` (Liang-Barsky), or nil when none is, or
    /// when a coordinate is not finite.
    static func clip(_ a: Point, _ b: Point, to box: Box) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        guard dx.isFinite, dy.isFinite else { return nil }  // also false when a coordinate is not finite
        var enter = 0.0, leave = 1.0
        for (p, q) in [(-dx, a.x - box.x), (dx, box.x + box.width - a.x), (-dy, a.y - box.y), (dy, box.y + box.height - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else if p < 0 {
                enter = max(enter, q / p)
            } else {
                leave = min(leave, q / p)
            }
        }
        guard enter <= leave else { return nil }
        return (a.interpolated(to: b, t: enter), a.interpolated(to: b, t: leave))
    }

    /// The outline of `box`.
    public mutating func drawBox(_ box: Box, color: Color, thickness: Double = 2) {
        let corners = [Point(x: box.x, y: box.y), Point(x: box.x + box.width, y: box.y),
                       Point(x: box.x + box.width, y: box.y + box.height), Point(x: box.x, y: box.y + box.height)]
        for i in 0..<4 { drawLine(from: corners[i], to: corners[(i + 1) % 4], color: color, thickness: thickness) }
    }

    /// Copies `other` (same channel count) with its top-left corner at (`x`, `y`), clipped.
    public mutating func paste(_ other: Image, x: Int, y: Int) {
        precondition(other.channels == channels, "channel counts differ")
        for row in max(0, -y)..<min(other.height, height - y) {
            let left = max(0, -x), right = min(other.width, width - x)
            guard right > left else { return }
            let src = (row * other.width + left) * channels
            let dst = ((y + row) * width + x + left) * channels
            pixels.replaceSubrange(dst..<dst + (right - left) * channels, with: other.pixels[src..<src + (right - left) * channels])
        }
    }
}
