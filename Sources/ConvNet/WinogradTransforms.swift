import NeuralNet
import Plumbing

/// The tiling of an H x W plane into m x m output tiles (the last row and column of tiles may
/// reach past the plane).
struct TileGrid {
    let height: Int, width: Int
    /// The output tile side m.
    let side: Int
    /// Tiles down and across.
    let rows: Int, columns: Int

    init(height: Int, width: Int, side: Int) {
        self.height = height; self.width = width; self.side = side
        rows = (height + side - 1) / side
        columns = (width + side - 1) / side
    }

    /// Tiles per plane.
    var perImage: Int { rows * columns }
}

/// Transforms kernels [K, C, 3, 3] into the product domain: `product` [a^2, K, C] holds G g G^T
/// for each (k, c); with `flipped`, [a^2, C, K] holds it for the kernel turned by 180 degrees with
/// k and c swapped (the kernels of the input gradient, a correlation of the output gradient).
func transformKernels<Tile: WinogradTile>(_ tile: Tile.Type, _ kernels: UnsafePointer<Float>, outputs: Int, inputs: Int,
                                          flipped: Bool, into product: UnsafeMutablePointer<Float>) {
    let a = Tile.inputSide, pairs = outputs * inputs
    Parallel.forEach((pairs + 15) / 16, grain: 16) { blocks in
        let scratch = Workspace.current.lanes(20, count: 9 + 3 * a + a * a)
        let taps = scratch, middle = scratch + 9, result = middle + 3 * a
        let tapFloats = UnsafeMutableRawPointer(taps).assumingMemoryBound(to: Float.self)  // [9, 16]
        for block in blocks {
            let first = block * 16
            // Lane l takes pair p = first + l: unflipped (k, c) = (p / C, p % C), the kernel at p * 9;
            // flipped (c, k) = (p / K, p % K), the kernel at (k * C + c) * 9 with its taps reversed.
            let columns = flipped ? outputs : inputs
            var row = first / columns, column = first % columns
            for lane in 0..<min(16, pairs - first) {
                if flipped {
                    let kernel = kernels + (column * inputs + row) * 9
                    for tap in 0..<9 { tapFloats[tap * 16 + lane] = kernel[8 - tap] }
                } else {
                    let kernel = kernels + (first + lane) * 9
                    for tap in 0..<9 { tapFloats[tap * 16 + lane] = kernel[tap] }
                }
                column += 1
                if column == columns { column = 0; row += 1 }
            }
            transform2D(Tile.self, .kernel, n: 3, p: a, taps, scratch: middle, result)
            storeLanes(result, count: a * a, to: product + first, stride: pairs, valid: min(16, pairs - first))
        }
    }
}

/// Adds the product-domain kernel gradients `product` [a^2, K, C] into `gradient` [K, C, 3, 3] as
/// G^T dU G (the transpose of `transformKernels`).
func accumulateKernelGradient<Tile: WinogradTile>(_ tile: Tile.Type, _ product: UnsafePointer<Float>, outputs: Int, inputs: Int,
                                                  into gradient: UnsafeMutablePointer<Float>) {
    let a = Tile.inputSide, pairs = outputs * inputs
    Parallel.forEach((pairs + 15) / 16, grain: 16) { blocks in
        let scratch = Workspace.current.lanes(20, count: a * a + 3 * a + 9)
        let source = scratch, middle = scratch + a * a, taps = middle + 3 * a
        for block in blocks {
            let first = block * 16, valid = min(16, pairs - first)
            loadLanes(product + first, count: a * a, stride: pairs, valid: valid, into: source)
            transform2D(Tile.self, .kernelTransposed, n: a, p: 3, source, scratch: middle, taps)
            let tapFloats = UnsafeRawPointer(taps).assumingMemoryBound(to: Float.self)  // [9, 16]
            for lane in 0..<valid {
                let target = gradient + (first + lane) * 9
                for tap in 0..<9 { target[tap] += tapFloats[tap * 16 + lane] }
            }
        }
    }
}

/// What `transformTiles` reads from a plane.
enum TileSource {
    /// Input tiles (B^T d B): a x a blocks starting one row and column before each output tile.
    case input
    /// Output-gradient tiles for the kernel gradient (A dy A^T): the m x m output tiles themselves.
    case outputGradient
}

