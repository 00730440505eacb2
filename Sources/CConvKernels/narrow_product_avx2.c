/* A matrix product with few columns, C = A B^T, as dot products of rows that are both contiguous
 * in the inner dimension: no packing of either matrix. Blocks of 4 rows of A against 3 rows of B
 * keep 12 sums of 8 lanes in registers; each step loads 7 vectors for 12 multiply-adds, and a
 * block of A (4 rows) stays in the level-2 cache while it meets every row of B. */
#include "CConvKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

enum { BLOCK_ROWS = 4, BLOCK_COLUMNS = 3 };

/* The sum of a vector's 8 lanes. */
INLINE AVX2 float lane_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* c[i * ldc + j] = dot(a row i, b row j) for i < rows <= 4, j < columns <= 3, over `depth` floats.
 * `rows` and `columns` are constants where it is called, so the loops unroll into registers. */
INLINE AVX2 void dot_block(const float *a, long lda, const float *b, long ldb, long depth,
                           float *c, long ldc, int rows, int columns) {
    __m256 sums[BLOCK_ROWS][BLOCK_COLUMNS];
    for (int i = 0; i < BLOCK_ROWS; i++)
        for (int j = 0; j < BLOCK_COLUMNS; j++) sums[i][j] = _mm256_setzero_ps();
    long p = 0;
    for (; p + 8 <= depth; p += 8) {
        __m256 bv[BLOCK_COLUMNS];
        for (int j = 0; j < BLOCK_COLUMNS; j++)
            if (j < columns) bv[j] = _mm256_loadu_ps(b + j * ldb + p);
        for (int i = 0; i < BLOCK_ROWS; i++) {
            if (i >= rows) continue;
            __m256 av = _mm256_loadu_ps(a + i * lda + p);
            for (int j = 0; j < BLOCK_COLUMNS; j++)
                if (j < columns) sums[i][j] = _mm256_fmadd_ps(av, bv[j], sums[i][j]);
        }
    }
    for (int i = 0; i < BLOCK_ROWS; i++) {
        if (i >= rows) continue;
        for (int j = 0; j < BLOCK_COLUMNS; j++) {
            if (j >= columns) continue;
            float sum = lane_sum(sums[i][j]);
            for (long q = p; q < depth; q++) sum += a[i * lda + q] * b[j * ldb + q];
            c[i * ldc + j] = sum;
        }
    }
}

/* Rows `rows` (at most 4) of C against every row of B. */
INLINE AVX2 void row_block(const float *a, long lda, const float *b, long ldb, long columns, long depth,
                           float *c, long ldc, int rows) {
    long j = 0;
    for (; j + BLOCK_COLUMNS <= columns; j += BLOCK_COLUMNS)
        dot_block(a, lda, b + j * ldb, ldb, depth, c + j, ldc, rows, BLOCK_COLUMNS);
    for (; j < columns; j++) dot_block(a, lda, b + j * ldb, ldb, depth, c + j, ldc, rows, 1);
}

AVX2 void cw_narrow_product(const float *a, long lda, const float *b, long ldb, long rows, long columns,
                            long depth, float *c, long ldc) {
    long i = 0;
    for (; i + BLOCK_ROWS <= rows; i += BLOCK_ROWS)
        row_block(a + i * lda, lda, b, ldb, columns, depth, c + i * ldc, ldc, BLOCK_ROWS);
    for (; i < rows; i++) row_block(a + i * lda, lda, b, ldb, columns, depth, c + i * ldc, ldc, 1);
}

#else

void cw_narrow_product(const float *a, long lda, const float *b, long ldb, long rows, long columns,
                       long depth, float *c, long ldc) {
    (void)a; (void)lda; (void)b; (void)ldb; (void)rows; (void)columns; (void)depth; (void)c; (void)ldc;
}

#endif
