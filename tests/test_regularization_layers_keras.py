"""Regularisation and noise layers (SpatialDropout1D/2D/3D, GaussianNoise,
GaussianDropout, AlphaDropout, ActivityRegularization) against real Keras."""

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
    model([5, 3], {"type": "SpatialDropout1D", "rate": 0.5}),
    model([None, 3], {"type": "SpatialDropout1D", "rate": 0.0, "seed": 1}),
    model([5], {"type": "SpatialDropout1D", "rate": 0.5}),
    model([5, 3, 2], {"type": "SpatialDropout1D", "rate": 0.5}),
    model([5, 3], {"type": "SpatialDropout1D", "rate": 1.5}),
    model([5, 3], {"type": "SpatialDropout1D", "rate": -0.1}),
    model([5, 3], {"type": "SpatialDropout1D", "rate": 0.5, "trainable": False}),
    model([5, 5, 3], {"type": "SpatialDropout2D", "rate": 0.2}),
    model([5, 5, 3], {"type": "SpatialDropout2D", "rate": 0.2,
                      "data_format": "channels_first"}),
    model([5, 5, 3], {"type": "SpatialDropout2D", "rate": 0.2,
                      "data_format": "CHANNELS_FIRST"}),
    model([5, 5, 3], {"type": "SpatialDropout2D", "rate": 0.2, "data_format": "xx"}),
    model([5, 3], {"type": "SpatialDropout2D", "rate": 0.2}),
    model([4, 4, 4, 2], {"type": "SpatialDropout3D", "rate": 0.3}),
    model([4, 4, 4, 2], {"type": "SpatialDropout3D", "rate": 0.3,
                         "data_format": "channels_first"}),
    model([4, 4, 2], {"type": "SpatialDropout3D", "rate": 0.3}),
    model([3], {"type": "GaussianNoise", "stddev": 0.1}),
    model([3, 2], {"type": "GaussianNoise", "stddev": 0.0, "seed": 3}),
    model([3], {"type": "GaussianNoise", "stddev": 1.5}),
    model([3], {"type": "GaussianNoise", "stddev": 0.1, "trainable": False}),
    model([3], {"type": "GaussianDropout", "rate": 0.1}),
    model([3], {"type": "GaussianDropout", "rate": 1}),
    model([3], {"type": "GaussianDropout", "rate": 2}),
    model([3], {"type": "AlphaDropout", "rate": 0.1}),
    model([3, 4], {"type": "AlphaDropout", "rate": 0.1, "noise_shape": [None, 1, 4]}),
    model([3], {"type": "AlphaDropout", "rate": 1.1}),
    model([3], {"type": "ActivityRegularization"}),
    model([3, 2], {"type": "ActivityRegularization", "l1": 0.01, "l2": 0.1}),
    model([3], {"type": "ActivityRegularization", "l1": -1}),
    model([3], {"type": "ActivityRegularization", "l2": -0.5}),
    model([3], {"type": "ActivityRegularization", "l1": "a"}),
    model([8, 8, 3], {"type": "Conv2D", "filters": 4, "kernel_size": 3},
          {"type": "SpatialDropout2D", "rate": 0.25}, {"type": "Flatten"},
          {"type": "GaussianNoise", "stddev": 0.1}, {"type": "Dense", "units": 2}),
]


@pytest.mark.parametrize("spec", CASES)
def test_regularization_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_regularization_spatial_dropout_trainable_refusal_names_argument() -> None:
    with pytest.raises(ShapeError) as err:
        Model.from_spec(model([5, 3], {"type": "SpatialDropout1D", "rate": 0.5,
                                       "trainable": True}))
    assert "trainable" in str(err.value)


TYPES = ["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
         "GaussianDropout", "AlphaDropout", "ActivityRegularization"]


def random_layer(rng: random.Random, bad: bool) -> Spec:
    kind = rng.choice(TYPES)
    top = 1.3 if bad else 1.0
    if kind == "ActivityRegularization":
        spec: Spec = {"type": kind}
        for key in ("l1", "l2"):
            if rng.random() < 0.5:
                spec[key] = round(rng.uniform(-0.5 if bad else 0, 1), 2)
        return spec
    key = "stddev" if kind == "GaussianNoise" else "rate"
    spec = {"type": kind, key: round(rng.uniform(0, top), 2)}
    if kind in ("SpatialDropout2D", "SpatialDropout3D") and rng.random() < 0.4:
        spec["data_format"] = rng.choice(["channels_first", "channels_last"])
    if rng.random() < 0.2:
        spec["seed"] = rng.randint(0, 9)
    if rng.random() < 0.08:
        spec["trainable"] = False
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([1, 2, 2, 3, 4])
    shape = [None if rng.random() < 0.1 else rng.randint(1, 5) for _ in range(rank)]
    layers = [random_layer(rng, bad=i == 0) for i in range(rng.choice([1, 1, 2]))]
    return model(shape, *layers, batch=rng.choice([None, 3]))


GENERATED = [random_model(seed) for seed in range(140)]


@pytest.mark.parametrize("spec", GENERATED)
def test_regularization_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_regularization_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.9
