"""Functional models in the widget: inbound tensors, extra inputs, outputs, shared layers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shapewidget import Model
from shapewidget.errors import ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.shared import SharedLayer
from shapewidget.text import Msg
from shapewidget.widget import ShapeWidget
from shapewidget.widget.graph_controls import refusal
from shapewidget.widget.history import History
from shapewidget.widget.presets import available_presets, preset_spec

needs_merge = pytest.mark.skipif("Concatenate" not in LAYER_TYPES,
                                 reason="merge layers not in this catalogue")
needs_two_branch = pytest.mark.skipif("two_branch" not in available_presets(),
                                      reason="two_branch preset not buildable here")


def make(**kwargs: Any) -> ShapeWidget:
    w = ShapeWidget(**kwargs)
    w.tabs.selected_index = 1  # the drawing is checked where it matters
    return w


def two_branch() -> ShapeWidget:
    return make(preset="two_branch")


def row_named(w: ShapeWidget, name: str) -> Any:
    return w.rows[w.model.layer_names.index(name)]


def add(w: ShapeWidget, type_name: str, inbound: list[str] | None = None) -> None:
    w.type_picker.value = type_name
    w.new_inbound.widget.value = inbound or []
    w.add_button.click()


# --- choosing the tensors of a new layer ---------------------------------------------
def test_new_layer_without_choice_stays_sequential() -> None:
    w = make()
    add(w, "Dense")
    assert not w.model.functional
    assert w.model.layers[-1].inbound is None
    assert set(w.model.to_spec()["layers"][-1]) == {"type", "units"}


def test_new_inbound_offers_inputs_and_layer_outputs() -> None:
    w = make()
    assert w.new_inbound.choices == ["input_layer", "dense", "dense_1", "dense_2"]
    assert "sw-new-inbound" in w.new_inbound.widget._dom_classes


def test_new_dense_takes_chosen_tensor() -> None:
    w = make()
    add(w, "Dense", ["dense"])
    assert w.model.functional
    assert w.model.layers[-1].inbound == ("dense",)
    row = w.model.analyze().rows[-1]
    assert row.inbound == ("dense",) and row.input_shape == (None, 4)
    assert w.status_text.startswith("✓")
    assert w.new_inbound.read() is None  # back to the default for the next layer


def test_new_inbound_placeholder_names_previous_tensor() -> None:
    w = make()
    assert "dense_2" in w.new_inbound.widget.placeholder
    w.position_picker.value = 0
    assert "input_layer" in w.new_inbound.widget.placeholder


def test_layer_row_shows_its_inbound_tensors() -> None:
    w = make()
    picker = w.rows[1].inbound
    assert "sw-inbound" in picker.widget._dom_classes
    assert picker.read() is None
    assert "dense" in picker.widget.placeholder
    assert "dense_1" not in picker.choices  # not its own output


def test_changing_row_inbound_connects_layer() -> None:
    w = make()
    w.rows[2].inbound.widget.value = ["dense"]
    assert w.model.layers[2].inbound == ("dense",)
    assert w.model.analyze().outputs == ("dense_1", "dense_2")
    assert w.rows[2].inbound.read() == ("dense",)


# --- inputs ----------------------------------------------------------------------------
def test_add_input_button_adds_an_input_row() -> None:
    w = make()
    w.add_input_button.click()
    assert [m.name for m in w.model.model_inputs] == ["input_layer", "input_layer_1"]
    assert len(w.input_rows) == 1
    assert "sw-add-input" in w.add_input_button._dom_classes
    assert "Keras would reject" in w.status_text and "input_layer_1" in w.status_text
    assert "input_layer_1" in w.new_inbound.choices


def test_extra_input_fields_edit_the_input() -> None:
    w = make()
    w.add_input_button.click()
    row = w.input_rows[0]
    row.shape.value = "5"
    row.batch.value = "8"
    row.dtype.value = "int32"
    row.name.value = "meta"
    assert w.model.model_inputs[1] == ("meta", (5,), 8, "int32")
    assert "(8, 5)" in row.info.value


def test_bad_extra_input_shape_is_shown_next_to_it_and_stale() -> None:
    w = make()
    w.add_input_button.click()
    row = w.input_rows[0]
    row.shape.value = "(3)"
    assert w.stale
    assert "(3,)" in w.status_text
    assert "sw-invalid" in row.shape._dom_classes
    assert "(3,)" in row.message.value
    row.shape.value = "3,"
    assert not w.stale and w.model.model_inputs[1].shape == (3,)


def test_remove_input_button_removes_it() -> None:
    w = make()
    w.add_input_button.click()
    w.input_rows[0].remove.click()
    assert w.model.extra_inputs == []
    assert w.input_rows == []


def test_first_input_name_field_names_the_input() -> None:
    w = make()
    assert "sw-input-name" in w.input_name_text._dom_classes
    w.input_name_text.value = "features"
    assert w.model.input_names[0] == "features"
    assert w.model.analyze().rows[0].inbound == ("features",)


def test_input_added_from_python_shows_in_widget() -> None:
    w = make()
    w.model.add_input((4,), name="extra")
    assert len(w.input_rows) == 1
    assert w.input_rows[0].name.value == "extra"
    assert w.input_rows[0].shape.value == "4,"


@needs_merge
def test_concatenate_on_two_tensors() -> None:
    w = make()
    w.add_input_button.click()
    w.input_rows[0].shape.value = "5"
    add(w, "Concatenate", ["dense_2", "input_layer_1"])
    assert w.model.layers[-1].inbound == ("dense_2", "input_layer_1")
    summary = w.model.analyze()
    assert summary.ok, summary.error
    assert summary.rows[-1].output_shape == (None, 6)
    assert w.rows[-1].inbound.read() == ("dense_2", "input_layer_1")
    assert w.status_text.startswith("✓")


# --- outputs ---------------------------------------------------------------------------
def test_outputs_picker_empty_means_automatic() -> None:
    w = make()
    assert "sw-outputs" in w.outputs_picker.widget._dom_classes
    assert w.outputs_picker.read() is None
    assert "dense_2" in w.outputs_picker.widget.placeholder


def test_marking_outputs_sets_model_outputs() -> None:
    w = make()
    w.rows[2].inbound.widget.value = ["dense"]
    w.outputs_picker.widget.value = ["dense_2", "dense_1"]
    assert w.model.outputs == ["dense_2", "dense_1"]
    assert w.model.analyze().outputs == ("dense_2", "dense_1")
    w.outputs_picker.widget.value = []
    assert w.model.outputs == []


def test_outputs_set_from_python_show_in_picker() -> None:
    w = make()
    w.model.set_outputs(["dense_2"])
    assert w.outputs_picker.read() == ("dense_2",)


# --- shared layers ---------------------------------------------------------------------
def test_share_button_adds_second_call_of_the_layer() -> None:
    w = make()
    w.rows[1].share.click()
    last = w.model.layers[-1]
    assert isinstance(last, SharedLayer) and last.shares == "dense_1"
    assert last.inbound == ("dense",)  # the same tensor as the first call by default
    assert w.selected == len(w.model.layers) - 1
    assert "sw-share-layer" in w.rows[1].share._dom_classes


def test_shared_row_shows_target_and_no_argument_controls() -> None:
    w = make()
    w.rows[1].share.click()
    row = w.rows[-1]
    assert "shares 'dense_1'" in row.shares_note.value
    assert row.shares_note in row.header.children or row.shares_note in row.args.children
    assert set(row.controls) <= {"name"}
    row.more.value = True
    assert set(row.controls) == {"name"}


def test_share_uses_chosen_tensor_when_given() -> None:
    w = make()
    w.new_inbound.widget.value = ["dense_1"]
    w.rows[1].share.click()
    assert w.model.layers[-1].inbound == ("dense_1",)
    assert w.model.analyze().ok


def test_sharing_a_shared_call_shares_the_original() -> None:
    w = make()
    w.rows[1].share.click()
    w.rows[-1].share.click()
    assert w.model.layers[-1].shares == "dense_1"


# --- the two-branch preset ---------------------------------------------------------------
@needs_two_branch
def test_two_branch_preset_in_picker() -> None:
    w = make()
    assert "two_branch" in [v for _, v in w.preset_picker.options]
    w.preset_picker.value = "two_branch"
    w.preset_button.click()
    assert w.model.functional
    assert w.model.input_names == ["image", "meta"]
    assert len(w.input_rows) == 1 and w.input_rows[0].name.value == "meta"
    assert w.outputs_picker.read() == ("score", "kind")
    assert w.status_text.startswith("✓")


@needs_two_branch
def test_two_branch_preset_rows_show_merge_inbound() -> None:
    w = two_branch()
    assert row_named(w, "joined").inbound.read() == ("flat", "meta_dense")
    assert "Connected to" in w.table.value
    assert "meta_dense[0][0]" in w.table.value


@needs_two_branch
def test_two_branch_preset_draws_without_error() -> None:
    w = ShapeWidget(preset="two_branch")
    assert bytes(w.diagram_image.value).startswith(b"<svg") or w.diagram_text.value
    assert w.last_internal_error is None


@needs_two_branch
def test_sequential_code_of_branching_model_shows_refusal() -> None:
    w = two_branch()
    w.code_style.value = "sequential"
    assert w.last_internal_error is None
    assert w.code.value.startswith("# ")  # the refusal, not code
    assert "functional" in w.code.value
    w.code_style.value = "functional"
    assert "image" in w.code.value and "meta" in w.code.value


# --- bad input -----------------------------------------------------------------------------
@needs_two_branch
def test_invalid_merge_is_shown_stale_and_fixing_restores() -> None:
    w = two_branch()
    w.tabs.selected_index = 0
    image = bytes(w.diagram_image.value)
    table = w.table.value
    row = row_named(w, "joined")
    row.inbound.widget.value = ["conv", "meta_dense"]
    assert w.stale
    assert "'joined'" in w.status_text and "`inbound`" in w.status_text
    assert "sw-invalid" in row.inbound.widget._dom_classes
    assert row.message in row.box.children and "inbound" in row.message.value
    assert w.model.layers[3].inbound == ("flat", "meta_dense")  # the model keeps its value
    assert bytes(w.diagram_image.value) == image and w.table.value == table
    assert "sw-stale" in w.diagram._dom_classes
    row.inbound.widget.value = ["flat", "meta_dense"]
    assert not w.stale
    assert w.status_text.startswith("✓")
    assert "sw-invalid" not in row.inbound.widget._dom_classes


@needs_two_branch
def test_cycle_is_refused_with_message() -> None:
    w = two_branch()
    row_named(w, "flat").inbound.widget.value = ["joined"]
    assert w.stale
    assert "cycle" in w.status_text
    assert "`inbound`" in w.status_text
    assert w.model.layers[1].inbound == ("conv",)


@needs_two_branch
def test_removed_input_leaves_unknown_tensor_rejection() -> None:
    w = two_branch()
    w.input_rows[0].remove.click()
    assert not w.stale
    assert "Keras would reject" in w.status_text and "'meta'" in w.status_text
    assert "sw-layer-error" in row_named(w, "meta_dense").box._dom_classes
    assert w.last_internal_error is None


@needs_two_branch
def test_duplicate_input_name_is_refused() -> None:
    w = two_branch()
    w.input_rows[0].name.value = "image"
    assert w.stale
    assert "image" in w.status_text
    assert w.model.input_names == ["image", "meta"]


@needs_two_branch
def test_shared_layer_on_wrong_shape_is_rejected_not_raised() -> None:
    w = two_branch()
    w.new_inbound.widget.value = ["meta"]
    row_named(w, "kind").share.click()
    assert "Keras would reject" in w.status_text
    assert w.last_internal_error is None


@needs_two_branch
def test_explanation_of_merge_names_inbound_tensors() -> None:
    w = two_branch()
    w.selected = 3
    assert "flat" in w.explanation.value and "meta_dense" in w.explanation.value


def _error(key: str, index: int | None = None) -> ShapeError:
    return ShapeError(Msg(key, {"name": "x", "known": "a", "path": "a → a", "type": "Add"}),
                      layer_index=index)


def test_refusal_applies_edit_leaving_graph_unfinished() -> None:
    assert refusal(None, _error("graph.unused_input"), 2, "inbound") is None


def test_refusal_applies_edit_whose_error_is_at_a_later_layer() -> None:
    assert refusal(None, _error("merge.empty", 5), 2, "inbound") is None


def test_refusal_refuses_new_error_at_edited_layer_naming_argument() -> None:
    err = refusal(None, _error("merge.empty", 2), 2, "inbound")
    assert err is not None and err.argument == "inbound"


def test_refusal_refuses_structural_error_anywhere() -> None:
    assert refusal(None, _error("graph.cycle", 4), 2, "inbound") is not None


def test_refusal_applies_edit_keeping_the_same_error() -> None:
    assert refusal(_error("graph.cycle", 4), _error("graph.cycle", 4), 2, "inbound") is None


# --- undo and redo of every new edit ---------------------------------------------------------
def _connect(w: ShapeWidget) -> None:
    w.rows[2].inbound.widget.value = ["dense"]


def _add_on(w: ShapeWidget) -> None:
    add(w, "Dense", ["dense_1"])


def _add_input(w: ShapeWidget) -> None:
    w.add_input_button.click()


def _edit_input(w: ShapeWidget) -> None:
    w.add_input_button.click()
    w.input_rows[0].shape.value = "7"


def _remove_input(w: ShapeWidget) -> None:
    w.add_input_button.click()
    w.input_rows[0].remove.click()


def _outputs(w: ShapeWidget) -> None:
    w.rows[2].inbound.widget.value = ["dense"]
    w.outputs_picker.widget.value = ["dense_2", "dense_1"]


def _share(w: ShapeWidget) -> None:
    w.rows[1].share.click()


def _name_input(w: ShapeWidget) -> None:
    w.input_name_text.value = "x"


EDITS: list[Callable[[ShapeWidget], None]] = [
    _connect, _add_on, _add_input, _edit_input, _remove_input, _outputs, _share, _name_input]


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__.strip("_"))
def test_undo_redo_of_functional_edit(edit: Callable[[ShapeWidget], None]) -> None:
    w = make()
    w.model.set_outputs([])  # no-op edit: nothing recorded
    specs = [w.model.to_spec()]
    edit(w)
    after = w.model.to_spec()
    assert after != specs[0]
    while w.history.can_undo:
        w.undo_button.click()
    assert w.model.to_spec() == specs[0]
    while w.history.can_redo:
        w.redo_button.click()
    assert w.model.to_spec() == after
    assert w.last_internal_error is None


@needs_two_branch
def test_undo_of_refused_edit_is_not_recorded() -> None:
    w = two_branch()
    before = len(w.history)
    row_named(w, "joined").inbound.widget.value = ["conv", "meta_dense"]
    assert len(w.history) == before


@needs_two_branch
def test_undo_restores_two_branch_controls() -> None:
    w = two_branch()
    w.input_rows[0].remove.click()
    w.undo_button.click()
    assert len(w.input_rows) == 1 and w.input_rows[0].name.value == "meta"
    assert w.status_text.startswith("✓")


@needs_two_branch
def test_functional_spec_round_trips_through_history() -> None:
    spec = preset_spec("two_branch")
    assert spec is not None
    history = History({"input_shape": [3], "layers": []})
    history.record(spec)
    history.undo()
    again = history.redo()
    assert again == spec
    assert Model.from_spec(again).to_spec() == Model.from_spec(spec).to_spec()


# --- languages ---------------------------------------------------------------------------------
def test_new_controls_have_japanese_labels() -> None:
    en, ja = make(), make(lang="ja")
    assert en.add_input_button.description != ja.add_input_button.description
    assert en.rows[0].share.tooltip != ja.rows[0].share.tooltip
    assert en.rows[0].inbound.widget.description != ja.rows[0].inbound.widget.description
    assert en.outputs_picker.widget.description != ja.outputs_picker.widget.description
    assert en.new_inbound.widget.description != ja.new_inbound.widget.description


def test_language_switch_keeps_functional_controls() -> None:
    w = make()
    w.add_input_button.click()
    w.lang = "ja"
    assert len(w.input_rows) == 1
    assert w.last_internal_error is None


@needs_two_branch
def test_explanation_without_selection_lists_every_input() -> None:
    w = two_branch()
    assert "image (None, 32, 32, 3)" in w.explanation.value
    assert "meta (None, 5)" in w.explanation.value


def test_bad_input_name_names_the_input() -> None:
    w = make()
    w.add_input_button.click()
    w.input_rows[0].name.value = "a/b"
    assert w.stale
    assert w.status_text.startswith("⚠ Input 'input_layer_1'")
    assert "sw-invalid" in w.input_rows[0].name._dom_classes


def test_zero_size_input_in_graph_draws_without_internal_error() -> None:
    w = ShapeWidget()
    w.add_input_button.click()
    w.shape_text.value = "0"
    w.rows[2].inbound.widget.value = ["input_layer_1"]
    assert w.model.functional
    assert w.last_internal_error is None, w.last_internal_traceback
