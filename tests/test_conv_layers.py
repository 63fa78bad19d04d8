"""Convolution layers: hand-checked shapes, weights, explanations and error messages."""

from __future__ import annotations

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers import Layer
from shapewidget.layers.conv import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    DepthwiseConv2D,
    SeparableConv2D,
)
from shapewidget.shapes import (
    Shape,
    conv_length_expression,
    deconv_length_expression,
    deconv_output_length,
    span_expression,
)
from shapewidget.text import TEMPLATES


def weights(layer: Layer, shape: Shape) -> list[tuple[str, tuple[int, ...], bool]]:
    return [(w.name, w.shape, w.trainable) for w in layer.evaluate(shape).weights]


def explain(layer: Layer, shape: Shape) -> str:
    return " ".join(m.render("en") for m in layer.evaluate(shape).notes)


# --- shapes and weights ----------------------------------------------------------------


def test_conv2d_valid_shape_and_weights() -> None:
    out = Conv2D(8, 3).compute((None, 50, 50, 3))
    assert out.output_shape == (None, 48, 48, 8)
    assert [(w.name, w.shape) for w in out.weights] == [("kernel", (3, 3, 3, 8)),
                                                         ("bias", (8,))]
    assert sum(w.size for w in out.weights) == 224


def test_conv2d_explanation_shows_axis_arithmetic() -> None:
    text = explain(Conv2D(8, 3), (None, 50, 50, 3))
    assert "(50 − 3) / 1 + 1 = 48 on each spatial axis, 8 filters → (None, 48, 48, 8)" in text


def test_conv2d_explanation_shows_weight_arithmetic() -> None:
    text = explain(Conv2D(8, 3), (None, 50, 50, 3))
    assert "kernel (3, 3, 3, 8): 3·3·3·8 = 216 + bias (8,): 8 → 224 parameters" in text


def test_conv2d_inexact_stride_uses_floor() -> None:
    layer = Conv2D(8, 3, strides=2)
    assert layer.compute((None, 50, 50, 3)).output_shape == (None, 24, 24, 8)
    assert "⌊(50 − 3) / 2⌋ + 1 = 24" in explain(layer, (None, 50, 50, 3))


def test_conv2d_same_padding_uses_ceil() -> None:
    layer = Conv2D(4, 5, strides=3, padding="same")
    assert layer.compute((None, 50, 50, 3)).output_shape == (None, 17, 17, 4)
    assert "⌈50 / 3⌉ = 17" in explain(layer, (None, 50, 50, 3))


def test_conv2d_axes_that_differ_are_shown_per_axis() -> None:
    text = explain(Conv2D(8, 3), (None, 50, 40, 3))
    assert "H: (50 − 3) / 1 + 1 = 48, W: (40 − 3) / 1 + 1 = 38, 8 filters" in text


def test_conv2d_channels_first_puts_channels_second() -> None:
    layer = Conv2D(8, 3, data_format="channels_first")
    assert layer.compute((None, 3, 50, 40)).output_shape == (None, 8, 48, 38)
    assert weights(layer, (None, 3, 50, 40))[0] == ("kernel", (3, 3, 3, 8), True)


def test_conv2d_channels_first_explains_the_order() -> None:
    text = explain(Conv2D(8, 3, data_format="channels_first"), (None, 3, 50, 40))
    assert "the order is C×H×W" in text


def test_conv2d_dilation_explains_the_span() -> None:
    layer = Conv2D(2, 3, dilation_rate=2)
    assert layer.compute((None, 10, 10, 1)).output_shape == (None, 6, 6, 2)
    text = explain(layer, (None, 10, 10, 1))
    assert "2·(3 − 1) + 1 = 5" in text
    assert "(10 − 5) / 1 + 1 = 6" in text


def test_conv2d_unknown_axis_stays_unknown() -> None:
    layer = Conv2D(2, 3)
    assert layer.compute((None, None, 10, 1)).output_shape == (None, None, 8, 2)
    assert "stays unknown" in explain(layer, (None, None, 10, 1))


