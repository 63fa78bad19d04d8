"""The layer catalogue: every Keras layer type shapewidget knows, by class name."""

from __future__ import annotations

from .base import Computed, Layer, Weight
from .core import Activation, Dense, Dropout, Flatten

CATALOGUE: tuple[type[Layer], ...] = (
    Dense, Activation, Dropout, Flatten,
)

LAYER_TYPES: dict[str, type[Layer]] = {cls.type_name(): cls for cls in CATALOGUE}
"""Layer classes by Keras class name, e.g. ``LAYER_TYPES["Conv2D"]``."""

FAMILIES: tuple[str, ...] = (
    "core", "conv", "pooling", "reshaping", "normalization", "recurrent", "wrapper",
)


def layer_class(type_name: str) -> type[Layer]:
    """The catalogue class for a Keras class name (raises ``KeyError`` if unknown)."""
    return LAYER_TYPES[type_name]


__all__ = ["CATALOGUE", "FAMILIES", "LAYER_TYPES", "Computed", "Layer", "Weight",
           "layer_class", *(cls.type_name() for cls in CATALOGUE)]
