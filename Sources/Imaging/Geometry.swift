import Foundation

/// A point in continuous image coordinates (x to the right, y down; 0-based pixel centres).
public struct Point: Equatable, Hashable, Sendable, Codable {
    /// Horizontal coordinate.
    public var x: Double
    /// Vertical coordinate.
    public var y: Double

    /// A point at (`x`, `y`).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The point-by-point mean of `sets`, each as long as the first (summed in order, then divided).
    public static func mean(of sets: [[Point]]) -> [Point] {
        var sum = [Point](repeating: Point(x: 0, y: 0), count: sets.first?.count ?? 0)
        for points in sets {
            for k in sum.indices { sum[k] = Point(x: sum[k].x + points[k].x, y: sum[k].y + points[k].y) }
        }
        let n = Double(sets.count)
        return sum.map { Point(x: $0.x / n, y: $0.y / n) }
    }

    /// The point halfway between `self` and `other`, or at fraction `t` from `self` to `other`.
    public func interpolated(to other: Point, t: Double = 0.5) -> Point {
        Point(x: x + (other.x - x) * t, y: y + (other.y - y) * t)
    }

    /// Euclidean distance to `other`.
    public func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

/// An axis-aligned rectangle in continuous image coordinates.
public struct Box: Equatable, Sendable, Codable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width, non-negative.
    public var width: Double
    /// Height, non-negative.
    public var height: Double

    /// A box with its top-left corner at (`x`, `y`).
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The tightest box around `points` (which must not be empty).
    public init(enclosing points: [Point]) {
        precondition(!points.isEmpty, "no points to enclose")
        let xs = points.map(\.x), ys = points.map(\.y)
        let minX = xs.min()!, minY = ys.min()!
        self.init(x: minX, y: minY, width: xs.max()! - minX, height: ys.max()! - minY)
    }

    /// The centre point.
    public var center: Point { Point(x: x + width / 2, y: y + height / 2) }
    /// Width times height.
    public var area: Double { width * height }

    /// Whether `point` lies inside the box or on its edge.
    public func contains(_ point: Point) -> Bool {
        point.x >= x && point.x <= x + width && point.y >= y && point.y <= y + height
    }

    /// The area shared with `other`.
    public func intersection(_ other: Box) -> Double {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(x + width, other.x + other.width), bottom = min(y + height, other.y + other.height)
        return max(0, right - left) * max(0, bottom - top)
    }

    /// Intersection over union with `other` (0 when they do not overlap).
    public func iou(_ other: Box) -> Double {
        let inter = intersection(other)
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }
}

/// A 2-D affine map `p' = [a b; c d] p + [tx; ty]`.
public struct AffineTransform: Equatable, Sendable {
    /// Row 0 of the linear part.
    public var a: Double, b: Double
    /// Row 1 of the linear part.
    public var c: Double, d: Double
    /// Translation.
    public var tx: Double, ty: Double