def test_conv1d_causal_keeps_the_length() -> None:
    layer = Conv1D(4, 3, padding="causal", dilation_rate=2)
    assert layer.compute((None, 10, 6)).output_shape == (None, 10, 4)
    assert "4 zeros are added at the start" in explain(layer, (None, 10, 6))


def test_conv1d_explains_the_steps_axis() -> None:
    text = explain(Conv1D(4, 3), (None, 10, 6))
    assert "(10 − 3) / 1 + 1 = 8 along the steps axis, 4 filters → (None, 8, 4)" in text


def test_conv3d_kernel_has_three_spatial_axes() -> None:
    out = Conv3D(4, 3).compute((2, 8, 8, 8, 2))
    assert out.output_shape == (2, 6, 6, 6, 4)
    assert out.weights[0].shape == (3, 3, 3, 2, 4)
    assert sum(w.size for w in out.weights) == 220


def test_conv_groups_split_the_kernel_input_axis() -> None:
    layer = Conv2D(6, 3, groups=3)
    assert weights(layer, (None, 8, 8, 6))[0] == ("kernel", (3, 3, 2, 6), True)
    assert "split into 3 groups of 2" in explain(layer, (None, 8, 8, 6))


def test_conv_lora_freezes_kernel_and_adds_two_matrices() -> None:
    assert weights(Conv2D(4, 3, lora_rank=2), (None, 8, 8, 3)) == [
        ("kernel", (3, 3, 3, 4), False), ("bias", (4,), True),
        ("lora_kernel_a", (3, 3, 3, 2), True), ("lora_kernel_b", (2, 4), True)]


def test_conv_trainable_false_freezes_every_weight() -> None:
    assert [w[2] for w in weights(Conv2D(4, 3, trainable=False), (None, 8, 8, 3))] == [
        False, False]


def test_conv_without_bias_has_only_a_kernel() -> None:
    assert weights(Conv1D(4, 3, use_bias=False), (None, 8, 2)) == [
        ("kernel", (3, 2, 4), True)]


def test_conv2d_transpose_output_padding_none_differs_from_zero() -> None:
    none = Conv2DTranspose(2, 3, strides=2, padding="same")
    zero = Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=0)
    assert none.compute((None, 8, 8, 3)).output_shape == (None, 16, 16, 2)
    assert zero.compute((None, 8, 8, 3)).output_shape == (None, 15, 15, 2)


def test_conv2d_transpose_valid_uses_max_of_kernel_and_stride() -> None:
    layer = Conv2DTranspose(2, 1, strides=3)
    assert layer.compute((None, 8, 8, 3)).output_shape == (None, 24, 24, 2)
    assert "(8 − 1) × 3 + max(1, 3) = 24" in explain(layer, (None, 8, 8, 3))


def test_conv2d_transpose_kernel_puts_filters_before_channels() -> None:
    assert weights(Conv2DTranspose(2, 3), (None, 8, 8, 5))[0] == ("kernel", (3, 3, 2, 5),
                                                                    True)


def test_conv2d_transpose_may_output_size_zero() -> None:
    layer = Conv2DTranspose(2, 2, padding="same", output_padding=0)
    assert layer.compute((None, 1, 1, 3)).output_shape == (None, 0, 0, 2)


def test_conv2d_transpose_refuses_a_negative_size() -> None:
    layer = Conv2DTranspose(5, (4, 1), strides=2, padding="same", output_padding=(1, 0))
    with pytest.raises(ShapeError) as info:
        layer.compute((None, 12, 0, 2))
    assert "Negative dimensions are not allowed: on axis 2 the input has 0 positions, so " \
           "(0 − 1) × 2 + (1 mod 2) + 0 = -1" in str(info.value)


