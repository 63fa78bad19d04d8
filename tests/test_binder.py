"""The Binder setup, reproduced: a fresh virtual environment gets ``binder/requirements.txt``
and ``binder/postBuild`` (run from the root of a clean copy of the repository, as repo2docker
does), and the first two tutorials run in a kernel of that environment.

Slow (about 1–2 minutes, mostly pip): ``pytest -m "not binder"`` leaves it out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.binder

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NOTEBOOKS = ["notebooks/01_units_and_neurons.ipynb", "notebooks/02_shapes_and_batch.ipynb"]

# Run by the venv's Python: executes each notebook with nbclient in the venv's own
# "python3" kernel, plus one last cell that reports where the kernel and shapewidget live.
DRIVER = """
import json, sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PROBE = "import sys, shapewidget; print(json.dumps([sys.prefix, shapewidget.__file__]))"
for name in sys.argv[1:]:
    path = Path(name)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import json\\n" + PROBE))
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    prefix, module = json.loads(nb.cells[-1].outputs[0]["text"])
    print(json.dumps({"notebook": name, "cells": len(nb.cells), "errors": len(errors),
                      "kernel_prefix": prefix, "shapewidget": module}))
"""


def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def clean_copy(dest: Path) -> Path:
    """The repository's files as a fresh clone would have them (no caches, no build
    metadata), plus files not yet committed that git does not ignore."""
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                 cwd=ROOT).stdout.split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


@pytest.fixture(scope="module")
def binder_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the Binder environment once and run the tutorials in it."""
    base = tmp_path_factory.mktemp("binder")
    repo = clean_copy(base / "repo")
    venv = base / "venv"
    home = base / "home"
    for sub in ("jupyter-data", "jupyter-config", "jupyter-runtime", "ipython", "mpl"):
        (home / sub).mkdir(parents=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON", "MPL", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        # Nothing from this machine's Jupyter or matplotlib setup: kernels are looked up
        # in the venv, caches are built afresh as on Binder.
        JUPYTER_DATA_DIR=str(home / "jupyter-data"),
        JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "mpl"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    run([sys.executable, "-m", "venv", str(venv)], env=env)
    python = str(venv / "bin" / "python")
    # repo2docker: pip install -r binder/requirements.txt (bytecode compiling skipped here
    # only to save time), then binder/postBuild from the repository root.
    run([python, "-m", "pip", "install", "-q", "--no-compile", "-r",
         "binder/requirements.txt"], cwd=repo, env=env, timeout=600)
    run(["bash", "binder/postBuild"], cwd=repo, env=env, timeout=300)
    driver = base / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    out = run([python, str(driver), *NOTEBOOKS], cwd=repo, env=env, timeout=600).stdout
    results = {r["notebook"]: r for r in map(json.loads, out.splitlines())}
    return {"repo": repo, "venv": venv, "results": results}


def test_requirements_every_package_pinned() -> None:
    lines = [line.split("#")[0].strip()
             for line in (BINDER / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line]
    assert packages
    assert all("==" in line for line in packages), packages


def test_postbuild_executable_in_git() -> None:
    mode = run(["git", "ls-files", "-s", "binder/postBuild"], cwd=ROOT).stdout.split()[0]
    assert mode == "100755"


def test_install_kernel_runs_in_fresh_venv(binder_run: dict[str, Any]) -> None:
    venv = binder_run["venv"].resolve()
    for result in binder_run["results"].values():
        assert Path(result["kernel_prefix"]).resolve() == venv


def test_install_shapewidget_from_repository_copy(binder_run: dict[str, Any]) -> None:
    repo = binder_run["repo"].resolve()
    for result in binder_run["results"].values():
        assert Path(result["shapewidget"]).resolve().is_relative_to(repo / "shapewidget")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_tutorial_runs_without_error(binder_run: dict[str, Any], notebook: str) -> None:
    result = binder_run["results"][notebook]
    assert result["errors"] == 0
    assert result["cells"] > 5
