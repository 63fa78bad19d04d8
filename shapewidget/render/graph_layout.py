"""Layered layout of a functional model's graph (pure Python, no matplotlib).

The classic layered ("Sugiyama") drawing, small enough to run on every edit:

1. columns by depth: a layer sits one column after the deepest tensor it reads (the
   longest path from an input); an input sits just before its first consumer, so a
   side input (``meta`` joining late) is drawn next to where it is used;
2. an edge spanning several columns gets a *dummy* node in every column it passes, so
   it runs in its own lane between the nodes instead of through them;
3. the order inside each column reduces edge crossings: barycentre sweeps down and up,
   then swaps of neighbours while that removes crossings, keeping the best order seen;
4. vertical positions: each node moves towards the nodes it connects to (chains come
   out straight) while nodes of a column keep their order and never overlap
   (isotonic regression, pool-adjacent-violators).

Sizes come from the caller (the drawing measures labels and glyphs); the layout knows
nothing about what a node looks like. Units are inches, y upwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

NODE_GAP = 0.28    # free space between two nodes of one column
LANE_GAP = 0.22    # between an edge lane (dummy) and a neighbour
COLUMN_GAP = 0.85  # free space between two columns, for the edges
MARGIN = 0.3


@dataclass
class Node:
    """One node of the layout: an input tensor, a layer call, or a dummy (edge lane).

    ``left``/``right``: extent of the node's box from its centre line (x), ``up``/
    ``down``: from its glyph's centre (y). Edges meet nodes at the centre height.
    """

    name: str
    kind: str                       # input | layer | dummy
    inbound: tuple[str, ...] = ()
    ordered_ports: bool = True      # False: inbound edges may meet in any order (Add)
    left: float = 0.0
    right: float = 0.0
    up: float = 0.0
    down: float = 0.0
    column: int = 0
    order: int = 0
    x: float = 0.0
    y: float = 0.0

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the node's box."""
        return (self.x - self.left, self.y - self.down, self.x + self.right, self.y + self.up)


@dataclass
class Edge:
    """A tensor from ``src`` into port ``port`` (of ``ports``) of ``dst``; ``path``: the
    nodes it passes, ``src`` and ``dst`` included (dummies between)."""

    src: str
    dst: str
    port: int
    ports: int
    path: list[str] = field(default_factory=list)


@dataclass
class GraphLayout:
    nodes: dict[str, Node]
    edges: list[Edge]
    columns: list[list[str]]        # node names per column, top to bottom
    width: float = 0.0
    height: float = 0.0
    column_left: list[float] = field(default_factory=list)   # x of each column's box edges
    column_right: list[float] = field(default_factory=list)

    def crossings(self) -> int:
        return count_crossings(self)


Sizer = Callable[[Node], tuple[float, float, float, float]]
"""(left, right, up, down) of a real node."""


# --- 1. columns -------------------------------------------------------------------------

