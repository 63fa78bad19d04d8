"""The layer catalogue: every Keras layer type shapewidget knows, by class name.

Each family module declares its classes in a ``LAYERS`` tuple; this module gathers them.
"""

from __future__ import annotations

from . import (
    activation,
    attention,
    conv,
    conv_lstm,
    core,
    embedding,
    image_preprocessing,
    merging,
    normalization,
    pooling,
    preprocessing,
    recurrent,
    regularization,
    reshaping,
    reversible_embedding,
    rnn_cells,
    serial,
    wrappers,
)
from .base import Computed, Layer, Weight
from .core import Activation, Dense, Dropout, Flatten

FAMILIES: tuple[str, ...] = (
    "core", "conv", "pooling", "reshaping", "normalization", "embedding", "recurrent",
    "attention",
    "merging", "wrapper", "activation", "regularization", "preprocessing",
)

CATALOGUE: tuple[type[Layer], ...] = (
    *core.LAYERS, *conv.LAYERS, *pooling.LAYERS, *reshaping.LAYERS, *normalization.LAYERS,
    *embedding.LAYERS, *recurrent.LAYERS, *merging.LAYERS, *wrappers.LAYERS,
    *activation.LAYERS, *regularization.LAYERS, *reversible_embedding.LAYERS,
    *image_preprocessing.LAYERS, *preprocessing.LAYERS, *rnn_cells.LAYERS,
    *conv_lstm.LAYERS, *attention.LAYERS,
)

LAYER_TYPES: dict[str, type[Layer]] = {cls.type_name(): cls for cls in CATALOGUE}
"""Layer classes by Keras class name, e.g. ``LAYER_TYPES["Conv2D"]``."""
serial.register_catalogue(LAYER_TYPES)  # what a spec's "type" may name


def __getattr__(name: str) -> type[Layer]:
    # `shapewidget.layers.Conv2D` and friends, for every catalogue class.
    try:
        return LAYER_TYPES[name]
    except KeyError:
        raise AttributeError(name) from None


__all__ = ["CATALOGUE", "FAMILIES", "LAYER_TYPES", "Activation", "Computed", "Dense",
           "Dropout", "Flatten", "Layer", "Weight"]
