"""GroupNormalization, UnitNormalization and RMSNormalization against real Keras."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


G = "GroupNormalization"
CASES = [
    model([4, 6], {"type": G, "groups": 2}),
    model([4, 6], {"type": G, "groups": 2, "axis": 1}),
    model([4, 6], {"type": G, "groups": 2, "axis": -2}),
    model([4, 6], {"type": G, "groups": 2, "axis": 0}, batch=4),
    model([4, 6], {"type": G, "groups": 2, "axis": 0}),
    model([4, 6], {"type": G, "groups": 2, "axis": 3}),
    model([4, 6], {"type": G, "groups": 4}),
    model([4, 6], {"type": G, "groups": -1}),
    model([4, 6], {"type": G, "groups": 0}),
    model([4, 6], {"type": G, "groups": -2}),
    model([4, 6], {"type": G, "groups": 12}),
    model([4, 6], {"type": G}),
    model([8, 8, 64], {"type": G}),
    model([4, 6], {"type": G, "groups": 2, "axis": [1]}),
    model([None, 6], {"type": G, "groups": 3}),
    model([6, None], {"type": G, "groups": 3}),
    model([6], {"type": G, "groups": 2, "center": False}),
    model([6], {"type": G, "groups": 3, "scale": False, "center": False}),
    model([6], {"type": G, "groups": 3, "trainable": False}),
    model([4, 6], {"type": "UnitNormalization"}),
    model([4, 6], {"type": "UnitNormalization", "axis": [1, 2]}),
    model([4, 6], {"type": "UnitNormalization", "axis": 5}),
    model([4, 6], {"type": "UnitNormalization", "axis": [1, 7]}),
    model([4, 6], {"type": "UnitNormalization", "axis": -3}),
    model([4, 6], {"type": "UnitNormalization", "axis": -4}),
    model([4, 6], {"type": "UnitNormalization", "axis": "a"}),
    model([None, None], {"type": "UnitNormalization"}),
    model([4, 6], {"type": "RMSNormalization"}),
    model([4, 6], {"type": "RMSNormalization", "axis": 1}),
    model([4, 6], {"type": "RMSNormalization", "axis": [2, 1]}),
    model([4, 6], {"type": "RMSNormalization", "axis": [-1, 1]}),
    model([4, 6], {"type": "RMSNormalization", "axis": [1, 1]}),
    model([4, 6], {"type": "RMSNormalization", "axis": []}),
    model([4, 6], {"type": "RMSNormalization", "axis": 3}),
    model([4, 6], {"type": "RMSNormalization", "axis": -3}),
    model([4, 6], {"type": "RMSNormalization", "axis": 0}, batch=2),
    model([None, 6], {"type": "RMSNormalization", "axis": 1}),
    model([4, 6], {"type": "RMSNormalization", "epsilon": None}),
    model([4, 6], {"type": "RMSNormalization", "trainable": False}),
    model([8, 8, 3], {"type": "Conv2D", "filters": 8, "kernel_size": 3},
          {"type": G, "groups": 4}, {"type": "UnitNormalization"},
          {"type": "RMSNormalization"}),
]


@pytest.mark.parametrize("spec", CASES)
def test_normalization_more_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def random_layer(rng: random.Random, rank: int, bad: bool) -> Spec:
    kind = rng.choice([G, G, "UnitNormalization", "RMSNormalization"])
    spec: Spec = {"type": kind}
    axes = list(range(-rank - (1 if bad else 0), rank + (1 if bad else 0)))
    if kind == G:
        spec["groups"] = rng.choice([1, 2, 3, 4, -1, 6] + ([0, -3] if bad else []))
        if rng.random() < 0.4:
            spec["axis"] = rng.choice(axes)
        for key in ("center", "scale"):
            if rng.random() < 0.2:
                spec[key] = False
    elif rng.random() < 0.6:
        pick = rng.sample(axes, rng.randint(1, min(2, len(axes))))
        spec["axis"] = pick[0] if len(pick) == 1 and rng.random() < 0.5 else pick
    if rng.random() < 0.1:
        spec["trainable"] = False
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([1, 2, 2, 3])
    shape = [None if rng.random() < 0.1 else rng.choice([2, 3, 4, 6, 8, 12])
             for _ in range(rank)]
    batch = rng.choice([None, None, 2])
    layers = [random_layer(rng, rank + 1, bad=i == 0) for i in range(rng.choice([1, 1, 2]))]
    return model(shape, *layers, batch=batch)


GENERATED = [random_model(seed) for seed in range(160)]


@pytest.mark.parametrize("spec", GENERATED)
def test_normalization_more_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_normalization_more_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.9
