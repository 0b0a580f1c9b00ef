# Tangent: two commands. `make demo` runs the tour, `make test` runs the whole test suite.
SHELL := /bin/bash
SWIFT ?= swift
GOLDENS ?= ../shared/goldens
# Release builds target the CPU's vector units: AMD CPUs with AVX-512 get `znver4`, other CPUs
# with AVX2+FMA get `haswell`. The vector math (exp, log, sin, cos, tanh, sigmoid) and the
# collapsed Taylor kernel no longer need it: they are C loops dispatched on the CPU at load
# time, as fast in a plain build (bench/RESULTS.md, "Runtime CPU dispatch"). The flags still
# widen the remaining Swift loops (arithmetic, reductions; a few % on add/sum); the whole
# bench set was not re-measured without them. Override with `make demo RELEASE_FLAGS=`.
AVX512 := $(shell for f in avx512f avx512dq avx512cd avx512bw avx512vl; do grep -qw $$f /proc/cpuinfo 2>/dev/null || exit 0; done; grep -q AuthenticAMD /proc/cpuinfo && echo znver4)
RELEASE_FLAGS ?= $(if $(AVX512),-Xswiftc -target-cpu -Xswiftc $(AVX512),$(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo "-Xswiftc -target-cpu -Xswiftc haswell"))

# OpenBLAS picks its kernels by CPU model unless OPENBLAS_CORETYPE pins them; an environment
# may pin a lowest common denominator (this project's machines set Haswell, AVX2, on CPUs with
# AVX-512). The demo and the benchmarks let OpenBLAS detect the CPU (BLAS_CORE=auto): about
# 1.5x faster float64 products here. `make bench BLAS_CORE=` keeps the environment's choice;
# `BLAS_CORE=Haswell` (or another OpenBLAS core name) pins one.
BLAS_CORE ?= auto
BLAS_ENV = $(if $(filter auto,$(BLAS_CORE)),env -u OPENBLAS_CORETYPE,$(if $(BLAS_CORE),env OPENBLAS_CORETYPE=$(BLAS_CORE),))

.PHONY: demo test test-tsan deps build-release bench coverage conformance docs opinfo opinfo-triage clean

deps:
	@scripts/install-deps.sh

## The main job: a tour of what Tangent does (release build).
demo: deps
	$(SWIFT) build -c release --product tangent $(RELEASE_FLAGS)
	$(BLAS_ENV) .build/release/tangent demo

## The whole test suite (debug build), then the PyTorch conformance run when the goldens exist.
## The release-build message test (Tests/TangentTests/Release) runs its misuse cases as
## subprocesses of a release CLI (plain flags: portable, no -target-cpu), since only an -O
## build shows whether every check keeps its message. That CLI builds in its own scratch
## directory (.build-release) while the debug build runs: the release build of the library is
## mostly one compiler process (whole-module optimisation), so the two overlap on two cores.
RELEASE_SCRATCH ?= .build-release
test: deps
	$(SWIFT) package resolve
	@mkdir -p $(RELEASE_SCRATCH)
	@echo "release CLI: building in $(RELEASE_SCRATCH) (log: $(RELEASE_SCRATCH)/build.log) beside the debug build"
	@$(SWIFT) build -c release --product tangent --scratch-path $(RELEASE_SCRATCH) > $(RELEASE_SCRATCH)/build.log 2>&1 & release=$$!; \
	  $(SWIFT) build --build-tests; debug=$$?; \
	  if ! wait $$release; then tail -40 $(RELEASE_SCRATCH)/build.log; echo "release CLI: build failed"; exit 1; fi; \
	  tail -1 $(RELEASE_SCRATCH)/build.log; exit $$debug
	TANGENT_RELEASE_BINARY=$(RELEASE_SCRATCH)/release/tangent $(SWIFT) test --skip-build
	@if [ -d "$(GOLDENS)" ] && .build/debug/tangent --help 2>/dev/null | grep -q conformance; then \
	  $(SWIFT) build --product tangent && .build/debug/tangent conformance "$(GOLDENS)"; \
	else echo "conformance: skipped (no $(GOLDENS) or no conformance command yet)"; fi

## The concurrency stress suite under the thread sanitizer (issue 10, defect 5): concurrent
## backward passes on a shared graph. Its own build directory (.build-tsan), since a sanitized
## build cannot share .build with the ordinary one. Measured on a shared 2-core machine: the
## first build about 17 minutes (8 after a change to Tangent), the suite itself 3 seconds.
TSAN_SUITES ?= ConcurrentBackwardTests
test-tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_SUITES)'

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

## The DocC documentation of the Tangent module (Sources/Tangent/Tangent.docc and the doc
## comments), built by swift-docc-plugin; any warning (an unresolved symbol link, say) fails it.
docs: deps
	$(SWIFT) package generate-documentation --target Tangent --warnings-as-errors
	@echo "docs: .build/plugins/Swift-DocC/outputs/Tangent.doccarchive"

## PyTorch's own OpInfo sample inputs as golden cases (every op_db entry marked
## supports_forward_ad, float64 and complex128), checked by the debug conformance runner. The
## goldens are generated once into $(OPINFO_DIR) (not committed; delete it to regenerate) in a
## virtual environment with the pinned CPU torch. `make opinfo-triage` runs the cases one op per
## process (so a crash costs one op) and rewrites docs/opinfo-triage.md.
OPINFO_VENV ?= .venv-opinfo
OPINFO_DIR ?= .cache/opinfo-goldens
OPINFO_JOBS ?= 2
$(OPINFO_DIR)/core.json:
	@scripts/setup-opinfo-venv.sh $(OPINFO_VENV)
	$(OPINFO_VENV)/bin/python scripts/opinfo_goldens.py $(OPINFO_DIR) --jobs $(OPINFO_JOBS)

opinfo: deps $(OPINFO_DIR)/core.json
	$(SWIFT) build --product tangent
	.build/debug/tangent conformance $(OPINFO_DIR)

opinfo-triage: deps $(OPINFO_DIR)/core.json
	$(SWIFT) build --product tangent
	python3 scripts/opinfo_triage.py $(OPINFO_DIR) --report docs/opinfo-triage.md --jobs $(OPINFO_JOBS)

clean:
	rm -rf .build .build-tsan