def assign_columns(inputs: Sequence[str],
                   inbound: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Column of every tensor: layers by longest path from an input, inputs just before
    their first consumer (column 0 when nothing reads them)."""
    depth: dict[str, int] = dict.fromkeys(inputs, 0)
    pending = dict(inbound)
    while pending:  # spec order is usually dependency order: one or two passes
        progress = False
        for name, srcs in list(pending.items()):
            known = [s for s in srcs if s in depth or s not in inbound]
            if len(known) < len(srcs):
                continue
            depth[name] = 1 + max((depth.get(s, 0) for s in srcs), default=-1)
            del pending[name]
            progress = True
        if not progress:  # a cycle (the summary rejects those): put the rest last
            last = max(depth.values(), default=0) + 1
            for name in pending:
                depth[name] = last
            break
    for name in inputs:
        consumers = [depth[n] for n, srcs in inbound.items() if name in srcs]
        depth[name] = max(min(consumers) - 1, 0) if consumers else 0
    low = min(depth.values(), default=0)
    return {n: d - low for n, d in depth.items()}


# --- 2. the graph with dummies ----------------------------------------------------------

def build(inputs: Sequence[str], layers: Sequence[tuple[str, tuple[str, ...], bool]]
          ) -> GraphLayout:
    """Nodes, edges (with dummies) and columns in a first order (spec order).

    ``layers``: (name, inbound tensor names, ordered ports) in spec order; inbound names
    that are neither an input nor a layer are left out (a model that failed part way).
    """
    known = set(inputs) | {name for name, _, _ in layers}
    inbound = {name: tuple(s for s in srcs if s in known) for name, srcs, _ in layers}
    columns_of = assign_columns(inputs, inbound)
    nodes: dict[str, Node] = {}
    for name in inputs:
        nodes[name] = Node(name, "input", column=columns_of[name])
    for name, _, ordered in layers:
        nodes[name] = Node(name, "layer", inbound[name], ordered, column=columns_of[name])
    edges: list[Edge] = []
    for name, _, _ in layers:
        srcs = inbound[name]
        for port, src in enumerate(srcs):
            path = [src]
            for c in range(nodes[src].column + 1, nodes[name].column):
                dummy = f"\x00{src}>{name}#{port}@{c}"
                nodes[dummy] = Node(dummy, "dummy", (path[-1],), column=c)
                path.append(dummy)
            path.append(name)
            edges.append(Edge(src, name, port, len(srcs), path))
    n_cols = max((n.column for n in nodes.values()), default=0) + 1
    columns: list[list[str]] = [[] for _ in range(n_cols)]
    for name, node in nodes.items():  # inputs first, then spec order, dummies in between
        columns[node.column].append(name)
    lay = GraphLayout(nodes, edges, columns)
    _renumber(lay)
    return lay


def _renumber(lay: GraphLayout) -> None:
    for col in lay.columns:
        for i, name in enumerate(col):
            lay.nodes[name].order = i


def _segments(lay: GraphLayout) -> list[list[tuple[str, str, float]]]:
    """Per column gap c (between column c and c+1): (upper node, lower node, port
    offset at the lower node) of every edge piece crossing it."""
    gaps: list[list[tuple[str, str, float]]] = [[] for _ in range(max(len(lay.columns) - 1,
                                                                          0))]
    for e in lay.edges:
        dst = lay.nodes[e.dst]
        offset = ((e.port + 0.5) / e.ports - 0.5) * 0.8 if dst.ordered_ports else 0.0
        for a, b in pairwise(e.path):
            off = offset if b == e.dst else 0.0
            gaps[lay.nodes[a].column].append((a, b, off))
    return gaps


# --- 3. order within columns --------------------------------------------------------------

def _gap_crossings(lay: GraphLayout, segs: list[tuple[str, str, float]]) -> int:
    pts = [(lay.nodes[a].order, lay.nodes[b].order + off) for a, b, off in segs]
    n = 0
    for i, (a0, b0) in enumerate(pts):
        for a1, b1 in pts[i + 1:]:
            if (a0 - a1) * (b0 - b1) < 0:
                n += 1
    return n


def count_crossings(lay: GraphLayout) -> int:
    """Edge crossings between neighbouring columns, ports of ordered merges counted as
    distinct points (a Concatenate's first input enters at the top)."""
    return sum(_gap_crossings(lay, segs) for segs in _segments(lay))


def _sweep(lay: GraphLayout, gaps: list[list[tuple[str, str, float]]], down: bool) -> None:
    rng = range(1, len(lay.columns)) if down else range(len(lay.columns) - 2, -1, -1)
    for c in rng:
        pulls: dict[str, list[float]] = {}
        if down:
            for a, b, off in gaps[c - 1]:
                pulls.setdefault(b, []).append(lay.nodes[a].order - off)
        else:
            for a, b, off in gaps[c]:
                pulls.setdefault(a, []).append(lay.nodes[b].order + off)
        col = lay.columns[c]
        keyed = [(sum(pulls[n]) / len(pulls[n]) if n in pulls else float(lay.nodes[n].order),
                  lay.nodes[n].order, n) for n in col]
        lay.columns[c] = [n for _, _, n in sorted(keyed)]
        for i, name in enumerate(lay.columns[c]):
            lay.nodes[name].order = i


def _transpose(lay: GraphLayout, gaps: list[list[tuple[str, str, float]]]) -> None:
    """Swap neighbours in a column while that removes crossings."""
    def around(c: int) -> int:
        return ((_gap_crossings(lay, gaps[c - 1]) if c > 0 else 0)
                + (_gap_crossings(lay, gaps[c]) if c < len(gaps) else 0))

    for _ in range(4):
        improved = False
        for c, col in enumerate(lay.columns):
            for i in range(len(col) - 1):
                before = around(c)
                if not before:
                    break
                col[i], col[i + 1] = col[i + 1], col[i]
                lay.nodes[col[i]].order, lay.nodes[col[i + 1]].order = i, i + 1
                if around(c) < before:
                    improved = True
                else:
                    col[i], col[i + 1] = col[i + 1], col[i]
                    lay.nodes[col[i]].order, lay.nodes[col[i + 1]].order = i, i + 1
        if not improved:
            break


def order_columns(lay: GraphLayout, sweeps: int = 8) -> int:
    """Reduce crossings in place; returns the crossing count of the order kept."""
    gaps = _segments(lay)
    best = count_crossings(lay)
    best_cols = [list(c) for c in lay.columns]
    for i in range(sweeps):
        if best == 0:
            break
        _sweep(lay, gaps, down=i % 2 == 0)
        _transpose(lay, gaps)
        n = count_crossings(lay)
        if n < best:
            best, best_cols = n, [list(c) for c in lay.columns]
    lay.columns = best_cols
    _renumber(lay)
    return best


# --- 4. coordinates -----------------------------------------------------------------------

def _separation(upper: Node, lower: Node) -> float:
    """Least distance between the centres of two neighbours in a column."""
    if upper.kind == "dummy" and lower.kind == "dummy":
        return LANE_GAP
    gap = LANE_GAP if "dummy" in (upper.kind, lower.kind) else NODE_GAP
    return upper.down + lower.up + gap


def _isotonic(targets: list[float], weights: list[float]) -> list[float]:
    """Non-increasing fit to ``targets`` minimising the weighted squared error (PAVA)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m1, w1, n1 = blocks.pop()
            m0, w0, n0 = blocks.pop()
            blocks.append([(m0 * w0 + m1 * w1) / (w0 + w1), w0 + w1, n0 + n1])
    out: list[float] = []
    for m, _, n in blocks:
        out += [m] * int(n)
    return out


def _place_column(lay: GraphLayout, col: list[str], want: dict[str, float]) -> None:
    """y of the nodes of a column, top to bottom, as close to ``want`` as the
    separations allow."""
    nodes = [lay.nodes[n] for n in col]
    offsets = [0.0]
    for a, b in pairwise(nodes):
        offsets.append(offsets[-1] + _separation(a, b))
    # y_i = q_i - offset_i with q non-increasing: y_i - y_{i+1} >= separation
    targets = [want.get(n.name, n.y) + off for n, off in zip(nodes, offsets, strict=True)]
    # a dummy (an edge's lane) gives way to a node; a node nothing pulls stays put
    weights = [(1e-4 if n.kind == "dummy" else 1.0) if n.name in want else 0.05
               for n in nodes]
    fitted = _isotonic(targets, weights)
    for n, q, off in zip(nodes, fitted, offsets, strict=True):
        n.y = q - off


def _neighbours(lay: GraphLayout) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for e in lay.edges:
        for a, b in pairwise(e.path):
            after.setdefault(a, []).append(b)
            before.setdefault(b, []).append(a)
    return before, after


def place(lay: GraphLayout, size: Sizer, passes: int = 6) -> None:
    """x and y of every node (inches, y up), the figure's width and height."""
    for node in lay.nodes.values():
        if node.kind == "dummy":
            node.left = node.right = node.up = node.down = 0.0
        else:
            node.left, node.right, node.up, node.down = size(node)
    # x: columns side by side
    lay.column_left, lay.column_right = [], []
    x = MARGIN
    for c, col in enumerate(lay.columns):
        left = max((lay.nodes[n].left for n in col), default=0.0)
        right = max((lay.nodes[n].right for n in col), default=0.0)
        if c:
            x += COLUMN_GAP
        x += left
        lay.column_left.append(x - left)
        lay.column_right.append(x + right)
        for n in col:
            lay.nodes[n].x = x
        x += right
    lay.width = x + MARGIN
    # y: stack each column, then pull nodes towards their neighbours, alternately
    # towards what they read and what reads them, ending with what they read
    for col in lay.columns:
        _place_column(lay, col, {})
    before, after = _neighbours(lay)

    def pull(names: list[str], table: dict[str, list[str]]) -> dict[str, float]:
        want = {}
        for n in names:
            others = [lay.nodes[o] for o in table.get(n, ())]
            real = [o for o in others if o.kind != "dummy"]
            if lay.nodes[n].kind != "dummy" and real:
                others = real  # a chain runs straight; the lane of a skip bends around it
            if others:
                ys = sorted(o.y for o in others)
                mid = len(ys) // 2
                want[n] = ys[mid] if len(ys) % 2 else (ys[mid - 1] + ys[mid]) / 2
        return want

    for i in range(passes + 1):
        if i % 2 == 0:
            for c in range(1, len(lay.columns)):
                _place_column(lay, lay.columns[c], pull(lay.columns[c], before))
        else:
            for c in range(len(lay.columns) - 2, -1, -1):
                _place_column(lay, lay.columns[c], pull(lay.columns[c], after))
    top = max((n.y + n.up for n in lay.nodes.values()), default=0.0)
    bottom = min((n.y - n.down for n in lay.nodes.values()), default=0.0)
    for node in lay.nodes.values():
        node.y += MARGIN - bottom
    lay.height = top - bottom + 2 * MARGIN


def layout_graph(inputs: Sequence[str], layers: Sequence[tuple[str, tuple[str, ...], bool]],
                 size: Sizer) -> GraphLayout:
    """Columns, order and coordinates of a graph in one call."""
    lay = build(inputs, layers)
    order_columns(lay)
    place(lay, size)
    return lay
