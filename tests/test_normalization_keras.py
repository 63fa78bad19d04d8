"""Normalization layers against real Keras: hand-picked surprises and a seeded generator."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


BN = "BatchNormalization"
LN = "LayerNormalization"

SURPRISES = [
    model([5, 3], {"type": BN}),
    model([5, 3], {"type": BN, "axis": 1}),
    # axis 0 is the batch axis: refused unless the batch size is fixed, then the weights
    # have one value per sample position.
    model([5, 3], {"type": BN, "axis": 0}),
    model([5, 3], {"type": BN, "axis": 0}, batch=7),
    model([5, 3], {"type": BN, "axis": -3}),
    model([5, 3], {"type": BN, "axis": 3}),
    model([5, 3], {"type": BN, "axis": -4}),
    model([5, None], {"type": BN}),
    model([], {"type": BN}),
    model([], {"type": BN}, batch=4),
    model([5, 3], {"type": BN, "center": False}),
    model([5, 3], {"type": BN, "scale": False, "trainable": False}),
    model([5, 3], {"type": BN, "center": False, "scale": False}),
    model([5, 3], {"type": BN, "renorm": True}),
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": {"rmax": 1, "rmin": 2}}),
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": {"x": 1}}),
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": {"dmax": -1}}),
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": {"rmax": "a", "rmin": 2}}),
    # A lone text limit is never compared, so Keras builds the layer.
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": {"rmax": "a"}}),
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": ["rmax"]}),
    model([5, 3], {"type": BN, "renorm": True, "renorm_clipping": {}}),
    # renorm_clipping is not looked at without renorm.
    model([5, 3], {"type": BN, "renorm": False, "renorm_clipping": {"x": 1}}),
    model([5, 3], {"type": BN, "synchronized": True}),
    model([5, 3], {"type": BN, "momentum": 5, "epsilon": 0}),
    # BatchNormalization converts epsilon with float(); LayerNormalization keeps it as is.
    model([5, 3], {"type": BN, "epsilon": None}),
    model([5, 3], {"type": BN, "renorm_momentum": None}),
    model([5, 3], {"type": LN, "epsilon": None}),
    model([5, 3], {"type": LN}),
    model([5, 3], {"type": LN, "axis": [1, 2]}),
    model([5, 3], {"type": LN, "axis": [2, 1]}),
    # Keras sorts the axis list as written: [-1, 1] gives weights of shape (3, 5).
    model([5, 3], {"type": LN, "axis": [-1, 1]}),
    # A repeated axis repeats in the weight shape.
    model([5, 3], {"type": LN, "axis": [2, 2]}),
    # An empty axis list gives scalar weights.
    model([5, 3], {"type": LN, "axis": []}),
    model([5, 3], {"type": LN, "axis": 0}),
    model([5, 3], {"type": LN, "axis": 0}, batch=2),
    model([5, 3], {"type": LN, "axis": 3}),
    model([5, 3], {"type": LN, "axis": [1, 5]}),
    model([5, None], {"type": LN}),
    model([5, None], {"type": LN, "axis": 1}),
    model([5, 3], {"type": LN, "rms_scaling": True, "scale": False}),
    model([5, 3], {"type": LN, "rms_scaling": True, "center": True}),
    model([5, 3], {"type": LN, "center": False}),
    model([5, 3], {"type": LN, "center": False, "scale": False}),
    # Without weights an unknown size is fine (but the axis must still exist).
    model([5, None], {"type": LN, "center": False, "scale": False}),
    model([5, None], {"type": LN, "axis": 4, "center": False, "scale": False}),
    model([5, 3], {"type": LN, "trainable": False}),
    model([4, 4, 2], {"type": BN}, {"type": LN, "axis": [1, 2, 3]}),
]


@pytest.mark.parametrize("spec", SURPRISES)
def test_normalization_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


# --- seeded generator -----------------------------------------------------------------


def _axis(rng: random.Random, rank: int) -> int:
    """An axis index for a ``rank``-D input (batch axis included), sometimes out of range."""
    if rng.random() < 0.5:
        return -1
    return rng.randint(-rank - 1, rank)


def random_layer(rng: random.Random, rank: int, bad: bool) -> Spec:
    """One normalization layer; ``bad`` allows arguments Keras refuses in the constructor
    (first layer only: shapewidget builds every layer before calling any)."""
    if rng.random() < 0.5:
        spec: Spec = {"type": BN, "axis": _axis(rng, rank)}
        if rng.random() < 0.2:
            spec["renorm"] = True
            if bad and rng.random() < 0.4:
                spec["renorm_clipping"] = rng.choice([{"rmax": 1, "rmin": 2}, {"dmax": -1},
                                                      {"rmax": 3, "rmin": 0.5}, {"bad": 1}])
        if bad and rng.random() < 0.05:
            spec["synchronized"] = True
        if rng.random() < 0.2:
            spec["momentum"] = rng.choice([0.9, 0.5, 1])
    else:
        axis: Any = _axis(rng, rank)
        if rng.random() < 0.5:
            axis = sorted({_axis(rng, rank) for _ in range(rng.randint(0, 3))})
            if rng.random() < 0.3:
                rng.shuffle(axis)
        spec = {"type": LN, "axis": axis}
        if rng.random() < 0.15:
            spec["rms_scaling"] = True
    for flag in ("center", "scale"):
        if rng.random() < 0.2:
            spec[flag] = False
    if rng.random() < 0.15:
        spec["trainable"] = False
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    shape = [None if rng.random() < 0.1 else rng.randint(1, 6)
             for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))]
    batch = rng.choice([None, None, None, 3])
    rank = len(shape) + 1
    layers = [random_layer(rng, rank, bad=index == 0)
              for index in range(rng.choice([1, 1, 1, 2]))]
    return model(shape, *layers, batch=batch)


GENERATED = [random_model(seed) for seed in range(220)]


@pytest.mark.parametrize("spec", GENERATED)
def test_normalization_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_normalization_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    frozen = sum(any(not w[2] for row in r.rows for w in row.weights if w[0] == "gamma")
                 for r in outcomes)
    assert 0.4 < valid / len(outcomes) < 0.9
    assert frozen >= 5


def random_mixed_model(seed: int) -> Spec:
    """A reshaping layer, then a normalization layer on whatever shape it made."""
    from test_reshaping_keras import random_layer as random_reshaping_layer

    rng = random.Random(10_000 + seed)
    shape = [None if rng.random() < 0.1 else rng.randint(1, 6)
             for _ in range(rng.choice([1, 2, 3]))]
    first = random_reshaping_layer(rng, shape, bad=False)
    rank = rng.choice([2, 3, 4])
    return model(shape, first, random_layer(rng, rank, bad=False))


MIXED = [random_mixed_model(seed) for seed in range(40)]


@pytest.mark.parametrize("spec", MIXED)
def test_normalization_after_reshaping_matches_keras(spec: Spec) -> None:
    assert_matches_keras(spec)