/// Transforms the tiles of `images` images of `channels` planes each (image i's [channels, H, W] at
/// `planes + i * channels * H * W`) into the product domain, reading zeros outside the plane. The result
/// is `product` [a^2, channels, ld], column t the tile t = image * tilesPerImage + row * tileColumns
/// + column; `ld` is a multiple of 16 at least the tile count, and `product` 64-byte aligned.
func transformTiles<Tile: WinogradTile>(_ tile: Tile.Type, _ source: TileSource, _ grid: TileGrid, images: Int, channels: Int,
                                        planes: UnsafePointer<Float>, into product: UnsafeMutablePointer<Float>, ld: Int) {
    let a = Tile.inputSide, m = grid.side, tiles = images * grid.perImage
    let window = source == .input ? a : m, border = source == .input ? 1 : 0
    precondition(ld % 16 == 0 && ld >= tiles && Int(bitPattern: product) % 64 == 0, "unaligned tile rows")
    let paddedWidth = grid.columns * m + window - m, paddedHeight = grid.rows * m + window - m
    let planeSize = grid.height * grid.width
    Parallel.forEach(channels, grain: 1) { channelRange in
        let space = Workspace.current
        let padded = space.buffer(21, count: paddedWidth * paddedHeight)
        let scratch = space.lanes(20, count: window * window + a * window)
        let block = scratch, middle = block + window * window
        let blockFloats = UnsafeMutableRawPointer(block).assumingMemoryBound(to: Float.self)  // [window^2, 16]
        for channel in channelRange {
            var cursor = TileCursor(grid), loaded = -1
            for t in 0..<tiles {
                if cursor.image != loaded {  // a new plane: copy it inside its zero border
                    loaded = cursor.image
                    pad(planes + (loaded * channels + channel) * planeSize, grid, border: border, into: padded, width: paddedWidth,
                        height: paddedHeight)
                }
                let lane = t & 15, corner = padded + cursor.row * m * paddedWidth + cursor.column * m
                // Constant windows, so that the gathers unroll.
                switch source {
                case .input: gatherTile(corner, rowLength: paddedWidth, window: Tile.inputSide, lane: lane, into: blockFloats)
                case .outputGradient: gatherTile(corner, rowLength: paddedWidth, window: Tile.outputSide, lane: lane, into: blockFloats)
                }
                if lane == 15 || t == tiles - 1 {  // straight into the product rows: 64-byte aligned, ld % 16 == 0
                    let target = lanes(product + channel * ld + t - lane), stride = channels * ld / 16
                    switch source {
                    case .input: transform2D(Tile.self, .input, n: Tile.inputSide, p: a, block, scratch: middle, target, ys: stride)
                    case .outputGradient:
                        transform2D(Tile.self, .outputTransposed, n: Tile.outputSide, p: a, block, scratch: middle, target, ys: stride)
                    }
                }
                cursor.advance()
            }
        }
    }
}

/// Brings products `product` [a^2, channels, ld] (aligned as `transformTiles` writes them) back to
/// output tiles (A^T M A) and writes them,
/// clipped to the plane and plus `bias[channel]` when given, into `images` images of `channels`
/// planes (image i's [channels, H, W] at `planes + i * channels * H * W`).
func untransformTiles<Tile: WinogradTile>(_ tile: Tile.Type, _ grid: TileGrid, images: Int, channels: Int,
                                          _ product: UnsafePointer<Float>, ld: Int, bias: UnsafePointer<Float>?,
                                          into planes: UnsafeMutablePointer<Float>) {
    let a = Tile.inputSide, m = Tile.outputSide, tiles = images * grid.perImage
    let planeSize = grid.height * grid.width, width = grid.width
    precondition(ld % 16 == 0 && ld >= tiles && Int(bitPattern: product) % 64 == 0, "unaligned tile rows")
    Parallel.forEach(channels, grain: 1) { channelRange in
        let scratch = Workspace.current.lanes(20, count: m * a + m * m)
        let middle = scratch, result = middle + m * a
        let resultFloats = UnsafeRawPointer(result).assumingMemoryBound(to: Float.self)  // [m^2, 16]
        for channel in channelRange {
            let offset = bias?[channel] ?? 0
            var cursor = TileCursor(grid)
            for first in Swift.stride(from: 0, to: tiles, by: 16) {
                // Straight from the product rows: 64-byte aligned, ld % 16 == 0.
                transform2D(Tile.self, .output, n: a, p: m, lanes(product + channel * ld + first), xs: channels * ld / 16,
                            scratch: middle, result)
                for lane in 0..<min(16, tiles - first) {
                    let y0 = cursor.row * m, x0 = cursor.column * m
                    let target = planes + (cursor.image * channels + channel) * planeSize + y0 * width + x0
                    let rows = min(m, grid.height - y0), columns = min(m, width - x0)
                    if rows == m && columns == m {  // inside the plane: constant loops
                        for i in 0..<m { for j in 0..<m { target[i * width + j] = resultFloats[(i * m + j) * 16 + lane] + offset } }
                    } else {
                        for i in 0..<rows { for j in 0..<columns { target[i * width + j] = resultFloats[(i * m + j) * 16 + lane] + offset } }
                    }
                    cursor.advance()
                }
            }
        }
    }
}

