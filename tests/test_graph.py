"""The functional model (a graph): spec form, structure checks, rows, sharing, editing.

Structure problems Keras does not check, or that Keras code cannot even be written with
(an unused input, a layer output that goes nowhere while outputs are explicit, a cycle,
an unknown name, two entries of one name), are shapewidget's own checks: tested here,
not against Keras (see ``keras_reference.OWN_CHECKS``).
"""

from __future__ import annotations

import copy
import os
import re
from typing import Any

import pytest
from graph_examples import ISSUE_SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapewidget import Model, ShapeError
from shapewidget.errors import ShapeError as _ShapeError
from shapewidget.model import ModelInput


def issue_model() -> Model:
    return Model.from_spec(copy.deepcopy(ISSUE_SPEC))


def graph(layers: list[dict[str, Any]], inputs: list[dict[str, Any]] | None = None,
          outputs: list[str] | None = None) -> Model:
    spec: dict[str, Any] = {"inputs": inputs or [{"name": "a", "shape": [4]}],
                            "layers": layers}
    if outputs is not None:
        spec["outputs"] = outputs
    return Model.from_spec(spec)


def error_of(model: Model) -> _ShapeError:
    error = model.analyze().error
    assert error is not None
    return error


TWO_INPUTS = [{"name": "a", "shape": [4]}, {"name": "b", "shape": [6]}]


# --- spec --------------------------------------------------------------------------------
def test_graph_issue_example_round_trips() -> None:
    canonical = copy.deepcopy(ISSUE_SPEC)
    canonical["inputs"][1]["batch_size"] = None  # written out, as for the first input
    spec = issue_model().to_spec()
    assert spec == {**canonical, "layers": [
        {"type": layer.pop("type"), **layer} if "type" in layer else layer
        for layer in copy.deepcopy(canonical["layers"])]}
    assert Model.from_spec(spec) == issue_model()


def test_graph_issue_example_shapes_and_totals() -> None:
    summary = issue_model().summary()
    assert [r.output_shape for r in summary] == [
        (None, 30, 30, 8), (None, 7200), (None, 7205), (None, 1), (None, 3), (None, 3)]
    assert summary.outputs == ("score", "kind", "kind_again")
    assert summary.total_params == 224 + 7206 + 21618


def test_graph_input_batch_shape_spelling() -> None:
    model = graph([{"type": "Dense", "units": 2}],
                  inputs=[{"name": "a", "batch_shape": [3, 4]}])
    assert model.inputs[0].shape == (3, 4)
    assert model.to_spec()["inputs"] == [{"name": "a", "shape": [4], "batch_size": 3}]


def test_graph_input_shape_and_batch_shape_conflict() -> None:
    with pytest.raises(ShapeError, match="only one of"):
        graph([], inputs=[{"name": "a", "shape": [4], "batch_shape": [3, 4]}])


def test_graph_spec_without_graph_keys_stays_sequential() -> None:
    model = Model.from_spec({"input_shape": [4], "layers": [{"type": "Dense", "units": 2}]})
    assert not model.functional
    assert "inputs" not in model.to_spec()


# --- structure checks ----------------------------------------------------------------------
def test_graph_cycle_rejected_at_first_entry_of_cycle() -> None:
    model = graph([{"type": "Dense", "units": 2, "inbound": ["a"]},
                   {"type": "Dense", "units": 2, "name": "x", "inbound": ["y"]},
                   {"type": "Dense", "units": 2, "name": "y", "inbound": ["x"]}])
    error = error_of(model)
    assert (error.problem.key, error.layer_index) == ("graph.cycle", 1)
    assert "x → y → x" in str(error)
    assert len(model.analyze().rows) == 1


def test_graph_layer_on_itself_is_a_cycle() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "name": "x", "inbound": ["x"]}]))
    assert error.problem.key == "graph.cycle"


