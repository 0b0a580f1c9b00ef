#!/usr/bin/env bash
# Creates (or reuses) a virtual environment with PyTorch's CPU build (always pinned: the
# unpinned name pulls the CUDA build, gigabytes) and the other packages named, installing
# only when an import check fails. Shared by bench/setup-venv.sh and scripts/setup-opinfo-venv.sh.
# Usage: scripts/setup-python-venv.sh LABEL VENV_DIR "module,module,..." PACKAGE...
set -euo pipefail
LABEL=$1 VENV=$2 MODULES=$3
shift 3
PYTHON=${PYTHON:-python3}
TORCH_PIN='torch==2.13.0+cpu'
if [ ! -x "$VENV/bin/python" ]; then
  echo "$LABEL: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if "$VENV/bin/python" -c "import torch, $MODULES; assert torch.__version__ == '2.13.0+cpu', torch.__version__" 2>/dev/null; then
  exit 0
fi
echo "$LABEL: installing $TORCH_PIN $* into $VENV (once)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$TORCH_PIN" "$@"
"$VENV/bin/python" -c "import torch; print('$LABEL: torch', torch.__version__)"