/// Walks the tiles of consecutive images in order (image, tile row, tile column).
struct TileCursor {
    let grid: TileGrid
    private(set) var image = 0, row = 0, column = 0

    init(_ grid: TileGrid) { self.grid = grid }

    @inline(__always)
    mutating func advance() {
        column += 1
        if column < grid.columns { return }
        column = 0; row += 1
        if row == grid.rows { row = 0; image += 1 }
    }
}

/// Copies the H x W `plane` into `padded` [height, width] at row and column `border`, zeroing the rest.
@inline(__always)
func pad(_ plane: UnsafePointer<Float>, _ grid: TileGrid, border: Int, into padded: UnsafeMutablePointer<Float>,
         width: Int, height: Int) {
    padded.update(repeating: 0, count: border * width)
    for y in 0..<grid.height {
        let line = padded + (y + border) * width
        line.update(repeating: 0, count: border)
        (line + border).update(from: plane + y * grid.width, count: grid.width)
        (line + border + grid.width).update(repeating: 0, count: width - border - grid.width)
    }
    (padded + (grid.height + border) * width).update(repeating: 0, count: (height - grid.height - border) * width)
}

/// Copies the `window` x `window` block at `corner` (rows `rowLength` apart) into lane `lane` of
/// `block` [window^2, 16].
@inline(__always)
func gatherTile(_ corner: UnsafePointer<Float>, rowLength: Int, window: Int, lane: Int, into block: UnsafeMutablePointer<Float>) {
    for i in 0..<window {
        for j in 0..<window { block[(i * window + j) * 16 + lane] = corner[i * rowLength + j] }
    }
}

/// `pointer` viewed as vectors of 16 floats; it must be 64-byte aligned.
@inline(__always)
func lanes(_ pointer: UnsafePointer<Float>) -> UnsafeMutablePointer<Lanes> {
    UnsafeMutableRawPointer(mutating: pointer).assumingMemoryBound(to: Lanes.self)
}

/// Stores `count` vectors to `target + i * stride` (16 floats each, or the first `valid`).
@inline(__always)
func storeLanes(_ vectors: UnsafePointer<Lanes>, count: Int, to target: UnsafeMutablePointer<Float>, stride: Int, valid: Int) {
    if valid == 16 {
        for i in 0..<count { UnsafeMutableRawPointer(target + i * stride).storeBytes(of: vectors[i], as: Lanes.self) }
    } else {
        for i in 0..<count { for lane in 0..<valid { target[i * stride + lane] = vectors[i][lane] } }
    }
}

/// Loads `count` vectors from `source + i * stride` (16 floats each, or the first `valid` and zeros).
@inline(__always)
func loadLanes(_ source: UnsafePointer<Float>, count: Int, stride: Int, valid: Int, into vectors: UnsafeMutablePointer<Lanes>) {
    if valid == 16 {
        for i in 0..<count { vectors[i] = UnsafeRawPointer(source + i * stride).loadUnaligned(as: Lanes.self) }
    } else {
        for i in 0..<count {
            var v = Lanes(repeating: 0)
            for lane in 0..<valid { v[lane] = source[i * stride + lane] }
            vectors[i] = v
        }
    }
}