def test_separable_conv2d_weights_in_keras_order() -> None:
    assert weights(SeparableConv2D(5, 3), (None, 8, 8, 3)) == [
        ("depthwise_kernel", (3, 3, 3, 1), True), ("pointwise_kernel", (1, 1, 3, 5), True),
        ("bias", (5,), True)]


def test_separable_conv2d_depth_multiplier_widens_pointwise_input() -> None:
    out = SeparableConv2D(4, 3, depth_multiplier=2).compute((None, 8, 8, 3))
    assert out.weights[1].shape == (1, 1, 6, 4)
    assert sum(w.size for w in out.weights) == 3 * 3 * 3 * 2 + 6 * 4 + 4


def test_separable_conv2d_accepts_strides_with_dilation() -> None:
    layer = SeparableConv2D(4, 3, strides=2, dilation_rate=2)
    assert layer.compute((None, 9, 9, 3)).output_shape == (None, 3, 3, 4)


def test_depthwise_conv2d_multiplies_channels() -> None:
    layer = DepthwiseConv2D(3, depth_multiplier=2)
    assert layer.compute((None, 8, 8, 3)).output_shape == (None, 6, 6, 6)
    assert weights(layer, (None, 8, 8, 3)) == [("kernel", (3, 3, 3, 2), True),
                                                ("bias", (6,), True)]


def test_depthwise_conv2d_explains_channel_product() -> None:
    text = explain(DepthwiseConv2D(3, depth_multiplier=2), (None, 8, 8, 3))
    assert "3 channels × depth_multiplier 2 = 6 channels → (None, 6, 6, 6)" in text


# --- arguments -------------------------------------------------------------------------


def test_conv_positional_arguments_follow_keras_order() -> None:
    layer = Conv2D(8, 3, 2, "same", "channels_first", 1, 2)
    assert (layer.strides, layer.padding, layer.data_format, layer.groups) == (
        2, "same", "channels_first", 2)


def test_depthwise_positional_arguments_follow_keras_order() -> None:
    layer = DepthwiseConv2D(3, 1, "valid", 2)
    assert layer.depth_multiplier == 2


def test_conv_padding_and_data_format_ignore_case() -> None:
    layer = Conv2D(2, 3, padding="Same", data_format="Channels_Last")
    assert (layer.padding, layer.data_format) == ("same", "channels_last")


def test_conv_spec_round_trip_keeps_carried_arguments() -> None:
    model = Model([Conv2D(4, (3, 1), kernel_initializer="he_normal",
                          kernel_regularizer={"class_name": "L2"})], input_shape=(8, 8, 3))
    assert Model.from_spec(model.to_spec()) == model


# --- rejections --------------------------------------------------------------------------


def test_conv2d_kernel_larger_than_input_names_kernel_size() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(8, 3).compute((None, 2, 8, 3))
    assert info.value.argument == "kernel_size"
    message = str(info.value)
    assert "Computed output size would be zero or negative" in message
    assert "the input has 2 positions but the kernel spans 3" in message
    assert "(None, 2, 8, 3)" in message
    assert 'padding="same"' in message


def test_conv2d_rank3_input_suggests_a_channels_axis() -> None:
    model = Model([Conv2D(8, 3)], input_shape=(28, 28))
    error = model.analyze().error
    assert error is not None and error.layer_index == 0
    assert "expected an input of rank 4 (batch, H, W, channels), received (None, 28, 28) " \
           "of rank 3" in str(error)
    assert "input_shape=(28, 28, 1)" in str(error)


def test_conv2d_rank5_input_suggests_conv3d() -> None:
    with pytest.raises(ShapeError, match="use Conv3D"):
        Conv2D(8, 3).compute((None, 4, 8, 8, 3))


def test_conv_unknown_channels_are_refused() -> None:
    with pytest.raises(ShapeError, match=r"channels axis \(axis 3\) of the input "
                                         r"\(None, 8, 8, None\) has an unknown size"):
        Conv2D(8, 3).compute((None, 8, 8, None))


