"""Model totals against Keras's own ``model.summary()`` figures."""

from __future__ import annotations

from typing import Any

import keras
import pytest
from keras_reference import keras_layer

from shapewidget import Model

pytestmark = pytest.mark.keras

CASES: list[dict[str, Any]] = [
    {"input_shape": [5, 3], "layers": [
        {"type": "Bidirectional", "trainable": False,
         "layer": {"type": "LSTM", "units": 4}},
        {"type": "Dense", "units": 2}]},
    {"input_shape": [5, 3], "layers": [
        {"type": "Bidirectional", "layer": {"type": "GRU", "units": 4, "trainable": False}},
        {"type": "Dense", "units": 2, "trainable": False}]},
    {"input_shape": [8, 8, 3], "layers": [
        {"type": "Conv2D", "filters": 4, "kernel_size": 3},
        {"type": "BatchNormalization"},
        {"type": "TimeDistributed", "trainable": False, "layer": {"type": "Dense", "units": 3}}]},
]


@pytest.mark.parametrize("spec", CASES)
def test_summary_totals_match_keras_model(spec: dict[str, Any]) -> None:
    keras.backend.clear_session()
    with keras.StatelessScope(initialize_variables=False):
        model = keras.Sequential([keras.Input(tuple(spec["input_shape"])),
                                  *(keras_layer(s) for s in spec["layers"])])
    trainable = sum(_size(w.shape) for w in model.trainable_weights)
    frozen = sum(_size(w.shape) for w in model.non_trainable_weights)
    ours = Model.from_spec(spec).summary()
    assert (ours.trainable_params, ours.non_trainable_params) == (trainable, frozen)


def _size(shape: Any) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n