def test_graph_unknown_inbound_name_suggests_close_name() -> None:
    error = error_of(graph([{"type": "Flatten", "name": "flat", "inbound": ["a"]},
                            {"type": "Dense", "units": 2, "inbound": ["flatt"]}]))
    assert (error.problem.key, error.layer_index, error.argument) == (
        "graph.unknown_tensor", 1, "inbound")
    assert "'flatt'" in str(error) and "e.g. 'flat'" in str(error)


def test_graph_unknown_shares_rejected() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "inbound": ["a"]},
                            {"shares": "dens", "inbound": ["a"]}]))
    assert (error.problem.key, error.layer_index, error.argument) == (
        "graph.shares_unknown", 1, "shares")
    assert "'dense'" in str(error)


def test_graph_sharing_an_input_rejected() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "inbound": ["a"]},
                            {"shares": "a", "inbound": ["a"]}]))
    assert (error.problem.key, error.layer_index) == ("graph.shares_input", 1)


def test_graph_layer_named_like_an_input_rejected() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "name": "a", "inbound": ["a"]}]))
    assert (error.problem.key, error.layer_index, error.argument) == (
        "graph.input_taken", 0, "name")


def test_graph_automatic_name_taken_by_input_rejected() -> None:
    # Keras names the layer "dense" too, and refuses the model: two operations "dense".
    error = error_of(graph([{"type": "Dense", "units": 2}],
                           inputs=[{"name": "dense", "shape": [4]}]))
    assert (error.problem.key, error.layer_index) == ("graph.input_taken", 0)


def test_graph_two_layers_of_one_name_rejected_at_the_second() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]},
                            {"type": "Dense", "units": 3, "name": "d", "inbound": ["d"]}]))
    assert (error.problem.key, error.layer_index) == ("model.duplicate_name", 1)


def test_graph_two_inputs_of_one_name_rejected() -> None:
    model = graph([{"type": "Dense", "units": 2, "inbound": ["a"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "a", "shape": [5]}])
    error = error_of(model)
    assert (error.problem.key, error.layer_index, error.argument) == (
        "graph.duplicate_input", None, "inputs")
    assert str(error).startswith("argument `inputs`: two model inputs are named 'a'")


def test_graph_unused_input_rejected_after_every_row() -> None:
    # Keras builds such a model (the input is simply never fed); shapewidget asks.
    model = graph([{"type": "Dense", "units": 2, "inbound": ["a"]}], inputs=TWO_INPUTS)
    error = error_of(model)
    assert (error.problem.key, error.layer_index) == ("graph.unused_input", None)
    assert str(error).startswith("argument `inputs`: the input 'b' is not used")
    assert len(model.analyze().rows) == 1


def test_graph_input_used_only_by_a_dead_end_is_unused() -> None:
    model = graph([{"type": "Dense", "units": 2, "name": "out", "inbound": ["a"]},
                   {"type": "Dense", "units": 2, "name": "dead", "inbound": ["b"]}],
                  inputs=TWO_INPUTS, outputs=["out"])
    assert error_of(model).problem.key in ("graph.dangling", "graph.unused_input")


def test_graph_dangling_output_with_explicit_outputs_rejected() -> None:
    # Keras leaves a layer that leads to no output out of the model; shapewidget asks.
    model = graph([{"type": "Dense", "units": 2, "name": "out", "inbound": ["a"]},
                   {"type": "Dense", "units": 3, "name": "side", "inbound": ["a"]}],
                  outputs=["out"])
    error = error_of(model)
    assert (error.problem.key, error.layer_index) == ("graph.dangling", 1)
    assert "add 'side' to outputs" in str(error)
    assert len(model.analyze().rows) == 2


def test_graph_unknown_output_rejected() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "inbound": ["a"]}],
                           outputs=["dense", "dens"]))
    assert (error.problem.key, error.argument) == ("graph.unknown_output", "outputs")


