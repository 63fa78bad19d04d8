"""The layers section: add, remove, move, duplicate, select; generated controls."""

from __future__ import annotations

from typing import Any

import ipywidgets
import pytest
from keras_reference import assert_matches_keras

from shapewidget.layers import CATALOGUE, FAMILIES, LAYER_TYPES
from shapewidget.widget import ShapeWidget


def make(**kwargs: Any) -> ShapeWidget:
    w = ShapeWidget(**kwargs)
    w.tabs.selected_index = 1
    return w


def test_add_layer_appends_at_end_by_default() -> None:
    w = make()
    w.type_picker.value = "Dropout"
    w.add_button.click()
    assert [type(la).__name__ for la in w.model.layers] == ["Dense", "Dense", "Dense",
                                                            "Dropout"]
    assert len(w.rows) == 4


def test_add_layer_at_position_inserts_before_it() -> None:
    w = make()
    w.type_picker.value = "Dropout"
    w.position_picker.value = 1
    w.add_button.click()
    assert type(w.model.layers[1]).__name__ == "Dropout"
    assert w.selected == 1


def test_add_layer_gives_required_arguments_a_value() -> None:
    w = make()
    w.model.clear()
    w.type_picker.value = "Dense"
    w.add_button.click()
    assert w.model.layers[0].units >= 1
    assert w.model.analyze().ok


def test_type_picker_is_grouped_by_family_in_catalogue_order() -> None:
    w = make()
    values = [v for _, v in w.type_picker.options]
    assert set(values) == set(LAYER_TYPES)
    family_order = [FAMILIES.index(LAYER_TYPES[v].family) for v in values
                    if LAYER_TYPES[v].family in FAMILIES]
    assert family_order == sorted(family_order)
    label = dict((v, k) for k, v in w.type_picker.options)["Dense"]
    assert label.startswith("core")


@pytest.mark.parametrize("cls", CATALOGUE, ids=lambda c: c.type_name())
def test_every_catalogue_type_can_be_added_without_internal_error(cls: Any) -> None:
    w = make()
    w.type_picker.value = cls.type_name()
    w.add_button.click()
    assert w.last_internal_error is None, w.last_internal_traceback
    assert "<object object" not in w.status_text  # a missing argument is named as such


@pytest.mark.parametrize(("type_name", "preset"), [
    ("EinsumDense", "neurons"), ("Lambda", "neurons"), ("Rescaling", "cnn"),
    ("RandomRotation", "cnn"), ("RandomTranslation", "cnn"), ("RandomZoom", "cnn"),
    ("RandomContrast", "cnn"), ("RNN", "lstm")])
def test_add_layer_suggests_arguments_keras_accepts(type_name: str, preset: str) -> None:
    w = ShapeWidget(preset=preset)
    count = len(w.model.layers)
    w.type_picker.value = type_name
    w.add_button.click()
    assert len(w.model.layers) == count + 1, w.status_text
    assert w.model.layers[-1].type_name() == type_name
    assert_matches_keras(w.model.to_spec())


def test_remove_layer_button_removes_that_layer() -> None:
    w = make()
    w.model.set_arg(1, "units", 9)
    w.rows[1].remove.click()
    assert [la.units for la in w.model.layers] == [4, 1]


def test_move_down_button_swaps_layers() -> None:
    w = make()
    w.model.set_arg(0, "units", 7)
    w.rows[0].down.click()
    assert [la.units for la in w.model.layers] == [4, 7, 1]


def test_move_up_button_keeps_selection_on_moved_layer() -> None:
    w = make()
    w.rows[2].select.click()
    w.rows[2].up.click()
    assert [la.units for la in w.model.layers] == [4, 1, 4]
    assert w.selected == 1


def test_move_up_button_disabled_on_first_row() -> None:
    w = make()
    assert w.rows[0].up.disabled
    assert w.rows[-1].down.disabled
    assert not w.rows[1].up.disabled


def test_duplicate_button_inserts_a_copy_after() -> None:
    w = make()
    w.model.set_arg(1, "units", 9)
    w.rows[1].dup.click()
    assert [la.units for la in w.model.layers] == [4, 9, 9, 1]


def test_select_button_highlights_row_and_explains_layer() -> None:
    w = make()
    w.rows[1].select.click()
    assert w.selected == 1
    assert "sw-selected" in w.rows[1].box._dom_classes
    assert "dense_1" in w.explanation.value
    assert "kernel (4, 4)" in w.explanation.value
    assert 'class="sw-highlight"' in w.table.value


def test_select_button_twice_clears_selection() -> None:
    w = make()
    w.rows[1].select.click()
    w.rows[1].select.click()
    assert w.selected is None
    assert "not a layer" in w.explanation.value


def test_units_control_is_int_text_setting_units() -> None:
    w = make()
    control = w.rows[0].controls["units"].widget
    assert isinstance(control, ipywidgets.IntText)
    assert "sw-units" in control._dom_classes
    control.value = 10
    assert w.model.layers[0].units == 10
    assert "(None, 10)" in w.rows[0].out.value


