#!/usr/bin/env bash
# Creates (or reuses) the virtual environment for scripts/opinfo_goldens.py: PyTorch (CPU build,
# pinned, from the wheel directory or index pip is configured with, as bench/setup-venv.sh
# does), NumPy, and expecttest (torch's OpInfo test helpers import it).
# Usage: scripts/setup-opinfo-venv.sh [VENV_DIR]     (default .venv-opinfo)
set -euo pipefail
VENV=${1:-.venv-opinfo}
PYTHON=${PYTHON:-python3}
TORCH_PIN='torch==2.13.0+cpu'   # always pinned: the unpinned name pulls the CUDA build (gigabytes)
if [ ! -x "$VENV/bin/python" ]; then
  echo "opinfo: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if "$VENV/bin/python" - <<'PY' 2>/dev/null
import torch, numpy, expecttest
assert torch.__version__ == "2.13.0+cpu", torch.__version__
PY
then
  exit 0
fi
echo "opinfo: installing $TORCH_PIN, numpy, expecttest into $VENV (once)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$TORCH_PIN" numpy 'expecttest==0.3.0'
"$VENV/bin/python" -c 'import torch, numpy; print("opinfo: torch", torch.__version__, "· numpy", numpy.__version__)'
