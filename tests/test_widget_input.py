"""The input section: shape text, batch size, dtype and what Keras prints."""

from __future__ import annotations

import pytest

from shapewidget.widget import ShapeWidget


def input_widget() -> ShapeWidget:
    w = ShapeWidget()
    w.tabs.selected_index = 1  # the drawing is not needed here
    return w


@pytest.mark.parametrize("text", ["50, 50, 3", "(50, 50, 3)", "[50, 50, 3]", "50 50 3",
                                  "50x50x3"])
def test_input_shape_text_accepts_written_forms(text: str) -> None:
    w = input_widget()
    w.model.clear()
    w.shape_text.value = text
    assert w.model.input_shape == (50, 50, 3)
    assert not w.stale


def test_input_shape_bare_int_is_one_axis() -> None:
    w = input_widget()
    w.shape_text.value = "7"
    assert w.model.input_shape == (7,)


def test_input_shape_parenthesised_int_explains_and_suggests_comma() -> None:
    w = input_widget()
    w.shape_text.value = "(3)"
    message = w.input_message.value
    assert "it is the int 3" in message
    assert "(3,)" in message
    assert "(3,)" in w.status_text
    assert "input_shape" in w.status_text
    assert w.stale


def test_input_shape_garbage_keeps_model_and_marks_field() -> None:
    w = input_widget()
    w.shape_text.value = "fifty"
    assert w.model.input_shape == (3,)
    assert "sw-invalid" in w.shape_text._dom_classes
    w.shape_text.value = "4"
    assert "sw-invalid" not in w.shape_text._dom_classes
    assert w.input_message.value == ""


def test_batch_size_fixed_shows_keras_print_and_batch_values() -> None:
    w = input_widget()
    w.model.clear()
    w.shape_text.value = "50, 50, 3"
    w.batch_text.value = "30"
    assert w.model.batch_size == 30
    assert "(30, 50, 50, 3)" in w.input_info.value
    assert "30·50·50·3 = 225,000" in w.input_info.value
    assert "50·50·3 = 7,500" in w.input_info.value


def test_batch_size_none_shows_none_batch_axis() -> None:
    w = input_widget()
    w.model.clear()
    w.shape_text.value = "50, 50, 3"
    w.batch_text.value = "30"
    w.batch_text.value = "None"
    assert w.model.batch_size is None
    assert "(None, 50, 50, 3)" in w.input_info.value


def test_batch_size_invalid_names_argument() -> None:
    w = input_widget()
    w.batch_text.value = "0"
    assert w.model.batch_size is None
    assert "batch_size" in w.status_text
    assert "sw-invalid" in w.batch_text._dom_classes


def test_input_dim_shorthand_shown_for_one_axis_only() -> None:
    w = input_widget()
    assert "input_dim=3" in w.input_info.value
    w.model.clear()
    w.shape_text.value = "50, 50, 3"
    assert "input_dim" not in w.input_info.value


def test_dtype_picker_sets_model_dtype() -> None:
    w = input_widget()
    w.dtype_picker.value = "int32"
    assert w.model.input_dtype == "int32"


def test_leading_none_gets_batch_axis_note() -> None:
    w = input_widget()
    w.model.clear()
    w.shape_text.value = "None, 4"
    assert w.model.input_shape == (None, 4)
    assert "leave it out" in w.input_info.value
