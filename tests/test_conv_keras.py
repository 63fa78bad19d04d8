"""Convolution layers against real Keras: hand-picked surprises and a seeded random sweep.

The sweep builds a few hundred random models (mostly meant to be valid, about one in six
carrying one deliberate fault); Keras decides what is right, shapewidget must agree on
every output shape, weight, parameter count and on the layer Keras rejects.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras

pytestmark = pytest.mark.keras

Spec = dict[str, Any]

RANKS = {"Conv1D": 1, "Conv2D": 2, "Conv3D": 3, "Conv2DTranspose": 2, "SeparableConv2D": 2,
         "DepthwiseConv2D": 2}
GROUPED = ("Conv1D", "Conv2D", "Conv3D")
FAULTS = ("rank_low", "rank_high", "unknown_channels", "kernel_too_big", "strides_dilation",
          "causal", "padding_word", "groups_channels", "groups_filters", "output_padding",
          "zero_input")


def _ints(rng: random.Random, rank: int, low: int, high: int) -> int | list[int]:
    """An int or a list of ``rank`` ints, as a person would write either."""
    if rank == 1 or rng.random() < 0.5:
        return rng.randint(low, high)
    return [rng.randint(low, high) for _ in range(rank)]


def _conv_layer(rng: random.Random, kind: str, channels: int) -> Spec:
    """A layer meant to be valid on a large enough input with ``channels`` channels."""
    rank = RANKS[kind]
    layer: Spec = {"type": kind}
    if kind != "DepthwiseConv2D":
        layer["filters"] = rng.randint(1, 8)
    layer["kernel_size"] = _ints(rng, rank, 1, 4)
    strides = _ints(rng, rank, 1, 3) if rng.random() < 0.5 else 1
    if strides != 1:
        layer["strides"] = strides
    may_dilate = strides == 1 or kind in ("SeparableConv2D", "DepthwiseConv2D")
    if may_dilate and rng.random() < 0.3:
        layer["dilation_rate"] = _ints(rng, rank, 1, 2)
    paddings = ["valid", "same", "causal"] if kind == "Conv1D" else ["valid", "same"]
    layer["padding"] = rng.choice(paddings)
    if rng.random() < 0.05:
        layer["padding"] = layer["padding"].upper()  # Keras reads conv padding any case
    if kind in GROUPED and rng.random() < 0.3:
        groups = rng.choice([g for g in (1, 2, 3, 4) if channels % g == 0])
        layer["groups"] = groups
        layer["filters"] = groups * rng.randint(1, 3)
    if kind in ("SeparableConv2D", "DepthwiseConv2D") and rng.random() < 0.5:
        layer["depth_multiplier"] = rng.randint(1, 3)
    if kind == "Conv2DTranspose" and rng.random() < 0.5:
        s = strides if isinstance(strides, list) else [strides, strides]
        layer["output_padding"] = ([rng.randint(0, x - 1) for x in s]
                                   if rng.random() < 0.5 else rng.randint(0, min(s) - 1))
    if rng.random() < 0.25:
        layer["use_bias"] = False
    if rng.random() < 0.15:
        layer["trainable"] = False
    if kind in GROUPED and rng.random() < 0.08:
        layer["lora_rank"] = rng.randint(1, 3)
    return layer


def _out_channels(layer: Spec, channels: int) -> int:
    if layer["type"] == "DepthwiseConv2D":
        return channels * int(layer.get("depth_multiplier", 1))
    return int(layer["filters"])


def _inject(rng: random.Random, fault: str, spec: Spec, fmt: str | None) -> None:
    """Break ``spec`` in one way Keras refuses (or, for a few, surprisingly accepts)."""
    layers = spec["layers"]
    first = layers[0]
    rank = RANKS[first["type"]]
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
        first["kernel_size"] = 13 if rank < 3 else 9
    elif fault == "strides_dilation":
        first.update(strides=2, dilation_rate=2)  # refused by Conv and Conv2DTranspose only
    elif fault == "causal":
        first["padding"] = "causal"  # Conv1D only
    elif fault == "padding_word":
        first["padding"] = rng.choice(["full", "Same ", "none"])
    elif fault == "groups_channels" and first["type"] in GROUPED:
        first.update(groups=4, filters=8)
        shape[channel_axis] = rng.choice([2, 3, 5, 6, 7])
    elif fault == "groups_filters" and first["type"] in GROUPED:
        first.update(groups=3, filters=rng.choice([1, 2, 4, 5, 7]))
    elif fault == "output_padding":
        first["output_padding"] = first.get("strides", 1) if rng.random() < 0.7 else -1
    elif fault == "zero_input":
        spatial = range(1, len(shape)) if fmt == "channels_first" else range(len(shape) - 1)
        shape[rng.choice(spatial)] = 0


def conv_case(rng: random.Random) -> Spec:
    """One random model of 1–3 convolution layers of the same rank."""
    kind = rng.choice(list(RANKS))
    rank = RANKS[kind]
    fmt = rng.choice([None, None, "channels_last", "channels_first"])
    channels = rng.randint(1, 8)
    spatial: list[int | None] = [None if rng.random() < 0.1 else
                                 rng.randint(8, 20 if rank < 3 else 10) for _ in range(rank)]
    shape = [channels, *spatial] if fmt == "channels_first" else [*spatial, channels]
    layers = []
    for i in range(rng.choice([1, 1, 2, 3])):
        if i:
            kind = rng.choice([k for k, r in RANKS.items() if r == rank])
        layer = _conv_layer(rng, kind, channels)
        if i and layer.get("padding", "").lower() == "valid":
            layer["padding"] = "same"  # keep the later layers' inputs large enough
        if fmt is not None:
            layer["data_format"] = fmt if rng.random() < 0.9 else fmt.upper()
        layers.append(layer)
        channels = _out_channels(layer, channels)
    spec: Spec = {"input_shape": shape, "batch_size": rng.choice([None, None, 4]),
                  "layers": layers}
    if rng.random() < 0.25:  # some faults do not apply to the layer drawn: ~1 in 6 breaks
        _inject(rng, rng.choice(FAULTS), spec, fmt)
    return spec


RANDOM_CASES = [conv_case(random.Random(seed)) for seed in range(360)]


@pytest.mark.parametrize("spec", RANDOM_CASES, ids=[f"seed{i}" for i in range(360)])
def test_conv_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def _one(shape: list[int | None], **layer: Any) -> Spec:
    return {"input_shape": shape, "layers": [layer]}


SURPRISES = {
    # output_padding=None and output_padding=0 give different sizes (16 vs 15).
    "transpose_output_padding_none": _one([8, 8, 3], type="Conv2DTranspose", filters=2,
                                          kernel_size=3, strides=2, padding="same"),
    "transpose_output_padding_zero": _one([8, 8, 3], type="Conv2DTranspose", filters=2,
                                          kernel_size=3, strides=2, padding="same",
                                          output_padding=0),
    # Even kernel, same padding, output_padding given: (1 − 1)·1 + (2 mod 2) + 0 = 0.
    "transpose_output_zero_size": _one([1, 1, 3], type="Conv2DTranspose", filters=2,
                                       kernel_size=2, padding="same", output_padding=0),
    # ... but a negative size is refused: W = (0 − 1)·2 + (1 mod 2) + 0 = −1.
    "transpose_negative_size": _one([12, 0, 2], type="Conv2DTranspose", filters=5,
                                    kernel_size=[4, 1], strides=2, padding="same",
                                    output_padding=[1, 0]),
    "transpose_zero_input_valid": _one([0, 4, 2], type="Conv2DTranspose", filters=2,
                                       kernel_size=1, strides=3, output_padding=0),
    "transpose_zero_input_none_padding": _one([0, 4, 2], type="Conv2DTranspose", filters=2,
                                              kernel_size=1, strides=3),
    "transpose_valid_stride_over_kernel": _one([8, 8, 3], type="Conv2DTranspose", filters=2,
                                               kernel_size=1, strides=3),
    # SeparableConv2D and DepthwiseConv2D accept strides with dilation; Conv2D refuses.
    "separable_strides_and_dilation": _one([9, 9, 3], type="SeparableConv2D", filters=4,
                                           kernel_size=3, strides=2, dilation_rate=2),
    "depthwise_strides_and_dilation": _one([9, 9, 3], type="DepthwiseConv2D", kernel_size=3,
                                           strides=2, dilation_rate=2),
    "conv2d_strides_and_dilation": _one([9, 9, 3], type="Conv2D", filters=4, kernel_size=3,
                                        strides=2, dilation_rate=2),
    "conv_strides_and_dilation_on_different_axes": _one(
        [9, 9, 3], type="Conv2D", filters=4, kernel_size=3, strides=[2, 1],
        dilation_rate=[1, 2]),
    # Conv's InputSpec says "at least rank + 2", but more axes are refused too.
    "conv2d_rank5_input": _one([4, 8, 8, 3], type="Conv2D", filters=2, kernel_size=3),
    "transpose_rank5_input": _one([4, 8, 8, 3], type="Conv2DTranspose", filters=2,
                                  kernel_size=3),
    "conv_unknown_channels": _one([8, 8, None], type="Conv2D", filters=2, kernel_size=3),
    "depthwise_unknown_channels": _one([8, 8, None], type="DepthwiseConv2D", kernel_size=3),
    "conv_zero_channels": _one([8, 8, 0], type="Conv2D", filters=2, kernel_size=3),
    "conv_zero_length_same": _one([0, 8, 3], type="Conv2D", filters=2, kernel_size=1,
                                  padding="same"),
    "conv_zero_length_valid": _one([0, 8, 3], type="Conv2D", filters=2, kernel_size=1),
    "conv_unknown_length_big_kernel": _one([None, 8, 3], type="Conv2D", filters=2,
                                           kernel_size=[9, 1]),
    "conv_padding_any_case": _one([8, 8, 3], type="Conv2D", filters=2, kernel_size=3,
                                  padding="Same", data_format="Channels_Last"),
    "conv1d_causal_long_kernel": _one([8, 3], type="Conv1D", filters=4, kernel_size=9,
                                      padding="causal"),
    "conv1d_causal_channels_first": _one([3, 8], type="Conv1D", filters=4, kernel_size=3,
                                         padding="causal", data_format="channels_first",
                                         dilation_rate=2),
    "conv2d_causal": _one([8, 8, 3], type="Conv2D", filters=4, kernel_size=3,
                          padding="causal"),
    "transpose_causal": _one([8, 3], type="Conv2DTranspose", filters=4, kernel_size=3,
                             padding="causal"),
    "groups_channels_first": _one([6, 8, 8], type="Conv2D", filters=6, kernel_size=3,
                                  groups=3, data_format="channels_first"),
    "groups_reads_channels_from_data_format": _one([8, 8, 6], type="Conv2D", filters=6,
                                                   kernel_size=3, groups=3,
                                                   data_format="channels_first"),
    "lora_freezes_kernel": _one([8, 8, 3], type="Conv2D", filters=4, kernel_size=3,
                                lora_rank=2),
    "lora_without_bias": _one([8, 8, 3], type="Conv2D", filters=4, kernel_size=3,
                              lora_rank=2, use_bias=False, lora_alpha=4),
    "lora_rank_zero_is_off": _one([8, 3], type="Conv1D", filters=4, kernel_size=3,
                                  lora_rank=0),
    "lora_with_kernel_constraint": _one([8, 8, 3], type="Conv2D", filters=4, kernel_size=3,
                                        lora_rank=2, kernel_constraint="non_neg"),
    "lora_frozen_layer": _one([8, 8, 3], type="Conv2D", filters=4, kernel_size=3,
                              lora_rank=2, trainable=False),
    "conv3d_grouped_same": _one([4, 8, 8, 3], type="Conv3D", filters=6, kernel_size=3,
                                padding="same", groups=3),
    "depthwise_channels_first": _one([3, 8, 8], type="DepthwiseConv2D", kernel_size=3,
                                     depth_multiplier=2, data_format="channels_first"),
    "separable_channels_first": _one([3, 8, 8], type="SeparableConv2D", filters=4,
                                     kernel_size=3, depth_multiplier=2,
                                     data_format="channels_first"),
}


@pytest.mark.parametrize("name", list(SURPRISES))
def test_conv_surprises_match_keras(name: str) -> None:
    assert_matches_keras(SURPRISES[name])


def test_conv_classic_image_stack_matches_keras() -> None:
    ref = assert_matches_keras({"input_shape": [50, 50, 3], "layers": [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"type": "Conv2D", "filters": 16, "kernel_size": 3, "strides": 2, "padding": "same"},
        {"type": "Flatten"},
        {"type": "Dense", "units": 10},
    ]})
    assert ref.rows[0].output_shape == (None, 48, 48, 8)
