"""Bidirectional and TimeDistributed against real Keras: hand-picked cases, the places
where shapewidget knowingly refuses what Keras builds, and a seeded generator."""

from __future__ import annotations

import inspect
import random
from typing import Any

import keras
import numpy as np
import pytest
from keras_reference import assert_matches_keras, keras_reference
from test_recurrent_keras import Spec, assert_all_match_keras, model

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.wrappers import Bidirectional

pytestmark = pytest.mark.keras

RNNS = ("SimpleRNN", "LSTM", "GRU")
L = keras.layers


def bi(layer: Spec, **kwargs: Any) -> Spec:
    return {"type": "Bidirectional", "layer": layer, **kwargs}


def td(layer: Spec, **kwargs: Any) -> Spec:
    return {"type": "TimeDistributed", "layer": layer, **kwargs}


LSTM16 = {"type": "LSTM", "units": 16}
CASES = [
    model([10, 8], bi(LSTM16)),
    model([10, 8], bi({**LSTM16, "return_sequences": True}), bi(LSTM16),
          {"type": "Dense", "units": 5}),
    *(model([None, 8], bi({"type": "GRU", "units": 4, "return_sequences": True},
                          merge_mode=mode)) for mode in ("sum", "mul", "ave")),
    # trainable=False on the wrapper: weights stay trainable=True, counted non-trainable.
    model([10, 8], bi(LSTM16, trainable=False)),
    model([10, 8], bi({**LSTM16, "trainable": False})),
    model([10, 8], td({"type": "Dense", "units": 3}, trainable=False)),
    model([10, 8], td({"type": "Dense", "units": 3, "trainable": False})),
    model([5, 4, 3], td(bi({"type": "LSTM", "units": 2}), trainable=False)),
    model([5, 4, 3], td(bi({"type": "LSTM", "units": 2, "trainable": False}))),
    model([10, 8], bi({**LSTM16, "trainable": False}, trainable=False)),
    model([10, 8], td({"type": "Dense", "units": 3, "trainable": False}, trainable=False)),
    # weights= is kept but never used by Keras 3; it must have a length.
    model([6, 3], bi({"type": "LSTM", "units": 3}, weights=[1, 2])),
    model([6, 3], bi({"type": "LSTM", "units": 3}, weights=5)),
    model([6, 3], bi({"type": "LSTM", "units": 3}, weights=0)),
    # A backward layer of another type (same units) and explicit directions.
    model([6, 3], bi({"type": "LSTM", "units": 3},
                     backward_layer={"type": "GRU", "units": 3, "go_backwards": True})),
    model([6, 3], bi({"type": "LSTM", "units": 3, "go_backwards": True},
                     backward_layer={"type": "LSTM", "units": 3})),
    model([6, 3], bi({"type": "LSTM", "units": 3, "trainable": False},
                     backward_layer={"type": "LSTM", "units": 3, "go_backwards": True})),
    # Names: the wrapped layers count for Keras's automatic names.
    model([6, 3], bi({"type": "LSTM", "units": 3, "return_sequences": True}),
          {"type": "LSTM", "units": 3}),
    model([6, 3], bi({"type": "LSTM", "units": 3, "return_sequences": True}),
          {"type": "LSTM", "units": 3, "name": "lstm"}),
    model([6, 3], td({"type": "Dense", "units": 3}), {"type": "Dense", "units": 3,
                                                      "name": "dense"}),
    # Invalid Bidirectional: not an RNN, same direction, mismatched flags, wrong rank.
    model([6, 3], bi({"type": "Dense", "units": 3})),
    model([6, 3], bi({"type": "LSTM", "units": 3}, backward_layer={"type": "Dense",
                                                                   "units": 3})),
    model([6, 3], bi(td({"type": "Dense", "units": 3}))),
    model([6, 3], bi(bi({"type": "LSTM", "units": 3}))),
    model([6, 3], bi({"type": "LSTM", "units": 3, "go_backwards": True})),
    model([6, 3], bi({"type": "LSTM", "units": 3},
                     backward_layer={"type": "LSTM", "units": 3})),
    model([6, 3], bi({"type": "LSTM", "units": 3},
                     backward_layer={"type": "LSTM", "units": 3, "go_backwards": True,
                                     "return_sequences": True})),
    model([6], bi({"type": "LSTM", "units": 3})),
    model([6, 3, 2], bi({"type": "SimpleRNN", "units": 3})),
    model([6, None], bi({"type": "GRU", "units": 3})),
    model([0, 8], bi({"type": "LSTM", "units": 3})),
    model([0, 8], td({"type": "Dense", "units": 3})),
    # TimeDistributed: the wrapped layer sees (batch,) + input[2:].
    model([None, 8], td({"type": "Dense", "units": 4})),
    model([10, 8, 8, 3], td({"type": "Conv2D", "filters": 4, "kernel_size": 3})),
    model([10, 8, 3], td({"type": "Conv2D", "filters": 4, "kernel_size": 3})),
    model([10, 4, 4, 4, 3], td({"type": "Conv2D", "filters": 4, "kernel_size": 3})),
    model([10, 7, 8], td({"type": "LSTM", "units": 5})),
    model([10, 7, 8], td({"type": "Flatten"}), {"type": "LSTM", "units": 2}),
    model([10, 7, 8], td(td({"type": "Dense", "units": 2}))),
    model([10, 7, 8], td({"type": "Dropout", "rate": 0.5})),
    model([8], td({"type": "Dense", "units": 4})),
    model([10, None], td({"type": "Dense", "units": 4})),
    model([10, 8], td({"type": "LSTM", "units": 4})),
]

