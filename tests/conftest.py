"""Shared pytest setup: keep Keras on the JAX backend and quiet, and keep the notebook
kernels (nbval) from writing IPython's history database into $HOME."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("MPLBACKEND", "Agg")

if "IPYTHONDIR" not in os.environ:
    # every kernel this process starts inherits it (loaded before any notebook runs)
    _ipython_dir = tempfile.mkdtemp(prefix="sw-ipython-")
    os.environ["IPYTHONDIR"] = _ipython_dir
    atexit.register(shutil.rmtree, _ipython_dir, ignore_errors=True)
