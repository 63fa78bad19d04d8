"""A drawing as SVG text, written straight from the artists the painter made.

The widget sends a new picture on every edit. Rasterising it with Agg and encoding a PNG
costs several times what building the drawing does; a browser draws SVG itself, sharp at
any zoom and on any screen. This writer reads the very artists Agg would draw (one drawing
path for every output) and writes each as SVG, in matplotlib's drawing order. Labels are
glyph outlines (:mod:`.pathtext`), so the picture does not depend on the browser's fonts.

Coordinates are integers in tenths of a pixel at the figure's dpi (the ``viewBox`` is ten
times the pixel size), which keeps the text short and quick to write.
:func:`figure_svg` returns ``None`` for a figure holding an artist it does not know (a
Text artist, an Axes with its axis on, …): the caller then falls back to PNG.
"""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.path import Path

from . import pathtext
from .merged import Dots, LineSet
from .pathtext import LabelLayer

UNIT = 10  # SVG user units per pixel

_d_cache: dict[tuple[bytes, bytes], str] = {}
_D_CACHE_LIMIT = 4096


GLYPH_UNITS = 1000  # a glyph's outline is written in thousandths of an em
_GlyphKey = tuple[str, tuple[str, ...], str, str]
_glyph_ids: dict[_GlyphKey, int] = {}
_glyph_ds: dict[int, str] = {}
# Each glyph's element id is named after its outline, so that drawings inlined in one
# page (a notebook's outputs, saved by different sessions) never borrow each other's
# glyphs: the same id always means the same outline.
_glyph_names: dict[int, str] = {}
_fonts_seen: set[tuple[tuple[str, ...], str, str]] = set()


def _glyph_id(key: _GlyphKey) -> int | None:
    """The number of a glyph's ``<path>`` in ``<defs>`` (one per character and font,
    stable across drawings), or ``None`` for a glyph without an outline."""
    n = _glyph_ids.get(key)
    if n is None and key[1:] not in _fonts_seen:
        # a new font: its digits now, as every new value in a label would add one
        _fonts_seen.add(key[1:])
        for digit in "0123456789":
            _glyph_id((digit, *key[1:]))
        n = _glyph_ids.get(key)
    if n is None:
        outline = pathtext.glyph_outline(*key)
        if outline is None or not len(outline[0]):
            return None
        verts, codes = outline
        pts = np.rint(np.asarray(verts, dtype=float) * (GLYPH_UNITS, -GLYPH_UNITS))
        n = len(_glyph_ids)
        _glyph_ids[key] = n
        _glyph_ds[n] = _d(pts.astype(np.int64), codes)
        _glyph_names[n] = "swg-" + hashlib.sha1(_glyph_ds[n].encode()).hexdigest()[:12]
    return n


@lru_cache(maxsize=4096)
def _label_glyphs(text: str, family: tuple[str, ...], weight: str, style: str, size: float,
                  ha: str) -> tuple[str, frozenset[int]] | None:
    """A label's ``<use>`` of each of its glyphs, in thousandths of an em from its top
    anchor, and the glyphs it uses; ``None`` when it is not laid out glyph by glyph."""
    layout = pathtext.glyph_layout(text, family, weight, style, size, ha)
    if layout is None:
        return None
    per_em = GLYPH_UNITS / size
    uses, ids = [], set()
    for ch, gx, gy in layout:
        n = _glyph_id((ch, family, weight, style))
        if n is not None:
            ids.add(n)
            uses.append(f'<use href="#{_glyph_names[n]}" x="{round(gx * per_em)}" '
                        f'y="{round(-gy * per_em)}"/>')
    return "".join(uses), frozenset(ids)


@lru_cache(maxsize=4096)
def _attr(text: str) -> str:
    return html.escape(text.replace("\n", " "), quote=True)


@lru_cache(maxsize=64)
def _defs(glyphs: tuple[int, ...]) -> str:
    """The ``<defs>`` of these glyphs (the same set comes back edit after edit)."""
    return "<defs>" + "".join(f'<path id="{_glyph_names[n]}" d="{_glyph_ds[n]}"/>'
                              for n in glyphs) + "</defs>"


