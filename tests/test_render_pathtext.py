"""Label outlines (shapewidget.render.pathtext): exact, and laid out once per new line."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from matplotlib.textpath import TextPath

from shapewidget.render import pathtext

FAMILY = ("DejaVu Sans",)


@pytest.mark.parametrize("text", ["units=9876", "Wave AV To", "(None, 31, 7)"])
def test_pathtext_new_line_matches_textpath(text: str) -> None:
    pathtext.clear_caches()  # every pair new: learnt from one layout of the line
    verts, _, _ = pathtext._line(text, FAMILY, "normal", "normal", 0.2)
    expected = TextPath((0, 0), text, size=0.2,
                        prop=pathtext._prop(FAMILY, "normal", "normal")).vertices
    assert np.allclose(verts, expected, atol=1e-9)


def test_pathtext_new_line_costs_one_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    pathtext.clear_caches()
    calls: list[str] = []
    monkeypatch.setattr(pathtext, "_layout_x", _spy(pathtext._layout_x, calls))
    pathtext._line("Wave AV To", FAMILY, "normal", "normal", 0.2)
    assert calls.count("Wave AV To") == 1
    assert all(len(c) > 2 for c in calls)  # no pair laid out on its own
    pathtext._line("AV To", FAMILY, "normal", "normal", 0.2)  # every pair known
    assert "AV To" not in calls


def test_pathtext_new_number_lays_nothing_out(monkeypatch: pytest.MonkeyPatch) -> None:
    pathtext.clear_caches()
    for seen in ("units=1", "(None, 1)"):
        pathtext._line(seen, FAMILY, "normal", "normal", 0.2)
    calls: list[str] = []
    monkeypatch.setattr(pathtext, "_layout_x", _spy(pathtext._layout_x, calls))
    for text in ("units=8675", "(None, 309)", "units=52"):
        pathtext._line(text, FAMILY, "normal", "normal", 0.2)
    assert calls == []


def _spy(fn: Any, calls: list[str]) -> Any:
    def wrapper(text: str, *args: Any) -> Any:
        calls.append(text)
        return fn(text, *args)
    return wrapper


@pytest.mark.parametrize("va", ["top", "center", "bottom", "baseline"])
def test_pathtext_label_outline_is_where_place_puts_it(va: str) -> None:
    record = pathtext.label(1.5, 2.0, "Input\n(None, 3)", size_pt=11, family="DejaVu Sans",
                            gid="x", ha="left", va=va)
    verts, codes = pathtext.place(1.5, 2.0, "Input\n(None, 3)", size_pt=11,
                                  family="DejaVu Sans", ha="left", va=va)
    assert np.array_equal(record._verts, verts) and np.array_equal(record.codes(), codes)


def test_pathtext_label_works_out_no_outline_until_read() -> None:
    record = pathtext.label(0, 0, "units=4", size_pt=10, family="DejaVu Sans", gid="x")
    assert record._given is None
    assert len(record._verts) > 0 and record._given is not None


@pytest.mark.parametrize("text", ["units=4", "Input", "(None, 20, 8)", "a · b", "W (3, 4) + b (4,)"])
def test_pathtext_glyph_layout_width_is_the_outline_width(text: str) -> None:
    _, _, width = pathtext._line(text, FAMILY, "normal", "normal", 0.15)
    layout = pathtext.glyph_layout(text, FAMILY, "normal", "normal", 0.15, "right")
    assert layout is not None
    # right-aligned: the right-most glyph ends exactly at the anchor
    right = max(x + pathtext._glyph_right(ch, FAMILY, "normal", "normal") * 0.15
                for ch, x, _ in layout)
    assert right == pytest.approx(0.0, abs=1e-12)
    assert width > 0
