"""ConvLSTM1D/2D/3D against real Keras: hand-picked cases, return_state's list, and a
seeded generator (both data formats, strides, dilation, padding, valid and invalid)."""

from __future__ import annotations

import random
from typing import Any

import keras
import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget.layers import LAYER_TYPES

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


C2 = "ConvLSTM2D"

SURPRISES = [
    model([5, 8, 8, 2], {"type": C2, "filters": 4, "kernel_size": 3}),
    model([5, 8, 8, 2], {"type": C2, "filters": 4, "kernel_size": 3,
                         "return_sequences": True, "padding": "same"}),
    model([5, 2, 8, 8], {"type": C2, "filters": 4, "kernel_size": 3,
                         "data_format": "channels_first"}),
    model([5, 2, 8, 8], {"type": C2, "filters": 4, "kernel_size": 3,
                         "data_format": "channels_first", "return_sequences": True}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "strides": 2}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "dilation_rate": 2}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "dilation_rate": 2,
                         "strides": 2}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "padding": "causal"}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 10}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 10, "padding": "same"}),
    model([9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3}),
    model([None, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3}),
    model([5, None, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3}),
    model([5, 9, 9, None], {"type": C2, "filters": 4, "kernel_size": 3}),
    model([5, None, 9, 9], {"type": C2, "filters": 4, "kernel_size": 3,
                            "data_format": "channels_first"}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": [3, 2], "use_bias": False}),
    model([5, 9, 9, 2], {"type": C2, "filters": 0, "kernel_size": 3}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "trainable": False}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "stateful": True}),
    model([5, 9, 9, 2], {"type": C2, "filters": 4, "kernel_size": 3, "padding": "SAME"}),
    model([5, 9, 2], {"type": "ConvLSTM1D", "filters": 4, "kernel_size": 3}),
    model([5, 9, 2], {"type": "ConvLSTM1D", "filters": 4, "kernel_size": 30, "strides": 4,
                      "padding": "same"}),
    model([5, 6, 6, 6, 2], {"type": "ConvLSTM3D", "filters": 4, "kernel_size": 3}),
    model([5, 8, 8, 2], {"type": C2, "filters": 4, "kernel_size": 3,
                         "return_sequences": True},
          {"type": C2, "filters": 2, "kernel_size": 3}, {"type": "Flatten"},
          {"type": "Dense", "units": 3}),
]


@pytest.mark.parametrize("spec", SURPRISES)
def test_conv_lstm_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


@pytest.mark.parametrize(("fmt", "return_sequences"),
                         [(f, r) for f in ("channels_last", "channels_first")
                          for r in (False, True)])
def test_conv_lstm_return_state_lists_the_shapes_keras_returns(
        fmt: str, return_sequences: bool) -> None:
    shape = (5, 9, 9, 2) if fmt == "channels_last" else (5, 2, 9, 9)
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False):
        outputs = keras.layers.ConvLSTM2D(4, 3, return_state=True, data_format=fmt,
                                          return_sequences=return_sequences)(
            keras.Input(shape=shape))
    spec = model(list(shape), {"type": C2, "filters": 4, "kernel_size": 3,
                               "return_state": True, "data_format": fmt,
                               "return_sequences": return_sequences})
    error = shapewidget_reference(spec).error or ""
    expected = ", ".join(str(tuple(t.shape)) for t in outputs)
    assert f"[{expected}]" in error


def random_layer(rng: random.Random, rank: int, last: bool) -> Spec:
    spec: Spec = {"type": f"ConvLSTM{rank}D", "filters": rng.choice([1, 2, 4]),
                  "kernel_size": rng.choice([1, 2, 3, 5]),
                  "return_sequences": rng.random() < (0.3 if last else 0.8)}
    if rng.random() < 0.3:
        spec["strides"] = rng.choice([1, 2, 3])
    if rng.random() < 0.2:
        spec["dilation_rate"] = rng.choice([1, 2])
    if rng.random() < 0.4:
        spec["padding"] = "same"
    if rng.random() < 0.1:
        spec["use_bias"] = False
    if rng.random() < 0.05:
        spec["trainable"] = False
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([1, 2, 2, 3])
    first = rng.random() < 0.3
    spatial = [rng.choice([3, 5, 8]) for _ in range(rank)]
    channels = rng.choice([1, 2])
    shape: list[int | None] = [rng.choice([None, 3, 4]),
                               *([channels, *spatial] if first else [*spatial, channels])]
    count = rng.choice([1, 1, 2])
    layers = [random_layer(rng, rank, i == count - 1) for i in range(count)]
    if first:
        for layer in layers:
            layer["data_format"] = "channels_first"
    return model(shape, *layers, batch=rng.choice([None, None, 2]))


GENERATED = [random_model(seed) for seed in range(120)]


@pytest.mark.parametrize("spec", GENERATED)
def test_conv_lstm_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_conv_lstm_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.4 < valid / len(outcomes) < 0.95
    assert {s["layers"][0]["type"] for s in GENERATED} == {
        f"ConvLSTM{r}D" for r in (1, 2, 3)} <= set(LAYER_TYPES)
