"""SimpleRNN, LSTM and GRU: shapes, weights, explanations and rejections, checked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.recurrent import GRU, LSTM, SimpleRNN
from shapewidget.summary import Summary, SummaryRow
from shapewidget.text import TEMPLATES


def analyze(shape: tuple[int | None, ...], *layers: dict[str, Any],
            batch: int | None = None) -> Summary:
    return Model(layers, input_shape=shape, batch_size=batch).analyze()


def row(shape: tuple[int | None, ...], layer: dict[str, Any],
        batch: int | None = None) -> SummaryRow:
    summary = analyze(shape, layer, batch=batch)
    assert summary.error is None, summary.error
    return summary.rows[0]


def error(shape: tuple[int | None, ...], *layers: dict[str, Any],
          batch: int | None = None) -> ShapeError:
    found = analyze(shape, *layers, batch=batch).error
    assert found is not None
    return found


def weights(r: SummaryRow) -> list[tuple[str, tuple[int, ...]]]:
    return [(w.name, w.shape) for w in r.weights]


def test_lstm_weights_have_four_gates() -> None:
    r = row((10, 8), {"type": "LSTM", "units": 16})
    assert weights(r) == [("kernel", (8, 64)), ("recurrent_kernel", (16, 64)),
                          ("bias", (64,))]
    assert r.trainable_params == 8 * 64 + 16 * 64 + 64 == 1600


def test_lstm_explanation_shows_the_gate_arithmetic() -> None:
    text = row((10, 8), {"type": "LSTM", "units": 16}).explanation
    assert ("LSTM has 4 gates" in text and "kernel (8, 4·16=64) + recurrent_kernel (16, 64) "
            "+ bias (64,) = 512 + 1,024 + 64 = 1,600 parameters" in text)


def test_simple_rnn_weights_have_one_block() -> None:
    r = row((5, 3), {"type": "SimpleRNN", "units": 4})
    assert weights(r) == [("kernel", (3, 4)), ("recurrent_kernel", (4, 4)), ("bias", (4,))]
    assert r.trainable_params == 12 + 16 + 4
    assert "kernel (3, 4) + recurrent_kernel (4, 4) + bias (4,) = 12 + 16 + 4 = 32" \
        in r.explanation


def test_gru_reset_after_bias_has_two_rows() -> None:
    r = row((10, 8), {"type": "GRU", "units": 16})
    assert weights(r)[2] == ("bias", (2, 48))
    assert r.trainable_params == 8 * 48 + 16 * 48 + 96
    assert "(2, 48)" in r.explanation and "reset_after=True" in r.explanation


def test_gru_reset_before_bias_is_one_vector() -> None:
    r = row((10, 8), {"type": "GRU", "units": 16, "reset_after": False})
    assert weights(r)[2] == ("bias", (48,))
    assert r.trainable_params == 8 * 48 + 16 * 48 + 48


def test_rnn_use_bias_false_has_no_bias() -> None:
    r = row((10, 8), {"type": "GRU", "units": 2, "use_bias": False})
    assert [w.name for w in r.weights] == ["kernel", "recurrent_kernel"]
    assert "use_bias=False" in r.explanation


def test_rnn_default_keeps_only_the_last_step() -> None:
    r = row((10, 8), {"type": "LSTM", "units": 16})
    assert r.output_shape == (None, 16)
    assert "only the last time step is kept" in r.explanation
    assert "(None, 10, 16)" in r.explanation  # what return_sequences=True would give


def test_rnn_return_sequences_keeps_every_step() -> None:
    r = row((10, 8), {"type": "LSTM", "units": 16, "return_sequences": True})
    assert r.output_shape == (None, 10, 16)
    assert "keeps the output of every step" in r.explanation


def test_rnn_unknown_steps_stay_unknown() -> None:
    r = row((None, 8), {"type": "SimpleRNN", "units": 3, "return_sequences": True},
            batch=7)
    assert r.output_shape == (7, None, 3)


def test_rnn_weights_do_not_depend_on_steps() -> None:
    short = row((2, 8), {"type": "LSTM", "units": 4})
    long = row((200, 8), {"type": "LSTM", "units": 4})
    assert short.weights == long.weights


def test_rnn_2d_input_rejected_with_reshape_fix() -> None:
    err = error((8,), {"type": "Dense", "units": 3}, {"type": "SimpleRNN", "units": 4})
    assert err.layer_index == 1 and err.layer_name == "simple_rnn"
    text = str(err)
    assert "expected an input of rank 3 (batch, steps, features), received (None, 3)" in text
    assert "input_shape=(steps, features)" in text and "Reshape((3, 1))" in text


def test_rnn_4d_input_suggests_merging_axes() -> None:
    err = error((28, 28, 1), {"type": "LSTM", "units": 4})
    assert "Reshape((28, 28))" in str(err)


def test_rnn_unknown_features_rejected() -> None:
    err = error((5, None), {"type": "GRU", "units": 4})
    assert "unknown size" in str(err) and "input_shape=(None, 8)" in str(err)


def test_rnn_stateful_without_batch_suggests_batch_size() -> None:
    err = error((10, 8), {"type": "LSTM", "units": 4, "stateful": True})
    assert err.argument == "stateful"
    assert "batch_size=32" in str(err) and "batch_shape=(32, 10, 8)" in str(err)


def test_rnn_stateful_with_batch_accepted() -> None:
    r = row((10, 8), {"type": "LSTM", "units": 4, "stateful": True}, batch=32)
    assert r.output_shape == (32, 4)
    assert r.trainable_params == 8 * 16 + 4 * 16 + 16  # states are not weights
    assert "stateful=True" in r.explanation


def test_rnn_return_state_rejected_listing_the_tensors() -> None:
    err = error((10, 8), {"type": "LSTM", "units": 4, "return_state": True})
    assert err.argument == "return_state"
    assert "[(None, 4), (None, 4), (None, 4)] (output, h, c)" in str(err)
    assert "functional API" in str(err)


def test_rnn_output_list_has_one_state_for_gru() -> None:
    layer = GRU(4, return_state=True, return_sequences=True)
    assert layer.output_list((2, 10, 8)) == ((2, 10, 4), (2, 4))


def test_rnn_unroll_with_unknown_steps_warns() -> None:
    r = row((None, 8), {"type": "SimpleRNN", "units": 2, "unroll": True})
    assert "unroll=True with an unknown number of steps" in r.explanation


def test_rnn_go_backwards_keeps_shape() -> None:
    r = row((10, 8), {"type": "GRU", "units": 2, "go_backwards": True,
                      "return_sequences": True})
    assert r.output_shape == (None, 10, 2) and "go_backwards=True" in r.explanation


def test_rnn_dropout_out_of_range_is_clamped() -> None:
    r = row((10, 8), {"type": "LSTM", "units": 2, "dropout": 1.5})
    assert "Keras clamps a dropout rate to 0…1, so it acts as 1.0" in r.explanation


def test_rnn_dropout_text_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        LSTM(2, dropout="0.5")
    assert info.value.argument == "dropout"


def test_rnn_units_zero_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        SimpleRNN(0)
    assert info.value.argument == "units"


def test_rnn_use_cudnn_checked() -> None:
    with pytest.raises(ShapeError) as info:
        GRU(2, use_cudnn="yes")
    assert info.value.argument == "use_cudnn"


def test_rnn_trainable_false_freezes_every_weight() -> None:
    r = row((10, 8), {"type": "LSTM", "units": 2, "trainable": False})
    assert all(not w.trainable for w in r.weights)
    assert (r.trainable_params, r.non_trainable_params) == (0, 8 * 8 + 2 * 8 + 8)


def test_rnn_positional_arguments_follow_keras() -> None:
    assert LSTM(16, "relu", "hard_sigmoid", False).args == {
        "units": 16, "activation": "relu", "recurrent_activation": "hard_sigmoid",
        "use_bias": False}
    assert SimpleRNN(4, "relu", False).use_bias is False


def test_rnn_shape_irrelevant_arguments_round_trip() -> None:
    spec = {"input_shape": [10, 8], "batch_size": None, "input_dtype": "float32",
            "layers": [{"type": "LSTM", "units": 4, "kernel_regularizer": "l2",
                        "recurrent_dropout": 0.2, "seed": 3, "unit_forget_bias": False,
                        "implementation": 1, "use_cudnn": False}]}
    assert Model.from_spec(spec).to_spec() == spec


def test_rnn_family_is_recurrent() -> None:
    assert {LAYER_TYPES[t].family for t in ("SimpleRNN", "LSTM", "GRU")} == {"recurrent"}


def test_rnn_messages_have_japanese() -> None:
    keys = [k for k in TEMPLATES if k.split(".")[0] in ("rnn", "gru", "recurrent")]
    assert len(keys) > 20
    assert all(TEMPLATES[k]["ja"] != TEMPLATES[k]["en"] for k in keys)


def test_rnn_error_in_japanese() -> None:
    err = error((8,), {"type": "LSTM", "units": 4})
    assert "ランク 3" in err.message("ja") and "Reshape((8, 1))" in err.message("ja")
