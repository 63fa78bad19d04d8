"""Merged artists: one artist per style for all layers, each layer still addressable."""

from __future__ import annotations

import numpy as np
from matplotlib.textpath import TextPath
from render_helpers import long_model, one, seed_model

from shapewidget.render import draw, pathtext


def test_draw_artist_count_does_not_grow_with_layers() -> None:
    twenty, forty = draw(long_model(20)), draw(long_model(40))
    assert len(twenty.axes[0].get_children()) == len(forty.axes[0].get_children())


def test_draw_seed_neurons_of_all_layers_are_one_artist() -> None:
    fig = draw(seed_model())
    merged = [a for a in fig.axes[0].collections if a.get_gid() == "neurons"]
    assert len(merged) == 1 and len(merged[0].get_offsets()) == 4 + 4 + 1
    assert one(fig, "neurons:dense_1") in merged[0].parts


def test_pathtext_line_from_cached_glyphs_matches_textpath() -> None:
    family = ("DejaVu Sans",)
    for text in ("units=105", "(None, 105)", "AVATAR Ty", "a tensor, not a layer"):
        verts, _, _ = pathtext._line(text, family, "bold", "normal", 0.14)
        expected = TextPath((0, 0), text, size=0.14,
                            prop=pathtext._prop(family, "bold", "normal")).vertices
        assert np.allclose(verts, expected, atol=1e-9), text
