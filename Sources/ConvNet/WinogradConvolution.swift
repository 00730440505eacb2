import NeuralNet
import Plumbing

/// A 3x3 convolution with stride 1 and padding 1 by Winograd's minimal filtering (see
/// `WinogradTile`): the forward pass, the input gradient and the kernel gradient each become a^2
/// independent matrix products over channels (one per position of the a x a transformed tile),
/// run side by side on the cores, between tile transforms that run channel by channel.
///
/// Chunks of images bound the scratch memory. The tile side (2, 4 or 5) is the one whose products
/// and tile transforms cost least on the plane (see `tileSide`).
struct WinogradConvolution {
    /// Channels in (C) and out (K).
    let inputChannels: Int, outputChannels: Int
    /// The plane size, the same in and out.
    let height: Int, width: Int
    /// The output tile side m: 2, 4 or 5.
    let tileSide: Int

    /// Floats of transformed tiles per chunk of images (per buffer): 32 MB, a whole batch of 32 at
    /// 160x160 in ResNet18 (measured 7% less CPU per training image than 8 MB chunks, 9% less than
    /// 2 MB ones, for 42 MB more peak memory).
    static var chunkBudget = 1 << 23

    /// A convolution between `inputChannels` and `outputChannels` planes of `height` x `width`, with
    /// the given tile side (2, 4 or 5) or the cheapest one.
    init(inputChannels: Int, outputChannels: Int, height: Int, width: Int, tileSide: Int? = nil) {
        precondition(tileSide == nil || [2, 4, 5].contains(tileSide!), "Winograd tiles are 2, 4 or 5 wide, not \(tileSide!)")
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.height = height; self.width = width
        self.tileSide = tileSide ?? WinogradConvolution.tileSide(height: height, width: width, inputChannels: inputChannels,
                                                                 outputChannels: outputChannels)
    }

    /// Multiply-add equivalents of transforming one product-domain element of one channel, by tile
    /// side: F(4x4)'s AVX2 kernels are cheap; the portable transforms gather tiles lane by lane, and
    /// F(5x5)'s maps are dense.
    static func transformCost(side: Int) -> Int {
        switch side {
        case 4: return vectorTileKernels ? 4 : 24
        case 5: return 32
        default: return 8
        }
    }

    /// The tile side with the least work per plane: tiles x a^2 x (C K products + the transforms of
    /// the C + K channels); the smaller side on a tie. F(5x5) wins on 10x10 and 5x5 planes of
    /// ResNet18, F(4x4) on its 40x40 and 20x20 ones.
    static func tileSide(height: Int, width: Int, inputChannels: Int, outputChannels: Int) -> Int {
        func cost(_ m: Int) -> Int {
            TileGrid(height: height, width: width, side: m).perImage * (m + 2) * (m + 2)
                * (inputChannels * outputChannels + transformCost(side: m) * (inputChannels + outputChannels))
        }
        return [2, 4, 5].min { cost($0) < cost($1) }!
    }

    /// Multiply-add equivalents of reading one float of transformed kernels from memory, once per pass
    /// (a pass on a few images reads far more kernels than tiles). Measured at batch 1 in ResNet18 with
    /// prepared kernels: F(2x2) beats F(4x4), F(5x5) and im2col on the 10x10 planes (any value above
    /// 5.5 says so), im2col beats F(2x2) on the 5x5 planes (above 10.9).
    static let kernelReadCost = 12

    /// Bytes of transformed kernels a layer may keep. Beyond it they cost more memory than they save
    /// time: layer4 of the 68-point model (512 channels at 10x10) would keep 16.8 MB of F(2x2) kernels
    /// a layer; without them one photo's detection took 4% longer (86 against 82 ms, 4 rounds), the
    /// batch of 14 no longer, and `morph detect` peaked at 530 MB instead of 628.
    static let preparedKernelBudget = 8 << 20

