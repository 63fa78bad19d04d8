"""Labels placed and outlined through matplotlib's public text-to-path API.

A label of the scene is anchored at a point with a horizontal and vertical alignment.
:func:`placed_lines` works out where each of its lines' baselines start (from
``TextToPath.get_text_width_height_descent`` for the line height, each character's
advance), :func:`outline` gives a line's glyph outlines relative to its baseline start,
from each character's outline and advance (``TextToPath.get_glyphs_with_font`` on the
font ``font_manager.get_font`` gives), worked out once per character and font: a new
label (a new value) costs no text layout. The SVG writer and the matplotlib renderer share them, so a label
sits at the same place in both pictures.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from .scene import Label

LINE_SPACING = 1.2   # matplotlib's default line spacing for multi-line text
_TO_PATH = TextToPath()
# TextPath works at this size; outlines and metrics are scaled to a label's size
_BASE = 100.0


@lru_cache(maxsize=64)
def _prop(family: tuple[str, ...], weight: str, style: str) -> FontProperties:
    slant: Any = style
    return FontProperties(family=list(family), weight=weight, style=slant, size=_BASE)


@lru_cache(maxsize=64)
def _font_files(family: tuple[str, ...], weight: str, style: str) -> tuple[str, ...]:
    """The font files of ``family`` in fallback order (``findfont`` each)."""
    slant: Any = style
    return tuple(dict.fromkeys(
        findfont(FontProperties(family=f, weight=weight, style=slant)) for f in family))


@lru_cache(maxsize=16384)
def _glyph(ch: str, family: tuple[str, ...], weight: str,
           style: str) -> tuple[np.ndarray, np.ndarray, float]:
    """One character's outline (inches at 1 point, from its pen position), path codes
    and advance (inches at 1 point): worked out once per character and font, so that a
    new label costs no text layout (a new value reuses the digits' outlines)."""
    font: Any = get_font(list(_font_files(family, weight, style)))
    font.set_size(_TO_PATH.FONT_SCALE, _TO_PATH.DPI)
    k = 1 / (_TO_PATH.FONT_SCALE * 72)
    try:
        # the character and a bar after it: the bar's pen position is the advance
        info: Any = _TO_PATH.get_glyphs_with_font(font, ch + "|")
    except (RuntimeError, TypeError, UnicodeError, ValueError):  # nothing to lay out
        return np.zeros((0, 2)), np.zeros(0, dtype=np.uint8), 0.0
    placed, glyphs, _ = info  # (glyph id, x, y, scale) of each glyph, outlines by id
    (gid, x0, _, scale), (_, x1, _, _) = placed[0], placed[-1]
    verts, codes = glyphs[gid]
    points = np.asarray(verts, dtype=float).reshape(-1, 2) * (float(scale) * k)
    points[:, 0] += float(x0) * k
    return points, np.asarray(codes, dtype=np.uint8).ravel(), float(x1 - x0) * k


@lru_cache(maxsize=64)
def _line_metrics(family: tuple[str, ...], weight: str,
                  style: str) -> tuple[float, float, float]:
    w, h, d = _TO_PATH.get_text_width_height_descent("lp", _prop(family, weight, style),
                                                     ismath=False)
    return w / _BASE, h / _BASE, d / _BASE


@lru_cache(maxsize=8192)
def _metrics(text: str, family: tuple[str, ...], weight: str,
             style: str) -> tuple[float, float, float]:
    """Width (the pen's advance) of ``text`` in points at size 1, and the height and
    descent of a line."""
    _, h, d = _line_metrics(family, weight, style)
    width = sum(_glyph(ch, family, weight, style)[2] for ch in text) * 72
    return width, h, d


def line_box(family: tuple[str, ...], weight: str, style: str) -> tuple[float, float]:
    """Ascent and descent of a line at size 1 (of ``"lp"``, as matplotlib aligns text)."""
    _, h, d = _line_metrics(family, weight, style)
    return h - d, d


def width_of(text: str, size: float, family: tuple[str, ...] = ("DejaVu Sans",),
             weight: str = "normal", style: str = "normal") -> float:
    """Width in inches of the widest line of ``text`` at ``size`` points."""
    return max(_metrics(line, family, weight, style)[0] for line in text.split("\n")) \
        * size / 72


def placed_lines(label: Label) -> list[tuple[str, float, float]]:
    """Each line of ``label`` with the start of its baseline, in inches."""
    lines = label.text.split("\n")
    ascent, descent = line_box(label.family, label.weight, label.style)
    k = label.size / 72
    step = LINE_SPACING * (ascent + descent) * k
    total = (len(lines) - 1) * step + (ascent + descent) * k
    if label.va == "top":
        first = label.y - ascent * k
    elif label.va == "bottom":
        first = label.y + descent * k + (len(lines) - 1) * step
    elif label.va == "center":
        first = label.y + total / 2 - ascent * k
    else:  # baseline
        first = label.y
    out = []
    for i, line in enumerate(lines):
        w = _metrics(line, label.family, label.weight, label.style)[0] * k
        x = label.x - (w / 2 if label.ha == "center" else w if label.ha == "right" else 0.0)
        out.append((line, x, first - i * step))
    return out


@lru_cache(maxsize=8192)
def outline(text: str, family: tuple[str, ...], weight: str,
            style: str) -> tuple[np.ndarray, np.ndarray]:
    """Glyph outlines of one line at size 1 point, in inches from its baseline start:
    vertices and path codes (empty for blank text)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    pen = 0.0
    for ch in text:
        v, c, advance = _glyph(ch, family, weight, style)
        if len(v):
            shifted = v.copy()
            shifted[:, 0] += pen
            verts.append(shifted)
            codes.append(c)
        pen += advance
    if not verts:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.uint8)
    out = np.concatenate(verts)
    out.setflags(write=False)
    return out, np.concatenate(codes)


def label_path(label: Label) -> Path | None:
    """All of ``label``'s glyphs as one path in inches (``None`` when blank)."""
    return labels_path([label])


def labels_path(labels: list[Label]) -> Path | None:
    """The glyphs of every label in ``labels`` as one path in inches (``None`` when
    all are blank): the outlines' arrays joined in one step."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for label in labels:
        for line, x, y in placed_lines(label):
            v, c = outline(line, label.family, label.weight, label.style)
            if len(v):
                verts.append(v * label.size + (x, y))
                codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def clear_caches() -> None:
    """Forget every measured and outlined line (tests; after installing a font)."""
    for cached in (_prop, _font_files, _glyph, _line_metrics, _metrics, outline):
        cached.cache_clear()
