"""Render-speed benchmark for the network drawing (figures measured in this run).

    MPLBACKEND=Agg python benchmarks/render.py [--repeat N]

Every time is compared with the same baseline, the one ``benchmarks/widget.py`` uses
too: an empty figure of the same size encoded with the same call (``png_bytes``: same
dpi, background and PNG encoder), measured in the same run, alternating with ours so
that load from other processes falls on both alike. Prints, as medians over N runs:

- the seed network (3 → 4 → 4 → 1) as a notebook shows it (``_repr_html_``'s drawing:
  draw + SVG written from the artists, rasterised by the browser) and as PNG
  (``_repr_png_``: draw + Agg + PNG, for frontends without HTML), each against the
  baseline (target ≤ 1.5×); the raster alone (no PNG encoding) for information;
  and, for scale, a second baseline: matplotlib's own ``savefig(format="png")`` of an
  empty figure of the same size with default options (Pillow's encoder; no target);
- a Dense layer of 100,000 units against one of 10 (target ≤ 1.2×);
- a 20-layer mixed model, draw + SVG and draw + PNG (target: median under 50 ms), their
  ratios, and the same second baseline;
- the widget's redraw of the seed network: scene + SVG at the widget's 80 dpi (no
  matplotlib artists at all; target: a few ms);
- real architectures (ResNet50, DenseNet121 as ``keras.applications`` builds them):
  picture size at the display's 100 dpi (target within 4,000 × 4,000 px, aspect ≤ 4:1)
  and the notebook display's time, cold (first labels outlined) and warm (target < 2 s);
- 1,000- and 5,000-layer models: display time and peak memory added (targets ≤ 300 MB
  and a few seconds; wall time, and the peak traced by ``tracemalloc`` in a second
  display, in a fresh process each).

Times are CPU time of this process (``time.process_time``), so that other work on a
shared machine does not count; on an idle machine wall time is the same.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.render.drawing import draw, scene
from shapewidget.render.export import display_bundle, figure_bytes, inline_svg, png_bytes
from shapewidget.render.scene_mpl import rasterize
from shapewidget.render.scene_svg import scene_svg

TESTS = Path(__file__).resolve().parents[1] / "tests"


def alternating_ms(*fns: Callable[[], Any], repeat: int) -> list[float]:
    """Median CPU milliseconds of each of ``fns``, run in turn after a warm-up."""
    for f in fns:
        f()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for f, ts in zip(fns, times, strict=True):
            t = time.process_time()
            f()
            ts.append(time.process_time() - t)
    return [statistics.median(ts) * 1000 for ts in times]


def paired_ms(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median CPU milliseconds of ``a`` and of ``b``, run alternately after a warm-up."""
    ta, tb = alternating_ms(a, b, repeat=repeat)
    return ta, tb


def empty_figure(like: Figure) -> Figure:
    """A ready empty Figure of ``like``'s size, dpi and background (nothing drawn)."""
    fig = Figure(figsize=tuple(like.get_size_inches()), dpi=like.dpi,
                 facecolor=like.get_facecolor())
    FigureCanvasAgg(fig)
    return fig


def ratio_line(label: str, ours: float, base: float, target: str) -> str:
    return (f"  {label:<40} {ours:7.1f} ms | empty figure, same call {base:6.1f} ms | "
            f"{ours / base:5.2f}×  ({target})")


def savefig_line(ours: float, mpl: float) -> str:
    """The second baseline: what matplotlib itself takes for a picture of this size."""
    return (f"  {'matplotlib savefig(png), empty figure':<40} {mpl:7.1f} ms | "
            f"ours {ours / mpl:5.2f}× that  (second baseline, default savefig options)")