def test_conv_groups_must_divide_input_channels() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(8, 3, groups=4).compute((None, 8, 8, 6))
    assert info.value.argument == "groups"
    assert "groups=4 must evenly divide the number of input channels, but the input " \
           "(None, 8, 8, 6) has 6 channels" in str(info.value)


def test_conv_groups_must_divide_filters_at_construction() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(8, 3, groups=3)
    assert info.value.argument == "groups"
    assert "filters=8 must be divisible by groups=3" in str(info.value)
    assert "e.g. 9" in str(info.value)


def test_conv2d_refuses_causal_padding_pointing_to_conv1d() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(8, 3, padding="causal")
    assert info.value.argument == "padding"
    assert "expected one of 'valid', 'same', received 'causal' (str)" in str(info.value)
    assert "only for Conv1D" in str(info.value)


def test_conv_refuses_strides_with_dilation() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(8, 3, strides=(2, 1), dilation_rate=(1, 2))
    assert info.value.argument == "strides"
    assert "received strides=(2, 1) and dilation_rate=(1, 2)" in str(info.value)


def test_conv2d_transpose_output_padding_must_be_below_strides() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2DTranspose(2, 3, strides=2, output_padding=(1, 2))
    assert info.value.argument == "output_padding"
    assert "received output_padding=(1, 2) and strides=(2, 2)" in str(info.value)


def test_conv_lora_refuses_a_kernel_constraint() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(4, 3, lora_rank=2, kernel_constraint="non_neg")
    assert info.value.argument == "lora_rank"


def test_conv_kernel_size_wrong_length_names_expected() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(4, (3, 3, 3))
    assert info.value.argument == "kernel_size"
    assert "an integer >= 1 or a tuple of 2 such integers" in str(info.value)


def test_conv_messages_have_japanese_translations() -> None:
    prefixes = ("spatial.", "conv.", "convt.", "separable.", "depthwise.")
    keys = [k for k in TEMPLATES if k.startswith(prefixes)]
    assert len(keys) > 30
    assert [k for k in keys if TEMPLATES[k]["ja"] == TEMPLATES[k]["en"]] == []


def test_conv_error_renders_in_japanese() -> None:
    with pytest.raises(ShapeError) as info:
        Conv2D(8, 3).compute((None, 2, 8, 3))
    assert "出力サイズが 0 以下になります" in info.value.message("ja")


# --- shape maths -------------------------------------------------------------------------


def test_conv_length_expression_exact_valid() -> None:
    assert conv_length_expression(50, 3, 1, "valid") == "(50 − 3) / 1 + 1 = 48"


def test_conv_length_expression_dilated_uses_span() -> None:
    assert conv_length_expression(10, 3, 1, "valid", 2) == "(10 − 5) / 1 + 1 = 6"


def test_conv_length_expression_unknown() -> None:
    assert conv_length_expression(None, 3, 1, "valid") == "None"


def test_span_expression() -> None:
    assert span_expression(3, 2) == "2·(3 − 1) + 1 = 5"


def test_deconv_output_length_matches_keras_formulas() -> None:
    # Keras: valid + None → (n − 1)·s + max(k, s); same + None → n·s;
    # valid + p → (n − 1)·s + k + p; same + p → (n − 1)·s + k % 2 + p (k dilated).
    assert deconv_output_length(8, 3, 2, "valid") == 7 * 2 + 3
    assert deconv_output_length(8, 1, 3, "valid") == 7 * 3 + 3
    assert deconv_output_length(8, 3, 2, "same") == 16
    assert deconv_output_length(8, 3, 2, "valid", 1) == 7 * 2 + 3 + 1
    assert deconv_output_length(8, 4, 2, "same", 0) == 7 * 2 + 0 + 0
    assert deconv_output_length(8, 3, 1, "same", 0, dilation=2) == 7 + 1


def test_deconv_length_expression_same_with_output_padding() -> None:
    assert deconv_length_expression(8, 3, 2, "same", 1) == "(8 − 1) × 2 + (3 mod 2) + 1 = 16"
