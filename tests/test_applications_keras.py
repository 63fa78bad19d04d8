"""Model.from_keras on every architecture of keras.applications (weights=None): every
layer's output shape and weights (names, shapes, trainable flags) and the totals are
what Keras gives, read from the live Keras model (never typed by hand).

Each model is built once per session (inside ``keras.StatelessScope``: the same shapes
without filling any weight) and imported once; the tests read that cache.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.layers.opaque import is_opaque
from shapewidget.summary import Summary

pytestmark = pytest.mark.keras

APPLICATIONS = sorted(n for n in dir(keras.applications)
                      if n[:1].isupper() and callable(getattr(keras.applications, n)))


@cache
def imported(name: str) -> tuple[Any, Model, Summary]:
    """(Keras model, its import, the import's summary), made once per session."""
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kmodel = getattr(keras.applications, name)(weights=None)
        model = Model.from_keras(kmodel)
        summary = model.analyze()
    return kmodel, model, summary


def keras_layers(model: Any) -> Iterator[Any]:
    """Every layer of a Keras model, a nested model's layers in its place (from_keras
    inlines nested models), input layers left out."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from keras_layers(layer)
        elif not isinstance(layer, keras.layers.InputLayer):
            yield layer


def keras_weights(layer: Any) -> tuple[tuple[str, tuple[int, ...], bool], ...]:
    return tuple((w.name, tuple(w.shape), bool(w.trainable)) for w in layer.weights)


def test_applications_keras_all_forty_are_checked() -> None:
    assert len(APPLICATIONS) == 40


@pytest.mark.parametrize("name", APPLICATIONS)
def test_applications_keras_every_layer_matches(name: str) -> None:
    kmodel, _, summary = imported(name)
    assert summary.error is None, summary.error
    rows = {row.name: row for row in summary.rows}
    differences = []
    for layer in keras_layers(kmodel):
        row = rows.get(layer.name)
        if row is None:
            differences.append(f"{layer.name}: not imported")
            continue
        if row.output_shape != tuple(layer.output.shape):
            differences.append(f"{layer.name}: {row.output_shape} != {layer.output.shape}")
        ours = tuple((w.name, w.shape, w.trainable) for w in row.weights)
        if ours != keras_weights(layer):
            differences.append(f"{layer.name}: weights {ours} != {keras_weights(layer)}")
    assert not differences, "\n".join(differences[:20])


@pytest.mark.parametrize("name", APPLICATIONS)
def test_applications_keras_totals_match(name: str) -> None:
    kmodel, _, summary = imported(name)
    trainable = sum(_size(w) for w in kmodel.trainable_weights)
    assert (summary.total_params, summary.trainable_params) == (kmodel.count_params(),
                                                                trainable)
    assert [summary.shape_of(n) for n in summary.outputs] == [
        tuple(t.shape) for t in kmodel.outputs]


def _size(weight: Any) -> int:
    out = 1
    for d in weight.shape:
        out *= int(d)
    return out


@pytest.mark.parametrize("name", APPLICATIONS)
def test_applications_keras_declared_types_are_computed(name: str) -> None:
    """A layer type the catalogue declares is computed by shapewidget (never left to
    Keras's shapes): custom layers — shapes from Keras are only the types shapewidget
    does not declare and keras.ops calls on tensors."""
    _, model, _ = imported(name)
    fallbacks = [f"{layer.name} ({layer.type_name()}: {layer.value('keras_why')})"
                 for layer in model.layers if is_opaque(layer)
                 and layer.value("keras_why").get("key") not in ("custom", "operation")]
    assert not fallbacks
    assert all(layer.type_name() not in LAYER_TYPES
               or layer.value("keras_why").get("key") == "operation"
               for layer in model.layers if is_opaque(layer))
