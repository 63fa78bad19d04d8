"""A scene as SVG text, written from the scene's own shapes and labels.

The widget sends a new picture on every edit, and the notebook stores one per display: a
browser draws SVG itself, sharp at any zoom. Shapes are written in the order of
:meth:`.scene.Scene.groups` (the order the matplotlib renderer draws them in), each with
its part id and its layer (``data-layer``). Labels are glyph outlines from
``matplotlib.textpath`` (:mod:`.textpaths`), each distinct line once in ``<defs>`` and
placed with ``<use>``, so the picture does not depend on the reader's fonts; their words
are kept, escaped, as ``aria-label``.

Coordinates are integers in tenths of a pixel at ``dpi`` (the ``viewBox`` is ten times
the pixel size), ``y`` downwards from the top of the whole-pixel canvas, as Agg cuts it.
"""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.path import Path

from . import textpaths
from .scene import Label, Scene, Shape, Style

UNIT = 10  # SVG user units per pixel
GLYPH_UNITS = 1000  # a label line's outline is written in thousandths of a point
DASH = (3.7, 1.6)  # matplotlib's "--" pattern, in line widths


@lru_cache(maxsize=8192)
def _attr(text: str) -> str:
    """``text`` escaped for an attribute value (every name a person or a pasted program
    chose reaches the SVG through here)."""
    return html.escape(text, quote=True)


@lru_cache(maxsize=1024)
def _paint(colour: str, alpha: float, attr: str) -> str:
    """`` fill="#rrggbb"`` (and its opacity), or ``""`` for a transparent colour."""
    r, g, b, a = to_rgba(colour)
    a *= alpha
    if a <= 0:
        return ""
    hexa = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    return f' {attr}="{hexa}"' + (f' {attr}-opacity="{a:.3g}"' if a < 1 else "")


def _fill(colour: Any, alpha: float) -> str:
    if not isinstance(colour, str):
        colour = "#{:02x}{:02x}{:02x}".format(*(round(float(c) * 255) for c in colour[:3]))
    return _paint(colour, alpha, "fill") or ' fill="none"'


