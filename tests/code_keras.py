"""Pasted code compared with real Keras: the same source run in Keras (in the test only)
and read by ``from_keras_code``, layer by layer (class, output shape, trainable and
non-trainable parameters, as a multiset: shapewidget lists a layer in the order of the
code, Keras in the order of its graph; layers of a nested model count as the outer
model's, since shapewidget reads nested models into one graph)."""

from __future__ import annotations

import os
import sys
import types
from collections import Counter
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras

from shapewidget.codeparse import from_keras_code


def _tensorflow_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    """``from tensorflow import keras`` in a tutorial runs on Keras 3 (TensorFlow is not
    installed here)."""
    tf = types.ModuleType("tensorflow")
    tf.keras = keras  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tensorflow", tf)
    monkeypatch.setitem(sys.modules, "tensorflow.keras", keras)
    monkeypatch.setitem(sys.modules, "tensorflow.keras.layers", keras.layers)
    monkeypatch.setitem(sys.modules, "tensorflow.keras.models", keras.models)


def keras_model(source: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The model the corpus code builds in real Keras (``model``, else the last one)."""
    if "tensorflow" in source:
        _tensorflow_alias(monkeypatch)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    keras.backend.clear_session()
    code = compile(source, "<corpus>", "exec")
    try:
        with keras.StatelessScope(initialize_variables=False):
            exec(code, namespace)
    except ValueError:  # compile() makes optimizer variables: built again, plainly
        namespace = {"__name__": "__main__"}
        keras.backend.clear_session()
        exec(code, namespace)
    if isinstance(namespace.get("model"), keras.Model):
        return namespace["model"]
    models = [v for v in namespace.values() if isinstance(v, keras.Model)]
    nested = {id(inner) for m in models for inner in m.layers if isinstance(inner, keras.Model)}
    outer = [m for m in models if id(m) not in nested]
    return (outer or models)[-1]


def _leaf_layers(model: Any) -> list[Any]:
    out: list[Any] = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            out += _leaf_layers(layer)
        elif not isinstance(layer, keras.layers.InputLayer):
            out.append(layer)
    return out


def _size(weights: Any) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= int(d)
        total += n
    return total


def keras_rows(model: Any) -> Counter[tuple[Any, ...]]:
    """(class, output shape, trainable, non-trainable) of every layer, as a multiset."""
    rows: Counter[tuple[Any, ...]] = Counter()
    for layer in _leaf_layers(model):
        try:
            shape = tuple(layer.output.shape)
        except (AttributeError, ValueError):
            # A layer called more than once (shared): its first call is compared.
            shape = tuple(layer._inbound_nodes[0].outputs[0].shape)
        rows[(layer.__class__.__name__, shape, _size(layer.trainable_weights),
              _size(layer.non_trainable_weights))] += 1
    return rows


def shapewidget_rows(source: str) -> tuple[Counter[tuple[Any, ...]], Any]:
    model = from_keras_code(source)
    summary = model.summary()
    assert summary.error is None, summary.error
    rows: Counter[tuple[Any, ...]] = Counter()
    for row in summary.rows:
        if row.shares is not None:
            continue
        rows[(row.class_name, tuple(row.output_shape), row.trainable_params,
              row.non_trainable_params)] += 1
    return rows, summary


def assert_code_matches_keras(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every layer shapewidget reads from ``source`` is what Keras builds from it."""
    rows, summary = shapewidget_rows(source)
    reference = keras_model(source, monkeypatch)
    assert rows == keras_rows(reference)
    assert [tuple(t.shape) for t in summary.inputs] == [
        tuple(t.shape) for t in reference.inputs]
