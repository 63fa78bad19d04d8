"""Labels placed and outlined through matplotlib's public text-to-path API.

A label of the scene is anchored at a point with a horizontal and vertical alignment.
:func:`placed_lines` works out where each of its lines' baselines start (from
``TextToPath.get_text_width_height_descent``), :func:`outline` gives a line's glyph
outlines (``TextToPath.get_text_path``) relative to its baseline start. Both are
cached per text and font: a redraw of a model that changed one layer outlines only the
labels that changed. The SVG writer and the matplotlib renderer share them, so a label
sits at the same place in both pictures.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties
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


@lru_cache(maxsize=8192)
def _metrics(text: str, family: tuple[str, ...], weight: str,
             style: str) -> tuple[float, float, float]:
    """Width, height and descent of ``text`` in points at size 1."""
    w, h, d = _TO_PATH.get_text_width_height_descent(text, _prop(family, weight, style),
                                                     ismath=False)
    return w / _BASE, h / _BASE, d / _BASE


def line_box(family: tuple[str, ...], weight: str, style: str) -> tuple[float, float]:
    """Ascent and descent of a line at size 1 (of ``"lp"``, as matplotlib aligns text)."""
    _, h, d = _metrics("lp", family, weight, style)
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
    vertices and path codes (empty for blank text).

    Plain text, as the metrics (a name such as ``$\\frac$`` is not mathtext), and from
    ``TextToPath.get_text_path`` rather than ``TextPath``, which fails on text with no
    glyph outline at all (a space, U+200B, U+00AD, U+FEFF) instead of being empty."""
    raw_verts, raw_codes = _TO_PATH.get_text_path(_prop(family, weight, style), text,
                                                  ismath=False)
    # get_text_path works at TextToPath.FONT_SCALE points whatever the font's size
    verts = np.asarray(raw_verts, dtype=float).reshape(-1, 2) / (_TO_PATH.FONT_SCALE * 72)
    verts.setflags(write=False)
    return verts, np.asarray(raw_codes, dtype=np.uint8)


def label_path(label: Label) -> Path | None:
    """All of ``label``'s glyphs as one path in inches (``None`` when blank)."""
    parts = []
    for line, x, y in placed_lines(label):
        verts, codes = outline(line, label.family, label.weight, label.style)
        if len(verts):
            parts.append(Path(verts * label.size + (x, y), codes))
    if not parts:
        return None
    return Path.make_compound_path(*parts)


def clear_caches() -> None:
    """Forget every measured and outlined line (tests; after installing a font)."""
    _prop.cache_clear()
    _metrics.cache_clear()
    outline.cache_clear()
