"""The network drawing: neurons, weights, feature maps and time steps, with matplotlib.

:func:`draw` reads summary rows only and draws on a Figure or Axes it is given (or a new
non-interactive Figure), so inline display, file export and the widget share one path.

Coordinates are inches: the axes spans the figure, one data unit is one inch, so
circles stay round and text sizes in points can be measured against the layout.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle
from matplotlib.transforms import TransformedPatchPath

from ..shapes import Shape, format_shape, num_values
from ..summary import Summary, SummaryRow
from ..text import Lang, Msg
from . import labels as lb
from . import pathtext
from .fonts import family_for, font_family, japanese_font
from .merged import Cells, Dots, LineSet, Part
from .theme import Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..model import Model

SLOT = 0.30          # vertical distance between two neurons or values
RADIUS = 0.10        # neuron radius
SQUARE = 0.17        # side of a value cell
MAX_SLOTS = 8        # a column shows at most this many slots ...
HEAD = MAX_SLOTS - 2  # ... when eliding: HEAD shown, a gap mark, the last one
MIN_GAP = 0.95       # free space between two glyphs, for the weight lines
MIN_GAP_BLOCKS = 0.6  # ... between two feature maps (a kernel window's projection)
PAD = 0.22           # free space between two labels
MARGIN = 0.3
LINE = 1.35          # line height in font sizes
STRIP_CELL = 0.2     # a time-step cell of a recurrent layer
MAX_STEPS_SHOWN = 5
AXES_GID = "shapewidget-drawing"
PLATE = 0.24         # width of the compact glyph of a layer that keeps the map's shape
ROW_GAP = 0.35       # between two rows of a wrapped drawing
PANEL_ROUNDING = 0.14  # corner radius of the notebook display's panel (inches)


def slots_for(n: int | None) -> tuple[list[int | None], int | None]:
    """Indices to draw for ``n`` items (``None`` marks the gap) and how many are hidden.

    Nothing is elided when everything fits; otherwise the first ``HEAD``, a gap and the
    last one are drawn. ``n`` unknown: three and a gap, hidden count unknown.
    """
    if n is None:
        return [0, 1, 2, None], None
    if n <= MAX_SLOTS:
        return list(range(n)), 0
    return [*range(HEAD), None, n - 1], n - HEAD - 1


def face_size(n: int | None) -> float:
    """Edge length of a feature map's face for an axis of ``n``: log-scaled, bounded."""
    if n is None:
        return 1.0
    return min(0.3 + 0.21 * math.log2(max(n, 1) + 1), 1.8)


def depth_size(c: int | None) -> float:
    if c is None:
        return 0.5
    return min(max(0.06 + 0.11 * math.log2(max(c, 1)), 0.06), 0.9)


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


def _column_for_row(row: SummaryRow, lang: Lang, fmt_first: bool,
                    show_weight_shapes: bool) -> Column:
    fam = lb.family_of(row.class_name)
    out = row.output_shape
    last = out[-1] if len(out) > 1 else None
    col = Column(role="layer", kind="vector", family=fam, name=row.name, title=row.name,
                 subtitle=lb.subtitle(row), args=wrap_args(lb.key_args(row, lang)),
                 shape=format_shape(out), row=row)
    if show_weight_shapes and row.weights:
        col.edge = lb.weight_text(row)
    neurons = row.class_name == "Dense" or lb.is_recurrent(row) or (
        fam == "wrapper" and lb.has_weight(row, "kernel") and len(out) >= 2)
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
            n = num_values(out[1:-1])
            col.note = Msg("draw.each_position",
                           {"n": "?" if n is None else f"{n:,}"}).render(lang)
    else:
        kind, dims = _vector_or_block(out, fmt_first)
        col.kind = kind
        col.dims = dims
        if kind in ("block", "sheet") and out == row.input_shape and fam in (
                "normalization", "core"):
            col.kind = "plate"  # same map, values changed one by one: a compact glyph
        if kind == "vector":
            col.count = last
            col.slots, col.hidden = slots_for(last)
        else:
            col.note = lb.block_label(out)
    if col.kind in ("vector", "neurons") and col.hidden != 0:
        more = (Msg("draw.unknown_size") if col.hidden is None
                else Msg("draw.more", {"n": f"{col.hidden:,}"})).render(lang)
        col.note = f"{more} · {col.note}" if col.note else more
    return col


def build_columns(summary: Summary, lang: Lang = "en",
                  show_weight_shapes: bool = False) -> list[Column]:
    """The input tensor, every layer that works, and the broken layer if there is one."""
    first = any(lb.channels_first(r) for r in summary.rows[:1]
                if lb.family_of(r.class_name) in ("conv", "pooling"))
    kind, dims = _vector_or_block(summary.input_shape, first)
    last = summary.input_shape[-1] if len(summary.input_shape) > 1 else None
    inp = Column(role="input", kind=kind, family="input", name="input",
                 title=Msg("draw.input").render(lang),
                 args=Msg("draw.input.sub").render(lang),
                 shape=format_shape(summary.input_shape), dims=dims)
    if kind == "vector":
        inp.count = last
        inp.slots, inp.hidden = slots_for(last)
        if inp.hidden:
            inp.note = Msg("draw.more", {"n": f"{inp.hidden:,}"}).render(lang)
        elif inp.hidden is None:
            inp.note = Msg("draw.unknown_size").render(lang)
    else:
        inp.note = lb.block_label(summary.input_shape)
    cols = [inp]
    for row in summary.rows:
        if lb.family_of(row.class_name) in ("conv", "pooling") and "data_format" in row.args:
            first = lb.channels_first(row)
        cols.append(_column_for_row(row, lang, first, show_weight_shapes))
    err = summary.error
    if err is not None:
        name = err.layer_name or "?"
        cols.append(Column(role="broken", kind="broken", family="error", name=name,
                           title=name, subtitle=err.layer_type or "",
                           args=Msg("draw.broken").render(lang), shape="—"))
    return cols


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


