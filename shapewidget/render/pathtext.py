"""Labels drawn as filled glyph outlines: one cached path per label.

Agg rasterises a text artist glyph by glyph through FreeType on every draw, which costs
far more than the rest of the drawing. A label's outline is computed once (cached by
its text and font) and then drawn like any other filled shape, so a redraw is cheap.
Vector output (SVG, PDF) keeps real text instead, which is small and selectable.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from matplotlib import _text_helpers
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.textpath import TextPath, text_to_path
from matplotlib.transforms import Bbox

ASCENT = 0.93     # DejaVu Sans, in ems
DESCENT = 0.24
LINE_SPACING = 1.2


class Placement(NamedTuple):
    """Where a label was placed and in which font: enough to lay its glyphs out again
    (:func:`glyph_layout`), e.g. to write each glyph once and reuse it (SVG)."""

    text: str
    family: tuple[str, ...]
    weight: str
    style: str
    size: float  # inches per em
    ha: str
    x: float     # the block's top anchor, inches
    top: float


class LabelRecord:
    """One label inside a :class:`LabelLayer`: its text, font size, id and box.

    Its outline (``_verts``, :meth:`codes`) is worked out from its :class:`Placement`
    when first read: the SVG writer never needs it, only Agg does.
    """

    def __init__(self, text: str, fontsize: float, gid: str, verts: np.ndarray | None,
                 axes: Any = None, placement: Placement | None = None) -> None:
        self._text = text
        self._size = fontsize
        self._gid = gid
        self.axes = axes
        self._given = verts
        self._codes: np.ndarray | None = None
        self.placement = placement

    def _outline(self) -> None:
        p = self.placement
        assert p is not None, "a label without vertices needs its placement"
        verts, codes, _, _ = block(p.text, p.family, p.weight, p.style, p.size, p.ha)
        self._given = np.add(verts, (p.x, p.top))
        self._codes = codes

    @property
    def _verts(self) -> np.ndarray:
        if self._given is None:
            self._outline()
        assert self._given is not None
        return self._given

    def codes(self) -> np.ndarray:
        """The outline's path codes."""
        if self._codes is None:
            if self.placement is None:
                return np.full(len(self._verts), Path.LINETO, dtype=Path.code_type)
            self._outline()
        assert self._codes is not None
        return self._codes

    @property
    def bbox(self) -> Bbox:
        """The label's box in inches (outline control points included)."""
        v = self._verts
        if not len(v):
            return Bbox([[0.0, 0.0], [0.0, 0.0]])
        return Bbox([v.min(axis=0), v.max(axis=0)])

    def get_text(self) -> str:
        return self._text

    def get_fontsize(self) -> float:
        return self._size

    def get_gid(self) -> str:
        return self._gid

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        """The label's box in display pixels (outline control points included)."""
        return self.bbox.transformed(self.axes.transData)

    def __repr__(self) -> str:
        return f"LabelRecord({self._text!r}, gid={self._gid!r})"


class LabelLayer(PathPatch):
    """Every label of one colour as one compound path: one draw call for all of them.

    ``labels`` keeps each label's text and box, for tests and tools. The path is put
    together from the labels when first needed (:meth:`get_path`, as Agg draws it).
    """

    def __init__(self, path: Path | None, labels: list[LabelRecord], **kwargs: Any) -> None:
        super().__init__(path if path is not None else _EMPTY, **kwargs)
        self.labels = labels
        self._assemble = path is None

    def set_labels(self, labels: list[LabelRecord]) -> None:
        """Hold ``labels`` instead (their path is put together when next needed)."""
        self.labels = labels
        self._assemble = True
        self.stale = True

    def get_path(self) -> Path:
        if self._assemble:
            self._assemble = False
            self.set_path(_compound(self.labels))
        return super().get_path()


_EMPTY = Path(np.zeros((1, 2)), np.array([Path.MOVETO], dtype=np.uint8), readonly=True)


