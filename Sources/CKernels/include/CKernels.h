// Tangent's vector math and its run-time dispatched loops (C, so that clang can compile each
// loop for several instruction sets; see README "Runtime CPU dispatch").
//
// One implementation per function: the scalar kernels are `static inline` functions written
// once, in VectorMath.inc, for a scalar type `TG_T`, and instantiated below for `double`
// (suffix `_d`) and `float` (suffix `_f`). Swift calls them directly (the Swift compiler
// imports and inlines C static inline functions, so a Swift loop that calls one still
// vectorises), and the loops of VectorLoops.c call the same functions in bodies that clang
// compiles once per instruction set (`target_clones`: AVX-512, AVX2+FMA, baseline), chosen
// once at load time.
#ifndef TANGENT_CKERNELS_H
#define TANGENT_CKERNELS_H

#include <float.h>
#include <stdint.h>

// Polynomials are evaluated as written: no contraction of a*b + c into a fused multiply-add,
// so every instruction set gives the same bits (and the compensated steps stay exact).
#pragma STDC FP_CONTRACT OFF

// MARK: The scalar kernels, double and float

// VectorMath.inc undefines these parameters (and its own macros) at its end.
#define TG_T double
#define TG_I int64_t
#define TG_U uint64_t
#define TG_DOUBLE 1
#define TG_MANT 52
#define TG_MIN_NORMAL DBL_MIN
#define TG_MAX_FINITE DBL_MAX
#define TG_FABS __builtin_fabs
#define TG_FN(name) tg_##name##_d
#include "VectorMath.inc"

#define TG_T float
#define TG_I int32_t
#define TG_U uint32_t
#define TG_DOUBLE 0
#define TG_MANT 23
#define TG_MIN_NORMAL FLT_MIN
#define TG_MAX_FINITE FLT_MAX
#define TG_FABS __builtin_fabsf
#define TG_FN(name) tg_##name##_f
#include "VectorMath.inc"

#pragma STDC FP_CONTRACT DEFAULT

// MARK: Dispatched loops (VectorLoops.c)

#include "VectorLoops.h"

// MARK: Matrix-vector products (MatrixVector.c)

#include "MatrixVector.h"

#endif
