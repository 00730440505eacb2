import Imaging

/// A triangle given as three indices into the caller's point array.
public struct Triangle: Equatable, Hashable, Sendable {
    /// First vertex index.
    public var a: Int
    /// Second vertex index.
    public var b: Int
    /// Third vertex index.
    public var c: Int

    /// A triangle with vertex indices `a`, `b`, `c`.
    public init(_ a: Int, _ b: Int, _ c: Int) {
        (self.a, self.b, self.c) = (a, b, c)
    }

    /// The three indices in order.
    public var indices: [Int] { [a, b, c] }
}

/// Delaunay triangulation by incremental insertion (Bowyer-Watson).
///
/// Robustness rules:
/// - points with identical coordinates are one vertex: every triangle refers to the FIRST index
///   at which the coordinates occur, later duplicates are never referenced;
/// - a cavity is grown until every boundary edge strictly faces the new point, so rounding in the
///   in-circle test can make a triangulation slightly non-Delaunay but never invalid;
/// - fewer than three distinct points, or all points collinear, give no triangles (no crash).
///
/// Every returned triangle is positively oriented (clockwise as seen on screen, y down):
/// `(b - a) x (c - a) > 0` with `x` the 2-D cross product.
public enum Delaunay {
    /// Triangles of the Delaunay triangulation of `points` (finite coordinates), as index triples.
    public static func triangulate(_ points: [Point]) -> [Triangle] {
        precondition(points.allSatisfy { $0.x.isFinite && $0.y.isFinite }, "points must be finite")
        var firstIndex: [Point: Int] = [:]
        var unique: [Int] = []
        for (i, p) in points.enumerated() where firstIndex[p] == nil {
            firstIndex[p] = i
            unique.append(i)
        }
        guard unique.count >= 3 else { return [] }
        var mesh = Mesh(points: unique.map { points[$0] })
        for v in 0..<unique.count { mesh.insert(v) }
        return mesh.finiteTriangles().map { Triangle(unique[$0.a], unique[$0.b], unique[$0.c]) }
    }
}

/// Triangle mesh under construction; vertex `n`, `n+1`, `n+2` form the enclosing super-triangle.
private struct Mesh {
    var vertices: [Point]
    let realCount: Int
    /// Positively oriented triangles covering the super-triangle.
    var triangles: [Triangle] = []

    init(points: [Point]) {
        realCount = points.count
        let box = Box(enclosing: points)
        let extent = max(box.width, box.height, 1)
        let c = box.center, r = extent * 1e4
        vertices = points + [Point(x: c.x - 2 * r, y: c.y + r), Point(x: c.x + 2 * r, y: c.y + r), Point(x: c.x, y: c.y - 2 * r)]
        triangles = [oriented(Triangle(realCount, realCount + 1, realCount + 2))]
    }

    /// Signed doubled area of (a, b, c); positive when counter-clockwise in y-down coordinates.
    func orient(_ a: Int, _ b: Int, _ p: Point) -> Double {
        let pa = vertices[a], pb = vertices[b]
        return (pa.x - p.x) * (pb.y - p.y) - (pa.y - p.y) * (pb.x - p.x)
    }

    func oriented(_ t: Triangle) -> Triangle {
        orient(t.a, t.b, vertices[t.c]) >= 0 ? t : Triangle(t.a, t.c, t.b)
    }

    /// True when `p` is strictly inside the circumcircle of positively oriented `t`.
    func circumcircleContains(_ t: Triangle, _ p: Point) -> Bool {
        let a = vertices[t.a], b = vertices[t.b], c = vertices[t.c]
        let ax = a.x - p.x, ay = a.y - p.y, bx = b.x - p.x, by = b.y - p.y, cx = c.x - p.x, cy = c.y - p.y
        let det = (ax * ax + ay * ay) * (bx * cy - cx * by)
            - (bx * bx + by * by) * (ax * cy - cx * ay)
            + (cx * cx + cy * cy) * (ax * by - bx * ay)
        return det > 0
    }

    func edges(_ t: Triangle) -> [(Int, Int)] { [(t.a, t.b), (t.b, t.c), (t.c, t.a)] }

    /// Inserts vertex `v`: removes the triangles whose circumcircle holds it and fans the hole.
    mutating func insert(_ v: Int) {
        let p = vertices[v]
        var owner: [Int: Int] = [:]  // directed edge u * count + w -> index of its triangle
        for (index, t) in triangles.enumerated() {
            for (u, w) in edges(t) { owner[u * vertices.count + w] = index }
        }
        // Seed with the triangles that contain p, then spread to neighbours whose circumcircle holds it.
        var inCavity = triangles.map { t in edges(t).allSatisfy { orient($0.0, $0.1, p) >= 0 } }
        var stack = inCavity.indices.filter { inCavity[$0] }
        var boundary: [(Int, Int)] = []
        while let index = stack.popLast() {
            for (u, w) in edges(triangles[index]) {
                guard let outside = owner[w * vertices.count + u] else { continue }
                if !inCavity[outside] && circumcircleContains(triangles[outside], p) {
                    inCavity[outside] = true
                    stack.append(outside)
                }
            }
        }
        // Grow the cavity across any boundary edge that does not strictly face p (rounding safety).
        var grown = true
        while grown {
            grown = false
            boundary = []
            for index in triangles.indices where inCavity[index] {
                for (u, w) in edges(triangles[index]) {
                    let outside = owner[w * vertices.count + u]
                    if let outside, inCavity[outside] { continue }
                    if orient(u, w, p) > 0 {
                        boundary.append((u, w))
                    } else if let outside {
                        inCavity[outside] = true
                        grown = true
                    }
                }
            }
        }
        triangles = triangles.indices.filter { !inCavity[$0] }.map { triangles[$0] }
            + boundary.map { Triangle($0.0, $0.1, v) }
    }

    /// Triangles that use no super-triangle vertex.
    func finiteTriangles() -> [Triangle] {
        triangles.filter { $0.a < realCount && $0.b < realCount && $0.c < realCount }
    }
}
