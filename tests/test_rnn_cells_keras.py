"""RNN with SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells against real Keras:
hand-picked cases, return_state's list, and a seeded generator."""

from __future__ import annotations

import random
from typing import Any

import keras
import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget import Model
from shapewidget.codegen import to_keras_code
from shapewidget.layers import LAYER_TYPES

pytestmark = pytest.mark.keras

Spec = dict[str, Any]
CELLS = ["SimpleRNNCell", "LSTMCell", "GRUCell"]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


def rnn(cell: Any, **args: Any) -> Spec:
    return {"type": "RNN", "cell": cell, **args}


def cell(type_name: str, units: int = 4, **args: Any) -> Spec:
    return {"type": type_name, "units": units, **args}


SURPRISES = [
    *[model([5, 3], rnn(cell(c))) for c in CELLS],
    *[model([5, 3], rnn(cell(c), return_sequences=True)) for c in CELLS],
    model([5, 3], rnn(cell("GRUCell", reset_after=False))),
    model([5, 3], rnn(cell("LSTMCell", use_bias=False))),
    model([5, 3], rnn([cell("LSTMCell"), cell("GRUCell", 6)])),
    model([5, 3], rnn({"type": "StackedRNNCells", "cells": [cell("LSTMCell"),
                                                            cell("SimpleRNNCell", 6)]})),
    model([5, 3], rnn([{"type": "StackedRNNCells", "cells": [cell("LSTMCell")]},
                       cell("GRUCell", 6)])),
    model([5, 3], rnn([cell("LSTMCell"), cell("GRUCell", 2)], return_sequences=True),
          rnn(cell("SimpleRNNCell", 3))),
    model([5], rnn(cell("LSTMCell"))),
    model([], rnn(cell("LSTMCell"))),
    model([5, 3, 2], rnn(cell("LSTMCell"))),
    model([5, 3, 2], rnn(cell("SimpleRNNCell"), return_sequences=True)),
    model([5, None], rnn(cell("LSTMCell"))),
    model([None, 3], rnn(cell("LSTMCell"), unroll=True)),
    model([5, 3], rnn(cell("LSTMCell"), stateful=True)),
    model([5, 3], rnn(cell("LSTMCell"), stateful=True), batch=2),
    model([5, 3], rnn({"type": "Dense", "units": 4})),
    model([5, 3], rnn([])),
    model([5, 3], rnn({"type": "StackedRNNCells", "cells": []})),
    model([5, 3], rnn(cell("SimpleRNNCell", 0))),
    model([5, 3], rnn(cell("SimpleRNNCell", 3, dropout=2))),
    model([5, 3], rnn(cell("LSTMCell"), go_backwards=True, trainable=False)),
    model([5, 3], rnn(cell("LSTMCell", trainable=False))),
    model([3], cell("LSTMCell")),
    model([3], {"type": "StackedRNNCells", "cells": [cell("LSTMCell")]}),
    model([5, 3], {"type": "Bidirectional", "layer": rnn(cell("LSTMCell"))}),
    model([5, 3], {"type": "Bidirectional", "layer": rnn(cell("GRUCell", 3),
                                                       return_sequences=True)}),
    model([2, 5, 3], {"type": "TimeDistributed", "layer": rnn(cell("LSTMCell"))}),
    # The cells' automatic names count: a later top-level LSTMCell is lstm_cell_1.
    model([5, 3], rnn(cell("LSTMCell"), return_sequences=True), rnn(cell("LSTMCell"))),
    model([5, 3], rnn([cell("LSTMCell"), cell("LSTMCell")], return_sequences=True),
          {"type": "LSTM", "units": 2}),
]


@pytest.mark.parametrize("spec", SURPRISES)
def test_rnn_cells_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


@pytest.mark.parametrize(("type_name", "return_sequences"),
                         [(t, r) for t in CELLS for r in (False, True)])