    /// The Winograd form for kernels transformed once (weights frozen for inference), or nil when
    /// im2col costs less: the tile side, or im2col, with the least products, tile transforms and
    /// kernel reads per image, for a pass on `images` images, among the sides whose transformed
    /// kernels fit `preparedKernelBudget`.
    static func withPreparedKernels(inputChannels: Int, outputChannels: Int, height: Int, width: Int,
                                    images: Int) -> WinogradConvolution? {
        let pairs = inputChannels * outputChannels
        func cost(_ m: Int) -> Int {
            let a2 = (m + 2) * (m + 2)
            return TileGrid(height: height, width: width, side: m).perImage * a2
                * (pairs + transformCost(side: m) * (inputChannels + outputChannels)) + kernelReadCost * a2 * pairs / images
        }
        let direct = height * width * 9 * pairs + kernelReadCost * 9 * pairs / images
        let sides = [2, 4, 5].filter { ($0 + 2) * ($0 + 2) * pairs * MemoryLayout<Float>.size <= preparedKernelBudget }
        guard let side = sides.min(by: { cost($0) < cost($1) }), cost(side) < direct else { return nil }
        return WinogradConvolution(inputChannels: inputChannels, outputChannels: outputChannels, height: height,
                                   width: width, tileSide: side)
    }

    /// Multiply-adds per image of the a^2 products of one pass (forward, input gradient or kernel gradient).
    var productMACs: Int {
        TileGrid(height: height, width: width, side: tileSide).perImage * (tileSide + 2) * (tileSide + 2)
            * inputChannels * outputChannels
    }

    /// Multiply-add equivalents of one kernel element's transform (measured in ResNet18 training:
    /// about 2.2 cycles, where the sgemm kernels do 16 multiply-adds a cycle).
    static let kernelTransformCost = 35

    /// Whether the multiplications saved on `images` images outweigh transforming the kernels,
    /// which every pass does once (not so for a small batch on small planes with many channels).
    func pays(images: Int) -> Bool {
        let direct = height * width * 9 * inputChannels * outputChannels, a = tileSide + 2
        return (direct - productMACs) * images > WinogradConvolution.kernelTransformCost * a * a * inputChannels * outputChannels
    }

    /// The kernels [K, C, 3, 3] in the product domain, [a^2, K, C]: what `forward` makes of them on
    /// every call unless it is given them.
    func transformedKernels(_ kernels: UnsafePointer<Float>) -> Tensor {
        let a = tileSide + 2
        let result = Tensor(shape: [a * a, outputChannels, inputChannels])
        switch tileSide {
        case 2: transformKernels(WinogradF2.self, kernels, outputs: outputChannels, inputs: inputChannels, flipped: false,
                                 into: result.data)
        case 4: transformKernels(WinogradF4.self, kernels, outputs: outputChannels, inputs: inputChannels, flipped: false,
                                 into: result.data)
        default: transformKernels(WinogradF5.self, kernels, outputs: outputChannels, inputs: inputChannels, flipped: false,
                                  into: result.data)
        }
        return result
    }

    // input [N, C, H, W], kernels [K, C, 3, 3] or `transformed` [a^2, K, C], bias [K] -> output [N, K, H, W]
    func forward(_ input: UnsafePointer<Float>, images: Int, kernels: UnsafePointer<Float>,
                 transformed: UnsafePointer<Float>? = nil, bias: UnsafePointer<Float>?,
                 into output: UnsafeMutablePointer<Float>) {
        switch tileSide {
        case 2: forward(WinogradF2.self, input, images: images, kernels: kernels, transformed: transformed, bias: bias, into: output)
        case 4: forward(WinogradF4.self, input, images: images, kernels: kernels, transformed: transformed, bias: bias, into: output)
        default: forward(WinogradF5.self, input, images: images, kernels: kernels, transformed: transformed, bias: bias, into: output)
        }
    }

    // input [N, C, H, W], gradOutput [N, K, H, W] -> adds into kernelGradient [K, C, 3, 3]; writes
    // gradInput [N, C, H, W] when given
    func backward(input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, images: Int, kernels: UnsafePointer<Float>,
                  kernelGradient: UnsafeMutablePointer<Float>, gradInput: UnsafeMutablePointer<Float>?) {
        switch tileSide {
        case 2:
            backward(WinogradF2.self, input: input, gradOutput: gradOutput, images: images, kernels: kernels,
                     kernelGradient: kernelGradient, gradInput: gradInput)
        case 4:
            backward(WinogradF4.self, input: input, gradOutput: gradOutput, images: images, kernels: kernels,
                     kernelGradient: kernelGradient, gradInput: gradInput)
        default:
            backward(WinogradF5.self, input: input, gradOutput: gradOutput, images: images, kernels: kernels,
                     kernelGradient: kernelGradient, gradInput: gradInput)
        }
    }

