"""What the Sequential and the graph drawings paint with: a scene builder.

:class:`Painter` records the lines, neurons, value cells, boxes and labels of a drawing
into a :class:`.scene.Scene` (plain data, no matplotlib artists), each tagged with the
layer it belongs to. The renderers (:mod:`.scene_svg`, :mod:`.scene_mpl`) draw it.
"""

from __future__ import annotations

import math
from typing import Any

from ..summary import SummaryRow
from ..text import Lang
from .fonts import family_for, font_family
from .glyphs import Point, arrow_head, direction, dropout_crosses
from .scene import Label, Scene, Shape, Style, layer_of
from .theme import Theme

PANEL_ROUNDING = 0.14  # corner radius of the notebook display's panel (inches)
LABEL_Z = 6.0


class Painter:
    """Records one drawing into :attr:`scene`. ``radius``: the neurons' radius."""

    def __init__(self, scene: Scene, theme: Theme, lang: Lang, radius: float,
                 highlight: int | None) -> None:
        self.scene = scene
        self.t = theme
        self.lang = lang
        self.s = 1.0  # line widths of the layout; a renderer scales the whole scene
        self.radius = radius
        self.highlight = highlight
        self.family = tuple(font_family(lang))

    def _shape(self, kind: Any, gid: str, style: Style, geometry: Any,
               radius: float = 0.0, faces: list[Any] | None = None) -> None:
        self.scene.shapes.append(Shape(kind, gid, style, geometry, radius, faces,
                                       layer_of(gid)))

    # shapes ------------------------------------------------------------------------------
    def lines(self, segs: Any, gid: str, *, color: str, lw: float, zorder: float,
              alpha: float = 1.0, ls: str = "-", round_caps: bool = False) -> None:
        """Straight segments or polylines."""
        if len(segs):
            self._shape("lines", gid, Style(edge=color, lw=lw, alpha=alpha, ls=ls, z=zorder,
                                            round_caps=round_caps), segs)

    def dots(self, offsets: Any, gid: str, fill: str, edge: str, lw: float, *,
             alpha: float = 1.0, ls: str = "-", radius: float | None = None,
             zorder: float = 4) -> None:
        """Neurons (circles of the painter's radius unless ``radius`` is given)."""
        if len(offsets):
            self._shape("circles", gid, Style(fill, edge, lw, alpha, ls, zorder), offsets,
                        self.radius if radius is None else radius)

    def cells(self, polys: Any, gid: str, fill: Any, edge: str, lw: float, ls: str, *,
              alpha: float = 1.0, zorder: float = 4) -> None:
        """Value cells or feature-map faces (``fill``: one colour, or one per polygon)."""
        if not len(polys):
            return
        if isinstance(fill, str):
            self._shape("polygons", gid, Style(fill, edge, lw, alpha, ls, zorder), polys)
        else:
            self._shape("polygons", gid, Style("each", edge, lw, alpha, ls, zorder), polys,
                        faces=list(fill))

    def box(self, gid: str, x: float, y: float, w: float, h: float, *, fill: str,
            edge: str = "none", lw: float = 0.0, alpha: float = 1.0, ls: str = "-",
            rounding: float = 0.0, zorder: float = 3) -> None:
        """A rectangle with its lower left corner at (x, y), corners rounded."""
        self._shape("boxes", gid, Style(fill, edge, lw, alpha, ls, zorder),
                    [(x, y, w, h)], rounding)

    def arrow(self, points: list[Point], gid: str, *, color: str, lw: float,
              head: float = 0.1, ls: str = "-", alpha: float = 1.0,
              zorder: float = 5) -> None:
        """A polyline ending in a filled arrow head at its last point."""
        tip, before = points[-1], points[-2]
        ux, uy = direction(before, tip)
        shaft = [*points[:-1], (tip[0] - head * 0.8 * ux, tip[1] - head * 0.8 * uy)]
        self.lines([shaft], gid, color=color, lw=lw, zorder=zorder, alpha=alpha, ls=ls)
        self.cells([arrow_head(tip, (ux, uy), head, head * 0.45)], gid + "-head", color,
                   "none", 0.0, "-", alpha=alpha, zorder=zorder)

    def text(self, x: float, y: float, s: str, *, size: float, gid: str,
             family: str | list[str] | tuple[str, ...] | None = None, **kw: Any) -> None:
        """A label; ``size`` in points. Bold text picks a font with bold glyphs for its
        script unless ``family`` is given."""
        if not s:
            return
        weight = kw.get("weight", "normal")
        if family is None:
            fam: tuple[str, ...] = self.family
            if weight != "normal":
                fams, weight = family_for(s, self.lang, weight)
                fam = tuple(fams)
        else:
            fam = (family,) if isinstance(family, str) else tuple(family)
        self.scene.labels.append(Label(
            x, y, s, size, str(kw.get("color", self.t.foreground)), gid, fam, weight,
            kw.get("style", "normal"), kw.get("ha", "center"), kw.get("va", "baseline"),
            layer_of(gid)))

    # shared glyphs -------------------------------------------------------------------------
    def glyph_colours(self, kind: str, family: str) -> tuple[str, str]:
        """Fill and outline of a layer's glyph: plain layers (and their neurons) in
        neutral colours, the others in their family's colour."""
        if kind == "neurons" and family == "core":
            return self.t.neuron, self.t.neuron_edge
        if family in ("core", "shared"):
            return self.t.plain, self.t.edge
        return self.t.fill(family), self.t.edge

    def loop_arrow(self, x: float, top: float, colour: str, size: float, lw: float,
                   gid: str, alpha: float | None = None) -> None:
        """A recurrent layer's loop: an arc over the top neuron, whose top is at ``top``."""
        r = self.radius
        x0, x1, y = x + r * 0.9, x - r * 0.9, top - 0.02
        cx, cy = (x0 + x1) / 2, y - 1.9 * (x1 - x0)  # a quadratic arc, bent upwards
        steps = 12
        pts = [((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
                (1 - t) ** 2 * y + 2 * (1 - t) * t * cy + t * t * y)
               for t in (i / steps for i in range(steps + 1))]
        self.arrow(pts, gid, color=colour, lw=lw * self.t.edge_width, head=size / 100,
                   alpha=1.0 if alpha is None else alpha)

    def cross_out(self, row: SummaryRow | None, name: str, centres: list[Point],
                  half: float) -> None:
        """Dropout: every ``1/rate``-th value cell (``half`` its half side) crossed out."""
        segs = dropout_crosses(row, centres, half)
        if segs:
            self.lines(segs, f"dropped:{name}", color=self.t.foreground,
                       lw=self.t.edge_width, zorder=5)

    def hatch(self, gid: str, x: float, y: float, w: float, h: float, colour: str,
              lw: float) -> None:
        """Diagonal crosses over a box (a Dropout plate: values dropped)."""
        step = 0.07
        segs = []
        n = math.ceil((w + h) / step)
        for i in range(1, n):
            d = i * step
            # the line x + y = d clipped to the box, and its mirror image (a cross)
            a0 = (max(0.0, d - h), min(h, d))
            a1 = (min(w, d), max(0.0, d - w))
            segs.append([(x + a0[0], y + a0[1]), (x + a1[0], y + a1[1])])
            segs.append([(x + a0[0], y + h - a0[1]), (x + a1[0], y + h - a1[1])])
        self.lines(segs, gid, color=colour, lw=lw * 0.6, zorder=3.5)

    def highlight_box(self, x0: float, y0: float, w: float, h: float, name: str) -> None:
        """The highlighted layer's background."""
        self.box(f"highlight:{name}", x0, y0, w, h, fill=self.t.highlight,
                 alpha=self.t.highlight_alpha, rounding=0.12, zorder=0)
