"""Never silently misread (issue 11, item 4, the engine's part), against real Keras:
NaN and infinite arguments, every input dtype Keras accepts, ``trainable=False`` on a
layer and on the whole model. (Keras's "/" refusal inside wrappers: test_hostile_engine.)
"""

from __future__ import annotations

import json
import math
from typing import Any

import keras
import pytest
from keras.src.backend.common.dtypes import ALLOWED_DTYPES
from keras_reference import assert_matches_keras
from test_codegen_keras import keras_input, run_in_keras

from shapewidget import Model
from shapewidget.errors import ShapeError
from shapewidget.model import DTYPES

STYLES = ("sequential", "functional", "legacy")


def keras_totals(model: Any) -> tuple[int, int]:
    """(trainable, non-trainable) parameter counts of a live Keras model."""
    def size(weights: Any) -> int:
        return sum(math.prod(int(d) for d in w.shape) for w in weights)

    return size(model.trainable_weights), size(model.non_trainable_weights)


# --- NaN and infinities ---------------------------------------------------------------------
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_batch_normalization_non_finite_momentum_matches_keras(value: float) -> None:
    spec = {"input_shape": [4], "layers": [{"type": "BatchNormalization", "momentum": value}]}
    assert_matches_keras(spec)  # Keras accepts it


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_argument_exported_as_runnable_python(value: float, style: str) -> None:
    model = Model.from_spec({"input_shape": [4], "layers": [
        {"type": "BatchNormalization", "momentum": value, "epsilon": 0.01}]})
    code = model.to_keras_code(style)
    assert f'momentum=float("{value}")' in code
    live = run_in_keras(code, stateful=False)
    momentum = live.layers[-1].momentum
    assert (math.isnan(momentum) if math.isnan(value) else momentum == value)


def test_non_finite_argument_spec_round_trip() -> None:
    model = Model.from_spec({"input_shape": [4], "layers": [
        {"type": "BatchNormalization", "momentum": math.inf}]})
    again = Model.from_spec(json.loads(json.dumps(model.to_spec())))
    assert again == model
    assert "float(\"inf\")" in repr(model)


@pytest.mark.parametrize("value", [math.nan, math.inf], ids=["nan", "inf"])
def test_dropout_non_finite_rate_refused_as_keras(value: float) -> None:
    with pytest.raises(ValueError, match="rate"):
        keras.layers.Dropout(value)
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [4], "layers": [{"type": "Dropout", "rate": value}]})
    assert info.value.argument == "rate"


# --- dtypes --------------------------------------------------------------------------------
def test_input_dtypes_are_the_ones_keras_accepts() -> None:
    assert set(DTYPES) == set(ALLOWED_DTYPES)
    assert DTYPES[:2] == ("float32", "int32")  # the usual first (the widget's menu)


@pytest.mark.parametrize("dtype", sorted(ALLOWED_DTYPES))
def test_input_dtype_accepted_and_exported_as_keras(dtype: str) -> None:
    spec = {"input_shape": [3, 2], "input_dtype": dtype,
            "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 2}]}
    assert_matches_keras(spec)
    model = Model.from_spec(spec)
    for style in STYLES:
        live = run_in_keras(model.to_keras_code(style), stateful=False)
        assert keras_input(live)[1] == dtype, style
    functional = Model(inputs=[{"name": "ids", "shape": [None], "dtype": dtype}],
                       layers=[{"type": "Embedding", "input_dim": 10, "output_dim": 2}])
    assert functional.summary().inputs[0].dtype == dtype


@pytest.mark.parametrize("dtype", ["float", "double", "str", "Float32", "", "float32 "])
def test_input_dtype_keras_refuses_is_refused(dtype: str) -> None:
    with pytest.raises(ValueError, match="dtype"):
        keras.Input(shape=(3,), dtype=dtype)
    with pytest.raises(ShapeError) as info:
        Model(input_shape=(3,), input_dtype=dtype)
    assert info.value.argument == "input_dtype"


# --- trainable=False -----------------------------------------------------------------------
FROZEN_LAYERS: list[dict[str, Any]] = [
    {"type": "Dense", "units": 4, "trainable": False},
    {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 3}},
    {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 3}, "trainable": False},
    {"type": "BatchNormalization"},
    {"type": "Bidirectional", "layer": {"type": "LSTM", "units": 2, "trainable": False}},
]


def test_layer_trainable_false_counts_as_keras() -> None:
    assert_matches_keras({"input_shape": [5, 3], "layers": FROZEN_LAYERS})


@pytest.mark.parametrize("style", STYLES)
def test_model_trainable_false_counts_as_keras(style: str) -> None:
    model = Model.from_spec({"input_shape": [5, 3], "layers": FROZEN_LAYERS,
                             "trainable": False})
    summary = model.summary()
    assert summary.trainable_params == 0
    assert summary.non_trainable_params == summary.total_params > 0
    code = model.to_keras_code(style)
    assert "model.trainable = False" in code
    live = run_in_keras(code, stateful=False)
    assert keras_totals(live) == (summary.trainable_params, summary.non_trainable_params)


def test_model_trainable_spec_round_trip_and_toggle() -> None:
    model = Model.from_spec({"input_shape": [3], "layers": [{"type": "Dense", "units": 2}],
                             "trainable": False})
    assert model.to_spec()["trainable"] is False
    assert Model.from_spec(model.to_spec()) == model
    model.trainable = True
    assert model.summary().trainable_params == 8
    assert "trainable" not in model.to_spec()


def test_model_trainable_not_bool_refused() -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [3], "layers": [], "trainable": "no"})
    assert info.value.argument == "trainable"
