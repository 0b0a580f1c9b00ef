#!/bin/bash
# Checks and measurements of the dispatched C loops outside Swift (Sources/CKernels), with the
# Swift toolchain's clang at -O2 as SwiftPM's release build uses it.
#   equivalence.c: every dispatched loop (the clone this CPU selects) against the scalar kernels
#     compiled for the baseline, bit for bit, on 4M inputs (random bit patterns and values).
#   widths.c: the same kernels in loops compiled for the baseline, x86-64-v3, x86-64-v4 with and
#     without the 512-bit vector request, and znver4 (the numbers in DispatchSupport.h).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang}
INC=-I../../Sources/CKernels/include
tmp=$(mktemp -d)
$CC -O2 -fPIC $INC -c ../../Sources/CKernels/VectorLoops.c -o "$tmp/loops.o"
$CC -O2 $INC equivalence.c "$tmp/loops.o" -lm -o "$tmp/equivalence"
echo "equivalence (function: mismatches f64 f32):"; "$tmp/equivalence"
for v in "baseline:" "x86-64-v3:-march=x86-64-v3" "x86-64-v4:-march=x86-64-v4" \
         "x86-64-v4+512:-march=x86-64-v4 -mprefer-vector-width=512" "znver4:-march=znver4"; do
  name=${v%%:*}; flags=${v#*:}
  $CC -O2 $INC $flags widths.c -o "$tmp/w" && echo -n "$name (ms, 1M elements, 1 thread): " && "$tmp/w"
done
$CC -O2 $INC -march=x86-64-v4 '-DATTR=__attribute__((min_vector_width(512)))' \
  '-DPRAGMA_D=_Pragma("clang loop vectorize_width(8)")' '-DPRAGMA_F=_Pragma("clang loop vectorize_width(16)")' \
  widths.c -o "$tmp/w" && echo -n "x86-64-v4 as VectorLoops.c asks: " && "$tmp/w"
rm -rf "$tmp"
