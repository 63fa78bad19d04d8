"""The drawing of a functional model: a layered graph of small layer glyphs.

Columns by depth, branches stacked within a column, crossings reduced (see
:mod:`.graph_layout`). Each node is the Sequential drawing's glyph at a smaller scale
(neurons, value cells, feature-map blocks, plates) with the same labels (name, type, key
arguments, output shape, what is hidden). What only a graph has:

- inputs: several tensors, each drawn and titled as an input (``Input 'image'``);
- outputs: an arrow out of the node marked ``output``;
- merges: a circle with the operation (``+``, ``×``, ``max`` …) or, for Concatenate, a
  bar of one segment per input in the colour of that input, the sizes joined in a note
  (``7,200 + 5 → 7,205``); the incoming tensors converge on it;
- shared layers: the second call in the first call's colour with a dashed outline and
  the label ``shares weights with 'kind'``.

Edges: a tensor is one curve with an arrow head, running horizontally through each
column (inside the node's glyph band, or in its own lane between nodes) and bending only
in the gaps between columns, so it never crosses a label. Between two Dense-like layers
linked one to one (the only reader of a tensor whose only input it is) the weights are
drawn as lines between the neurons, as in the Sequential drawing; a tensor read by
several layers, a skip connection or a merge input is drawn as a single edge, which
reads better on a slide than several fans of weight lines.

The graph is recorded into a scene (:mod:`.scene`) like the Sequential drawing; the
renderers draw all lines of one style as one artist or SVG group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..summary import Summary, SummaryRow
from ..text import Lang, Msg
from . import glyphs, textpaths
from . import graph_labels as gl
from . import labels as lb
from .columns import Column, column_for_row, error_caption, input_column, wrap_caption
from .fonts import family_for, font_family
from .graph_layout import GraphLayout, Node, layout_graph
from .painter import Painter
from .scene import Scene
from .theme import Theme

SLOT = 0.24          # vertical distance between two neurons or values
RADIUS = 0.085       # neuron radius
SQUARE = 0.15        # side of a value cell
MAX_SLOTS = 6        # a node shows at most this many slots ...
HEAD = glyphs.head_slots(MAX_SLOTS)  # ... when eliding: HEAD, a gap mark, the last one
BLOCK_SCALE = 0.6    # feature maps, relative to the Sequential drawing
MERGE_RADIUS = 0.22
CONCAT_WIDTH = 0.2
CONCAT_SEGMENT = 0.3
LABEL_GAP = 0.08     # between a glyph and its labels
OUT_ARROW = 0.3      # length of an output's arrow
BUS = 0.1            # from a glyph to the bar gathering its values into one edge
LINE = 1.3           # line height in font sizes
MONO = "DejaVu Sans Mono"


def slots_for(n: int | None) -> tuple[list[int | None], int | None]:
    """Indices to draw for ``n`` items and how many are hidden (see
    :func:`.glyphs.elided_slots`); ``n`` unknown: two and a gap."""
    return glyphs.elided_slots(n, MAX_SLOTS, 2)


@dataclass
class Label:
    text: str
    size: float          # points
    role: str            # title | type | args | shape | note | shares | output | weights
    weight: str = "normal"
    style: str = "normal"
    mono: bool = False
    muted: bool = False
    width: float = 0.0   # inches
    height: float = 0.0


@dataclass
class GNode:
    """What one node shows: its glyph (a Sequential :class:`Column`) and labels."""

    name: str
    col: Column
    row: SummaryRow | None = None
    merge: str = ""              # "" | the symbol in the circle | "concat"
    shares: str | None = None
    output: bool = False
    feeds: int = 0               # how many layer calls read this tensor
    top: list[Label] = field(default_factory=list)
    bottom: list[Label] = field(default_factory=list)
    gw: float = 0.0
    gh: float = 0.0
    lift: float = 0.0            # room above the glyph (a recurrent loop)
    out_w: float = 0.0           # room right of the glyph (an output's arrow and word)

    @property
    def index(self) -> int | None:
        return None if self.row is None else self.row.index


# --- what each node shows -------------------------------------------------------------------

def _elide(col: Column, lang: Lang) -> None:
    """Re-slot a vector or neuron column for the smaller glyphs, with an honest count."""
    if col.kind not in ("vector", "neurons"):
        return
    base = col.note
    if col.hidden != 0:  # drop the Sequential drawing's own "⋯ n more"
        base = base.split(" · ", 1)[1] if " · " in base else ""
    col.slots, col.hidden = slots_for(col.count)
    col.note = lb.with_hidden(base, col.hidden, lang)


def _input_node(name: str, shape: tuple[int | None, ...], lang: Lang,
                first: bool = False) -> GNode:
    col = input_column(name, gl.input_title(name, lang), shape, first, lang)
    _elide(col, lang)  # the graph's own, smaller slots
    return GNode(name, col)


def _row_node(row: SummaryRow, lang: Lang, show_weight_shapes: bool,
              first: bool = False) -> GNode:
    col = column_for_row(row, lang, first, show_weight_shapes)
    node = GNode(row.name, col, row, shares=row.shares)
    if gl.is_merge(row):
        col.kind = "merge"
        col.args = gl.merge_args(row)
        symbol = lb.drawing_of(row.class_name).get("merge", "∘")
        if symbol == "concat":
            node.merge = "concat"
            col.note = gl.concat_note(row)
        else:
            node.merge = symbol
            col.note = ""
    else:
        _elide(col, lang)
    return node


def build_nodes(summary: Summary, lang: Lang, show_weight_shapes: bool) -> dict[str, GNode]:
    # channels_first maps: set by a conv or pooling layer's data_format, kept downstream
    # (an input takes its reader's), so that blocks show C×H×W in the right order
    first: dict[str, bool] = {}
    for row in summary.rows:
        if lb.family_of(row.class_name) in ("conv", "pooling") and "data_format" in row.args:
            first[row.name] = lb.channels_first(row)
            for t in row.inbound:
                first.setdefault(t, first[row.name])
        elif row.inbound:
            first[row.name] = first.get(row.inbound[0], False)
    nodes = {t.name: _input_node(t.name, t.shape, lang, first.get(t.name, False))
             for t in summary.inputs}
    for row in summary.rows:
        nodes[row.name] = _row_node(row, lang, show_weight_shapes, first.get(row.name, False))
    for row in summary.rows:
        for t in row.inbound:
            if t in nodes:
                nodes[t].feeds += 1
    for name in summary.outputs:
        if name in nodes:
            nodes[name].output = True
    return nodes


# --- sizes -------------------------------------------------------------------------------------

def glyph_size(node: GNode) -> tuple[float, float]:
    col = node.col
    if col.kind in ("vector", "neurons"):
        h = max(len(col.slots), 1) * SLOT
        return (2 * RADIUS if col.kind == "neurons" else SQUARE), h
    if col.kind == "merge":
        if node.merge == "concat":
            n = max(len(node.row.inbound) if node.row is not None else 1, 1)
            return CONCAT_WIDTH, n * CONCAT_SEGMENT
        return 2 * MERGE_RADIUS, 2 * MERGE_RADIUS
    if col.kind == "plate":
        return 0.18, glyphs.face_size(col.dims[0]) * BLOCK_SCALE
    if col.kind in ("sheet", "block"):
        size = glyphs.sheet_size if col.kind == "sheet" else glyphs.block_size
        w, h = size(col.dims)
        return w * BLOCK_SCALE, h * BLOCK_SCALE
    return 0.5, 0.5


class _Measure:
    """Label widths and heights from the cached glyph outlines (what is drawn)."""

    def __init__(self, theme: Theme, lang: Lang) -> None:
        self.t = theme
        self.lang = lang
        self.family = font_family(lang)

    def fam(self, label: Label) -> tuple[list[str], str]:
        if label.mono:
            return [MONO], label.weight
        if label.weight != "normal":
            return family_for(label.text, self.lang, label.weight)
        return self.family, label.weight

    def __call__(self, label: Label) -> Label:
        fam, weight = self.fam(label)
        label.width = textpaths.width_of(label.text, label.size, tuple(fam), weight,
                                         label.style)
        label.height = (label.text.count("\n") + 1) * label.size * LINE / 72
        return label


def _labels(node: GNode, theme: Theme, lang: Lang, measure: _Measure) -> None:
    fs = theme.font_size
    col = node.col
    top = [Label(col.title, fs, "title", weight="bold")]
    if col.subtitle:
        top.append(Label(col.subtitle, fs * 0.9, "type", muted=True))
    if col.args:
        top.append(Label(col.args, fs * 0.9, "args"))
    bottom = [Label(col.shape, fs * 0.9, "shape", mono=True)]
    if col.note:
        bottom.append(Label(col.note, fs * 0.85, "note", style="italic", muted=True))
    if node.shares:
        bottom.append(Label(gl.shares_text(node.shares, lang), fs * 0.85, "shares",
                            style="italic"))
    if col.edge:
        bottom.append(Label(col.edge, fs * 0.8, "weights", muted=True))
    if node.output and node.feeds:
        bottom.append(Label(Msg("draw.graph.output_line").render(lang), fs * 0.9, "output",
                            weight="bold"))
    node.top = [measure(lab) for lab in top if lab.text]
    node.bottom = [measure(lab) for lab in bottom if lab.text]
    node.gw, node.gh = glyph_size(node)
    node.lift = 0.28 if col.seq else 0.0
    if node.output and not node.feeds:
        word = measure(Label(Msg("draw.graph.output").render(lang), fs * 0.9, "output",
                             weight="bold"))
        node.out_w = BUS + 0.02 + OUT_ARROW + 0.06 + word.width


def extents(node: GNode) -> tuple[float, float, float, float]:
    """(left, right, up, down) of a node's box around its glyph's centre."""
    label_w = max((lab.width for lab in [*node.top, *node.bottom]), default=0.0)
    half = max(label_w, node.gw) / 2
    up = node.gh / 2 + node.lift + LABEL_GAP + sum(lab.height for lab in node.top)
    down = node.gh / 2 + LABEL_GAP + sum(lab.height for lab in node.bottom)
    return half, max(half, node.gw / 2 + node.out_w), up, down


# --- painting --------------------------------------------------------------------------------

class _GraphPainter(Painter):
    def __init__(self, scene: Scene, nodes: dict[str, GNode], lay: GraphLayout,
                 theme: Theme, lang: Lang, highlight: int | None, measure: _Measure) -> None:
        super().__init__(scene, theme, lang, RADIUS, highlight)
        self.nodes = nodes
        self.lay = lay
        self.measure = measure
        self.edges: list[tuple[str, list[tuple[float, float]]]] = []
        self.heads: list[Any] = []
        self.out_arrows: list[Any] = []
        self._buses: set[tuple[str, int]] = set()

    def fill_of(self, node: GNode) -> tuple[str, str]:
        col = node.col
        if col.kind == "merge":
            return self.t.background, self.t.foreground
        return self.glyph_colours(col.kind, col.family)

    # geometry ----------------------------------------------------------------------------
    def slot_ys(self, node: GNode, pos: Node) -> list[float | None]:
        top = pos.y + node.gh / 2 - SLOT / 2
        return [None if s is None else top - i * SLOT for i, s in enumerate(node.col.slots)]

    def bus(self, name: str, side: int) -> float | None:
        """x of the bar gathering a column of neurons or values into one tensor edge
        (side +1: leaving, -1: entering), drawn once; ``None`` for other glyphs."""
        node, pos = self.nodes[name], self.lay.nodes[name]
        ys = [y for y in self.slot_ys(node, pos) if y is not None]
        if node.col.kind not in ("vector", "neurons") or len(ys) < 2:
            return None
        half = RADIUS if node.col.kind == "neurons" else SQUARE / 2
        x = pos.x + side * (node.gw / 2 + BUS)
        if (name, side) not in self._buses:
            self._buses.add((name, side))
            segs = [[(pos.x + side * half, y), (x, y)] for y in ys]
            segs.append([(x, max(ys)), (x, min(ys))])
            self.lines(segs, f"bus:{name}", color=self.t.muted,
                       lw=self.t.line_width * self.s, zorder=2)
        return x

    def out_port(self, name: str) -> tuple[float, float]:
        node, pos = self.nodes[name], self.lay.nodes[name]
        x = self.bus(name, 1)
        return (pos.x + node.gw / 2 if x is None else x), pos.y

    def in_ports(self, name: str, n: int) -> list[tuple[float, float]]:
        """Where ``n`` inbound tensors enter a node, top to bottom."""
        node, pos = self.nodes[name], self.lay.nodes[name]
        if node.merge == "concat":
            top = pos.y + node.gh / 2
            return [(pos.x - node.gw / 2, top - (i + 0.5) * CONCAT_SEGMENT) for i in range(n)]
        if node.merge:
            spread = min(0.9, 2.0 / max(n, 1))  # radians between neighbours
            out = []
            for i in range(n):
                a = math.pi + (i - (n - 1) / 2) * spread
                out.append((pos.x + MERGE_RADIUS * math.cos(a),
                            pos.y + MERGE_RADIUS * math.sin(a)))
            return out
        x = self.bus(name, -1)
        return [(pos.x - node.gw / 2 if x is None else x, pos.y)] * n

    def block_geometry(self, node: GNode, pos: Node) -> glyphs.BlockBox:
        return glyphs.block_box(pos.x, pos.y, node.col.dims, BLOCK_SCALE)

    # glyphs ------------------------------------------------------------------------------
    def draw_glyph(self, node: GNode, pos: Node) -> None:
        col = node.col
        fill, edge = self.fill_of(node)
        lw = self.t.edge_width * self.s
        ls = "--" if (col.role == "input" or node.shares) else "-"
        x, y = pos.x, pos.y
        if col.kind in ("vector", "neurons"):
            offsets = [(x, sy) for sy in self.slot_ys(node, pos) if sy is not None]
            if col.kind == "neurons":
                self.dots(offsets, f"neurons:{node.name}", fill, edge, lw, ls=ls)
            else:
                self.cells(glyphs.squares(offsets, SQUARE / 2), f"values:{node.name}", fill,
                           edge, lw, ls, zorder=3)
                if lb.drops_values(col.row):
                    self.cross_out(col.row, node.name, offsets, SQUARE / 2)
            for i, s in enumerate(col.slots):
                if s is None:
                    gy = pos.y + node.gh / 2 - SLOT / 2 - i * SLOT
                    self.text(x, gy, "⋮", size=self.t.font_size * 1.1,
                              gid=f"gap:{node.name}", va="center", color=self.t.muted,
                              family=["DejaVu Sans"])
            if col.seq:
                self.draw_loop(node, pos)
        elif col.kind == "block":
            polys, faces = glyphs.block_faces(self.block_geometry(node, pos), fill)
            self.cells(polys, f"block:{node.name}", faces, edge, lw, ls, zorder=3)
        elif col.kind in ("sheet", "plate"):
            x0, y0 = x - node.gw / 2, y - node.gh / 2
            dropout = lb.drops_values(col.row)
            self.box(f"{col.kind}:{node.name}", x0, y0, node.gw, node.gh, fill=fill,
                     edge=edge, lw=lw, ls=ls, rounding=0.04, zorder=3)
            if dropout and col.kind == "plate":
                self.hatch(f"dropped:{node.name}", x0, y0, node.gw, node.gh, edge, lw)
        elif node.merge == "concat":
            self.draw_concat(node, pos, lw)
        elif node.merge:
            self.dots([(x, y)], f"merge:{node.name}", fill, edge, 1.4 * lw,
                      radius=MERGE_RADIUS, zorder=4)
            size = self.t.font_size * (1.5 if len(node.merge) == 1 else 0.8)
            self.text(x, y, node.merge, size=size, gid=f"merge-op:{node.name}", va="center",
                      weight="bold", family=["DejaVu Sans"])

    def draw_concat(self, node: GNode, pos: Node, lw: float) -> None:
        """One segment per input, first at the top, in the colour of that input."""
        assert node.row is not None
        x0 = pos.x - node.gw / 2
        top = pos.y + node.gh / 2
        polys, faces = [], []
        for i, src in enumerate(node.row.inbound):
            y1 = top - i * CONCAT_SEGMENT
            y0 = y1 - CONCAT_SEGMENT
            polys.append([(x0, y0), (x0 + node.gw, y0), (x0 + node.gw, y1), (x0, y1)])
            faces.append(self.fill_of(self.nodes[src])[0] if src in self.nodes
                         else self.t.plain)
        self.cells(polys, f"merge:{node.name}", faces, self.t.edge, lw, "-", zorder=3)

    def draw_loop(self, node: GNode, pos: Node) -> None:
        ys = [sy for sy in self.slot_ys(node, pos) if sy is not None]
        if not ys:
            return
        self.loop_arrow(pos.x, ys[0] + RADIUS, self.t.fill(node.col.family), 10, 1.2,
                        f"recurrent:{node.name}")

    # labels ------------------------------------------------------------------------------
    def draw_labels(self, node: GNode, pos: Node) -> None:
        y = pos.y + pos.up
        for lab in node.top:
            self.label(lab, node, pos.x, y)
            y -= lab.height
        y = pos.y - node.gh / 2 - LABEL_GAP
        for lab in node.bottom:
            self.label(lab, node, pos.x, y)
            y -= lab.height
        if node.out_w:
            x0 = self.out_port(node.name)[0] + 0.02
            self.out_arrows.append(((x0, pos.y), (x0 + OUT_ARROW, pos.y)))
            word = Msg("draw.graph.output").render(self.lang)
            self.text(x0 + OUT_ARROW + 0.06, pos.y, word, size=self.t.font_size * 0.9,
                      gid=f"label:output:{node.name}", va="center", ha="left",
                      weight="bold")

    def label(self, lab: Label, node: GNode, x: float, y: float) -> None:
        colour = self.t.muted if lab.muted else self.t.foreground
        fam, weight = self.measure.fam(lab)
        self.text(x, y, lab.text, size=lab.size, gid=f"label:{lab.role}:{node.name}",
                  va="top", color=colour, family=fam, weight=weight, style=lab.style)

    def draw_highlight(self, pos: Node) -> None:
        x0, y0, x1, y1 = pos.box
        pad = 0.08
        self.highlight_box(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad, pos.name)

    # edges -------------------------------------------------------------------------------
    def weights_as_lines(self, src: str, dst: str) -> bool:
        """A one-to-one link between Dense-like layers: its weights as lines."""
        a, b = self.nodes[src], self.nodes[dst]
        pa, pb = self.lay.nodes[src], self.lay.nodes[dst]
        return (b.col.kind == "neurons" and b.row is not None and len(b.row.inbound) == 1
                and a.feeds == 1 and a.col.kind in ("vector", "neurons")
                and pb.column == pa.column + 1 and abs(pa.y - pb.y) < 0.3
                and (lb.has_weight(b.row, "kernel") or b.shares is not None))

    def draw_weights(self, src: str, dst: str) -> None:
        a, b = self.nodes[src], self.nodes[dst]
        pa, pb = self.lay.nodes[src], self.lay.nodes[dst]
        ha = RADIUS if a.col.kind == "neurons" else SQUARE / 2
        s_pts = [(pa.x + ha, y) for y in self.slot_ys(a, pa) if y is not None]
        d_pts = [(pb.x - RADIUS, y) for y in self.slot_ys(b, pb) if y is not None]
        self.lines(glyphs.all_pairs(s_pts, d_pts), f"weights:{dst}", color=self.t.line,
                   lw=self.t.line_width * self.s, alpha=self.t.line_alpha, zorder=1)

    def draw_edges(self) -> None:
        by_dst: dict[str, list[Any]] = {}
        for e in self.lay.edges:
            by_dst.setdefault(e.dst, []).append(e)
        for dst, edges in by_dst.items():
            if len(edges) == 1 and self.weights_as_lines(edges[0].src, dst):
                self.draw_weights(edges[0].src, dst)
                continue
            if not self.lay.nodes[dst].ordered_ports:  # in the order they come, top first
                edges = sorted(edges, key=lambda e: -self.lay.nodes[e.path[-2]].y)
            ports = self.in_ports(dst, len(edges))
            for e, port in zip(edges, ports, strict=True):
                self.edge(e.path, port, f"edge:{e.src}>{dst}")

    def edge(self, path: list[str], port: tuple[float, float], gid: str) -> None:
        lay = self.lay
        x, y = self.out_port(path[0])
        c = lay.nodes[path[0]].column
        pts: list[tuple[float, float]] = [(x, y), (lay.column_right[c], y)]
        for name in path[1:]:
            node = lay.nodes[name]
            last = name == path[-1]
            ny = port[1] if last else node.y
            x0, y0 = pts[-1]
            x1 = lay.column_left[node.column]
            pts += _s_curve(x0, y0, x1, ny)[1:]
            pts.append(port if last else (lay.column_right[node.column], ny))
        # the shaft stops short of the port; the head (drawn separately) reaches it
        (ax_, ay), (bx, by) = pts[-2], pts[-1]
        length = math.hypot(bx - ax_, by - ay) or 1.0
        head = 0.09
        if length > head:
            pts[-1] = (bx - head * 0.8 * (bx - ax_) / length, by - head * 0.8 * (by - ay) / length)
        self.heads.append((pts[-2], (bx, by)))
        clean = [pts[0]]
        for p in pts[1:]:
            if abs(p[0] - clean[-1][0]) > 1e-9 or abs(p[1] - clean[-1][1]) > 1e-9:
                clean.append(p)
        self.edges.append((gid, clean))

    def flush(self) -> None:
        """Edges, output arrows and their heads."""
        t = self.t
        head = 0.1
        if self.out_arrows:  # an output's shaft; its head goes with the edges' heads
            self.lines([[a, (b[0] - head * 0.8, b[1])] for a, b in self.out_arrows],
                       "output-arrows", color=t.muted, lw=1.3 * t.line_width * self.s,
                       zorder=2)
        for gid, points in self.edges:
            self.lines([points], gid, color=t.muted, lw=1.3 * t.line_width * self.s,
                       zorder=2, round_caps=True)
        if self.heads or self.out_arrows:
            tris = [glyphs.arrow_head(end, glyphs.direction(start, end), head)
                    for start, end in [*self.heads, *self.out_arrows]]
            self.cells(tris, "edge-heads", t.muted, "none", 0.0, "-", zorder=5)

    def paint(self, caption: list[str]) -> None:
        for name, node in self.nodes.items():
            pos = self.lay.nodes[name]
            if self.highlight is not None and node.index == self.highlight:
                self.draw_highlight(pos)
            self.draw_glyph(node, pos)
            self.draw_labels(node, pos)
        self.draw_edges()
        fs = self.t.font_size
        lh = fs * LINE / 72
        for i, line in enumerate(caption):
            self.text(0.3, 0.3 + (len(caption) - i) * lh, line, size=fs * 0.9,
                      gid=f"caption:{i}", va="top", ha="left", color=self.t.error)
        self.flush()


_T = np.linspace(0.0, 1.0, 14)
# Bernstein weights of a cubic whose inner control points sit halfway across in x and
# level with their end in y: x and y of the curve as one matrix product each
_MID = 1.5 * (1 - _T) ** 2 * _T + 1.5 * (1 - _T) * _T ** 2
_BX = np.column_stack([(1 - _T) ** 3 + _MID, _T ** 3 + _MID])
_BY = np.column_stack([(1 - _T) ** 3 + 3 * (1 - _T) ** 2 * _T,
                       3 * (1 - _T) * _T ** 2 + _T ** 3])


def _s_curve(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A cubic from (x0, y0) to (x1, y1), leaving and arriving horizontally."""
    if abs(y1 - y0) < 1e-6:
        return [(x0, y0), (x1, y1)]
    xs = _BX @ np.array([x0, x1])
    ys = _BY @ np.array([y0, y1])
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


