"""The opt-in ipympl drawing in real JupyterLab, in headless Chromium:
``ShapeWidget(drawing="ipympl")`` shows ipympl's canvas (with its toolbar) in the drawing
tab instead of an image; the canvas is redrawn after a units edit typed in the page, its
zoom tool works, selecting a layer highlights it (keeping the zoom), and an invalid value
leaves the last valid drawing dimmed.

ipympl's JupyterLab extension ships in its wheel (the ``test`` extra installs it).
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import ARTIFACTS, LAB_ROOT, Lab, run_all_cells_in_lab
from widget_scenario import WidgetPage

from shapewidget.widget.ipympl_view import MAX_WIDTH

pytestmark = pytest.mark.browser

NOTEBOOK = "ipympl_drawing.ipynb"
CELLS = (
    "import shapewidget as sw\n"
    "w = sw.ShapeWidget(drawing='ipympl')  # input (3,), Dense 4, 4, 1: 41 parameters\n"
    "w",
    "assert w.drawing == 'ipympl', w.drawing",
)

# What the drawing pane shows: ipympl's figure, its canvas pixels, no <img>.
CANVAS_JS = """(root) => {
  const w = document.querySelector(root);
  if (!w) return null;
  const text = (e) => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : '');
  const pane = w.querySelector('.sw-diagram');
  const figure = pane ? pane.querySelector('.sw-diagram-canvas .jupyter-matplotlib-figure')
                      : null;
  const canvas = figure ? figure.querySelector('.jupyter-matplotlib-canvas-div canvas')
                        : null;
  let colours = 0;
  let orange = 0;  // the input's squares (#E69F00), in sampled pixels
  let data = '';
  if (canvas && canvas.width > 0 && canvas.height > 0) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < pixels.length; i += 4 * 7) {
      const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
      if (seen.size < 50) seen.add((r << 16) | (g << 8) | b);
      if (r > 200 && g > 130 && g < 180 && b < 60) orange += 1;
    }
    colours = seen.size;
    data = canvas.toDataURL();
  }
  const status = w.querySelector('.sw-status');
  const toolbar = pane ? pane.querySelector('.jupyter-matplotlib-toolbar') : null;
  return {
    figure: !!figure,
    toolbar: toolbar ? Number(getComputedStyle(toolbar).opacity) : -1,
    img: !!(pane && pane.querySelector('img')),
    note: text(w.querySelector('.sw-drawing-note')),
    stale: !!(pane && pane.classList.contains('sw-stale')),
    opacity: pane && pane.querySelector('.sw-diagram-canvas')
      ? Number(getComputedStyle(pane.querySelector('.sw-diagram-canvas')).opacity) : -1,
    width: canvas ? canvas.width : 0,
    height: canvas ? canvas.height : 0,
    colours: colours,
    orange: orange,
    data: data,
    status: text(status),
    kind: status ? ([...status.classList].find((c) => c.startsWith('sw-status-')) || '') : '',
  };
}"""


def write_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))


def wait_canvas(page: Any, what: str, check: Any, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = page.evaluate(CANVAS_JS, LAB_ROOT)
        if state is not None:
            assert state["kind"] != "sw-status-internal", state["status"]
            if check(state):
                return dict(state)
        time.sleep(0.1)
    shown = {k: v for k, v in (state or {}).items() if k != "data"}
    raise AssertionError(f"{what}: not seen within {timeout:.0f} s; last state: {shown}")


class OwnWorkspace:
    """``lab`` opening notebooks in a workspace of their own: JupyterLab restores the
    default workspace's tabs (another test's notebook, whose widget would match the
    selectors and whose tab could take the Run menu) but not a new named one."""

    def __init__(self, lab: Lab, name: str) -> None:
        self._lab = lab
        self._name = name

    def url(self, path: str) -> str:
        return f"{self._lab.base}/lab/workspaces/{self._name}/tree/{path}?token={self._lab.token}"

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._lab, attr)


def shut_down_kernel(lab: Lab, notebook: str, timeout: float = 30.0) -> None:
    """End the notebook's session (its kernel) through the server: a kernel left running
    would let the next notebook's test see "every kernel idle" before its own exists."""

    def call(path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{lab.base}{path}", method=method)
        request.add_header("Authorization", f"token {lab.token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    ids = [s["kernel"]["id"] for s in call("/api/sessions") if s["path"].endswith(notebook)]
    for session in call("/api/sessions"):
        if session["path"].endswith(notebook):
            call(f"/api/sessions/{session['id']}", "DELETE")
    deadline = time.monotonic() + timeout
    while any(k["id"] in ids for k in lab.kernels()) and time.monotonic() < deadline:
        time.sleep(0.2)


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"lab-ipympl-{name}.png"
    page.locator(f"{LAB_ROOT} .sw-diagram").screenshot(path=str(path), animations="disabled")
    return path


@pytest.fixture(scope="module")
def ipympl_page(chromium: Any, lab: Lab) -> Iterator[tuple[Any, list[str]]]:
    pytest.importorskip("ipympl", reason="ipympl is not installed (pip install ipympl)")
    write_notebook(lab.root / NOTEBOOK)
    page = chromium.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        try:
            run_all_cells_in_lab(page, OwnWorkspace(lab, "sw-ipympl"), NOTEBOOK)
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "lab-ipympl-page-failed.png"))
            raise
        yield page, page_errors
    finally:
        page.close()
        shut_down_kernel(lab, NOTEBOOK)


