import Imaging
import Plumbing

/// Renders a piecewise-affine warp of two same-size RGB images and cross-dissolves them.
///
/// Each piece is a triangle of the output with the affine maps from output to image A and to
/// image B. Triangles are scan-converted once per frame, row span by row span, and the two source
/// positions of a pixel are one multiply-add each from the span's row. Sampling is fixed-point
/// bilinear at 1/256 px, the blend one rounding of `A * (256 - w) + B * w`, so weight 0 with an
/// identity map gives A's bytes exactly (and weight 1 B's). Rows are split across the cores; a
/// coverage mask marks pixels no triangle reached, which get the identity map.
final class TriangleWarper {
    /// One output triangle with its output-to-source maps (nil when the triangle is degenerate).
    struct Piece {
        var corners: (Point, Point, Point)
        var sourceA: AffineTransform?
        var sourceB: AffineTransform?
    }

    /// An affine map in single precision, evaluated per pixel.
    fileprivate struct Map {
        var a: Float, b: Float, c: Float, d: Float, tx: Float, ty: Float
        static let identity = Map(AffineTransform.identity)
        init(_ m: AffineTransform) {
            (a, b, c, d, tx, ty) = (Float(m.a), Float(m.b), Float(m.c), Float(m.d), Float(m.tx), Float(m.ty))
        }
    }

    let width: Int
    let height: Int
    private let a: PaddedRGB
    private let b: PaddedRGB
    private var covered: [Bool]

    /// A warper between RGB images `a` and `b` of the same size, which is the output size.
    init(a: Image, b: Image) {
        precondition(a.width == b.width && a.height == b.height, "warper images differ in size")
        (width, height) = (a.width, a.height)
        (self.a, self.b) = (PaddedRGB(a), PaddedRGB(b))
        covered = [Bool](repeating: false, count: width * height)
    }

    /// Renders `pieces` with B weighted by `weightB` into `output` (RGB of the frame size).
    func render(_ pieces: [Piece], weightB: Double, into output: inout Image) {
        let (width, height) = (self.width, self.height)
        precondition(output.width == width && output.height == height && output.channels == 3,
                     "output must be RGB of the frame size")
        let w = Int((weightB * Double(Bilinear.one)).rounded())
        let spans = pieces.compactMap { p -> (Piece, Map, Map)? in
            guard let ma = p.sourceA, let mb = p.sourceB else { return nil }
            return (p, Map(ma), Map(mb))
        }
        a.samples.withUnsafeBufferPointer { pa in
            b.samples.withUnsafeBufferPointer { pb in
                output.pixels.withUnsafeMutableBufferPointer { po in
                    covered.withUnsafeMutableBufferPointer { mask in
                        let kernel = SpanKernel(a: pa.baseAddress!, b: pb.baseAddress!, out: po.baseAddress!,
                                                width: width, height: height, stride: a.stride, weightB: w)
                        let mask = mask.baseAddress!
                        Parallel.forEach(height, chunksPerCore: 2) { rows in
                            (mask + rows.lowerBound * width).update(repeating: false, count: rows.count * width)
                            for (piece, ma, mb) in spans {
                                Self.scan(piece.corners, rows: rows, width: width) { y, x0, x1 in
                                    kernel.run(y: y, x0: x0, x1: x1, ma, mb)
                                    (mask + y * width + x0).update(repeating: true, count: x1 - x0)
                                }
                            }
                            for y in rows {
                                var x = 0
                                while x < width {
                                    guard !mask[y * width + x] else { x += 1; continue }
                                    let start = x
                                    while x < width && !mask[y * width + x] { x += 1 }
                                    kernel.run(y: y, x0: start, x1: x, .identity, .identity)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `span(y, x0, x1)` for every row in `rows` that crosses the triangle, with the half-open
    /// column range of pixel centres inside it (edges included, with a small tolerance against cracks).
    private static func scan(_ t: (Point, Point, Point), rows: Range<Int>, width: Int, _ span: (Int, Int, Int) -> Void) {
        let top = min(t.0.y, t.1.y, t.2.y), bottom = max(t.0.y, t.1.y, t.2.y)
        let eps = 1e-7
        let first = max(rows.lowerBound, Int((top - eps).rounded(.up)))
        let last = min(rows.upperBound - 1, Int((bottom + eps).rounded(.down)))
        guard first <= last else { return }
        for y in first...last {
            let fy = Double(y)
            var left = Double.infinity, right = -Double.infinity
            // A horizontal edge is skipped: the two other edges end at its endpoints.
            func cross(_ p: Point, _ q: Point) {
                let lo = min(p.y, q.y), hi = max(p.y, q.y)
                guard hi - lo >= eps, fy >= lo - eps, fy <= hi + eps else { return }
                let x = p.x + (min(max(fy, lo), hi) - p.y) * (q.x - p.x) / (q.y - p.y)
                left = min(left, x)
                right = max(right, x)
            }
            cross(t.0, t.1)
            cross(t.1, t.2)
            cross(t.2, t.0)
            let x0 = max(0, Int((left - eps).rounded(.up))), x1 = min(width, Int((right + eps).rounded(.down)) + 1)
            if x0 < x1 { span(y, x0, x1) }
        }
    }
}

/// The per-pixel inner loop: two source positions, two bilinear reads, one blend.
private struct SpanKernel {
    let a: UnsafePointer<UInt8>
    let b: UnsafePointer<UInt8>
    let out: UnsafeMutablePointer<UInt8>
    let width: Int
    let height: Int
    /// Bytes per row of the padded sources.
    let stride: Int
    let weightB: Int

    @inline(__always)
    func run(y: Int, x0: Int, x1: Int, _ ma: TriangleWarper.Map, _ mb: TriangleWarper.Map) {
        let fy = Float(y)
        let (rowAx, rowAy) = (ma.b * fy + ma.tx, ma.d * fy + ma.ty)
        let (rowBx, rowBy) = (mb.b * fy + mb.tx, mb.d * fy + mb.ty)
        let maxX = Float(width - 1), maxY = Float(height - 1)
        let wa = Bilinear.one - weightB, wb = weightB
        var o = out + (y * width + x0) * 3
        for x in x0..<x1 {
            let fx = Float(x)
            let ax = Bilinear.fixed(ma.a * fx + rowAx, limit: maxX), ay = Bilinear.fixed(ma.c * fx + rowAy, limit: maxY)
            let bx = Bilinear.fixed(mb.a * fx + rowBx, limit: maxX), by = Bilinear.fixed(mb.c * fx + rowBy, limit: maxY)
            let (ar, ag, ab) = Bilinear.rgb(a, stride: stride, fx: ax, fy: ay)
            let (br, bg, bb) = Bilinear.rgb(b, stride: stride, fx: bx, fy: by)
            o[0] = UInt8(truncatingIfNeeded: (ar * wa + br * wb + (1 << 23)) >> 24)
            o[1] = UInt8(truncatingIfNeeded: (ag * wa + bg * wb + (1 << 23)) >> 24)
            o[2] = UInt8(truncatingIfNeeded: (ab * wa + bb * wb + (1 << 23)) >> 24)
            o += 3
        }
    }
}
