"""Hundreds of random functional models (graphs), each built in Keras and in shapewidget.

Compares every entry's output shape, weights (names, shapes, order, trainable flags; none
for a shared layer's second call), parameter counts and name, the index of the entry
Keras refuses and the model's totals. About one graph in three is built with a deliberate
mistake (see ``graph_architectures.py``).
"""

from __future__ import annotations

import functools
import json
import os
import warnings
from typing import Any

import numpy as np
import pytest
from graph_architectures import MERGES, GraphArchitecture, graphs
from graph_examples import issue_spec
from keras_reference import (
    SHARED_UNCHECKED_BY_KERAS,
    Reference,
    assert_matches_keras,
    keras_functional_model,
    keras_layer,
    keras_reference,
    shapewidget_reference,
    shared_type,
)

from shapewidget import Model

pytestmark = pytest.mark.keras

# More graphs or another seed for a deeper sweep, e.g. SHAPEWIDGET_RANDOM_GRAPHS=3000.
COUNT = int(os.environ.get("SHAPEWIDGET_RANDOM_GRAPHS", "300"))
SEED = int(os.environ.get("SHAPEWIDGET_RANDOM_SEED", "20261127"))

GRAPHS: list[GraphArchitecture] = list(graphs(COUNT, SEED))


@functools.cache
def reference(index: int) -> Reference:
    return keras_reference(GRAPHS[index].spec)


@functools.cache
def compared(index: int) -> Reference:
    """The comparison's record (``own_check`` set when shapewidget's own check decided)."""
    graph = GRAPHS[index]
    try:
        return assert_matches_keras(graph.spec, reference(index))
    except AssertionError as err:
        raise AssertionError(f"intent={graph.intent}\nspec={json.dumps(graph.spec)}\n{err}") \
            from None


@pytest.mark.parametrize("index", range(COUNT),
                         ids=[f"{i:03d}-{g.label}"[:90] for i, g in enumerate(GRAPHS)])
def test_random_graph_matches_keras(index: int) -> None:
    compared(index)


@functools.cache
def verdict(index: int) -> Reference:
    """shapewidget's record: the same as Keras's wherever the comparison above passes."""
    return shapewidget_reference(GRAPHS[index].spec)


def not_compared(index: int) -> bool:
    ours = verdict(index)
    return ours.own_check is not None or (
        ours.error_key == "graph.shared_mismatch" and ours.error_index is not None
        and shared_type(GRAPHS[index].spec, ours.error_index) in SHARED_UNCHECKED_BY_KERAS)


def test_random_graphs_mix_valid_and_rejected() -> None:
    rejected = sum(verdict(i).error is not None and not not_compared(i) for i in range(COUNT))
    skipped = sum(not_compared(i) for i in range(COUNT))
    assert 0.15 * COUNT <= rejected <= 0.5 * COUNT, f"{rejected} of {COUNT} rejected by Keras"
    # Specs only shapewidget refuses are not compared: they must stay rare.
    assert skipped <= 0.03 * COUNT, f"{skipped} of {COUNT} not compared"
    intents = {g.intent for g in GRAPHS}
    assert {"valid", "add_sizes", "concat_axis", "shared_size", "shared_rank",
            "dot_axes"} <= intents


def test_random_graphs_cover_merges_sharing_and_structure() -> None:
    features = set().union(*(g.features for g in GRAPHS))
    assert {f"merge:{m}" for m in MERGES} <= features
    assert {"shared", "branch", "residual", "multi_input", "multi_output",
            "explicit_outputs"} <= features
    # Each merge type and shared layers also in graphs Keras accepts.
    accepted = set().union(*(g.features for i, g in enumerate(GRAPHS)
                             if verdict(i).error is None))
    assert {f"merge:{m}" for m in MERGES} | {"shared"} <= accepted
    ranks = {len(inp["shape"]) for g in GRAPHS for inp in g.spec["inputs"]}
    assert ranks == {1, 2, 3}
    assert {len(g.spec["inputs"]) for g in GRAPHS} == {1, 2, 3}
    assert any(inp.get("name") is None for g in GRAPHS for inp in g.spec["inputs"])
    assert any(any("inbound" not in s for s in g.spec["layers"]) for g in GRAPHS)


def test_random_graphs_same_seed_same_graphs() -> None:
    again = [g.spec for g in graphs(10, SEED)]
    assert again == [g.spec for g in GRAPHS[:10]]
    assert again != [g.spec for g in graphs(10, SEED + 1)]