STATEFUL_CASES = [
    model([10, 8], bi({"type": "GRU", "units": 2, "stateful": True}), batch=3),
    model([10, 8], bi({"type": "GRU", "units": 2, "stateful": True})),
]


def random_rnn(rng: random.Random, **fixed: Any) -> Spec:
    type_name = rng.choice(RNNS)
    layer: Spec = {"type": type_name, "units": rng.choice([1, 2, 3, 4, 8])}
    if rng.random() < 0.5:
        layer["return_sequences"] = rng.random() < 0.5
    if rng.random() < 0.2:
        layer["use_bias"] = False
    if type_name == "GRU" and rng.random() < 0.4:
        layer["reset_after"] = rng.random() < 0.5
    if rng.random() < 0.15:
        layer["trainable"] = False
    if rng.random() < 0.05:
        layer["go_backwards"] = True  # refused unless a backward layer reads forwards
    layer.update(fixed)
    return layer


def random_bidirectional(rng: random.Random) -> Spec:
    layer = random_rnn(rng)
    spec = bi(layer)
    if rng.random() < 0.6:
        spec["merge_mode"] = rng.choice(["concat", "sum", "mul", "ave"])
    if rng.random() < 0.25:
        backward = random_rnn(rng, units=layer["units"],
                              go_backwards=not layer.get("go_backwards", False))
        if rng.random() < 0.8:  # else maybe mismatched return_sequences: refused
            backward["return_sequences"] = layer.get("return_sequences", False)
        if rng.random() < 0.1:
            backward["go_backwards"] = layer.get("go_backwards", False)  # refused
        spec["backward_layer"] = backward
    if rng.random() < 0.05:
        spec["layer"] = {"type": "Dense", "units": 2}  # refused: not an RNN
    if rng.random() < 0.15:
        spec["trainable"] = False
    return spec


def random_inner(rng: random.Random, rank: int) -> Spec:
    """A layer for TimeDistributed over an input of ``rank`` axes (batch included)."""
    options: list[Spec] = [{"type": "Dense", "units": rng.choice([1, 3])},
                           {"type": "Flatten"}, {"type": "Dropout", "rate": 0.2}]
    if rank == 4:
        options.append({"type": "LSTM", "units": 2})
        options.append(bi({"type": "GRU", "units": 2}))
    if rank in (4, 5, 6) and "Conv2D" in LAYER_TYPES:
        options.append({"type": "Conv2D", "filters": 2, "kernel_size": rng.choice([1, 2])})
    inner = rng.choice(options)
    if rng.random() < 0.15:
        inner["trainable"] = False
    if rng.random() < 0.1:
        inner = td(inner)
    return inner


