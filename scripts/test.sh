#!/usr/bin/env bash
# Install everything the tests need (Python packages and, for browser tests, Chromium),
# then run every check: ruff, mypy, pytest (unit, Keras-reference, notebooks, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export KERAS_BACKEND=jax PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install -q -e ".[test,keras]"
python -m ruff check shapewidget tests benchmarks
python -m mypy
python -m pytest "$@"
