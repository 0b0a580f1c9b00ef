// Matrix-vector products (declared in MatrixVector.h), dispatched like the vector math loops.
//
// OpenBLAS 0.3.21 runs a product with one vector side through its small-matrix GEMM kernels,
// single-threaded. For a transposed matrix times a vector, Aᵀx (the gradient of a linear
// model, X^T r, with X row-major), they run well under the memory bandwidth; this loop streams
// A's rows once, adding x[i]·row i into y. Measured here (clang -O2, 10⁴ × 100, the best of
// seven means of 300 calls, 2026-12-07): float32 49 µs against sgemm's 88 µs, float64 135 µs against
// dgemm's 156 µs. For A x (a dot product per row) OpenBLAS is faster than a plain loop (54 µs
// against 93 µs in float32) and keeps it. The rows are summed in order, so every clone gives
// the same bits.
#include "CKernels.h"
#include "DispatchSupport.h"

// No contraction into fused multiply-adds: the clones give the same bits as the baseline one.
#pragma STDC FP_CONTRACT OFF

/// y[j] = Σᵢ x[i·incx]·a[i·lda + j] for i < rows, j < len, summed over the rows in order
/// (four rows per sweep of y, in the same order).
#define TG_AXPY_ROWS(T, S) \
  TG_DISPATCHED void tg_axpy_rows_##S(const T *a, long lda, const T *x, long incx, T *y, long rows, long len) { \
    for (long j = 0; j < len; j++) y[j] = 0; \
    long i = 0; \
    for (; i + 4 <= rows; i += 4) { \
      const T *r0 = a + i * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda; \
      T x0 = x[i * incx], x1 = x[(i + 1) * incx], x2 = x[(i + 2) * incx], x3 = x[(i + 3) * incx]; \
      TG_VECTORIZE(S) \
      for (long j = 0; j < len; j++) y[j] = (((y[j] + x0 * r0[j]) + x1 * r1[j]) + x2 * r2[j]) + x3 * r3[j]; \
    } \
    for (; i < rows; i++) { \
      const T *r = a + i * lda; \
      T xi = x[i * incx]; \
      TG_VECTORIZE(S) \
      for (long j = 0; j < len; j++) y[j] = y[j] + xi * r[j]; \
    } \
  }

#define TG_VECTORIZE(S) TG_VECTORIZE_##S

TG_AXPY_ROWS(double, d)
TG_AXPY_ROWS(float, f)
