"""Ready-made models to start from; only layer types present in the catalogue are used.

A preset is a model spec (Sequential, or functional with ``inputs``/``inbound``/``outputs``)
plus ``requires``, the layer types it needs.
"""

from __future__ import annotations

import copy
from typing import Any

from ..errors import ShapeError
from ..layers import LAYER_TYPES
from ..model import Model
from ..text import Msg

# A layer entry may be a list of alternatives: the first whose type exists is used.
_PRESETS: dict[str, dict[str, Any]] = {
    "neurons": {
        "requires": ("Dense",),
        "input_shape": [3],
        "layers": [
            {"type": "Dense", "units": 4, "activation": "relu"},
            {"type": "Dense", "units": 4, "activation": "relu"},
            {"type": "Dense", "units": 1, "activation": "sigmoid"},
        ],
    },
    "cnn": {
        "requires": ("Conv2D",),
        "input_shape": [50, 50, 3],
        "batch_size": 30,
        "layers": [
            {"type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu"},
            {"type": "MaxPooling2D", "pool_size": 2},
            {"type": "Conv2D", "filters": 16, "kernel_size": 3, "activation": "relu"},
            {"type": "MaxPooling2D", "pool_size": 2},
            {"type": "Flatten"},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ],
    },
    "lstm": {
        "requires": ("LSTM",),
        "input_shape": [20, 8],
        "layers": [
            {"type": "LSTM", "units": 16, "return_sequences": True},
            {"type": "LSTM", "units": 16},
            {"type": "Dense", "units": 1},
        ],
    },
    "text": {
        "requires": ("Embedding",),
        "input_shape": [100],
        "input_dtype": "int32",
        "layers": [
            {"type": "Embedding", "input_dim": 10000, "output_dim": 16},
            [{"type": "GlobalAveragePooling1D"}, {"type": "Flatten"}],
            {"type": "Dense", "units": 1, "activation": "sigmoid"},
        ],
    },
    "two_branch": {
        "requires": ("Conv2D", "Flatten", "Concatenate"),
        "inputs": [{"name": "image", "shape": [32, 32, 3], "batch_size": None},
                   {"name": "meta", "shape": [5], "batch_size": None}],
        "layers": [
            {"name": "conv", "type": "Conv2D", "filters": 8, "kernel_size": 3,
             "activation": "relu", "inbound": ["image"]},
            {"name": "flat", "type": "Flatten", "inbound": ["conv"]},
            {"name": "meta_dense", "type": "Dense", "units": 8, "activation": "relu",
             "inbound": ["meta"]},
            {"name": "joined", "type": "Concatenate", "axis": -1,
             "inbound": ["flat", "meta_dense"]},
            {"name": "score", "type": "Dense", "units": 1, "activation": "sigmoid",
             "inbound": ["joined"]},
            {"name": "kind", "type": "Dense", "units": 3, "activation": "softmax",
             "inbound": ["joined"]},
        ],
        "outputs": ["score", "kind"],
    },
}

PRESET_NAMES: tuple[str, ...] = tuple(_PRESETS)


def preset_spec(name: str) -> dict[str, Any] | None:
    """The spec of preset ``name`` with the layer types present now, or None if it cannot
    be built with this catalogue."""
    entry = _PRESETS.get(name)
    if entry is None or any(t not in LAYER_TYPES for t in entry["requires"]):
        return None
    layers = []
    for item in entry["layers"]:
        options = item if isinstance(item, list) else [item]
        found = next((o for o in options if o["type"] in LAYER_TYPES), None)
        if found is not None:
            layers.append(copy.deepcopy(found))
    spec = {k: copy.deepcopy(v) for k, v in entry.items() if k not in ("requires", "layers")}
    spec["layers"] = layers
    try:
        if not Model.from_spec(spec).analyze().ok:
            return None
    except ShapeError:
        return None
    return spec


def available_presets() -> list[str]:
    """The presets that build with the layer types present at run time."""
    return [name for name in PRESET_NAMES if preset_spec(name) is not None]


def preset_model(name: str) -> Model:
    spec = preset_spec(name)
    if spec is None:
        raise ShapeError(Msg("widget.preset.unknown", {
            "received": repr(name), "expected": ", ".join(available_presets())}),
            argument="preset")
    return Model.from_spec(spec)
