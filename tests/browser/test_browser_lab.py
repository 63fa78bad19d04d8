"""The first tutorial in real JupyterLab, in headless Chromium: run all cells, then drive
the widget through the page (units, add layer, input shape, invalid values, undo, redo,
remove) and check that the status, table, code and drawing follow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_harness import (
    ARTIFACTS,
    FIRST_TUTORIAL,
    LAB_ROOT,
    Lab,
    news_popup,
    run_all_cells_in_lab,
)
from widget_scenario import WidgetPage, exercise_hostile_names, exercise_widget

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab_page(chromium: Any, lab: Lab) -> Iterator[tuple[Any, list[str]]]:
    page = chromium.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        try:
            run_all_cells_in_lab(page, lab, FIRST_TUTORIAL)
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "lab-page-failed.png"))
            raise
        yield page, page_errors
    finally:
        page.close()


def test_browser_lab_tutorial_runs_without_errors(lab_page: tuple[Any, list[str]]) -> None:
    page, page_errors = lab_page
    w = WidgetPage(page, LAB_ROOT, "lab")
    assert page.locator(LAB_ROOT).count() == 1
    assert w.tracebacks() == []
    assert not news_popup(page), "JupyterLab's news pop-up is showing"
    assert page_errors == []


def test_browser_lab_widget_follows_edits(lab_page: tuple[Any, list[str]]) -> None:
    page, page_errors = lab_page
    w = WidgetPage(page, LAB_ROOT, "lab")
    log = exercise_widget(w)
    print("\n".join(log))
    assert w.tracebacks() == []
    assert page_errors == []


def test_browser_lab_hostile_names_show_as_text(
        lab_page: tuple[Any, list[str]]) -> None:
    """Names that are markup, pasted and typed, never run and show as literal text (last:
    it leaves the hostile model on the page)."""
    page, page_errors = lab_page
    w = WidgetPage(page, LAB_ROOT, "lab")
    log = exercise_hostile_names(w)
    print("\n".join(log))
    assert w.tracebacks() == []
    assert page_errors == []