def random_model(rng: random.Random) -> Spec:
    batch = rng.choice([None, None, 2])
    if rng.random() < 0.5:
        shape: list[int | None] = [rng.choice([None, 3, 6]), rng.choice([2, 5])]
        if rng.random() < 0.06:
            shape = shape[1:]  # a 2-D input: refused
        layers = [random_bidirectional(rng)]
        if rng.random() < 0.3:
            layers[0]["layer"]["return_sequences"] = True
            layers[0].pop("backward_layer", None)
            layers.append(random_bidirectional(rng))
    else:
        rank = rng.choice([3, 3, 4, 5])
        shape = [rng.choice([None, 4])] + [rng.choice([3, 4]) for _ in range(rank - 2)]
        if rng.random() < 0.04:
            shape[-1] = None  # unknown last axis
        if rng.random() < 0.04:
            shape = shape[:1]  # a 2-D input: refused
        layers = [td(random_inner(rng, len(shape) + 1))]
        if rng.random() < 0.15:
            layers[0]["trainable"] = False
    if rng.random() < 0.3:
        layers.append({"type": "Dense", "units": 2})
    return model(shape, *layers, batch=batch)


RANDOM = [random_model(random.Random(f"wrappers-{i}")) for i in range(220)]


@pytest.mark.parametrize("spec", CASES)
def test_wrapper_case_matches_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


@pytest.mark.parametrize("spec", STATEFUL_CASES)
def test_wrapper_stateful_matches_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_wrapper_random_models_match_keras() -> None:
    assert_all_match_keras(RANDOM)


@pytest.mark.parametrize(("merge_mode", "return_state", "type_name"), [
    (None, False, "LSTM"), (None, True, "LSTM"), ("concat", True, "LSTM"),
    ("sum", True, "GRU"), (None, True, "SimpleRNN")])
def test_bidirectional_output_list_matches_keras(merge_mode: str | None, return_state: bool,
                                                 type_name: str) -> None:
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False):
        inner = getattr(L, type_name)(3, return_state=return_state)
        outputs = L.Bidirectional(inner, merge_mode=merge_mode)(
            keras.Input(shape=(5, 4), batch_size=2))
    ours = Bidirectional({"type": type_name, "units": 3, "return_state": return_state},
                         merge_mode=merge_mode)
    shapes, _ = ours.output_list((2, 5, 4), (2, 3))
    assert shapes == tuple(tuple(t.shape) for t in outputs)


def test_bidirectional_backward_units_mismatch_keras_reports_forward_size() -> None:
    # Keras's shape comes from the forward layer alone: (None, 2·3), not 3 + 5.
    spec = model([6, 3], bi({"type": "LSTM", "units": 3},
                            backward_layer={"type": "GRU", "units": 5,
                                            "go_backwards": True}))
    ref = keras_reference(spec)
    assert ref.error_index is None and ref.rows[0].output_shape == (None, 6)
    keras.backend.clear_session(free_memory=False)
    built = keras.Sequential([keras.Input((6, 3)), L.Bidirectional(
        L.LSTM(3), backward_layer=L.GRU(5, go_backwards=True))])
    assert built.predict(np.zeros((2, 6, 3)), verbose=0).shape == (2, 3 + 5)
    error = Model.from_spec(spec).analyze().error
    assert error is not None and error.argument == "backward_layer"
    assert "(None, 6)" in str(error)


def test_time_distributed_rnn_on_rank3_keras_builds_what_cannot_run() -> None:
    # With a fixed batch Keras builds an LSTM kernel of (batch, 4·units) and fails at run
    # time; shapewidget refuses, as Keras does when the batch is unknown.
    spec = model([10, 8], td({"type": "LSTM", "units": 4}), batch=4)
    ref = keras_reference(spec)
    assert ref.error_index is None
    assert ref.rows[0].weights[0][1] == (4, 16)
    error = Model.from_spec(spec).analyze().error
    assert error is not None and error.layer_index == 0


