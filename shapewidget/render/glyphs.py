"""Geometry shared by the Sequential and the graph drawings (no matplotlib artists).

Elided slots, the sizes and faces of feature maps, Dropout's crosses, arrow heads and
all-to-all weight lines: plain numbers and vertex lists, in inches.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.colors import to_rgb

from ..summary import SummaryRow
from . import labels as lb

Point = tuple[float, float]
Dims = tuple[int | None, int | None, int | None]
BlockBox = tuple[float, float, float, float, float, float]


def head_slots(most: int) -> int:
    """How many slots come before the gap when at most ``most`` are shown: all but the
    gap mark and the last one."""
    return most - 2


def elided_slots(n: int | None, most: int,
                 unknown: int) -> tuple[list[int | None], int | None]:
    """Indices to draw for ``n`` items (``None`` marks the gap) and how many are hidden.

    Nothing is elided when ``n <= most``; otherwise the first :func:`head_slots`, a gap
    and the last one. ``n`` unknown: ``unknown`` slots and a gap, hidden count unknown.
    """
    if n is None:
        return [*range(unknown), None], None
    if n <= most:
        return list(range(n)), 0
    head = head_slots(most)
    return [*range(head), None, n - 1], n - head - 1


def face_size(n: int | None) -> float:
    """Edge length of a feature map's face for an axis of ``n``: log-scaled, bounded."""
    if n is None:
        return 1.0
    return min(0.3 + 0.21 * math.log2(max(n, 1) + 1), 1.8)


def depth_size(c: int | None) -> float:
    """Depth of a feature map's block for ``c`` channels: log-scaled, bounded."""
    if c is None:
        return 0.5
    return min(max(0.06 + 0.11 * math.log2(max(c, 1)), 0.06), 0.9)


def sheet_size(dims: Dims) -> tuple[float, float]:
    """Width and height of a sheet (steps × features)."""
    steps, feats, _ = dims
    return (min(max(0.15 + 0.12 * math.log2(max(feats or 8, 1)), 0.15), 1.0),
            face_size(steps))


def block_size(dims: Dims) -> tuple[float, float]:
    """Width and height of a feature-map block (H, W, C), its depth included."""
    bh, bw, bc = dims
    d = depth_size(bc)
    return face_size(bw) + 0.7 * d, face_size(bh) + 0.5 * d


def block_box(x: float, y: float, dims: Dims, scale: float = 1.0) -> BlockBox:
    """(left, bottom, width, height) of a block centred on (x, y) and its depth offsets."""
    h, w, c = dims
    fw, fh = face_size(w) * scale, face_size(h) * scale
    d = depth_size(c) * scale
    dx, dy = 0.7 * d, 0.5 * d
    return x - (fw + dx) / 2, y - (fh + dy) / 2, fw, fh, dx, dy


def block_faces(box: BlockBox, fill: str) -> tuple[list[list[Point]], list[Any]]:
    """The side, top and front of a block and their colours: the side darker, the top
    lighter (a box seen from above and to the right)."""
    fx, fy, fw, fh, dx, dy = box
    front = [(fx, fy), (fx + fw, fy), (fx + fw, fy + fh), (fx, fy + fh)]
    top = [(fx, fy + fh), (fx + fw, fy + fh), (fx + fw + dx, fy + fh + dy),
           (fx + dx, fy + fh + dy)]
    side = [(fx + fw, fy), (fx + fw + dx, fy + dy), (fx + fw + dx, fy + fh + dy),
            (fx + fw, fy + fh)]
    return [side, top, front], [shaded(fill, 0.0, 0.25), shaded(fill, 1.0, 0.25), fill]


def shaded(colour: str, towards: float, amount: float) -> tuple[float, float, float]:
    """``colour`` mixed with black (``towards=0``) or white (``towards=1``)."""
    r, g, b = to_rgb(colour)
    return (r + (towards - r) * amount, g + (towards - g) * amount, b + (towards - b) * amount)


def squares(centres: list[Point], half: float) -> list[list[Point]]:
    """Value cells: a square of side ``2 * half`` around each centre."""
    return [[(x - half, y - half), (x + half, y - half), (x + half, y + half),
             (x - half, y + half)] for x, y in centres]


def dropout_crosses(row: SummaryRow | None, centres: list[Point],
                    half: float) -> list[list[Point]]:
    """Dropout: the two strokes crossing out every ``1/rate``-th value cell."""
    rate = lb.arg(row, "rate", 0.5) if row is not None else 0.5
    try:
        every = max(round(1 / float(rate)), 1) if float(rate) > 0 else 0
    except (TypeError, ValueError, ZeroDivisionError):
        every = 2
    if not every:
        return []
    segs = []
    for i, (x, y) in enumerate(centres):
        if i % every == every - 1:
            segs += [[(x - half, y - half), (x + half, y + half)],
                     [(x - half, y + half), (x + half, y - half)]]
    return segs


def all_pairs(src: list[Point], dst: list[Point]) -> Any:
    """Every source to every destination, as one (n·m, 2, 2) array: no list of pairs
    for the line collection to convert again."""
    pairs = np.empty((len(src), len(dst), 2, 2))
    # reshape: a zero-size axis gives no points, and asarray([]) has no point axis
    pairs[:, :, 0] = np.asarray(src, dtype=float).reshape(-1, 2)[:, None]
    pairs[:, :, 1] = np.asarray(dst, dtype=float).reshape(-1, 2)[None, :]
    return pairs.reshape(-1, 2, 2)


def direction(start: Point, end: Point) -> Point:
    """The unit vector from ``start`` to ``end`` ((0, 0) when they coincide)."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    return (x1 - x0) / length, (y1 - y0) / length


def arrow_head(tip: Point, unit: Point, length: float = 0.1,
               half: float = 0.045) -> list[Point]:
    """The triangle of an arrow head pointing along ``unit`` with its point at ``tip``."""
    (x1, y1), (ux, uy) = tip, unit
    bx, by = x1 - length * ux, y1 - length * uy
    return [(x1, y1), (bx - half * uy, by + half * ux), (bx + half * uy, by - half * ux)]
