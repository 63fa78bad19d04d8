"""shapewidget: build a Keras-style network and see its shapes, weights and parameter
counts live — no TensorFlow needed.

``import shapewidget`` loads neither ipywidgets nor matplotlib; the widget and the
drawing import them when first used.
"""

from __future__ import annotations

from . import layers
from .errors import ShapeError
from .layers import LAYER_TYPES, Layer, Weight
from .model import Model
from .summary import Summary, SummaryRow

__version__ = "0.1.0"

__all__ = ["LAYER_TYPES", "Layer", "Model", "ShapeError", "Summary", "SummaryRow", "Weight",
           "__version__", "layers"]
