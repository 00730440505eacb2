import CConvKernels
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
/// Flipped, `inputs` may be a block of the kernels' `inputStride` input channels (`kernels` then
/// points at the block's first one).
func transformKernels<Tile: WinogradTile>(_ tile: Tile.Type, _ kernels: UnsafePointer<Float>, outputs: Int, inputs: Int,
                                          inputStride: Int? = nil, flipped: Bool, into product: UnsafeMutablePointer<Float>) {
    let a = Tile.inputSide, pairs = outputs * inputs, stride = inputStride ?? inputs
    precondition(flipped || stride == inputs, "a block of input channels needs flipped kernels")
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
                    let kernel = kernels + (column * stride + row) * 9
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

/// Whether the F(4x4, 3x3) transforms go to the AVX2 kernels of CConvKernels, 16 tiles at a time,
/// rather than the portable path's lane-by-lane gathers: on CPUs with AVX2 and FMA. Tests turn it
/// off to check the portable path on the same machine.
nonisolated(unsafe) var vectorTileKernels = cpuRunsVectorKernels

/// Transforms the tiles of `images` images of `channels` planes each (image i's [channels, H, W] at
/// `planes + i * channels * H * W`) into the product domain, reading zeros outside the plane. The result
/// is `product` [a^2, channels, ld], column t the tile t = image * tilesPerImage + row * tileColumns
/// + column; `ld` is a multiple of 16 at least the tile count, and `product` 64-byte aligned.
func transformTiles<Tile: WinogradTile>(_ tile: Tile.Type, _ source: TileSource, _ grid: TileGrid, images: Int, channels: Int,
                                        planes: UnsafePointer<Float>, into product: UnsafeMutablePointer<Float>, ld: Int) {
    let a = Tile.inputSide, tiles = images * grid.perImage
    let window = source == .input ? a : grid.side
    precondition(ld % 16 == 0 && ld >= tiles && Int(bitPattern: product) % 64 == 0, "unaligned tile rows")
    let vector = Tile.self == WinogradF4.self && vectorTileKernels, stride = channels * ld
    Parallel.forEach(channels, grain: 1) { channelRange in
        let space = Workspace.current
        let padded = PaddedPlanes(grid, window: window, border: source == .input ? 1 : 0, images: images, storage: space)
        let scratch = space.lanes(20, count: window * window + a * window + 2)
        let block = scratch, middle = block + window * window
        let blockFloats = UnsafeMutableRawPointer(block).assumingMemoryBound(to: Float.self)  // [window^2, 16]
        let corners = UnsafeMutableRawPointer(middle + a * window).assumingMemoryBound(to: UnsafePointer<Float>?.self)  // [16]
        for channel in channelRange {
            let row = product + channel * ld  // 64-byte aligned, ld % 16 == 0
            if vector {
                padded.forEachWindow(channel: channel, of: channels, images: images, planes: planes) { t, corner in
                    let lane = t & 15
                    corners[lane] = corner
                    guard lane == 15 || t == tiles - 1 else { return }
                    for unused in lane + 1 ..< 16 { corners[unused] = corner }
                    switch source {
                    case .input: cw_f4_input16(corners, padded.width, row + t - lane, stride)
                    case .outputGradient: cw_f4_output_gradient16(corners, padded.width, row + t - lane, stride)
                    }
                }
                continue
            }
            padded.forEachWindow(channel: channel, of: channels, images: images, planes: planes) { t, corner in
                let lane = t & 15
                // Constant windows, so that the gathers unroll.
                switch source {
                case .input: gatherTile(corner, rowLength: padded.width, window: Tile.inputSide, lane: lane, into: blockFloats)
                case .outputGradient: gatherTile(corner, rowLength: padded.width, window: Tile.outputSide, lane: lane, into: blockFloats)
                }
                guard lane == 15 || t == tiles - 1 else { return }
                switch source {
                case .input: transform2D(Tile.self, .input, n: Tile.inputSide, p: a, block, scratch: middle, lanes(row + t - lane), ys: stride / 16)
                case .outputGradient:
                    transform2D(Tile.self, .outputTransposed, n: Tile.outputSide, p: a, block, scratch: middle, lanes(row + t - lane),
                                ys: stride / 16)
                }
            }
        }
    }
}

/// Zero-bordered copies of one channel's planes, from which `transformTiles` reads its windows:
/// copies of consecutive images in turn, as many as a group of 16 tiles of the vector kernels can
/// span, each 8 floats longer than the padded plane, as the kernels read a window's rows 8 floats wide.
struct PaddedPlanes {
    let grid: TileGrid
    /// Zero rows and columns before the plane.
    let border: Int
    /// The padded plane's row length and rows, the floats between copies, and the copies.
    let width: Int, height: Int, size: Int, copies: Int
    let storage: UnsafeMutablePointer<Float>

    /// Copies for windows of `window` x `window` floats, m (the tile side) apart, of `images` images,
    /// in workspace `space`.
    init(_ grid: TileGrid, window: Int, border: Int, images: Int, storage space: Workspace) {
        self.grid = grid; self.border = border
        width = grid.columns * grid.side + window - grid.side
        height = grid.rows * grid.side + window - grid.side
        size = width * height + 8
        copies = min(images, 16 / grid.perImage + 2)  // 16 consecutive tiles meet at most ceil(15 / perImage) + 1 images
        storage = space.buffer(21, count: copies * size)
    }

    /// Calls `body(t, corner)` for the tiles t of `channel` in `images` images of `channels` planes in
    /// order (see `TileCursor`), `corner` the top-left of the tile's window in the padded plane.
    @inline(__always)
    func forEachWindow(channel: Int, of channels: Int, images: Int, planes: UnsafePointer<Float>,
                       _ body: (Int, UnsafePointer<Float>) -> Void) {
        let m = grid.side, planeSize = grid.height * grid.width
        var cursor = TileCursor(grid), loaded = -1, padded = storage
        for t in 0..<images * grid.perImage {
            if cursor.image != loaded {  // a new plane: copy it inside its zero border
                loaded = cursor.image
                padded = storage + loaded % copies * size
                pad(planes + (loaded * channels + channel) * planeSize, grid, border: border, into: padded, width: width, height: height)
            }
            body(t, padded + cursor.row * m * width + cursor.column * m)
            cursor.advance()
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
    let vector = Tile.self == WinogradF4.self && vectorTileKernels
    Parallel.forEach(channels, grain: 1) { channelRange in
        let scratch = Workspace.current.lanes(20, count: m * a + m * m)
        let middle = scratch, result = middle + m * a
        // [m^2, 16] (lane l's element (i, j) at (i * m + j) * 16 + l); from the vector kernels [16, m^2]
        let resultFloats = UnsafeMutableRawPointer(result).assumingMemoryBound(to: Float.self)
        for channel in channelRange {
            let offset = bias?[channel] ?? 0
            var cursor = TileCursor(grid)
            for first in Swift.stride(from: 0, to: tiles, by: 16) {
                // Straight from the product rows: 64-byte aligned, ld % 16 == 0.
                if vector {
                    cw_f4_output16(product + channel * ld + first, channels * ld, offset, resultFloats)
                } else {
                    transform2D(Tile.self, .output, n: a, p: m, lanes(product + channel * ld + first), xs: channels * ld / 16,
                                scratch: middle, result)
                }
                for lane in 0..<min(16, tiles - first) {
                    let y0 = cursor.row * m, x0 = cursor.column * m
                    let target = planes + (cursor.image * channels + channel) * planeSize + y0 * width + x0
                    let rows = min(m, grid.height - y0), columns = min(m, width - x0)
                    cursor.advance()
                    if vector {
                        storeTile(resultFloats + lane * 16, rows: rows, columns: columns, to: target, width: width)
                    } else if rows == m && columns == m {  // inside the plane: constant loops
                        for i in 0..<m { for j in 0..<m { target[i * width + j] = resultFloats[(i * m + j) * 16 + lane] + offset } }
                    } else {
                        for i in 0..<rows { for j in 0..<columns { target[i * width + j] = resultFloats[(i * m + j) * 16 + lane] + offset } }
                    }
                }
            }
        }
    }
}

/// Copies the `rows` x `columns` top-left corner of the row-major 4x4 tile `values` to `target` (rows
/// `width` apart); a whole tile as four vector rows.
@inline(__always)
func storeTile(_ values: UnsafePointer<Float>, rows: Int, columns: Int, to target: UnsafeMutablePointer<Float>, width: Int) {
    if rows == 4 && columns == 4 {
        for i in 0..<4 {
            UnsafeMutableRawPointer(target + i * width).storeBytes(of: UnsafeRawPointer(values + 4 * i).loadUnaligned(as: SIMD4<Float>.self),
                                                                    as: SIMD4<Float>.self)
        }
    } else {
        for i in 0..<rows { for j in 0..<columns { target[i * width + j] = values[i * 4 + j] } }
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