def savefig_png(fig: Figure, dpi: float) -> bytes:
    """``fig`` as PNG by matplotlib itself, default options."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def seed() -> Model:
    return Model([{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4},
                  {"type": "Dense", "units": 1}], input_dim=3)


def dense(units: int) -> Model:
    return Model([{"type": "Dense", "units": 64}, {"type": "Dense", "units": units},
                  {"type": "Dense", "units": 10}], input_shape=(784,))


def mixed20() -> Model:
    if "Conv2D" in LAYER_TYPES and "BatchNormalization" in LAYER_TYPES:
        layers: list[dict[str, Any]] = []
        for filters in (16, 32, 64):
            layers += [{"type": "Conv2D", "filters": filters, "kernel_size": 3,
                        "padding": "same", "activation": "relu"},
                       {"type": "BatchNormalization"},
                       {"type": "Conv2D", "filters": filters, "kernel_size": 3,
                        "padding": "same", "activation": "relu"},
                       {"type": "MaxPooling2D", "pool_size": 2},
                       {"type": "Dropout", "rate": 0.25}]
        layers += [{"type": "Flatten"}, {"type": "Dense", "units": 256, "activation": "relu"},
                   {"type": "Dropout", "rate": 0.5}, {"type": "Dense", "units": 64},
                   {"type": "Dense", "units": 10, "activation": "softmax"}]
        return Model(layers, input_shape=(64, 64, 3))
    dense_only: list[dict[str, Any]] = []
    for i in range(10):
        dense_only += [{"type": "Dense", "units": 16 + 8 * i}, {"type": "Dropout", "rate": 0.2}]
    return Model(dense_only, input_shape=(8,))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    repeat = parser.parse_args().repeat
    dpi = 100  # what _repr_png_ uses

    def png(model: Model) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
        """Ours (like ``_repr_png_``), the baseline (the same PNG call on an empty figure
        of the same size) and the second baseline (matplotlib's own ``savefig`` of
        another empty figure of that size, default options)."""
        summary = model.analyze()
        fig = draw(summary, panel=True)  # as _repr_png_ draws it
        empty = empty_figure(fig)
        empty_mpl = empty_figure(fig)

        def base() -> None:
            png_bytes(empty, dpi)

        def mpl() -> None:
            savefig_png(empty_mpl, dpi)
        return (lambda: figure_bytes(summary, "png", dpi=dpi)), base, mpl

    def display(model: Model) -> Callable[[], Any]:
        """What a notebook shows: ``_repr_html_``'s drawing (draw + SVG)."""
        summary = model.analyze()
        return lambda: inline_svg(summary)

    def raster(model: Model) -> tuple[Callable[[], Any], Callable[[], Any]]:
        summary = model.analyze()
        fig = Figure(dpi=dpi)
        FigureCanvasAgg(fig)
        draw(summary, fig=fig)
        empty = empty_figure(fig)

        def run() -> None:
            draw(summary, fig=fig)
            rasterize(fig)  # what png_bytes rasterises with
        return run, empty.canvas.draw

    s = seed()
    w, h = draw(s.analyze()).get_size_inches()
    print(f"seed network 3 → 4 → 4 → 1 (figure {w:.2f} × {h:.2f} in, dpi {dpi})")
    _, base_fn, mpl_fn = png(s)
    ours, base, mpl = alternating_ms(display(s), base_fn, mpl_fn, repeat=repeat)
    print(ratio_line("draw + SVG (_repr_html_, the notebook)", ours, base, "target ≤ 1.5×"))
    print(savefig_line(ours, mpl))
    ours, base, mpl = alternating_ms(*png(s), repeat=repeat)
    print(ratio_line("draw + PNG (_repr_png_)", ours, base, "target ≤ 1.5×"))
    print(savefig_line(ours, mpl))
    print(ratio_line("draw + raster only (no PNG)", *paired_ms(*raster(s), repeat),
                     "for information").replace("same call", "raster only"))
    print("Dense units 100,000 vs units 10")
    big, small = paired_ms(raster(dense(100_000))[0], raster(dense(10))[0], repeat)
    print(f"  draw + raster: units=100,000 {big:6.1f} ms | units=10 {small:6.1f} ms | "
          f"{big / small:5.2f}× (target ≤ 1.2×)")
    m = mixed20()
    kinds = sorted({r.class_name for r in m.analyze().rows})
    w, h = draw(m.analyze()).get_size_inches()
    print(f"20-layer mixed model ({', '.join(kinds)}; figure {w:.1f} × {h:.1f} in)")
    _, base_fn, mpl_fn = png(m)
    ours, base, mpl = alternating_ms(display(m), base_fn, mpl_fn, repeat=repeat)
    print(ratio_line("draw + SVG (_repr_html_, the notebook)", ours, base,
                     "target median < 50 ms"))
    print(savefig_line(ours, mpl))
    ours, base, mpl = alternating_ms(*png(m), repeat=repeat)
    print(ratio_line("draw + PNG (_repr_png_)", ours, base, "target median < 50 ms"))
    print(savefig_line(ours, mpl))
    print(f"  draw + raster only (no PNG)              "
          f"{paired_ms(*raster(m), repeat)[0]:7.1f} ms")


def widget_redraw(repeat: int) -> None:
    summary = seed().analyze()
    ms = alternating_ms(lambda: scene_svg(scene(summary, highlight=1), 80), repeat=repeat)[0]
    print(f"widget redraw, seed network (scene + SVG at 80 dpi)   {ms:6.2f} ms  "
          "(target: a few ms)")


def architectures() -> None:
    sys.path.insert(0, str(TESTS))
    from render_helpers import densenet121_spec, resnet50_spec

    for name, spec in (("ResNet50", resnet50_spec()), ("DenseNet121", densenet121_spec())):
        summary = Model.from_spec(spec).analyze()
        t = time.perf_counter()
        display_bundle(summary)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        display_bundle(summary)
        warm = time.perf_counter() - t
        sc = scene(summary)
        w, h = sc.width * 100, sc.height * 100
        print(f"{name:<12} {len(summary.rows)} layers: {w:,.0f} × {h:,.0f} px at 100 dpi "
              f"(aspect {max(w / h, h / w):.2f}:1), display {cold:.2f} s cold, "
              f"{warm:.2f} s warm  (targets ≤ 4,000 px, ≤ 4:1, < 2 s)")


_BIG = """
import sys, time, tracemalloc
sys.path.insert(0, {root!r})
from shapewidget import Model
import shapewidget.render.export
n = {n}
m = Model([{{"type": "Dense", "units": 4 + i % 50}} for i in range(n)], input_shape=(3,))
m.analyze()
t = time.perf_counter()
m._repr_mimebundle_()
dt = time.perf_counter() - t  # the time without tracing
tracemalloc.start()
m._repr_mimebundle_()
extra = tracemalloc.get_traced_memory()[1] / 2 ** 20  # the peak, Python and numpy
tracemalloc.stop()
print(f"{{n:,}}-layer model: display {{dt:.2f}} s, peak memory +{{extra:.0f}} MB")
"""


def big_models() -> None:
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    for n in (1000, 5000):
        out = subprocess.run([sys.executable, "-c", _BIG.format(root=root, n=n)],
                             capture_output=True, text=True, check=True)
        print(out.stdout.strip() + "  (targets ≤ 300 MB, a few seconds)")


if __name__ == "__main__":
    main()
    widget_redraw(30)
    architectures()
    big_models()
