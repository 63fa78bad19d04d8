"""Random sequences of widget edits, invalid ones included (hypothesis stateful test).

Edits include the functional ones: connecting a layer to other tensors, adding, editing
and removing inputs, sharing a layer, marking outputs.

Checks after every step: no exception escaped a handler, the model is valid or the status
line says what is wrong, every layer has its row, and the spec round-trips; undo restores
the spec from before the last edit exactly and redo re-applies it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.widget import ShapeWidget
from shapewidget.widget.presets import available_presets

SHAPES = ["3", "(3)", "3,", "50, 50, 3", "(28, 28, 1)", "[10, 8]", "10 8", "abc", "", "0",
          "-4", "None, 5", "(None,)", "1e3", "((", "7, 7, 7, 7"]
BATCHES = ["None", "", "30", "1", "0", "-1", "x", "2.5"]
TEXTS = ["3", "(3, 3)", "(3,)", "(2, 2, 2)", "0", "(3)", "", "'same'", "same", "None", "((",
         "[1, 2]", "-1", "glorot_uniform"]
CODES = [
    "model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3)])",
    "model = keras.Sequential([layers.Dense(4, input_shape=(5,))])",
    "model = keras.Sequential([layers.Dense(])",
    "model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(-1)])",
    "x = 1",
    "",
]
INPUT_NAMES = ["meta", "image", "", "a/b", "dense", "input_layer", "x"]
rows_index = st.integers(0, 40)
picks = st.lists(st.integers(0, 40), max_size=3)


def pick(choices: list[str], indices: list[int]) -> list[str]:
    return [choices[k % len(choices)] for k in indices] if choices else []


class WidgetMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.w = ShapeWidget()
        self.w.tabs.selected_index = 1  # drawing checked in teardown only (it is slow)
        self.undo_stack: list[dict[str, Any]] = []
        self.redo_stack: list[dict[str, Any]] = []

    # --- helpers -------------------------------------------------------------------
    def edit(self, action: Any) -> None:
        before = self.w.model.to_spec()
        action()
        after = self.w.model.to_spec()
        if after != before:
            self.undo_stack.append(before)
            self.redo_stack.clear()

    def row(self, i: int) -> Any:
        rows = self.w.rows
        return rows[i % len(rows)] if rows else None

    # --- rules ---------------------------------------------------------------------
    @rule(text=st.sampled_from(SHAPES))
    def type_shape(self, text: str) -> None:
        self.edit(lambda: setattr(self.w.shape_text, "value", text))

    @rule(text=st.sampled_from(BATCHES))
    def type_batch(self, text: str) -> None:
        self.edit(lambda: setattr(self.w.batch_text, "value", text))

    @rule(type_name=st.sampled_from(sorted(LAYER_TYPES)), position=st.integers(-1, 8))
    def add_layer(self, type_name: str, position: int) -> None:
        w = self.w
        w.type_picker.value = type_name
        values = [v for _, v in w.position_picker.options]
        w.position_picker.value = values[position % len(values)] if position >= 0 else -1
        self.edit(w.add_button.click)

    @rule(i=rows_index, value=st.integers(-3, 12))
    def set_int(self, i: int, value: int) -> None:
        row = self.row(i)
        if row is None:
            return
        ints = [c for c in row.controls.values() if c.kind == "int"]
        if ints:
            control = ints[value % len(ints)]
            self.edit(lambda: setattr(control.widget, "value", value))

    @rule(i=rows_index, text=st.sampled_from(TEXTS), k=st.integers(0, 5))
    def set_text(self, i: int, text: str, k: int) -> None:
        row = self.row(i)
        if row is None:
            return
        texts = [c for c in row.controls.values() if c.kind == "text"]
        if texts:
            control = texts[k % len(texts)]
            self.edit(lambda: setattr(control.widget, "value", text))

    @rule(i=rows_index, k=st.integers(0, 50))
    def set_choice_or_flag(self, i: int, k: int) -> None:
        row = self.row(i)
        if row is None:
            return
        others = [c for c in row.controls.values() if c.kind in ("choice", "bool")]
        if others:
            control = others[k % len(others)]
            if control.kind == "bool":
                new: Any = not control.widget.value
            else:
                new = k % len(control.choices)
            self.edit(lambda: setattr(control.widget, "value", new))

    @rule(i=rows_index)
    def toggle_advanced(self, i: int) -> None:
        row = self.row(i)
        if row is not None:
            self.edit(lambda: setattr(row.more, "value", not row.more.value))

    @rule(i=rows_index, button=st.sampled_from(["remove", "up", "down", "dup", "select"]))
    def row_button(self, i: int, button: str) -> None:
        row = self.row(i)
        if row is not None:
            self.edit(getattr(row, button).click)

    @rule(code=st.sampled_from(CODES))
    def paste(self, code: str) -> None:
        self.w.paste_text.value = code
        self.edit(self.w.paste_button.click)

    @rule(name=st.sampled_from(available_presets()))
    def preset(self, name: str) -> None:
        self.w.preset_picker.value = name
        self.edit(self.w.preset_button.click)

    # --- functional edits ------------------------------------------------------------
    @rule(i=rows_index, indices=picks)
    def connect(self, i: int, indices: list[int]) -> None:
        row = self.row(i)
        if row is not None:
            value = pick(row.inbound.choices, indices)
            self.edit(lambda: setattr(row.inbound.widget, "value", value))

    @rule(type_name=st.sampled_from(sorted(LAYER_TYPES)), indices=picks)
    def add_connected(self, type_name: str, indices: list[int]) -> None:
        w = self.w
        w.type_picker.value = type_name
        w.new_inbound.widget.value = pick(w.new_inbound.choices, indices)
        self.edit(w.add_button.click)

    @rule()
    def add_input(self) -> None:
        self.edit(self.w.add_input_button.click)

    @rule(i=rows_index, field=st.sampled_from(["name", "shape", "batch", "dtype"]),
          k=st.integers(0, 40))
    def edit_input(self, i: int, field: str, k: int) -> None:
        rows = self.w.input_rows
        if not rows:
            return
        row = rows[i % len(rows)]
        value: Any = {"name": INPUT_NAMES, "shape": SHAPES, "batch": BATCHES,
                      "dtype": ["float32", "int32"]}[field]
        widget = getattr(row, field)
        self.edit(lambda: setattr(widget, "value", value[k % len(value)]))

    @rule(i=rows_index)
    def remove_input(self, i: int) -> None:
        rows = self.w.input_rows
        if rows:
            self.edit(rows[i % len(rows)].remove.click)

    @rule(text=st.sampled_from(INPUT_NAMES))
    def name_first_input(self, text: str) -> None:
        self.edit(lambda: setattr(self.w.input_name_text, "value", text))

    @rule(i=rows_index, indices=picks)
    def share(self, i: int, indices: list[int]) -> None:
        row = self.row(i)
        if row is not None:
            w = self.w
            w.new_inbound.widget.value = pick(w.new_inbound.choices, indices[:1])
            self.edit(row.share.click)

    @rule(indices=picks)
    def mark_outputs(self, indices: list[int]) -> None:
        picker = self.w.outputs_picker
        value = pick(picker.choices, indices)
        self.edit(lambda: setattr(picker.widget, "value", value))

    @rule()
    def python_edit(self) -> None:
        self.edit(lambda: self.w.model.add("Dense", units=2))

    @rule()
    def undo(self) -> None:
        current = self.w.model.to_spec()
        self.w.undo_button.click()
        if self.undo_stack:
            assert self.w.model.to_spec() == self.undo_stack.pop()
            self.redo_stack.append(current)
        else:
            assert self.w.model.to_spec() == current

    @rule()
    def redo(self) -> None:
        current = self.w.model.to_spec()
        self.w.redo_button.click()
        if self.redo_stack:
            assert self.w.model.to_spec() == self.redo_stack.pop()
            self.undo_stack.append(current)
        else:
            assert self.w.model.to_spec() == current

    # --- invariants ----------------------------------------------------------------
    @invariant()
    def nothing_escaped(self) -> None:
        assert self.w.last_internal_error is None, self.w.last_internal_traceback

    @invariant()
    def valid_or_error_shown(self) -> None:
        summary = self.w.model.analyze()
        status = self.w.status_text
        if self.w.stale:
            assert status.startswith("⚠")
        elif summary.error is not None:
            assert "Keras would reject" in status or status.startswith("⚠")
            assert summary.error.message("en") in status or status.startswith("⚠")
        else:
            assert status.startswith(("✓", "⚠"))

    @invariant()
    def one_row_per_layer(self) -> None:
        assert len(self.w.rows) == len(self.w.model.layers)

    @invariant()
    def one_row_per_extra_input(self) -> None:
        assert len(self.w.input_rows) == len(self.w.model.extra_inputs)

    @invariant()
    def spec_round_trips(self) -> None:
        spec = self.w.model.to_spec()
        assert Model.from_spec(spec).to_spec() == spec

    @invariant()
    def undo_button_matches_history(self) -> None:
        assert self.w.undo_button.disabled == (not self.w.history.can_undo)

    def teardown(self) -> None:
        self.w.tabs.selected_index = 0
        assert self.w.last_internal_error is None, self.w.last_internal_traceback
        self.w.close()


WidgetMachine.TestCase.settings = settings(
    max_examples=30, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_widget_edits_never_escape = WidgetMachine.TestCase