def _compound(labels: list[LabelRecord]) -> Path:
    if not labels:
        return _EMPTY
    verts = np.concatenate([r._verts for r in labels])
    codes = np.concatenate([r.codes() for r in labels])
    if not len(verts):
        return _EMPTY
    return Path(verts, codes, readonly=True)


def _prop(family: tuple[str, ...], weight: str, style: str) -> FontProperties:
    return FontProperties(family=list(family), weight=weight,
                          style="italic" if style == "italic" else "normal")


def _path_arrays(path: Path) -> tuple[np.ndarray, np.ndarray]:
    verts = np.asarray(path.vertices, dtype=float)
    codes = (np.asarray(path.codes, dtype=Path.code_type) if path.codes is not None
             else np.full(len(verts), Path.LINETO, dtype=Path.code_type))
    return verts, codes


@lru_cache(maxsize=4096)
def _glyph(ch: str, family: tuple[str, ...], weight: str,
           style: str) -> tuple[np.ndarray, np.ndarray] | None:
    """One character's outline at 1 em, or ``None`` when the character needs shaping
    with its neighbours (its line is then laid out whole)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return None
    if ch.isspace():  # (TextPath fails on a lone space)
        return np.zeros((0, 2)), np.zeros(0, dtype=Path.code_type)
    return _path_arrays(TextPath((0, 0), ch, size=1.0, prop=_prop(family, weight, style)))


_PairKey = tuple[str, tuple[str, ...], str, str]
# Where the second character of a pair starts (ems), by pair and font: the first one's
# advance plus the kerning between the two, exactly as a whole-line layout places it.
_advances: dict[_PairKey, float | None] = {}
_ADVANCES_LIMIT = 16384


def _layout_x(text: str, family: tuple[str, ...], weight: str,
              style: str) -> list[float] | None:
    """Where each character of ``text`` starts (ems) in matplotlib's own layout, or
    ``None`` when characters and glyphs do not pair up one to one."""
    try:
        font = text_to_path._get_font(  # type: ignore[attr-defined]
            _prop(family, weight, style))
        shape = getattr(font, "_layout", None)
        if shape is not None:
            # positions only: _text_helpers.layout would also load every glyph
            from matplotlib.ft2font import LoadFlags

            items = list(shape(text, LoadFlags.NO_HINTING, features=None, language=None))
        else:
            items = list(_text_helpers.layout(text, font))
    except Exception:  # a matplotlib without these internals: lay out whole lines
        return None
    if len(items) != len(text):
        return None
    return [float(item.x) / text_to_path.FONT_SCALE for item in items]


def _every_pair(symbols: str) -> str:
    """A string in which every ordered pair of ``symbols`` occurs (``aba`` holds both
    ``ab`` and ``ba``)."""
    out = []
    for i, a in enumerate(symbols):
        out.append(a + a)
        out.extend(a + b + a for b in symbols[i + 1:])
    return "".join(out)


# Pairs that numbers in labels make, learnt in one layout per font on first use, so
# typing a new value (units=317) lays nothing out: digits next to each other and next
# to the signs around numbers in labels.
_NUMBER_PAIRS = _every_pair("0123456789") + "".join(
    f" ={d}) ({d}, {d}×{d}·{d}… ~{d}%" for d in "0123456789")
_warm_fonts: set[tuple[tuple[str, ...], str, str]] = set()


def _learn(text: str, family: tuple[str, ...], weight: str, style: str) -> None:
    """Remember the advance of every pair of ``text`` from one layout of the whole line
    (a layout costs about a millisecond, however short the text: one per new line
    instead of one per new pair)."""
    font = (family, weight, style)
    if font not in _warm_fonts:
        _warm_fonts.add(font)
        _learn(_NUMBER_PAIRS, family, weight, style)
        for digit in "0123456789":  # and their outlines
            _glyph(digit, family, weight, style)
    xs = _layout_x(text, family, weight, style)
    if len(_advances) > _ADVANCES_LIMIT:
        _advances.clear()
    for i in range(len(text) - 1):
        key = (text[i:i + 2], family, weight, style)
        if key not in _advances:
            _advances[key] = _advance(text[i:i + 2], family, weight, style) if xs is None \
                else xs[i + 1] - xs[i]


def _advance(pair: str, family: tuple[str, ...], weight: str, style: str) -> float | None:
    """The advance of one pair, laid out on its own."""
    xs = _layout_x(pair, family, weight, style)
    return xs[1] - xs[0] if xs is not None and len(xs) == 2 else None


@lru_cache(maxsize=4096)
def _pens(text: str, family: tuple[str, ...], weight: str,
          style: str) -> tuple[float, ...] | None:
    """Where each character of a line starts (ems, kerning included), or ``None`` when
    the line must be laid out whole (a character shaped with its neighbours)."""
    if any(_glyph(ch, family, weight, style) is None for ch in text):
        return None
    keys = [(text[i:i + 2], family, weight, style) for i in range(len(text) - 1)]
    if any(k not in _advances for k in keys):
        _learn(text, family, weight, style)
    pens = [0.0]
    for k in keys:
        step = _advances.get(k)
        if step is None:
            return None
        pens.append(pens[-1] + step)
    return tuple(pens)


@lru_cache(maxsize=4096)
def _line(text: str, family: tuple[str, ...], weight: str, style: str,
          size: float) -> tuple[np.ndarray, np.ndarray, float]:
    """One line's outline (inches, baseline at y=0, starting at x=0) and its width.

    Assembled from cached glyph outlines and cached pair advances (kerning included),
    so a new label (``units=105`` after ``units=104``) costs a few array copies instead
    of a FreeType layout of the whole line.
    """
    pens = _pens(text, family, weight, style)
    if pens is None:
        verts, codes = _path_arrays(TextPath((0, 0), text, size=size,
                                             prop=_prop(family, weight, style)))
    else:
        all_verts, all_codes = [], []
        for ch, pen in zip(text, pens, strict=True):
            glyph = _glyph(ch, family, weight, style)
            assert glyph is not None
            gv, gc = glyph
            if len(gv):
                all_verts.append(np.add(gv, (pen, 0.0)))
                all_codes.append(gc)
        if all_verts:
            verts = np.concatenate(all_verts) * size
            codes = np.concatenate(all_codes)
        else:
            verts, codes = np.zeros((0, 2)), np.zeros(0, dtype=Path.code_type)
    width = float(verts[:, 0].max()) if len(verts) else 0.0
    # the advance of the last glyph is not in the outline; spaces at the end are ignored
    return verts, codes, width


@lru_cache(maxsize=4096)
def block(text: str, family: tuple[str, ...], weight: str, style: str, size: float,
          ha: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    """A label of one or more lines: vertices relative to its top anchor, codes, width
    and height (inches). ``ha`` aligns each line: left, center or right."""
    all_verts, all_codes = [], []
    widths = []
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            widths.append(0.0)
            continue
        verts, codes, width = _line(line, family, weight, style, size)
        widths.append(width)
        shift = {"left": 0.0, "center": -width / 2, "right": -width}[ha]
        moved = np.add(verts, (shift, -(ASCENT + i * LINE_SPACING) * size))
        all_verts.append(moved)
        all_codes.append(codes)
    height = _height(len(widths), size)
    if not all_verts:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.uint8), 0.0, height
    return (np.concatenate(all_verts), np.concatenate(all_codes), max(widths), height)


def _top(y: float, height: float, size: float, va: str) -> float:
    return {"top": y, "bottom": y + height, "center": y + height / 2,
            "baseline": y + ASCENT * size}.get(va, y + height / 2)


def _height(lines: int, size: float) -> float:
    """A block of ``lines`` lines at ``size`` (inches per em): its height in inches."""
    return ((lines - 1) * LINE_SPACING + ASCENT + DESCENT) * size


def place(x: float, y: float, text: str, *, size_pt: float, family: list[str] | str,
          weight: str = "normal", style: str = "normal", ha: str = "center",
          va: str = "center") -> tuple[np.ndarray, np.ndarray]:
    """Vertices and codes of ``text`` at (x, y) in inches, aligned like ``Axes.text``."""
    record = label(x, y, text, size_pt=size_pt, family=family, gid="", weight=weight,
                   style=style, ha=ha, va=va)
    return record._verts, record.codes()


def label(x: float, y: float, text: str, *, size_pt: float, family: list[str] | str,
          gid: str, axes: Any = None, weight: str = "normal", style: str = "normal",
          ha: str = "center", va: str = "center") -> LabelRecord:
    """A label placed like ``Axes.text`` at (x, y) inches, its outline left to be worked
    out when needed (:class:`LabelRecord`)."""
    fam = (family,) if isinstance(family, str) else tuple(family)
    size = size_pt / 72
    top = _top(y, _height(text.count("\n") + 1, size), size, va)
    return LabelRecord(text, size_pt, gid, None, axes,
                       Placement(text, fam, weight, style, size, ha, x, top))


def _width(line: str, pens: tuple[float, ...], family: tuple[str, ...], weight: str,
           style: str, size: float) -> float:
    """``_line(line, …)``'s width without assembling its outline: the right-most point
    of any glyph (the same floating-point value: max commutes with + pen and × size)."""
    right = [pen + _glyph_right(ch, family, weight, style)
             for ch, pen in zip(line, pens, strict=True) if not ch.isspace()]
    right = [r for r in right if r == r]  # (glyphs without outline: nan)
    return max(right) * size if right else 0.0


@lru_cache(maxsize=4096)
def _glyph_right(ch: str, family: tuple[str, ...], weight: str, style: str) -> float:
    glyph = _glyph(ch, family, weight, style)
    if glyph is None or not len(glyph[0]):
        return float("nan")
    return float(glyph[0][:, 0].max())


@lru_cache(maxsize=4096)
def glyph_layout(text: str, family: tuple[str, ...], weight: str, style: str, size: float,
                 ha: str) -> tuple[tuple[str, float, float], ...] | None:
    """Each visible glyph of a label as (character, x, y): its origin in inches relative
    to the label's top anchor, exactly where :func:`block` puts its outline; ``None``
    when a line is laid out whole (its glyphs are not placed one by one)."""
    out: list[tuple[str, float, float]] = []
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        pens = _pens(line, family, weight, style)
        if pens is None:
            return None
        width = _width(line, pens, family, weight, style, size)
        shift = {"left": 0.0, "center": -width / 2, "right": -width}[ha]
        y = -(ASCENT + i * LINE_SPACING) * size
        out.extend((ch, shift + pen * size, y) for ch, pen in zip(line, pens, strict=True)
                   if not ch.isspace())
    return tuple(out)


def glyph_outline(ch: str, family: tuple[str, ...], weight: str,
                  style: str) -> tuple[np.ndarray, np.ndarray] | None:
    """One character's outline at 1 em (vertices, codes)."""
    return _glyph(ch, family, weight, style)


def clear_caches() -> None:
    """Forget every cached glyph, advance and label outline (fonts changed, tests)."""
    _advances.clear()
    _warm_fonts.clear()
    for fn in (_glyph, _glyph_right, _pens, _line, block, glyph_layout):
        fn.cache_clear()


def layer(parts: list[tuple[np.ndarray, np.ndarray]] | None, labels: list[LabelRecord],
          reuse: LabelLayer | None = None, **kwargs: Any) -> LabelLayer:
    """One :class:`LabelLayer` from placed labels (``reuse``: an existing layer of the
    same colour and order given the new labels, instead of building a new one).
    ``parts``: the labels' (vertices, codes); ``None`` to put them together when drawn."""
    path = None
    if parts is not None:
        verts = np.concatenate([v for v, _ in parts]) if parts else np.zeros((1, 2))
        codes = (np.concatenate([c for _, c in parts]) if parts
                 else np.array([Path.MOVETO], dtype=np.uint8))
        path = Path(verts, codes, readonly=True)
    if reuse is not None:
        reuse.set_labels(labels)
        if path is not None:
            reuse._assemble = False
            reuse.set_path(path)
        return reuse
    return LabelLayer(path, labels, edgecolor="none", linewidth=0, **kwargs)