    /// Floats of transformed kernels per block when a pass makes them a block of channels at a time:
    /// 4 MB. Layer4 of ResNet18 (512x512 kernels, 51 MB transformed by F(5x5)) measured its forward
    /// pass 35% faster than with the whole set, which goes to memory and back.
    nonisolated(unsafe) static var kernelBlockBudget = 1 << 20

    /// Output channels per block of transformed kernels (all of them when they fit the budget).
    static func kernelBlock(a2: Int, inputs: Int, outputs: Int) -> Int {
        let blocks = max(1, (a2 * inputs * outputs + kernelBlockBudget - 1) / kernelBlockBudget)
        return (outputs + blocks - 1) / blocks
    }

    /// The pass's chunking and scratch: images per chunk, the row length `ld` of the tile buffers,
    /// the product-domain kernels [a^2, K, C] (or [a^2, C, K]), the tiles of the C-channel side
    /// [a^2, C, ld] and of the K-channel side [a^2, K, ld].
    private func scratch(images: Int) -> (grid: TileGrid, chunk: Int, ld: Int, kernels: UnsafeMutablePointer<Float>,
                               inputTiles: UnsafeMutablePointer<Float>, outputTiles: UnsafeMutablePointer<Float>) {
        let grid = TileGrid(height: height, width: width, side: tileSide), a2 = (tileSide + 2) * (tileSide + 2)
        let perImage = a2 * max(inputChannels, outputChannels) * grid.perImage
        let chunks = max(1, (images * perImage + WinogradConvolution.chunkBudget - 1) / WinogradConvolution.chunkBudget)
        let chunk = (images + chunks - 1) / chunks, ld = (chunk * grid.perImage + 15) & ~15
        let space = Workspace.current
        return (grid, chunk, ld, space.buffer(3, count: a2 * outputChannels * inputChannels),
                space.buffer(5, count: a2 * inputChannels * ld), space.buffer(6, count: a2 * outputChannels * ld))
    }

    private func forward<Tile: WinogradTile>(_ tile: Tile.Type, _ input: UnsafePointer<Float>, images: Int,
                                             kernels: UnsafePointer<Float>, transformed: UnsafePointer<Float>?,
                                             bias: UnsafePointer<Float>?, into output: UnsafeMutablePointer<Float>) {
        let c = inputChannels, k = outputChannels, a2 = Tile.inputSide * Tile.inputSide, plane = height * width
        let (grid, chunk, ld, scratchU, v, products) = scratch(images: images)  // U [a^2, K, C], V [a^2, C, ld], M [a^2, K, ld]
        // With one chunk, the kernels are transformed a block of output channels at a time, each block
        // multiplied while it is still in the caches (layer4's U is 51 MB); otherwise once for all chunks.
        let block = chunk >= images && transformed == nil ? WinogradConvolution.kernelBlock(a2: a2, inputs: c, outputs: k) : k
        let u = UnsafeMutablePointer(mutating: transformed) ?? scratchU
        if block == k && transformed == nil { transformKernels(Tile.self, kernels, outputs: k, inputs: c, flipped: false, into: u) }
        for first in Swift.stride(from: 0, to: images, by: chunk) {
            let count = min(chunk, images - first)
            transformTiles(Tile.self, .input, grid, images: count, channels: c,
                           planes: input + first * c * plane, into: v, ld: ld)
            for k0 in Swift.stride(from: 0, to: k, by: block) {  // U's rows k0..<k0 + kb, as [a^2, kb, C]
                let kb = min(block, k - k0)
                if block < k { transformKernels(Tile.self, kernels + k0 * c * 9, outputs: kb, inputs: c, flipped: false, into: u) }
                multiplyEach(a2, m: kb, n: count * grid.perImage, k: c, a: u, lda: c, strideA: kb * c,
                             b: v, ldb: ld, strideB: c * ld, beta: 0, c: products + k0 * ld, ldc: ld, strideC: k * ld)
            }
            untransformTiles(Tile.self, grid, images: count, channels: k, products, ld: ld, bias: bias,
                             into: output + first * k * plane)
        }
    }

