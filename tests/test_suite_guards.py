"""The test suite's own guards (tests/conftest.py): no silent skip under CI, nothing
written to $HOME, and matplotlib sees the fonts installed before the session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFTEST = ROOT / "tests" / "conftest.py"
# variables the outer session set; a nested pytest must find its own way
OUTER = ("SHAPEWIDGET_TEST_HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
         "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR", "KERAS_HOME", "XDG_CACHE_HOME",
         "CI", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_ADDOPTS")


def nested_env(home: Path, ci: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OUTER}
    env["HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    if ci:
        env["CI"] = "true"
    return env


INI = "[pytest]\nmarkers =\n    allow_skip(reason): may skip under CI\n"


def run_project(tmp_path: Path, source: str, ci: bool,
                ini: str = INI) -> subprocess.CompletedProcess[str]:
    """pytest on one test file beside a copy of tests/conftest.py, $HOME an empty folder."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(CONFTEST, project / "conftest.py")
    (project / "test_sample.py").write_text(source, encoding="utf-8")
    (project / "pytest.ini").write_text(ini, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = nested_env(home, ci)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only pytest and the conftest: quicker
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "test_sample.py"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=120)


SKIPPING = """
import pytest

def test_runs():
    pass

def test_skips():
    pytest.skip("no widget today")
"""


def test_suite_skip_under_ci_fails(tmp_path: Path) -> None:
    out = run_project(tmp_path, SKIPPING, ci=True)
    assert out.returncode == 1, out.stdout
    assert "skipped under CI without an allow_skip marker" in out.stdout
    assert "no widget today" in out.stdout


def test_suite_skip_without_ci_is_reported(tmp_path: Path) -> None:
    out = run_project(tmp_path, SKIPPING, ci=False)
    assert out.returncode == 0, out.stdout
    assert "1 passed, 1 skipped" in out.stdout


def test_suite_skipif_under_ci_fails(tmp_path: Path) -> None:
    source = ("import pytest\n\n@pytest.mark.skipif(True, reason='no font')\n"
              "def test_font():\n    pass\n")
    out = run_project(tmp_path, source, ci=True)
    assert out.returncode == 1 and "no font" in out.stdout


def test_suite_allowed_skip_under_ci_passes(tmp_path: Path) -> None:
    source = ("import pytest\n\n@pytest.mark.allow_skip(reason='needs a GPU, CI has none')\n"
              "def test_gpu():\n    pytest.skip('no GPU')\n")
    out = run_project(tmp_path, source, ci=True)
    assert out.returncode == 0, out.stdout
    assert "1 skipped" in out.stdout


def test_suite_module_skipped_under_ci_fails(tmp_path: Path) -> None:
    source = ("import pytest\n\npytest.importorskip('no_such_module_xyz')\n\n"
              "def test_never():\n    pass\n")
    out = run_project(tmp_path, source, ci=True)
    assert out.returncode != 0
    assert "skipped as a whole under CI" in out.stdout


def test_suite_xfail_under_ci_passes(tmp_path: Path) -> None:
    source = ("import pytest\n\n@pytest.mark.xfail(reason='known', strict=True)\n"
              "def test_known():\n    assert False\n")
    out = run_project(tmp_path, source, ci=True)
    assert out.returncode == 0, out.stdout


def test_suite_home_written_under_ci_fails(tmp_path: Path) -> None:
    source = ("from pathlib import Path\n\ndef test_litter():\n"
              "    (Path.home() / '.litter').write_text('x')\n")
    out = run_project(tmp_path, source, ci=True)
    assert out.returncode == 1, out.stdout
    assert "$HOME gained entries" in out.stdout and ".litter" in out.stdout


def test_suite_slides_export_leaves_home_empty(tmp_path: Path) -> None:
    # with ~/.ipython present (as in the home of anyone who used IPython), nbconvert
    # (jupyter_core's config migration) would create ~/.jupyter/migrated
    home = tmp_path / "home"
    (home / ".ipython" / "profile_default").mkdir(parents=True)
    node = "tests/test_slides.py::test_slides_export_contains_shape_table"
    env = nested_env(home, ci=True)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-o", "addopts=", node], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:]
    found = sorted(p.relative_to(home).as_posix() for p in home.rglob("*"))
    assert found == [".ipython", ".ipython/profile_default"]


def test_suite_matplotlib_cache_is_the_sessions() -> None:
    import matplotlib

    assert Path(matplotlib.get_cachedir()).is_relative_to(os.environ["SHAPEWIDGET_TEST_HOME"])


def test_suite_matplotlib_sees_installed_japanese_font() -> None:
    listed = shutil.which("fc-list") and subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout
    if not listed:
        pytest.skip("no Japanese font installed (scripts/test.sh installs fonts-ipaexfont-gothic)")
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    assert names & families, f"matplotlib's font list misses {sorted(families)[:5]}"


def test_suite_browser_test_beside_jax_under_ci_fails(tmp_path: Path) -> None:
    source = ("import sys, types\n\nimport pytest\n\n"
              "sys.modules.setdefault('jax', types.ModuleType('jax'))  # as if imported\n\n"
              "@pytest.mark.browser\ndef test_page():\n    pass\n")
    project_ini = "[pytest]\nmarkers =\n    allow_skip(reason): x\n    browser: x\n"
    out = run_project(tmp_path, source, ci=True, ini=project_ini)
    assert out.returncode == 1, out.stdout
    assert "imported JAX" in out.stdout