def _glyph_size(col: Column, show_bias: bool) -> tuple[float, float]:
    if col.kind in ("vector", "neurons"):
        n = len(col.slots) + (1 if show_bias else 0)
        h = max(n, 1) * SLOT
        w = 2 * RADIUS if col.kind == "neurons" else SQUARE
        if col.seq:
            shown = min(col.steps or MAX_STEPS_SHOWN, MAX_STEPS_SHOWN)
            w = max(w, shown * STRIP_CELL * 1.5 + 0.2)
            h += 0.75
        return w, h
    if col.kind == "plate":
        return PLATE, face_size(col.dims[0])
    if col.kind == "sheet":
        steps, feats, _ = col.dims
        return (min(max(0.15 + 0.12 * math.log2(max(feats or 8, 1)), 0.15), 1.0),
                face_size(steps))
    if col.kind == "block":
        bh, bw, bc = col.dims
        d = depth_size(bc)
        return face_size(bw) + 0.7 * d, face_size(bh) + 0.5 * d
    return 0.9, 1.3  # broken


@dataclass
class Layout:
    cols: list[Column]
    rows: list[list[Column]]
    width: float
    height: float
    row_tops: list[float]
    band: dict[str, float]
    caption: list[str]
    scale: float = 1.0


def _label_lines(col: Column) -> list[tuple[str, float, float]]:
    """(text, relative size, width factor) of every label line of a column."""
    return [(col.title, 1.0, 0.72), (col.subtitle, 0.9, 0.62), (col.args, 0.9, 0.62),
            (col.shape, 0.9, 0.62), (col.note, 0.85, 0.62)]


def layout(cols: list[Column], theme: Theme, show_bias: bool = False,
           max_width: float = 15.0, caption: str = "") -> Layout:
    """Glyph sizes, label widths, rows (wrapping long models) and positions, in inches."""
    fs = theme.font_size
    for col in cols:
        col.gw, col.gh = _glyph_size(col, show_bias)
        col.label_w = max(text_width(t, fs * s, f) for t, s, f in _label_lines(col))
    edge_fs = fs * 0.8
    rows = _wrap(cols, fs, edge_fs, max_width)
    width = max(max(c.x + max(c.label_w, c.gw) / 2 for c in r) for r in rows) + MARGIN
    lh = fs * LINE / 72
    any_edge = any(c.edge for c in cols)
    any_sub = any(c.subtitle for c in cols)
    arg_lines = max(c.args.count("\n") + 1 for c in cols)
    band = {"top": (2 + arg_lines if any_sub else 1 + arg_lines) * lh
            + (lh * 0.9 if any_edge else 0.0) + 0.08,
            "bottom": (2 if any(c.note for c in cols) else 1) * lh + 0.1,
            "sub": 1.0 if any_sub else 0.0}
    # room above the glyphs for recurrent loop arrows, a little air otherwise
    heights = [max(c.gh for c in r) + (0.55 if any(c.seq for c in r) else 0.2)
               for r in rows]
    caption_lines: list[str] = []
    if caption:
        chars = max(int((width - 2 * MARGIN) * 72 / (fs * 0.9 * 0.6)), 30)
        caption_lines = textwrap.wrap(caption, chars)
    cap_h = len(caption_lines) * lh * 0.95 + (0.15 if caption_lines else 0.0)
    height = (MARGIN * 2 + sum(band["top"] + h + band["bottom"] for h in heights) + cap_h
              + ROW_GAP * (len(rows) - 1))
    row_tops: list[float] = []
    top = height - MARGIN
    for r, h in zip(rows, heights, strict=True):
        row_tops.append(top)
        mid = top - band["top"] - h / 2
        for c in r:
            c.y = mid
        top -= band["top"] + h + band["bottom"] + ROW_GAP
    band["glyph"] = 0.0
    lay = Layout(cols, rows, width, height, row_tops, band, caption_lines)
    lay.band["heights"] = 0.0
    lay.band.update({f"h{i}": h for i, h in enumerate(heights)})
    return lay


def _place(cols: list[Column], fs: float, edge_fs: float,
           target: float) -> list[list[Column]]:
    """Columns into rows no wider than ``target``; each new row starts with a ghost."""
    rows: list[list[Column]] = [[]]
    x = MARGIN
    prev: Column | None = None
    for col in cols:
        if prev is not None:
            step = _step(prev, col, edge_fs)
            if x + step + col.label_w / 2 + MARGIN > target and len(rows[-1]) > 1:
                ghost = Column(**{**col_fields(prev), "role": "ghost", "subtitle": "",
                                  "args": "", "note": "", "edge": ""})
                ghost.label_w = max(text_width(ghost.shape, fs * 0.9),
                                    text_width("↪ " + ghost.name, fs * 0.85) + 0.3, ghost.gw)
                rows.append([ghost])
                x = MARGIN + max(ghost.label_w, ghost.gw) / 2
                ghost.x = x
                prev = ghost
                step = _step(prev, col, edge_fs)
            x += step
        else:
            x = MARGIN + max(col.label_w, col.gw) / 2
        col.x = x
        rows[-1].append(col)
        prev = col
    return rows


def _row_width(row: list[Column]) -> float:
    return max(c.x + max(c.label_w, c.gw) / 2 for c in row) + MARGIN


def _wrap(cols: list[Column], fs: float, edge_fs: float,
          max_width: float) -> list[list[Column]]:
    """Rows of about equal width, as few as fit in ``max_width``."""
    single = _place(cols, fs, edge_fs, math.inf)
    total = _row_width(single[0])
    if total <= max_width:
        return single
    for n in range(math.ceil(total / max_width), len(cols) + 1):
        # the narrowest rows that still fit the model in n rows
        target = total / n + 1.0
        while target <= max_width:
            rows = _place(cols, fs, edge_fs, target)
            if len(rows) <= n:
                return rows
            target += 0.5
    return _place(cols, fs, edge_fs, max_width)


