"""Normalization layers: hand-checked weights, counts, explanations and errors."""

from __future__ import annotations

from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers.normalization import BatchNormalization, LayerNormalization
from shapewidget.params import AxisParam


def analyze(shape: tuple[int | None, ...], *layers: dict[str, Any],
            batch: int | None = None) -> Any:
    return Model(list(layers), input_shape=shape, batch_size=batch).analyze()


def row(shape: tuple[int | None, ...], layer: dict[str, Any], batch: int | None = None) -> Any:
    summary = analyze(shape, layer, batch=batch)
    assert summary.error is None, str(summary.error)
    return summary.rows[0]


def weights(r: Any) -> list[tuple[str, tuple[int, ...], bool]]:
    return [tuple(w) for w in r.weights]


# --- BatchNormalization -----------------------------------------------------------------

def test_batch_norm_keeps_the_shape() -> None:
    assert row((32, 32, 8), {"type": "BatchNormalization"}).output_shape == (None, 32, 32, 8)


def test_batch_norm_weights_in_keras_order_with_flags() -> None:
    r = row((32, 32, 8), {"type": "BatchNormalization"})
    assert weights(r) == [("gamma", (8,), True), ("beta", (8,), True),
                          ("moving_mean", (8,), False), ("moving_variance", (8,), False)]
    assert (r.trainable_params, r.non_trainable_params) == (16, 16)


def test_batch_norm_explains_learned_and_tracked_counts() -> None:
    text = row((32, 32, 8), {"type": "BatchNormalization"}).explain()
    assert "4 values per channel: gamma and beta are learned (2 × 8 = 16 trainable); " \
           "moving mean and variance are tracked (2 × 8 = 16 non-trainable)." in text


def test_batch_norm_axis_one_counts_the_batch_axis() -> None:
    r = row((3, 32, 32), {"type": "BatchNormalization", "axis": 1})
    assert weights(r)[0] == ("gamma", (3,), True)


def test_batch_norm_center_false_drops_beta() -> None:
    r = row((5, 3), {"type": "BatchNormalization", "center": False})
    assert [w[0] for w in weights(r)] == ["gamma", "moving_mean", "moving_variance"]
    assert "center=False: no beta" in r.explain()


def test_batch_norm_scale_false_drops_gamma() -> None:
    r = row((5, 3), {"type": "BatchNormalization", "scale": False})
    assert [w[0] for w in weights(r)] == ["beta", "moving_mean", "moving_variance"]


def test_batch_norm_renorm_adds_three_tracked_statistics() -> None:
    r = row((5, 3), {"type": "BatchNormalization", "renorm": True})
    assert [w[0] for w in weights(r)][4:] == ["moving_stddev", "renorm_mean", "renorm_stddev"]
    assert (r.trainable_params, r.non_trainable_params) == (6, 15)


def test_batch_norm_frozen_makes_gamma_and_beta_non_trainable() -> None:
    r = row((5, 3), {"type": "BatchNormalization", "trainable": False})
    assert (r.trainable_params, r.non_trainable_params) == (0, 12)


def test_batch_norm_batch_axis_needs_a_fixed_batch() -> None:
    err = analyze((5, 3), {"type": "BatchNormalization", "axis": 0}).error
    assert err is not None and err.argument == "axis"
    assert "unknown size" in str(err) and "axis 0 is the batch axis" in str(err)


def test_batch_norm_batch_axis_with_fixed_batch_sizes_weights_by_batch() -> None:
    r = row((5, 3), {"type": "BatchNormalization", "axis": 0}, batch=7)
    assert weights(r)[0] == ("gamma", (7,), True)
    assert "batch axis" in r.explain()


def test_batch_norm_axis_out_of_range_names_the_valid_axes() -> None:
    err = analyze((5, 3), {"type": "BatchNormalization", "axis": 3}).error
    assert err is not None and err.layer_index == 0
    assert "axis 3 does not exist in the input (None, 5, 3) of rank 3" in str(err)
    assert "valid: -3 … 2" in str(err)


def test_batch_norm_unknown_channels_are_rejected() -> None:
    err = analyze((5, None), {"type": "BatchNormalization"}).error
    assert err is not None and "axis -1 of the input (None, 5, None) has an unknown size" \
        in str(err)


def test_batch_norm_list_axis_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        BatchNormalization(axis=[1])
    assert info.value.argument == "axis"
    assert "expected an integer axis" in str(info.value)


def test_batch_norm_synchronized_is_rejected_on_jax() -> None:
    with pytest.raises(ShapeError) as info:
        BatchNormalization(synchronized=True)
    assert info.value.argument == "synchronized"
    assert "TensorFlow backend" in str(info.value)


def test_batch_norm_renorm_clipping_bad_key_is_rejected() -> None:
    with pytest.raises(ShapeError, match="only have the keys rmax, rmin and dmax"):
        BatchNormalization(renorm=True, renorm_clipping={"x": 1})


def test_batch_norm_renorm_clipping_rmax_below_rmin_is_rejected() -> None:
    with pytest.raises(ShapeError, match="rmax=1, rmin=2"):
        BatchNormalization(renorm=True, renorm_clipping={"rmax": 1, "rmin": 2})


def test_batch_norm_renorm_clipping_negative_dmax_is_rejected() -> None:
    with pytest.raises(ShapeError, match="dmax >= 0"):
        BatchNormalization(renorm=True, renorm_clipping={"dmax": -1})


