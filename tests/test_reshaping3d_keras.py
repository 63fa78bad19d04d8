"""ZeroPadding3D, Cropping3D and UpSampling3D against real Keras."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


V = [4, 5, 6, 2]
CASES = [
    model(V, {"type": "ZeroPadding3D"}),
    model(V, {"type": "ZeroPadding3D", "padding": 2}),
    model(V, {"type": "ZeroPadding3D", "padding": [1, 2, 3]}),
    model(V, {"type": "ZeroPadding3D", "padding": [[1, 0], 2, [0, 3]]}),
    model(V, {"type": "ZeroPadding3D", "padding": -1}),
    model(V, {"type": "ZeroPadding3D", "padding": -3}),
    model(V, {"type": "ZeroPadding3D", "padding": [-1, 2, 3]}),
    model(V, {"type": "ZeroPadding3D", "padding": [1, 2]}),
    model(V, {"type": "ZeroPadding3D", "padding": [[1, 2, 3], 1, 1]}),
    model(V, {"type": "ZeroPadding3D", "padding": 1, "data_format": "channels_first"}),
    model(V, {"type": "ZeroPadding3D", "padding": 1, "data_format": "CHANNELS_FIRST"}),
    model([4, None, 6, 2], {"type": "ZeroPadding3D"}),
    model([4, 5, 2], {"type": "ZeroPadding3D"}),
    model(V, {"type": "Cropping3D"}),
    model(V, {"type": "Cropping3D", "cropping": 1}),
    model(V, {"type": "Cropping3D", "cropping": 2}),
    model(V, {"type": "Cropping3D", "cropping": [1, 2, 0]}),
    model(V, {"type": "Cropping3D", "cropping": [[1, 2], [2, 2], 0]}),
    model(V, {"type": "Cropping3D", "cropping": -1}),
    model(V, {"type": "Cropping3D", "cropping": [1, 1]}),
    model(V, {"type": "Cropping3D", "cropping": 1, "data_format": "channels_first"}),
    model([4, None, 6, 2], {"type": "Cropping3D", "cropping": 9}),
    model([4, 5, 2], {"type": "Cropping3D"}),
    model(V, {"type": "UpSampling3D"}),
    model(V, {"type": "UpSampling3D", "size": 3}),
    model(V, {"type": "UpSampling3D", "size": [1, 2, 3]}),
    model(V, {"type": "UpSampling3D", "size": [1, 2]}),
    model(V, {"type": "UpSampling3D", "size": 0}),
    model(V, {"type": "UpSampling3D", "size": 2, "data_format": "channels_first"}),
    model([None, 5, 6, 2], {"type": "UpSampling3D"}),
    model([4, 5, 6], {"type": "UpSampling3D"}),
    model(V, {"type": "Conv3D", "filters": 3, "kernel_size": 2}, {"type": "UpSampling3D"},
          {"type": "Cropping3D"}, {"type": "ZeroPadding3D"}),
]


@pytest.mark.parametrize("spec", CASES)
def test_reshaping3d_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def _pair(rng: random.Random, low: int, top: int) -> Any:
    if rng.random() < 0.5:
        return rng.randint(low, top)
    return [rng.randint(low, top), rng.randint(low, top)]


def random_layer(rng: random.Random, bad: bool) -> Spec:
    kind = rng.choice(["ZeroPadding3D", "Cropping3D", "UpSampling3D"])
    spec: Spec = {"type": kind}
    low = -2 if bad else 0
    if kind == "UpSampling3D":
        spec["size"] = (rng.randint(0 if bad else 1, 3) if rng.random() < 0.5
                        else [rng.randint(1, 3) for _ in range(3)])
    else:
        key = "padding" if kind == "ZeroPadding3D" else "cropping"
        roll = rng.random()
        if roll < 0.3:
            spec[key] = rng.randint(low, 3)
        elif roll < 0.6:
            spec[key] = [rng.randint(0, 3) for _ in range(3)]
        elif roll < 0.9:
            spec[key] = [_pair(rng, 0, 3) for _ in range(3)]
    if rng.random() < 0.4:
        spec["data_format"] = rng.choice(["channels_first", "channels_last"])
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([3, 4, 4, 4, 4, 5])
    shape = [None if rng.random() < 0.1 else rng.randint(1, 6) for _ in range(rank)]
    layers = [random_layer(rng, bad=i == 0) for i in range(rng.choice([1, 1, 2]))]
    return model(shape, *layers, batch=rng.choice([None, 2]))


GENERATED = [random_model(seed) for seed in range(150)]


@pytest.mark.parametrize("spec", GENERATED)
def test_reshaping3d_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_reshaping3d_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.9