def test_controls_kinds_follow_param_declarations() -> None:
    w = make()
    controls = w.rows[0].controls
    assert isinstance(controls["activation"].widget, ipywidgets.Dropdown)
    assert isinstance(controls["use_bias"].widget, ipywidgets.Checkbox)
    assert "kernel_initializer" not in controls


def test_bool_control_sets_use_bias() -> None:
    w = make()
    w.rows[0].controls["use_bias"].widget.value = False
    assert w.model.layers[0].use_bias is False
    assert w.model.summary()[0].params == 12


def test_choice_control_sets_activation_including_none() -> None:
    w = make()
    control = w.rows[0].controls["activation"]
    control.widget.value = control.choices.index("tanh")
    assert w.model.layers[0].activation == "tanh"
    control.widget.value = control.choices.index(None)
    assert w.model.layers[0].activation is None


def test_float_control_sets_dropout_rate() -> None:
    w = make()
    w.add_layer("Dropout")
    control = w.rows[-1].controls["rate"].widget
    assert isinstance(control, ipywidgets.FloatText)
    control.value = 0.25
    assert w.model.layers[-1].rate == 0.25


@pytest.mark.skipif("Conv2D" not in LAYER_TYPES, reason="Conv2D not in this catalogue")
def test_int_tuple_control_reads_tuple_text() -> None:
    w = make(preset="cnn")
    control = w.rows[0].controls["kernel_size"].widget
    assert isinstance(control, ipywidgets.Text)
    control.value = "(5, 3)"
    assert w.model.layers[0].kernel_size == (5, 3)
    assert w.model.summary()[0].output_shape == (30, 46, 48, 8)


@pytest.mark.skipif("Conv2D" not in LAYER_TYPES, reason="Conv2D not in this catalogue")
def test_padding_control_is_a_dropdown() -> None:
    w = make(preset="cnn")
    control = w.rows[0].controls["padding"]
    assert isinstance(control.widget, ipywidgets.Dropdown)
    control.widget.value = control.choices.index("same")
    assert w.model.summary()[0].output_shape == (30, 50, 50, 8)


def test_advanced_toggle_shows_arguments_that_do_not_change_shapes() -> None:
    w = make()
    row = w.rows[0]
    assert row.advanced not in row.box.children
    row.more.value = True
    row = w.rows[0]
    assert row.advanced in row.box.children
    assert {"kernel_initializer", "trainable", "name"} <= set(row.controls)


def test_trainable_checkbox_freezes_parameters() -> None:
    w = make()
    w.rows[0].more.value = True
    w.rows[0].controls["trainable"].widget.value = False
    assert w.model.summary()[0].non_trainable_params == 16


def test_name_control_renames_layer() -> None:
    w = make()
    w.rows[0].more.value = True
    w.rows[0].controls["name"].widget.value = "hidden"
    assert w.model.layer_names[0] == "hidden"
    assert "hidden" in w.rows[0].title.value


def test_emptied_text_control_restores_default() -> None:
    w = make()
    w.rows[0].more.value = True
    control = w.rows[0].controls["kernel_initializer"].widget
    control.value = "he_normal"
    assert w.model.layers[0].args["kernel_initializer"] == "he_normal"
    control.value = ""
    assert "kernel_initializer" not in w.model.layers[0].args


def test_empty_model_shows_note() -> None:
    w = make()
    w.model.clear()
    assert w.layers_box.children == (w.empty_note,)


@pytest.mark.skipif("Bidirectional" not in LAYER_TYPES, reason="no wrappers in this catalogue")
def test_wrapped_layer_control_shows_spec_that_reads_back() -> None:
    w = make()
    w.model.clear()
    w.shape_text.value = "10, 4"
    w.add_layer("Bidirectional")
    control = w.rows[0].controls["layer"].widget
    assert control.value.startswith('{"type": ')
    control.value = '{"type": "GRU", "units": 3}'
    assert w.model.summary().output_shape == (None, 6)
    assert w.rows[0].controls["layer"].widget.value == '{"type": "GRU", "units": 3}'


def test_open_choice_control_is_a_combobox_taking_any_string() -> None:
    w = make()
    for cls in CATALOGUE:
        names = [p.name for p in cls.all_params() if type(p).__name__ == "OpenChoiceParam"]
        if names:
            break
    else:
        pytest.skip("no open-choice argument in this catalogue")
    w.model.clear()
    w.shape_text.value = "8, 8, 3" if "2D" in cls.type_name() else "8, 3"
    w.add_layer(cls.type_name())
    w.rows[0].more.value = True
    control = w.rows[0].controls[names[0]].widget
    assert isinstance(control, ipywidgets.Combobox)
    control.value = "my_own_value"
    assert w.model.layers[0].value(names[0]) == "my_own_value"


def test_add_layer_keeps_the_rows_already_shown() -> None:
    w = make()
    before = [row.box for row in w.rows]
    w.type_picker.value = "Dropout"
    w.add_button.click()
    assert [row.box for row in w.rows[:3]] == before


def test_reused_rows_show_the_layers_now_at_their_position() -> None:
    w = make()
    w.model.remove(0)
    w.model.insert(1, "Dropout", rate=0.5)
    names = w.model.layer_names
    assert [name in row.title.value for row, name in zip(w.rows, names, strict=True)] == \
        [True] * len(names)
