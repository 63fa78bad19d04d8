"""Whatever a person types or pastes into the widget ends in a ShapeError message
(issue 11, item 2): no internal error, nothing raised, the last valid model on screen."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shapewidget.widget import ShapeWidget

HOSTILE_TEXT = [
    "", " ", "9" * 5000, "1" + "0" * 400, "1," * 3000, "²", "3, ²", "٣", "(((", "\x00",
    "\ud800", "\u200b", "\u00ad", "\ufeff", "a/b", "x" * 5000, "nan", "inf", "-1", "0",
    "None, None", "[1, 2]", "{}", "'", "\\", "$\\frac$", "<img src=x>", "10**10**10",
]
INVISIBLE_NAMES = ["\u200b", "\u00ad", "\ufeff", "\u2060", "a\u200b", "$\\frac$", "$x^2$"]


def kind(w: ShapeWidget) -> str:
    found = [c for c in w.status._dom_classes if c.startswith("sw-status-")]
    return found[0] if found else ""


def assert_handled(w: ShapeWidget, what: str) -> None:
    assert w.last_internal_error is None, f"{what}:\n{w.last_internal_traceback}"
    # ok, a refused value kept in its field (invalid) or a model Keras would reject
    # (error): each a message of a ShapeError, never an internal error
    assert kind(w) in ("sw-status-ok", "sw-status-invalid", "sw-status-error"), (
        what, w.status_text)


@pytest.mark.parametrize("field", ["shape_text", "batch_text"])
def test_widget_hostile_huge_number_is_refused_as_too_long(field: str) -> None:
    w = ShapeWidget()
    table = w.table.value
    getattr(w, field).value = "9" * 5000
    assert_handled(w, field)
    assert kind(w) == "sw-status-invalid"
    assert "too long (5000 characters)" in w.status_text
    assert w.table.value == table  # the last valid model stays on screen
    assert w.stale


@pytest.mark.parametrize("text", ["²", "3, ²", "٣"])
def test_widget_hostile_unicode_digits_in_shape_are_refused(text: str) -> None:
    w = ShapeWidget()
    w.shape_text.value = text
    assert_handled(w, text)
    assert kind(w) == "sw-status-invalid"
    assert "input_shape" in w.status_text


@pytest.mark.parametrize("text", ["²", "٣"])
def test_widget_hostile_unicode_digits_in_batch_are_refused(text: str) -> None:
    w = ShapeWidget()
    w.batch_text.value = text
    assert_handled(w, text)
    assert kind(w) == "sw-status-invalid"
    assert "batch_size" in w.status_text


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_widget_hostile_invisible_layer_name_draws(name: str) -> None:
    w = ShapeWidget()
    w.rows[0].more.value = True
    w.rows[0].controls["name"].widget.value = name
    assert_handled(w, repr(name))
    if kind(w) == "sw-status-ok":
        assert w.model.layers[0].name == name
        assert bytes(w.diagram_image.value)


@pytest.mark.parametrize("index", range(6))
def test_widget_hostile_emptied_name_of_referenced_layer_takes_automatic_name(
        index: int) -> None:
    w = ShapeWidget(preset="two_branch")
    w.rows[index].more.value = True
    w.rows[index].controls["name"].widget.value = ""
    assert_handled(w, f"row {index}")
    assert kind(w) == "sw-status-ok", w.status_text
    names = w.model.layer_names
    tensors = {*names, *w.model.input_names}
    assert w.model.layers[index].name is None
    assert set(w.model.outputs) <= tensors
    for layer in w.model.layers:
        assert set(layer.inbound or ()) <= tensors


def _text_fields(w: ShapeWidget) -> list[tuple[str, Any]]:
    fields: list[tuple[str, Any]] = [("shape", w.shape_text), ("batch", w.batch_text),
                                     ("input name", w.input_name_text)]
    for i, row in enumerate(w.rows):
        row.more.value = True
        for name, control in row.controls.items():
            if control.kind in ("text", "name", "open_choice"):
                fields.append((f"row {i} {name}", control.widget))
    return fields


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(preset=st.sampled_from(["neurons", "cnn", "lstm", "two_branch"]),
       pick=st.integers(min_value=0, max_value=10_000),
       value=st.sampled_from(HOSTILE_TEXT) | st.text(max_size=30))
@example(preset="cnn", pick=15, value="a/b")  # a layer name Keras refuses
def test_widget_hostile_any_text_in_any_field_is_handled(preset: str, pick: int,
                                                         value: str) -> None:
    w = ShapeWidget(preset=preset)
    fields = _text_fields(w)
    where, widget = fields[pick % len(fields)]
    widget.value = value
    assert_handled(w, f"{preset}: {where} = {value[:40]!r}")
    if kind(w) == "sw-status-invalid":
        assert w.stale  # the views keep the last valid model, marked stale
