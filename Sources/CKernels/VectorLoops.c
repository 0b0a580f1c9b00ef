// The dispatched elementwise loops of Tangent's vector math (declared in VectorLoops.h).
//
// Each loop is written once and compiled by clang for three instruction sets with
// `target_clones`: x86-64-v4 (AVX-512: 512-bit vectors), x86-64-v3 (AVX2 and FMA: 256-bit) and
// the build's baseline (x86-64: SSE2). The dynamic loader calls the ifunc resolver once and
// binds each symbol to the best clone the CPU supports, so a call costs what a plain call
// costs. Clones compute the same bits: the kernels forbid contraction into FMA (CKernels.h)
// and vectorising does not reorder IEEE operations.
#include "CKernels.h"
#include "DispatchSupport.h"

#include <math.h>

// No contraction of a*b + c into a fused multiply-add: every clone computes the same bits as
// the baseline one (and as Swift code, which does not contract).
#pragma STDC FP_CONTRACT OFF

#define TG_VECTORIZE(S) TG_VECTORIZE_##S

/// A loop applying `kernel` (branch-free) to every element.
#define TG_UNARY_LOOP(name, T, S, kernel) \
  TG_DISPATCHED void tg_##name##_loop_##S(const T *x, T *y, long n) { \
    TG_VECTORIZE(S) \
    for (long i = 0; i < n; i++) y[i] = kernel(x[i]); \
  }

/// A loop applying `kernel` to every element while OR-ing together the flags of `needs` (a
/// 32-bit integer reduction, which vectorises at the width of the data), then a second pass that
/// recomputes only the flagged lanes with `fixup`.
#define TG_UNARY_LOOP_FIXUP(name, T, S, kernel, needs, fixup) \
  TG_DISPATCHED void tg_##name##_loop_##S(const T *x, T *y, long n) { \
    unsigned flagged = 0; \
    TG_VECTORIZE(S) \
    for (long i = 0; i < n; i++) { \
      T v = x[i]; \
      y[i] = kernel(v); \
      flagged |= needs(v); \
    } \
    if (flagged != 0) \
      for (long i = 0; i < n; i++) \
        if (needs(x[i])) y[i] = fixup(x[i]); \
  }

#define TG_SILU_D(v) ((v) * tg_sigmoid_d(v))
#define TG_SILU_F(v) ((v) * tg_sigmoid_f(v))

TG_UNARY_LOOP_FIXUP(exp, double, d, tg_exp_kernel_d, tg_exp_needs_fixup_d, tg_exp_d)
TG_UNARY_LOOP_FIXUP(exp, float, f, tg_exp_kernel_f, tg_exp_needs_fixup_f, tg_exp_f)
TG_UNARY_LOOP_FIXUP(log, double, d, tg_log_kernel_d, tg_log_needs_fixup_d, tg_log_d)
TG_UNARY_LOOP_FIXUP(log, float, f, tg_log_kernel_f, tg_log_needs_fixup_f, tg_log_f)
TG_UNARY_LOOP_FIXUP(sin, double, d, tg_sin_kernel_d, tg_trig_needs_fixup_d, sin)
TG_UNARY_LOOP_FIXUP(sin, float, f, tg_sin_kernel_f, tg_trig_needs_fixup_f, sinf)
TG_UNARY_LOOP_FIXUP(cos, double, d, tg_cos_kernel_d, tg_trig_needs_fixup_d, cos)
TG_UNARY_LOOP_FIXUP(cos, float, f, tg_cos_kernel_f, tg_trig_needs_fixup_f, cosf)
TG_UNARY_LOOP(tanh, double, d, tg_tanh_d)
TG_UNARY_LOOP(tanh, float, f, tg_tanh_f)
TG_UNARY_LOOP(sigmoid, double, d, tg_sigmoid_d)
TG_UNARY_LOOP(sigmoid, float, f, tg_sigmoid_f)
TG_UNARY_LOOP(silu, double, d, TG_SILU_D)
TG_UNARY_LOOP(silu, float, f, TG_SILU_F)
TG_UNARY_LOOP(log1p, double, d, tg_log1p_d)
TG_UNARY_LOOP(log1p, float, f, tg_log1p_f)
TG_UNARY_LOOP(log_sigmoid, double, d, tg_log_sigmoid_d)
TG_UNARY_LOOP(log_sigmoid, float, f, tg_log_sigmoid_f)

const char *tg_dispatch_level(void) {
#if TG_HAS_CLONES
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return "x86-64-v4";
  if (__builtin_cpu_supports("x86-64-v3")) return "x86-64-v3";
#endif
  return "baseline";
}
