"""The network drawing: neurons, weights, feature maps and time steps, as a scene.

:func:`scene` reads summary rows only and lays the drawing out once per model change
as a plain :class:`.scene.Scene` (shapes, lines and labels tagged with their layer);
:func:`draw` renders that scene to a matplotlib Figure (or Axes) through matplotlib's
public API, and the widget and the notebook write it straight to SVG
(:mod:`.scene_svg`). Models of more than a few dozen layers are drawn with their
repeated blocks collapsed (:mod:`.collapse`), those too large to draw as an overview
(:mod:`.overview`).

Coordinates are inches: one unit is one inch, so circles stay round and text sizes in
points can be measured against the layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..summary import Summary
from ..text import Lang, Msg
from . import collapse, glyphs
from . import labels as lb
from .columns import (
    MARGIN,
    Column,
    build_columns,
    build_unit_columns,
    col_fields,
    error_caption,
    text_width,
    wrap_caption,
)
from .fonts import japanese_font
from .painter import Painter
from .scene import Scene
from .theme import Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model import Model

SLOT = 0.30          # vertical distance between two neurons or values
RADIUS = 0.10        # neuron radius
SQUARE = 0.17        # side of a value cell
MIN_GAP = 0.95       # free space between two glyphs, for the weight lines
MIN_GAP_BLOCKS = 0.6  # ... between two feature maps (a kernel window's projection)
PAD = 0.22           # free space between two labels
LINE = 1.35          # line height in font sizes
STRIP_CELL = 0.2     # a time-step cell of a recurrent layer
MAX_STEPS_SHOWN = 5
PLATE = 0.24         # width of the compact glyph of a layer that keeps the map's shape
ROW_GAP = 0.35       # between two rows of a wrapped drawing
GROUP_W, GROUP_H = 0.8, 0.9  # a collapsed group's glyph: a stack of cards ...
GROUP_STEP = 0.07    # ... each this much behind the one in front


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
        return PLATE, glyphs.face_size(col.dims[0])
    if col.kind == "group":
        return GROUP_W + 2 * GROUP_STEP, GROUP_H + 2 * GROUP_STEP
    if col.kind == "sheet":
        return glyphs.sheet_size(col.dims)
    if col.kind == "block":
        return glyphs.block_size(col.dims)
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
    caption_lines = wrap_caption(caption, width, fs)
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


def _step(prev: Column, col: Column, edge_fs: float) -> float:
    """Distance between the centres of two neighbouring columns."""
    blocks = prev.kind in ("block", "sheet") and col.kind in ("block", "sheet")
    return max((prev.label_w + col.label_w) / 2 + PAD,
               (prev.gw + col.gw) / 2 + (MIN_GAP_BLOCKS if blocks else MIN_GAP),
               text_width(col.edge, edge_fs) + PAD if col.edge else 0.0)


# --- drawing ------------------------------------------------------------------------------

class _Painter(Painter):
    """Records one layout into a scene."""

    def __init__(self, scene: Scene, lay: Layout, theme: Theme, lang: Lang,
                 show_bias: bool, highlight: int | None) -> None:
        super().__init__(scene, theme, lang, RADIUS, highlight)
        self.arrows: list[tuple[tuple[float, float], tuple[float, float]]] = []
        self.lay = lay
        self.show_bias = show_bias

    # geometry ------------------------------------------------------------------------
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

    def block_geometry(self, col: Column) -> glyphs.BlockBox:
        return glyphs.block_box(col.x, col.y, col.dims)

    def colours(self, col: Column) -> tuple[str, str]:
        if col.role == "broken":
            return "none", self.t.error
        return self.glyph_colours(col.kind, col.family)

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
                          else f"ghost:{col.name}", fill, edge, lw, alpha=alpha)
            else:
                self.cells(glyphs.squares(offsets, SQUARE / 2),
                           f"values:{col.name}" if col.role != "ghost" else gid,
                           fill, edge, lw, "--" if col.role == "input" else "-", alpha=alpha)
                if lb.drops_values(col.row):
                    self.cross_out(col.row, col.name, offsets, SQUARE / 2)
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
            self.box(f"sheet:{col.name}", x0, y0, col.gw, h, fill=fill, edge=edge, lw=lw,
                     alpha=alpha, zorder=3, ls="--" if col.role == "input" else "-")
            steps = col.dims[0]
            if steps is not None and 1 < steps <= 16:
                segs = [[(x0, y0 + h * i / steps), (x0 + col.gw, y0 + h * i / steps)]
                        for i in range(1, steps)]
                self.lines(segs, f"steps:{col.name}", color=edge, lw=0.5 * lw, alpha=0.6 * alpha, zorder=3)
        elif col.kind == "block":
            polys, faces = glyphs.block_faces(self.block_geometry(col), fill)
            self.cells(polys, f"block:{col.name}" if col.role != "ghost" else gid, faces,
                       edge, lw, "--" if col.role == "input" else "-", alpha=alpha, zorder=3)
        elif col.kind == "plate":
            dropout = lb.drops_values(col.row)
            x0, y0 = col.x - col.gw / 2, col.y - col.gh / 2
            self.box(f"plate:{col.name}", x0, y0, col.gw, col.gh, fill=fill, edge=edge,
                     lw=lw, alpha=alpha, rounding=0.06, zorder=3)
            if dropout:
                self.hatch(f"dropped:{col.name}", x0, y0, col.gw, col.gh, edge, lw)
        elif col.kind == "group":
            self.draw_group(col, fill, edge, lw, alpha)
        else:  # broken
            self.box(f"broken:{col.name}", col.x - col.gw / 2 - 0.02, col.y - col.gh / 2 - 0.02,
                     col.gw + 0.04, col.gh + 0.04, fill="none", edge=self.t.error, ls="--",
                     lw=2 * lw, rounding=0.08, zorder=3)
            self.text(col.x, col.y, "✗", size=self.t.font_size * 2.4, gid="broken-mark",
                      va="center", color=self.t.error, family="DejaVu Sans")

    def draw_group(self, col: Column, fill: str, edge: str, lw: float,
                   alpha: float = 1.0) -> None:
        """A collapsed group: cards stacked (one per repeat, up to three), ×n on the front."""
        x0 = col.x - col.gw / 2
        y0 = col.y - col.gh / 2
        cards = min(col.count or 1, 3)
        for i in reversed(range(cards)):
            dx = dy = (2 - i) * GROUP_STEP if cards == 3 else (cards - 1 - i) * GROUP_STEP
            self.box(f"group:{col.name}" if i == 0 else f"group-card:{col.name}",
                     x0 + dx, y0 + 2 * GROUP_STEP - dy, GROUP_W, GROUP_H, fill=fill,
                     edge=edge, lw=lw, alpha=alpha, rounding=0.06,
                     zorder=3 + (cards - i) * 0.01)
        front_x = x0 + GROUP_W / 2 + (2 * GROUP_STEP if cards == 3 else
                                      (cards - 1) * GROUP_STEP)
        front_y = y0 + 2 * GROUP_STEP - (2 * GROUP_STEP if cards == 3 else
                                         (cards - 1) * GROUP_STEP) + GROUP_H / 2
        if (col.count or 1) > 1 and col.role != "ghost":  # a ghost only recalls the glyph
            self.text(front_x, front_y, f"×{col.count}", size=self.t.font_size * 1.6,
                      gid=f"group-times:{col.name}", va="center", weight="bold",
                      color=self.t.foreground, family="DejaVu Sans")

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
        self.cells(polys, f"timesteps:{col.name}", faces, self.t.edge,
                   self.t.edge_width * self.s, "-", alpha=alpha, zorder=4)
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
        self.loop_arrow(col.x, ys[0] + RADIUS, self.t.fill(col.family), 12, 1.4,
                        f"recurrent:{col.name}", alpha)

    # connections ---------------------------------------------------------------------
    def connect(self, prev: Column, col: Column) -> None:
        row = col.row
        lw = self.t.line_width * self.s
        if col.role == "broken":
            self.arrow([(self.ports(prev, 1)[0][0], prev.y), (col.x - col.gw / 2, col.y)],
                       "flow:broken", color=self.t.error, ls="--", lw=lw * 1.5, head=0.12,
                       zorder=2)
            return
        if col.kind == "group" or prev.kind == "group":
            start = (prev.x + prev.gw / 2, prev.y)
            if prev.kind == "block":
                fx, fy, fw, fh, _, _ = self.block_geometry(prev)
                start = (fx + fw, fy + fh / 2)
            end = (col.x - col.gw / 2, col.y)
            if col.kind == "block":
                fx, fy, _, fh, _, _ = self.block_geometry(col)
                end = (fx, fy + fh / 2)
            self.arrows.append((start, end))
            return
        if row is None:
            return
        fam = col.family
        weighted = lb.has_weight(row, "kernel") or lb.has_weight(row, "depthwise_kernel")
        if col.kind == "neurons":
            src = self.ports(prev, 1)
            dst = self.ports(col, -1)
            gid = f"weights:{col.name}" if weighted else f"flow:{col.name}"
            self.lines(glyphs.all_pairs(src, dst), gid, color=self.t.line, lw=lw,
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
        head = 0.1
        shafts, heads = [], []
        for start, end in self.arrows:
            (x0, y0), (x1, y1) = start, end
            ux, uy = glyphs.direction(start, end)
            x1, y1 = x1 - 0.03 * ux, y1 - 0.03 * uy
            shafts.append([(x0 + 0.03 * ux, y0 + 0.03 * uy), (x1 - head * ux, y1 - head * uy)])
            heads.append(glyphs.arrow_head((x1, y1), (ux, uy), head))
        self.lines(shafts, "flow-arrows", color=self.t.muted, lw=self.t.line_width * self.s, zorder=2)
        self.cells(heads, "flow-arrow-heads", self.t.muted, "none", 0.0, "-", zorder=2)

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
        self.cells([[(ax_, p0), (ax_, p1), (bx, c1), (bx, c0)]], f"flow:{col.name}",
                   self.t.fill(col.family), "none", 0.0, "-", alpha=0.18, zorder=1)

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
        self.box(f"window:{col.name}", wx, wy, ww, wh, fill=colour, edge=self.t.foreground,
                 lw=1.2 * self.t.edge_width * self.s, alpha=0.95, zorder=5)
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
        self.box(f"bias-node:{col.name}", bx - h, by - h, 2 * h, 2 * h,
                 fill=self.t.background, edge=self.t.muted, lw=self.t.edge_width * self.s,
                 zorder=4)
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
        self.highlight_box(col.x - w / 2, top - h, w, h, col.name)

    def paint(self) -> None:
        lay = self.lay
        for row_i, cols in enumerate(lay.rows):
            prev: Column | None = None
            for col in cols:
                if (self.highlight is not None and col.role == "layer"
                        and col.shows(self.highlight)):
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


# --- entry points -------------------------------------------------------------------------

def _summary_of(obj: Summary | Model) -> Summary:
    if isinstance(obj, Summary):
        return obj
    return obj.analyze()


def scene(summary: Summary | Model, *, theme: str | Theme = "light", show_bias: bool = False,
          show_weight_shapes: bool = False, highlight: int | str | None = None,
          lang: Lang = "en", max_width: float | None = None,
          panel: bool = False, collapse_blocks: bool = True) -> Scene:
    """The drawing of ``summary`` (or of a model) as a plain :class:`.scene.Scene`.

    Options as for :func:`draw`. A functional model (``summary.functional``) is drawn as a
    layered graph (see :mod:`shapewidget.render.graph_drawing`); ``show_bias`` and
    ``max_width`` apply to the Sequential chain only. A model too large to draw in full
    gets an overview (see :mod:`shapewidget.render.overview`). ``collapse_blocks=False``:
    every layer drawn, repeated blocks too (see :mod:`shapewidget.render.collapse`).
    """
    summ = _summary_of(summary)
    th = get_theme(theme)
    # Japanese labels need a font with Japanese glyphs; without one, English beats boxes.
    lang = "ja" if lang == "ja" and japanese_font() is not None else "en"
    hl = _highlight_index(summ, highlight)
    from .overview import needs_overview, overview_scene

    units = collapse.units(summ) if collapse_blocks else None
    if needs_overview(summ, units, asked_in_full=not collapse_blocks):
        out = overview_scene(summ, th, lang, hl)
    elif summ.functional and units is None:
        # a graph (named inputs, branches, merges, shared layers): the layered drawing
        from .graph_drawing import graph_scene

        out = graph_scene(summ, theme=th, lang=lang, highlight=hl,
                          show_weight_shapes=show_weight_shapes)
    else:
        out = _chain_scene(summ, th, lang, hl, show_bias, show_weight_shapes, max_width,
                           units)
    out.panel = panel
    return out


def _chain_scene(summ: Summary, th: Theme, lang: Lang, hl: int | None, show_bias: bool,
                 show_weight_shapes: bool, max_width: float | None,
                 units: list[collapse.Unit] | None = None) -> Scene:
    """A chain of columns, wrapped into rows: one per layer, or per collapsed unit."""
    if units is not None:
        cols = build_unit_columns(summ, units, lang, show_weight_shapes)
    else:
        cols = build_columns(summ, lang, show_weight_shapes)
    caption = error_caption(summ, lang)
    if max_width is None:
        max_width = 16.0 if th.name == "projector" else 15.0
    lay = layout(cols, th, show_bias, max_width, caption)
    out = Scene(lay.width, lay.height, th.background)
    _Painter(out, lay, th, lang, show_bias, hl).paint()
    return out


def draw(summary: Summary | Model, ax: Axes | None = None, fig: Figure | None = None, *,
         theme: str | Theme = "light", show_bias: bool = False,
         show_weight_shapes: bool = False, highlight: int | str | None = None,
         lang: Lang = "en", max_width: float | None = None,
         text_as_paths: bool = True, panel: bool = False,
         collapse_blocks: bool = True) -> Figure:
    """Draw the network of ``summary`` (or of a model) and return the Figure.

    ``ax``: draw on this Axes (fonts are scaled to fit it). ``fig``: clear this Figure,
    resize it to the drawing and draw on it. Neither: a new non-interactive Figure.
    ``highlight``: a layer index or name. ``max_width``: wrap rows at this many inches.
    ``text_as_paths``: labels as glyph outlines (the same pixels as the SVG the widget
    shows) or as Text artists (best for SVG and PDF files: small, selectable text).
    ``panel``: a transparent figure with the drawing on a rounded panel of the theme's
    background, so that a light drawing shown on a dark page (JupyterLab's dark theme)
    reads as an intentional card rather than a glaring rectangle.
    ``collapse_blocks``: a big model's repeated blocks as one glyph ×n (the default) or
    every layer drawn.
    ``lang="ja"`` needs a font with Japanese glyphs (Noto Sans CJK JP, IPAexGothic, …);
    without one the drawing falls back to English rather than show empty boxes.
    """
    from .scene_mpl import render

    sc = scene(summary, theme=theme, show_bias=show_bias,
               show_weight_shapes=show_weight_shapes, highlight=highlight, lang=lang,
               max_width=max_width, panel=panel, collapse_blocks=collapse_blocks)
    return render(sc, ax, fig, text_as_paths=text_as_paths)


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
