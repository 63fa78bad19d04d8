"""The views: shape table, Keras code in three styles, explanation of the selected layer."""

from __future__ import annotations

import pytest

from shapewidget.widget import ShapeWidget


def widget() -> ShapeWidget:
    w = ShapeWidget()
    w.tabs.selected_index = 2
    return w


def test_code_view_shows_sequential_code_by_default() -> None:
    w = widget()
    assert "keras.Sequential" in w.code.value
    assert "(3,)" in w.code.value
    assert "sw-code" in w.code._dom_classes


@pytest.mark.parametrize(("style", "marker"), [("functional", "keras.Model(inputs="),
                                               ("legacy", "model.add(")])
def test_code_style_buttons_switch_style(style: str, marker: str) -> None:
    w = widget()
    w.code_style.value = style
    assert marker in w.code.value


def test_code_view_follows_edits_in_chosen_style() -> None:
    w = widget()
    w.code_style.value = "functional"
    w.rows[0].controls["units"].widget.value = 7
    assert "Dense(7" in w.code.value
    assert "keras.Model(inputs=" in w.code.value


def test_table_view_follows_edits() -> None:
    w = widget()
    w.rows[2].controls["units"].widget.value = 3
    assert "(None, 3)" in w.table.value
    assert "sw-table" in w.table._dom_classes


def test_explanation_of_selected_layer_follows_edits() -> None:
    w = widget()
    w.rows[0].select.click()
    w.rows[0].controls["units"].widget.value = 6
    assert "kernel (3, 6)" in w.explanation.value
    assert "Input (None, 3) → output (None, 6)" in w.explanation.value


def test_explanation_of_rejected_layer_shows_error() -> None:
    w = widget()
    w.add_layer("Conv2D")
    assert w.selected == 3
    assert "rank" in w.explanation.value
    assert 'class="sw-error"' in w.explanation.value