    /// The map with the given coefficients.
    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        (self.a, self.b, self.c, self.d, self.tx, self.ty) = (a, b, c, d, tx, ty)
    }

    /// The identity map.
    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    /// A translation by (`dx`, `dy`).
    public static func translation(_ dx: Double, _ dy: Double) -> AffineTransform {
        AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: dx, ty: dy)
    }

    /// A scaling about the origin.
    public static func scale(_ sx: Double, _ sy: Double) -> AffineTransform {
        AffineTransform(a: sx, b: 0, c: 0, d: sy, tx: 0, ty: 0)
    }

    /// A rotation by `radians` about the origin (positive turns x towards y, i.e. clockwise on screen).
    public static func rotation(_ radians: Double) -> AffineTransform {
        let cs = cos(radians), sn = sin(radians)
        return AffineTransform(a: cs, b: -sn, c: sn, d: cs, tx: 0, ty: 0)
    }

    /// The map applied to `p`.
    @inlinable
    public func apply(_ p: Point) -> Point {
        Point(x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty)
    }

    /// `self` after `first`: `(self ∘ first)(p) = self(first(p))`.
    public func concatenating(after first: AffineTransform) -> AffineTransform {
        AffineTransform(a: a * first.a + b * first.c, b: a * first.b + b * first.d,
                        c: c * first.a + d * first.c, d: c * first.b + d * first.d,
                        tx: a * first.tx + b * first.ty + tx, ty: c * first.tx + d * first.ty + ty)
    }

    /// Determinant of the linear part.
    public var determinant: Double { a * d - b * c }

    /// The inverse map, or nil when the linear part is singular.
    public var inverted: AffineTransform? {
        let det = determinant
        guard abs(det) > 1e-12 else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineTransform(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }

    /// The affine map taking the three `source` points exactly onto the three `target` points,
    /// or nil when the source points are collinear.
    public static func mapping(_ source: (Point, Point, Point), to target: (Point, Point, Point)) -> AffineTransform? {
        let (p0, p1, p2) = source, (q0, q1, q2) = target
        let m = AffineTransform(a: p1.x - p0.x, b: p2.x - p0.x, c: p1.y - p0.y, d: p2.y - p0.y, tx: p0.x, ty: p0.y)
        let n = AffineTransform(a: q1.x - q0.x, b: q2.x - q0.x, c: q1.y - q0.y, d: q2.y - q0.y, tx: q0.x, ty: q0.y)
        guard let mInverse = m.inverted else { return nil }
        return n.concatenating(after: mInverse)
    }

    /// The similarity (rotation, uniform scale, translation) mapping `from.0 -> to.0` and `from.1 -> to.1`,
    /// or nil when the two source points coincide.
    public static func similarity(from: (Point, Point), to: (Point, Point)) -> AffineTransform? {
        let sx = from.1.x - from.0.x, sy = from.1.y - from.0.y
        let dx = to.1.x - to.0.x, dy = to.1.y - to.0.y
        let norm = sx * sx + sy * sy
        guard norm > 1e-12 else { return nil }
        // Complex division (dx + i dy) / (sx + i sy) gives scale * e^{i angle}.
        let re = (dx * sx + dy * sy) / norm, im = (dy * sx - dx * sy) / norm
        let tx = to.0.x - (re * from.0.x - im * from.0.y)
        let ty = to.0.y - (im * from.0.x + re * from.0.y)
        return AffineTransform(a: re, b: -im, c: im, d: re, tx: tx, ty: ty)
    }
    /// The similarity (rotation, uniform scale, translation) that best maps `source` onto `target` in
    /// the least-squares sense, or nil when fewer than two source points are distinct.
    public static func similarity(fitting source: [Point], to target: [Point]) -> AffineTransform? {
        precondition(source.count == target.count && !source.isEmpty, "similarity needs matching point lists")
        let n = Double(source.count)
        let ps = Point(x: source.map(\.x).reduce(0, +) / n, y: source.map(\.y).reduce(0, +) / n)
        let pt = Point(x: target.map(\.x).reduce(0, +) / n, y: target.map(\.y).reduce(0, +) / n)
        // With centred points as complex numbers, the best factor is sum(q conj(p)) / sum(|p|^2).
        var re = 0.0, im = 0.0, norm = 0.0
        for (p, q) in zip(source, target) {
            let sx = p.x - ps.x, sy = p.y - ps.y, tx = q.x - pt.x, ty = q.y - pt.y
            re += tx * sx + ty * sy
            im += ty * sx - tx * sy
            norm += sx * sx + sy * sy
        }
        guard norm > 1e-12 else { return nil }
        re /= norm
        im /= norm
        return AffineTransform(a: re, b: -im, c: im, d: re, tx: pt.x - (re * ps.x - im * ps.y),
                               ty: pt.y - (im * ps.x + re * ps.y))
    }
}
