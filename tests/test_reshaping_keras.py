"""Reshaping layers against real Keras: hand-picked surprises and a seeded generator."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras

from shapewidget import Model, ShapeError

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


SURPRISES = [
    # Reshape is not checked at all when an input size is unknown.
    model([None, 3, 4], {"type": "Reshape", "target_shape": [5, 7]}),
    model([None, 3], {"type": "Reshape", "target_shape": [-1, 7]}),
    # None inside target_shape is accepted and stays unknown.
    model([2, 3, 4], {"type": "Reshape", "target_shape": [None, 4]}),
    model([2, 3, 4], {"type": "Reshape", "target_shape": [-1, 4]}),
    model([2, 3, 4], {"type": "Reshape", "target_shape": [5, 7]}),
    model([2, 3, 4], {"type": "Reshape", "target_shape": [-1, 5]}),
    model([2, 3, 4], {"type": "Reshape", "target_shape": [0, -1]}),
    model([1], {"type": "Reshape", "target_shape": []}),
    model([0, 3], {"type": "Reshape", "target_shape": [0]}),
    model([0, 3], {"type": "Reshape", "target_shape": [0, -1]}),
    model([2, 3, 4], {"type": "Reshape", "target_shape": [-1, -1]}),
    model([2, 3, 4], {"type": "Reshape", "target_shape": [-2, 12]}),
    # Permute with no dims works on a batch-only input.
    model([], {"type": "Permute", "dims": []}),
    model([2, 3, 4], {"type": "Permute", "dims": [2, 1]}),
    model([2, 3, 4], {"type": "Permute", "dims": [1, 1, 2]}),
    model([None], {"type": "RepeatVector", "n": 2}),
    model([2, 3], {"type": "RepeatVector", "n": 3}),
    # A lone negative int padding is not checked by ZeroPadding2D: it crops.
    model([5, 5, 3], {"type": "ZeroPadding2D", "padding": -2}),
    model([2, 2, 3], {"type": "ZeroPadding2D", "padding": -1}),
    model([5, 5, 3], {"type": "ZeroPadding2D", "padding": -3}),
    model([5, 5, 3], {"type": "ZeroPadding2D", "padding": [-1, 2]}),
    model([5, 3], {"type": "ZeroPadding1D", "padding": -1}),
    model([5, 5, 3], {"type": "ZeroPadding2D", "padding": [[1, 2], 3]}),
    # data_format is matched in any case.
    model([5, 3], {"type": "ZeroPadding1D", "padding": 1, "data_format": "CHANNELS_FIRST"}),
    model([5, 3], {"type": "ZeroPadding1D", "padding": 1, "data_format": "channel_first"}),
    # Cropping everything (sum == size) is rejected, in 1D and 2D.
    model([5, 3], {"type": "Cropping1D", "cropping": [2, 3]}),
    model([5, 3], {"type": "Cropping1D", "cropping": [2, 2]}),
    model([5, 5, 3], {"type": "Cropping2D", "cropping": [[2, 3], 0]}),
    model([5, 5, 3], {"type": "Cropping2D", "cropping": [[2, 2], 1]}),
    model([5, None, 3], {"type": "Cropping2D", "cropping": 40}),
    model([5, 5, 3], {"type": "Cropping2D", "cropping": -1}),
    model([5, 5, 3], {"type": "Cropping2D", "cropping": [1, 2, 3]}),
    # interpolation is not checked when the model is built.
    model([5, 3, 2], {"type": "UpSampling2D", "interpolation": "nonsense"}),
    model([5, 3, 2], {"type": "UpSampling2D", "interpolation": "BILINEAR", "size": 3}),
    model([5, 3, 2], {"type": "UpSampling2D", "size": 0}),
    model([5, 3, 2], {"type": "UpSampling2D", "interpolation": None}),
    model([5, 3, 2], {"type": "UpSampling2D", "size": [2, 3, 1]}),
    model([5, 3], {"type": "UpSampling1D", "size": 0}),
    model([5, 3], {"type": "Flatten"}, {"type": "RepeatVector", "n": 2},
          {"type": "Reshape", "target_shape": [-1, 5, 3]}),
]


@pytest.mark.parametrize("spec", SURPRISES)
def test_reshaping_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


# --- seeded generator -----------------------------------------------------------------


def _dim(rng: random.Random) -> int | None:
    return None if rng.random() < 0.12 else rng.randint(1, 7)


def _pair(rng: random.Random, top: int) -> int | list[int]:
    if rng.random() < 0.4:
        return rng.randint(0, top)
    return [rng.randint(0, top), rng.randint(0, top)]


def _pairs2(rng: random.Random, top: int, negative: bool = False) -> Any:
    if rng.random() < 0.3:
        return rng.randint(-2 if negative else 0, top)
    return [_pair(rng, top), _pair(rng, top)]


def _data_format(rng: random.Random, spec: Spec) -> Spec:
    if rng.random() < 0.4:
        spec["data_format"] = rng.choice(["channels_last", "channels_first"])
    return spec


def _reshape_target(rng: random.Random, shape: list[int | None], bad: bool) -> list[int | None]:
    known = [d for d in shape if d is not None]
    total = 1
    for d in known:
        total *= d
    roll = rng.random()
    if roll < 0.35 and known:  # a valid factorisation with one -1
        first = rng.choice([d for d in range(1, total + 1) if total % d == 0])
        return rng.choice([[first, -1], [-1, first], [-1], [-1, -1] if bad else [-1]])
    if roll < 0.6:  # a valid factorisation without -1
        first = rng.choice([d for d in range(1, total + 1) if total % d == 0])
        return [first, total // first]
    if roll < 0.7:
        return [None, rng.randint(1, 6)]
    return [rng.randint(1, 8) for _ in range(rng.randint(1, 3))]  # often the wrong count


def random_layer(rng: random.Random, shape: list[int | None], bad: bool) -> Spec:
    """One layer; ``bad`` allows arguments Keras refuses in the constructor (only for the
    first layer: shapewidget builds every layer before the first call, as
    ``Sequential([...])`` does, while the reference builds them one by one)."""
    fitting = {1: ["RepeatVector"], 2: ["ZeroPadding1D", "Cropping1D", "UpSampling1D"],
               3: ["ZeroPadding2D", "Cropping2D", "UpSampling2D"]}.get(len(shape), [])
    kind = rng.choice(fitting if fitting and rng.random() < 0.7 else [
        "Reshape", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D",
        "Cropping2D", "UpSampling1D", "UpSampling2D"])
    if kind == "Reshape":
        return {"type": kind, "target_shape": _reshape_target(rng, shape, bad)}
    if kind == "Permute":
        rank = len(shape) if rng.random() < 0.85 else rng.randint(1, 3)
        dims = list(range(1, rank + 1))
        rng.shuffle(dims)
        if bad and rng.random() < 0.25 and dims:
            dims[0] = 0
        return {"type": kind, "dims": dims}
    if kind == "RepeatVector":
        return {"type": kind, "n": rng.randint(0 if bad and rng.random() < 0.3 else 1, 5)}
    if kind == "ZeroPadding1D":
        return _data_format(rng, {"type": kind, "padding": _pair(rng, 3)})
    if kind == "ZeroPadding2D":
        return _data_format(rng, {"type": kind, "padding": _pairs2(rng, 3, negative=True)})
    if kind == "Cropping1D":
        return {"type": kind, "cropping": _pair(rng, 3)}
    if kind == "Cropping2D":
        return _data_format(rng, {"type": kind, "cropping": _pairs2(rng, 3)})
    if kind == "UpSampling1D":
        return {"type": kind, "size": rng.randint(1, 4)}
    size: Any = rng.randint(1, 3) if rng.random() < 0.5 else [rng.randint(1, 3),
                                                               rng.randint(1, 3)]
    return _data_format(rng, {"type": kind, "size": size})


def random_model(seed: int) -> Spec:
    """A model of 1–3 layers; each layer is drawn for the shape before it (read from
    shapewidget, which the comparison then checks against Keras)."""
    rng = random.Random(seed)
    shape = [_dim(rng) for _ in range(rng.choice([1, 2, 2, 3, 3, 3]))]
    batch = rng.choice([None, None, None, 2])
    layers: list[Spec] = []
    current = list(shape)
    for index in range(rng.choice([1, 1, 2, 3])):
        layer = random_layer(rng, current, bad=index == 0)
        if rng.random() < 0.1:
            layer["trainable"] = False
        layers.append(layer)
        try:
            summary = Model.from_spec(model(shape, *layers, batch=batch)).analyze()
        except ShapeError:
            break
        if summary.error is not None:
            break
        current = list(summary.rows[-1].output_shape[1:])
    return model(shape, *layers, batch=batch)


GENERATED = [random_model(seed) for seed in range(220)]


@pytest.mark.parametrize("spec", GENERATED)
def test_reshaping_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_reshaping_generator_covers_valid_and_invalid() -> None:
    from keras_reference import shapewidget_reference

    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    refused_args = sum(r.error_index is not None and not r.rows and "argument" in str(r.error)
                       for r in outcomes)
    assert 0.4 < valid / len(outcomes) < 0.9
    assert refused_args >= 5
