# Tangent: two commands. `make demo` runs the tour, `make test` runs the whole test suite.
SHELL := /bin/bash
SWIFT ?= swift
GOLDENS ?= ../shared/goldens
# Release builds target AVX2+FMA (Haswell and later) when the CPU has them: the vectorised
# math kernels are about 2x faster than with the baseline x86-64 target. Override with
# `make demo RELEASE_FLAGS=` for a portable binary.
RELEASE_FLAGS ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo "-Xswiftc -target-cpu -Xswiftc haswell")

.PHONY: demo test deps build-release bench coverage conformance clean

deps:
	@scripts/install-deps.sh

## The main job: a tour of what Tangent does (release build).
demo: deps
	$(SWIFT) build -c release --product tangent $(RELEASE_FLAGS)
	.build/release/tangent demo

## The whole test suite (debug build), then the PyTorch conformance run when the goldens exist.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@if [ -d "$(GOLDENS)" ] && .build/debug/tangent --help 2>/dev/null | grep -q conformance; then \
	  $(SWIFT) build --product tangent && .build/debug/tangent conformance "$(GOLDENS)"; \
	else echo "conformance: skipped (no $(GOLDENS) or no conformance command yet)"; fi

## Benchmarks (release build): kernels against NumPy, then autodiff. QUICK=1 for a short run.
bench: deps
	$(SWIFT) build -c release --product tangent $(RELEASE_FLAGS)
	.build/release/tangent bench kernels
	.build/release/tangent bench autodiff $(if $(QUICK),--quick,)

clean:
	rm -rf .build