# --- entry point ------------------------------------------------------------------------------

def graph_layout_of(summary: Summary, theme: Theme, lang: Lang = "en",
                    show_weight_shapes: bool = False
                    ) -> tuple[dict[str, GNode], GraphLayout]:
    """The nodes (what each shows) and their layout, without drawing anything."""
    nodes = build_nodes(summary, lang, show_weight_shapes)
    measure = _Measure(theme, lang)
    for node in nodes.values():
        _labels(node, theme, lang, measure)
    layers = [(r.name, r.inbound, gl.inputs_ordered(r)) for r in summary.rows]
    lay = layout_graph([t.name for t in summary.inputs], layers,
                       lambda n: extents(nodes[n.name]))
    return nodes, lay


def graph_scene(summary: Summary, *, theme: Theme, lang: Lang, highlight: int | None,
                show_weight_shapes: bool = False) -> Scene:
    """A functional model's graph as a scene (see :func:`shapewidget.render.drawing.draw`)."""
    nodes, lay = graph_layout_of(summary, theme, lang, show_weight_shapes)
    caption: list[str] = []
    if summary.error is not None:
        lay.width = max(lay.width, 7.0)
        caption = wrap_caption(error_caption(summary, lang), lay.width, theme.font_size)
    if caption:
        cap_h = len(caption) * theme.font_size * LINE / 72 + 0.15
        for pos in lay.nodes.values():
            pos.y += cap_h
        lay.height += cap_h
    out = Scene(lay.width, lay.height, theme.background)
    painter = _GraphPainter(out, nodes, lay, theme, lang, highlight, _Measure(theme, lang))
    painter.paint(caption)
    return out
