"""Layers whose notes are worked out when read (conv, pooling, BatchNormalization, Dense,
Flatten): the shapes and weights computed without the notes are the ones the notes
explain, the texts are those of the layer itself, and nothing keeps a layer alive."""

from __future__ import annotations

import gc
import itertools
import weakref
from typing import Any

import pytest

from shapewidget import Model
from shapewidget.errors import ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.conv import ConvBase, SpatialLayer
from shapewidget.text import LazyNotes

Conv2D = LAYER_TYPES["Conv2D"]

CONVS: list[tuple[str, dict[str, Any], tuple[int | None, ...]]] = [
    ("Conv2D", {"filters": 8, "kernel_size": 3}, (None, 9, 9, 3)),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "use_bias": False}, (None, 9, 9, 3)),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 2}, (None, 9, 9, 4)),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "lora_rank": 2}, (None, 9, 9, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 2, "padding": "causal"}, (None, 10, 3)),
    ("Conv3D", {"filters": 4, "kernel_size": 2}, (None, 5, 5, 5, 2)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2}, (None, 8, 8, 3)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (None, 8, 8, 3)),
]


@pytest.mark.parametrize(("kind", "args", "shape"), CONVS)
def test_layers_lazy_notes_conv_weights_are_make_weights(
        kind: str, args: dict[str, Any], shape: tuple[int | None, ...]) -> None:
    layer = LAYER_TYPES[kind](**args)
    assert isinstance(layer, ConvBase)
    channels = shape[-1]
    assert channels is not None
    out = layer.evaluate(shape)
    assert list(out.weights) == list(layer.weight_list(channels)) == layer.make_weights(channels)[0]
    assert isinstance(out.notes, LazyNotes)
    assert out.notes[-1].render().endswith("parameters.")


def _lengths(layer: SpatialLayer, shape: tuple[int | None, ...]) -> Any:
    try:
        return layer.output_lengths(shape, shape[1:-1])
    except ShapeError as err:
        return err.message()


def _lengths_with_arithmetic(layer: SpatialLayer, shape: tuple[int | None, ...]) -> Any:
    try:
        return layer.lengths(shape, shape[1:-1])[0]
    except ShapeError as err:
        return err.message()


@pytest.mark.parametrize("kind", ["Conv2D", "MaxPooling2D", "AveragePooling2D"])
def test_layers_lazy_notes_lengths_without_arithmetic_are_the_same(kind: str) -> None:
    checked = 0
    for size, kernel, stride, padding, dilation in itertools.product(
            (None, 0, 1, 2, 5, 7, 16), (1, 2, 3, 5), (1, 2, 3), ("valid", "same"), (1, 2)):
        if kind == "Conv2D":
            if stride > 1 and dilation > 1:
                continue  # Keras refuses both
            layer = Conv2D(2, kernel, strides=stride, padding=padding, dilation_rate=dilation)
        elif dilation > 1:
            continue
        else:
            layer = LAYER_TYPES[kind](kernel, strides=stride, padding=padding)
        assert isinstance(layer, SpatialLayer)
        shape = (None, size, 7, 3)
        assert _lengths(layer, shape) == _lengths_with_arithmetic(layer, shape)
        checked += 1
    assert checked >= 168


@pytest.mark.parametrize(("kind", "args", "shape"), [
    *CONVS,
    ("MaxPooling2D", {"pool_size": 2}, (None, 9, 9, 3)),
    ("AveragePooling1D", {"pool_size": 2, "strides": 1, "padding": "same"}, (None, 9, 3)),
    ("GlobalAveragePooling2D", {"keepdims": True}, (None, 4, None, 3)),
    ("BatchNormalization", {"axis": 1}, (None, 4, 5)),
    ("BatchNormalization", {"center": False, "renorm": True}, (None, 4, 5)),
    ("Dense", {"units": 3}, (None, 4, 5)),
    ("Dense", {"units": 3, "use_bias": False}, (None, 5)),
    ("Flatten", {}, (None, 4, None)),
    ("Flatten", {}, (None, 4, 5)),
])
def test_layers_lazy_notes_read_like_the_layers_own_notes(
        kind: str, args: dict[str, Any], shape: tuple[int | None, ...]) -> None:
    """The notes of a result read after the layer is gone are the notes of an equal
    layer's result, in both languages, and a frozen layer adds its note."""
    out = LAYER_TYPES[kind](**args).evaluate(shape)
    gc.collect()
    again = LAYER_TYPES[kind](**args).evaluate(shape)
    texts = [[m.render(lang) for m in out.notes] for lang in ("en", "ja")]
    assert texts == [[m.render(lang) for m in again.notes] for lang in ("en", "ja")]
    assert texts[0] and all(texts[0]) and texts[0] != texts[1]
    assert out == again
    frozen = LAYER_TYPES[kind](**args, trainable=False).evaluate(shape)
    if out.weights:
        assert list(frozen.notes) == [*out.notes, frozen.notes[-1]]
        assert frozen.notes[-1].key == "layer.frozen"
    else:
        assert frozen.notes == out.notes


def test_layers_lazy_notes_keep_no_reference_cycle() -> None:
    """A layer is freed as soon as it is dropped, its notes unread (no cycle through its
    remembered results for the garbage collector to find)."""
    gc.disable()
    try:
        layer = Conv2D(8, 3)
        out = layer.evaluate((None, 9, 9, 3))
        gone = weakref.ref(layer)
        del layer
        assert gone() is None
        assert out.notes[0].render().startswith("padding=\"valid\"")
    finally:
        gc.enable()


def test_layers_lazy_notes_rows_compare_by_what_they_show() -> None:
    spec = {"input_shape": [16, 16, 3], "layers": [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"type": "BatchNormalization"}, {"type": "MaxPooling2D"},
        {"type": "Flatten"}, {"type": "Dense", "units": 10}]}
    first, second = Model.from_spec(spec).summary(), Model.from_spec(spec).summary()
    assert first.rows[0].explanation  # one row read, the other not
    assert first.rows == second.rows
    spec["input_shape"] = [16, 18, 3]
    third = Model.from_spec(spec).summary()
    assert not any(a == b or a.notes == b.notes
                   for a, b in zip(first.rows, third.rows, strict=True))
