"""Renderers: the network drawing and the shape table (HTML, text, Markdown).

They read summary rows only. The drawing is laid out as a plain scene
(:mod:`.scene`: shapes, lines, labels tagged with their layer) and written to SVG
(:mod:`.scene_svg`) or drawn with matplotlib's public API (:mod:`.scene_mpl`, what
:func:`draw` returns). The table needs no matplotlib; :func:`draw` imports it when first
called, so ``import shapewidget.render`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import graph_labels as _graph_labels  # noqa: F401  (the graph drawing's texts)
from . import labels as _labels  # noqa: F401  (registers the drawing's texts; no matplotlib)
from .table import to_html, to_markdown, to_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def draw(summary: Any, ax: Any = None, fig: Any = None, **options: Any) -> Figure:
    """Draw the network; see :func:`shapewidget.render.drawing.draw`."""
    from .drawing import draw as _draw

    return _draw(summary, ax, fig, **options)


__all__ = ["draw", "to_html", "to_markdown", "to_text"]
