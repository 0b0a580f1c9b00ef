// The transposed matrix-vector product of Tangent's GEMM (MatrixVector.c), dispatched like
// the vector math loops. `a` holds `rows` rows of `len` elements, `lda` apart; the output
// does not overlap the inputs.
#ifndef TANGENT_MATRIX_VECTOR_H
#define TANGENT_MATRIX_VECTOR_H

/// y[j] = Σᵢ x[i·incx]·a[i·lda + j] for j < len (y contiguous), the rows summed in order.
void tg_axpy_rows_d(const double *a, long lda, const double *x, long incx, double *y, long rows, long len);
void tg_axpy_rows_f(const float *a, long lda, const float *x, long incx, float *y, long rows, long len);

#endif