def keras_totals(spec: dict[str, Any]) -> list[str]:
    """The three totals lines of Keras's own ``model.summary()`` for a functional spec."""
    import keras

    lines: list[str] = []
    with warnings.catch_warnings(), keras.StatelessScope(initialize_variables=False):
        warnings.simplefilter("ignore")
        model = keras_functional_model(spec)
        model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    return [line.strip() for line in "\n".join(lines).splitlines() if "params:" in line]


def test_random_graphs_totals_match_keras_summary() -> None:
    checked = 0
    for index, graph in enumerate(GRAPHS):
        if checked == 10:
            break
        if verdict(index).error is not None or "shared" not in graph.features:
            continue
        ours = [line.strip() for line in str(Model.from_spec(graph.spec)).splitlines()
                if "params:" in line]
        assert ours == keras_totals(graph.spec), json.dumps(graph.spec)
        checked += 1
    assert checked == 10


def keras_connections(model: Any) -> dict[str, list[str]]:
    """Keras's summary column "Connected to", per layer (``summary_utils.get_connections``):
    the inputs of every call of the layer, as ``name[node][tensor]``."""
    import keras  # after keras_reference has chosen the backend

    out: dict[str, list[str]] = {}
    for layer in model.layers:
        for node in layer._inbound_nodes:
            for kt in node.input_tensors:
                history = kt._keras_history
                if not isinstance(history.operation, keras.layers.Layer):
                    continue  # an op Keras adds itself: the mask of a Masking layer (any)
                out.setdefault(layer.name, []).append(
                    f"{history.operation.name}[{history.node_index}][{history.tensor_index}]")
    return out


def test_random_graphs_connected_to_matches_keras_summary() -> None:
    checked = 0
    for index, graph in enumerate(GRAPHS):
        if checked == 40:
            break
        if verdict(index).error is not None:
            continue
        summary = Model.from_spec(graph.spec).summary()
        ours: dict[str, list[str]] = {}
        for row in summary:
            ours.setdefault(row.shares or row.name, []).extend(summary.connected_to(row))
        assert ours == keras_connections(keras_functional_model(graph.spec)), \
            json.dumps(graph.spec)
        checked += 1
    assert checked == 40


def inp(name: str, shape: list[int | None], batch: int | None = None,
        dtype: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "shape": shape, "batch_size": batch}
    if dtype is not None:
        out["dtype"] = dtype
    return out


def shared(first: list[int | None], second: list[int | None], layer: dict[str, Any],
           dtype: str | None = None) -> dict[str, Any]:
    """``layer`` named t on input a, called again on input b."""
    return {"inputs": [inp("a", first, dtype=dtype), inp("b", second, dtype=dtype)],
            "layers": [{**layer, "name": "t", "inbound": ["a"]},
                       {"shares": "t", "inbound": ["b"]}]}