def test_browser_ipympl_canvas_follows_edits_zooms_and_highlights(
        ipympl_page: tuple[Any, list[str]]) -> None:
    page, page_errors = ipympl_page
    w = WidgetPage(page, LAB_ROOT, "lab-ipympl")
    before = wait_canvas(page, "the ipympl drawing", lambda s: s["figure"] and s["colours"] > 3
                         and s["orange"] > 0 and "41 parameters" in s["status"])
    shot(page, "initial")
    assert not before["img"], "an <img> is shown next to the ipympl canvas"
    assert before["toolbar"] >= 0, "no ipympl toolbar (pan, zoom)"
    assert before["note"] == "", before["note"]
    assert before["width"] > 100 and before["height"] > 50, before

    w.type_units(0, "9")  # 4 → 9 neurons in the first layer: 81 parameters, a taller drawing
    # the canvas's size and its pixels come in separate messages: wait for both
    after = wait_canvas(page, "the redrawn ipympl drawing", lambda s: "81 parameters"
                        in s["status"] and s["data"] != before["data"] and s["colours"] > 3
                        and s["height"] > before["height"] and s["width"] <= MAX_WIDTH)
    shot(page, "units-9")
    w.shot("widget")
    assert after["figure"] and not after["img"], after
    assert after["height"] > before["height"], (before["height"], after["height"])
    assert after["width"] <= MAX_WIDTH, after["width"]  # fits the tab beside the editor

    # the toolbar shows under the pointer; its zoom tool redraws a part of the drawing
    canvas = page.locator(f"{LAB_ROOT} .sw-diagram .jupyter-matplotlib-canvas-div")
    canvas.hover()
    wait_canvas(page, "the toolbar under the pointer", lambda s: s["toolbar"] > 0.9)
    page.locator(f"{LAB_ROOT} .sw-diagram .jupyter-matplotlib-toolbar button"
                 "[title^='Zoom to rectangle']").click()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 0.1 * box["width"], box["y"] + 0.2 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.4 * box["width"], box["y"] + 0.6 * box["height"], steps=5)
    page.mouse.up()
    # the input's squares fill the zoomed canvas: many times more of their orange
    zoomed = wait_canvas(page, "the zoomed drawing",
                         lambda s: s["orange"] > 5 * max(after["orange"], 1))
    shot(page, "zoomed")
    assert "81 parameters" in zoomed["status"]
    assert (zoomed["width"], zoomed["height"]) == (after["width"], after["height"])

    # selecting a layer highlights it in the drawing and keeps the zoom
    w.click(".sw-layer-0 .sw-select-layer")
    selected = wait_canvas(page, "the selected layer drawn", lambda s: s["data"] != zoomed["data"]
                           and s["orange"] > 5 * max(after["orange"], 1))
    shot(page, "selected")
    assert "81 parameters" in selected["status"]

    # an invalid value: the canvas stays, dimmed, showing the last valid model
    w.type_units(1, "0")
    stale = wait_canvas(page, "the stale drawing", lambda s: s["stale"]
                        and s["kind"] == "sw-status-invalid" and s["opacity"] < 0.9)
    shot(page, "stale")
    assert stale["opacity"] < 0.9 and stale["figure"], stale
    assert stale["data"] == selected["data"], "the drawing changed for an invalid value"
    assert before["opacity"] == 1, before
    assert w.tracebacks() == []
    assert page_errors == []
