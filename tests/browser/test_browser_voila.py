"""The first tutorial served by Voila, in headless Chromium: the same edits through the
page as in JupyterLab, with the same checks of the status, table, code and drawing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_harness import ARTIFACTS, VOILA_ROOT, Voila
from widget_scenario import WidgetPage, exercise_hostile_names, exercise_widget

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila_page(chromium: Any, voila: Voila) -> Iterator[tuple[Any, list[str]]]:
    page = chromium.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        # The page finishes loading once Voila has executed every cell.
        try:
            page.goto(voila.url, timeout=120_000, wait_until="load")
            page.wait_for_selector(VOILA_ROOT, timeout=60_000)
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "voila-page-failed.png"))
            raise
        yield page, page_errors
    finally:
        page.close()


def test_browser_voila_notebook_runs_without_errors(voila_page: tuple[Any, list[str]]) -> None:
    page, page_errors = voila_page
    w = WidgetPage(page, VOILA_ROOT, "voila")
    assert page.locator(VOILA_ROOT).count() == 1
    assert w.tracebacks() == []
    assert page_errors == []


def test_browser_voila_widget_follows_edits(voila_page: tuple[Any, list[str]]) -> None:
    page, page_errors = voila_page
    w = WidgetPage(page, VOILA_ROOT, "voila")
    log = exercise_widget(w)
    print("\n".join(log))
    assert w.tracebacks() == []
    assert page_errors == []


def test_browser_voila_drawing_shown_at_its_own_size(voila_page: tuple[Any, list[str]]) -> None:
    page, _errors = voila_page
    state = WidgetPage(page, VOILA_ROOT, "voila").state()
    assert state is not None and state["imgWidth"] > 0
    assert state["imgShownWidth"] <= state["imgWidth"] * 1.02, (
        state["imgWidth"], state["imgShownWidth"])


def test_browser_voila_hostile_names_show_as_text(
        voila_page: tuple[Any, list[str]]) -> None:
    """Names that are markup, pasted and typed, never run and show as literal text (last:
    it leaves the hostile model on the page)."""
    page, page_errors = voila_page
    w = WidgetPage(page, VOILA_ROOT, "voila")
    log = exercise_hostile_names(w)
    print("\n".join(log))
    assert w.tracebacks() == []
    assert page_errors == []