def _polyline_d(flat: list[int]) -> str:
    """``M x y L x y …`` of integer points given as one flat list (x0, y0, x1, y1, …)."""
    return ("M%d %d" + "L%d %d" * (len(flat) // 2 - 1)) % tuple(flat)


def _stacked(geometry: Any) -> np.ndarray | None:
    """``geometry`` (lines or polygons) as one (n, points, 2) array when every item has
    the same number of points (segments, cells, faces), else ``None``."""
    if isinstance(geometry, np.ndarray):
        return geometry if geometry.ndim == 3 else None
    try:
        arr = np.asarray(geometry, dtype=float)
    except ValueError:  # ragged
        return None
    return arr if arr.ndim == 3 and arr.shape[-1] == 2 else None


class _Writer:
    def __init__(self, scene: Scene, dpi: float) -> None:
        self.scene = scene
        self.k = dpi * UNIT                     # units per inch
        self.px_per_pt = dpi / 72
        self.width = int(scene.width * dpi)     # whole pixels, as Agg's canvas
        self.height = int(scene.height * dpi)
        self.defs: dict[tuple[Any, ...], str] = {}
        self.def_ds: list[str] = []

    def units(self, pts: Any) -> np.ndarray:
        """Points in inches → integer SVG units (y down)."""
        a = np.asarray(pts, dtype=float).reshape(-1, 2)
        out = np.empty_like(a)
        out[:, 0] = a[:, 0] * self.k
        out[:, 1] = self.height * UNIT - a[:, 1] * self.k
        return np.rint(out).astype(np.int64)

    def stroke(self, style: Style) -> str:
        paint = _paint(style.edge, style.alpha, "stroke")
        if not paint or style.lw <= 0:
            return ""
        w = style.lw * self.px_per_pt * UNIT
        out = f'{paint} stroke-width="{w:.3g}"'
        if style.ls == "--":
            out += f' stroke-dasharray="{DASH[0] * w:.3g} {DASH[1] * w:.3g}"'
        if style.round_caps:
            out += ' stroke-linecap="round" stroke-linejoin="round"'
        return out

    # shapes -------------------------------------------------------------------------------
    def group(self, kind: str, style: Style, shapes: list[Shape]) -> str:
        stroke = self.stroke(style)
        if kind == "lines":
            items = [self.polylines(s) for s in shapes]
            return f'<g fill="none"{stroke}>{"".join(items)}</g>' if stroke else ""
        fill = "" if style.fill == "each" else _fill(style.fill, style.alpha)
        items = [getattr(self, kind)(s, style) for s in shapes]
        return f"<g{fill}{stroke}>{''.join(items)}</g>"

    @staticmethod
    def _ids(shape: Shape) -> str:
        out = f' id="{_attr(shape.gid)}"'
        if shape.layer is not None:
            out += f' data-layer="{_attr(shape.layer)}"'
        return out

    def xy(self, x: float, y: float) -> tuple[int, int]:
        """One point in inches → SVG units (y down)."""
        return round(x * self.k), round(self.height * UNIT - y * self.k)

    def polylines(self, shape: Shape) -> str:
        geom = shape.geometry
        stacked = _stacked(geom)
        if stacked is not None and stacked.shape[1] >= 2:
            n, m = stacked.shape[:2]
            flat = self.units(stacked).ravel().tolist()
            d = (("M%d %d" + "L%d %d" * (m - 1)) * n) % tuple(flat)
            return f'<path{self._ids(shape)} d="{d}"/>'
        parts = [_polyline_d(self.units(line).ravel().tolist()) for line in geom
                 if len(line) >= 2]
        return f'<path{self._ids(shape)} d="{"".join(parts)}"/>' if parts else ""

    def circles(self, shape: Shape, style: Style) -> str:
        r = shape.radius * self.k
        pts = self.units(shape.geometry).tolist()
        body = "".join(f'<circle cx="{x}" cy="{y}" r="{r:.1f}"/>' for x, y in pts)
        return f"<g{self._ids(shape)}>{body}</g>"

    def polygons(self, shape: Shape, style: Style) -> str:
        out = []
        stacked = _stacked(shape.geometry)
        if stacked is not None:
            width = stacked.shape[1] * 2
            flat = self.units(stacked).ravel().tolist()
            polys = [flat[i:i + width] for i in range(0, len(flat), width)]
        else:
            polys = [self.units(p).ravel().tolist() for p in shape.geometry]
        for i, poly in enumerate(polys):
            d = _polyline_d(poly) + "Z"
            fill = _fill(shape.faces[i], style.alpha) if shape.faces is not None else ""
            out.append(f'<path{fill} d="{d}"/>')
        return f"<g{self._ids(shape)}>{''.join(out)}</g>"

    def boxes(self, shape: Shape, style: Style) -> str:
        out = []
        for x, y, w, h in shape.geometry:
            x0, y0 = self.xy(x, y + h)
            r = min(shape.radius, w / 2, h / 2) * self.k
            rounded = f' rx="{r:.0f}"' if r > 0 else ""
            out.append(f'<rect x="{x0}" y="{y0}" width="{w * self.k:.0f}" '
                       f'height="{h * self.k:.0f}"{rounded}/>')
        return f"<g{self._ids(shape)}>{''.join(out)}</g>"

    # labels -------------------------------------------------------------------------------
    def line_def(self, line: str, label: Label) -> str | None:
        """The id of one line's outline in ``<defs>`` (``None`` when it has no ink)."""
        key = (line, label.family, label.weight, label.style)
        ref = self.defs.get(key)
        if ref is None:
            d = _outline_d(*key)
            if not d:
                return None
            ref = "g" + hashlib.sha1(d.encode()).hexdigest()[:10]
            self.defs[key] = ref
            self.def_ds.append(f'<path id="{ref}" d="{d}"/>')
        return ref

    def labels(self) -> str:
        out = []
        scale = self.px_per_pt * UNIT / GLYPH_UNITS
        for colour, labels in self.scene.labels_by_colour().items():
            uses = []
            for label in labels:
                s = scale * label.size
                words = _attr(label.text)
                for line, x, y in textpaths.placed_lines(label):
                    ref = self.line_def(line, label)
                    if ref is None:
                        continue
                    ux, uy = self.xy(x, y)
                    uses.append(f'<use href="#{ref}" transform="translate({ux} {uy}) '
                                f'scale({s:.4g})" aria-label="{words}"/>')
            if uses:
                out.append(f"<g{_fill(colour, 1.0)}>{''.join(uses)}</g>")
        return "".join(out)

    def write(self, points: bool, style: str) -> str:
        sc = self.scene
        dpi = self.k / UNIT
        size = (f'width="{self.width * 72 / dpi:.2f}pt" height="{self.height * 72 / dpi:.2f}pt"'
                if points else f'width="{self.width}" height="{self.height}"')
        css = f' style="{_attr(style)}"' if style else ""
        body = []
        if sc.panel:
            inset = 0.01
            x0, y0 = self.xy(inset, sc.height - inset)
            w, h = (sc.width - 2 * inset) * self.k, (sc.height - 2 * inset) * self.k
            body.append(f'<rect id="panel" x="{x0}" y="{y0}" width="{w:.0f}" '
                        f'height="{h:.0f}" rx="{sc.panel_rounding * self.k:.0f}"'
                        f'{_fill(sc.background, 1.0)}/>')
        else:
            body.append(f'<rect width="100%" height="100%"{_fill(sc.background, 1.0)}/>')
        for kind, st, shapes in sc.groups():
            body.append(self.group(kind, st, shapes))
        labels = self.labels()
        defs = f"<defs>{''.join(self.def_ds)}</defs>" if self.def_ds else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" '
                f'xmlns:xlink="http://www.w3.org/1999/xlink" {size}{css} '
                f'viewBox="0 0 {self.width * UNIT} {self.height * UNIT}" role="img">'
                f'{defs}{"".join(body)}{labels}</svg>')


_PIECES = {int(Path.MOVETO): ("M%d %d",), int(Path.LINETO): ("L%d %d",),
           int(Path.CURVE3): ("Q%d %d", " %d %d"),
           int(Path.CURVE4): ("C%d %d", " %d %d", " %d %d")}


@lru_cache(maxsize=8192)
def _outline_d(text: str, family: tuple[str, ...], weight: str, style: str) -> str:
    """A line's outline as path data in thousandths of a point, y down (cached): one
    template for the whole path, filled with plain integers in one formatting."""
    verts, codes = textpaths.outline(text, family, weight, style)
    if not len(verts):
        return ""
    pts = np.rint(verts * 72 * GLYPH_UNITS * np.array([1.0, -1.0])).astype(np.int64)
    template: list[str] = []
    values: list[int] = []
    flat = pts.tolist()
    i, n = 0, len(codes)
    code_list = codes.tolist()
    while i < n:
        c = code_list[i]
        pieces = _PIECES.get(c)
        if pieces is None:  # CLOSEPOLY (its vertex is not written) or STOP
            if c == Path.CLOSEPOLY:
                template.append("Z")
            i += 1
            continue
        for k, piece in enumerate(pieces):
            template.append(piece)
            values += flat[i + k]
        i += len(pieces)
    return "".join(template) % tuple(values)


def scene_svg(scene: Scene, dpi: float = 100.0, *, points: bool = False,
              style: str = "") -> str:
    """``scene`` as SVG text: pixels at ``dpi`` (or, with ``points``, its size in points,
    72 per inch, as matplotlib's SVG has it); ``style``: the ``<svg>``'s CSS."""
    return _Writer(scene, dpi).write(points, style)
