# Tangent: two commands. `make demo` runs the tour, `make test` runs the whole test suite.
SHELL := /bin/bash
SWIFT ?= swift
GOLDENS ?= ../shared/goldens
# Release builds target AVX2+FMA (Haswell and later) when the CPU has them: the vectorised
# math kernels are about 2x faster than with the baseline x86-64 target. Override with
# `make demo RELEASE_FLAGS=` for a portable binary.
RELEASE_FLAGS ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo "-Xswiftc -target-cpu -Xswiftc haswell")

# OpenBLAS picks its kernels by CPU model, and Debian's 0.3.21 runs its AVX2 (Haswell) kernels
# on AVX-512 CPUs it does not know (AMD Zen 4); an environment may also pin them with
# OPENBLAS_CORETYPE. On a CPU with AVX-512 the demo and the benchmarks run the SkylakeX
# (AVX-512) kernels: about 1.5x faster float64 products here. Override with `make bench BLAS_CORE=`
# (keep the environment's choice) or `BLAS_CORE=Haswell`.
BLAS_CORE ?= $(shell for f in avx512f avx512dq avx512cd avx512bw avx512vl; do grep -qw $$f /proc/cpuinfo 2>/dev/null || exit 0; done; echo SkylakeX)
BLAS_ENV = $(if $(BLAS_CORE),OPENBLAS_CORETYPE=$(BLAS_CORE),)

.PHONY: demo test deps build-release bench coverage conformance clean

deps:
	@scripts/install-deps.sh

## The main job: a tour of what Tangent does (release build).
demo: deps
	$(SWIFT) build -c release --product tangent $(RELEASE_FLAGS)
	$(BLAS_ENV) .build/release/tangent demo

## The whole test suite (debug build), then the PyTorch conformance run when the goldens exist.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@if [ -d "$(GOLDENS)" ] && .build/debug/tangent --help 2>/dev/null | grep -q conformance; then \
	  $(SWIFT) build --product tangent && .build/debug/tangent conformance "$(GOLDENS)"; \
	else echo "conformance: skipped (no $(GOLDENS) or no conformance command yet)"; fi

## Benchmarks (release build): Tangent side by side with PyTorch and JAX (bench/run.py), in a
## virtual environment at .venv-bench (created once; torch pinned to the local CPU wheel).
## QUICK=1: a reduced run (under two minutes). THREADS=n: threads for every implementation.
## ONLY=mlp,jacobian: some workloads. KERNELS=1: also `tangent bench kernels` (vs NumPy/PyTorch).
BENCH_VENV ?= .venv-bench
bench: deps
	@bench/setup-venv.sh $(BENCH_VENV)
	$(SWIFT) build -c release --product tangent $(RELEASE_FLAGS)
	$(BLAS_ENV) $(BENCH_VENV)/bin/python bench/run.py $(if $(QUICK),--quick,) $(if $(THREADS),--threads $(THREADS),) $(if $(ONLY),--only $(ONLY),)
	@if [ -n "$(KERNELS)" ]; then $(BLAS_ENV) .build/release/tangent bench kernels --python $(BENCH_VENV)/bin/python; fi

clean:
	rm -rf .build