class _Unsupported(Exception):
    """An artist this writer cannot write: the caller uses PNG instead."""


def figure_svg(fig: Any, *, points: bool = False, style: str = "") -> str | None:
    """``fig`` (one drawing Axes, as :func:`.drawing.draw` makes it) as SVG text, or
    ``None`` when it holds something this writer does not draw.

    Its size is in pixels at the figure's dpi, or with ``points`` in points (72 per inch
    of the figure, as matplotlib's SVG has it); ``style``: the ``<svg>``'s CSS.
    """
    axes = fig.get_axes()
    if len(axes) != 1 or axes[0].axison:
        return None
    ax = axes[0]
    dpi = float(fig.dpi)
    # whole pixels, cut like Agg's canvas (which flips y about the whole height too)
    width, height = (int(v) for v in fig.bbox.size)
    ctx = _Context(ax, dpi, height)
    size = (f'width="{width * 72 / dpi:.2f}pt" height="{height * 72 / dpi:.2f}pt"' if points
            else f'width="{width}" height="{height}"')
    css = f' style="{style}"' if style else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" {size}{css} '
           f'viewBox="0 0 {width * UNIT} {height * UNIT}" role="img">']
    face = _paint(fig.patch.get_facecolor())
    if face:
        out.append(f'<rect width="100%" height="100%"{face}/>')
    # the Axes' own parts (hidden with its axis) are not drawn
    own = {id(a) for a in (ax.patch, *ax.spines.values(), ax.xaxis, ax.yaxis, ax.title,
                           ax._left_title, ax._right_title)}
    children = [a for a in ax.get_children() if id(a) not in own and a.get_visible()]
    try:
        for artist in sorted(children, key=lambda a: a.get_zorder()):
            out.append(ctx.write(artist))
    except _Unsupported:
        return None
    if ctx.glyphs:
        out.insert(1, _defs(tuple(sorted(ctx.glyphs))))
    out.append("</svg>")
    return "".join(out)


# --- colours, strokes -------------------------------------------------------------------

def _hex(rgba: Any) -> tuple[str, float]:
    r, g, b, a = (float(v) for v in rgba)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}", a


def _paint(rgba: Any, attr: str = "fill") -> str:
    """`` fill="#rrggbb"`` (and its opacity), or ``""`` for a transparent colour."""
    key = rgba if isinstance(rgba, str) else tuple(np.ravel(rgba).tolist())
    return _paint_key(key, attr)


@lru_cache(maxsize=1024)
def _paint_key(rgba: Any, attr: str) -> str:
    colour, alpha = _hex(to_rgba(rgba))
    if alpha <= 0:
        return ""
    return f' {attr}="{colour}"' + (f' {attr}-opacity="{alpha:.3g}"' if alpha < 1 else "")


def _face(rgba: Any) -> str:
    return _paint(rgba) or ' fill="none"'


def _stroke(rgba: Any, lw_pt: float, dashes: Any, px_per_pt: float) -> str:
    paint = _paint(rgba, "stroke")
    if not paint or lw_pt <= 0:
        return ""
    attrs = f'{paint} stroke-width="{lw_pt * px_per_pt * UNIT:.3g}"'
    offset, pattern = dashes if dashes is not None else (0, None)
    if pattern:
        attrs += ' stroke-dasharray="' + " ".join(
            f"{d * px_per_pt * UNIT:.3g}" for d in pattern) + '"'
        if offset:
            attrs += f' stroke-dashoffset="{offset * px_per_pt * UNIT:.3g}"'
    return attrs


# --- paths ------------------------------------------------------------------------------

# How each vertex is written, by kind: a command letter starts a segment; a Bézier
# curve's further control points follow without one; CLOSEPOLY's vertex is not written.
_PIECES = ("M%d %d", "L%d %d", "Q%d %d", " %d %d", "C%d %d", "Z")
_MOVE, _LINE, _QUAD, _MORE, _CUBIC, _CLOSE = range(6)


