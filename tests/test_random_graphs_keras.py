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
