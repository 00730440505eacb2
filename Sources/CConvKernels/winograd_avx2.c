/* Winograd F(4x4, 3x3) tile transforms, 8 tiles side by side in the 8 lanes of AVX2 registers.
 * Each 2-D transform is the 1-D map along a tile's rows, then along its columns; the 1-D maps
 * are those of ConvNet's WinogradF4 (input B^T, output A^T, output-gradient A). */
#include "CConvKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

/* d: 6 vectors -> y: 6 vectors, y = B^T d. */
static inline AVX2 void input_map(const __m256 *d, __m256 *y) {
    const __m256 two = _mm256_set1_ps(2), four = _mm256_set1_ps(4), five = _mm256_set1_ps(5);
    __m256 a = _mm256_fnmadd_ps(four, d[2], d[4]), b = _mm256_fnmadd_ps(four, d[1], d[3]);
    __m256 c = _mm256_sub_ps(d[4], d[2]), e = _mm256_mul_ps(two, _mm256_sub_ps(d[3], d[1]));
    y[0] = _mm256_add_ps(_mm256_fnmadd_ps(five, d[2], _mm256_mul_ps(four, d[0])), d[4]);
    y[1] = _mm256_add_ps(a, b);
    y[2] = _mm256_sub_ps(a, b);
    y[3] = _mm256_add_ps(c, e);
    y[4] = _mm256_sub_ps(c, e);
    y[5] = _mm256_add_ps(_mm256_fnmadd_ps(five, d[3], _mm256_mul_ps(four, d[1])), d[5]);
}

/* m: 6 vectors -> y: 4 vectors, y = A^T m. */
static inline AVX2 void output_map(const __m256 *m, __m256 *y) {
    const __m256 two = _mm256_set1_ps(2), four = _mm256_set1_ps(4), eight = _mm256_set1_ps(8);
    __m256 sum12 = _mm256_add_ps(m[1], m[2]), diff12 = _mm256_sub_ps(m[1], m[2]);
    __m256 sum34 = _mm256_add_ps(m[3], m[4]), diff34 = _mm256_sub_ps(m[3], m[4]);
    y[0] = _mm256_add_ps(_mm256_add_ps(m[0], sum12), sum34);
    y[1] = _mm256_fmadd_ps(two, diff34, diff12);
    y[2] = _mm256_fmadd_ps(four, sum34, sum12);
    y[3] = _mm256_add_ps(_mm256_fmadd_ps(eight, diff34, diff12), m[5]);
}

/* g: 4 vectors -> y: 6 vectors, y = A g (the transpose of output_map). */
static inline AVX2 void output_transposed_map(const __m256 *g, __m256 *y) {
    const __m256 two = _mm256_set1_ps(2), four = _mm256_set1_ps(4), eight = _mm256_set1_ps(8);
    __m256 even1 = _mm256_add_ps(g[0], g[2]), odd1 = _mm256_add_ps(g[1], g[3]);
    __m256 even2 = _mm256_fmadd_ps(four, g[2], g[0]), odd2 = _mm256_fmadd_ps(eight, g[3], _mm256_mul_ps(two, g[1]));
    y[0] = g[0];
    y[1] = _mm256_add_ps(even1, odd1);
    y[2] = _mm256_sub_ps(even1, odd1);
    y[3] = _mm256_add_ps(even2, odd2);
    y[4] = _mm256_sub_ps(even2, odd2);
    y[5] = g[3];
}

/* Transposes the 8x8 block r (row l = tile l) in place: afterwards r[j] holds element j of every tile. */
static inline AVX2 void transpose8x8(__m256 *r) {
    __m256 t[8], s[8];
    for (int k = 0; k < 4; k++) {
        t[2 * k] = _mm256_unpacklo_ps(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm256_unpackhi_ps(r[2 * k], r[2 * k + 1]);
    }
    for (int k = 0; k < 2; k++) {  /* rows 4k..4k+3: columns 0-3 in the low halves, 4-7 in the high */
        s[4 * k] = _mm256_shuffle_ps(t[4 * k], t[4 * k + 2], _MM_SHUFFLE(1, 0, 1, 0));
        s[4 * k + 1] = _mm256_shuffle_ps(t[4 * k], t[4 * k + 2], _MM_SHUFFLE(3, 2, 3, 2));
        s[4 * k + 2] = _mm256_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(1, 0, 1, 0));
        s[4 * k + 3] = _mm256_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        r[j] = _mm256_permute2f128_ps(s[j], s[j + 4], 0x20);
        r[j + 4] = _mm256_permute2f128_ps(s[j], s[j + 4], 0x31);
    }
}

/* Transposes the two 4x4 blocks held in the halves of v[0..3] in place (v[i] = [row i of block 0 |
 * row i of block 1]): an involution, used both to gather 4-float tile rows and to scatter them. */
static inline AVX2 void transpose4x4x2(__m256 *v) {
    __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
    __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
    v[0] = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
    v[1] = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    v[2] = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
    v[3] = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
}