def test_rnn_cells_return_state_lists_the_shapes_keras_returns(
        type_name: str, return_sequences: bool) -> None:
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False):
        outputs = keras.layers.RNN(getattr(keras.layers, type_name)(3), return_state=True,
                                   return_sequences=return_sequences)(
            keras.Input(shape=(5, 4), batch_size=2))
    ours = LAYER_TYPES["RNN"](LAYER_TYPES[type_name](3), return_state=True,
                              return_sequences=return_sequences)
    assert ours.output_list((2, 5, 4)) == tuple(tuple(t.shape) for t in outputs)


def _flat(outputs: Any) -> tuple[Any, ...]:
    if isinstance(outputs, list | tuple):
        return tuple(s for t in outputs for s in _flat(t))
    return (tuple(outputs.shape),)


def test_rnn_cells_stacked_return_state_lists_every_cells_states() -> None:
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False):
        outputs = keras.layers.RNN([keras.layers.LSTMCell(4), keras.layers.GRUCell(2)],
                                   return_state=True)(keras.Input(shape=(5, 3)))
    ours = LAYER_TYPES["RNN"]([LAYER_TYPES["LSTMCell"](4), LAYER_TYPES["GRUCell"](2)],
                              return_state=True)
    assert ours.output_list((None, 5, 3)) == _flat(outputs)


def test_rnn_cells_return_state_refused_with_the_list_shapes() -> None:
    spec = model([5, 3], rnn(cell("LSTMCell"), return_state=True))
    error = shapewidget_reference(spec).error or ""
    assert "[(None, 4), (None, 4), (None, 4)]" in error


def test_rnn_cells_code_export_writes_a_list_of_cells() -> None:
    m = Model.from_spec(model([5, 3], rnn([cell("LSTMCell"), cell("GRUCell", 6)])))
    code = to_keras_code(m)
    assert "layers.RNN([layers.LSTMCell(4), layers.GRUCell(6)])" in code


def test_rnn_cells_spec_round_trips() -> None:
    spec = model([5, 3], rnn([cell("LSTMCell"), {"type": "StackedRNNCells",
                                                 "cells": [cell("GRUCell", 6)]}]))
    m = Model.from_spec(spec)
    assert Model.from_spec(m.to_spec()).layers == m.layers


# --- seeded generator -----------------------------------------------------------------


def random_cell(rng: random.Random) -> Spec:
    spec = cell(rng.choice(CELLS), rng.choice([1, 2, 3, 5]))
    if rng.random() < 0.2:
        spec["use_bias"] = False
    if spec["type"] == "GRUCell" and rng.random() < 0.3:
        spec["reset_after"] = False
    if rng.random() < 0.05:
        spec["units"] = 0
    return spec


def random_rnn(rng: random.Random, last: bool) -> Spec:
    roll = rng.random()
    if roll < 0.6:
        inner: Any = random_cell(rng)
    elif roll < 0.85:
        inner = [random_cell(rng) for _ in range(rng.randint(1, 3))]
    else:
        inner = {"type": "StackedRNNCells",
                 "cells": [random_cell(rng) for _ in range(rng.randint(1, 2))]}
    spec = rnn(inner, return_sequences=rng.random() < (0.3 if last else 0.9))
    if rng.random() < 0.1:
        spec["go_backwards"] = True
    if rng.random() < 0.1:
        spec["trainable"] = False
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    shape: list[int | None] = [rng.choice([None, 4, 7]), rng.choice([1, 3, 8])]
    if rng.random() < 0.08:
        shape = shape[:1]
    if rng.random() < 0.05:
        shape[-1] = None
    count = rng.choice([1, 1, 2, 3])
    layers = [random_rnn(rng, i == count - 1) for i in range(count)]
    if rng.random() < 0.3:
        layers.append({"type": "Dense", "units": 2})
    return model(shape, *layers, batch=rng.choice([None, None, 3]))


GENERATED = [random_model(seed) for seed in range(150)]


@pytest.mark.parametrize("spec", GENERATED)
def test_rnn_cells_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_rnn_cells_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.4 < valid / len(outcomes) < 0.95
