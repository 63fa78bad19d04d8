"""Labels placed and outlined from each character's outline and advance (public
matplotlib text-to-path API), shared by the SVG writer and the matplotlib renderer."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

from shapewidget.render import textpaths
from shapewidget.render.scene import Label

FAMILY = ("DejaVu Sans",)


def _label(text: str, **kw: object) -> Label:
    return Label(1.0, 2.0, text, 10.0, "#000000", "label:test", FAMILY, **kw)  # type: ignore[arg-type]


def test_textpaths_line_outline_matches_matplotlibs_textpath() -> None:
    verts, _ = textpaths.outline("units=16", FAMILY, "normal", "normal")
    ref = TextPath((0, 0), "units=16", size=1.0, prop=FontProperties(family=list(FAMILY)))
    ref_verts = np.asarray(ref.vertices) / 72
    # the same glyphs at the same pen positions (up to kerning, absent here)
    assert verts.min(axis=0) == pytest.approx(ref_verts.min(axis=0), abs=2e-4)
    assert verts.max(axis=0) == pytest.approx(ref_verts.max(axis=0), abs=2e-4)


def test_textpaths_width_is_the_sum_of_advances() -> None:
    w = textpaths.width_of("ab", 10.0)
    assert w == pytest.approx(textpaths.width_of("a", 10.0) + textpaths.width_of("b", 10.0))


@pytest.mark.parametrize("ha", ["left", "center", "right"])
def test_textpaths_label_is_where_its_alignment_says(ha: str) -> None:
    path = textpaths.label_path(_label("(None, 4)", ha=ha, va="top"))
    assert path is not None
    xs, ys = np.asarray(path.vertices).T
    assert ys.max() <= 2.0 + 1e-6  # below its top
    width = textpaths.width_of("(None, 4)", 10.0)
    left = {"left": 1.0, "center": 1.0 - width / 2, "right": 1.0 - width}[ha]
    assert left - 0.01 <= xs.min() and xs.max() <= left + width + 0.01


def test_textpaths_multi_line_label_stacks_its_lines() -> None:
    lines = textpaths.placed_lines(_label("16 filters 3×3\nsame · relu", va="top"))
    assert len(lines) == 2 and lines[1][2] < lines[0][2]


@pytest.mark.parametrize("text", ["", "\u200b", "\ufeff", "a\ud800b"])
def test_textpaths_text_without_drawable_glyphs_does_not_fail(text: str) -> None:
    textpaths.label_path(_label(text))  # blank or partial, never an exception
