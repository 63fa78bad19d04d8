"""The drawing on an ipympl canvas: ``ShapeWidget(drawing="ipympl")`` (opt-in).

The default drawing is an image and needs nothing extra. With ``drawing="ipympl"`` the
drawing tab hosts ipympl's canvas widget instead (pan and zoom with its toolbar, crisp on
high-density screens). Without ipympl, or if its canvas cannot be made, the widget says
so (how to install it) and shows the image: nothing raises into the browser.

No pyplot: the Figure, its ipympl ``Canvas`` and ``FigureManager`` are made here directly,
as ipympl's ``new_figure_manager_given_figure`` does but without queueing the figure for
pyplot's ``show`` or registering it in ``matplotlib._pylab_helpers.Gcf``. One Figure is
reused for every redraw; :meth:`MplView.close` closes the canvas and toolbar widgets.
"""

from __future__ import annotations

import html
import warnings
from typing import Any

from ..errors import ShapeError
from ..params import describe
from ..summary import Summary
from ..text import Lang, Msg, register

DRAWINGS: tuple[str, ...] = ("image", "ipympl")
# The widest canvas, in CSS pixels: it fits the drawing tab beside the editor (a canvas
# cannot be scaled by CSS as the image is: ipympl maps the pointer in CSS pixels). A
# wider drawing is shown smaller, as the image is; the zoom tool then shows its details,
# drawn sharp.
MAX_WIDTH = 440.0

MISSING = register(
    "widget.drawing.ipympl_missing",
    "The interactive drawing needs ipympl, which is not installed: run "
    "pip install ipympl and restart the kernel. Meanwhile the drawing is shown as an image.",
    "操作できる図には ipympl が必要ですが、インストールされていません。"
    "pip install ipympl を実行してカーネルを再起動してください。それまでは図を画像で表示します。")
FAILED = register(
    "widget.drawing.ipympl_failed",
    "The interactive drawing (ipympl) could not start: {message}. The drawing is shown as "
    "an image instead.",
    "操作できる図（ipympl）を開始できませんでした: {message}。代わりに図を画像で表示します。")


def check_drawing(drawing: str) -> None:
    """``drawing`` must be one of :data:`DRAWINGS` (a mistake in Python code, not a UI one)."""
    if not isinstance(drawing, str) or drawing not in DRAWINGS:
        raise ShapeError(Msg("widget.err.choice", {
            "expected": ", ".join(map(repr, DRAWINGS)), "received": describe(drawing)}),
            argument="drawing")


