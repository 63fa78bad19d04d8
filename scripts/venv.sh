# Sourced by scripts/start.sh and scripts/test.sh: choose the Python to install into and
# run with, and set PY to it.
#
# - Inside an active virtual environment (or conda environment), that environment is used.
# - Otherwise a project virtual environment is made once in .venv (with python3, or
#   $PYTHON if set) and used, so nothing is installed into the system's Python (on
#   Debian/Ubuntu its pip refuses: "externally managed").
# Where `python3 -m venv` is missing (Debian/Ubuntu without python3-venv) it says how to
# get it; scripts/test.sh installs it with apt like its other Debian packages.

sw_in_env() {  # is "$1" the Python of a virtual or conda environment?
  "$1" -c 'import os, sys
conda = os.environ.get("CONDA_PREFIX")
in_conda = bool(conda) and os.path.realpath(sys.prefix) == os.path.realpath(conda)
sys.exit(0 if sys.prefix != sys.base_prefix or in_conda else 1)'
}

sw_python() {  # sw_python VENV_DIR: set PY
  local venv_dir="$1" base="${PYTHON:-python3}"
  if ! command -v "$base" >/dev/null 2>&1; then
    echo "error: $base not found: install Python 3.10 or newer (Debian/Ubuntu: apt-get install python3 python3-venv)" >&2
    exit 1
  fi
  if ! "$base" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "error: shapewidget needs Python 3.10 or newer; $base is $("$base" --version 2>&1)" >&2
    exit 1
  fi
  if sw_in_env "$base"; then
    PY="$(command -v "$base")"
    echo "Using the active environment $("$PY" -c 'import sys; print(sys.prefix)')"
    return
  fi
  if [ ! -x "$venv_dir/bin/python" ]; then
    echo "Making a virtual environment for shapewidget in $venv_dir ($base -m venv $venv_dir)"
    if ! "$base" -m venv "$venv_dir"; then
      rm -rf "$venv_dir"
      echo "error: could not make a virtual environment: on Debian/Ubuntu install python3-venv first (sudo apt-get install python3-venv), then run this again" >&2
      exit 1
    fi
  else
    echo "Using the virtual environment $venv_dir"
  fi
  PY="$(cd "$venv_dir" && pwd)/bin/python"
}

sw_can_make_venv() {  # can "${PYTHON:-python3}" make a venv with pip in it?
  local base="${PYTHON:-python3}" probe
  probe="$(mktemp -d)"
  if "$base" -m venv "$probe/v" >/dev/null 2>&1 && [ -x "$probe/v/bin/pip" ]; then
    rm -rf "$probe"; return 0
  fi
  rm -rf "$probe"; return 1
}
