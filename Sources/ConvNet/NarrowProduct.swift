import CConvKernels
import Plumbing

/// Products with at most this many columns go to `narrowProduct` instead of OpenBLAS's sgemm: on CPUs
/// with AVX2 and FMA, else never (0). Tests set it to compare both. At batch 1, layer4 of a 160x160
/// ResNet18 multiplies 512 x 4608 kernels by 4608 x 25 columns: OpenBLAS packs the 9.4 MB of kernels
/// on every call, for 25 columns; from about 64 columns on, packing pays for itself.
nonisolated(unsafe) var narrowProductColumns = cpuRunsVectorKernels ? 64 : 0

/// C [m, n] = A [m, k] times B [k, n], all row-major and contiguous, for a narrow B: B is transposed
/// into `scratch` [n, k], then each element of C is the dot product of a row of A and a row of the
/// transposed B, both read in place (`cw_narrow_product`). Blocks of C's rows are split across the cores.
func narrowProduct(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                   scratch: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>) {
    transpose(b, rows: k, columns: n, into: scratch)
    let rowsPerBlock = 4  // the kernel's register block
    Parallel.forEach((m + rowsPerBlock - 1) / rowsPerBlock, grain: 4, chunksPerCore: 2) { blocks in
        let first = blocks.lowerBound * rowsPerBlock, end = min(m, blocks.upperBound * rowsPerBlock)
        cw_narrow_product(a + first * k, k, scratch, k, end - first, n, k, c + first * n, n)
    }
}

/// Writes the transpose [columns, rows] of `matrix` [rows, columns] (row-major) into `target`, in bands
/// of 64 source rows split across the cores: a band's reads stay in the level-1 cache.
func transpose(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
    let band = 64
    Parallel.forEach((rows + band - 1) / band, grain: 2) { bands in
        for first in Swift.stride(from: bands.lowerBound * band, to: min(rows, bands.upperBound * band), by: band) {
            let end = min(rows, first + band)
            for column in 0..<columns {
                let line = target + column * rows
                for row in first..<end { line[row] = matrix[row * columns + column] }
            }
        }
    }
}