def shaded(colour: str, towards: float, amount: float) -> tuple[float, float, float]:
    """``colour`` mixed with black (``towards=0``) or white (``towards=1``)."""
    r, g, b = to_rgb(colour)
    return (r + (towards - r) * amount, g + (towards - g) * amount, b + (towards - b) * amount)


def _step(prev: Column, col: Column, edge_fs: float) -> float:
    """Distance between the centres of two neighbouring columns."""
    blocks = prev.kind in ("block", "sheet") and col.kind in ("block", "sheet")
    return max((prev.label_w + col.label_w) / 2 + PAD,
               (prev.gw + col.gw) / 2 + (MIN_GAP_BLOCKS if blocks else MIN_GAP),
               text_width(col.edge, edge_fs) + PAD if col.edge else 0.0)


def col_fields(col: Column) -> dict[str, Any]:
    return {k: getattr(col, k) for k in col.__dataclass_fields__}


# --- drawing ------------------------------------------------------------------------------

class _Painter:
    """Draws one layout on one Axes."""

    def __init__(self, ax: Axes, lay: Layout, theme: Theme, lang: Lang, scale: float,
                 show_bias: bool, highlight: int | None, paths: bool = True) -> None:
        self.paths = paths
        self.noclip = TransformedPatchPath(ax.patch)
        self.arrows: list[tuple[tuple[float, float], tuple[float, float]]] = []
        self.pending: dict[str, tuple[list[tuple[Any, Any]], list[pathtext.LabelRecord]]] = {}
        self._lines: dict[tuple[Any, ...], list[Part]] = {}
        self._dots: dict[tuple[Any, ...], list[Part]] = {}
        self._cells: dict[tuple[Any, ...], tuple[list[Part], list[Any]]] = {}
        self.ax = ax
        self.lay = lay
        self.t = theme
        self.lang = lang
        self.s = scale
        self.show_bias = show_bias
        self.highlight = highlight
        self.family = font_family(lang)
        # merged artists of the Axes' previous drawing, by kind and style (reused when
        # the same style comes up again), and those of this drawing
        self.reuse: dict[tuple[Any, ...], Any] = {}
        self.kept: dict[tuple[Any, ...], Any] = {}

    # helpers -------------------------------------------------------------------------
    def _add(self, coll: Any) -> None:
        # Nothing is clipped. One shared clip path (never used) saves Axes.add_* from
        # building a clip box with its transform callbacks for every artist.
        coll.set_clip_path(self.noclip)
        coll.set_clip_on(False)
        self.ax.add_collection(coll, autolim=False)

    def _add_patch(self, patch: Any) -> None:
        # add_artist, not add_patch: the limits are set by the layout, and add_patch
        # would measure every glyph curve of a label to update them
        patch.set_clip_path(self.noclip)
        patch.set_clip_on(False)
        self.ax.add_artist(patch)

    def lines(self, segs: Any, gid: str, *, color: str, lw: float, zorder: float,
              alpha: float = 1.0, ls: str = "-") -> None:
        """Straight segments, drawn with every other segment of the same style."""
        self._lines.setdefault((color, lw, alpha, ls, zorder), []).append(Part(gid, segs))

    def dots(self, offsets: Any, gid: str, fill: str, edge: str, lw: float,
             alpha: float) -> None:
        """Neurons, drawn with every other neuron of the same style."""
        self._dots.setdefault((fill, edge, lw, alpha), []).append(Part(gid, offsets))

    def cells(self, polys: Any, gid: str, fill: Any, edge: str, lw: float, alpha: float,
              ls: str, zorder: float = 4) -> None:
        """Value cells or feature-map faces (``fill``: one colour, or one per polygon),
        drawn with every other polygon of the same outline style."""
        faces = [fill] * len(polys) if isinstance(fill, str) else list(fill)
        group = self._cells.setdefault((edge, lw, alpha, ls, zorder), ([], []))
        group[0].append(Part(gid, polys))
        group[1].extend(faces)

    def _reused(self, key: tuple[Any, ...]) -> Any:
        """The artist of this style from the Axes' previous drawing, if there is one
        (updating it costs far less than building a new collection); it is kept for
        the next drawing either way."""
        artist = self.reuse.pop(key, None)
        if artist is not None and artist.axes not in (None, self.ax):
            artist = None
        return artist

    def flush_merged(self) -> None:
        """One artist per style for all the lines, neurons and cells gathered."""
        for key, parts in self._lines.items():
            color, lw, alpha, ls, zorder = key
            kept_key: tuple[Any, ...] = ("lines", *key)
            line_set = self._reused(kept_key)
            if line_set is not None:
                line_set.reuse(parts)
            else:
                line_set = LineSet(parts, colors=color, linewidths=lw, alpha=alpha,
                                   linestyles=ls, zorder=zorder)
                line_set.set_gid("lines")
            self.kept[kept_key] = line_set
            self._add(line_set)
        for key, parts in self._dots.items():
            fill, edge, lw, alpha = key
            kept_key = ("neurons", *key)
            dots = self._reused(kept_key)
            if dots is not None:
                dots.reuse(parts)
            else:
                dots = Dots(RADIUS, parts, self.ax, facecolors=fill, edgecolors=edge,
                            linewidths=lw, alpha=alpha, zorder=4)
                dots.set_gid("neurons")
            self.kept[kept_key] = dots
            self._add(dots)
        for key, (parts, faces) in self._cells.items():
            edge, lw, alpha, ls, zorder = key
            kept_key = ("cells", *key)
            cells = self._reused(kept_key)
            if cells is not None:
                cells.reuse(parts, faces)
            else:
                cells = Cells(parts, facecolors=faces, edgecolors=edge, linewidths=lw,
                              alpha=alpha, linestyles=ls, zorder=zorder)
                cells.set_gid("cells")
            self.kept[kept_key] = cells
            self._add(cells)

    def text(self, x: float, y: float, s: str, *, size: float, gid: str, **kw: Any) -> None:
        if not s:
            return
        kw.setdefault("color", self.t.foreground)
        kw.setdefault("ha", "center")
        fam = kw.pop("family", self.family)
        if kw.get("weight", "normal") != "normal" and fam is self.family:
            fam, kw["weight"] = family_for(s, self.lang, kw["weight"])
        if self.paths:
            # sizes in inches of the layout: they scale with the Axes like the glyphs do;
            # gathered per colour and drawn as one path each at the end
            color = kw.pop("color")
            kw.pop("zorder", None)
            verts, codes = pathtext.place(x, y, s, size_pt=size, family=fam, **kw)
            group = self.pending.setdefault(str(color), ([], []))
            group[0].append((verts, codes))
            group[1].append(pathtext.LabelRecord(s, size, gid, verts, self.ax))
            return
        art = self.ax.text(x, y, s, fontsize=size * self.s, family=fam, zorder=6,
                           clip_on=False, **kw)
        art.set_gid(gid)

    def ports(self, col: Column, side: int) -> list[tuple[float, float]]:
        """Points where lines leave (side=+1) or enter (side=-1) a column."""
        if col.kind in ("vector", "neurons"):
            half = RADIUS if col.kind == "neurons" else SQUARE / 2
            points = [(col.x + side * half, y) for y in self.slot_ys(col) if y is not None]
            return points or [(col.x + side * half, col.y)]  # nothing drawn (0 values)
        if col.kind in ("sheet", "plate"):
            h = col.gh
            xs = col.x + side * col.gw / 2
            n = 6
            return [(xs, col.y + h / 2 - (i + 0.5) * h / n) for i in range(n)]
        if col.kind == "block":
            fx, fy, fw, fh, _, _ = self.block_geometry(col)
            xs = fx + fw if side > 0 else fx
            n = 6
            return [(xs, fy + fh - (i + 0.5) * fh / n) for i in range(n)]
        return [(col.x + side * col.gw / 2, col.y)]

    def slot_ys(self, col: Column) -> list[float | None]:
        n = len(col.slots)
        top = col.y + col.gh / 2 - SLOT / 2
        if col.seq:
            top = col.y + col.gh / 2 - SLOT / 2
        if self.show_bias and col.kind in ("vector", "neurons"):
            top -= SLOT
        return [None if s is None else top - i * SLOT for i, s in enumerate(col.slots)][:n]

    def gap_y(self, col: Column) -> float | None:
        ys = self.slot_ys(col)
        for i, s in enumerate(col.slots):
            if s is None:
                top = col.y + col.gh / 2 - SLOT / 2 - (SLOT if self.show_bias else 0)
                return top - i * SLOT
        _ = ys
        return None

    def block_geometry(self, col: Column) -> tuple[float, float, float, float, float, float]:
        h, w, c = col.dims
        fw, fh = face_size(w), face_size(h)
        d = depth_size(c)
        dx, dy = 0.7 * d, 0.5 * d
        fx = col.x - (fw + dx) / 2
        fy = col.y - (fh + dy) / 2
        return fx, fy, fw, fh, dx, dy

    def colours(self, col: Column) -> tuple[str, str]:
        if col.role == "broken":
            return "none", self.t.error
        fill = self.t.fill(col.family)
        if col.kind == "neurons" and col.family == "core":
            return self.t.neuron, self.t.neuron_edge
        if col.family == "core":
            return self.t.plain, self.t.edge
        return fill, self.t.edge

    # glyphs --------------------------------------------------------------------------
    def draw_column(self, col: Column) -> None:
        alpha = 0.45 if col.role == "ghost" else 1.0
        fill, edge = self.colours(col)
        lw = self.t.edge_width * self.s
        gid = f"{col.role}:{col.name}"
        if col.kind in ("vector", "neurons"):
            ys = [y for y in self.slot_ys(col) if y is not None]
            offsets = [(col.x, y) for y in ys]
            if col.kind == "neurons":
                self.dots(offsets, f"neurons:{col.name}" if col.role != "ghost"
                          else f"ghost:{col.name}", fill, edge, lw, alpha)
            else:
                half = SQUARE / 2
                polys = [[(x - half, y - half), (x + half, y - half), (x + half, y + half),
                          (x - half, y + half)] for x, y in offsets]
                self.cells(polys, f"values:{col.name}" if col.role != "ghost" else gid,
                           fill, edge, lw, alpha, "--" if col.role == "input" else "-")
                if col.row is not None and col.row.class_name.endswith("Dropout"):
                    self.cross_out(col, offsets)
            gy = self.gap_y(col)
            if gy is not None:
                self.text(col.x, gy, "⋮", size=self.t.font_size * 1.3, gid=f"gap:{col.name}",
                          va="center", color=self.t.muted, family="DejaVu Sans")
            if col.seq:
                self.draw_time_strip(col, alpha)
                self.draw_loop(col, alpha)
        elif col.kind == "sheet":
            h = col.gh
            x0, y0 = col.x - col.gw / 2, col.y - h / 2
            rect = Rectangle((x0, y0), col.gw, h, facecolor=fill, edgecolor=edge,
                             linewidth=lw, alpha=alpha, zorder=3,
                             linestyle="--" if col.role == "input" else "-")
            rect.set_gid(f"sheet:{col.name}")
            self._add_patch(rect)
            steps = col.dims[0]
            if steps is not None and 1 < steps <= 16:
                segs = [[(x0, y0 + h * i / steps), (x0 + col.gw, y0 + h * i / steps)]
                        for i in range(1, steps)]
                self.lines(segs, f"steps:{col.name}", color=edge, lw=0.5 * lw, alpha=0.6 * alpha, zorder=3)
        elif col.kind == "block":
            fx, fy, fw, fh, dx, dy = self.block_geometry(col)
            front = [(fx, fy), (fx + fw, fy), (fx + fw, fy + fh), (fx, fy + fh)]
            top = [(fx, fy + fh), (fx + fw, fy + fh), (fx + fw + dx, fy + fh + dy),
                   (fx + dx, fy + fh + dy)]
            side = [(fx + fw, fy), (fx + fw + dx, fy + dy), (fx + fw + dx, fy + fh + dy),
                    (fx + fw, fy + fh)]
            # the side darker, the top lighter: a box seen from above and to the right
            faces = [shaded(fill, 0.0, 0.25), shaded(fill, 1.0, 0.25), fill]
            self.cells([side, top, front], f"block:{col.name}" if col.role != "ghost" else gid,
                       faces, edge, lw, alpha, "--" if col.role == "input" else "-", zorder=3)
        elif col.kind == "plate":
            dropout = col.row is not None and "Dropout" in col.row.class_name
            plate = FancyBboxPatch((col.x - col.gw / 2, col.y - col.gh / 2), col.gw, col.gh,
                                   boxstyle="round,pad=0.0,rounding_size=0.06",
                                   facecolor=fill, edgecolor=edge, linewidth=lw, alpha=alpha,
                                   hatch="xx" if dropout else None, zorder=3)
            plate.set_gid(f"plate:{col.name}")
            self._add_patch(plate)
        else:  # broken
            box = FancyBboxPatch((col.x - col.gw / 2, col.y - col.gh / 2), col.gw, col.gh,
                                 boxstyle="round,pad=0.02,rounding_size=0.08",
                                 facecolor="none", edgecolor=self.t.error, linestyle="--",
                                 linewidth=2 * lw, zorder=3)
            box.set_gid(f"broken:{col.name}")
            self._add_patch(box)
            self.text(col.x, col.y, "✗", size=self.t.font_size * 2.4, gid="broken-mark",
                      va="center", color=self.t.error, family="DejaVu Sans")

    def cross_out(self, col: Column, offsets: list[tuple[float, float]]) -> None:
        rate = lb.arg(col.row, "rate", 0.5) if col.row is not None else 0.5
        try:
            every = max(round(1 / float(rate)), 1) if float(rate) > 0 else 0
        except (TypeError, ValueError, ZeroDivisionError):
            every = 2
        if not every:
            return
        h = SQUARE / 2
        segs = []
        for i, (x, y) in enumerate(offsets):
            if i % every == every - 1:
                segs += [[(x - h, y - h), (x + h, y + h)], [(x - h, y + h), (x + h, y - h)]]
        self.lines(segs, f"dropped:{col.name}", color=self.t.foreground, lw=self.t.edge_width * self.s, zorder=5)

    def draw_time_strip(self, col: Column, alpha: float) -> None:
        steps = col.steps
        shown = MAX_STEPS_SHOWN if steps is None else min(steps, MAX_STEPS_SHOWN)
        elided = steps is None or steps > MAX_STEPS_SHOWN
        cell = STRIP_CELL
        gap = cell * 0.5
        total = shown * cell + (shown - 1) * gap
        x0 = col.x - total / 2
        y = col.y - col.gh / 2 + 0.32
        polys, faces = [], []
        fill = self.t.fill(col.family)
        for i in range(shown):
            cx = x0 + i * (cell + gap)
            polys.append([(cx, y), (cx + cell, y), (cx + cell, y + cell), (cx, y + cell)])
            kept = col.all_steps or i == shown - 1
            faces.append(fill if kept else "none")
        pc = PolyCollection(polys, facecolors=faces, edgecolors=self.t.edge,
                            linewidths=self.t.edge_width * self.s, alpha=alpha, zorder=4)
        pc.set_gid(f"timesteps:{col.name}")
        self._add(pc)
        arrows = [[(x0 + i * (cell + gap) + cell, y + cell / 2),
                   (x0 + (i + 1) * (cell + gap), y + cell / 2)] for i in range(shown - 1)]
        if arrows:
            self.lines(arrows, f"timeflow:{col.name}", color=self.t.muted, lw=self.t.edge_width * self.s, zorder=4)
        if elided:
            mid = x0 + (shown - 2) * (cell + gap) + cell + gap / 2
            self.text(mid, y + cell + 0.02, "…", size=self.t.small, gid=f"timegap:{col.name}",
                      va="bottom", color=self.t.muted, family="DejaVu Sans")
        label = Msg("draw.time", {"n": "?" if steps is None else steps}).render(self.lang)
        self.text(col.x, y - 0.05, label, size=self.t.small * 0.9, gid=f"timelabel:{col.name}",
                  va="top", color=self.t.muted)

    def draw_loop(self, col: Column, alpha: float) -> None:
        ys = [y for y in self.slot_ys(col) if y is not None]
        if not ys:
            return
        top = ys[0] + RADIUS
        arrow = FancyArrowPatch((col.x + RADIUS * 0.9, top - 0.02),
                                (col.x - RADIUS * 0.9, top - 0.02),
                                connectionstyle="arc3,rad=1.9", arrowstyle="-|>",
                                mutation_scale=12 * self.s, color=self.t.fill(col.family),
                                linewidth=1.4 * self.t.edge_width * self.s, alpha=alpha,
                                zorder=5)
        arrow.set_gid(f"recurrent:{col.name}")
        self._add_patch(arrow)

    # connections ---------------------------------------------------------------------
    def connect(self, prev: Column, col: Column) -> None:
        row = col.row
        lw = self.t.line_width * self.s
        if col.role == "broken":
            a = FancyArrowPatch((self.ports(prev, 1)[0][0], prev.y),
                                (col.x - col.gw / 2, col.y), arrowstyle="-|>",
                                mutation_scale=12 * self.s, color=self.t.error,
                                linestyle="--", linewidth=lw * 1.5, zorder=2)
            a.set_gid("flow:broken")
            self._add_patch(a)
            return
        if row is None:
            return
        fam = col.family
        weighted = lb.has_weight(row, "kernel") or lb.has_weight(row, "depthwise_kernel")
        if col.kind == "neurons":
            src = self.ports(prev, 1)
            dst = self.ports(col, -1)
            # every source to every destination, as one (n·m, 2, 2) array: no list of
            # pairs for the line collection to convert again
            pairs = np.empty((len(src), len(dst), 2, 2))
            pairs[:, :, 0] = np.asarray(src, dtype=float)[:, None]
            pairs[:, :, 1] = np.asarray(dst, dtype=float)[None, :]
            gid = f"weights:{col.name}" if weighted else f"flow:{col.name}"
            self.lines(pairs.reshape(-1, 2, 2), gid, color=self.t.line, lw=lw,
                       alpha=self.t.line_alpha, zorder=1)
            if self.show_bias and lb.has_weight(row, "bias"):
                self.draw_bias(prev, col, dst)
        elif col.kind in ("block", "sheet") and prev.kind in ("block", "sheet", "plate") and (
                fam in ("conv", "pooling")):
            self.draw_window(prev, col, weighted)
        elif fam == "embedding" and prev.kind == "vector":
            src = self.ports(prev, 1)
            dst_ports = self.ports(col, -1)
            n = len(src)
            segs = [[a, (dst_ports[0][0], col.y + col.gh / 2 - (i + 0.5) * col.gh / n)]
                    for i, a in enumerate(src)]
            self.lines(segs, f"lookup:{col.name}", color=self.t.fill("embedding"), lw=lw * 1.3, alpha=0.9, zorder=1)
        elif (col.kind in ("vector", "neurons") and prev.kind in ("vector", "neurons")
              and prev.count == col.count and prev.slots == col.slots):
            segs = [[a, b] for a, b in zip(self.ports(prev, 1), self.ports(col, -1),
                                           strict=True)]
            self.lines(segs, f"flow:{col.name}", color=self.t.line, lw=lw, alpha=self.t.line_alpha, zorder=1)
        else:
            self.draw_funnel(prev, col)

    def draw_arrows(self) -> None:
        """Every plain flow arrow: one collection of shafts, one of heads."""
        head, half = 0.1, 0.045
        shafts, heads = [], []
        for (x0, y0), (x1, y1) in self.arrows:
            length = math.hypot(x1 - x0, y1 - y0) or 1.0
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            x1, y1 = x1 - 0.03 * ux, y1 - 0.03 * uy
            bx, by = x1 - head * ux, y1 - head * uy
            shafts.append([(x0 + 0.03 * ux, y0 + 0.03 * uy), (bx, by)])
            heads.append([(x1, y1), (bx - half * uy, by + half * ux),
                          (bx + half * uy, by - half * ux)])
        self.lines(shafts, "flow-arrows", color=self.t.muted, lw=self.t.line_width * self.s, zorder=2)
        pc = PolyCollection(heads, facecolors=self.t.muted, edgecolors="none", zorder=2)
        pc.set_gid("flow-arrow-heads")
        self._add(pc)

    def extent_y(self, col: Column) -> tuple[float, float]:
        if col.kind in ("vector", "neurons"):
            ys = [y for y in self.slot_ys(col) if y is not None] or [col.y]
            half = SQUARE / 2 if col.kind == "vector" else RADIUS
            return min(ys) - half, max(ys) + half
        if col.kind == "block":
            _, fy, _, fh, _, _ = self.block_geometry(col)
            return fy, fy + fh
        return col.y - col.gh / 2, col.y + col.gh / 2

    def draw_funnel(self, prev: Column, col: Column) -> None:
        """A reshaping transition (e.g. Flatten): same values, new arrangement.

        Into or out of a plate (a layer that keeps the map's shape) it is a plain arrow.
        """
        if col.kind == "plate" or (prev.kind == "plate" and col.kind != "vector"):
            start = (self.ports(prev, 1)[0][0], prev.y)
            if prev.kind == "block":
                fx, fy, fw, fh, _, _ = self.block_geometry(prev)
                start = (fx + fw, fy + fh / 2)
            if col.kind == "block":
                fx, fy, _, fh, _, _ = self.block_geometry(col)
                end = (fx, fy + fh / 2)
            else:
                end = (col.x - col.gw / 2, col.y)
            self.arrows.append((start, end))
            return
        (ax_, _), (bx, _) = self.ports(prev, 1)[0], self.ports(col, -1)[0]
        p0, p1 = self.extent_y(prev)
        c0, c1 = self.extent_y(col)
        poly = Polygon([(ax_, p0), (ax_, p1), (bx, c1), (bx, c0)], closed=True,
                       facecolor=self.t.fill(col.family), edgecolor="none", alpha=0.18,
                       zorder=1)
        poly.set_gid(f"flow:{col.name}")
        self._add_patch(poly)

    def draw_window(self, prev: Column, col: Column, weighted: bool) -> None:
        """The kernel (or pooling) window on the previous map, projected to one output."""
        row = col.row
        assert row is not None
        window = lb.kernel_window(row) or (1, 1)
        if prev.kind == "block":
            fx, fy, fw, fh, _, _ = self.block_geometry(prev)
            ph, pw = prev.dims[0], prev.dims[1]
        else:
            fx, fy, fw, fh = prev.x - prev.gw / 2, prev.y - prev.gh / 2, prev.gw, prev.gh
            ph, pw = prev.dims[0], None
        kh = window[0]
        kw = window[1] if len(window) > 1 else None
        wh = max(fh * kh / ph, 0.1) if ph else 0.2
        ww = max(fw * kw / pw, 0.1) if (kw and pw) else (fw if prev.kind in ("sheet", "plate") else 0.2)
        wh, ww = min(wh, fh), min(ww, fw)
        wx, wy = fx + fw * 0.55 - ww / 2, fy + fh * 0.6 - wh / 2
        wx = min(max(wx, fx), fx + fw - ww)
        wy = min(max(wy, fy), fy + fh - wh)
        colour = self.t.fill(col.family)
        rect = Rectangle((wx, wy), ww, wh, facecolor=colour, edgecolor=self.t.foreground,
                         linewidth=1.2 * self.t.edge_width * self.s, alpha=0.95, zorder=5)
        rect.set_gid(f"window:{col.name}")
        self._add_patch(rect)
        if col.kind == "block":
            cx, cy, cw, ch, _, _ = self.block_geometry(col)
        else:
            cx, cy, cw, ch = col.x - col.gw / 2, col.y - col.gh / 2, col.gw, col.gh
        target = (cx + cw * 0.5, cy + ch * 0.6)
        corners = [(wx + ww, wy + wh), (wx + ww, wy), (wx, wy + wh)]
        segs = [[c, target] for c in corners]
        self.lines(segs, f"weights:{col.name}" if weighted else f"window-lines:{col.name}", color=self.t.foreground, lw=self.t.line_width * self.s, alpha=0.8, zorder=5)

    def draw_bias(self, prev: Column, col: Column, dst: list[tuple[float, float]]) -> None:
        ys = [y for y in self.slot_ys(prev) if y is not None] if prev.kind in (
            "vector", "neurons") else []
        by = (max(ys) + SLOT) if ys else self.extent_y(prev)[1] + SLOT
        bx = prev.x
        h = SQUARE * 0.6
        box = Rectangle((bx - h, by - h), 2 * h, 2 * h, facecolor=self.t.background,
                        edgecolor=self.t.muted, linewidth=self.t.edge_width * self.s, zorder=4)
        box.set_gid(f"bias-node:{col.name}")
        self._add_patch(box)
        self.text(bx, by, "+1", size=self.t.small * 0.75, gid=f"bias-label:{col.name}",
                  va="center", color=self.t.muted)
        segs = [[(bx + h, by), b] for b in dst]
        self.lines(segs, f"bias:{col.name}", color=self.t.muted, lw=self.t.line_width * self.s, ls="--", alpha=0.6, zorder=1)

    # labels --------------------------------------------------------------------------
    def draw_labels(self, col: Column, row_i: int) -> None:
        lay = self.lay
        top = lay.row_tops[row_i]
        fs = self.t.font_size
        lh = fs * LINE / 72
        glyph_h = lay.band[f"h{row_i}"]
        glyph_top = top - lay.band["top"]
        bottom = glyph_top - glyph_h
        colour = self.t.error if col.role == "broken" else self.t.foreground
        if col.role == "ghost":
            self.text(col.x, top - 0.02, Msg("draw.from", {"name": col.name})
                      .render(self.lang), size=fs * 0.9, gid=f"label:from:{col.name}",
                      va="top", color=self.t.muted)
        else:
            y = top - 0.02
            self.text(col.x, y, col.title, size=fs, gid=f"label:title:{col.name}", va="top",
                      weight="bold", color=colour)
            if lay.band["sub"]:
                y -= lh
                self.text(col.x, y, col.subtitle, size=fs * 0.9,
                          gid=f"label:type:{col.name}", va="top", color=self.t.muted)
            y -= lh
            self.text(col.x, y, col.args, size=fs * 0.9, gid=f"label:args:{col.name}",
                      va="top", color=colour if col.role == "broken" else self.t.foreground)
        y = bottom - 0.05
        self.text(col.x, y, col.shape, size=fs * 0.9, gid=f"label:shape:{col.name}", va="top",
                  family="DejaVu Sans Mono", color=self.t.foreground)
        y -= lh
        self.text(col.x, y, col.note, size=fs * 0.85, gid=f"label:note:{col.name}", va="top",
                  color=self.t.muted, style="italic")

    def draw_edge_label(self, prev: Column, col: Column, row_i: int) -> None:
        if not col.edge:
            return
        lay = self.lay
        y = lay.row_tops[row_i] - lay.band["top"] + 0.06
        self.text((prev.x + col.x) / 2, y, col.edge, size=self.t.font_size * 0.8,
                  gid=f"label:weights:{col.name}", va="bottom", color=self.t.muted,
                  family="DejaVu Sans")

    def draw_highlight(self, col: Column, row_i: int) -> None:
        lay = self.lay
        top = lay.row_tops[row_i]
        h = lay.band["top"] + lay.band[f"h{row_i}"] + lay.band["bottom"]
        w = max(col.label_w, col.gw) + PAD * 0.8
        box = FancyBboxPatch((col.x - w / 2, top - h), w, h,
                             boxstyle="round,pad=0.0,rounding_size=0.12",
                             facecolor=self.t.highlight, alpha=self.t.highlight_alpha,
                             edgecolor="none", zorder=0)
        box.set_gid(f"highlight:{col.name}")
        self._add_patch(box)

    def paint(self) -> None:
        lay = self.lay
        for row_i, cols in enumerate(lay.rows):
            prev: Column | None = None
            for col in cols:
                if (self.highlight is not None and col.role == "layer"
                        and col.index == self.highlight):
                    self.draw_highlight(col, row_i)
                if prev is not None:
                    self.connect(prev, col)
                    self.draw_edge_label(prev, col, row_i)
                self.draw_column(col)
                self.draw_labels(col, row_i)
                prev = col
        if lay.caption:
            fs = self.t.font_size
            lh = fs * LINE / 72 * 0.95
            y = MARGIN + len(lay.caption) * lh
            for i, line in enumerate(lay.caption):
                self.text(MARGIN, y - i * lh, line, size=fs * 0.9, gid=f"caption:{i}",
                          va="top", ha="left", color=self.t.error)
        if self.arrows:
            self.draw_arrows()
        self.flush_merged()
        for color, (parts, records) in self.pending.items():
            patch = pathtext.layer(parts, records, self._reused(("labels", color)),
                                   facecolor=color, zorder=6)
            patch.set_gid("labels")
            self.kept[("labels", color)] = patch
            self._add_patch(patch)


