// TG_DISPATCHED: compile a function once per instruction set and pick one at load time.
//
// On x86-64 Linux (ELF ifuncs) clang's `target_clones` builds an AVX-512 (x86-64-v4), an
// AVX2+FMA (x86-64-v3) and a baseline version; elsewhere (macOS, arm64) the attribute is empty
// and the build's own target is used.
//
// x86-64-v4 alone tunes for 256-bit vectors (Intel's advice against frequency drops), which
// halves the AVX-512 gain here: `min_vector_width(512)` makes 512-bit vectors legal in the
// function, and TG_VECTORIZE_d / TG_VECTORIZE_f ask the loop vectoriser for 8 doubles or 16
// floats, so the v4 clone uses zmm registers (as `-target-cpu znver4` does). The other clones
// split those vectors in 2 or 4 registers, which acts as unrolling. Measured (1M elements, one
// core, ms, default / v3 / v4 without / v4 with): exp f64 2.69 / 1.38 / 1.18 / 0.82, tanh f64
// 3.82 / 2.26 / 1.86 / 1.15; the width request alone also speeds up the default and v3 clones
// (tanh f64 2.87 and 1.67).
#ifndef TANGENT_DISPATCH_SUPPORT_H
#define TANGENT_DISPATCH_SUPPORT_H

#if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define TG_HAS_CLONES 1
#define TG_DISPATCHED \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), min_vector_width(512)))
#endif
#endif

#ifndef TG_HAS_CLONES
#define TG_HAS_CLONES 0
#define TG_DISPATCHED
#endif

/// Put before a loop over doubles (floats): vectorise 8 (16) elements at a time.
#define TG_VECTORIZE_d _Pragma("clang loop vectorize_width(8)")
#define TG_VECTORIZE_f _Pragma("clang loop vectorize_width(16)")

#endif
