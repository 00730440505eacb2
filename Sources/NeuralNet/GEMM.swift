import CBLAS

/// Row-major single-precision matrix product through OpenBLAS:
/// `C = alpha * op(A) * op(B) + beta * C`, with op(A) [m, k], op(B) [k, n] and C [m, n].
func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
