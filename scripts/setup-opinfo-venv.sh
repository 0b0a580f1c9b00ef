#!/usr/bin/env bash
# The virtual environment for scripts/opinfo_goldens.py: PyTorch (CPU, pinned), NumPy, and
# expecttest (torch's OpInfo test helpers import it).
# Usage: scripts/setup-opinfo-venv.sh [VENV_DIR]     (default .venv-opinfo)
set -euo pipefail
exec "$(dirname "$0")/setup-python-venv.sh" opinfo "${1:-.venv-opinfo}" "numpy,expecttest" numpy 'expecttest==0.3.0'
