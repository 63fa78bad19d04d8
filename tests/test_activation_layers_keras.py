"""Activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax, Identity, Masking) against
real Keras: hand-picked cases, refusals and a seeded generator."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget import Model, ShapeError

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


CASES = [
    model([4], {"type": "ReLU"}),
    model([], {"type": "ReLU"}),
    model([3, 4], {"type": "ReLU", "max_value": 6.0}),
    model([3, 4], {"type": "ReLU", "max_value": 0}),
    model([3, 4], {"type": "ReLU", "negative_slope": 0.1, "threshold": 0.5}),
    model([4], {"type": "ReLU", "max_value": -1.0}),
    model([4], {"type": "ReLU", "negative_slope": -0.1}),
    model([4], {"type": "ReLU", "threshold": -2}),
    model([4], {"type": "ReLU", "negative_slope": None}),
    model([4], {"type": "ReLU", "max_value": "6"}),
    model([4], {"type": "LeakyReLU"}),
    model([2, 3, 4], {"type": "LeakyReLU", "negative_slope": 0.2}),
    model([4], {"type": "LeakyReLU", "negative_slope": -0.2}),
    model([4], {"type": "ELU"}),
    model([None, 4], {"type": "ELU", "alpha": 0.5}),
    model([4], {"type": "ELU", "alpha": -1}),
    model([3, 4], {"type": "Softmax"}),
    model([3, 4], {"type": "Softmax", "axis": 1}),
    model([3, 4], {"type": "Softmax", "axis": [1, 2]}),
    # Softmax's axis is never checked when the model is built.
    model([3, 4], {"type": "Softmax", "axis": 7}),
    model([3, 4], {"type": "PReLU"}),
    model([3, 4], {"type": "PReLU", "shared_axes": 1}),
    model([3, 4], {"type": "PReLU", "shared_axes": [1, 2]}),
    model([5, 5, 3], {"type": "PReLU", "shared_axes": [1, 2]}),
    # Keras writes the 1 at position axis − 1: axis 0 is the last, negatives from the end.
    model([3, 4], {"type": "PReLU", "shared_axes": 0}),
    model([3, 4], {"type": "PReLU", "shared_axes": -1}),
    model([3, 4], {"type": "PReLU", "shared_axes": 3}),
    model([3, 4], {"type": "PReLU", "shared_axes": -2}),
    model([3, 4], {"type": "PReLU", "shared_axes": -3}),
    model([None, 4], {"type": "PReLU"}),
    model([None, 4], {"type": "PReLU", "shared_axes": [1]}),
    model([], {"type": "PReLU"}),
    model([4], {"type": "PReLU", "alpha_initializer": "ones"}),
    model([4], {"type": "PReLU", "trainable": False}),
    model([4], {"type": "PReLU", "shared_axes": "1"}),
    model([3, 4], {"type": "Identity"}),
    model([], {"type": "Identity"}),
    model([3, 4], {"type": "Masking"}),
    model([3, 4], {"type": "Masking", "mask_value": -1.0}),
    model([3, 4], {"type": "Masking"}, {"type": "LSTM", "units": 2}),
    model([6, 4], {"type": "Dense", "units": 3}, {"type": "ReLU"}, {"type": "Dense",
                                                                     "units": 2}),
]


@pytest.mark.parametrize("spec", CASES)
def test_activation_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_activation_leaky_relu_alpha_is_negative_slope() -> None:
    layer = Model.from_spec(model([4], {"type": "LeakyReLU", "alpha": 0.1})).layers[0]
    assert layer.value("negative_slope") == 0.1


def test_activation_prelu_unknown_axis_refusal_names_fix() -> None:
    ref = shapewidget_reference(model([None, 4], {"type": "PReLU"}))
    assert ref.error is not None and "shared_axes=[1]" in ref.error


def test_activation_relu_negative_refusal_names_argument() -> None:
    with pytest.raises(ShapeError) as err:
        Model.from_spec(model([4], {"type": "ReLU", "max_value": -1}))
    assert "max_value" in str(err.value)


@pytest.mark.parametrize("layer", [{"type": "Softmax", "axis": "1"},
                                   {"type": "Masking", "mask_value": "x"}])
def test_activation_refuses_values_keras_fails_on_when_run(layer: Spec) -> None:
    # Keras builds these (the output shape is the input's) and fails when the model runs.
    with pytest.raises(ShapeError):
        Model.from_spec(model([3, 4], layer))


# --- seeded generator -----------------------------------------------------------------

TYPES = ["ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Identity", "Masking"]


def _dim(rng: random.Random) -> int | None:
    return None if rng.random() < 0.12 else rng.randint(1, 6)


def random_layer(rng: random.Random, rank: int, bad: bool) -> Spec:
    kind = rng.choice(TYPES)
    spec: Spec = {"type": kind}
    low = -1.0 if bad else 0.0
    if kind == "ReLU":
        for key in ("max_value", "negative_slope", "threshold"):
            if rng.random() < 0.4:
                spec[key] = round(rng.uniform(low, 3.0), 2)
    elif kind == "LeakyReLU" and rng.random() < 0.6:
        spec["negative_slope"] = round(rng.uniform(low, 1.0), 2)
    elif kind == "ELU" and rng.random() < 0.6:
        spec["alpha"] = round(rng.uniform(-1.0, 2.0), 2)
    elif kind == "Softmax" and rng.random() < 0.6:
        spec["axis"] = rng.choice([-1, 1, [1, 2], -2])
    elif kind == "PReLU" and rng.random() < 0.7:
        axes = list(range(-rank if bad else 1, rank + (2 if bad else 1)))
        pick = rng.sample(axes, rng.randint(1, min(2, len(axes)))) if axes else []
        spec["shared_axes"] = pick[0] if len(pick) == 1 and rng.random() < 0.5 else pick
    elif kind == "Masking" and rng.random() < 0.5:
        spec["mask_value"] = rng.choice([0.0, -1.0, 2])
    if rng.random() < 0.1:
        spec["trainable"] = False
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    shape = [_dim(rng) for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))]
    batch = rng.choice([None, None, 2])
    layers = [random_layer(rng, len(shape), bad=i == 0) for i in range(rng.choice([1, 1, 2]))]
    return model(shape, *layers, batch=batch)


GENERATED = [random_model(seed) for seed in range(160)]


@pytest.mark.parametrize("spec", GENERATED)
def test_activation_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_activation_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.4 < valid / len(outcomes) < 0.95