def test_graph_default_outputs_are_the_tensors_no_layer_uses() -> None:
    model = graph([{"type": "Dense", "units": 2, "name": "h", "inbound": ["a"]},
                   {"type": "Dense", "units": 3, "name": "p", "inbound": ["h"]},
                   {"type": "Dense", "units": 4, "name": "q", "inbound": ["h"]}])
    assert model.summary().outputs == ("p", "q")
    assert model.summary().output_shape == (None, 3)


def test_graph_input_as_an_output_is_accepted() -> None:
    model = graph([{"type": "Dense", "units": 2, "inbound": ["a"]}], outputs=["dense", "a"])
    assert model.summary().outputs == ("dense", "a")


# --- rows ----------------------------------------------------------------------------------
def test_graph_rows_in_spec_order_for_out_of_order_spec() -> None:
    model = graph([{"type": "Dense", "units": 3, "name": "late", "inbound": ["early"]},
                   {"type": "Dense", "units": 2, "name": "early", "inbound": ["a"]}])
    rows = model.summary().rows
    assert [(r.name, r.output_shape) for r in rows] == [("late", (None, 3)),
                                                        ("early", (None, 2))]
    assert rows[0].input_shape == (None, 2)


def test_graph_no_inbound_takes_previous_entry() -> None:
    model = graph([{"type": "Dense", "units": 3, "inbound": ["b"]},
                   {"type": "Dense", "units": 2},
                   {"type": "Concatenate", "inbound": ["a", "dense_1"]}], inputs=TWO_INPUTS)
    summary = model.summary()
    assert summary.rows[1].inbound == ("dense",)
    assert summary.rows[2].output_shape == (None, 6)


def test_graph_first_entry_without_inbound_takes_first_input() -> None:
    model = graph([{"type": "Dense", "units": 2}, {"type": "Dense", "units": 2,
                                                   "inbound": ["b"]},
                   {"type": "Add", "inbound": ["dense", "dense_1"]}], inputs=TWO_INPUTS)
    assert model.summary().rows[0].inbound == ("a",)


def test_graph_merge_without_inbound_gets_one_tensor_and_refuses() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "inbound": ["a"]}, {"type": "Add"}]))
    assert (error.problem.key, error.layer_index) == ("merge.needs_list", 1)


def test_graph_connected_to_as_keras_prints_it() -> None:
    summary = issue_model().summary()
    assert summary.connected_to(summary.rows[2]) == ("flat[0][0]", "meta[0][0]")
    model = graph([{"type": "Dense", "units": 4, "name": "d", "inbound": ["a"]},
                   {"shares": "d", "name": "d2", "inbound": ["d"]},
                   {"type": "Flatten", "inbound": ["d2"]}])
    summary = model.summary()
    assert summary.connected_to(summary.rows[2]) == ("d[1][0]",)


def test_graph_shared_row_has_no_weights_and_totals_count_them_once() -> None:
    summary = issue_model().summary()
    shared = summary.row_named("kind_again")
    assert shared is not None
    assert (shared.shares, shared.class_name, shared.weights, shared.params) == (
        "kind", "Dense", (), 0)
    assert "same weights" in shared.explain("en")
    assert summary.total_params == sum(r.params for r in summary) == 29048


def test_graph_shared_layer_automatic_name_counts_reuses() -> None:
    model = graph([{"type": "Dense", "units": 4, "inbound": ["a"]},
                   {"shares": "dense", "inbound": ["dense"]},
                   {"shares": "dense", "inbound": ["dense_reuse_1"]}])
    assert model.layer_names == ["dense", "dense_reuse_1", "dense_reuse_2"]


