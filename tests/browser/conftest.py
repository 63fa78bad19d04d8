"""Fixtures of the browser tests: headless Chromium, JupyterLab and Voila (session-wide).

Where Chromium or playwright is missing the tests are skipped, except under CI (the
``CI`` environment variable set), where they fail: CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_harness import (
    ARTIFACTS,
    CHROMIUM,
    FIRST_TUTORIAL,
    Lab,
    Voila,
    Watchdog,
    copy_notebooks,
    launch_chromium,
    temp_dir,
)

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
# Every server is stopped after this long even if a test hangs (the whole browser run
# takes well under a minute and a half).
WATCHDOG_SECONDS = 300.0
# What a Jupyter server, a kernel, matplotlib or Chromium would create in $HOME.
HOME_PATHS = (".jupyter", ".local/share/jupyter", ".ipython", ".cache/matplotlib",
              ".config/matplotlib", ".pki", ".config/chromium", ".cache/chromium",
              ".cache/fontconfig", ".local/share/voila")


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: the browser tests must run there)", pytrace=False)
    pytest.skip(reason)


def _home_snapshot() -> dict[str, float]:
    home = Path.home()
    found: dict[str, float] = {}
    for rel in HOME_PATHS:
        base = home / rel
        if not base.exists():
            continue
        found[rel] = base.stat().st_mtime
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                path = Path(dirpath) / name
                with contextlib.suppress(OSError):
                    found[str(path.relative_to(home))] = path.stat().st_mtime
    return found


@pytest.fixture(scope="session")
def home_guard() -> Iterator[None]:
    """Nothing the browser tests start writes to $HOME (checked when they are done).

    Fails under CI; elsewhere other programs may be writing there, so it only warns.
    """
    before = _home_snapshot()
    yield
    after = _home_snapshot()
    changed = sorted(p for p, mtime in after.items() if before.get(p) != mtime
                     and not (p in HOME_PATHS and p in before))
    if changed:
        message = "the browser tests wrote to $HOME: " + ", ".join(changed[:20])
        if IN_CI:
            pytest.fail(message, pytrace=False)
        warnings.warn(message, stacklevel=1)


@pytest.fixture(scope="session")
def browser_tmp() -> Iterator[Path]:
    with temp_dir() as path:
        yield path


@pytest.fixture(scope="session")
def chromium(browser_tmp: Path, home_guard: None) -> Iterator[Any]:
    """A headless Chromium context (fresh profile in a temporary folder)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        try:
            context = launch_chromium(playwright, browser_tmp / "chromium")
        except Exception as exc:
            unavailable(f"Chromium did not start: {exc}")
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def lab(browser_tmp: Path, home_guard: None) -> Iterator[Lab]:
    """JupyterLab serving a temporary copy of notebooks/."""
    tmp = browser_tmp / "lab"
    tmp.mkdir()
    server = Lab(tmp, copy_notebooks(tmp), ARTIFACTS / "jupyterlab.log")
    dog = Watchdog(WATCHDOG_SECONDS, server.stop)
    try:
        yield server
    finally:
        dog.cancel()
        server.stop()


@pytest.fixture(scope="session")
def voila(browser_tmp: Path, home_guard: None) -> Iterator[Voila]:
    """Voila serving a temporary copy of the first tutorial."""
    try:
        import voila as _voila  # noqa: F401
    except ImportError:
        unavailable("voila is not installed (pip install -e '.[test]')")
    tmp = browser_tmp / "voila"
    tmp.mkdir()
    server = Voila(tmp, copy_notebooks(tmp) / FIRST_TUTORIAL, ARTIFACTS / "voila.log")
    dog = Watchdog(WATCHDOG_SECONDS, server.stop)
    try:
        yield server
    finally:
        dog.cancel()
        server.stop()
