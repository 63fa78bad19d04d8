"""Bad input: messages that name layer and argument, stale views, nothing raised."""

from __future__ import annotations

import pytest

from shapewidget.layers import LAYER_TYPES
from shapewidget.widget import ShapeWidget


def test_invalid_units_names_layer_argument_in_status() -> None:
    w = ShapeWidget()
    w.rows[1].controls["units"].widget.value = 0
    assert "Layer 1 'dense_1' (Dense), argument `units`" in w.status_text
    assert "received 0" in w.status_text
    assert "sw-status-invalid" in w.status._dom_classes


def test_invalid_units_message_next_to_control() -> None:
    w = ShapeWidget()
    w.rows[1].controls["units"].widget.value = -2
    row = w.rows[1]
    assert row.message in row.box.children
    assert "units" in row.message.value
    assert "sw-invalid" in row.controls["units"].widget._dom_classes
    assert "sw-layer-invalid" in row.box._dom_classes


def test_invalid_value_keeps_last_views_marked_stale() -> None:
    w = ShapeWidget()
    image, table = bytes(w.diagram_image.value), w.table.value
    w.rows[0].controls["units"].widget.value = 0
    assert w.stale
    assert bytes(w.diagram_image.value) == image
    assert w.table.value == table
    assert "sw-stale" in w.diagram._dom_classes
    assert "sw-stale" in w.table._dom_classes
    assert "last valid model" in w.stale_note.value
    assert w.model.layers[0].units == 4


def test_fixing_invalid_value_restores_everything() -> None:
    w = ShapeWidget()
    image = bytes(w.diagram_image.value)
    w.rows[0].controls["units"].widget.value = 0
    w.rows[0].controls["units"].widget.value = 6
    assert not w.stale
    assert "sw-stale" not in w.diagram._dom_classes
    assert w.stale_note.value == ""
    assert w.rows[0].message not in w.rows[0].box.children
    assert bytes(w.diagram_image.value) != image
    assert "(None, 6)" in w.table.value
    assert w.status_text.startswith("✓")


def test_unreadable_text_value_is_reported_not_raised() -> None:
    w = ShapeWidget()
    w.rows[0].more.value = True
    w.rows[0].controls["kernel_initializer"].widget.value = "((("
    assert w.last_internal_error is None
    assert "kernel_initializer" in w.status_text
    assert w.stale


def test_empty_required_text_reports_missing_argument() -> None:
    w = ShapeWidget(preset="cnn")
    w.tabs.selected_index = 1
    w.rows[0].controls["kernel_size"].widget.value = ""
    assert "required" in w.status_text
    assert "kernel_size" in w.status_text
    assert w.model.layers[0].kernel_size == 3


@pytest.mark.skipif("Conv2D" not in LAYER_TYPES, reason="Conv2D not in this catalogue")
def test_rejected_model_shows_breaking_layer_and_keeps_earlier_rows() -> None:
    w = ShapeWidget(preset="cnn")
    w.tabs.selected_index = 1
    w.rows[2].controls["kernel_size"].widget.value = "30"
    assert not w.stale  # the value itself is fine; Keras rejects the model
    assert "Keras would reject" in w.status_text
    assert "Layer 2 'conv2d_1' (Conv2D)" in w.status_text
    assert "sw-layer-error" in w.rows[2].box._dom_classes
    assert "not computed" in w.rows[3].out.value
    assert "conv2d" in w.table.value and "max_pooling2d" in w.table.value
    assert "flatten" not in w.table.value.split("breaks the model")[0].split("</table>")[0]


@pytest.mark.skipif("Conv2D" not in LAYER_TYPES, reason="Conv2D not in this catalogue")
def test_rejected_model_still_draws_layers_before_it() -> None:
    w = ShapeWidget(preset="cnn")
    before = w.stats.draws
    w.rows[2].controls["kernel_size"].widget.value = "30"
    assert w.stats.draws == before + 1
    assert w.diagram_image.format == "svg+xml" and b"<path" in bytes(w.diagram_image.value)
    assert w.last_internal_error is None


def test_bad_input_shape_keeps_rows_and_model() -> None:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    w.shape_text.value = "3, -1"
    assert w.model.input_shape == (3,)
    assert len(w.rows) == 3
    assert "input_shape" in w.status_text


def test_later_valid_edit_clears_stale_marking() -> None:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    w.rows[0].controls["units"].widget.value = 0
    w.rows[1].controls["units"].widget.value = 5
    assert not w.stale
    assert w.rows[0].controls["units"].widget.value == 4
