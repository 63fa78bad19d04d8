"""Pooling layers against real Keras: hand-picked surprises and a seeded random sweep.

The sweep builds a few hundred random models — pooling layers alone, and small
convolution → pooling → global pooling → Dense stacks — mostly meant to be valid, about
one in six carrying one deliberate fault; Keras decides what is right.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras

pytestmark = pytest.mark.keras

Spec = dict[str, Any]

WINDOWED = {"MaxPooling1D": 1, "MaxPooling2D": 2, "MaxPooling3D": 3, "AveragePooling1D": 1,
            "AveragePooling2D": 2, "AveragePooling3D": 3}
GLOBAL = {"GlobalAveragePooling1D": 1, "GlobalAveragePooling2D": 2,
          "GlobalAveragePooling3D": 3, "GlobalMaxPooling1D": 1, "GlobalMaxPooling2D": 2,
          "GlobalMaxPooling3D": 3}
CONV = {1: "Conv1D", 2: "Conv2D", 3: "Conv3D"}
FAULTS = ("rank_low", "rank_high", "pool_too_big", "padding_case", "padding_word",
          "zero_stride", "zero_pool", "data_format_word")


def _ints(rng: random.Random, rank: int, low: int, high: int) -> int | list[int]:
    if rank == 1 or rng.random() < 0.5:
        return rng.randint(low, high)
    return [rng.randint(low, high) for _ in range(rank)]


def _windowed(rng: random.Random, kind: str) -> Spec:
    rank = WINDOWED[kind]
    layer: Spec = {"type": kind}
    if kind.startswith("Average") or rng.random() < 0.7:  # AveragePooling has no default
        layer["pool_size"] = _ints(rng, rank, 1, 3)
    if rng.random() < 0.5:
        layer["strides"] = _ints(rng, rank, 1, 3)
    if rng.random() < 0.6:
        layer["padding"] = rng.choice(["valid", "same"])
    return layer


def _global(rng: random.Random, kind: str) -> Spec:
    layer: Spec = {"type": kind}
    if rng.random() < 0.5:
        layer["keepdims"] = rng.random() < 0.5
    return layer


def _inject(rng: random.Random, fault: str, spec: Spec, fmt: str | None) -> None:
    """Break the first layer (or the input) in one way Keras refuses."""
    first = spec["layers"][0]
    shape = spec["input_shape"]
    windowed = first["type"] in WINDOWED
    if fault == "rank_low":
        spec["input_shape"] = shape[1:]
    elif fault == "rank_high":
        spec["input_shape"] = [rng.randint(2, 4), *shape]
    elif fault == "pool_too_big" and windowed:
        first.update(pool_size=21, padding="valid")
    elif fault == "padding_case" and windowed:
        first["padding"] = rng.choice(["SAME", "Valid"])  # pooling padding is case-sensitive
    elif fault == "padding_word" and windowed:
        first["padding"] = "causal"
    elif fault == "zero_stride" and windowed:
        first["strides"] = 0  # Keras takes it, then divides by zero when called
    elif fault == "zero_pool" and windowed:
        first["pool_size"] = 0
    elif fault == "data_format_word":
        first["data_format"] = rng.choice(["NHWC", "channels-last", "first"])


def pooling_case(rng: random.Random) -> Spec:
    """A pooling model: 1–2 pooling layers, or conv → pooling → global → Dense."""
    rank = rng.choice([1, 2, 2, 3])
    fmt = rng.choice([None, None, "channels_last", "channels_first"])
    channels: int | None = None if rng.random() < 0.08 else rng.randint(1, 6)
    spatial = [None if rng.random() < 0.1 else rng.randint(4, 20 if rank < 3 else 9)
               for _ in range(rank)]
    shape = [channels, *spatial] if fmt == "channels_first" else [*spatial, channels]
    windowed = [k for k, r in WINDOWED.items() if r == rank]
    globals_ = [k for k, r in GLOBAL.items() if r == rank]
    layers: list[Spec] = []
    if channels is not None and rng.random() < 0.35:
        layers.append({"type": CONV[rank], "filters": rng.randint(1, 6), "kernel_size": 3,
                       "padding": "same"})
        layers.append(_windowed(rng, rng.choice(windowed)))
        layers.append(_global(rng, rng.choice(globals_)))
        if not layers[-1].get("keepdims"):
            layers.append({"type": "Dense", "units": rng.randint(1, 5)})
    else:
        for _ in range(rng.choice([1, 1, 2])):
            use_global = rng.random() < 0.35
            layers.append(_global(rng, rng.choice(globals_)) if use_global
                          else _windowed(rng, rng.choice(windowed)))
            if use_global:
                break
    for layer in layers:
        if fmt is not None and layer["type"] != "Dense":
            layer["data_format"] = fmt if rng.random() < 0.9 else fmt.upper()
        if rng.random() < 0.1:
            layer["trainable"] = False
    spec: Spec = {"input_shape": shape, "batch_size": rng.choice([None, None, 3]),
                  "layers": layers}
    if rng.random() < 0.26:  # some faults do not apply to the layer drawn: ~1 in 6 breaks
        _inject(rng, rng.choice(FAULTS), spec, fmt)
    return spec


RANDOM_CASES = [pooling_case(random.Random(1000 + seed)) for seed in range(300)]


@pytest.mark.parametrize("spec", RANDOM_CASES, ids=[f"seed{i}" for i in range(300)])
def test_pooling_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def _one(shape: list[int | None], **layer: Any) -> Spec:
    return {"input_shape": shape, "layers": [layer]}


SURPRISES = {
    "max_default_pool": _one([9, 9, 3], type="MaxPooling2D"),
    "strides_none_is_pool_size": _one([9, 3], type="AveragePooling1D", pool_size=3),
    "overlapping_windows": _one([9, 9, 3], type="MaxPooling2D", pool_size=3, strides=1),
    "uneven_axes": _one([8, 8, 3], type="MaxPooling2D", pool_size=[2, 3], strides=[1, 2]),
    "same_ceil": _one([2, 8, 3], type="AveragePooling2D", pool_size=3, padding="same"),
    "valid_too_small": _one([2, 8, 3], type="AveragePooling2D", pool_size=3),
    "unknown_channels_are_fine": _one([8, 8, None], type="MaxPooling2D"),
    "unknown_length_big_pool": _one([None, 8, 3], type="MaxPooling2D", pool_size=[9, 1]),
    "zero_length_same": _one([0, 8, 3], type="MaxPooling2D", pool_size=1, padding="same"),
    "zero_length_valid": _one([0, 8, 3], type="MaxPooling2D", pool_size=1),
    "padding_upper_case_refused": _one([8, 8, 3], type="MaxPooling2D", padding="SAME"),
    "data_format_any_case": _one([3, 8, 8], type="MaxPooling2D",
                                 data_format="CHANNELS_FIRST"),
    "zero_strides_refused": _one([8, 8, 3], type="MaxPooling2D", strides=[0, 1]),
    "pooling_rank_high": _one([8, 8, 3], type="MaxPooling1D"),
    "pooling_3d_channels_first": _one([2, 6, 6, 6], type="AveragePooling3D", pool_size=2,
                                      data_format="channels_first"),
    "global_keepdims_channels_first": _one([3, 8, 8], type="GlobalAveragePooling2D",
                                           keepdims=True, data_format="channels_first"),
    "global_unknown_everything": _one([None, None, None], type="GlobalMaxPooling2D"),
    "global_rank_low": _one([8, 8], type="GlobalAveragePooling2D"),
    "global_rank_high": _one([8, 8, 3, 1], type="GlobalMaxPooling2D"),
    "global_1d_keepdims": _one([7, 5], type="GlobalMaxPooling1D", keepdims=True),
    "global_3d": _one([4, 5, 6, 2], type="GlobalAveragePooling3D"),
}


@pytest.mark.parametrize("name", list(SURPRISES))
def test_pooling_surprises_match_keras(name: str) -> None:
    assert_matches_keras(SURPRISES[name])


def test_pooling_cnn_classifier_matches_keras() -> None:
    ref = assert_matches_keras({"input_shape": [28, 28, 1], "layers": [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"type": "MaxPooling2D"},
        {"type": "Conv2D", "filters": 16, "kernel_size": 3},
        {"type": "GlobalAveragePooling2D"},
        {"type": "Dense", "units": 10},
    ]})
    assert ref.rows[1].output_shape == (None, 13, 13, 8)