def _d(points: np.ndarray, codes: np.ndarray | None) -> str:
    """An SVG path's ``d`` from integer points and matplotlib path codes."""
    n = len(points)
    if not n:
        return ""
    if codes is None:
        template = "M%d %d" + "L%d %d" * (n - 1)
        return template % tuple(points.ravel().tolist())
    codes = np.asarray(codes)
    stop = np.flatnonzero(codes == Path.STOP)
    if len(stop):
        n = int(stop[0])
        codes, points = codes[:n], points[:n]
    kinds = np.full(n, _LINE, dtype=np.int8)
    kinds[codes == Path.MOVETO] = _MOVE
    kinds[codes == Path.CLOSEPOLY] = _CLOSE
    for code, size, letter in ((Path.CURVE3, 2, _QUAD), (Path.CURVE4, 3, _CUBIC)):
        mask = codes == code
        if mask.any():
            # position of each curve vertex within its run of curve vertices: every
            # size-th one starts a new segment
            idx = np.arange(n)
            run_start = np.maximum.accumulate(np.where(mask & ~np.r_[False, mask[:-1]], idx, 0))
            first = ((idx - run_start) % size) == 0
            kinds[mask] = np.where(first[mask], letter, _MORE)
    template = "".join([_PIECES[k] for k in kinds.tolist()])
    coords = points[kinds != _CLOSE].ravel().tolist()
    return template % tuple(coords)


