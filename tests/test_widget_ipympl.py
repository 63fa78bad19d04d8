"""The opt-in ipympl drawing: ``ShapeWidget(drawing="ipympl")`` and its view module."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.backend_bases import KeyEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from shapewidget import Model, ShapeError
from shapewidget.render import draw
from shapewidget.widget import ShapeWidget
from shapewidget.widget.ipympl_view import (
    MAX_WIDTH,
    MplView,
    check_drawing,
    note_html,
    open_view,
)

ipympl_backend = pytest.importorskip("ipympl.backend_nbagg")

DPI = 80.0


def model() -> Model:
    return Model(input_shape=(3,), layers=[{"type": "Dense", "units": 4},
                                            {"type": "Dense", "units": 4},
                                            {"type": "Dense", "units": 1}])


def pixels(fig: Figure) -> np.ndarray:
    canvas = fig.canvas
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def reference_pixels(m: Model, highlight: int | None, dpi: float = DPI) -> np.ndarray:
    fig = Figure(dpi=dpi)
    FigureCanvasAgg(fig)
    return pixels(draw(m.analyze(), fig=fig, highlight=highlight, lang="en"))


@pytest.fixture
def view() -> Iterator[MplView]:
    v, note = open_view("ipympl", DPI)
    assert note is None and v is not None
    yield v
    v.close()


def test_ipympl_view_hosts_a_canvas_widget_of_its_figure(view: MplView) -> None:
    shown = view.draw(model().analyze(), None, "en")
    assert isinstance(shown, ipympl_backend.Canvas)
    assert shown is view.widget and shown.figure is view.figure
    assert "sw-diagram-canvas" in shown._dom_classes
    assert isinstance(shown.toolbar, ipympl_backend.Toolbar)


def test_ipympl_view_edit_redraws_the_same_figure_resized(view: MplView) -> None:
    m = model()
    view.draw(m.analyze(), None, "en")
    fig, size, sent = view.figure, view.figure.get_size_inches().copy(), tuple(view.canvas._size)
    m.set_arg(0, "units", 64)  # the first column of neurons gets longer
    view.draw(m.analyze(), None, "en")
    assert view.draws == 2
    assert view.figure is fig and view.canvas.figure is fig  # reused, not one per edit
    assert tuple(view.figure.get_size_inches()) != tuple(size)
    assert tuple(view.canvas._size) != sent  # the new size went to the browser


def test_ipympl_view_draws_the_selected_layer_highlighted(view: MplView) -> None:
    m = model()
    view.draw(m.analyze(), 1, "en")
    shown = pixels(view.figure)
    assert np.array_equal(shown, reference_pixels(m, 1))
    assert not np.array_equal(shown, reference_pixels(m, None))


def test_ipympl_view_keeps_zoom_while_drawing_keeps_its_size(view: MplView) -> None:
    m = model()
    view.draw(m.analyze(), None, "en")
    width, height = view.figure.get_size_inches()
    ax = view.figure.axes[0]
    zoomed = ((width / 4, width / 2), (height / 4, height / 2))  # as the zoom tool does
    ax.set_xlim(*zoomed[0])
    ax.set_ylim(*zoomed[1])
    view.draw(m.analyze(), 2, "en")  # selecting a layer
    assert view.figure.axes[0].get_xlim() == pytest.approx(zoomed[0])
    assert view.figure.axes[0].get_ylim() == pytest.approx(zoomed[1])
    view.canvas.toolbar.home()  # Home: the whole drawing
    assert view.figure.axes[0].get_xlim() == pytest.approx((0.0, width))
    assert view.figure.axes[0].get_ylim() == pytest.approx((0.0, height))


def test_ipympl_view_unzooms_a_drawing_of_a_new_size(view: MplView) -> None:
    m = model()
    view.draw(m.analyze(), None, "en")
    view.figure.axes[0].set_xlim(1.0, 2.0)
    m.set_arg(0, "units", 64)
    view.draw(m.analyze(), None, "en")
    width, _ = view.figure.get_size_inches()
    assert view.figure.axes[0].get_xlim() == pytest.approx((0.0, width))


def test_ipympl_view_ignores_matplotlib_key_shortcuts(view: MplView) -> None:
    view.draw(model().analyze(), None, "en")
    KeyEvent("key_press_event", view.canvas, "l", x=10, y=10)._process()
    assert view.figure.axes[0].get_yscale() == "linear"


def test_ipympl_view_close_closes_widgets_and_leaves_no_figures(view: MplView) -> None:
    view.draw(model().analyze(), 0, "en")
    canvas, toolbar = view.canvas, view.canvas.toolbar
    view.close()
    assert canvas.comm is None and toolbar.comm is None
    assert Gcf.get_all_fig_managers() == []
    assert view.figure.axes == []


def test_open_view_without_ipympl_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a None entry in sys.modules makes `import` raise ImportError, as if not installed
    monkeypatch.setitem(sys.modules, "ipympl", None)
    monkeypatch.setitem(sys.modules, "ipympl.backend_nbagg", None)
    v, note = open_view("ipympl", DPI)
    assert v is None and note is not None
    assert "pip install ipympl" in note_html(note, "en")
    assert "pip install ipympl" in note_html(note, "ja")
    assert note_html(note, "ja") != note_html(note, "en")


def test_open_view_for_the_image_drawing_is_none() -> None:
    assert open_view("image", DPI) == (None, None)
    assert note_html(None, "en") == ""


def test_unknown_drawing_is_refused() -> None:
    with pytest.raises(ShapeError, match="expected one of 'image', 'ipympl', received 'svg'"):
        check_drawing("svg")


def test_ipympl_view_fits_a_wide_drawing_to_the_tab(view: MplView) -> None:
    m = Model(input_shape=(3,), layers=[{"type": "Dense", "units": 4}] * 12)
    view.draw(m.analyze(), None, "en")
    width, height = view.figure.get_size_inches()
    assert width * DPI > MAX_WIDTH  # wider than the tab at the widget's dpi
    css_w, css_h = view.css_size()
    assert css_w <= MAX_WIDTH
    assert css_h / css_w == pytest.approx(height / width, rel=0.02)  # scaled, not cropped


def test_ipympl_view_shows_a_narrow_drawing_at_the_widget_dpi(view: MplView) -> None:
    view.draw(model().analyze(), None, "en")
    width, _ = view.figure.get_size_inches()
    assert view.figure.dpi == DPI
    assert view.css_size()[0] == pytest.approx(width * DPI, abs=1)


# --- the widget ----------------------------------------------------------------------
def test_widget_ipympl_drawing_hosts_the_canvas() -> None:
    w = ShapeWidget(drawing="ipympl")
    (content,) = w.diagram.children
    assert isinstance(content, ipympl_backend.Canvas)
    assert w.drawing == "ipympl"
    assert w._drawer._fig is None  # no image figure as well
    w.close()


def test_widget_image_drawing_is_the_default() -> None:
    w = ShapeWidget()
    assert w.drawing == "image"
    assert w.diagram.children == (w.diagram_image,)
    w.close()


def test_widget_ipympl_edit_redraws_the_canvas() -> None:
    w = ShapeWidget(drawing="ipympl")
    view = w._mpl_view
    draws, size = view.draws, view.css_size()
    w.rows[0].controls["units"].widget.value = 9  # a taller first column
    assert view.draws == draws + 1
    assert view.css_size()[1] > size[1]
    assert w.diagram.children == (view.widget,)
    w.close()


def test_widget_ipympl_highlights_the_selected_layer() -> None:
    w = ShapeWidget(drawing="ipympl")
    w.selected = 1
    view = w._mpl_view
    shown = pixels(view.figure)
    assert np.array_equal(shown, reference_pixels(w.model, 1, view.figure.dpi))
    assert not np.array_equal(shown, reference_pixels(w.model, None, view.figure.dpi))
    w.close()


def test_widget_ipympl_canvas_survives_a_language_switch() -> None:
    w = ShapeWidget(drawing="ipympl")
    canvas = w._mpl_view.widget
    w.lang = "ja"
    assert w.diagram.children == (canvas,)
    assert canvas.comm is not None  # still open
    assert w._mpl_view.draws == 2
    w.close()


def test_widget_without_ipympl_shows_the_image_and_how_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipympl", None)
    monkeypatch.setitem(sys.modules, "ipympl.backend_nbagg", None)
    w = ShapeWidget(drawing="ipympl")
    assert w.drawing == "image"
    assert w.diagram.children == (w.drawing_note, w.diagram_image)
    assert "pip install ipympl" in w.drawing_note.value
    assert bytes(w.diagram_image.value)
    assert w.last_internal_error is None
    w.lang = "ja"  # the note follows the language
    assert "pip install ipympl" in w.drawing_note.value
    assert w.diagram.children == (w.drawing_note, w.diagram_image)
    w.close()


def test_widget_ipympl_close_closes_the_canvas_and_leaves_no_figures() -> None:
    w = ShapeWidget(drawing="ipympl")
    w.model.set_arg(0, "units", 7)
    canvas = w._mpl_view.widget
    toolbar = canvas.toolbar
    w.close()
    assert canvas.comm is None and toolbar.comm is None
    assert Gcf.get_all_fig_managers() == []


def test_widget_ipympl_reuses_one_figure_for_every_edit() -> None:
    w = ShapeWidget(drawing="ipympl")
    fig = w._mpl_view.figure
    for units in range(2, 8):
        w.model.set_arg(0, "units", units)
    assert w._mpl_view.draws == 7
    assert w._mpl_view.figure is fig and w._mpl_view.canvas.figure is fig
    assert len(fig.axes) == 1
    w.close()


def test_widget_unknown_drawing_is_refused() -> None:
    with pytest.raises(ShapeError, match="argument `drawing`"):
        ShapeWidget(drawing="svg")
