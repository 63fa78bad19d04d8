"""Shared pytest setup.

- Keras on the JAX backend (CPU) and quiet; matplotlib on Agg.
- Nothing written to $HOME: every folder Jupyter, IPython, matplotlib, Keras and fontconfig
  would write to points into one temporary folder for the whole session (set before any
  test module imports them, inherited by xdist workers, kernels, nbconvert and the CLI).
  A fresh matplotlib cache also means its font list is built after the fonts installed
  (a cache older than the Japanese font would hide it). Under CI the session fails if
  $HOME gained an entry anyway.
- No silent skips: under CI (``CI`` set and not "0"/"false"/"no") a skipped test fails
  unless it carries ``@pytest.mark.allow_skip(reason="...")`` saying why it may skip there;
  a test module skipped as a whole fails collection.
- Browser tests start Chromium and servers with ``subprocess`` ``preexec_fn`` (a fork): in
  a process that imported JAX that fork warns and may deadlock, so scripts/test.sh runs
  them in a pytest process of their own, and under CI they fail here if JAX was imported.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("MPLBACKEND", "Agg")

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

# variable -> folder inside the session's temporary home
REDIRECTED = {
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-data/runtime",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
    "KERAS_HOME": "keras",
    "XDG_CACHE_HOME": "cache",  # fontconfig (matplotlib runs fc-list), pip, ...
}
# The controller makes the folder; xdist workers (started later) inherit the variables.
if "SHAPEWIDGET_TEST_HOME" not in os.environ:
    _session_home = tempfile.mkdtemp(prefix="sw-test-home-")
    os.environ["SHAPEWIDGET_TEST_HOME"] = _session_home
    atexit.register(shutil.rmtree, _session_home, ignore_errors=True)
    for _var, _sub in REDIRECTED.items():
        os.environ[_var] = os.path.join(_session_home, _sub)
        os.makedirs(os.environ[_var], exist_ok=True)

# Folders of $HOME whose entries are compared before and after the session.
HOME_WATCHED = ("", ".cache", ".config", ".local/share", ".jupyter", ".ipython", ".keras")


def home_entries(home: Path) -> set[str]:
    """The names directly inside $HOME and inside the folders programs write to."""
    found: set[str] = set()
    for rel in HOME_WATCHED:
        folder = home / rel
        try:
            found.update(f"{rel}/{p.name}".lstrip("/") for p in folder.iterdir())
        except OSError:
            continue
    return found


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_HOME_BEFORE] = home_entries(Path.home())


_HOME_BEFORE = pytest.StashKey[set[str]]()
_HOME_GAINED = pytest.StashKey[list[str]]()


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (IN_CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    if item.get_closest_marker("allow_skip") is not None:
        return
    report.outcome = "failed"
    report.longrepr = (f"skipped under CI without an allow_skip marker: {_skip_reason(report)}"
                       " (make it run in CI, or mark it @pytest.mark.allow_skip(reason=...))")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.CollectReport = outcome.get_result()
    if IN_CI and report.skipped and isinstance(collector, pytest.Module):
        report.outcome = "failed"
        report.longrepr = (f"{collector.nodeid} skipped as a whole under CI: "
                           f"{_skip_reason(report)}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if IN_CI and item.get_closest_marker("browser") is not None and "jax" in sys.modules:
        pytest.fail("a browser test in a pytest process that imported JAX (its fork of "
                    "Chromium or a server would warn and may deadlock): run tests/browser "
                    "on its own, as scripts/test.sh does", pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller checks $HOME once
    gained = sorted(home_entries(Path.home()) - session.config.stash.get(_HOME_BEFORE, set()))
    session.config.stash[_HOME_GAINED] = gained
    if gained and IN_CI and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    gained = config.stash.get(_HOME_GAINED, [])
    if gained:
        terminalreporter.section("$HOME gained entries during the tests", sep="=", red=True)
        terminalreporter.line(", ".join(gained[:30]))
        if not IN_CI:
            terminalreporter.line("(not failing: CI is not set, and other programs may "
                                  "write there)")


@pytest.fixture(scope="session")
def session_home() -> Iterator[Path]:
    """The temporary folder standing in for $HOME's config and cache folders."""
    yield Path(os.environ["SHAPEWIDGET_TEST_HOME"])
