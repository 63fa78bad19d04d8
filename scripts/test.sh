#!/usr/bin/env bash
# Install everything the tests need, then run every check, timing each stage:
#   apt      Debian packages (needs root or sudo; only what is missing): Chromium for the
#            browser tests, fonts-ipaexfont-gothic for lang="ja" drawings, python3-venv
#            where `python3 -m venv` cannot make a virtual environment
#   install  outside a virtual environment, make and use .venv (scripts/venv.sh); then
#            pip install -e ".[test,keras]" (pytest, JupyterLab, Voila, playwright, ruff,
#            mypy, Keras with JAX, ...)
#   ruff, mypy
#   pytest   unit, Keras-reference and notebook tests on two workers (-n 2 --dist loadfile)
#   browser  JupyterLab/Voila in headless Chromium, in a pytest process of its own (one that
#            never imports JAX, whose fork warning would otherwise come with every server)
#   oldest   the render tests on the oldest matplotlib supported (3.7, numpy<2) in .venv-mpl37
#            (without Keras: the render tests never compare with it)
# Arguments go to both pytest stages (e.g. `bash scripts/test.sh -x`, `--co -q`, a test
# file); with arguments the "oldest" stage is left out. The stages run on after a failure;
# the exit status is 1 if any failed. Under CI=true a skipped test fails (tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export KERAS_BACKEND=jax PIP_DISABLE_PIP_VERSION_CHECK=1
source scripts/venv.sh

start_all=$EPOCHREALTIME
timings=()
failed=()
stage_start=$EPOCHREALTIME
stage_done() {  # stage_done NAME STATUS
  local secs
  secs=$(awk -v a="$stage_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  timings+=("$1 ${secs}s")
  [ "$2" = 0 ] || failed+=("$1")
  echo "--- $1: ${secs} s$([ "$2" = 0 ] || echo ", FAILED (status $2)")"
  stage_start=$EPOCHREALTIME
}
report() {
  local total
  total=$(awk -v a="$start_all" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
  echo "=== scripts/test.sh took ${total} s ($(( total / 60 )) min $(( total % 60 )) s): ${timings[*]}"
  if [ ${#failed[@]} -gt 0 ]; then echo "=== FAILED: ${failed[*]}"; fi
}
trap report EXIT
run_stage() {  # run_stage NAME COMMAND...: run it, note its time and status, go on
  local name="$1" status=0
  shift
  echo "--- $name: $*"
  "$@" || status=$?
  stage_done "$name" "$status"
}

# --- apt: Debian packages (root or sudo)
apt_needed=()
dpkg -s fonts-ipaexfont-gothic >/dev/null 2>&1 || apt_needed+=(fonts-ipaexfont-gothic)
# Chromium for the browser tests (driven by PyPI playwright; `playwright install` is not used).
[ -x /usr/bin/chromium ] || apt_needed+=(chromium)
if ! sw_in_env "${PYTHON:-python3}" && [ ! -x .venv/bin/python ] && ! sw_can_make_venv; then
  apt_needed+=(python3-venv)
fi
new_font=0
if [ ${#apt_needed[@]} -gt 0 ]; then
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  echo "--- apt: installing ${apt_needed[*]}${sudo_cmd:+ (with sudo)}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${apt_needed[@]}"
  case " ${apt_needed[*]} " in *" fonts-ipaexfont-gothic "*) new_font=1 ;; esac
fi
stage_done apt 0

# --- install: the project's environment and the test extras
sw_python .venv
# pip runs again only when pyproject.toml changed since the last install into this
# environment, or when its stamp <env>/.shapewidget-test is deleted (the install is
# editable: the code itself is always the checkout's)
installed() {  # installed PYTHON WHAT: is the stamp of WHAT in PYTHON's environment current?
  local stamp
  stamp="$("$1" -c 'import sys; print(sys.prefix)')/.shapewidget-$2"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sha256sum pyproject.toml | cut -c1-64)" ]
}
mark_installed() {
  sha256sum pyproject.toml | cut -c1-64 > "$("$1" -c 'import sys; print(sys.prefix)')/.shapewidget-$2"
}
if installed "$PY" test; then
  echo "--- install: test extras already installed (pyproject.toml unchanged)"
else
  "$PY" -m pip install -q -e ".[test,keras]"
  mark_installed "$PY" test
fi
if [ "$new_font" = 1 ]; then
  # matplotlib's font list was cached before the font existed: drop it (rebuilt on use)
  "$PY" -c 'import matplotlib, pathlib
for p in pathlib.Path(matplotlib.get_cachedir()).glob("fontlist-*.json"): p.unlink()'
fi
stage_done install 0

run_stage ruff "$PY" -m ruff check shapewidget tests benchmarks
run_stage mypy "$PY" -m mypy

pytest_stage() {  # pytest_stage NAME ARGS...: "no tests collected" (5) counts as success
  local name="$1" status=0
  shift
  echo "--- $name: pytest $*"
  "$PY" -m pytest "$@" || status=$?
  [ "$status" = 5 ] && status=0
  stage_done "$name" "$status"
}
# Two workers (this is a 2-core machine); each test file stays in one worker.
pytest_stage pytest -n 2 --dist loadfile -m "not browser" "$@"
# the browser tests only: tests/browser unless the arguments name files or folders
browser_args=("$@")
names_path=0
for arg in "$@"; do [ -e "${arg%%::*}" ] && names_path=1; done
[ "$names_path" = 1 ] || browser_args+=(tests/browser)
pytest_stage browser -p no:xdist -m browser "${browser_args[@]}"

# --- oldest: the render tests on matplotlib 3.7 (the oldest in pyproject.toml)
if [ $# -eq 0 ]; then
  if [ ! -x .venv-mpl37/bin/python ]; then "${PYTHON:-python3}" -m venv .venv-mpl37; fi
  PY="$PWD/.venv-mpl37/bin/python"
  if installed "$PY" oldest || { "$PY" -m pip install -q -e . "matplotlib==3.7.*" \
       "numpy<2" "pytest>=8" "hypothesis>=6.100" && mark_installed "$PY" oldest; }; then
    echo "--- oldest: matplotlib $("$PY" -c 'import matplotlib; print(matplotlib.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)')"
    pytest_stage oldest -p no:cacheprovider -o addopts="-ra --strict-markers" \
      tests/test_render_*.py
  else
    stage_done oldest-install 1
  fi
fi
[ ${#failed[@]} -eq 0 ]
