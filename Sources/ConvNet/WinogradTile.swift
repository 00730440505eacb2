/// Sixteen floats, one per tile (or kernel) handled side by side by the Winograd transforms.
typealias Lanes = SIMD16<Float>

/// The 1-D maps of a `WinogradTile`, named so that a constant choice inlines (function values
/// would not).
enum TileMap {
    case input, output, outputTransposed, kernel, kernelTransposed
}

/// One of Lavin and Gray's minimal filtering algorithms F(m x m, 3 x 3) ("Fast algorithms for
/// convolutional neural networks", 2016): an m x m output tile of a 3x3 correlation from an
/// a x a input tile (a = m + 2) with a^2 multiplications instead of 9 m^2, as
/// Y = A^T [(G g G^T) * (B^T d B)] A. Each map below is one side of the 2-D transform, applied
/// to 16 tiles at once.
protocol WinogradTile {
    /// The output tile side m.
    static var outputSide: Int { get }
    /// B^T d: a -> a (input tile).
    static func input(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int)
    /// A^T x: a -> m (product back to an output tile).
    static func output(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int)
    /// A y: m -> a (an output-gradient tile into the product domain: the transpose of `output`).
    static func outputTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int)
    /// G g: 3 -> a (kernel).
    static func kernel(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int)
    /// G^T u: a -> 3 (a product-domain kernel gradient back to 3 taps: the transpose of `kernel`).
    static func kernelTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int)
}

extension WinogradTile {
    /// The input tile side a = m + 2.
    static var inputSide: Int { outputSide + 2 }
}

/// F(2x2, 3x3): 4x4 input tiles, 2.25x fewer multiplications than direct convolution; the
/// transforms only add (and halve the kernel), so it is the more exact of the two.
enum WinogradF2: WinogradTile {
    static var outputSide: Int { 2 }

    @inline(__always)
    static func input(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let d0 = x[0], d1 = x[xs], d2 = x[2 * xs], d3 = x[3 * xs]
        y[0] = d0 - d2; y[ys] = d1 + d2; y[2 * ys] = d2 - d1; y[3 * ys] = d1 - d3
    }

    @inline(__always)
    static func output(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let m1 = x[xs], m2 = x[2 * xs]
        y[0] = x[0] + m1 + m2; y[ys] = m1 - m2 - x[3 * xs]
    }

    @inline(__always)
    static func outputTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let y0 = x[0], y1 = x[xs]
        y[0] = y0; y[ys] = y0 + y1; y[2 * ys] = y0 - y1; y[3 * ys] = -y1
    }

    @inline(__always)
    static func kernel(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let g0 = x[0], g1 = x[xs], g2 = x[2 * xs], outer = 0.5 * (g0 + g2)
        y[0] = g0; y[ys] = outer + 0.5 * g1; y[2 * ys] = outer - 0.5 * g1; y[3 * ys] = g2
    }

    @inline(__always)
    static func kernelTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let u1 = x[xs], u2 = x[2 * xs], half = 0.5 * (u1 + u2)
        y[0] = x[0] + half; y[ys] = 0.5 * (u1 - u2); y[2 * ys] = half + x[3 * xs]
    }
}

/// F(4x4, 3x3) on the points 0, ±1, ±2 and infinity: 6x6 input tiles, 4x fewer multiplications
/// than direct convolution (on planes whose side is a multiple of 4).
enum WinogradF4: WinogradTile {
    static var outputSide: Int { 4 }

    @inline(__always)
    static func input(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let d0 = x[0], d1 = x[xs], d2 = x[2 * xs], d3 = x[3 * xs], d4 = x[4 * xs], d5 = x[5 * xs]
        let a = d4 - 4 * d2, b = d3 - 4 * d1  // rows 1 and 2: a + b, a - b
        let c = d4 - d2, e = 2 * (d3 - d1)    // rows 3 and 4: c + e, c - e
        y[0] = 4 * d0 - 5 * d2 + d4
        y[ys] = a + b; y[2 * ys] = a - b
        y[3 * ys] = c + e; y[4 * ys] = c - e
        y[5 * ys] = 4 * d1 - 5 * d3 + d5
    }

    @inline(__always)
    static func output(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let m1 = x[xs], m2 = x[2 * xs], m3 = x[3 * xs], m4 = x[4 * xs]
        let sum12 = m1 + m2, diff12 = m1 - m2, sum34 = m3 + m4, diff34 = m3 - m4
        y[0] = x[0] + sum12 + sum34
        y[ys] = diff12 + 2 * diff34
        y[2 * ys] = sum12 + 4 * sum34
        y[3 * ys] = diff12 + 8 * diff34 + x[5 * xs]
    }

