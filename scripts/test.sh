#!/usr/bin/env bash
# Install everything the tests need (Python packages and, for browser tests, Chromium),
# then run every check: ruff, mypy, pytest (unit, Keras-reference, notebooks, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export KERAS_BACKEND=jax PIP_DISABLE_PIP_VERSION_CHECK=1
# Debian packages: a Japanese font for lang="ja" drawings.
apt_needed=()
dpkg -s fonts-ipaexfont-gothic >/dev/null 2>&1 || apt_needed+=(fonts-ipaexfont-gothic)
# Chromium for the browser tests (driven by PyPI playwright; `playwright install` is not used).
[ -x /usr/bin/chromium ] || apt_needed+=(chromium)
if [ ${#apt_needed[@]} -gt 0 ]; then
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${apt_needed[@]}"
fi
python -m pip install -q -e ".[test,keras]"
python -m ruff check shapewidget tests benchmarks
python -m mypy
# Two workers (this is a 2-core machine); each test file stays in one worker.
python -m pytest -n 2 --dist loadfile "$@"
