"""Widget latency in a real browser: from an interaction to the updated page, in JupyterLab.

Run: ``python benchmarks/browser_latency.py`` (``--repeat 20``, ``--json out.json``).
Needs what the browser tests need: JupyterLab, PyPI ``playwright`` and Chromium at
/usr/bin/chromium (see tests/browser/).

In one JupyterLab page (headless Chromium) showing the 3 → 4 → 4 → 1 network and, in
another cell, a probe checkbox whose handler only copies its value into a label:

1. baseline: click the probe → the label shows the new value (a widget round trip
   through the kernel with nothing computed);
2. units of the first layer changed → the shape table shows the new shape, and →
   the new drawing is decoded, ready to paint;
3. a layer added and removed (rows created and closed) → rows and drawing updated.

Each interaction is timed inside the page (``performance.now()`` from the event sent to
the mutation that shows the result), the kinds interleaved so that both see the same
machine load, each one ``--gap`` seconds after the previous so that the widget's draw
throttle never delays it. Medians are printed with their ratio to the baseline.

Measured in session 2 (JupyterLab 4.6, Chromium 156, 2 shared cores, load ≈ 5, drawing
sent as PNG): baseline 31 ms; units → table 44 ms (1.4×), → drawing 98 ms (3.2×); a layer
added or removed → rows 640 ms (21×), → drawing 960 ms (31×).
Session 3 (load ≈ 2, drawing sent as SVG written from the artists, rows kept by position):
baseline 20 ms; units → table 35 ms (1.7×), → drawing decoded 63 ms (3.2×); a layer added
or removed → rows 130 ms (6.5×), → drawing 240 ms (12×).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

from browser_harness import (
    LAB_ROOT,
    Lab,
    launch_chromium,
    run_all_cells_in_lab,
    temp_dir,
)

NOTEBOOK = "latency.ipynb"
CELLS = [
    """import ipywidgets as W
import shapewidget as sw

model = sw.Model(input_shape=(3,), layers=[
    {"type": "Dense", "units": 4},
    {"type": "Dense", "units": 4},
    {"type": "Dense", "units": 1},
])
w = sw.ShapeWidget(model)
w""",
    """# the baseline: a round trip that computes nothing
