"""The lean rasteriser (painter.rasterize): the same pixels as ``canvas.draw()``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from graph_examples import issue_spec
from matplotlib.figure import Figure
from render_helpers import cnn_model, lstm_model, seed_model

from shapewidget import Model
from shapewidget.render import draw
from shapewidget.render.painter import rasterize


def _pixels(canvas: Any) -> np.ndarray:
    return np.asarray(canvas.buffer_rgba()).copy()


def _both(model: Model, **options: Any) -> tuple[np.ndarray, np.ndarray]:
    """The drawing rasterised by ``rasterize`` and, drawn afresh, by ``canvas.draw``."""
    lean = draw(model.analyze(), **options)
    full = draw(model.analyze(), **options)
    full.canvas.draw()
    return _pixels(rasterize(lean)), _pixels(full.canvas)


MODELS = {"seed": seed_model, "cnn": cnn_model, "lstm": lstm_model,
          "graph": lambda: Model.from_spec(issue_spec())}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_rasterize_matches_canvas_draw_on_a_panel(name: str) -> None:
    lean, full = _both(MODELS[name](), panel=True)
    assert lean.shape == full.shape and np.array_equal(lean, full)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_rasterize_matches_canvas_draw_dark_and_highlighted(name: str) -> None:
    lean, full = _both(MODELS[name](), theme="dark", highlight=1)
    assert np.array_equal(lean, full)


def test_rasterize_matches_canvas_draw_with_text_artists() -> None:
    lean, full = _both(cnn_model(), text_as_paths=False)
    assert np.array_equal(lean, full)


def test_rasterize_matches_canvas_draw_after_a_redraw_on_the_same_figure() -> None:
    fig = draw(seed_model().analyze(), panel=True)
    rasterize(fig)
    fig = draw(cnn_model().analyze(), fig=fig, panel=True)  # reused Axes, resized
    lean = _pixels(rasterize(fig))
    full = draw(cnn_model().analyze(), panel=True)
    full.canvas.draw()
    assert np.array_equal(lean, _pixels(full.canvas))


def test_rasterize_draws_what_else_is_on_the_figure() -> None:
    # a figure the lean path does not know (a second Axes with its axis on) is drawn whole
    fig = draw(seed_model().analyze())
    fig.add_axes((0.1, 0.1, 0.3, 0.3)).plot([0, 1], [1, 0])
    lean = _pixels(rasterize(fig))
    fig.canvas.draw()
    assert np.array_equal(lean, _pixels(fig.canvas))


def test_rasterize_draws_a_title_set_on_the_drawing_axes() -> None:
    fig = draw(seed_model().analyze())
    plain = _pixels(rasterize(fig))
    fig.axes[0].set_title("seed", y=0.5)  # inside the figure
    titled = _pixels(rasterize(fig))
    fig.canvas.draw()
    assert not np.array_equal(plain, titled) and np.array_equal(titled, _pixels(fig.canvas))


def test_rasterize_an_empty_figure_is_its_background() -> None:
    fig = Figure(figsize=(1, 1), dpi=20, facecolor="#ff0000")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    pixels = _pixels(rasterize(fig))
    assert pixels.shape == (20, 20, 4) and (pixels == (255, 0, 0, 255)).all()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_merged_artists_plain_agg_draw_matches_the_full_collection_draw(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from shapewidget.render import merged

    summary = MODELS[name]().analyze()
    quick = _pixels(rasterize(draw(summary, panel=True)))
    monkeypatch.setattr(merged, "_plain_agg", lambda coll, renderer: False)
    full = _pixels(rasterize(draw(summary, panel=True)))
    assert np.array_equal(quick, full)
