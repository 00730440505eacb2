import CBLAS
import Plumbing

/// OpenBLAS runs single-threaded under the engine: `gemm` splits products across the cores itself,
/// on the same thread pool as the rest of the engine's work. (OpenBLAS's own threads keep spinning
/// after each call and would compete with that pool for the cores.)
private let singleThreadedBLAS: Void = openblas_set_num_threads(1)

/// Products smaller than this many multiply-adds run on one core.
private let parallelGEMMThreshold = 1 << 21

/// Row-major single-precision matrix product through OpenBLAS:
/// `C = alpha * op(A) * op(B) + beta * C`, with op(A) [m, k], op(B) [k, n] and C [m, n].
/// Large products are split into column (or row) blocks computed in parallel, unless `parallel`
/// is false (for callers that run several products side by side).
package func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true) {
    _ = singleThreadedBLAS
    func block(rows: Range<Int>, columns: Range<Int>) {
        let blockA = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
        let blockB = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(rows.count), Int32(columns.count), Int32(k), alpha, blockA, Int32(lda), blockB, Int32(ldb),
                    beta, c + rows.lowerBound * ldc + columns.lowerBound, Int32(ldc))
    }
    let parts = parallel && m * n * k >= parallelGEMMThreshold ? Parallel.cores : 1
    let splitColumns = n >= m
    guard parts > 1, (splitColumns ? n : m) >= 16 * parts else {
        block(rows: 0..<m, columns: 0..<n)
        return
    }
    let extent = splitColumns ? n : m
    Parallel.forEachIndex(parts, chunksPerCore: 1) { part in
        // Block edges on multiples of 16 floats keep OpenBLAS's vector kernels aligned.
        let start = (extent * part / parts) & ~15, end = part == parts - 1 ? extent : (extent * (part + 1) / parts) & ~15
        if splitColumns { block(rows: 0..<m, columns: start..<end) } else { block(rows: start..<end, columns: 0..<n) }
    }
}
