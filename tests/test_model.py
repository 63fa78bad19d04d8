"""Unit tests for :class:`shapewidget.Model`: editing, notifications, names, the input,
errors, totals and the text table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers import Dense
from shapewidget.model import compute_summary


def dense(units: int, **kwargs: Any) -> dict[str, Any]:
    return {"type": "Dense", "units": units, **kwargs}


def classic() -> Model:
    """The classic tutorial network: 3 inputs, Dense 4, Dense 4, Dense 1."""
    return Model([dense(4), dense(4), dense(1)], input_shape=(3,))


class Changes:
    """Counts traitlets notifications of a model, by trait name."""

    def __init__(self, model: Model) -> None:
        self.names: list[str] = []
        model.observe(lambda change: self.names.append(change["name"]))

    def count(self, name: str) -> int:
        return self.names.count(name)


# --- editing fires notifications ------------------------------------------------------
def test_add_appends_and_notifies_layers_once() -> None:
    model = classic()
    changes = Changes(model)
    model.add("Dense", units=2)
    assert changes.names == ["layers"]
    assert model.summary().output_shape == (None, 2)


def test_insert_places_layer_and_notifies_once() -> None:
    model = classic()
    changes = Changes(model)
    model.insert(1, dense(7))
    assert changes.names == ["layers"]
    assert [row.output_shape for row in model.summary()] == [(None, 4), (None, 7), (None, 4),
                                                            (None, 1)]


def test_remove_returns_layer_and_notifies_once() -> None:
    model = classic()
    changes = Changes(model)
    removed = model.remove(1)
    assert changes.names == ["layers"]
    assert removed == Dense(4)
    assert len(model.layers) == 2


def test_move_reorders_and_notifies_once() -> None:
    model = classic()
    changes = Changes(model)
    model.move(2, 0)
    assert changes.names == ["layers"]
    assert [layer.units for layer in model.layers] == [1, 4, 4]


def test_replace_swaps_layer_and_notifies_once() -> None:
    model = classic()
    changes = Changes(model)
    model.replace(0, "Dropout", rate=0.5)
    assert changes.names == ["layers"]
    assert model.summary()[0].output_shape == (None, 3)


def test_set_arg_changes_one_argument_and_notifies_once() -> None:
    model = classic()
    changes = Changes(model)
    model.set_arg(0, "units", 10)
    assert changes.names == ["layers"]
    assert model.summary()[1].weights[0].shape == (10, 4)


def test_set_arg_bad_value_names_layer_and_argument_and_changes_nothing() -> None:
    model = classic()
    changes = Changes(model)
    with pytest.raises(ShapeError) as info:
        model.set_arg(1, "units", "four")
    assert (info.value.layer_index, info.value.layer_name, info.value.argument) == (
        1, "dense_1", "units")
    assert changes.names == []
    assert model.layers[1].units == 4


def test_set_input_notifies_shape_and_batch_and_recomputes() -> None:
    model = classic()
    changes = Changes(model)
    model.set_input((5,), batch_size=30)
    assert sorted(changes.names) == ["batch_size", "input_shape"]
    assert model.summary()[0].weights[0].shape == (5, 4)
    assert model.summary().output_shape == (30, 1)


def test_set_input_keeps_batch_size_when_left_out() -> None:
    model = Model([dense(2)], input_shape=(3,), batch_size=8)
    model.set_input((6,))
    assert model.batch_input_shape == (8, 6)


def test_set_input_input_dim_keeps_batch_size() -> None:
    model = Model([dense(2)], input_shape=(3,), batch_size=4)
    model.set_input(input_dim=5)
    assert model.batch_input_shape == (4, 5)


def test_set_input_batch_shape_sets_both() -> None:
    model = Model([dense(2)], input_shape=(3,), batch_size=4)
    model.set_input(batch_shape=(None, 6))
    assert model.batch_input_shape == (None, 6)


def test_set_input_batch_size_none_unfixes_batch() -> None:
    model = Model([dense(2)], input_shape=(3,), batch_size=4)
    model.set_input(batch_size=None)
    assert model.summary().output_shape == (None, 2)


def test_set_input_same_value_notifies_nothing() -> None:
    model = classic()
    changes = Changes(model)
    model.set_input((3,))
    assert changes.names == []


def test_set_input_dtype_notifies_dtype_only() -> None:
    model = classic()
    changes = Changes(model)
    model.set_input(dtype="int32")
    assert changes.names == ["input_dtype"]


def test_edit_after_summary_invalidates_cached_summary() -> None:
    model = classic()
    assert model.summary().total_params == 41
    model.set_arg(2, "units", 2)
    assert model.summary().total_params == 16 + 20 + 10


def test_index_out_of_range_raises_shape_error() -> None:
    model = classic()
    with pytest.raises(ShapeError, match="no layer 3"):
        model.remove(3)


# --- automatic names --------------------------------------------------------------------
def test_names_automatic_follow_keras_counting() -> None:
    model = Model([dense(4), dense(4), {"type": "Dropout", "rate": 0.1}, dense(1)],
                  input_shape=(3,))
    assert model.layer_names == ["dense", "dense_1", "dropout", "dense_2"]


def test_names_explicit_do_not_consume_automatic_numbers() -> None:
    model = Model([dense(4, name="hidden"), dense(4), dense(1)], input_shape=(3,))
    assert model.layer_names == ["hidden", "dense", "dense_1"]


def test_names_snake_case_of_class_name() -> None:
    model = Model([{"type": "Reshape", "target_shape": [2, 2]},
                   {"type": "Conv1D", "filters": 2, "kernel_size": 1},
                   {"type": "GlobalAveragePooling1D"}], input_shape=(4,))
    assert model.layer_names == ["reshape", "conv1d", "global_average_pooling1d"]


def test_names_follow_edits() -> None:
    model = classic()
    model.remove(0)
    assert model.layer_names == ["dense", "dense_1"]


def test_names_duplicate_rejected_at_second_layer() -> None:
    model = Model([dense(4), dense(4, name="dense")], input_shape=(3,))
    with pytest.raises(ShapeError) as info:
        model.summary()
    assert (info.value.layer_index, info.value.argument) == (1, "name")


def test_names_input_layer_reserved_as_in_keras() -> None:
    model = Model([dense(4), dense(1, name="input_layer")], input_shape=(3,))
    with pytest.raises(ShapeError) as info:
        model.summary()
    assert (info.value.layer_index, info.value.argument) == (1, "name")
    assert "input" in str(info.value)


def test_names_slash_refused_as_in_keras() -> None:
    model = Model([dense(4), dense(1, name="out/put")], input_shape=(3,))
    with pytest.raises(ShapeError) as info:
        model.summary()
    assert (info.value.layer_index, info.value.argument) == (1, "name")
    assert '"/"' in str(info.value)


@pytest.mark.parametrize("name", [5, None, "my/model"])
def test_model_name_not_string_or_with_slash_raises_shape_error(name: Any) -> None:
    with pytest.raises(ShapeError) as info:
        Model([dense(2)], input_shape=(3,), name=name)
    assert info.value.argument == "name"


def test_model_name_in_spec_not_string_raises_shape_error() -> None:
    with pytest.raises(ShapeError):
        Model.from_spec({"input_shape": [3], "layers": [], "name": 5})


# --- the input --------------------------------------------------------------------------
def test_input_shape_tuple_gives_batch_none() -> None:
    assert Model([dense(2)], input_shape=(50, 50, 3)).batch_input_shape == (None, 50, 50, 3)


def test_input_dim_is_input_shape_of_one_axis() -> None:
    assert Model([dense(2)], input_dim=3).to_spec() == Model([dense(2)],
                                                           input_shape=(3,)).to_spec()


def test_input_batch_shape_sets_shape_and_batch() -> None:
    model = Model([dense(2)], batch_shape=(30, 4, 10))
    assert (model.input_shape, model.batch_size) == ((4, 10), 30)


def test_input_batch_size_fixes_batch_axis_of_every_row() -> None:
    model = Model([dense(2), dense(1)], input_shape=(4,), batch_size=30)
    assert [row.output_shape for row in model.summary()] == [(30, 2), (30, 1)]


def test_input_unknown_sizes_kept_as_none() -> None:
    model = Model([dense(2)], input_shape=(None, 5))
    assert model.summary().output_shape == (None, None, 2)


def test_input_shape_int_suggests_tuple_with_comma() -> None:
    with pytest.raises(ShapeError) as info:
        Model([dense(2)], input_shape=3)
    assert info.value.argument == "input_shape"
    assert "(3,)" in str(info.value)


@pytest.mark.parametrize("batch", [0, -1, 2.5, "30", True])
def test_input_bad_batch_size_raises_shape_error(batch: Any) -> None:
    with pytest.raises(ShapeError) as info:
        Model([dense(2)], input_shape=(3,), batch_size=batch)
    assert info.value.argument == "batch_size"
    assert repr(batch) in str(info.value)


def test_input_bad_batch_size_in_set_input_keeps_old_value() -> None:
    model = Model([dense(2)], input_shape=(3,), batch_size=4)
    with pytest.raises(ShapeError):
        model.set_input(batch_size=0)
    assert model.batch_size == 4


def test_input_two_spellings_rejected() -> None:
    with pytest.raises(ShapeError, match="only one"):
        Model([dense(2)], input_shape=(3,), input_dim=3)


def test_input_bad_dtype_rejected() -> None:
    with pytest.raises(ShapeError, match="int32"):
        Model([dense(2)], input_shape=(3,), input_dtype="double")  # Keras: Invalid dtype


# --- errors: rows kept before the broken layer ----------------------------------------
def broken() -> Model:
    return Model([{"type": "Conv2D", "filters": 8, "kernel_size": 3},
                  {"type": "Conv2D", "filters": 8, "kernel_size": 9, "name": "big"},
                  dense(2)], input_shape=(8, 8, 1))


def test_analyze_keeps_rows_before_broken_layer() -> None:
    result = broken().analyze()
    assert [row.output_shape for row in result] == [(None, 6, 6, 8)]
    assert result.error is not None
    assert not result.ok


def test_summary_broken_layer_raises_with_location() -> None:
    with pytest.raises(ShapeError) as info:
        broken().summary()
    err = info.value
    assert (err.layer_index, err.layer_name, err.argument) == (1, "big", "kernel_size")
    assert isinstance(err, ValueError)


def test_summary_broken_layer_message_names_layer() -> None:
    with pytest.raises(ShapeError, match="Layer 1 'big' \\(Conv2D\\)"):
        broken().summary()


def test_summary_fixing_broken_layer_clears_error() -> None:
    model = broken()
    model.set_arg(1, "kernel_size", 3)
    assert model.summary().output_shape == (None, 4, 4, 2)


# --- totals -----------------------------------------------------------------------------
def test_totals_params_of_classic_network() -> None:
    result = classic().summary()
    assert [row.params for row in result] == [16, 20, 5]
    assert (result.total_params, result.trainable_params, result.non_trainable_params) == (
        41, 41, 0)


def test_totals_frozen_layer_counts_non_trainable() -> None:
    model = Model([dense(4, trainable=False), dense(1)], input_shape=(3,))
    result = model.summary()
    assert (result.trainable_params, result.non_trainable_params) == (5, 16)


def test_totals_values_per_sample_and_batch() -> None:
    result = Model([{"type": "Flatten"}], input_shape=(4, 10), batch_size=30).summary()
    assert result.input_values_per_sample == 40
    assert result.input_values_per_batch == 1200
    assert result.input_values_expression == "30·4·10"


def test_totals_values_per_batch_unknown_without_batch_size() -> None:
    result = Model([{"type": "Flatten"}], input_shape=(4, 10)).summary()
    assert result.input_values_per_batch is None


def test_totals_weight_bytes_are_float32() -> None:
    assert classic().summary().weight_bytes == 4 * 41


def test_totals_activation_bytes_of_fixed_batch() -> None:
    result = Model([dense(4), dense(1)], input_shape=(3,), batch_size=10).summary()
    assert result.activation_values_per_sample == 3 + 4 + 1
    assert result.activation_bytes() == 4 * 10 * 8


def test_totals_activation_bytes_for_given_batch() -> None:
    result = classic().summary()
    assert result.activation_bytes() is None
    assert result.activation_bytes(2) == 4 * 2 * (3 + 4 + 4 + 1)


def test_compute_summary_directly_matches_model() -> None:
    model = classic()
    result = compute_summary(model.layers, model.layer_names, model.batch_input_shape)
    assert [row.output_shape for row in result] == [(None, 4), (None, 4), (None, 1)]


# --- text table -------------------------------------------------------------------------
def test_print_table_lists_rows_and_totals() -> None:
    text = str(classic())
    assert 'Model: "sequential"' in text
    for name, shape, params in (("dense (Dense)", "(None, 4)", "16"),
                                ("dense_1 (Dense)", "(None, 4)", "20"),
                                ("dense_2 (Dense)", "(None, 1)", "5")):
        line = next(line for line in text.splitlines() if name in line)
        assert shape in line
        assert line.rstrip(" │").endswith(params)
    assert "Total params: 41 (164.00 B)" in text
    assert "Trainable params: 41 (164.00 B)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text


def test_print_table_shows_input_as_tensor() -> None:
    text = str(classic())
    assert "input: (None, 3)" in text
    assert "not a layer" in text


def test_print_table_thousands_separator() -> None:
    text = str(Model([dense(1000)], input_shape=(1000,)))
    assert "1,001,000" in text


def test_print_broken_model_shows_error() -> None:
    text = str(broken())
    assert "Error:" in text
    assert "conv2d (Conv2D)" in text
    assert "big (Conv2D)" not in text


# --- spec -------------------------------------------------------------------------------
def test_copy_is_equal_and_independent() -> None:
    model = classic()
    twin = model.copy()
    assert twin == model
    twin.add(dense(3))
    assert twin != model


# --- imports ----------------------------------------------------------------------------
def test_import_does_not_load_ipywidgets_or_matplotlib() -> None:
    code = ("import sys, shapewidget\n"
            "m = shapewidget.Model([{'type': 'Dense', 'units': 4}], input_shape=(3,))\n"
            "str(m); m.to_spec()\n"
            "print(sorted(k for k in sys.modules if k.split('.')[0] in "
            "('ipywidgets', 'matplotlib')))")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "[]"
