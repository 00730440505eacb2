/* The AVX2 kernels of ConvNet.
 *
 * Winograd F(4x4, 3x3) tile transforms of 16 tiles at a time, 8 at once in AVX2 registers (see ConvNet's
 * WinogradTile for the maths). The portable Swift path gathers each tile lane by lane; here the
 * gathers and scatters are 8x8 and 4x4 register transposes. The functions are compiled for AVX2
 * and FMA whatever the build's baseline: call them only where cs_cpu_has_avx2() (CPlatform) says
 * the CPU runs them. On other architectures they do nothing. */
#ifndef CCONVKERNELS_H
#define CCONVKERNELS_H

/** Input tiles B^T d B of 16 windows of 6x6 floats: window l starts at corners[l], its rows
 *  `row_length` floats apart, and each of its rows must be readable 8 floats wide. Writes the 36
 *  products, element (p, q) of the 16 tiles at out + (p * 6 + q) * stride (64-byte aligned). */
void cw_f4_input16(const float *const corners[16], long row_length, float *out, long stride);

/** Output-gradient tiles A dy A^T of 16 windows of 4x4 floats (rows `row_length` apart), written
 *  as cw_f4_input16 writes its products. */
void cw_f4_output_gradient16(const float *const corners[16], long row_length, float *out, long stride);

/** Output tiles A^T M A + bias of 16 product columns: element (p, q) of the 16 tiles at
 *  product + (p * 6 + q) * stride (64-byte aligned). Writes tile l's 4x4 result, row-major, at
 *  tiles + 16 * l (`tiles` 16-byte aligned). */
void cw_f4_output16(const float *product, long stride, float bias, float *tiles);

/** C = A B^T for a B of few rows: c[i * ldc + j] = sum over p < depth of a[i * lda + p] * b[j * ldb + p],
 *  for i < rows and j < columns. Both matrices are read in place (no packing), which pays when
 *  `columns` is small (a convolution's output positions at batch 1). */
void cw_narrow_product(const float *a, long lda, const float *b, long ldb, long rows, long columns,
                       long depth, float *c, long ldc);

#endif
