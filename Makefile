# Tangent: two commands. `make demo` runs the tour, `make test` runs the whole test suite.
SHELL := /bin/bash
SWIFT ?= swift
GOLDENS ?= ../shared/goldens

.PHONY: demo test deps build-release bench coverage conformance clean

deps:
	@scripts/install-deps.sh

## The main job: a tour of what Tangent does (release build).
demo: deps
	$(SWIFT) build -c release --product tangent
	.build/release/tangent demo

## The whole test suite (debug build), then the PyTorch conformance run when the goldens exist.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@if [ -d "$(GOLDENS)" ] && .build/debug/tangent --help 2>/dev/null | grep -q conformance; then \
	  $(SWIFT) build --product tangent && .build/debug/tangent conformance "$(GOLDENS)"; \
	else echo "conformance: skipped (no $(GOLDENS) or no conformance command yet)"; fi

## Benchmarks (release build). QUICK=1 for a short run.
bench: deps
	$(SWIFT) build -c release --product tangent
	.build/release/tangent bench $(if $(QUICK),--quick,)

clean:
	rm -rf .build
