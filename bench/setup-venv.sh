#!/usr/bin/env bash
# The benchmark virtual environment with the peers: PyTorch (CPU, pinned), JAX and NumPy.
# Usage: bench/setup-venv.sh [VENV_DIR]     (default .venv-bench)
set -euo pipefail
exec "$(dirname "$0")/../scripts/setup-python-venv.sh" bench "${1:-.venv-bench}" "jax,jaxlib,numpy" jax jaxlib numpy