class MplView:
    """The drawing on one reused Figure shown by an ipympl canvas widget (``widget``)."""

    def __init__(self, dpi: float, max_width: float = MAX_WIDTH) -> None:
        from ipympl.backend_nbagg import Canvas, FigureManager
        from matplotlib.figure import Figure

        self.dpi = dpi
        self.max_width = max_width
        self.figure = Figure(dpi=dpi)
        canvas = Canvas(self.figure)
        try:
            with warnings.catch_warnings():
                # ipympl's Toolbar passes the canvas on to traitlets (ipympl 0.10)
                warnings.filterwarnings("ignore", "Passing unrecognized arguments",
                                        DeprecationWarning)
                self.manager = FigureManager(canvas, 0)
            # the drawing is not a plot: no keyboard shortcuts ('l' would make the y axis
            # logarithmic, 'g' would add a grid)
            if self.manager.key_press_handler_id is not None:
                canvas.mpl_disconnect(self.manager.key_press_handler_id)
            canvas.header_visible = False  # "Figure 0"
            canvas.footer_visible = False  # the pointer's coordinates, in inches
            canvas.resizable = False  # the drawing sets its size
            # ipympl's default: the toolbar (pan, zoom, home, save) shows while the pointer
            # is over the drawing; always shown it would cover the drawing's left edge
            canvas.toolbar_visible = "fade-in-fade-out"
            canvas.add_class("sw-diagram-canvas")
        except BaseException:
            canvas.close()
            raise
        self.canvas = canvas
        self.draws = 0
        self.css_dpi = dpi
        self._size: tuple[float, float] | None = None
        canvas.mpl_connect("draw_event", self._keep_dpi)

    @property
    def widget(self) -> Any:
        """The ipympl canvas widget (its toolbar is inside it)."""
        return self.canvas

    def draw(self, summary: Summary, highlight: int | None, lang: Lang) -> Any:
        """Draw ``summary`` (``highlight``: the selected layer) and return :attr:`widget`.

        A view panned or zoomed by the person is kept while the drawing keeps its size
        (selecting a layer, most edits); a drawing of a new size starts unzoomed.
        """
        from ..render import draw

        axes = self.figure.get_axes()
        view = (axes[0].get_xlim(), axes[0].get_ylim()) if len(axes) == 1 else None
        before = self._size
        draw(summary, fig=self.figure, highlight=highlight, lang=lang)
        w, h = self.figure.get_size_inches()
        self._size = (float(w), float(h))
        self._fit(float(w))
        toolbar = self.canvas.toolbar
        if toolbar is not None:
            toolbar.update()  # the Home/Back/Forward history was of the previous drawing
        axes = self.figure.get_axes()
        if view is not None and before == self._size and len(axes) == 1:
            ax = axes[0]
            if view != (ax.get_xlim(), ax.get_ylim()):
                if toolbar is not None:
                    toolbar.push_current()  # Home: the whole drawing
                ax.set_xlim(*view[0])
                ax.set_ylim(*view[1])
                if toolbar is not None:
                    toolbar.push_current()
        self.canvas.draw_idle()
        self.draws += 1
        return self.canvas

    def _fit(self, width: float) -> None:
        """Show a drawing ``width`` inches wide at most :attr:`max_width` CSS pixels wide.

        The Figure's dpi is scaled (everything shrinks alike, as in the image), times the
        screen's device pixel ratio for a sharp canvas on a high-density screen.
        """
        self.css_dpi = self.dpi * min(1.0, self.max_width / (width * self.dpi))
        self._keep_dpi()

    def _keep_dpi(self, event: Any = None) -> None:
        """Set the Figure's dpi to :attr:`css_dpi` times the device pixel ratio.

        Also called after every canvas draw: when the browser reports its device pixel
        ratio, matplotlib resets the dpi to the Figure's original one times that ratio,
        and this puts the drawing's scale back (it sends the new size).
        """
        wanted = self.css_dpi * self.canvas.device_pixel_ratio
        if self.figure.dpi != wanted:
            self.figure.set_dpi(wanted)

    def css_size(self) -> tuple[float, float]:
        """The canvas size in whole CSS pixels (what the browser is sent)."""
        w, h = self.figure.get_size_inches()
        return float(round(w * self.css_dpi)), float(round(h * self.css_dpi))

    def close(self) -> None:
        """Close the canvas and toolbar widgets and empty the Figure."""
        toolbar = self.canvas.toolbar
        for widget in (toolbar, self.canvas):
            if widget is None:
                continue
            for attr in ("layout", "style"):
                sub = getattr(widget, attr, None)
                if sub is not None and hasattr(sub, "close"):
                    sub.close()
            widget.close()
        self.figure.clear()


def open_view(drawing: str, dpi: float) -> tuple[MplView | None, Msg | None]:
    """The ipympl view for ``drawing="ipympl"``, or None and why (shown in the widget)."""
    check_drawing(drawing)
    if drawing != "ipympl":
        return None, None
    try:
        return MplView(dpi), None
    except ImportError:
        return None, Msg(MISSING)
    except Exception as exc:
        return None, Msg(FAILED, {"message": f"{type(exc).__name__}: {exc}"})


def note_html(note: Msg | None, lang: Lang) -> str:
    """The note above the drawing when ipympl was asked for but is not used ('' if none)."""
    if note is None:
        return ""
    return f'<p class="sw-drawing-note">{html.escape(note.render(lang))}</p>'