DENSE = {"type": "Dense", "units": 2}
CASES: dict[str, dict[str, Any]] = {
    "issue_example": issue_spec(),
    "out_of_order_automatic_names": {
        "inputs": [inp("a", [4])],
        "layers": [{"type": "Dense", "units": 3, "inbound": ["dense_1"]},
                   {"type": "Dense", "units": 2, "inbound": ["a"]}]},
    "unnamed_inputs_count_apart_from_named": {
        "inputs": [{"shape": [4]}, inp("x", [4]), {"shape": [4]}],
        "layers": [{"type": "Add", "inbound": ["input_layer", "x", "input_layer_1"]}]},
    "outputs_with_an_input": {
        "inputs": [inp("a", [4]), inp("b", [3])],
        "layers": [{"type": "Dense", "units": 2, "inbound": ["a"]},
                   {"type": "Dense", "units": 2, "inbound": ["b"]}],
        "outputs": ["dense", "b", "dense_1"]},
    "merges_batch_sizes_differ": {
        "inputs": [inp("a", [4], 2), inp("b", [4], 3)],
        "layers": [{"type": "Add", "inbound": ["a", "b"]}]},
    "merges_batch_size_and_none": {
        "inputs": [inp("a", [4], 2), inp("b", [4])],
        "layers": [{"type": "Add", "inbound": ["a", "b"]}]},
    "merge_of_one_tensor": {
        "inputs": [inp("a", [4])], "layers": [{"type": "Add", "inbound": ["a"]}]},
    "one_tensor_twice": {
        "inputs": [inp("a", [4])], "layers": [{"type": "Concatenate", "inbound": ["a", "a"]}]},
    "dense_on_two_tensors": {
        "inputs": [inp("a", [4]), inp("b", [4])],
        "layers": [{"type": "Dense", "units": 2, "inbound": ["a", "b"]}]},
    "reshape_on_two_tensors": {
        "inputs": [inp("a", [4]), inp("b", [4])],
        "layers": [{"type": "Reshape", "target_shape": [2, 2], "inbound": ["a", "b"]}]},
    "shared_chain": {
        "inputs": [inp("a", [4])],
        "layers": [{"type": "Dense", "units": 4, "name": "d"}, {"shares": "d"},
                   {"shares": "d"}]},
    "shared_of_shared": {
        "inputs": [inp("a", [4])],
        "layers": [{"type": "Dense", "units": 4, "name": "d"}, {"shares": "d", "name": "r"},
                   {"shares": "r"}]},
    "shared_frozen_dense_totals": {
        "inputs": [inp("a", [3]), inp("b", [3])],
        "layers": [{"type": "Dense", "units": 4, "name": "d", "trainable": False,
                    "inbound": ["a"]},
                   {"shares": "d", "inbound": ["b"]},
                   {"type": "Add", "inbound": ["d", "d_reuse_1"]}]},
    "shared_merge_layer": {
        "inputs": [inp("a", [4]), inp("b", [4]), inp("c", [4, 2])],
        "layers": [{"type": "Concatenate", "name": "m", "inbound": ["a", "b"]},
                   {"shares": "m", "inbound": ["c", "c"]}]},
    "shared_embedding_other_rank": {
        "inputs": [inp("a", [4], dtype="int32"), inp("b", [2, 5], dtype="int32")],
        "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 3, "name": "e",
                    "inbound": ["a"]},
                   {"shares": "e", "inbound": ["b"]}]},
    "shared_conv_other_spatial_size": shared(
        [8, 8, 3], [5, 6, 3], {"type": "Conv2D", "filters": 2, "kernel_size": 3}),
    "shared_conv_other_channels": shared(
        [8, 8, 3], [8, 8, 1], {"type": "Conv2D", "filters": 2, "kernel_size": 3}),
    "shared_conv_too_small": shared(
        [8, 8, 3], [2, 2, 3], {"type": "Conv2D", "filters": 2, "kernel_size": 3}),
    "shared_depthwise_other_channels": shared(
        [6, 6, 3], [6, 6, 2], {"type": "DepthwiseConv2D", "kernel_size": 2}),
    "shared_batch_norm_axis1": shared(
        [5, 3], [5, 7], {"type": "BatchNormalization", "axis": 1}),
    "shared_batch_norm_axis1_other": shared(
        [5, 3], [4, 3], {"type": "BatchNormalization", "axis": 1}),
    "shared_batch_norm_other_rank": shared([3], [2, 3], {"type": "BatchNormalization"}),
    "shared_lstm_other_rank": shared([5, 3], [2, 5, 3], {"type": "LSTM", "units": 2}),
    "shared_layer_norm_other_rank": shared([5, 3], [3], {"type": "LayerNormalization"}),
    "shared_pooling_other_rank": shared([6, 6, 3], [6, 3], {"type": "MaxPooling2D"}),
    "shared_flatten_other_rank": shared([6, 6, 3], [6, 3], {"type": "Flatten"}),
    "shared_reshape_same_count": shared(
        [6], [3, 2], {"type": "Reshape", "target_shape": [2, 3]}),
    "shared_reshape_other_count": shared(
        [6], [4], {"type": "Reshape", "target_shape": [2, 3]}),
    "shared_repeat_vector_other_rank": shared([4], [4, 2], {"type": "RepeatVector", "n": 3}),
    "shared_time_distributed_longer": shared(
        [5, 3], [7, 3], {"type": "TimeDistributed", "layer": DENSE}),
    # An unknown size where the built layer knows it: Keras accepts the call.
    "shared_dense_unknown_last_axis": shared([4], [None], DENSE),
    "shared_dense_unknown_on_rank3": shared([4], [7, None], DENSE),
    "shared_batch_norm_unknown_axis": shared([3], [None], {"type": "BatchNormalization"}),
    "shared_batch_norm_axis1_unknown": shared(
        [5, 3], [None, 3], {"type": "BatchNormalization", "axis": 1}),
    "shared_conv_unknown_channels": shared(
        [6, 6, 3], [None, 5, None],
        {"type": "Conv2D", "filters": 2, "kernel_size": 3, "strides": 2}),
    "shared_conv_groups_unknown_channels": shared(
        [6, 4], [6, None], {"type": "Conv1D", "filters": 4, "kernel_size": 2, "groups": 2}),
    "shared_separable_unknown_channels": shared(
        [6, 6, 3], [6, 6, None], {"type": "SeparableConv2D", "filters": 2, "kernel_size": 3}),
    "shared_transpose_unknown_channels": shared(
        [4, 4, 3], [4, 4, None], {"type": "Conv2DTranspose", "filters": 2, "kernel_size": 3}),
    "shared_lstm_unknown_features": shared(
        [5, 3], [None, None], {"type": "LSTM", "units": 2, "return_sequences": True}),
    "shared_layer_norm_unknown": shared([5, 3], [5, None], {"type": "LayerNormalization"}),
    "shared_time_distributed_unknown": shared(
        [5, 3], [None, None], {"type": "TimeDistributed", "layer": DENSE}),
    "shared_bidirectional_unknown": shared(
        [5, 3], [None, None], {"type": "Bidirectional", "layer": {
            "type": "GRU", "units": 2, "return_sequences": True}}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_graph_case_matches_keras(name: str) -> None:
    record = assert_matches_keras(CASES[name])
    assert record.own_check is None


@pytest.mark.parametrize("type_name", ["Dropout", "Activation"])
def test_layer_on_a_list_keras_builds_what_cannot_run(type_name: str) -> None:
    # Without an input spec and with its input shape as output shape, the layer passes a
    # list through when Keras builds the model; it fails when it runs (Activation) or
    # trains (Dropout). shapewidget refuses the list.
    args = {"rate": 0.5} if type_name == "Dropout" else {"activation": "relu"}
    spec = {"inputs": [inp("a", [4]), inp("b", [4])],
            "layers": [{"type": type_name, **args, "inbound": ["a", "b"]}]}
    assert keras_reference(spec).error is None
    model = keras_functional_model(spec)
    with pytest.raises(Exception):  # noqa: B017 (an AttributeError or a ValueError)
        model([np.ones((2, 4), "float32")] * 2, training=True)
    error = Model.from_spec(spec).analyze().error
    assert error is not None and error.problem.key == "layer.one_input"


ZEROS = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}  # fast to build


