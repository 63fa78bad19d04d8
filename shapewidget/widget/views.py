"""What the views show, as plain data (PNG bytes, HTML, code text); no ipywidgets.

Each function degrades gracefully when an optional part (the renderer, the code export)
is not available, so the widget always has something to show.
"""

from __future__ import annotations

import html
from typing import Any

from ..errors import ShapeError
from ..model import Model
from ..shapes import format_shape
from ..summary import Summary
from ..text import Lang
from .strings import t

CODE_STYLES: tuple[str, ...] = ("sequential", "functional", "legacy")


class Drawer:
    """Renders the drawing's scene as SVG (:mod:`shapewidget.render.scene_svg`: the
    browser rasterises it, sharp at any zoom) or, with ``fmt="png"``, as PNG on one reused
    matplotlib Figure (no figure leaks)."""

    def __init__(self, dpi: float = 80.0, fmt: str = "svg") -> None:
        self.dpi = dpi
        self.fmt = fmt
        self._fig: Any = None

    def available(self) -> bool:
        try:
            from ..render import draw  # noqa: F401
        except ImportError:
            return False
        return True

    def image(self, summary: Summary, highlight: int | None,
              lang: Lang) -> tuple[str, bytes]:
        """The drawing as ``(format, bytes)`` for an ``ipywidgets.Image``: ``"svg+xml"``
        or ``"png"``."""
        from ..render.drawing import scene

        sc = scene(summary, highlight=highlight, lang=lang)
        if self._fig is None:
            from matplotlib.figure import Figure

            # at the widget's dpi from the start: never rescaled before rasterising
            self._fig = Figure(dpi=self.dpi)
        if self.fmt == "svg":
            from ..render.scene_svg import scene_svg

            # the Figure only keeps the drawing's size and background (figure_size)
            self._fig.set_size_inches(sc.width, sc.height)
            self._fig.set_facecolor(sc.background)
            return "svg+xml", scene_svg(sc, self.dpi).encode("utf-8")
        from ..render.scene_mpl import render

        self._fig = render(sc, fig=self._fig)
        return "png", self.encode(self._fig)

    def encode(self, fig: Any) -> bytes:
        """``fig`` rasterised at the widget's dpi, as PNG bytes (the benchmark's
        baseline encodes an empty figure with this same call)."""
        from ..render.export import png_bytes

        return png_bytes(fig, self.dpi)

    def figure_size(self) -> tuple[float, float] | None:
        if self._fig is None:
            return None
        w, h = self._fig.get_size_inches()
        return float(w), float(h)


def table_html(summary: Summary, lang: Lang, highlight: int | None) -> str:
    try:
        from ..render.table import to_html
    except ImportError:
        return "<pre>" + html.escape(summary.to_text(lang)) + "</pre>"
    return to_html(summary, lang, highlight=highlight)


def drawing_fallback_html(summary: Summary, lang: Lang) -> str:
    return (f"<p>{html.escape(t('widget.drawing.unavailable', lang))}</p><pre>"
            + html.escape(summary.to_text(lang)) + "</pre>")


def keras_code(model: Model, style: str, lang: Lang) -> str:
    to_code = getattr(model, "to_keras_code", None)
    if to_code is None:
        return t("widget.code.unavailable", lang)
    try:
        return str(to_code(style))
    except ImportError:
        return t("widget.code.unavailable", lang)
    except ShapeError as err:
        return t("widget.code.failed", lang, message=err.message(lang))


def explanation_html(summary: Summary, model: Model, selected: int | None, lang: Lang) -> str:
    """The derivation of the selected layer (or of the input when nothing is selected)."""
    e = html.escape
    if selected is None or not 0 <= selected < len(model.layers):
        if len(summary.inputs) > 1:
            shapes = ", ".join(f"{i.name} {format_shape(i.shape)}" for i in summary.inputs)
            intro = t("widget.explain.inputs", lang, shapes=shapes)
        else:
            intro = t("widget.explain.input", lang, shape=format_shape(summary.input_shape))
        return f"<p>{e(intro)}</p><p><em>{e(t('widget.explain.none', lang))}</em></p>"
    names = model.layer_names
    head = t("widget.explain.layer", lang, index=selected, name=names[selected],
             type=model.layers[selected].type_name())
    parts = [f"<h4>{e(head)}</h4>"]
    # rows are in spec order but, in a graph with an error, only for the computed layers
    row = next((r for r in summary.rows if r.index == selected), None)
    if row is not None:
        if summary.functional and row.inbound:
            tensors = ", ".join(f"{n} {format_shape(s)}" for n, s in zip(
                row.inbound, row.input_shapes or (row.input_shape,), strict=False))
            parts.append("<p>" + e(t("widget.explain.inbound", lang, tensors=tensors,
                                     out=format_shape(row.output_shape)))
                         + "</p>")
        else:
            parts.append("<p>" + e(t("widget.explain.shapes", lang,
                                     inp=format_shape(row.input_shape),
                                     out=format_shape(row.output_shape))) + "</p>")
        if row.shares is not None:
            parts.append("<p>" + e(t("widget.explain.shares", lang, target=row.shares))
                         + "</p>")
        parts.append(f"<p>{e(row.explain(lang))}</p>")
        if row.weights:
            items = "".join(
                "<li><code>" + e(t("widget.explain.weight", lang, name=w.name,
                                   shape=format_shape(w.shape), n=f"{w.size:,}",
                                   frozen="" if w.trainable else
                                   t("widget.explain.frozen", lang))) + "</code></li>"
                for w in row.weights)
            parts.append(f"<p>{e(t('widget.explain.weights', lang))}</p><ul>{items}</ul>")
        else:
            parts.append(f"<p>{e(t('widget.explain.no_weights', lang))}</p>")
        parts.append("<p>" + e(t("widget.explain.params", lang, n=f"{row.params:,}",
                                 t=f"{row.trainable_params:,}",
                                 f=f"{row.non_trainable_params:,}")) + "</p>")
    elif summary.error is not None and summary.error.layer_index == selected:
        parts.append(f'<p class="sw-error">{e(summary.error.message(lang))}</p>')
    else:
        parts.append(f"<p>{e(t('widget.explain.not_reached', lang))}</p>")
    return "".join(parts)
