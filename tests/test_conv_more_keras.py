"""Conv1DTranspose, Conv3DTranspose, SeparableConv1D and DepthwiseConv1D against real
Keras: hand-picked cases and a seeded random sweep (with the 2-D kinds mixed in)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget import Model

pytestmark = pytest.mark.keras

Spec = dict[str, Any]

RANKS = {"Conv1DTranspose": 1, "Conv2DTranspose": 2, "Conv3DTranspose": 3,
         "SeparableConv1D": 1, "SeparableConv2D": 2, "DepthwiseConv1D": 1,
         "DepthwiseConv2D": 2}
TRANSPOSED = ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose")
DEPTHWISE = ("DepthwiseConv1D", "DepthwiseConv2D")
FAULTS = ("rank_low", "rank_high", "unknown_channels", "kernel_too_big", "strides_dilation",
          "causal", "output_padding", "zero_input")


def _ints(rng: random.Random, rank: int, low: int, high: int) -> int | list[int]:
    if (rank == 1 and rng.random() < 0.8) or rng.random() < 0.5:
        return rng.randint(low, high)
    return [rng.randint(low, high) for _ in range(rank)]


def _layer(rng: random.Random, kind: str) -> Spec:
    rank = RANKS[kind]
    layer: Spec = {"type": kind}
    if kind not in DEPTHWISE:
        layer["filters"] = rng.randint(1, 6)
    layer["kernel_size"] = _ints(rng, rank, 1, 4)
    strides = _ints(rng, rank, 1, 3) if rng.random() < 0.5 else 1
    if strides != 1:
        layer["strides"] = strides
    if (strides == 1 or kind not in TRANSPOSED) and rng.random() < 0.3:
        layer["dilation_rate"] = _ints(rng, rank, 1, 2)
    layer["padding"] = rng.choice(["valid", "same"])
    if kind not in TRANSPOSED and rng.random() < 0.4:
        layer["depth_multiplier"] = rng.randint(1, 3)
    if kind in TRANSPOSED and rng.random() < 0.5:
        s = strides if isinstance(strides, list) else [strides] * rank
        layer["output_padding"] = ([rng.randint(0, x - 1) for x in s]
                                   if rng.random() < 0.5 and rank > 1
                                   else rng.randint(0, min(s) - 1))
    if rng.random() < 0.25:
        layer["use_bias"] = False
    if rng.random() < 0.12:
        layer["trainable"] = False
    return layer


def _inject(rng: random.Random, fault: str, spec: Spec, fmt: str | None) -> None:
    first = spec["layers"][0]
    shape = spec["input_shape"]
    channel_axis = 0 if fmt == "channels_first" else -1
    if fault == "rank_low":
        spec["input_shape"] = shape[1:] if fmt == "channels_first" else shape[:-1]
    elif fault == "rank_high":
        spec["input_shape"] = [rng.randint(2, 5), *shape]
    elif fault == "unknown_channels":
        shape[channel_axis] = None
    elif fault == "kernel_too_big":
        first["padding"] = "valid"
        first["kernel_size"] = 13 if RANKS[first["type"]] < 3 else 9
    elif fault == "strides_dilation":
        first.update(strides=2, dilation_rate=2)
    elif fault == "causal":
        first["padding"] = "causal"
    elif fault == "output_padding":
        first["output_padding"] = first.get("strides", 1) if rng.random() < 0.7 else -1
    elif fault == "zero_input":
        spatial = range(1, len(shape)) if fmt == "channels_first" else range(len(shape) - 1)
        shape[rng.choice(spatial)] = 0


def conv_case(rng: random.Random) -> Spec:
    kind = rng.choice(list(RANKS))
    rank = RANKS[kind]
    fmt = rng.choice([None, None, "channels_last", "channels_first"])
    channels = rng.randint(1, 6)
    spatial: list[int | None] = [None if rng.random() < 0.1 else
                                 rng.randint(6, 16 if rank < 3 else 8) for _ in range(rank)]
    shape = [channels, *spatial] if fmt == "channels_first" else [*spatial, channels]
    layers = []
    for i in range(rng.choice([1, 1, 2])):
        if i:
            kind = rng.choice([k for k, r in RANKS.items() if r == rank])
        layer = _layer(rng, kind)
        if i and layer["padding"] == "valid":
            layer["padding"] = "same"
        if fmt is not None:
            layer["data_format"] = fmt
        layers.append(layer)
    spec: Spec = {"input_shape": shape, "batch_size": rng.choice([None, None, 3]),
                  "layers": layers}
    if rng.random() < 0.25:
        _inject(rng, rng.choice(FAULTS), spec, fmt)
    return spec


RANDOM_CASES = [conv_case(random.Random(seed)) for seed in range(260)]


@pytest.mark.parametrize("spec", RANDOM_CASES)
def test_conv_more_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_conv_more_sweep_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in RANDOM_CASES]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.5 < valid / len(outcomes) < 0.95


def _one(shape: list[int | None], **layer: Any) -> Spec:
    return {"input_shape": shape, "layers": [layer]}


CASES = [
    _one([10, 3], type="Conv1DTranspose", filters=4, kernel_size=3),
    _one([10, 3], type="Conv1DTranspose", filters=4, kernel_size=3, strides=2,
         padding="same"),
    _one([10, 3], type="Conv1DTranspose", filters=4, kernel_size=3, strides=2,
         output_padding=1),
    _one([10, 3], type="Conv1DTranspose", filters=4, kernel_size=3, strides=2,
         output_padding=2),
    _one([10, 3], type="Conv1DTranspose", filters=4, kernel_size=3, padding="causal"),
    _one([None, 3], type="Conv1DTranspose", filters=4, kernel_size=3),
    _one([10, None], type="Conv1DTranspose", filters=4, kernel_size=3),
    _one([3, 10], type="Conv1DTranspose", filters=4, kernel_size=2,
         data_format="channels_first"),
    _one([4, 4, 4, 2], type="Conv3DTranspose", filters=3, kernel_size=2, strides=2),
    _one([4, 4, 4, 2], type="Conv3DTranspose", filters=3, kernel_size=[1, 2, 3],
         strides=[1, 2, 3], output_padding=[0, 1, 2], padding="same"),
    _one([2, 4, 4, 4], type="Conv3DTranspose", filters=3, kernel_size=3,
         data_format="channels_first"),
    _one([4, 4, 2], type="Conv3DTranspose", filters=3, kernel_size=2),
    _one([10, 3], type="SeparableConv1D", filters=4, kernel_size=3),
    _one([10, 3], type="SeparableConv1D", filters=4, kernel_size=3, depth_multiplier=2,
         strides=2, dilation_rate=2),
    _one([10, 3], type="SeparableConv1D", filters=4, kernel_size=11),
    _one([10, 3], type="SeparableConv1D", filters=4, kernel_size=3, padding="causal"),
    _one([10, 3], type="SeparableConv1D", filters=4, kernel_size=3, use_bias=False),
    _one([10, 3], type="DepthwiseConv1D", kernel_size=3),
    _one([10, 3], type="DepthwiseConv1D", kernel_size=3, depth_multiplier=3, padding="same"),
    _one([3, 10], type="DepthwiseConv1D", kernel_size=3, data_format="channels_first"),
    _one([10, None], type="DepthwiseConv1D", kernel_size=3),
    _one([10, 3, 3], type="DepthwiseConv1D", kernel_size=3),
]


@pytest.mark.parametrize("spec", CASES)
def test_conv_more_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_conv_more_transpose_formula_names_its_type() -> None:
    rows = Model.from_spec(CASES[0]).analyze().rows
    assert any(n.render("en").startswith("Conv1DTranspose, padding") for n in rows[0].notes)