    @inline(__always)
    static func outputTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let y0 = x[0], y1 = x[xs], y2 = x[2 * xs], y3 = x[3 * xs]
        let even1 = y0 + y2, odd1 = y1 + y3, even2 = y0 + 4 * y2, odd2 = 2 * y1 + 8 * y3
        y[0] = y0
        y[ys] = even1 + odd1; y[2 * ys] = even1 - odd1
        y[3 * ys] = even2 + odd2; y[4 * ys] = even2 - odd2
        y[5 * ys] = y3
    }

    @inline(__always)
    static func kernel(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let g0 = x[0], g1 = x[xs], g2 = x[2 * xs]
        let outer1 = (-1.0 / 6) * (g0 + g2), inner1 = (-1.0 / 6) * g1
        let outer2 = (1.0 / 24) * g0 + (1.0 / 6) * g2, inner2 = (1.0 / 12) * g1
        y[0] = 0.25 * g0
        y[ys] = outer1 + inner1; y[2 * ys] = outer1 - inner1
        y[3 * ys] = outer2 + inner2; y[4 * ys] = outer2 - inner2
        y[5 * ys] = g2
    }

    @inline(__always)
    static func kernelTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let u1 = x[xs], u2 = x[2 * xs], u3 = x[3 * xs], u4 = x[4 * xs]
        let sum12 = u1 + u2, sum34 = u3 + u4
        y[0] = 0.25 * x[0] - (1.0 / 6) * sum12 + (1.0 / 24) * sum34
        y[ys] = (1.0 / 6) * (u2 - u1) + (1.0 / 12) * (u3 - u4)
        y[2 * ys] = (1.0 / 6) * (sum34 - sum12) + x[5 * xs]
    }
}

/// F(5x5, 3x3) on the points 0, ±1, ±2, 1/2 and infinity: 7x7 input tiles, 4.6x fewer
/// multiplications than direct convolution on planes whose side is a multiple of 5 (ResNet18's
/// 10x10 and 5x5 at 160x160), at the cost of heavier transforms and about twice F(4x4)'s rounding
/// error (still within the golden tests' tolerances). The maps were derived with exact fractions
/// (Cook-Toom: A^T from the points' powers, G from the Lagrange denominators, B^T from the products
/// of (x - p) over the other points) and checked against a direct correlation.
enum WinogradF5: WinogradTile {
    static var outputSide: Int { 5 }

    /// B^T d: 7 -> 7.
    @inline(__always)
    static func input(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let x0 = x[0], x1 = x[1 * xs], x2 = x[2 * xs], x3 = x[3 * xs], x4 = x[4 * xs], x5 = x[5 * xs], x6 = x[6 * xs]
        var s: Lanes  // one sum at a time: long vector expressions defeat the type checker
        s = x0 * -2; s += x1 * 4; s += x2 * 2.5; s -= x3 * 5; s -= x4 * 0.5; s += x5; y[0] = s
        s = x1 * 2; s -= x2 * 2; s -= x3 * 4.5; s += x4 * 0.5; s += x5; y[1 * ys] = s
        s = x1 * -2; s += x2 * 6; s -= x3 * 3.5; s -= x4 * 1.5; s += x5; y[2 * ys] = s
        s = x1; s -= x2 * 1.5; s -= x3 * 2; s += x4 * 1.5; s += x5; y[3 * ys] = s
        s = -x1; s += x2 * 2.5; s -= x4 * 2.5; s += x5; y[4 * ys] = s
        s = x1 * 4; s -= x3 * 5; s += x5; y[5 * ys] = s
        s = x1 * -2; s += x2 * 4; s += x3 * 2.5; s -= x4 * 5; s -= x5 * 0.5; s += x6; y[6 * ys] = s
    }

    /// A^T x: 7 -> 5.
    @inline(__always)
    static func output(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let x0 = x[0], x1 = x[1 * xs], x2 = x[2 * xs], x3 = x[3 * xs], x4 = x[4 * xs], x5 = x[5 * xs], x6 = x[6 * xs]
        var s: Lanes  // one sum at a time: long vector expressions defeat the type checker
        s = x0; s += x1; s += x2; s += x3; s += x4; s += x5; y[0] = s
        s = x1; s -= x2; s += x3 * 2; s -= x4 * 2; s += x5 * 0.5; y[1 * ys] = s
        s = x1; s += x2; s += x3 * 4; s += x4 * 4; s += x5 * 0.25; y[2 * ys] = s
        s = x1; s -= x2; s += x3 * 8; s -= x4 * 8; s += x5 * 0.125; y[3 * ys] = s
        s = x1; s += x2; s += x3 * 16; s += x4 * 16; s += x5 * 0.0625; s += x6; y[4 * ys] = s
    }

