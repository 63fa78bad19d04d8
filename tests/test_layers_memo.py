"""A layer remembers what it computed for an input shape (layers are immutable), and the
faster note building gives the same text as before."""

from __future__ import annotations

import itertools

import pytest

from shapewidget import Model
from shapewidget.errors import ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.base import MEMO_SHAPES
from shapewidget.shapes import conv_length, conv_length_expression, conv_output_length
from shapewidget.summary import Summary

Conv2D = LAYER_TYPES["Conv2D"]
Dense = LAYER_TYPES["Dense"]


def test_layers_memo_same_shape_gives_the_remembered_result() -> None:
    layer = Conv2D(8, 3)
    first = layer.evaluate((None, 50, 50, 3))
    assert layer.evaluate((None, 50, 50, 3)) is first
    assert layer.evaluate_uncached((None, 50, 50, 3)) == first
    other = layer.evaluate((None, 20, 20, 3))
    assert other.output_shape == (None, 18, 18, 8)
    assert layer.evaluate((None, 50, 50, 3)) is first


def test_layers_memo_a_list_shape_is_taken_as_a_tuple() -> None:
    layer = Dense(4)
    assert layer.evaluate([None, 3]) is layer.evaluate((None, 3))  # type: ignore[arg-type]
    assert layer.evaluate([None, 3]).notes[0].render() == (  # type: ignore[arg-type]
        "Dense acts on the last axis: each of the 4 units sees all 3 input values of that "
        "axis, so the last axis 3 becomes 4 → (None, 4).")


def test_layers_memo_keeps_a_few_shapes() -> None:
    layer = Dense(4)
    for n in range(1, 3 * MEMO_SHAPES):
        assert layer.evaluate((None, n)).weights[0].shape == (n, 4)
    assert len(layer._memo) <= MEMO_SHAPES


def test_layers_memo_errors_are_not_remembered() -> None:
    layer = Conv2D(8, 5)
    for _ in range(2):
        with pytest.raises(ShapeError, match="zero or negative"):
            layer.evaluate((None, 4, 4, 3))
    assert layer._memo == {}


def test_layers_memo_an_edit_is_a_new_layer_with_nothing_remembered() -> None:
    layer = Conv2D(8, 3)
    layer.evaluate((None, 50, 50, 3))
    edited = layer.with_args(filters=16)
    assert edited._memo == {}
    assert edited.evaluate((None, 50, 50, 3)).output_shape == (None, 48, 48, 16)
    assert layer.evaluate((None, 50, 50, 3)).output_shape == (None, 48, 48, 8)


def test_layers_memo_frozen_layer_remembers_its_frozen_weights() -> None:
    layer = Dense(4, trainable=False)
    for _ in range(2):
        out = layer.evaluate((None, 3))
        assert [w.trainable for w in out.weights] == [False, False]
        assert out.notes[-1].key == "layer.frozen"


def test_layers_memo_summary_after_an_edit_matches_a_fresh_model() -> None:
    spec = {"input_shape": [32, 32, 3], "layers": [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same"},
        {"type": "BatchNormalization"}, {"type": "Activation", "activation": "relu"},
        {"type": "Conv2D", "filters": 16, "kernel_size": 3},
        {"type": "MaxPooling2D"}, {"type": "Flatten"}, {"type": "Dense", "units": 10}]}
    model = Model.from_spec(spec)
    model.analyze()
    for filters in (4, 12, 8):
        model.replace(0, model.layers[0].with_args(filters=filters))
        spec["layers"][0]["filters"] = filters
        assert _text(model.analyze()) == _text(Model.from_spec(spec).analyze())


def _text(summary: Summary) -> list[str]:
    return [summary.to_text("en"), summary.to_text("ja"),
            *(r.explain(lang) for r in summary for lang in ("en", "ja"))]


def test_layers_memo_conv_length_matches_its_two_halves() -> None:
    for length, kernel, stride, padding, dilation in itertools.product(
            (None, 1, 5, 8, 50), (1, 2, 3), (1, 2, 3), ("valid", "same", "causal"), (1, 2)):
        assert conv_length(length, kernel, stride, padding, dilation) == (
            conv_output_length(length, kernel, stride, padding, dilation),
            conv_length_expression(length, kernel, stride, padding, dilation))
