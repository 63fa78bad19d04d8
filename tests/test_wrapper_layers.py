"""Bidirectional, TimeDistributed and LayerParam, checked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.core import Dense
from shapewidget.layers.recurrent import LSTM
from shapewidget.layers.wrappers import Bidirectional, LayerParam, TimeDistributed
from shapewidget.summary import Summary, SummaryRow
from shapewidget.text import TEMPLATES

LSTM16 = {"type": "LSTM", "units": 16}


def analyze(shape: tuple[int | None, ...], *layers: Any, batch: int | None = None) -> Summary:
    return Model(layers, input_shape=shape, batch_size=batch).analyze()


def row(shape: tuple[int | None, ...], layer: Any) -> SummaryRow:
    summary = analyze(shape, layer)
    assert summary.error is None, summary.error
    return summary.rows[0]


def error(shape: tuple[int | None, ...], *layers: Any) -> ShapeError:
    found = analyze(shape, *layers).error
    assert found is not None
    return found


def bi(layer: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return {"type": "Bidirectional", "layer": layer, **kwargs}


def td(layer: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return {"type": "TimeDistributed", "layer": layer, **kwargs}


# --- Bidirectional -------------------------------------------------------------------
def test_bidirectional_concat_doubles_the_last_axis() -> None:
    r = row((10, 8), bi(LSTM16))
    assert r.output_shape == (None, 32)
    assert "16 + 16 = 32" in r.explanation


def test_bidirectional_weights_are_forward_then_backward() -> None:
    r = row((10, 8), bi(LSTM16))
    one = [("kernel", (8, 64)), ("recurrent_kernel", (16, 64)), ("bias", (64,))]
    assert [(w.name, w.shape) for w in r.weights] == one + one
    assert r.trainable_params == 2 * 1600
    assert "1,600 + 1,600 = 3,200 parameters" in r.explanation


@pytest.mark.parametrize("mode", ["sum", "mul", "ave"])
def test_bidirectional_elementwise_merge_keeps_the_shape(mode: str) -> None:
    r = row((10, 8), bi({**LSTM16, "return_sequences": True}, merge_mode=mode))
    assert r.output_shape == (None, 10, 16)
    assert f'merge_mode="{mode}"' in r.explanation


def test_bidirectional_return_sequences_concat() -> None:
    assert row((None, 8), bi({"type": "GRU", "units": 3, "return_sequences": True})
               ).output_shape == (None, None, 6)


def test_bidirectional_merge_none_rejected_listing_both_outputs() -> None:
    err = error((10, 8), bi(LSTM16, merge_mode=None))
    assert err.argument == "merge_mode"
    assert "[(None, 16), (None, 16)] (out_fwd, out_bwd)" in str(err)


def test_bidirectional_return_state_rejected_listing_the_states() -> None:
    err = error((10, 8), bi({**LSTM16, "return_state": True}))
    assert err.argument == "layer.return_state"
    assert ("[(None, 32), (None, 16), (None, 16), (None, 16), (None, 16)] "
            "(output, h_fwd, c_fwd, h_bwd, c_bwd)") in str(err)


def test_bidirectional_non_rnn_rejected_at_construction() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional(Dense(3))
    assert info.value.argument == "layer"
    assert "TimeDistributed(Dense(...))" in str(info.value)


def test_bidirectional_non_rnn_backward_layer_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional(LSTM(3), backward_layer=Dense(3))
    assert info.value.argument == "backward_layer"


def test_bidirectional_wrapped_go_backwards_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional(LSTM(3, go_backwards=True))
    assert "both have go_backwards=True" in str(info.value)


def test_bidirectional_backward_layer_same_direction_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional(LSTM(3), backward_layer=LSTM(3))
    assert "go_backwards=True" in str(info.value.fix)


def test_bidirectional_backward_layer_flags_must_match() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional(LSTM(3), backward_layer=LSTM(3, go_backwards=True,
                                                   return_sequences=True))
    assert "same return_sequences" in str(info.value)


def test_bidirectional_backward_layer_other_units_rejected() -> None:
    err = error((6, 3), Bidirectional(LSTM(3), backward_layer={
        "type": "GRU", "units": 5, "go_backwards": True}))
    assert err.argument == "backward_layer"
    assert "would report (None, 6)" in str(err) and "units=3" in str(err)


def test_bidirectional_backward_layer_of_another_type() -> None:
    r = row((6, 3), Bidirectional(LSTM(3), backward_layer={
        "type": "GRU", "units": 3, "go_backwards": True}))
    assert [w.shape for w in r.weights][3:] == [(3, 9), (3, 9), (2, 9)]
    assert r.output_shape == (None, 6)


def test_bidirectional_inner_error_names_the_argument() -> None:
    err = error((10, 8), bi({"type": "LSTM", "units": 2, "stateful": True}))
    assert err.argument == "layer.stateful" and err.layer_type == "Bidirectional"


def test_bidirectional_2d_input_rejected() -> None:
    err = error((8,), bi(LSTM16))
    assert err.layer_index == 0 and "rank 3" in str(err)


def test_bidirectional_direction_names() -> None:
    assert Bidirectional.direction_names("lstm_2") == ("forward_lstm_2", "backward_lstm_2")
    assert Bidirectional.direction_names("forward_x") == ("forward_x", "backward_forward_x")


def test_bidirectional_names_its_copies_when_the_inner_layer_is_named() -> None:
    text = row((10, 8), bi({**LSTM16, "name": "encoder"})).explanation
    assert "forward_encoder and backward_encoder" in text


def test_bidirectional_inner_layers_count_in_automatic_names() -> None:
    model = Model([bi({**LSTM16, "return_sequences": True}), LSTM16], input_shape=(10, 8))
    assert model.layer_names == ["bidirectional", "lstm_1"]


def test_bidirectional_backward_layer_counts_in_automatic_names() -> None:
    model = Model([Bidirectional(LSTM(2, return_sequences=True),
                                 backward_layer=LSTM(2, go_backwards=True,
                                                     return_sequences=True)),
                   LSTM(2)], input_shape=(10, 8))
    assert model.layer_names == ["bidirectional", "lstm_2"]


# --- trainable -----------------------------------------------------------------------
def test_wrapper_trainable_false_keeps_flags_but_counts_frozen() -> None:
    r = row((10, 8), bi(LSTM16, trainable=False))
    assert all(w.trainable for w in r.weights)
    assert (r.trainable_params, r.non_trainable_params) == (0, 3200)
    assert "not passed on to the wrapped layer" in r.explanation


def test_wrapper_trainable_false_over_a_frozen_layer_has_no_warning() -> None:
    r = row((10, 8), bi({**LSTM16, "trainable": False}, trainable=False))
    assert r.non_trainable_params == 3200
    assert "not passed on" not in r.explanation


def test_wrapper_inner_trainable_false_freezes_the_weights() -> None:
    r = row((10, 8), bi({**LSTM16, "trainable": False}))
    assert not any(w.trainable for w in r.weights)
    assert (r.trainable_params, r.non_trainable_params) == (0, 3200)


def test_time_distributed_trainable_false_counts_frozen() -> None:
    r = row((10, 8), td({"type": "Dense", "units": 3}, trainable=False))
    assert [w.trainable for w in r.weights] == [True, True]
    assert (r.trainable_params, r.non_trainable_params) == (0, 27)


def test_time_distributed_ignores_trainable_false_of_a_wrapped_wrapper() -> None:
    r = row((5, 4, 3), td(bi({"type": "LSTM", "units": 2}, trainable=False)))
    assert r.trainable_params == 2 * (3 * 8 + 2 * 8 + 8)


# --- TimeDistributed -----------------------------------------------------------------
def test_time_distributed_dense_applies_to_each_step() -> None:
    r = row((10, 8), td({"type": "Dense", "units": 3}))
    assert r.output_shape == (None, 10, 3)
    assert [(w.name, w.shape) for w in r.weights] == [("kernel", (8, 3)), ("bias", (3,))]
    assert "sees one step, (None, 8), and returns (None, 3)" in r.explanation
    assert "shared by all time steps" in r.explanation


def test_time_distributed_unknown_steps_explained() -> None:
    r = row((None, 8), td({"type": "Dense", "units": 3}))
    assert r.output_shape == (None, None, 3)
    assert "to every time step (their number is unknown)" in r.explanation


def test_time_distributed_rnn_over_a_4d_input() -> None:
    r = row((10, 7, 8), td({"type": "LSTM", "units": 5}))
    assert r.output_shape == (None, 10, 5)


def test_time_distributed_flatten_keeps_steps() -> None:
    assert row((10, 7, 8), td({"type": "Flatten"})).output_shape == (None, 10, 56)


def test_time_distributed_2d_input_rejected() -> None:
    err = error((8,), td({"type": "Dense", "units": 4}))
    assert "rank 3 or more" in str(err) and "input_shape=(10, 8)" in str(err)


def test_time_distributed_inner_error_shows_the_step_shape() -> None:
    err = error((10, 8), td({"type": "LSTM", "units": 4}))
    assert err.argument == "layer"
    assert ("TimeDistributed applies the wrapped LSTM to each time step separately, so "
            "LSTM sees (None, 8) (the input (None, 10, 8) without its time axis).") in str(err)
    assert "Keras does not run LSTM's own input check inside TimeDistributed" in str(err)
    assert "LSTM: expected an input of rank 3" in str(err)
    assert "TimeDistributed は包んだ LSTM" in err.message("ja")


def test_time_distributed_other_inner_error_has_no_rank_remark() -> None:
    err = error((10, None), td({"type": "Dense", "units": 4}))
    assert "without its time axis): the last axis" in str(err)
    assert "own input check" not in str(err)


def test_time_distributed_nested() -> None:
    r = row((10, 7, 8), td(td({"type": "Dense", "units": 2})))
    assert r.output_shape == (None, 10, 7, 2)


def test_time_distributed_family_is_wrapper() -> None:
    assert {LAYER_TYPES[t].family for t in ("Bidirectional", "TimeDistributed")} == {
        "wrapper"}


# --- LayerParam and specs ------------------------------------------------------------
def test_layer_param_accepts_a_layer_or_a_spec() -> None:
    assert TimeDistributed(Dense(3)).layer == TimeDistributed({"type": "Dense",
                                                               "units": 3}).layer


def test_layer_param_rejects_a_type_name_with_a_fix() -> None:
    with pytest.raises(ShapeError) as info:
        TimeDistributed("Dense")
    assert info.value.argument == "layer"
    assert 'write the layer itself, Dense(...), or its spec {"type": "Dense", ...}' in str(
        info.value)


def test_layer_param_nested_error_names_the_inner_argument() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional({"type": "LSTM", "units": 0})
    assert info.value.argument == "layer.units"
    assert info.value.layer_type == "Bidirectional"


def test_layer_param_missing_layer_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional()
    assert info.value.argument == "layer"


def test_layer_param_to_json_nests_the_spec() -> None:
    param = Bidirectional.param("layer")
    assert isinstance(param, LayerParam)
    assert param.to_json(LSTM(4, return_sequences=True, name="enc")) == {
        "type": "LSTM", "name": "enc", "units": 4, "return_sequences": True}


def test_layer_param_to_code_nests_the_constructor() -> None:
    param = Bidirectional.param("layer")
    assert param.to_code(Bidirectional(LSTM(4, return_sequences=True), merge_mode="sum")) \
        == ('keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True), '
            'merge_mode="sum")')
    assert param.to_code(LSTM(2), prefix="layers.") == "layers.LSTM(2)"
    assert Bidirectional.param("backward_layer").to_code(None) == "None"


def test_wrapper_spec_round_trip() -> None:
    spec = {"input_shape": [10, 8, 8, 3], "batch_size": None, "input_dtype": "float32",
            "layers": [td({"type": "Conv2D", "filters": 4, "kernel_size": [3, 3]}),
                       td({"type": "Flatten"}),
                       bi({"type": "LSTM", "units": 4, "name": "enc"}, merge_mode="ave",
                          backward_layer={"type": "GRU", "units": 4,
                                          "go_backwards": True})]}
    assert Model.from_spec(spec).to_spec() == spec


def test_wrapper_with_args_keeps_the_inner_layer() -> None:
    layer = Bidirectional(LSTM(4)).with_args(merge_mode="mul")
    assert layer.layer == LSTM(4) and layer.merge_mode == "mul"


def test_wrapper_messages_have_japanese() -> None:
    keys = [k for k in TEMPLATES
            if k.split(".")[0] in ("bidirectional", "time_distributed", "wrapper")
            and "+" not in k]
    assert len(keys) > 20
    assert all(TEMPLATES[k]["ja"] != TEMPLATES[k]["en"] for k in keys)


def test_bidirectional_weights_without_length_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Bidirectional(LSTM(3), weights=5)
    assert info.value.argument == "weights" and "5 (int)" in str(info.value)


def test_bidirectional_weights_are_kept_but_unused() -> None:
    r = row((6, 3), bi({"type": "LSTM", "units": 3}, weights=[1, 2]))
    assert "never used" in r.explanation
    assert r.weights == row((6, 3), bi({"type": "LSTM", "units": 3})).weights
