#!/usr/bin/env bash
# Install shapewidget with JupyterLab (what running the tutorials needs; no test tools)
# and open the first tutorial. Outside a virtual environment it makes and uses .venv
# (see scripts/venv.sh). Arguments are passed to `jupyter lab` (e.g. --no-browser,
# --port 8899); `bash scripts/start.sh --version` installs, then only prints the version.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
source scripts/venv.sh
sw_python .venv
echo "Installing shapewidget and JupyterLab into $("$PY" -c 'import sys; print(sys.prefix)')"
"$PY" -m pip install -q -e . "jupyterlab>=4"
extra=()
if [ "$(id -u)" = 0 ]; then extra+=(--allow-root); fi
if [ "${1:-}" = "--version" ]; then exec "$PY" -m jupyter lab --version; fi
exec "$PY" -m jupyter lab "${extra[@]}" "$@" notebooks/01_units_and_neurons.ipynb
