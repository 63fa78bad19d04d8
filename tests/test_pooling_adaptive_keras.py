"""The adaptive poolings (AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D)
against real Keras, which builds them on an input of any rank."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget import Model

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


A1, A2, A3 = "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D"
M1, M2, M3 = "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D"
CASES = [
    model([8, 3], {"type": A1, "output_size": 4}),
    model([8, 3], {"type": A1, "output_size": 16}),
    model([8, 3], {"type": A1, "output_size": 0}),
    model([8, 3], {"type": A1, "output_size": -2}),
    model([8, 3], {"type": A1, "output_size": [2]}),
    model([8, 3], {"type": A1, "output_size": [2, 3]}),
    model([8, 3], {"type": A1, "output_size": 2.5}),
    model([8, 3, 2], {"type": A1, "output_size": 4}),
    model([8], {"type": A1, "output_size": 4}),
    model([None, 3], {"type": A1, "output_size": 4}),
    model([8, None], {"type": M1, "output_size": 4}),
    model([8, 3], {"type": M1, "output_size": 4, "data_format": "channels_first"}),
    model([8, 3], {"type": M1, "output_size": 4, "data_format": "CHANNELS_FIRST"}),
    model([8, 3], {"type": M1, "output_size": 3}, batch=2),
    model([8, 8, 3], {"type": M2, "output_size": 4}),
    model([8, 8, 3], {"type": A2, "output_size": [4, 2]}),
    model([8, 8, 3], {"type": M2, "output_size": [4, 2, 1]}),
    model([8, 3], {"type": M2, "output_size": 4}),
    model([8, 8, 8, 3], {"type": A2, "output_size": 4}),
    model([8, 8, 3], {"type": M2, "output_size": 20}),
    model([None, 8, 3], {"type": A2, "output_size": 2}),
    model([3, 8, 8], {"type": M2, "output_size": 2, "data_format": "channels_first"}),
    model([4, 4, 4, 2], {"type": A3, "output_size": 2}),
    model([4, 4, 4, 2], {"type": A3, "output_size": [2, 1, 3]}),
    model([4, 4, 4, 2], {"type": M3, "output_size": [2, 1]}),
    model([4, 4, 2], {"type": M3, "output_size": 2}),
    model([4, 4, 4, 2], {"type": M3, "output_size": 0}),
    model([4, 4, 4, 2], {"type": M3, "output_size": 2, "trainable": False}),
    model([2, 4, 4, 4], {"type": A3, "output_size": 2, "data_format": "channels_first"}),
    model([16, 16, 3], {"type": "Conv2D", "filters": 4, "kernel_size": 3},
          {"type": A2, "output_size": 5}, {"type": "Flatten"}, {"type": "Dense", "units": 2}),
]


@pytest.mark.parametrize("spec", CASES)
def test_pooling_adaptive_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_pooling_adaptive_wrong_rank_is_noted() -> None:
    row = Model.from_spec(model([8, 3], {"type": M2, "output_size": 4})).analyze().rows[0]
    assert any(n.key == "adaptive.rank" for n in row.notes)


def random_layer(rng: random.Random, rank: int, bad: bool) -> Spec:
    kind = rng.choice([A1, A2, A3, M1, M2, M3])
    r = int(kind[-2])
    if rng.random() < 0.5:
        size: Any = rng.randint(-1 if bad else 0, 6)
    else:
        size = [rng.randint(0, 6) for _ in range(r if not bad or rng.random() < 0.8
                                                 else r + 1)]
    spec: Spec = {"type": kind, "output_size": size}
    if rng.random() < 0.4:
        spec["data_format"] = rng.choice(["channels_first", "channels_last"])
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([1, 2, 2, 3, 3, 4])
    shape = [None if rng.random() < 0.1 else rng.randint(1, 9) for _ in range(rank)]
    layers = [random_layer(rng, rank, bad=i == 0) for i in range(rng.choice([1, 1, 2]))]
    return model(shape, *layers, batch=rng.choice([None, 2]))


GENERATED = [random_model(seed) for seed in range(150)]


@pytest.mark.parametrize("spec", GENERATED)
def test_pooling_adaptive_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_pooling_adaptive_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.5 < valid / len(outcomes) < 0.97