/* Applies input_map along the columns of the 6 row-mapped rows h[i][0..5] of 8 tiles and writes
 * the 36 products to out + (p * 6 + q) * stride. */
static inline AVX2 void store_columns_mapped(__m256 h[6][6], float *out, long stride) {
    for (int q = 0; q < 6; q++) {
        __m256 column[6] = {h[0][q], h[1][q], h[2][q], h[3][q], h[4][q], h[5][q]}, y[6];
        input_map(column, y);
        for (int p = 0; p < 6; p++) _mm256_store_ps(out + (p * 6 + q) * stride, y[p]);
    }
}

/* The input tiles of the 8 windows at corners[0..7] -> out. */
static inline AVX2 void input8(const float *const *corners, long row_length, float *out, long stride) {
    __m256 h[6][6];  /* h[i]: window row i, mapped along the row */
    for (int i = 0; i < 6; i++) {
        __m256 r[8];
        for (int l = 0; l < 8; l++) r[l] = _mm256_loadu_ps(corners[l] + i * row_length);
        transpose8x8(r);
        input_map(r, h[i]);
    }
    store_columns_mapped(h, out, stride);
}

/* Both halves of a group of 16 write the same 36 cache lines of product rows, so each line is
 * whole before it leaves the core's cache. */
AVX2 void cw_f4_input16(const float *const corners[16], long row_length, float *out, long stride) {
    input8(corners, row_length, out, stride);
    input8(corners + 8, row_length, out + 8, stride);
}

/* The output-gradient tiles of the 8 windows at corners[0..7] -> out. */
static inline AVX2 void output_gradient8(const float *const *corners, long row_length, float *out, long stride) {
    __m256 h[4][6];  /* h[i]: window row i mapped along the row (4 -> 6) */
    for (int i = 0; i < 4; i++) {
        __m256 v[4];
        for (int l = 0; l < 4; l++) {
            v[l] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(corners[l] + i * row_length)),
                                        _mm_loadu_ps(corners[l + 4] + i * row_length), 1);
        }
        transpose4x4x2(v);  /* v[j]: element j of tiles 0-3 | of tiles 4-7, lane order = tile order */
        output_transposed_map(v, h[i]);
    }
    for (int q = 0; q < 6; q++) {
        __m256 column[4] = {h[0][q], h[1][q], h[2][q], h[3][q]}, y[6];
        output_transposed_map(column, y);
        for (int p = 0; p < 6; p++) _mm256_store_ps(out + (p * 6 + q) * stride, y[p]);
    }
}

AVX2 void cw_f4_output_gradient16(const float *const corners[16], long row_length, float *out, long stride) {
    output_gradient8(corners, row_length, out, stride);
    output_gradient8(corners + 8, row_length, out + 8, stride);
}

/* Output tiles of the 8 product columns at product (rows `stride` apart) -> tiles[16 * l], l < 8. */
static inline AVX2 void output_half(const float *product, long stride, float bias, float *tiles) {
    __m256 h[6][4];  /* h[p]: product row p mapped along the row (6 -> 4) */
    for (int p = 0; p < 6; p++) {
        __m256 m[6];
        for (int q = 0; q < 6; q++) m[q] = _mm256_load_ps(product + (p * 6 + q) * stride);
        output_map(m, h[p]);
    }
    __m256 o[4][4];  /* o[i][j]: output element (i, j) of the 8 tiles, plus the bias */
    const __m256 offset = _mm256_set1_ps(bias);
    for (int j = 0; j < 4; j++) {
        __m256 column[6] = {h[0][j], h[1][j], h[2][j], h[3][j], h[4][j], h[5][j]}, y[4];
        output_map(column, y);
        for (int i = 0; i < 4; i++) o[i][j] = _mm256_add_ps(y[i], offset);
    }
    for (int i = 0; i < 4; i++) {
        transpose4x4x2(o[i]);  /* o[i][l]: row i of tile l | of tile l + 4 */
        for (int l = 0; l < 4; l++) {
            _mm_store_ps(tiles + 16 * l + 4 * i, _mm256_castps256_ps128(o[i][l]));
            _mm_store_ps(tiles + 16 * (l + 4) + 4 * i, _mm256_extractf128_ps(o[i][l], 1));
        }
    }
}

AVX2 void cw_f4_output16(const float *product, long stride, float bias, float *tiles) {
    output_half(product, stride, bias, tiles);
    output_half(product + 8, stride, bias, tiles + 8 * 16);
}

#else

void cw_f4_input16(const float *const corners[16], long row_length, float *out, long stride) {
    (void)corners; (void)row_length; (void)out; (void)stride;
}
void cw_f4_output_gradient16(const float *const corners[16], long row_length, float *out, long stride) {
    (void)corners; (void)row_length; (void)out; (void)stride;
}
void cw_f4_output16(const float *product, long stride, float bias, float *tiles) {
    (void)product; (void)stride; (void)bias; (void)tiles;
}

#endif