    private func backward<Tile: WinogradTile>(_ tile: Tile.Type, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                              images: Int, kernels: UnsafePointer<Float>,
                                              kernelGradient: UnsafeMutablePointer<Float>, gradInput: UnsafeMutablePointer<Float>?) {
        let c = inputChannels, k = outputChannels, a2 = Tile.inputSide * Tile.inputSide, plane = height * width
        // flipped kernels [a^2, C, K]; input tiles [a^2, C, ld], then the input gradient's products;
        // gradOutput's tiles [a^2, K, ld], as output-gradient tiles then as input tiles
        let (grid, chunk, ld, flippedKernels, inputTiles, gradientTiles) = scratch(images: images)
        let kernelProducts = Workspace.current.buffer(4, count: a2 * k * c)  // [a^2, K, C]
        // With one chunk, the kernel gradient's products and the flipped kernels are made a block of
        // channels at a time (see `forward`); otherwise whole, the products summed over the chunks.
        let blocked = chunk >= images
        let kBlock = blocked ? WinogradConvolution.kernelBlock(a2: a2, inputs: c, outputs: k) : k
        let cBlock = blocked ? WinogradConvolution.kernelBlock(a2: a2, inputs: k, outputs: c) : c
        if gradInput != nil && cBlock == c {
            transformKernels(Tile.self, kernels, outputs: k, inputs: c, flipped: true, into: flippedKernels)
        }
        for first in Swift.stride(from: 0, to: images, by: chunk) {
            let count = min(chunk, images - first), tiles = count * grid.perImage
            transformTiles(Tile.self, .input, grid, images: count, channels: c,
                           planes: input + first * c * plane, into: inputTiles, ld: ld)
            transformTiles(Tile.self, .outputGradient, grid, images: count, channels: k,
                           planes: gradOutput + first * k * plane, into: gradientTiles, ld: ld)
            // dU [K, C] (+)= (A dy A^T) [K, tiles] x (B^T d B)^T [tiles, C], per tile position; rows k0..<k0 + kb
            for k0 in Swift.stride(from: 0, to: k, by: kBlock) {
                let kb = min(kBlock, k - k0)
                multiplyEach(a2, transposeB: true, m: kb, n: c, k: tiles, a: gradientTiles + k0 * ld, lda: ld, strideA: k * ld,
                             b: inputTiles, ldb: ld, strideB: c * ld, beta: first == 0 ? 0 : 1,
                             c: kernelProducts, ldc: c, strideC: kb * c)
                if blocked {
                    accumulateKernelGradient(Tile.self, kernelProducts, outputs: kb, inputs: c, into: kernelGradient + k0 * c * 9)
                }
            }
            guard let gradInput else { continue }
            // The input gradient: gradOutput correlated with the flipped kernels, padding 1; rows c0..<c0 + cb.
            transformTiles(Tile.self, .input, grid, images: count, channels: k,
                           planes: gradOutput + first * k * plane, into: gradientTiles, ld: ld)
            for c0 in Swift.stride(from: 0, to: c, by: cBlock) {
                let cb = min(cBlock, c - c0)
                if cBlock < c {
                    transformKernels(Tile.self, kernels + c0 * 9, outputs: k, inputs: cb, inputStride: c, flipped: true,
                                     into: flippedKernels)
                }
                multiplyEach(a2, m: cb, n: tiles, k: k, a: flippedKernels, lda: k, strideA: cb * k,
                             b: gradientTiles, ldb: ld, strideB: k * ld, beta: 0, c: inputTiles + c0 * ld, ldc: ld, strideC: c * ld)
            }
            untransformTiles(Tile.self, grid, images: count, channels: c, inputTiles, ld: ld, bias: nil,
                             into: gradInput + first * c * plane)
        }
        if !blocked { accumulateKernelGradient(Tile.self, kernelProducts, outputs: k, inputs: c, into: kernelGradient) }
    }
}

/// `count` independent products C_i = op(A_i) op(B_i) (+ beta C_i), A_i = a + i * strideA and so
/// on, shared out among the cores (each product on one core).
func multiplyEach(_ count: Int, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                  a: UnsafePointer<Float>, lda: Int, strideA: Int, b: UnsafePointer<Float>, ldb: Int, strideB: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int) {
    Parallel.forEach(count, grain: 1) { range in
        for i in range {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a + i * strideA, lda: lda,
                 b: b + i * strideB, ldb: ldb, beta: beta, c: c + i * strideC, ldc: ldc, parallel: false)
        }
    }
}
