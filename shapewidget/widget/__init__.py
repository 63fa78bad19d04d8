"""The notebook front-end: :class:`ShapeWidget`, built from standard ipywidgets.

This package is the only part of shapewidget that imports ipywidgets; ``import
shapewidget`` does not load it (``shapewidget.ShapeWidget`` imports it on first use).
"""

from __future__ import annotations

from .app import ShapeWidget

__all__ = ["ShapeWidget"]
