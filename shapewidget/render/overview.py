"""A model too large to draw in full: an overview card instead of the drawing.

Past :data:`MAX_DRAWN` layers a drawing would be too large to read (and to build and send
quickly); the scene then says so, with the model's size, its input and output shapes and
its most frequent layer types, and the shape table carries the detail.
"""

from __future__ import annotations

from collections import Counter

from ..shapes import format_shape
from ..summary import Summary
from ..text import Lang, Msg, register
from .collapse import Unit
from .painter import Painter
from .scene import Scene
from .theme import Theme

MAX_DRAWN = 120  # columns; more are summarised (see the module's docstring)
MAX_FULL = 600   # layers of a drawing asked for in full (every layer, nothing collapsed)

register("draw.overview.title",
         "{n} layers: too large to draw in full",
         "{n} 層: 大きすぎて全体を描けません")
register("draw.overview.shapes",
         "input {inp} → output {out} · {params} parameters",
         "入力 {inp} → 出力 {out} · パラメータ {params} 個")
register("draw.overview.types",
         "most used: {types}",
         "多い層: {types}")
register("draw.overview.table",
         "The shape table below lists every layer.",
         "各層の形は下の表にあります。")


def needs_overview(summary: Summary, units: list[Unit] | None = None,
                   asked_in_full: bool = False) -> bool:
    """Whether ``summary`` has more columns to draw than a drawing shows
    (:data:`MAX_DRAWN`): its layers, or its collapsed units (:mod:`.collapse`); a
    drawing asked for in full (every layer) up to :data:`MAX_FULL` layers."""
    if asked_in_full:
        return len(summary.rows) > MAX_FULL
    return (len(summary.rows) if units is None else len(units)) > MAX_DRAWN


def overview_scene(summary: Summary, theme: Theme, lang: Lang,
                   highlight: int | None) -> Scene:
    """The overview card of a model too large to draw."""
    rows = summary.rows
    counts = Counter(r.class_name for r in rows).most_common(4)
    types = ", ".join(f"{name} ×{n:,}" for name, n in counts)
    last = rows[-1].output_shape if rows else summary.input_shape
    params = sum(r.params for r in rows)
    lines = [
        (Msg("draw.overview.title", {"n": f"{len(rows):,}"}).render(lang), 1.2, "bold"),
        (Msg("draw.overview.shapes", {"inp": format_shape(summary.input_shape),
                                      "out": format_shape(last),
                                      "params": f"{params:,}"}).render(lang), 1.0, "normal"),
        (Msg("draw.overview.types", {"types": types}).render(lang), 1.0, "normal"),
        (Msg("draw.overview.table").render(lang), 0.9, "normal"),
    ]
    if summary.error is not None:  # what breaks is never hidden by the overview
        lines.insert(1, (Msg("draw.error", {"message": summary.error.message(lang)})
                         .render(lang), 1.0, "error"))
    fs = theme.font_size
    width = 9.0
    line_h = fs * 1.6 / 72
    height = 0.6 + line_h * len(lines)
    scene = Scene(width, height, theme.background)
    painter = Painter(scene, theme, lang, 0.1, highlight)
    painter.box("overview", 0.15, 0.15, width - 0.3, height - 0.3, fill=theme.background,
                edge=theme.edge, lw=theme.edge_width, rounding=0.1, zorder=1)
    y = height - 0.3 - line_h * 0.3
    for text, size, weight in lines:
        colour = {"bold": theme.foreground, "error": theme.error}.get(weight, theme.muted)
        painter.text(0.4, y, text, size=fs * size, gid="overview-text", ha="left", va="top",
                     weight="bold" if weight == "bold" else "normal", color=colour)
        y -= line_h
    return scene
