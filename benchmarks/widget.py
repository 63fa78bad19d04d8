"""Widget speed and memory, kernel side: from a control's new value to every view updated.

Run: ``python benchmarks/widget.py`` (``--edits 1000`` for the memory run, ``--repeat N``).

Measures
1. the seed network (3 → 4 → 4 → 1): one edit with every view updated, drawing included,
   against the baseline (target ≤ 2×);
2. a 20-layer model: median time per edit (target < 50 ms), with and without the drawing,
   and its ratio to the baseline;
3. 50 rapid changes: how many redraws they cause (in an event loop, as in a kernel);
4. memory growth over many edits (target < 5 MB; the figure is reused).

The widget shows the drawing as SVG written from the painted artists (the browser
rasterises it); ``--png`` measures the PNG fallback instead.

Two baselines, both measured in the same run, alternating with the edits, for an empty
figure of the drawing's size and background at the widget's dpi:
- matplotlib's own render of it, ``fig.savefig(buf, format="png")`` with default
  options: what "rendering an empty figure" costs in matplotlib;
- the strict one, also used by ``benchmarks/render.py``: the same empty figure through
  our fast PNG call (``Drawer.encode``: Agg raster + zlib level 1, no filters), about
  2.5× cheaper than savefig.
Times are CPU time of this process (``time.process_time``, as in render.py), so that
other work on this shared machine does not count.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapewidget import Model
from shapewidget.widget import ShapeWidget


def median_ms(fn: Callable[[int], None], repeat: int) -> tuple[float, list[float]]:
    times = []
    for i in range(repeat):
        start = time.process_time()
        fn(i)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), times


def paired_ms(ours: Callable[[int], None], base: Callable[[int], None],
              repeat: int) -> tuple[float, float]:
    """Medians of ``ours`` and ``base`` run alternately (load falls on both alike)."""
    ta, tb = [], []
    for i in range(repeat):
        start = time.process_time()
        ours(i)
        ta.append(time.process_time() - start)
        start = time.process_time()
        base(i)
        tb.append(time.process_time() - start)
    return statistics.median(ta) * 1000, statistics.median(tb) * 1000


def empty_figure(w: ShapeWidget) -> Any:
    """An empty figure of the widget drawing's size, dpi and background."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn = w._drawer._fig
    fig = Figure(figsize=tuple(drawn.get_size_inches()), dpi=w._drawer.dpi,
                 facecolor=drawn.get_facecolor())
    FigureCanvasAgg(fig)
    return fig


def empty_baseline(w: ShapeWidget) -> Callable[[int], None]:
    """The strict baseline: the empty figure encoded by the widget's own fast PNG call."""
    fig = empty_figure(w)

    def render(_i: int) -> None:
        w._drawer.encode(fig)

    render(0)
    return render


def savefig_baseline(w: ShapeWidget) -> Callable[[int], None]:
    """matplotlib's own render of the empty figure: ``savefig`` to PNG, default options."""
    fig = empty_figure(w)

    def render(_i: int) -> None:
        fig.savefig(io.BytesIO(), format="png", dpi=w._drawer.dpi)

    render(0)
    return render


def baseline_lines(edit: Callable[[int], None], w: ShapeWidget, repeat: int,
                   target: str) -> float:
    """Print the edit against both baselines; returns the edit's median (ms)."""
    full, strict = paired_ms(edit, empty_baseline(w), repeat)
    _, mpl = paired_ms(edit, savefig_baseline(w), repeat)
    size = w._drawer.figure_size() or (6.4, 4.8)
    print(f"empty figure {size[0]:.2f}×{size[1]:.2f} in at {w._drawer.dpi:.0f} dpi:")
    print(f"  matplotlib savefig PNG  {mpl:8.1f} ms   ratio edit / it {full / mpl:6.2f}×  {target}")
    print(f"  fast PNG call (strict)  {strict:8.1f} ms   ratio edit / it {full / strict:6.2f}×")
    return full


_values = itertools.count(5)


def edit_units(w: ShapeWidget, row: int = 0) -> Callable[[int], None]:
    control = w.rows[row].controls["units"].widget

    def edit(_i: int) -> None:
        control.value = next(_values)  # a new value every time: no cached drawing is reused
        w.flush()

    return edit


def twenty_layers() -> Model:
    layers = [{"type": "Dense", "units": 8 + (i % 4) * 4, "activation": "relu"}
              for i in range(20)]
    return Model(input_shape=(16,), layers=layers)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def open_widgets() -> int:
    from ipywidgets.widgets import widget

    return len(getattr(widget, "_instances", {}))


def section(title: str) -> None:
    print(f"\n== {title}")


def new_widget(model: Model | None, png: bool) -> ShapeWidget:
    w = ShapeWidget(model=model)
    if png:
        w._drawer.fmt = "png"
    return w


