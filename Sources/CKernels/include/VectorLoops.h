// The run-time dispatched loops of CKernels (VectorLoops.c, CollapsedLoops.c).
//
// Each loop is compiled for several instruction sets and the best one the CPU supports is
// chosen once, when the library is loaded (an ifunc on x86-64 Linux; elsewhere there is one
// baseline version). Every loop calls the scalar kernels of VectorMath.inc, so a loop and a
// scalar call give the same bits. Input and output must not overlap. `n` may be any count;
// the pointers need only the scalar alignment.
#ifndef TANGENT_VECTOR_LOOPS_H
#define TANGENT_VECTOR_LOOPS_H

#define TG_DECLARE_UNARY_LOOP(name) \
  void tg_##name##_loop_d(const double *x, double *y, long n); \
  void tg_##name##_loop_f(const float *x, float *y, long n);

/// y[i] = e^x[i] (`exp_kernel`, with `exp` for the flagged lanes).
TG_DECLARE_UNARY_LOOP(exp)
/// y[i] = log x[i] (`log_kernel`, with `log` for the flagged lanes).
TG_DECLARE_UNARY_LOOP(log)
/// y[i] = sin x[i] (`sin_kernel`, with the C library beyond the kernel's range).
TG_DECLARE_UNARY_LOOP(sin)
/// y[i] = cos x[i] (`cos_kernel`, with the C library beyond the kernel's range).
TG_DECLARE_UNARY_LOOP(cos)
/// y[i] = tanh x[i].
TG_DECLARE_UNARY_LOOP(tanh)
/// y[i] = 1/(1 + e^−x[i]).
TG_DECLARE_UNARY_LOOP(sigmoid)
/// y[i] = x[i]/(1 + e^−x[i]) (SiLU, swish).
TG_DECLARE_UNARY_LOOP(silu)
/// y[i] = log(1 + x[i]).
TG_DECLARE_UNARY_LOOP(log1p)
/// y[i] = log σ(x[i]) = min(x[i], 0) − log(1 + e^−|x[i]|).
TG_DECLARE_UNARY_LOOP(log_sigmoid)

#undef TG_DECLARE_UNARY_LOOP

/// The collapsed second-order pass through a unary elementwise op, for elements
/// `[0, count)` of a block (CollapsedLoops.c): `p` and `out` hold d + 1 rows `stride` apart,
/// `slope` and `half` one row; `scratch` holds `count` elements.
void tg_collapsed_forward_d(const double *p, const double *slope, const double *half, double *out, double *scratch,
                            long stride, long count, long d);
void tg_collapsed_forward_f(const float *p, const float *slope, const float *half, float *out, float *scratch,
                            long stride, long count, long d);

/// The reverse pass of `tg_collapsed_forward_*` for cotangent `g` (d + 1 rows): writes the
/// payload's cotangent `gp` (d + 1 rows), `gslope` and `ghalf` (one row each); `scratch` holds
/// `2·count` elements.
void tg_collapsed_backward_d(const double *g, const double *p, const double *slope, const double *half, double *gp,
                             double *gslope, double *ghalf, double *scratch, long stride, long count, long d);
void tg_collapsed_backward_f(const float *g, const float *p, const float *slope, const float *half, float *gp,
                             float *gslope, float *ghalf, float *scratch, long stride, long count, long d);

/// The instruction set the dispatched loops run with on this CPU: "x86-64-v4" (AVX-512),
/// "x86-64-v3" (AVX2, FMA), or "baseline" (the build's target, e.g. x86-64 with SSE2).
const char *tg_dispatch_level(void);

#endif
