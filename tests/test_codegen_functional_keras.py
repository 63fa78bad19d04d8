"""Functional code run in real Keras gives shapewidget's summary, for generated graphs.

Each generated graph (several inputs, branches, merges, shared layers, several outputs;
see ``random_graph_spec``) is exported with ``style="functional"``, the code is run with
``exec`` (our own generated code: the product never runs code) and Keras's model is
compared with shapewidget's summary: every entry's output shape (read from the variable
the code assigns it to), each layer's class, weights and parameter counts, the inputs,
the outputs and the totals.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

from test_codegen_functional import ISSUE_SPEC, random_graph_spec
from test_codegen_keras import _size

from shapewidget import Model, ShapeError
from shapewidget.codegen import tensor_variables

pytestmark = pytest.mark.keras


def run_functional(code: str) -> dict[str, Any]:
    """Run our own exported code in Keras; its namespace (``model`` and every tensor)."""
    import contextlib
    import io
    import warnings

    import keras

    keras.backend.clear_session(free_memory=False)
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            keras.StatelessScope(initialize_variables=False):
        warnings.simplefilter("ignore")
        exec(compile(code, "<exported>", "exec"), namespace)  # our generated code only
    return namespace


def differences(model: Model) -> list[str]:
    """How Keras, running the functional code for ``model``, disagrees with shapewidget."""
    code = model.to_keras_code("functional")
    namespace = run_functional(code)
    kmodel = namespace["model"]
    summary = model.summary()
    variables = tensor_variables(model)
    out: list[str] = []
    for row in summary.rows:
        tensor = namespace[variables[row.name]]
        if tuple(tensor.shape) != tuple(row.output_shape):
            out.append(f"{row.name}: shape {tuple(tensor.shape)} != {row.output_shape}")
        layer = tensor._keras_history[0]
        expected = row.shares or row.name
        if layer.name != expected or type(layer).__name__ != row.class_name:
            out.append(f"{row.name}: Keras layer {layer.name} ({type(layer).__name__})")
        if row.shares is not None:
            if row.weights or row.trainable_params or row.non_trainable_params:
                out.append(f"{row.name}: a shared call lists weights")
            continue
        weights = tuple((w.name, tuple(w.shape), bool(w.trainable)) for w in layer.weights)
        ours = tuple((w.name, tuple(w.shape), w.trainable) for w in row.weights)
        if weights != ours:
            out.append(f"{row.name}: weights {weights} != {ours}")
        counts = (sum(_size(w.shape) for w in layer.trainable_weights),
                  sum(_size(w.shape) for w in layer.non_trainable_weights))
        if counts != (row.trainable_params, row.non_trainable_params):
            out.append(f"{row.name}: params {counts}")
    inputs = [(t._keras_history[0].name, tuple(t.shape), str(t.dtype)) for t in kmodel.inputs]
    if inputs != [(t.name, tuple(t.shape), t.dtype) for t in summary.inputs]:
        out.append(f"inputs {inputs} != {summary.inputs}")
    outputs = [tuple(t.shape) for t in kmodel.outputs]
    if outputs != [tuple(summary.shape_of(n)) for n in summary.outputs]:
        out.append(f"outputs {outputs} != {summary.outputs}")
    layers = {layer.name for layer in kmodel.layers
              if type(layer).__name__ != "InputLayer"}
    if layers != {r.name for r in summary.rows if r.shares is None}:
        out.append(f"layers {sorted(layers)}")
    total = sum(_size(w.shape) for w in kmodel.weights)
    if total != summary.total_params:
        out.append(f"total {total} != {summary.total_params}")
    return [f"{line}\n{code}" for line in out]


def test_codegen_functional_keras_issue_example() -> None:
    assert differences(Model.from_spec(ISSUE_SPEC)) == []


@pytest.mark.parametrize("names", [True, False], ids=["named", "automatic"])
def test_codegen_functional_keras_generated_graphs(names: bool) -> None:
    rng = random.Random(11 if names else 12)
    failures: list[str] = []
    for _ in range(25):
        model = Model.from_spec(random_graph_spec(rng, names))
        failures += differences(model)
    assert not failures, "\n\n".join(failures)


def test_codegen_functional_keras_spec_out_of_dependency_order() -> None:
    spec = {"inputs": [{"shape": [4]}],
            "layers": [{"type": "Dense", "units": 1, "inbound": ["dense_1"]},
                       {"type": "Dense", "units": 3, "inbound": ["input_layer"]},
                       {"shares": "dense_1", "inbound": ["input_layer"]},
                       {"type": "Add", "inbound": ["dense_1", "dense_1_reuse_1"]}],
            "outputs": ["dense", "add"]}
    assert differences(Model.from_spec(spec)) == []


def test_codegen_functional_keras_chain_model() -> None:
    model = Model([{"type": "Conv2D", "filters": 2, "kernel_size": 3}, {"type": "Flatten"},
                   {"type": "Dense", "units": 2}], input_shape=(6, 6, 1), batch_size=3)
    assert differences(model) == []


def _stateful(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value.get("stateful")) or any(_stateful(v) for v in value.values())
    if isinstance(value, list):
        return any(_stateful(v) for v in value)
    return False


def test_codegen_functional_keras_catalogue_graphs() -> None:
    """The valid graphs of the random-graph harness (the whole catalogue inside graphs):
    their functional code gives shapewidget's summary in Keras, and reads back as the
    same model."""
    from graph_architectures import graphs

    from shapewidget.codeparse import from_keras_code

    failures: list[str] = []
    checked = 0
    for graph in graphs(60, seed=5):
        try:  # a layer Keras refuses to construct (compared in test_random_graphs_keras)
            model = Model.from_spec(graph.spec)
        except ShapeError:
            continue
        if model.analyze().error is not None or _stateful(graph.spec):
            continue
        checked += 1
        failures += differences(model)
        if not model.outputs:  # the code names them: read back as marked outputs
            model.outputs = list(model.summary().outputs)
        code = model.to_keras_code("functional")
        back = from_keras_code(code)
        if back != explicit(model) and (back.functional
                              or back.summary().rows != model.summary().rows):
            failures.append(f"read back differs:\n{code}\n{back.to_spec()}")
    assert checked >= 20
    assert not failures, "\n\n".join(failures)


def explicit(model: Model) -> Model:
    """``model`` with every entry's inbound written out (code always names them)."""
    names, first = model.layer_names, model.input_names[0]
    layers = [layer if layer.inbound is not None
              else layer.connected((names[i - 1] if i else first,))
              for i, layer in enumerate(model.layers)]
    out = model.copy()
    out.layers = layers
    return out


@pytest.mark.parametrize("style", ["sequential", "legacy"])
def test_codegen_functional_keras_chain_graph_in_sequential_styles(style: str) -> None:
    """A graph that is a chain (named input, explicit inbound) in the Sequential styles:
    Keras builds the same layers on an input of that name."""
    from test_codegen_keras import keras_rows, run_in_keras

    model = Model.from_spec({"inputs": [{"name": "pixels", "shape": [6, 6, 1],
                                         "batch_size": 2}],
                             "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3,
                                         "inbound": ["pixels"]},
                                        {"type": "Flatten", "inbound": ["conv2d"]}]})
    kmodel = run_in_keras(model.to_keras_code(style), False)
    assert [(r.name, r.output_shape, r.trainable_params) for r in keras_rows(kmodel)] == [
        (r.name, r.output_shape, r.trainable_params) for r in model.summary().rows]
    assert kmodel.inputs[0]._keras_history[0].name == "pixels"
    assert tuple(kmodel.inputs[0].shape) == (2, 6, 6, 1)