@pytest.mark.parametrize("type_name", ["Bidirectional", "TimeDistributed"])
def test_wrapper_params_follow_keras_constructor_order(type_name: str) -> None:
    signature = inspect.signature(getattr(keras.layers, type_name).__init__)
    expected = [p for p in signature.parameters if p not in ("self", "kwargs")]
    assert [p.name for p in LAYER_TYPES[type_name].params] == expected


@pytest.mark.parametrize(("shape", "inner"), [
    ([4, 5, 6, 3], {"type": "GlobalAveragePooling1D"}),
    ([4, 5, 6, 3], {"type": "Cropping1D", "cropping": 1}),
    ([4, 3], {"type": "SimpleRNN", "units": 2}),
    ([4, 5, 3], {"type": "MaxPooling2D"}),
])
def test_time_distributed_wrong_rank_inner_keras_builds_what_cannot_run(
        shape: list[int], inner: Spec) -> None:
    # Keras skips the wrapped layer's input check inside TimeDistributed: it builds the
    # model, which then fails or gives another shape when it runs. shapewidget refuses.
    if inner["type"] not in LAYER_TYPES:
        pytest.skip(f"{inner['type']} is not in the catalogue yet")
    spec = model(shape, td(inner), batch=2)
    ref = keras_reference(spec)
    assert ref.error_index is None
    keras.backend.clear_session(free_memory=False)
    built = keras.Sequential([keras.Input(tuple(shape), batch_size=2),
                              L.TimeDistributed(getattr(L, inner["type"])(
                                  **{k: v for k, v in inner.items() if k != "type"}))])
    try:
        real = built.predict(np.zeros((2, *shape)), verbose=0).shape
    except Exception:  # Keras fails when it runs
        real = None
    assert real != ref.rows[0].output_shape
    error = Model.from_spec(spec).analyze().error
    assert error is not None and error.layer_index == 0 and error.argument == "layer"


TD_INNERS: list[Spec] = [
    {"type": "Dense", "units": 2}, {"type": "Flatten"},
    {"type": "Activation", "activation": "relu"},
    {"type": "Conv1D", "filters": 2, "kernel_size": 2},
    {"type": "Conv2D", "filters": 2, "kernel_size": 2},
    {"type": "Conv3D", "filters": 2, "kernel_size": 2},
    {"type": "SeparableConv2D", "filters": 2, "kernel_size": 2},
    {"type": "DepthwiseConv2D", "kernel_size": 2}, {"type": "MaxPooling2D"},
    {"type": "GlobalAveragePooling1D"}, {"type": "BatchNormalization"},
    {"type": "LayerNormalization"}, {"type": "Reshape", "target_shape": [-1]},
    {"type": "RepeatVector", "n": 2}, {"type": "Embedding", "input_dim": 5, "output_dim": 2},
    {"type": "ZeroPadding1D"}, {"type": "UpSampling2D"}, {"type": "GRU", "units": 2},
]
TD_SWEEP = [model(shape, td(inner)) for inner in TD_INNERS
            for shape in ([4, 3], [4, 5, 3], [4, 5, 6, 3], [4, 5, 6, 7, 3])]


def test_time_distributed_sweep_matches_keras_or_refuses_a_wrong_rank() -> None:
    # Every catalogue layer over inputs of rank 3 to 6. Where Keras builds a model that
    # skipped the wrapped layer's own rank check, shapewidget refuses for that reason;
    # everything else must match Keras.
    compared = 0
    for spec in TD_SWEEP:
        if spec["layers"][0]["layer"]["type"] not in LAYER_TYPES:
            continue
        error = Model.from_spec(spec).analyze().error
        skipped_check = (error is not None
                         and error.problem.key.startswith("time_distributed.inner_rank"))
        if skipped_check and keras_reference(spec).error_index is None:
            continue
        assert_matches_keras(spec)
        compared += 1
    assert compared >= 30