probe = W.Checkbox(value=False, description="probe")
echo = W.Label("False")
probe.add_class("sw-bench-probe")
echo.add_class("sw-bench-echo")
probe.observe(lambda change: setattr(echo, "value", str(change.new)), names="value")
W.HBox([probe, echo])""",
]

# Resolves with milliseconds from the triggering event to each awaited result.
MEASURE_JS = """async ([root, kind, value]) => {
  const w = document.querySelector(root);
  const t0 = performance.now();
  const img0 = (w.querySelector('.sw-diagram img') || {}).src;
  const done = {};
  return await new Promise((resolve, reject) => {
    let obs = null;
    const timer = setTimeout(() => { obs.disconnect();
      reject(new Error(kind + ': no update within 30 s')); }, 30000);
    const finish = () => { obs.disconnect(); clearTimeout(timer); resolve(done); };
    const drawing = () => {
      const img = w.querySelector('.sw-diagram img');
      if (done.drawing === undefined && done.pending === undefined && img && img.src !== img0) {
        done.pending = true;
        img.decode().catch(() => null).then(() => {
          done.drawing = performance.now() - t0; delete done.pending; check(); });
      }
    };
    const check = () => {
      const now = performance.now() - t0;
      if (kind === 'probe') {
        const label = document.querySelector('.jp-OutputArea-output .sw-bench-echo');
        if (label && label.textContent.trim() === value) { done.probe = now; finish(); }
        return;
      }
      if (kind === 'units') {
        const table = w.querySelector('.sw-table table');
        if (done.table === undefined && table
            && table.textContent.includes('(None, ' + value + ')')) done.table = now;
      } else {
        const rows = w.querySelectorAll('.sw-layers .sw-layer').length;
        if (done.rows === undefined && rows === Number(value)) done.rows = now;
      }
      drawing();
      if ((done.table !== undefined || done.rows !== undefined)
          && done.drawing !== undefined) finish();
    };
    obs = new MutationObserver(check);
    obs.observe(document.querySelector('.jp-Notebook'),
                {subtree: true, childList: true, attributes: true, characterData: true});
    if (kind === 'probe') {
      document.querySelector('.jp-OutputArea-output .sw-bench-probe input').click();
    } else if (kind === 'units') {
      const input = w.querySelector('.sw-layer-0 .sw-units input');
      input.value = value;
      input.dispatchEvent(new Event('change', {bubbles: true}));
    } else if (kind === 'add') {
      w.querySelector('.sw-add-layer').click();
    } else {
      w.querySelector('.sw-layer-3 .sw-remove-layer').click();
    }
  });
}"""


def write_notebook(folder: Path) -> None:
    cells: list[dict[str, Any]] = [
        {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
         "outputs": [], "source": source} for i, source in enumerate(CELLS)]
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}}}
    (folder / NOTEBOOK).write_text(json.dumps(nb, indent=1))


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def run(repeat: int, warmup: int, rows_repeat: int, gap: float) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {"probe": [], "table": [], "drawing": [],
                                       "rows": [], "rows_drawing": []}
    with temp_dir("sw-latency-") as tmp:
        root = tmp / "notebooks"
        root.mkdir()
        write_notebook(root)
        lab = Lab(tmp, root, tmp / "jupyterlab.log")
        try:
            with sync_playwright() as playwright:
                context = launch_chromium(playwright, tmp / "chromium")
                try:
                    page = context.new_page()
                    run_all_cells_in_lab(page, lab, NOTEBOOK)
                    page.wait_for_selector(f"{LAB_ROOT} .sw-diagram img")
                    probe_value = False

                    def measure(kind: str, value: str) -> dict[str, float]:
                        time.sleep(gap)
                        found: dict[str, float] = page.evaluate(
                            MEASURE_JS, [LAB_ROOT, kind, value])
                        return found

                    units = 5  # a new value each time: no drawing comes from the cache
                    for i in range(warmup + repeat):
                        probe_value = not probe_value
                        p = measure("probe", str(probe_value))
                        u = measure("units", str(units))
                        units += 1
                        if i >= warmup:
                            results["probe"].append(p["probe"])
                            results["table"].append(u["table"])
                            results["drawing"].append(u["drawing"])
                    for i in range(warmup + rows_repeat):
                        for kind, count in (("add", "4"), ("remove", "3")):
                            r = measure(kind, count)
                            if i >= warmup:
                                results["rows"].append(r["rows"])
                                results["rows_drawing"].append(r["drawing"])
                    versions = {"chromium": context.browser.version if context.browser
                                else "?"}
                finally:
                    context.close()
        finally:
            lab.stop()
    out: dict[str, Any] = {k: summary(v) for k, v in results.items() if v}
    base = out["probe"]["median"]
    for key in ("table", "drawing", "rows", "rows_drawing"):
        if key in out:
            out[key]["ratio"] = out[key]["median"] / base
    out["settings"] = {"repeat": repeat, "warmup": warmup, "rows_repeat": rows_repeat,
                       "gap_s": gap, **versions}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20,
                        help="interactions of each kind (default 20)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rows-repeat", type=int, default=5,
                        help="add/remove pairs (default 5; 0 to skip)")
    parser.add_argument("--gap", type=float, default=0.6,
                        help="seconds between interactions (default 0.6)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out = run(args.repeat, args.warmup, args.rows_repeat, args.gap)
    s = out["settings"]
    print(f"JupyterLab, headless Chromium {s['chromium']}: {args.repeat} interactions of "
          f"each kind after {args.warmup} warm-ups, {args.gap} s apart")
    labels = {
        "probe": "baseline: checkbox → echo label (nothing computed)",
        "table": "units changed → shape table updated",
        "drawing": "units changed → new drawing decoded",
        "rows": "layer added/removed → rows updated",
        "rows_drawing": "layer added/removed → new drawing decoded",
    }
    for key, label in labels.items():
        if key not in out:
            continue
        r = out[key]
        ratio = f"{r['ratio']:5.1f}× baseline" if "ratio" in r else "      baseline"
        print(f"  {label:<44} median {r['median']:7.1f} ms  {ratio}  "
              f"(min {r['min']:.1f}, max {r['max']:.1f}, n={r['n']})")
    print(f"  total run time {time.perf_counter() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
