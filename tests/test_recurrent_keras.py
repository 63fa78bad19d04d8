"""Recurrent layers (SimpleRNN, LSTM, GRU) against real Keras: hand-picked cases and a
seeded generator of random stacks, about one in six invalid."""

from __future__ import annotations

import inspect
import random
from typing import Any

import keras
import numpy as np
import pytest
from keras_reference import assert_matches_keras

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES

pytestmark = pytest.mark.keras

Spec = dict[str, Any]
RNNS = ("SimpleRNN", "LSTM", "GRU")


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


CASES = [
    model([10, 8], {"type": "LSTM", "units": 16}),
    model([10, 8], {"type": "LSTM", "units": 16, "return_sequences": True}),
    model([None, 8], {"type": "GRU", "units": 4, "reset_after": False}),
    model([None, 8], {"type": "GRU", "units": 4, "use_bias": False}),
    model([5, 3], {"type": "SimpleRNN", "units": 2, "go_backwards": True, "unroll": True}),
    # unroll=True with unknown steps: Keras builds it.
    model([None, 3], {"type": "SimpleRNN", "units": 2, "unroll": True}),
    # Dropout rates outside 0…1 are clamped, not refused.
    model([4, 3], {"type": "LSTM", "units": 2, "dropout": 1.5, "recurrent_dropout": -1}),
    model([4, 3], {"type": "GRU", "units": 2, "trainable": False}),
    # Zero steps or zero features are accepted.
    model([0, 8], {"type": "LSTM", "units": 3, "return_sequences": True}),
    model([4, 0], {"type": "GRU", "units": 3}),
    # Invalid: a 2-D input, a 4-D input, unknown features.
    model([8], {"type": "SimpleRNN", "units": 4}),
    model([28, 28, 1], {"type": "LSTM", "units": 4}),
    model([5, None], {"type": "GRU", "units": 4}),
    model([10, 8], {"type": "LSTM", "units": 4}, {"type": "LSTM", "units": 4}),
    model([10, 8], {"type": "LSTM", "units": 4, "return_sequences": True, "name": "rnn"},
          {"type": "GRU", "units": 4, "name": "rnn"}),
]

STATEFUL_CASES = [
    model([10, 8], {"type": "LSTM", "units": 3, "stateful": True}, batch=4),
    model([10, 8], {"type": "SimpleRNN", "units": 3, "stateful": True}),
]


def random_rnn(rng: random.Random, last: bool) -> Spec:
    type_name = rng.choice(RNNS)
    layer: Spec = {"type": type_name, "units": rng.choice([1, 2, 3, 5, 8, 16])}
    layer["return_sequences"] = rng.random() < (0.3 if last else 0.9)
    for flag, chance in (("use_bias", 0.2), ("go_backwards", 0.2), ("unroll", 0.1)):
        if rng.random() < chance:
            layer[flag] = flag != "use_bias"
    if type_name == "GRU" and rng.random() < 0.4:
        layer["reset_after"] = rng.random() < 0.5
    if rng.random() < 0.2:
        layer["dropout"] = rng.choice([0.0, 0.2, 0.5, 1.0, 1.5])
    if rng.random() < 0.2:
        layer["activation"] = rng.choice(["relu", "sigmoid", None])
    if rng.random() < 0.15:
        layer["trainable"] = False
    if rng.random() < 0.05:
        layer["name"] = "rnn"  # twice in a model: Sequential's unique-name check
    return layer


def random_model(rng: random.Random) -> Spec:
    roll = rng.random()
    if roll < 0.06:
        shape: list[int | None] = [rng.choice([3, 8])]  # a 2-D input
    elif roll < 0.1:
        shape = [rng.choice([None, 4]), 3, 2]  # a 4-D input
    else:
        shape = [rng.choice([None, 1, 2, 5, 10]),
                 None if rng.random() < 0.04 else rng.choice([1, 3, 8])]
    count = rng.choice([1, 1, 2, 2, 3])
    layers = [random_rnn(rng, i == count - 1) for i in range(count)]
    if rng.random() < 0.3:
        layers.append({"type": "Dense", "units": rng.choice([1, 4])})
    batch = rng.choice([None, None, None, 2, 3])
    return model(shape, *layers, batch=batch)


RANDOM = [random_model(random.Random(f"rnn-{i}")) for i in range(220)]


@pytest.mark.parametrize("spec", CASES)
def test_recurrent_case_matches_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


@pytest.mark.parametrize("spec", STATEFUL_CASES)
def test_recurrent_stateful_matches_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def assert_all_match_keras(specs: list[Spec]) -> None:
    """Compare every spec with Keras; the generator must give both valid and invalid
    models (about one in six invalid)."""
    rejected = sum(assert_matches_keras(spec).error_index is not None for spec in specs)
    assert len(specs) // 14 <= rejected <= len(specs) // 2


def test_recurrent_random_models_match_keras() -> None:
    assert_all_match_keras(RANDOM)


@pytest.mark.parametrize(("type_name", "return_sequences"),
                         [(t, r) for t in RNNS for r in (False, True)])
def test_rnn_return_state_lists_the_shapes_keras_returns(type_name: str,
                                                        return_sequences: bool) -> None:
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False):
        outputs = getattr(keras.layers, type_name)(
            3, return_state=True, return_sequences=return_sequences)(
                keras.Input(shape=(5, 4), batch_size=2))
    ours = LAYER_TYPES[type_name](3, return_state=True, return_sequences=return_sequences)
    assert ours.output_list((2, 5, 4)) == tuple(tuple(t.shape) for t in outputs)


@pytest.mark.parametrize("type_name", RNNS)
def test_rnn_params_follow_keras_constructor_order(type_name: str) -> None:
    signature = inspect.signature(getattr(keras.layers, type_name).__init__)
    expected = [p for p in signature.parameters if p not in ("self", "kwargs")]
    # `implementation` is one of the **kwargs LSTM and GRU pop; it comes last here.
    ours = [p.name for p in LAYER_TYPES[type_name].params if p.name != "implementation"]
    assert ours == expected


def test_rnn_unroll_with_unknown_steps_runs_with_jax() -> None:
    # What the explanation says: Keras builds it and, with JAX, runs it (the steps are
    # known once data arrives).
    keras.backend.clear_session(free_memory=False)
    built = keras.Sequential([keras.Input((None, 8)), keras.layers.SimpleRNN(3, unroll=True)])
    assert built.predict(np.zeros((2, 5, 8)), verbose=0).shape == (2, 3)
    text = Model([{"type": "SimpleRNN", "units": 3, "unroll": True}],
                 input_shape=(None, 8)).analyze().rows[0].explanation
    assert "with the JAX backend runs it" in text
