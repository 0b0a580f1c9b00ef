#!/usr/bin/env bash
# Creates (or reuses) the benchmark virtual environment with the peers: PyTorch (CPU build,
# pinned, from the local wheel directory pip is configured with), JAX and NumPy.
# Usage: bench/setup-venv.sh [VENV_DIR]     (default .venv-bench)
set -euo pipefail
VENV=${1:-.venv-bench}
PYTHON=${PYTHON:-python3}
TORCH_PIN='torch==2.13.0+cpu'   # always pinned: the unpinned name pulls the CUDA build (gigabytes)
if [ ! -x "$VENV/bin/python" ]; then
  echo "bench: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if "$VENV/bin/python" - <<'PY' 2>/dev/null
import torch, jax, jaxlib, numpy
assert torch.__version__ == "2.13.0+cpu", torch.__version__
PY
then
  exit 0
fi
echo "bench: installing $TORCH_PIN, jax, jaxlib, numpy into $VENV (once)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$TORCH_PIN" jax jaxlib numpy
"$VENV/bin/python" -c 'import torch, jax, numpy; print("bench: torch", torch.__version__, "· jax", jax.__version__, "· numpy", numpy.__version__)'
