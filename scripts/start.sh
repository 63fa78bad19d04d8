#!/usr/bin/env bash
# Install shapewidget with JupyterLab and open the first tutorial.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e ".[test]"
extra=()
if [ "$(id -u)" = 0 ]; then extra+=(--allow-root); fi
exec python -m jupyter lab "${extra[@]}" "$@" notebooks/01_units_and_neurons.ipynb
