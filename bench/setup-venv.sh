#!/usr/bin/env bash
# The benchmark virtual environment with the peers: PyTorch (CPU, pinned), JAX and NumPy, and
# asdex (sparse Jacobians and Hessians in JAX; 0.5.1 is the last release for Python 3.11),
# folx (the Forward Laplacian in JAX, a peer of the laplacian workload) and optax (JAX's
# optimizers, a peer of the models workload; 0.2.8 works with jax 0.10).
# Usage: bench/setup-venv.sh [VENV_DIR]     (default .venv-bench)
set -euo pipefail
exec "$(dirname "$0")/../scripts/setup-python-venv.sh" bench "${1:-.venv-bench}" "jax,jaxlib,numpy,asdex,folx,optax" jax jaxlib numpy "asdex==0.5.1" "folx==0.2.30" "optax==0.2.8"
