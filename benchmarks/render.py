"""Render-speed benchmark for the network drawing (figures measured in this run).

    MPLBACKEND=Agg python benchmarks/render.py [--repeat N]

Prints, each as a median over N runs:
- the seed network (3 → 4 → 4 → 1) drawn and rendered to PNG, against an empty figure
  of the same size rendered the same way (target ≤ 1.5×);
- a Dense layer of 100,000 units against one of 10 (target ≤ 1.2×);
- a 20-layer mixed model (target: median under 50 ms).

Times are CPU time of this process (``time.process_time``), so that other work on a
shared machine does not count; wall time is the same on an idle machine.

"Rendered" means what a notebook or the widget pays: build the artists and rasterise
them with Agg (``canvas.draw()``), reusing one Figure as the widget does; PNG encoding
is shown too, as a separate line, since it depends on the image size more than on us.
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
from shapewidget.render.drawing import draw
from shapewidget.render.export import figure_bytes


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm up (fonts, caches)
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times) * 1000


def paired_ms(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run alternately, so that load from other processes on
    the machine falls on both alike."""
    a()
    b()
    ta, tb = [], []
    for _ in range(repeat):
        t = time.process_time()
        a()
        ta.append(time.process_time() - t)
        t = time.process_time()
        b()
        tb.append(time.process_time() - t)
    return statistics.median(ta) * 1000, statistics.median(tb) * 1000


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

    def render(model: Model) -> Callable[[], Any]:
        summary = model.analyze()
        fig = Figure()
        FigureCanvasAgg(fig)

        def run() -> None:
            draw(summary, fig=fig)
            fig.canvas.draw()
        return run

    def to_png(model: Model) -> Callable[[], Any]:
        summary = model.analyze()
        fig = Figure()
        FigureCanvasAgg(fig)

        def run() -> None:
            draw(summary, fig=fig)
            fig.savefig(io.BytesIO(), format="png", dpi=100)
        return run

    def empty(size: tuple[float, float], png: bool) -> Callable[[], Any]:
        # the strictest baseline: a ready-made empty figure of the same size, only drawn
        fig = Figure(figsize=size)
        FigureCanvasAgg(fig)
        fig.add_axes((0, 0, 1, 1)).set_axis_off()

        def run() -> None:
            if png:
                fig.savefig(io.BytesIO(), format="png", dpi=100)
            else:
                fig.canvas.draw()
        return run

    def png_from_scratch(model: Model) -> Callable[[], Any]:
        summary = model.analyze()
        return lambda: figure_bytes(summary, "png", dpi=100)

    def empty_png_from_scratch(size: tuple[float, float]) -> Callable[[], Any]:
        def run() -> None:
            fig = Figure(figsize=size)
            FigureCanvasAgg(fig)
            fig.add_axes((0, 0, 1, 1)).set_axis_off()
            fig.savefig(io.BytesIO(), format="png", dpi=100)
        return run

    s = seed()
    w, h = draw(s.analyze()).get_size_inches()
    size = (float(w), float(h))
    print(f"seed network 3 → 4 → 4 → 1 (figure {w:.1f} × {h:.1f} in, dpi 100), target ≤ 1.5×")
    cases = (
        ("PNG from scratch (like _repr_png_)", png_from_scratch(s),
         empty_png_from_scratch(size), "new empty figure → PNG"),
        ("redraw into the same figure + PNG", to_png(s), empty(size, True),
         "ready empty figure → PNG"),
        ("redraw into the same figure, raster", render(s), empty(size, False),
         "ready empty figure, raster"),
    )
    for label, ours_fn, base_fn, base_label in cases:
        ours, base = paired_ms(ours_fn, base_fn, repeat)
        print(f"  {label:<37} {ours:6.1f} ms | {base_label:<27} {base:6.1f} ms | "
              f"{ours / base:5.2f}×")
    print("Dense units 100,000 vs units 10")
    big, small = paired_ms(render(dense(100_000)), render(dense(10)), repeat)
    print(f"  redraw + raster: units=100,000 {big:6.1f} ms | units=10 {small:6.1f} ms | "
          f"{big / small:5.2f}× (target ≤ 1.2×)")
    m = mixed20()
    kinds = sorted({r.class_name for r in m.analyze().rows})
    print(f"20-layer mixed model ({', '.join(kinds)}), target median < 50 ms")
    t = median_ms(render(m), repeat)
    print(f"  redraw into the same figure, raster   {t:6.1f} ms")
    w, h = draw(m.analyze()).get_size_inches()
    ours, base = paired_ms(png_from_scratch(m), empty_png_from_scratch((float(w), float(h))),
                           repeat)
    print(f"  PNG from scratch ({w:.1f} × {h:.1f} in)       {ours:6.1f} ms | "
          f"new empty figure → PNG {base:6.1f} ms | {ours / base:5.2f}×")


if __name__ == "__main__":
    main()
