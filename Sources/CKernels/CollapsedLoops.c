// The collapsed second-order pass through a unary elementwise op (Tangent's
// CollapsedUnaryOp, Sources/Tangent/Taylor/CollapsedElementwise.swift), one block of elements
// at a time, dispatched like the vector math loops (declared in VectorLoops.h).
//
// For a payload P of d + 1 rows of `stride` elements (d first-order rows and the summed
// second-order row), a slope f′ and a half-curvature h = ½f″:
//     out_j = f′·P_j (j < d),   out_d = f′·P_d + h·Σ_{j<d} P_j².
// The reverse pass, with cotangent G:
//     gP_j = G_j·f′ + 2h·G_d·P_j (j < d),   gP_d = G_d·f′,   gf′ = Σ_{j≤d} G_j·P_j,
//     gh = G_d·Σ_{j<d} P_j².
// The caller passes pointers to the block's first element; the sums over the rows stay in
// `scratch` (count elements, or 2·count for the reverse pass), which the loops zero, while the
// rows stream past. The sums run over the rows in order, so every clone gives the same bits.
#include "CKernels.h"
#include "DispatchSupport.h"

// No contraction of a*b + c into a fused multiply-add: every clone computes the same bits as
// the baseline one (and as Swift code, which does not contract).
#pragma STDC FP_CONTRACT OFF

#define TG_VECTORIZE(S) TG_VECTORIZE_##S

#define TG_COLLAPSED_FORWARD(T, S) \
  TG_DISPATCHED void tg_collapsed_forward_##S(const T *p, const T *slope, const T *half, T *out, T *scratch, \
                                              long stride, long count, long d) { \
    T *q = scratch; \
    for (long i = 0; i < count; i++) q[i] = 0; \
    for (long j = 0; j < d; j++) { \
      const T *row = p + j * stride; \
      T *o = out + j * stride; \
      TG_VECTORIZE(S) \
      for (long i = 0; i < count; i++) { \
        T v = row[i]; \
        o[i] = v * slope[i]; \
        q[i] += v * v; \
      } \
    } \
    const T *row = p + d * stride; \
    T *o = out + d * stride; \
    TG_VECTORIZE(S) \
    for (long i = 0; i < count; i++) o[i] = row[i] * slope[i] + half[i] * q[i]; \
  }

#define TG_COLLAPSED_BACKWARD(T, S) \
  TG_DISPATCHED void tg_collapsed_backward_##S(const T *g, const T *p, const T *slope, const T *half, T *gp, \
                                               T *gslope, T *ghalf, T *scratch, long stride, long count, long d) { \
    T *sums = scratch, *squares = scratch + count; \
    for (long i = 0; i < 2 * count; i++) scratch[i] = 0; \
    const T *gLast = g + d * stride; \
    for (long j = 0; j < d; j++) { \
      const T *row = p + j * stride, *gRow = g + j * stride; \
      T *o = gp + j * stride; \
      TG_VECTORIZE(S) \
      for (long i = 0; i < count; i++) { \
        T v = row[i], c = gRow[i]; \
        o[i] = c * slope[i] + 2 * half[i] * gLast[i] * v; \
        sums[i] += c * v; \
        squares[i] += v * v; \
      } \
    } \
    const T *last = p + d * stride; \
    T *o = gp + d * stride; \
    TG_VECTORIZE(S) \
    for (long i = 0; i < count; i++) { \
      T c = gLast[i]; \
      o[i] = c * slope[i]; \
      gslope[i] = sums[i] + c * last[i]; \
      ghalf[i] = c * squares[i]; \
    } \
  }

TG_COLLAPSED_FORWARD(double, d)
TG_COLLAPSED_FORWARD(float, f)
TG_COLLAPSED_BACKWARD(double, d)
TG_COLLAPSED_BACKWARD(float, f)
