"""The README's two commands, scripts/start.sh and scripts/test.sh: they run with only
``python3`` on the PATH, inside a virtual environment they use it, outside one they make
and use ``.venv`` (scripts/venv.sh), and start.sh installs no test tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def base_python() -> str:
    """A Python that is not a virtual environment's (the one this venv, if any, came from)."""
    exe = f"python3.{sys.version_info[1]}"
    found = Path(sys.base_prefix) / "bin" / exe
    return str(found) if found.exists() else shutil.which("python3") or sys.executable


def choose(tmp_path: Path, python: str) -> subprocess.CompletedProcess[str]:
    """``sw_python .venv`` run in ``tmp_path`` with PYTHON set: prints the chosen PY."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    env["PYTHON"] = python
    script = f'source "{SCRIPTS / "venv.sh"}"; sw_python .venv; echo "PY=$PY"'
    return subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)


def test_scripts_call_python3_or_the_chosen_python_only() -> None:
    for name in ("start.sh", "test.sh", "venv.sh"):
        text = (SCRIPTS / name).read_text(encoding="utf-8")
        assert not re.search(r"(^|[\s;(])python\s", text, re.MULTILINE), name


def test_scripts_inside_a_venv_use_it(tmp_path: Path) -> None:
    venv = tmp_path / "env"
    subprocess.run([base_python(), "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    work = tmp_path / "work"
    work.mkdir()
    out = choose(work, str(venv / "bin" / "python"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == f"PY={venv / 'bin' / 'python'}"
    assert not (work / ".venv").exists()


def test_scripts_outside_a_venv_make_and_use_dot_venv(tmp_path: Path) -> None:
    out = choose(tmp_path, base_python())
    assert out.returncode == 0, out.stderr
    made = tmp_path / ".venv" / "bin" / "python"
    assert out.stdout.splitlines()[-1] == f"PY={made}"
    assert (tmp_path / ".venv" / "bin" / "pip").exists()
    again = choose(tmp_path, base_python())  # the second run reuses it
    assert "Using the virtual environment .venv" in again.stdout


def test_scripts_missing_python_says_what_to_install(tmp_path: Path) -> None:
    out = choose(tmp_path, "python3-that-does-not-exist")
    assert out.returncode == 1 and "install Python 3.10 or newer" in out.stderr


def test_scripts_start_installs_no_test_extras() -> None:
    text = (SCRIPTS / "start.sh").read_text(encoding="utf-8")
    installs = [line for line in text.splitlines() if "pip install" in line]
    assert installs and all("[test" not in line and "keras" not in line for line in installs)
    assert any("jupyterlab" in line for line in installs)


def test_scripts_start_passes_version_to_jupyter_lab() -> None:
    text = (SCRIPTS / "start.sh").read_text(encoding="utf-8")
    assert '-m jupyter lab --version' in text


def test_scripts_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci and "    bash scripts/test.sh\n" in readme
    assert 'CI="${CI:-true}"' in ci


def test_scripts_readme_says_what_apt_installs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in ("chromium", "fonts-ipaexfont-gothic", "python3-venv"):
        assert f"`{package}`" in readme
    assert "root or `sudo`" in readme and ".venv" in readme


def test_scripts_contributing_names_test_script() -> None:
    assert "scripts/test.sh" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_scripts_test_sh_is_valid_bash() -> None:
    for name in ("start.sh", "test.sh", "venv.sh"):
        subprocess.run(["bash", "-n", str(SCRIPTS / name)], check=True, timeout=30)