def _shared_spec(type_name: str) -> dict[str, Any]:
    layer: dict[str, Any] = {"type": type_name}
    if type_name in ("LSTM", "GRU", "SimpleRNN"):
        layer.update(units=2, **ZEROS)
    elif type_name == "TimeDistributed":
        layer["layer"] = {"type": "Dense", "units": 2, "kernel_initializer": "zeros"}
    elif type_name == "Bidirectional":
        layer["layer"] = {"type": "LSTM", "units": 2, **ZEROS}
    return {"inputs": [{"name": "a", "shape": [5, 3]}, {"name": "b", "shape": [5, 7]}],
            "layers": [{"name": "tower", **layer, "inbound": ["a"]},
                       {"shares": "tower", "inbound": ["b"]}]}


@pytest.mark.parametrize("type_name", sorted(SHARED_UNCHECKED_BY_KERAS))
def test_shared_layer_on_other_size_keras_builds_what_cannot_run(type_name: str) -> None:
    # Keras checks a second call against the built weights only for layers whose built
    # InputSpec names the sizes; these build a model that fails when it runs.
    # shapewidget refuses the second call, naming the weights it would need.
    spec = _shared_spec(type_name)
    assert keras_reference(spec).error is None
    import keras

    keras.backend.clear_session(free_memory=False)
    tower = keras_layer({k: v for k, v in spec["layers"][0].items() if k != "inbound"})
    a, b = keras.Input((5, 3)), keras.Input((5, 7))
    keras.Model([a, b], [tower(a), tower(b)])  # Keras builds the model
    with pytest.raises(Exception):  # noqa: B017 (JAX's TypeError, or a ValueError)
        tower(np.zeros((2, 5, 7), "float32"))  # and fails when it runs
    error = Model.from_spec(spec).analyze().error
    assert error is not None and error.layer_index == 1
    assert error.problem.key == "graph.shared_mismatch"
