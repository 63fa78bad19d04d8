"""shapewidget: build a Keras-style network and see its shapes, weights and parameter
counts live — no TensorFlow needed.

``import shapewidget`` loads neither ipywidgets nor matplotlib; the widget and the
drawing import them when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import layers
from .errors import ShapeError
from .layers import LAYER_TYPES, Layer, Weight
from .model import Model
from .summary import Summary, SummaryRow

if TYPE_CHECKING:
    from .widget import ShapeWidget as ShapeWidget

__version__ = "0.1.0"

__all__ = ["LAYER_TYPES", "Layer", "Model", "ShapeError", "Summary", "SummaryRow", "Weight",
           "__version__", "layers"]


def __getattr__(name: str) -> Any:
    # ``shapewidget.ShapeWidget`` imports ipywidgets only when first asked for.
    if name == "ShapeWidget":
        from .widget import ShapeWidget as ShapeWidget

        return ShapeWidget
    raise AttributeError(f"module 'shapewidget' has no attribute {name!r}")