def test_graph_shared_layer_on_other_size_rejected() -> None:
    model = graph([{"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]},
                   {"shares": "d", "inbound": ["b"]}], inputs=TWO_INPUTS)
    error = error_of(model)
    assert (error.problem.key, error.layer_index) == ("graph.shared_mismatch", 1)
    assert "kernel (4, 2)" in str(error) and "kernel (6, 2)" in str(error)


def test_graph_shared_dense_on_other_rank_same_last_axis_accepted() -> None:
    model = graph([{"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]},
                   {"shares": "d", "inbound": ["b"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [3, 4]}])
    assert model.summary().rows[1].output_shape == (None, 3, 2)


def test_graph_shared_call_with_unknown_size_uses_the_built_weights() -> None:
    # Keras's built input spec lets None pass: the Dense kernel exists, (4, 2).
    model = graph([{"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]},
                   {"shares": "d", "inbound": ["b"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [None]}])
    row = model.summary().rows[1]
    assert (row.output_shape, row.params) == ((None, 2), 0)
    assert "unknown size" in row.explain("en") and "不明なサイズ" in row.explain("ja")


def test_graph_shared_call_output_axis_following_unknown_size_stays_unknown() -> None:
    model = graph([{"type": "BatchNormalization", "name": "bn", "inbound": ["a"]},
                   {"shares": "bn", "inbound": ["b"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [None]}])
    assert model.summary().rows[1].output_shape == (None, None)


def test_graph_first_call_with_unknown_weight_size_rejected() -> None:
    error = error_of(graph([{"type": "Dense", "units": 2, "inbound": ["a"]}],
                           inputs=[{"name": "a", "shape": [None]}]))
    assert (error.problem.key, error.layer_index) == ("layer.unknown_last_axis", 0)


def test_graph_shared_batch_norm_on_other_rank_rejected() -> None:
    # Keras's BatchNormalization, once built, accepts only the rank it was built on.
    model = graph([{"type": "BatchNormalization", "name": "bn", "inbound": ["a"]},
                   {"shares": "bn", "inbound": ["b"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [3, 4]}])
    error = error_of(model)
    assert (error.problem.key, error.layer_index) == ("graph.shared_rank", 1)


def test_graph_shape_error_in_a_branch_names_its_entry() -> None:
    model = graph([{"type": "Dense", "units": 2, "inbound": ["a"]},
                   {"type": "Dense", "units": 3, "inbound": ["b"]},
                   {"type": "Add", "inbound": ["dense", "dense_1"]}], inputs=TWO_INPUTS)
    error = error_of(model)
    assert (error.problem.key, error.layer_index, error.layer_name) == (
        "merge.incompatible", 2, "add")
    assert len(model.analyze().rows) == 2


def test_graph_shape_error_before_a_structure_problem_wins() -> None:
    model = graph([{"type": "Conv2D", "filters": 2, "kernel_size": 3, "inbound": ["a"]},
                   {"type": "Dense", "units": 2, "inbound": ["nowhere"]}])
    assert error_of(model).layer_index == 0


# --- editing -------------------------------------------------------------------------------
def test_graph_rename_rewrites_inbound_shares_and_outputs() -> None:
    model = issue_model()
    model.set_arg(4, "name", "category")
    spec = model.to_spec()
    assert spec["layers"][5]["shares"] == "category"
    assert spec["outputs"] == ["score", "category", "kind_again"]
    model.set_arg(2, "name", "both")
    assert model.to_spec()["layers"][3]["inbound"] == ["both"]
    assert model.summary().ok


def test_graph_rename_input_rewrites_inbound() -> None:
    model = issue_model()
    model.set_input(index=1, name="extra")
    assert model.to_spec()["layers"][2]["inbound"] == ["flat", "extra"]
    assert model.summary().ok


def test_graph_add_names_layer_at_once() -> None:
    model = issue_model()
    model.set_outputs(None)
    added = model.add("Dense", units=2)
    assert added.name == "dense"
    inserted = model.insert(0, "Dense", units=5, inbound=["meta"])
    assert inserted.name == "dense_1"
    assert model.layer_names[:2] == ["dense_1", "conv"]
    assert model.summary().row_named("dense") is not None


def test_graph_insert_does_not_shift_automatic_names() -> None:
    model = graph([{"type": "Dense", "units": 2, "inbound": ["a"]},
                   {"type": "Dense", "units": 3, "inbound": ["dense"]}])
    model.insert(0, "Dense", units=7, inbound=["a"])
    assert model.layer_names == ["dense_2", "dense", "dense_1"]
    assert model.summary().row_named("dense_1").input_shape == (None, 2)  # type: ignore[union-attr]


def test_graph_add_input_returns_name_and_makes_model_functional() -> None:
    model = Model([{"type": "Dense", "units": 2}], input_shape=(4,))
    name = model.add_input((3,))
    assert name == "input_layer_1"
    assert model.functional
    assert [t.name for t in model.inputs] == ["input_layer", "input_layer_1"]
    model.add("Concatenate", inbound=["dense", name])
    assert model.summary().rows[-1].output_shape == (None, 5)


def test_graph_remove_input_leaves_unknown_tensor() -> None:
    model = issue_model()
    old = model.remove_input(1)
    assert old == ModelInput("meta", (5,), None, "float32")
    error = error_of(model)
    assert (error.problem.key, error.layer_index) == ("graph.unknown_tensor", 2)


def test_graph_remove_last_input_refused() -> None:
    with pytest.raises(ShapeError, match="at least one input"):
        Model(input_shape=(3,)).remove_input(0)


def test_graph_set_input_index_1_changes_second_input() -> None:
    model = issue_model()
    model.set_input((7,), index=1)
    assert model.inputs[1].shape == (None, 7)
    assert model.summary().row_named("joined").output_shape == (None, 7207)  # type: ignore[union-attr]


def test_graph_set_input_bad_index_refused() -> None:
    with pytest.raises(ShapeError, match="no input 2"):
        issue_model().set_input((7,), index=2)


def test_graph_connect_and_share() -> None:
    model = graph([{"type": "Dense", "units": 4, "inbound": ["a"]},
                   {"type": "Dense", "units": 4, "inbound": ["b"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [4]}])
    model.share("dense", ["b"], index=1)
    model.remove(2)
    model.connect(0, "a")
    assert model.layer_names == ["dense", "dense_reuse_1"]
    assert model.summary().total_params == 20


# --- messages ------------------------------------------------------------------------------
BROKEN: list[Model] = [
    graph([{"type": "Dense", "units": 2, "name": "x", "inbound": ["x"]}]),
    graph([{"type": "Dense", "units": 2, "inbound": ["b"]}]),
    graph([{"type": "Dense", "units": 2, "inbound": ["a"]}, {"shares": "z", "inbound": ["a"]}]),
    graph([{"type": "Dense", "units": 2, "inbound": ["a"]}, {"shares": "a", "inbound": ["a"]}]),
    graph([{"type": "Dense", "units": 2, "name": "a", "inbound": ["a"]}]),
    graph([{"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]},
           {"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]}]),
    graph([{"type": "Dense", "units": 2, "inbound": ["a"]}],
          inputs=[{"name": "a", "shape": [4]}, {"name": "a", "shape": [4]}]),
    graph([{"type": "Dense", "units": 2, "inbound": ["a"]}], inputs=TWO_INPUTS),
    graph([{"type": "Dense", "units": 2, "inbound": ["a"]},
           {"type": "Dense", "units": 2, "inbound": ["a"]}], outputs=["dense"]),
    graph([{"type": "Dense", "units": 2, "inbound": ["a"]}], outputs=["out"]),
    graph([{"type": "Dense", "units": 2, "name": "d", "inbound": ["a"]},
           {"shares": "d", "inbound": ["b"]}], inputs=TWO_INPUTS),
    graph([{"type": "BatchNormalization", "name": "bn", "inbound": ["a"]},
           {"shares": "bn", "inbound": ["b"]}],
          inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [3, 4]}]),
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_graph_broken_examples_cover_every_graph_check() -> None:
    keys = {error_of(m).problem.key for m in BROKEN}
    assert keys == {"graph.cycle", "graph.unknown_tensor", "graph.shares_unknown",
                    "graph.shares_input", "graph.input_taken", "model.duplicate_name",
                    "graph.duplicate_input", "graph.unused_input", "graph.dangling",
                    "graph.unknown_output", "graph.shared_mismatch", "graph.shared_rank"}


@pytest.mark.parametrize("model", BROKEN, ids=lambda m: error_of(m).problem.key)
def test_graph_message_readable_in_japanese(model: Model) -> None:
    error = error_of(model)
    ja = error.message("ja")
    assert JAPANESE.search(ja), ja
    assert ja != error.message("en")
    english_words = re.findall(r"\b(?:the|is|of|layer|input|output)\b", ja)
    assert not english_words, ja
    if error.fix is not None:
        assert JAPANESE.search(error.fix.render("ja"))


def test_graph_shared_note_readable_in_japanese() -> None:
    row = issue_model().summary().row_named("kind_again")
    assert row is not None and "同じ重み" in row.explain("ja")


# --- round trip (hypothesis) --------------------------------------------------------------
LAYER_CHOICES: list[dict[str, Any]] = [
    {"type": "Dense", "units": 3}, {"type": "Dense", "units": 2, "activation": "relu"},
    {"type": "Flatten"}, {"type": "Dropout", "rate": 0.5},
    {"type": "Add"}, {"type": "Concatenate", "axis": 1}, {"type": "Concatenate"},
    {"type": "Dot", "axes": [1, 1]}, {"type": "Maximum"},
    {"type": "BatchNormalization", "trainable": False},
]


@st.composite
def functional_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Canonical functional specs: each input written with shape and batch_size, names
    only where given, inbound lists of earlier tensors, shared entries, outputs or not."""
    count = draw(st.integers(1, 3))
    inputs: list[dict[str, Any]] = []
    names: list[str] = []
    for k in range(count):
        entry: dict[str, Any] = {}
        if draw(st.booleans()):
            entry["name"] = f"in{k}"
        entry["shape"] = draw(st.lists(st.integers(1, 8) | st.none(), min_size=1,
                                       max_size=3))
        entry["batch_size"] = draw(st.none() | st.integers(1, 4))
        if draw(st.integers(0, 5)) == 0:
            entry["dtype"] = "int32"
        inputs.append(entry)
        names.append(entry.get("name", "input_layer" if k == 0 else "?"))
    known = [e["name"] for e in inputs if "name" in e]
    layers: list[dict[str, Any]] = []
    for k in range(draw(st.integers(1, 6))):
        if known and layers and draw(st.integers(0, 4)) == 0:
            target = draw(st.sampled_from([s["name"] for s in layers if "type" in s]))
            layer: dict[str, Any] = {"name": f"reuse{k}", "shares": target}
        else:
            layer = {"type": "?", "name": f"l{k}"}
            layer.update(draw(st.sampled_from(LAYER_CHOICES)))
            layer = {"type": layer.pop("type"), "name": layer.pop("name"), **layer}
        if known and draw(st.integers(0, 3)) > 0:
            layer["inbound"] = draw(st.lists(st.sampled_from(known), min_size=1, max_size=3))
        layers.append(layer)
        known.append(layer["name"])
    spec: dict[str, Any] = {"inputs": inputs, "layers": layers}
    if draw(st.booleans()):
        spec["outputs"] = draw(st.lists(st.sampled_from(known), min_size=1, max_size=3))
    if draw(st.booleans()):
        spec["name"] = "net"
    return spec


@settings(max_examples=int(os.environ.get("SHAPEWIDGET_GRAPH_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(functional_specs())
def test_graph_spec_round_trips(spec: dict[str, Any]) -> None:
    model = Model.from_spec(spec)
    again = Model.from_spec(model.to_spec())
    assert again == model
    assert again.functional == model.functional
    if model.functional:  # one unnamed input and a chain is written as a Sequential spec
        assert model.to_spec() == spec
    model.analyze()  # any spec analyses without raising (errors go to .error)