def test_batch_norm_renorm_clipping_compared_text_is_rejected() -> None:
    with pytest.raises(ShapeError, match="must be numbers, received \"a\""):
        BatchNormalization(renorm=True, renorm_clipping={"rmax": "a", "rmin": 2})


def test_batch_norm_renorm_clipping_list_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        BatchNormalization(renorm=True, renorm_clipping=["rmax"])
    assert info.value.argument == "renorm_clipping"


def test_batch_norm_renorm_clipping_ignored_without_renorm() -> None:
    assert BatchNormalization(renorm_clipping={"x": 1}).renorm_clipping == {"x": 1}


def test_batch_norm_momentum_must_be_a_number() -> None:
    with pytest.raises(ShapeError, match="expected a number"):
        BatchNormalization(momentum="fast")


def test_batch_norm_positional_arguments_follow_keras_order() -> None:
    layer = BatchNormalization(1, 0.9, 1e-5, False)
    assert (layer.axis, layer.momentum, layer.epsilon, layer.center) == (1, 0.9, 1e-5, False)


def test_batch_norm_explanation_in_japanese() -> None:
    text = row((32, 32, 8), {"type": "BatchNormalization"}).explain("ja")
    assert "チャンネルごとに 4 個の値" in text


# --- LayerNormalization -----------------------------------------------------------------

def test_layer_norm_default_spans_the_last_axis() -> None:
    r = row((5, 3), {"type": "LayerNormalization"})
    assert r.output_shape == (None, 5, 3)
    assert weights(r) == [("gamma", (3,), True), ("beta", (3,), True)]
    assert r.trainable_params == 6 and r.non_trainable_params == 0


def test_layer_norm_list_axis_spans_every_listed_axis() -> None:
    r = row((5, 3), {"type": "LayerNormalization", "axis": [1, 2]})
    assert weights(r)[0] == ("gamma", (5, 3), True)
    assert "5 × 3 = 15" in r.explain()


def test_layer_norm_axis_list_is_sorted_as_written() -> None:
    r = row((5, 3), {"type": "LayerNormalization", "axis": [-1, 1]})
    assert weights(r)[0] == ("gamma", (3, 5), True)
    assert "Keras sorts the axis list as written" in r.explain()


def test_layer_norm_repeated_axis_repeats_in_the_weight_shape() -> None:
    r = row((5, 3), {"type": "LayerNormalization", "axis": [2, 2]})
    assert weights(r)[0] == ("gamma", (3, 3), True)


def test_layer_norm_empty_axis_list_gives_scalar_weights() -> None:
    r = row((5, 3), {"type": "LayerNormalization", "axis": []})
    assert weights(r) == [("gamma", (), True), ("beta", (), True)]
    assert r.trainable_params == 2


def test_layer_norm_rms_scaling_keeps_gamma_only() -> None:
    r = row((5, 3), {"type": "LayerNormalization", "rms_scaling": True, "scale": False})
    assert weights(r) == [("gamma", (3,), True)]
    assert "rms_scaling=True (deprecated)" in r.explain()


def test_layer_norm_rms_scaling_is_keyword_only() -> None:
    with pytest.raises(ShapeError, match="at most 10 positional arguments, received 11"):
        LayerNormalization(-1, 1e-3, True, True, "zeros", "ones", None, None, None, None, True)


def test_layer_norm_center_false_drops_beta() -> None:
    r = row((5, 3), {"type": "LayerNormalization", "center": False})
    assert [w[0] for w in weights(r)] == ["gamma"]


def test_layer_norm_unknown_size_rejected_when_weights_span_it() -> None:
    err = analyze((5, None), {"type": "LayerNormalization"}).error
    assert err is not None and err.argument == "axis"
    assert "give that axis a known size" in str(err)


def test_layer_norm_unknown_size_accepted_without_weights() -> None:
    r = row((5, None), {"type": "LayerNormalization", "center": False, "scale": False})
    assert r.weights == ()
    assert "no weights" in r.explain()


def test_layer_norm_axis_out_of_range_in_a_list_is_rejected() -> None:
    err = analyze((5, 3), {"type": "LayerNormalization", "axis": [1, 5]}).error
    assert err is not None and "axis 5 does not exist" in str(err)


def test_layer_norm_float_axis_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        LayerNormalization(axis=1.0)
    assert "an integer axis or a list of integer axes" in str(info.value)


def test_layer_norm_error_in_japanese() -> None:
    err = analyze((5, 3), {"type": "LayerNormalization", "axis": 3}).error
    assert err is not None and "軸 3 は ランク 3 の入力" in err.message("ja")


def test_axis_param_quoted_number_suggests_unquoting() -> None:
    with pytest.raises(ShapeError, match="write -1 without quotes"):
        AxisParam("axis", -1).validate("-1")


def test_normalization_specs_round_trip() -> None:
    spec = {"input_shape": [4, 6, 3], "batch_size": None, "input_dtype": "float32",
            "layers": [{"type": "BatchNormalization", "axis": -1, "momentum": 0.9,
                        "renorm": True, "renorm_clipping": {"rmax": 3}},
                       {"type": "LayerNormalization", "axis": [1, 2], "epsilon": 1e-5}]}
    model = Model.from_spec(spec)
    assert model.to_spec() == spec
    assert model.summary().rows[1].weights[0].shape == (4, 6)
