"""Pooling layers: hand-checked shapes, explanations and error messages."""

from __future__ import annotations

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers import Layer
from shapewidget.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from shapewidget.shapes import Shape
from shapewidget.text import TEMPLATES


def explain(layer: Layer, shape: Shape) -> str:
    return " ".join(m.render("en") for m in layer.evaluate(shape).notes)


# --- windowed pooling --------------------------------------------------------------------


def test_max_pooling2d_default_halves_and_floors() -> None:
    out = MaxPooling2D().compute((None, 9, 9, 3))
    assert out.output_shape == (None, 4, 4, 3)
    assert out.weights == ()


def test_max_pooling2d_explains_floor_and_default_strides() -> None:
    text = explain(MaxPooling2D(), (None, 9, 9, 3))
    assert "strides=None, so the stride is the pool_size (2, 2)" in text
    assert "⌊(9 − 2) / 2⌋ + 1 = 4 on each spatial axis, the channels (3) are kept → " \
           "(None, 4, 4, 3)" in text


def test_average_pooling1d_strides_none_means_pool_size() -> None:
    assert AveragePooling1D(3).compute((None, 9, 2)).output_shape == (None, 3, 2)


def test_pooling_overlapping_windows_with_stride_one() -> None:
    assert MaxPooling2D(3, strides=1).compute((None, 9, 9, 1)).output_shape == (None, 7, 7, 1)


def test_pooling_same_padding_uses_ceil() -> None:
    layer = MaxPooling1D(2, padding="same")
    assert layer.compute((None, 9, 4)).output_shape == (None, 5, 4)
    assert "⌈9 / 2⌉ = 5 along the steps axis" in explain(layer, (None, 9, 4))


def test_pooling_axes_that_differ_are_shown_per_axis() -> None:
    layer = MaxPooling2D((2, 3), strides=(1, 2))
    assert layer.compute((None, 8, 8, 3)).output_shape == (None, 7, 3, 3)
    assert "H: (8 − 2) / 1 + 1 = 7, W: ⌊(8 − 3) / 2⌋ + 1 = 3" in explain(layer, (None, 8, 8, 3))


def test_pooling_channels_first_pools_the_last_axes() -> None:
    layer = AveragePooling3D(2, data_format="channels_first")
    assert layer.compute((None, 2, 6, 6, 6)).output_shape == (None, 2, 3, 3, 3)
    assert "C×D×H×W" in explain(layer, (None, 2, 6, 6, 6))


def test_pooling_keeps_unknown_channels() -> None:
    assert MaxPooling2D().compute((None, 8, 8, None)).output_shape == (None, 4, 4, None)


def test_max_pooling3d_default_window() -> None:
    assert MaxPooling3D().compute((2, 4, 6, 8, 1)).output_shape == (2, 2, 3, 4, 1)


def test_pooling_positional_arguments_follow_keras_order() -> None:
    layer = MaxPooling2D(3, 1, "same", "channels_first")
    assert (layer.pool_size, layer.strides, layer.padding, layer.data_format) == (
        3, 1, "same", "channels_first")


def test_pooling_data_format_ignores_case() -> None:
    assert MaxPooling2D(data_format="CHANNELS_FIRST").data_format == "channels_first"


# --- global pooling ----------------------------------------------------------------------


def test_global_average_pooling2d_one_value_per_channel() -> None:
    layer = GlobalAveragePooling2D()
    assert layer.compute((None, 8, 8, 3)).output_shape == (None, 3)
    assert "(8·8 = 64 values)" in explain(layer, (None, 8, 8, 3))


def test_global_pooling_keepdims_channels_first() -> None:
    layer = GlobalAveragePooling2D(data_format="channels_first", keepdims=True)
    assert layer.compute((None, 3, 8, 8)).output_shape == (None, 3, 1, 1)
    assert "keeps rank 4" in explain(layer, (None, 3, 8, 8))


def test_global_max_pooling1d_keepdims() -> None:
    assert GlobalMaxPooling1D(keepdims=True).compute((None, 7, 5)).output_shape == (None, 1, 5)


def test_global_pooling_unknown_sizes_pass_through() -> None:
    assert GlobalMaxPooling3D().compute((None, None, 4, 4, None)).output_shape == (None, None)


# --- rejections --------------------------------------------------------------------------


def test_average_pooling_requires_pool_size() -> None:
    with pytest.raises(ShapeError) as info:
        AveragePooling2D()
    assert info.value.argument == "pool_size"
    assert "this argument is required" in str(info.value)


def test_pooling_window_larger_than_input_names_pool_size() -> None:
    with pytest.raises(ShapeError) as info:
        AveragePooling2D(3).compute((None, 2, 8, 3))
    assert info.value.argument == "pool_size"
    message = str(info.value)
    assert "Computed output size would be zero or negative" in message
    assert "the input has 2 positions but the window spans 3" in message
    assert "Received the input (None, 2, 8, 3) and pool_size=3" in message
    assert 'padding="same"' in message


def test_pooling_padding_is_case_sensitive() -> None:
    with pytest.raises(ShapeError) as info:
        MaxPooling2D(padding="SAME")
    assert info.value.argument == "padding"
    assert "received 'SAME' (str)" in str(info.value)
    assert 'did you mean "same"' in str(info.value)


def test_pooling_zero_strides_refused() -> None:
    with pytest.raises(ShapeError) as info:
        MaxPooling2D(strides=(0, 1))
    assert info.value.argument == "strides"


def test_pooling_rank_too_high_suggests_the_2d_layer() -> None:
    model = Model([MaxPooling1D()], input_shape=(8, 8, 3))
    error = model.analyze().error
    assert error is not None and error.layer_index == 0
    assert "expected an input of rank 3 (batch, steps, channels), received " \
           "(None, 8, 8, 3) of rank 4" in str(error)
    assert "use MaxPooling2D" in str(error)


def test_global_pooling_rank_too_low_suggests_a_channels_axis() -> None:
    with pytest.raises(ShapeError, match=r"input_shape=\(8, 8, 1\)"):
        GlobalAveragePooling2D().compute((None, 8, 8))


def test_pooling_messages_have_japanese_translations() -> None:
    keys = [k for k in TEMPLATES if k.startswith(("pool.", "global."))]
    assert len(keys) >= 7
    assert [k for k in keys if TEMPLATES[k]["ja"] == TEMPLATES[k]["en"]] == []