class _Context:
    """What every artist's SVG needs: the display transform and the pixel scale."""

    def __init__(self, ax: Any, dpi: float, height_px: float) -> None:
        self.ax = ax
        self.px_per_pt = dpi / 72.0
        self.height = height_px
        m = ax.transData.get_matrix()
        self.data = (float(m[0, 0]), float(m[1, 1]), float(m[0, 2]), float(m[1, 2]))
        self.glyphs: set[int] = set()

    def units(self, display: np.ndarray) -> np.ndarray:
        """Display pixels (origin bottom left) → integer SVG units (origin top left)."""
        out = np.empty(display.shape, dtype=float)
        out[..., 0] = display[..., 0] * UNIT
        out[..., 1] = (self.height - display[..., 1]) * UNIT
        return np.rint(out).astype(np.int64)

    def data_units(self, xy: np.ndarray) -> np.ndarray:
        """Data coordinates → integer SVG units (the drawing Axes is a plain scaling)."""
        a, d, e, f = self.data
        out = np.empty(xy.shape, dtype=float)
        out[..., 0] = (xy[..., 0] * a + e) * UNIT
        out[..., 1] = (self.height - (xy[..., 1] * d + f)) * UNIT
        return np.rint(out).astype(np.int64)

    # one writer per kind of artist -------------------------------------------------------
    def write(self, artist: Any) -> str:
        if isinstance(artist, LabelLayer):
            return self.labels(artist)
        if isinstance(artist, FancyArrowPatch):
            return self.arrow(artist)
        if isinstance(artist, Patch):
            return self.patch(artist)
        if isinstance(artist, Dots):
            return self.dots(artist)
        if isinstance(artist, LineCollection):
            return self.lines(artist)
        if isinstance(artist, PolyCollection) and not isinstance(artist, PathCollection):
            return self.polygons(artist)
        raise _Unsupported(type(artist).__name__)

    def _transform_is_data(self, artist: Any) -> None:
        if artist.get_transform() != self.ax.transData:
            raise _Unsupported(f"{type(artist).__name__} not in data coordinates")

    def lines(self, coll: Any) -> str:
        self._transform_is_data(coll)
        segs = _segments(coll)
        if segs is None:
            paths = [np.asarray(s, dtype=float) for s in coll.get_segments()]
            d = "".join(_d(self.data_units(s), None) for s in paths if len(s))
        elif len(segs):
            pts = self.data_units(segs)
            d = ("M%d %dL%d %d" * len(pts)) % tuple(pts.ravel().tolist())
        else:
            d = ""
        if not d:
            return ""
        colours = coll.get_edgecolor()
        widths = coll.get_linewidth()
        dashes = coll.get_linestyle()
        if len(colours) != 1 or len(widths) != 1 or len(dashes) != 1:
            raise _Unsupported("line collection with several styles")
        return (f'<path fill="none"{_stroke(colours[0], widths[0], dashes[0], self.px_per_pt)}'
                f' d="{d}"/>')

    def dots(self, dots: Any) -> str:
        offsets = np.asarray(dots.get_offsets(), dtype=float)
        if not len(offsets):
            return ""
        centres = self.data_units(offsets).tolist()
        r = dots._radius * self.data[0] * UNIT
        face = dots.get_facecolor()
        edge = dots.get_edgecolor()
        if len(face) > 1 or len(edge) > 1:
            raise _Unsupported("neurons of several colours")
        style = (_face(face[0]) if len(face) else ' fill="none"') + (
            _stroke(edge[0], dots.get_linewidth()[0], dots.get_linestyle()[0], self.px_per_pt)
            if len(edge) else "")
        circles = "".join(f'<circle cx="{x}" cy="{y}" r="{r:.1f}"/>' for x, y in centres)
        return f"<g{style}>{circles}</g>"

    def polygons(self, coll: Any) -> str:
        self._transform_is_data(coll)
        offsets = coll.get_offsets()
        if len(offsets) and np.any(np.asarray(offsets) != 0):
            raise _Unsupported("offset polygons")
        paths = coll.get_paths()
        if not paths:
            return ""
        faces = coll.get_facecolor()
        edges = coll.get_edgecolor()
        widths = coll.get_linewidth()
        dashes = coll.get_linestyle()
        if len(edges) > 1 or len(widths) > 1 or len(dashes) > 1:
            raise _Unsupported("polygons with several outline styles")
        stroke = (_stroke(edges[0], widths[0], dashes[0], self.px_per_pt) if len(edges)
                  else "")
        items = []
        fills = [_face(faces[i % len(faces)]) if len(faces) else ' fill="none"'
                 for i in range(len(paths))]
        for i, d in enumerate(self._polygon_ds(paths)):
            items.append(f'<path{fills[i]} d="{d}"/>')
        return f"<g{stroke}>{''.join(items)}</g>"

    def _polygon_ds(self, paths: Any) -> list[str]:
        """``d`` of many small paths; those with the same codes (a PolyCollection's
        closed polygons) transformed and written together."""
        ds: list[str] = [""] * len(paths)
        groups: dict[bytes, list[int]] = {}
        for i, path in enumerate(paths):
            codes: Any = path.codes
            groups.setdefault(codes.tobytes() if codes is not None else b"", []).append(i)
        for members in groups.values():
            first: Any = paths[members[0]]
            pts = self.data_units(np.stack([np.asarray(paths[i].vertices, dtype=float)
                                            for i in members]))
            template = _d(np.zeros((len(first.vertices), 2), dtype=np.int64),
                          first.codes).replace("0 0", "%d %d")
            flat = pts.reshape(len(members), -1).tolist()
            closes = first.codes is not None and first.codes[-1] == Path.CLOSEPOLY
            for i, row in zip(members, flat, strict=True):
                # CLOSEPOLY's own vertex is not written ("Z")
                ds[i] = template % tuple(row[:-2] if closes else row)
        return ds

    def _patch_style(self, patch: Any, fill: bool = True) -> str:
        face = _face(patch.get_facecolor()) if fill and patch.get_fill() else ' fill="none"'
        dashes = getattr(patch, "_dash_pattern", (0, None))
        return face + _stroke(patch.get_edgecolor(), patch.get_linewidth(), dashes,
                              self.px_per_pt)

    def patch(self, patch: Any) -> str:
        path = patch.get_transform().transform_path(patch.get_path())
        d = _cached_d(self.units(path.vertices), path.codes)
        return f'<path{self._patch_style(patch)} d="{d}"/>'

    def arrow(self, arrow: Any) -> str:
        # as FancyArrowPatch.draw: its line width in pixels depends on the dpi
        arrow._dpi_cor = self.px_per_pt
        paths, fillable = arrow._get_path_in_displaycoord()
        if not np.iterable(fillable):
            paths, fillable = [paths], [fillable]
        out = []
        for path, can_fill in zip(paths, fillable, strict=True):
            d = _d(self.units(np.asarray(path.vertices, dtype=float)), path.codes)
            out.append(f'<path{self._patch_style(arrow, fill=bool(can_fill))} d="{d}"/>')
        return "".join(out)

    def glyph_labels(self, layer: Any) -> str | None:
        """Every label of ``layer`` as uses of the glyphs it is made of (each glyph's
        outline written once, in ``<defs>``), or ``None`` when a label was not laid out
        glyph by glyph."""
        a, d, e, f = self.data
        if abs(a - d) > 1e-9 * abs(a):
            return None
        items = []
        for record in layer.labels:
            p = record.placement
            if p is None:
                return None
            glyphs = _label_glyphs(p.text, p.family, p.weight, p.style, p.size, p.ha)
            if glyphs is None:
                return None
            uses, ids = glyphs
            if not uses:
                continue
            self.glyphs.update(ids)
            x = round((p.x * a + e) * UNIT)
            y = round((self.height - (p.top * d + f)) * UNIT)
            # the label's words stay in the document: screen readers, search
            items.append(f'<g aria-label="{_attr(p.text)}" transform="translate({x} {y}) '
                         f'scale({p.size * a * UNIT / GLYPH_UNITS:.6g})">{uses}</g>')
        return f"<g{_face(layer.get_facecolor())}>{''.join(items)}</g>"

    def labels(self, layer: Any) -> str:
        """Every label of one colour: one ``<path>`` per label, its outline cached by
        shape, so an unchanged label costs a lookup and a translation."""
        self._transform_is_data(layer)
        glyphs = self.glyph_labels(layer)
        if glyphs is not None:
            return glyphs
        records = [r for r in layer.labels if len(r._verts)]
        if not records:
            return ""
        codes = np.concatenate([r.codes() for r in records])
        verts = np.concatenate([np.asarray(r._verts, dtype=float) for r in records])
        sizes = [len(r._verts) for r in records]
        starts = np.cumsum([0, *sizes[:-1]])
        first = verts[starts]
        anchors = self.data_units(first).tolist()
        # each label relative to its first point before rounding: the same label
        # anywhere on the page has the same outline text
        scale = np.array([self.data[0] * UNIT, -self.data[1] * UNIT])
        rel = np.rint((verts - np.repeat(first, sizes, axis=0)) * scale).astype(np.int64)
        fill = _face(layer.get_facecolor())
        items = []
        for start, n, (x, y) in zip(starts.tolist(), sizes, anchors, strict=True):
            d = _cached_d(rel[start:start + n], codes[start:start + n])
            items.append(f'<path transform="translate({x} {y})" d="{d}"/>')
        return f"<g{fill}>{''.join(items)}</g>"


def _cached_d(points: np.ndarray, codes: Any) -> str:
    """``_d`` remembered by its points (a patch or a label usually comes back
    unchanged)."""
    key = (points.tobytes(), codes.tobytes() if codes is not None else b"")
    d = _d_cache.get(key)
    if d is None:
        d = _d(points, codes)
        if len(_d_cache) >= _D_CACHE_LIMIT:
            _d_cache.clear()
        _d_cache[key] = d
    return d


def _segments(coll: Any) -> np.ndarray | None:
    """A :class:`.merged.LineSet`'s segments as one (N, 2, 2) array, read from its parts
    (much faster than ``get_segments``); ``None`` for another line collection."""
    return coll.segment_array() if isinstance(coll, LineSet) else None
