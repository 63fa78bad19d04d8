"""Undo and redo of every edit (a history of specs)."""

from __future__ import annotations

from shapewidget.widget import ShapeWidget
from shapewidget.widget.history import History


def widget() -> ShapeWidget:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    return w


def test_undo_button_disabled_before_any_edit() -> None:
    w = widget()
    assert w.undo_button.disabled and w.redo_button.disabled


def test_undo_restores_previous_spec_exactly() -> None:
    w = widget()
    before = w.model.to_spec()
    w.rows[0].controls["units"].widget.value = 9
    w.undo_button.click()
    assert w.model.to_spec() == before
    assert w.rows[0].controls["units"].widget.value == 4


def test_redo_reapplies_undone_edit() -> None:
    w = widget()
    w.rows[0].remove.click()
    after = w.model.to_spec()
    w.undo_button.click()
    w.redo_button.click()
    assert w.model.to_spec() == after
    assert w.redo_button.disabled


def test_new_edit_after_undo_drops_redo() -> None:
    w = widget()
    w.rows[0].controls["units"].widget.value = 9
    w.undo()
    w.rows[1].controls["units"].widget.value = 2
    assert w.redo_button.disabled


def test_undo_covers_python_edits_and_keeps_model_object() -> None:
    w = widget()
    model = w.model
    model.add("Dense", units=3)
    w.undo()
    assert w.model is model
    assert len(model.layers) == 3


def test_invalid_value_adds_no_history_entry() -> None:
    w = widget()
    w.rows[0].controls["units"].widget.value = 0
    assert len(w.history) == 1


def test_history_limit_drops_oldest() -> None:
    h = History({"n": 0}, limit=3)
    for n in range(1, 6):
        h.record({"n": n})
    assert len(h) == 3
    assert h.undo() == {"n": 4}
    assert h.undo() == {"n": 3}
    assert not h.can_undo