# --- entry points -------------------------------------------------------------------------

def _summary_of(obj: Summary | Model) -> Summary:
    if isinstance(obj, Summary):
        return obj
    return obj.analyze()


def draw(summary: Summary | Model, ax: Axes | None = None, fig: Figure | None = None, *,
         theme: str | Theme = "light", show_bias: bool = False,
         show_weight_shapes: bool = False, highlight: int | str | None = None,
         lang: Lang = "en", max_width: float | None = None,
         text_as_paths: bool = True, panel: bool = False) -> Figure:
    """Draw the network of ``summary`` (or of a model) and return the Figure.

    ``ax``: draw on this Axes (fonts are scaled to fit it). ``fig``: clear this Figure,
    resize it to the drawing and draw on it. Neither: a new non-interactive Figure.
    ``highlight``: a layer index or name. ``max_width``: wrap rows at this many inches.
    ``text_as_paths``: draw labels as cached glyph outlines (much faster to rasterise;
    the default) or as Text artists (best for SVG and PDF: small, selectable text).
    ``panel``: a transparent figure with the drawing on a rounded panel of the theme's
    background, so that a light drawing shown on a dark page (JupyterLab's dark theme)
    reads as an intentional card rather than a glaring rectangle.
    A functional model (``summary.functional``) is drawn as a layered graph (see
    :mod:`shapewidget.render.graph_drawing`); ``show_bias`` and ``max_width`` apply to
    the Sequential chain only.
    ``lang="ja"`` needs a font with Japanese glyphs (Noto Sans CJK JP, IPAexGothic, …);
    without one the drawing falls back to English rather than show empty boxes.
    """
    summ = _summary_of(summary)
    th = get_theme(theme)
    # Japanese labels need a font with Japanese glyphs; without one, English beats boxes.
    lang = "ja" if lang == "ja" and japanese_font() is not None else "en"
    hl = _highlight_index(summ, highlight)
    if summ.functional:
        # a graph (named inputs, branches, merges, shared layers): the layered drawing
        from .graph_drawing import draw_graph

        return draw_graph(summ, ax, fig, theme=th, lang=lang, highlight=hl,
                          show_weight_shapes=show_weight_shapes,
                          text_as_paths=text_as_paths, panel=panel)
    cols = build_columns(summ, lang, show_weight_shapes)
    caption = ""
    if summ.error is not None:
        caption = Msg("draw.error", {"message": summ.error.message(lang)}).render(lang)
    if max_width is None:
        max_width = 16.0 if th.name == "projector" else 15.0
    lay = layout(cols, th, show_bias, max_width, caption)
    scale = 1.0
    reusable = ax is None
    if ax is None:
        if fig is None:
            fig = Figure(figsize=(lay.width, lay.height))
        if type(fig.canvas).__name__ == "FigureCanvasBase":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)
        if tuple(fig.get_size_inches()) != (lay.width, lay.height):
            fig.set_size_inches(lay.width, lay.height)
        fig.set_facecolor(th.background)
        ax = _reusable_axes(fig)
    else:
        parent = ax.figure
        root = getattr(parent, "figure", parent)
        assert isinstance(root, Figure)
        fig = root
        ax.clear()
        bbox = ax.get_position()
        w_in = bbox.width * fig.get_figwidth()
        h_in = bbox.height * fig.get_figheight()
        scale = min(w_in / lay.width, h_in / lay.height)
    ax.set_facecolor(th.background)
    ax.set_xlim(0, lay.width)
    ax.set_ylim(0, lay.height)
    ax.set_aspect("equal", adjustable="box" if scale != 1.0 else "datalim")
    ax.set_axis_off()
    painter = _Painter(ax, lay, th, lang, scale, show_bias, hl, text_as_paths)
    if reusable:
        painter.reuse = getattr(ax, _KEPT, None) or {}
    if panel and scale == 1.0:
        fig.set_facecolor("none")
        inset = 0.01
        card = FancyBboxPatch((inset, inset), lay.width - 2 * inset, lay.height - 2 * inset,
                              boxstyle=f"round,pad=0.0,rounding_size={PANEL_ROUNDING}",
                              facecolor=th.background, edgecolor="none", zorder=-1)
        card.set_gid("panel")
        painter._add_patch(card)
    painter.paint()
    setattr(ax, _KEPT, painter.kept if reusable else {})
    return fig


# Attribute of a drawing Axes holding the merged artists (lines, neurons, cells,
# labels) it last drew, by kind and style: the next drawing on that Axes updates them
# instead of building new ones. (On the Axes itself: they live and die together.)
_KEPT = "_shapewidget_kept"


def _reusable_axes(fig: Figure) -> Axes:
    """The Figure's drawing Axes emptied for a new drawing (faster than a new Axes)."""
    axes = fig.get_axes()
    if len(axes) == 1 and axes[0].get_gid() == AXES_GID:
        ax = axes[0]
        for artist in [*ax.collections, *ax.patches, *ax.texts]:
            artist.remove()
        return ax
    fig.clear()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_gid(AXES_GID)
    return ax


def _highlight_index(summary: Summary, highlight: int | str | None) -> int | None:
    if highlight is None:
        return None
    if isinstance(highlight, str):
        for r in summary.rows:
            if r.name == highlight:
                return r.index
        return None
    n = len(summary.rows)
    return highlight + n if highlight < 0 else highlight
