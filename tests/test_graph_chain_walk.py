"""The Sequential walk (a chain of layers, written for speed) gives what the graph walk
gives for the same layers called on each previous output, and reads what a layer
remembers without recomputing it."""

from __future__ import annotations

from typing import Any

import pytest

from shapewidget.graph import INPUT_LAYER_NAME, compute_summary
from shapewidget.layers import LAYER_TYPES, Layer
from shapewidget.spec import layer_from_spec
from shapewidget.summary import Summary

CASES: dict[str, tuple[list[dict[str, Any]], list[str]]] = {
    "conv net": ([
        {"type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"type": "BatchNormalization", "trainable": False},
        {"type": "MaxPooling2D"}, {"type": "Dropout", "rate": 0.5}, {"type": "Flatten"},
        {"type": "Dense", "units": 10}], ["c", "bn", "p", "d", "f", "out"]),
    "shape error": ([
        {"type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"type": "Conv2D", "filters": 8, "kernel_size": 11},
        {"type": "Flatten"}], ["a", "b", "c"]),
    "duplicate name": ([{"type": "Dense", "units": 3}, {"type": "Dense", "units": 4}],
                       ["x", "x"]),
    "input's name": ([{"type": "Dense", "units": 3}], [INPUT_LAYER_NAME]),
    "slash": ([{"type": "Dense", "units": 3}, {"type": "Dense", "units": 4}],
              ["a", "b/c"]),
}


def _both(specs: list[dict[str, Any]], names: list[str],
          shape: Any) -> tuple[Summary, Summary]:
    layers = [layer_from_spec(s, i) for i, s in enumerate(specs)]
    called = [layer.connected((names[i - 1] if i else INPUT_LAYER_NAME,))
              for i, layer in enumerate(layers)]
    return compute_summary(layers, names, shape), compute_summary(called, names, shape)


@pytest.mark.parametrize("case", list(CASES))
def test_graph_chain_walk_matches_the_graph_walk(case: str) -> None:
    chain, graph = _both(*CASES[case], (None, 12, 12, 3))
    assert chain.rows == graph.rows
    assert chain.total_params == graph.total_params
    assert chain.trainable_params == graph.trainable_params
    assert (chain.error is None) == (graph.error is None) == (case == "conv net")
    if chain.error is not None and graph.error is not None:
        assert chain.error.message() == graph.error.message()
    assert [r.explain("ja") for r in chain.rows] == [r.explain("ja") for r in graph.rows]


def test_graph_chain_walk_frozen_counts() -> None:
    chain, _ = _both(*CASES["conv net"], (None, 12, 12, 3))
    bn = chain.rows[1]
    assert (bn.trainable_params, bn.non_trainable_params) == (0, 32)
    assert (chain.rows[0].trainable_params, chain.rows[0].non_trainable_params) == (224, 0)


def test_graph_chain_walk_reads_remembered_results_and_takes_a_list_shape() -> None:
    dense: Layer = LAYER_TYPES["Dense"](4)
    first = compute_summary([dense], ["d"], [None, 3])  # type: ignore[arg-type]
    second = compute_summary([dense], ["d"], (None, 3))
    given: Any = first.rows[0].input_shape
    assert given == [None, 3]  # as given, as before
    assert second.rows[0].input_shape == (None, 3)
    assert first.rows[0].output_shape == second.rows[0].output_shape == (None, 4)
    assert second.rows[0].notes is first.rows[0].notes  # the remembered result
    assert list(dense._memo) == [(None, 3)]
