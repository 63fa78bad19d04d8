"""What each column of a drawing shows: the input tensor, a layer, the broken layer.

Shared by the Sequential drawing (:mod:`.drawing`) and the graph drawing
(:mod:`.graph_drawing`): both build their glyphs from :class:`Column`. Plain data.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..shapes import Shape, format_shape, num_values
from ..summary import Summary, SummaryRow
from ..text import Lang, Msg, register
from . import glyphs, table
from . import labels as lb
from .collapse import Unit, composition

MAX_SLOTS = 8        # a column shows at most this many slots ...
HEAD = glyphs.head_slots(MAX_SLOTS)  # ... when eliding: HEAD, a gap mark, the last one
MARGIN = 0.3


def slots_for(n: int | None) -> tuple[list[int | None], int | None]:
    """Indices to draw for ``n`` items and how many are hidden (see
    :func:`.glyphs.elided_slots`); ``n`` unknown: three and a gap."""
    return glyphs.elided_slots(n, MAX_SLOTS, 3)


@dataclass
class Column:
    """One thing drawn in a column: the input tensor, a layer, a ghost or the broken layer."""

    role: str                     # input | layer | ghost | broken
    kind: str                     # vector | neurons | block | sheet | broken
    family: str
    name: str
    title: str
    subtitle: str = ""
    args: str = ""
    shape: str = ""
    note: str = ""
    edge: str = ""                # weight shapes of the edges into this column
    row: SummaryRow | None = None
    members: tuple[int, ...] = ()  # a collapsed group: the indices of all its layers
    count: int | None = None      # values / neurons on the last axis
    slots: list[int | None] = field(default_factory=list)
    hidden: int | None = 0
    dims: tuple[int | None, int | None, int | None] = (None, None, None)  # h, w, c
    steps: int | None = None      # recurrent: time steps of the input (None: unknown)
    seq: bool = False             # recurrent: draw the time axis
    all_steps: bool = False
    gw: float = 0.0               # glyph width and height (inches)
    gh: float = 0.0
    x: float = 0.0
    y: float = 0.0
    label_w: float = 0.0

    @property
    def index(self) -> int | None:
        return None if self.row is None else self.row.index

    def shows(self, index: int | None) -> bool:
        """Whether layer ``index`` is drawn in this column (itself or in its group)."""
        return index is not None and (index == self.index or index in self.members)


# --- building the columns ---------------------------------------------------------------

def _vector_or_block(shape: Shape, first: bool) -> tuple[str, tuple[int | None, int | None,
                                                                      int | None]]:
    """How a tensor of ``shape`` (batch included) is drawn and its face dimensions."""
    rest = shape[1:]
    if len(rest) <= 1:
        return "vector", (None, None, None)
    if len(rest) == 2:
        return "sheet", (rest[0], rest[1], None)
    if first:  # channels_first: (C, H, W)
        return "block", (rest[-2], rest[-1], rest[0])
    return "block", (rest[-3], rest[-2], rest[-1])


def column_for_row(row: SummaryRow, lang: Lang, fmt_first: bool,
                    show_weight_shapes: bool) -> Column:
    fam = lb.family_of(row.class_name)
    out = row.output_shape
    last = out[-1] if len(out) > 1 else None
    col = Column(role="layer", kind="vector", family=fam, name=row.name, title=row.name,
                 subtitle=lb.subtitle(row), args=wrap_args(lb.key_args(row, lang)),
                 shape=format_shape(out), row=row)
    if show_weight_shapes and row.weights:
        col.edge = lb.weight_text(row)
    neurons = lb.drawn_as_neurons(row) or lb.is_recurrent(row)
    if neurons and len(out) >= 2:
        col.kind = "neurons"
        col.count = last
        col.slots, col.hidden = slots_for(last)
        if lb.is_recurrent(row):
            col.steps = lb.time_steps(row)
            col.seq = True
            col.all_steps = lb.returns_sequences(row)
            steps = "?" if col.steps is None else col.steps
            col.note = (Msg("draw.all_steps", {"n": steps}).render(lang) if col.all_steps
                        else Msg("draw.last_step").render(lang))
        elif len(out) > 2:
            positions = num_values(out[1:-1])
            col.note = Msg("draw.each_position", {"n": table.n(positions)}).render(lang)
    else:
        kind, dims = _vector_or_block(out, fmt_first)
        col.kind = kind
        col.dims = dims
        if kind in ("block", "sheet") and out == row.input_shape and fam in (
                "normalization", "core", "activation", "regularization", "preprocessing"):
            col.kind = "plate"  # same map, values changed one by one: a compact glyph
        if kind == "vector":
            col.count = last
            col.slots, col.hidden = slots_for(last)
        else:
            col.note = lb.block_label(out)
    if col.kind in ("vector", "neurons"):
        col.note = lb.with_hidden(col.note, col.hidden, lang)
    return col


def input_column(name: str, title: str, shape: Shape, first: bool, lang: Lang) -> Column:
    """An input tensor of ``shape`` (batch included); ``first``: channels first."""
    kind, dims = _vector_or_block(shape, first)
    col = Column(role="input", kind=kind, family="input", name=name, title=title,
                 args=Msg("draw.input.sub").render(lang), shape=format_shape(shape),
                 dims=dims)
    if kind == "vector":
        col.count = shape[-1] if len(shape) > 1 else None
        col.slots, col.hidden = slots_for(col.count)
        col.note = lb.with_hidden("", col.hidden, lang)
    else:
        col.note = lb.block_label(shape)
    return col


register("draw.group.times", "block ×{n}", "ブロック ×{n}")
register("draw.group.layers", "{layers} layers · {params} params",
         "{layers} 層 · パラメータ {params} 個")


def group_column(unit: Unit, lang: Lang) -> Column:
    """A collapsed run of layers (:class:`.collapse.Unit`): one glyph, ×n."""
    rows = unit.rows
    title = unit.title or f"{rows[0].name}..{rows[-1].name}"
    # coloured as the family holding most of its parameters (its convolutions)
    weights: Counter[str] = Counter()
    for r in rows:
        weights[lb.family_of(r.class_name)] += r.params or 0
    family = weights.most_common(1)[0][0] if sum(weights.values()) else lb.family_of(
        rows[0].class_name)
    return Column(role="layer", kind="group", family=family, name=title, title=title,
                  subtitle=Msg("draw.group.times", {"n": unit.times}).render(lang)
                  if unit.times > 1 else "",
                  args=wrap_parts(composition(unit), 26),
                  shape=format_shape(unit.output.output_shape),
                  note=Msg("draw.group.layers", {"layers": f"{unit.layers:,}",
                                                 "params": f"{unit.params:,}"}).render(lang),
                  row=None, count=unit.times,
                  members=tuple(range(rows[0].index, unit.output.index + 1)))


def build_unit_columns(summary: Summary, units: list[Unit], lang: Lang,
                       show_weight_shapes: bool = False) -> list[Column]:
    """The input tensor and one column per unit of a collapsed model."""
    first = False
    cols = [input_column("input", Msg("draw.input").render(lang), summary.input_shape, first,
                         lang)]
    for unit in units:
        for row in unit.rows:
            if lb.family_of(row.class_name) in ("conv", "pooling") and "data_format" in row.args:
                first = lb.channels_first(row)
        if unit.single:
            cols.append(column_for_row(unit.rows[0], lang, first, show_weight_shapes))
        else:
            cols.append(group_column(unit, lang))
    broken = _broken_column(summary, lang)
    return cols if broken is None else [*cols, broken]


def _broken_column(summary: Summary, lang: Lang) -> Column | None:
    """The layer that breaks the model (drawn after what works), if one does."""
    err = summary.error
    if err is None:
        return None
    name = err.layer_name or "?"
    return Column(role="broken", kind="broken", family="error", name=name, title=name,
                  subtitle=err.layer_type or "", args=Msg("draw.broken").render(lang),
                  shape="—")


def build_columns(summary: Summary, lang: Lang = "en",
                  show_weight_shapes: bool = False) -> list[Column]:
    """The input tensor, every layer that works, and the broken layer if there is one."""
    first = any(lb.channels_first(r) for r in summary.rows[:1]
                if lb.family_of(r.class_name) in ("conv", "pooling"))
    cols = [input_column("input", Msg("draw.input").render(lang), summary.input_shape, first,
                         lang)]
    for row in summary.rows:
        if lb.family_of(row.class_name) in ("conv", "pooling") and "data_format" in row.args:
            first = lb.channels_first(row)
        cols.append(column_for_row(row, lang, first, show_weight_shapes))
    broken = _broken_column(summary, lang)
    return cols if broken is None else [*cols, broken]


# --- measuring ----------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def text_width(text: str, size: float, factor: float = 0.62) -> float:
    """Estimated width in inches of ``text`` at ``size`` points (wide glyphs count double)."""
    units = max(sum(1.65 if ord(ch) > 0x2E80 else 1.0 for ch in line)
                for line in text.split("\n"))
    return units * size * factor / 72


def wrap_args(args: str, width: int = 18) -> str:
    """Long argument lists on two lines: ``16 filters 3×3`` / ``same · relu``."""
    parts = args.split(" · ")
    if len(args) <= width or len(parts) < 2:
        return args
    return parts[0] + "\n" + " · ".join(parts[1:])


def wrap_parts(text: str, width: int) -> str:
    """``a · b · c`` in lines of about ``width`` characters, broken between parts."""
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "\n".join(lines)


def error_caption(summary: Summary, lang: Lang) -> str:
    """``Error: …`` under the drawing of a model that breaks; empty if it works."""
    if summary.error is None:
        return ""
    return Msg("draw.error", {"message": summary.error.message(lang)}).render(lang)


def wrap_caption(text: str, width: float, font_size: float) -> list[str]:
    """``text`` in lines that fit a drawing ``width`` inches wide (at 0.9 × the size)."""
    chars = max(int((width - 2 * MARGIN) * 72 / (font_size * 0.9 * 0.6)), 30)
    return textwrap.wrap(text, chars)


def col_fields(col: Column) -> dict[str, Any]:
    return {k: getattr(col, k) for k in col.__dataclass_fields__}


