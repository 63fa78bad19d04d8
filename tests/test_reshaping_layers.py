"""Reshaping layers: hand-checked shapes, explanations and error messages."""

from __future__ import annotations

from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers.reshaping import (
    Cropping1D,
    Cropping2D,
    Permute,
    RepeatVector,
    Reshape,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from shapewidget.params import PairsParam
from shapewidget.shapes import resolve_reshape, spatial_axes


def analyze(shape: tuple[int | None, ...], *layers: dict[str, Any],
            batch: int | None = None) -> Any:
    return Model(list(layers), input_shape=shape, batch_size=batch).analyze()


def out(shape: tuple[int | None, ...], layer: dict[str, Any]) -> Any:
    summary = analyze(shape, layer)
    assert summary.error is None, str(summary.error)
    return summary.rows[0].output_shape


def error(shape: tuple[int | None, ...], layer: dict[str, Any]) -> ShapeError:
    summary = analyze(shape, layer)
    assert summary.error is not None
    return summary.error


# --- shape maths ------------------------------------------------------------------------

def test_resolve_reshape_infers_minus_one() -> None:
    assert resolve_reshape((2, 3, 4), (-1, 4)) == (6, 4)


def test_resolve_reshape_keeps_a_matching_target() -> None:
    assert resolve_reshape((2, 3, 4), (12, 2)) == (12, 2)


def test_resolve_reshape_refuses_a_different_count() -> None:
    assert resolve_reshape((2, 3, 4), (5, 7)) is None


def test_resolve_reshape_refuses_a_non_dividing_minus_one() -> None:
    assert resolve_reshape((2, 3, 4), (-1, 5)) is None


def test_resolve_reshape_skips_the_check_when_a_size_is_unknown() -> None:
    assert resolve_reshape((None, 3), (5, -1)) == (5, None)


def test_spatial_axes_channels_first_skips_the_channel_axis() -> None:
    assert spatial_axes(4, channels_first=True) == (2, 3)
    assert spatial_axes(3) == (1,)


# --- Reshape ----------------------------------------------------------------------------

def test_reshape_minus_one_explains_the_division() -> None:
    summary = analyze((2, 3, 4), {"type": "Reshape", "target_shape": [-1, 4]})
    row = summary.rows[0]
    assert row.output_shape == (None, 6, 4)
    assert "2·3·4 = 24 values per sample → (None, 6, 4): the -1 becomes 24 / 4 = 6" in \
        row.explain()


def test_reshape_full_target_explains_the_same_count() -> None:
    row = analyze((2, 3, 4), {"type": "Reshape", "target_shape": [12, 2]}).rows[0]
    assert "12·2 = 24, the same number of values" in row.explain()


def test_reshape_different_count_says_both_counts_and_suggests_minus_one() -> None:
    err = error((2, 3, 4), {"type": "Reshape", "target_shape": [5, 7]})
    assert err.layer_index == 0 and err.argument == "target_shape"
    text = str(err)
    assert "holds 5·7 = 35 values" in text and "holds 2·3·4 = 24 values" in text
    assert "write -1 for one size" in text and "e.g. (-1, 7)" not in text


def test_reshape_suggestion_is_a_target_that_works() -> None:
    err = error((2, 3, 4), {"type": "Reshape", "target_shape": [5, 4]})
    assert "e.g. (-1, 4)" in str(err)


def test_reshape_suggestion_falls_back_to_flattening() -> None:
    err = error((2, 3, 4), {"type": "Reshape", "target_shape": [5, 7]})
    assert "e.g. (-1,)" in str(err)


def test_reshape_non_dividing_minus_one_is_rejected() -> None:
    err = error((2, 3, 4), {"type": "Reshape", "target_shape": [-1, 5]})
    assert "multiply to 5, which does not divide the 2·3·4 = 24 values" in str(err)


def test_reshape_unknown_size_is_not_checked() -> None:
    summary = analyze((None, 3, 4), {"type": "Reshape", "target_shape": [5, 7]})
    assert summary.error is None
    assert summary.rows[0].output_shape == (None, 5, 7)
    assert "does not check" in summary.rows[0].explain()


def test_reshape_none_in_target_stays_unknown() -> None:
    row = analyze((2, 3, 4), {"type": "Reshape", "target_shape": [None, 4]}).rows[0]
    assert row.output_shape == (None, None, 4)
    assert "target_shape (None, 4) has an unknown size (None)" in row.explain()


def test_reshape_int_target_suggests_a_tuple() -> None:
    with pytest.raises(ShapeError) as info:
        Reshape(24)
    assert info.value.argument == "target_shape"
    assert "write (24,) with a comma" in str(info.value)


def test_reshape_two_minus_ones_are_rejected() -> None:
    with pytest.raises(ShapeError, match="at most one size may be -1"):
        Reshape((-1, -1))


def test_reshape_minus_two_is_rejected() -> None:
    with pytest.raises(ShapeError, match="received \\(-2, 12\\)"):
        Reshape((-2, 12))


def test_reshape_error_in_japanese() -> None:
    err = error((2, 3, 4), {"type": "Reshape", "target_shape": [5, 7]})
    assert "値の数を変えられません" in err.message("ja")


# --- Permute and RepeatVector -----------------------------------------------------------

def test_permute_swaps_axes() -> None:
    assert out((2, 3, 4), {"type": "Permute", "dims": [2, 1, 3]}) == (None, 3, 2, 4)


def test_permute_explains_where_each_axis_comes_from() -> None:
    row = analyze((10, 64), {"type": "Permute", "dims": [2, 1]}).rows[0]
    assert "1 ← 2 (64), 2 ← 1 (10) → (None, 64, 10)" in row.explain()


def test_permute_zero_based_dims_are_rejected_with_an_example() -> None:
    with pytest.raises(ShapeError) as info:
        Permute((0, 1))
    assert info.value.argument == "dims"
    assert "each axis 1 … 2 exactly once" in str(info.value)
    assert "e.g. (2, 1)" in str(info.value)


def test_permute_repeated_axis_is_rejected() -> None:
    with pytest.raises(ShapeError, match="exactly once"):
        Permute((1, 1))


def test_permute_wrong_rank_is_rejected() -> None:
    err = error((2, 3, 4), {"type": "Permute", "dims": [2, 1]})
    assert "expected an input of rank 3" in str(err) and "of rank 4" in str(err)


def test_permute_empty_dims_on_batch_only_input() -> None:
    assert out((), {"type": "Permute", "dims": []}) == (None,)


def test_repeat_vector_adds_the_repeat_axis() -> None:
    row = analyze((32,), {"type": "RepeatVector", "n": 3}).rows[0]
    assert row.output_shape == (None, 3, 32)
    assert "32 values are repeated 3 times" in row.explain()


def test_repeat_vector_needs_rank_two() -> None:
    err = error((2, 3), {"type": "RepeatVector", "n": 3})
    assert "expected an input of rank 2 (batch, features)" in str(err)


def test_repeat_vector_zero_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        RepeatVector(0)
    assert info.value.argument == "n"


# --- ZeroPadding ------------------------------------------------------------------------

def test_zero_padding2d_explains_each_axis() -> None:
    row = analyze((50, 50, 3), {"type": "ZeroPadding2D"}).rows[0]
    assert row.output_shape == (None, 52, 52, 3)
    assert "50 + 1 + 1 = 52" in row.explain()
    assert row.weights == ()


def test_zero_padding2d_nested_pairs() -> None:
    assert out((50, 50, 3), {"type": "ZeroPadding2D", "padding": [[1, 2], 3]}) == \
        (None, 53, 56, 3)


def test_zero_padding2d_channels_first_pads_the_last_two_axes() -> None:
    assert out((3, 50, 40), {"type": "ZeroPadding2D", "padding": [1, 2],
                             "data_format": "channels_first"}) == (None, 3, 52, 44)


def test_zero_padding2d_negative_int_crops_as_keras_does() -> None:
    row = analyze((5, 5, 3), {"type": "ZeroPadding2D", "padding": -2}).rows[0]
    assert row.output_shape == (None, 1, 1, 3)
    assert "5 − 2 − 2 = 1" in row.explain()


def test_zero_padding2d_negative_size_is_rejected() -> None:
    err = error((5, 5, 3), {"type": "ZeroPadding2D", "padding": -3})
    assert err.argument == "padding"
    assert "5 − 3 − 3 = -1" in str(err) and "use padding >= 0" in str(err)


def test_zero_padding2d_negative_entry_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        ZeroPadding2D((-1, 2))
    assert info.value.argument == "padding"


def test_zero_padding1d_negative_is_rejected() -> None:
    with pytest.raises(ShapeError, match="an integer >= 0 or a tuple of 2"):
        ZeroPadding1D(-1)


def test_zero_padding1d_pads_steps() -> None:
    assert out((10, 4), {"type": "ZeroPadding1D", "padding": [2, 3]}) == (None, 15, 4)


def test_zero_padding_unknown_size_stays_unknown() -> None:
    row = analyze((None, 4), {"type": "ZeroPadding1D"}).rows[0]
    assert row.output_shape == (None, None, 4)
    assert "unknown size, stays unknown" in row.explain()


def test_zero_padding_data_format_any_case_is_accepted() -> None:
    assert ZeroPadding1D(data_format="CHANNELS_FIRST").channels_first()


def test_zero_padding_data_format_typo_suggests_the_name() -> None:
    with pytest.raises(ShapeError, match='did you mean "channels_first"'):
        ZeroPadding2D(data_format="channels_firs")


def test_zero_padding2d_wrong_rank_names_the_layout() -> None:
    err = error((5, 3), {"type": "ZeroPadding2D"})
    assert "rank 4 (batch, height, width, channels)" in str(err)


# --- Cropping ---------------------------------------------------------------------------

def test_cropping1d_default_crops_one_each_end() -> None:
    row = analyze((10, 4), {"type": "Cropping1D"}).rows[0]
    assert row.output_shape == (None, 8, 4)
    assert "10 − 1 − 1 = 8" in row.explain()


def test_cropping1d_everything_is_rejected() -> None:
    err = error((5, 3), {"type": "Cropping1D", "cropping": [2, 3]})
    assert err.argument == "cropping"
    assert "2 + 3 = 5 of the 5 values of axis 1 leaves 0" in str(err)
    assert "crop fewer than 5" in str(err)


def test_cropping2d_default_changes_nothing() -> None:
    assert out((5, 5, 3), {"type": "Cropping2D"}) == (None, 5, 5, 3)


def test_cropping2d_nested_pairs() -> None:
    assert out((28, 28, 3), {"type": "Cropping2D", "cropping": [[2, 2], [4, 4]]}) == \
        (None, 24, 20, 3)


def test_cropping2d_too_much_on_width_names_axis_two() -> None:
    err = error((5, 4, 3), {"type": "Cropping2D", "cropping": [0, 2]})
    assert "of the 4 values of axis 2 leaves 0" in str(err)


def test_cropping2d_negative_int_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Cropping2D(-1)
    assert "an integer >= 0" in str(info.value)


def test_cropping2d_three_entries_are_rejected() -> None:
    with pytest.raises(ShapeError):
        Cropping2D((1, 2, 3))


def test_cropping1d_has_no_data_format() -> None:
    with pytest.raises(ShapeError, match="Cropping1D has no argument `data_format`"):
        Cropping1D(data_format="channels_last")


def test_cropping_unknown_size_is_not_checked() -> None:
    assert out((None, 5, 3), {"type": "Cropping2D", "cropping": [40, 0]}) == (None, None, 5, 3)


# --- UpSampling -------------------------------------------------------------------------

def test_up_sampling1d_multiplies_steps() -> None:
    row = analyze((5, 3), {"type": "UpSampling1D"}).rows[0]
    assert row.output_shape == (None, 10, 3)
    assert "5 × 2 = 10" in row.explain()


def test_up_sampling2d_per_axis_factors() -> None:
    assert out((5, 3, 2), {"type": "UpSampling2D", "size": [2, 3]}) == (None, 10, 9, 2)


def test_up_sampling2d_channels_first() -> None:
    assert out((2, 5, 3), {"type": "UpSampling2D", "data_format": "channels_first"}) == \
        (None, 2, 10, 6)


def test_up_sampling2d_unknown_interpolation_is_kept_with_a_warning_note() -> None:
    row = analyze((5, 3, 2), {"type": "UpSampling2D", "interpolation": "cubic"}).rows[0]
    assert row.output_shape == (None, 10, 6, 2)
    assert "fails when it runs" in row.explain()


def test_up_sampling2d_interpolation_must_be_a_string() -> None:
    with pytest.raises(ShapeError):
        UpSampling2D(interpolation=3)


def test_up_sampling1d_size_tuple_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        UpSampling1D((2,))
    assert info.value.argument == "size"


def test_up_sampling_explanation_in_japanese() -> None:
    row = analyze((5, 3), {"type": "UpSampling1D"}).rows[0]
    assert "5 × 2 = 10（各値を 2 回繰り返し）" in row.explain("ja")


# --- parameters and round trips ---------------------------------------------------------

def test_pairs_param_expands_every_form() -> None:
    param = PairsParam("padding", 1, rank=2)
    assert param.expand(2) == ((2, 2), (2, 2))
    assert param.expand((1, 2)) == ((1, 1), (2, 2))
    assert param.expand(((1, 2), 3)) == ((1, 2), (3, 3))


def test_reshaping_specs_round_trip() -> None:
    spec = {"input_shape": [4, 6, 3], "batch_size": None, "input_dtype": "float32",
            "layers": [{"type": "ZeroPadding2D", "padding": [[1, 2], 3]},
                       {"type": "Cropping2D", "cropping": 1, "data_format": "channels_last"},
                       {"type": "UpSampling2D", "size": [2, 1], "interpolation": "bilinear"},
                       {"type": "Reshape", "target_shape": [-1, 3]},
                       {"type": "Permute", "dims": [2, 1]}]}
    model = Model.from_spec(spec)
    assert model.to_spec() == spec
    assert model.summary().output_shape == (None, 3, 100)


def test_reshaping_positional_arguments_follow_keras_order() -> None:
    layer = UpSampling2D((2, 3), "channels_first", "bilinear")
    assert (layer.size, layer.data_format, layer.interpolation) == \
        ((2, 3), "channels_first", "bilinear")
