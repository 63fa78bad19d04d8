"""Label outlines (shapewidget.render.pathtext): exact, and laid out once per new line."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import _text_helpers
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
    layout = _text_helpers.layout

    def counting(text: str, *args: object, **kwargs: object) -> object:
        if len(text) > 1:  # (single characters: each glyph's outline, once)
            calls.append(text)
        return layout(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_text_helpers, "layout", counting)
    pathtext._line("units=4213", FAMILY, "normal", "normal", 0.2)
    assert calls == ["units=4213"]
    pathtext._line("units=421", FAMILY, "normal", "normal", 0.2)  # every pair known
    assert calls == ["units=4213"]