def bench_seed(repeat: int, png: bool) -> None:
    section("seed network 3 → 4 → 4 → 1, one edit → every view updated (drawing shown)")
    w = new_widget(None, png)
    edit = edit_units(w)
    edit(100)
    full = baseline_lines(edit, w, repeat, "(target ≤ 2×)")
    assert w.stats.cache_hits == 0
    print(f"edit with drawing ({w.diagram_image.format}) {full:8.1f} ms (median of {repeat})")
    w.tabs.selected_index = 1
    no_draw, _ = median_ms(edit_units(w), repeat)
    print(f"edit, drawing not shown  {no_draw:8.1f} ms")
    w.close()


def bench_twenty(repeat: int, png: bool) -> None:
    section("20-layer model, one edit → every view updated")
    w = new_widget(twenty_layers(), png)
    edit = edit_units(w, row=10)
    edit(1)
    full = baseline_lines(edit, w, repeat, "")
    print(f"edit with drawing ({w.diagram_image.format}) {full:8.1f} ms (median of {repeat}; "
          f"target < 50 ms)")
    w.tabs.selected_index = 1
    no_draw, _ = median_ms(edit_units(w, row=10), repeat)
    print(f"edit, drawing not shown  {no_draw:8.1f} ms")
    w.close()


def bench_rapid() -> None:
    section("50 rapid changes of units (newest wins)")
    w = ShapeWidget()
    control = w.rows[0].controls["units"].widget

    async def burst(spacing: float) -> None:
        for units in range(1, 51):
            control.value = units + (100 if spacing else 0)
            await asyncio.sleep(spacing)
        await asyncio.sleep(1.0)

    for label, spacing in (("back to back (messages queued)", 0.0),
                           ("one every 16 ms (a 60 Hz drag)", 0.016)):
        draws, refreshes = w.stats.draws, w.stats.refreshes
        start = time.perf_counter()
        asyncio.run(burst(spacing))
        took = time.perf_counter() - start - 1.0
        print(f"{label:34s} refreshes {w.stats.refreshes - refreshes:3d}, "
              f"redraws {w.stats.draws - draws:3d} (in {took:.2f} s)")
    assert w.model.layers[0].units == 150
    draws = w.stats.draws
    for units in range(1, 51):
        control.value = units
    print(f"{'no event loop (plain script)':34s} redraws {w.stats.draws - draws:3d}")
    draws = w.stats.draws
    with w.hold_refresh():
        for units in range(51, 101):
            w.model.set_arg(0, "units", units)
    print(f"{'w.hold_refresh() from Python':34s} redraws {w.stats.draws - draws:3d}")
    w.close()


def bench_memory(edits: int) -> None:
    section(f"memory over {edits} edits (drawing shown, every edit drawn)")
    w = ShapeWidget()

    def one(i: int) -> None:
        k = i % 10
        if k < 3:
            w.rows[0].controls["units"].widget.value = 2 + i % 7
        elif k == 3:
            w.shape_text.value = f"{3 + i % 4},"
        elif k == 4:
            w.rows[1].controls["units"].widget.value = 0  # invalid: shown, not raised
        elif k == 5:
            w.rows[1].controls["units"].widget.value = 3 + i % 5
        elif k == 6:
            w.add_layer("Dense", units=2)
        elif k == 7:
            w.rows[-1].remove.click()
        elif k == 8:
            w.undo()  # the layer is back
        else:
            w.redo()  # and gone again: the model does not grow
        w.flush()

    for i in range(50):  # warm up caches (fonts, glyphs)
        one(i)
    gc.collect()
    rss0, widgets0, draws0 = rss_mb(), open_widgets(), w.stats.draws
    start = time.perf_counter()
    for i in range(edits):
        one(i)
    took = time.perf_counter() - start
    gc.collect()
    rss1, widgets1 = rss_mb(), open_widgets()
    assert w.last_internal_error is None, w.last_internal_traceback
    print(f"edits {edits}, redraws {w.stats.draws - draws0}, {took:.1f} s, "
          f"history {len(w.history)} specs (limit {w.history.limit})")
    print(f"RSS growth            {rss1 - rss0:7.2f} MB   (target < 5 MB)")
    print(f"open widgets          {widgets0} → {widgets1}")
    w.close()
    gc.collect()
    print(f"after close           {open_widgets()} open widgets")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--png", action="store_true", help="measure the PNG fallback")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    # First-use costs out of the way (imports, font cache, each font's glyph outlines,
    # once per process): 30 edits of a throwaway widget, about 0.3 s.
    warm = ShapeWidget()
    warm_edit = edit_units(warm)
    for i in range(30):
        warm_edit(i)
    warm.close()
    bench_seed(args.repeat, args.png)
    bench_twenty(args.repeat, args.png)
    bench_rapid()
    if not args.skip_memory:
        bench_memory(args.edits)


if __name__ == "__main__":
    main()


__all__: list[Any] = []