    /// A y: 5 -> 7.
    @inline(__always)
    static func outputTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let x0 = x[0], x1 = x[1 * xs], x2 = x[2 * xs], x3 = x[3 * xs], x4 = x[4 * xs]
        var s: Lanes  // one sum at a time: long vector expressions defeat the type checker
        y[0] = x0
        s = x0; s += x1; s += x2; s += x3; s += x4; y[1 * ys] = s
        s = x0; s -= x1; s += x2; s -= x3; s += x4; y[2 * ys] = s
        s = x0; s += x1 * 2; s += x2 * 4; s += x3 * 8; s += x4 * 16; y[3 * ys] = s
        s = x0; s -= x1 * 2; s += x2 * 4; s -= x3 * 8; s += x4 * 16; y[4 * ys] = s
        s = x0; s += x1 * 0.5; s += x2 * 0.25; s += x3 * 0.125; s += x4 * 0.0625; y[5 * ys] = s
        y[6 * ys] = x4
    }

    /// G g: 3 -> 7.
    @inline(__always)
    static func kernel(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let x0 = x[0], x1 = x[1 * xs], x2 = x[2 * xs]
        var s: Lanes  // one sum at a time: long vector expressions defeat the type checker
        s = x0 * -0.5; y[0] = s
        s = x0 * -(1 / 3 as Float); s -= x1 * (1 / 3 as Float); s -= x2 * (1 / 3 as Float); y[1 * ys] = s
        s = x0 * (1 / 9 as Float); s -= x1 * (1 / 9 as Float); s += x2 * (1 / 9 as Float); y[2 * ys] = s
        s = x0 * (1 / 36 as Float); s += x1 * (1 / 18 as Float); s += x2 * (1 / 9 as Float); y[3 * ys] = s
        s = x0 * -(1 / 60 as Float); s += x1 * (1 / 30 as Float); s -= x2 * (1 / 15 as Float); y[4 * ys] = s
        s = x0 * (32 / 45 as Float); s += x1 * (16 / 45 as Float); s += x2 * (8 / 45 as Float); y[5 * ys] = s
        y[6 * ys] = x2
    }

    /// G^T u: 7 -> 3.
    @inline(__always)
    static func kernelTransposed(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        let x0 = x[0], x1 = x[1 * xs], x2 = x[2 * xs], x3 = x[3 * xs], x4 = x[4 * xs], x5 = x[5 * xs], x6 = x[6 * xs]
        var s: Lanes  // one sum at a time: long vector expressions defeat the type checker
        s = x0 * -0.5; s -= x1 * (1 / 3 as Float); s += x2 * (1 / 9 as Float); s += x3 * (1 / 36 as Float); s -= x4 * (1 / 60 as Float); s += x5 * (32 / 45 as Float); y[0] = s
        s = x1 * -(1 / 3 as Float); s -= x2 * (1 / 9 as Float); s += x3 * (1 / 18 as Float); s += x4 * (1 / 30 as Float); s += x5 * (16 / 45 as Float); y[1 * ys] = s
        s = x1 * -(1 / 3 as Float); s += x2 * (1 / 9 as Float); s += x3 * (1 / 9 as Float); s -= x4 * (1 / 15 as Float); s += x5 * (8 / 45 as Float); s += x6; y[2 * ys] = s
    }
}

/// Applies the 1-D map `map` of `Tile` (n vectors -> p vectors; each map reads `x[0], x[xs], ...`
/// and writes `y[0], y[ys], ...`) to the columns, then to the rows, of the n x n block `x`
/// (row-major, vectors `xs` apart), giving the p x p block `y` = F x F^T (row-major, vectors `ys`
/// apart); `scratch` holds p x n vectors.
@inline(__always)
func transform2D<Tile: WinogradTile>(_ tile: Tile.Type, _ map: TileMap, n: Int, p: Int, _ x: UnsafePointer<Lanes>, xs: Int = 1,
                                     scratch: UnsafeMutablePointer<Lanes>, _ y: UnsafeMutablePointer<Lanes>, ys: Int = 1) {
    @inline(__always)
    func apply(_ x: UnsafePointer<Lanes>, _ xs: Int, _ y: UnsafeMutablePointer<Lanes>, _ ys: Int) {
        switch map {
        case .input: Tile.input(x, xs, y, ys)
        case .output: Tile.output(x, xs, y, ys)
        case .outputTransposed: Tile.outputTransposed(x, xs, y, ys)
        case .kernel: Tile.kernel(x, xs, y, ys)
        case .kernelTransposed: Tile.kernelTransposed(x, xs, y, ys)
        }
    }
    for column in 0..<n { apply(x + column * xs, n * xs, scratch + column, n) }
    for row in 0..<p { apply(scratch + row * n, 1, y + row * p * ys, ys) }
}
