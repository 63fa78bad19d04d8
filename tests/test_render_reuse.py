"""Redraws on the same Figure replace the previous drawing, with the pixels of a fresh one."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from render_helpers import cnn_model, seed_model

from shapewidget.render import draw
from shapewidget.render.scene_mpl import rasterize


def _pixels(fig: Figure) -> np.ndarray:
    return np.asarray(rasterize(fig).buffer_rgba()).copy()


def test_redraw_with_another_highlight_keeps_only_the_new_highlight_box() -> None:
    summary = cnn_model().analyze()
    fig = draw(summary, highlight=1)
    fig = draw(summary, fig=fig, highlight=2)
    assert [a.get_gid() for a in fig.axes[0].patches
            if (a.get_gid() or "").startswith("highlight:")] == ["highlight:conv2d_1"]


def test_redraws_through_changes_give_the_pixels_of_a_fresh_drawing() -> None:
    fig = draw(cnn_model().analyze(), highlight=1, panel=True)
    _pixels(fig)
    for model, highlight in ((cnn_model(), 2), (seed_model(), None), (cnn_model(), 1)):
        fig = draw(model.analyze(), fig=fig, highlight=highlight, panel=True)
        fresh = draw(model.analyze(), highlight=highlight, panel=True)
        assert np.array_equal(_pixels(fig), _pixels(fresh))
