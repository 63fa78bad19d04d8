"""The functional summary's "Connected to" column and totals against real Keras 3."""

from __future__ import annotations

import warnings
from typing import Any

import keras
import pytest
from test_summary_text import body, issue_model

from shapewidget import Model

pytestmark = pytest.mark.keras


def keras_issue_model() -> Any:
    """``issue_model()`` written in Keras: the second call of ``kind`` is ``kind(joined)``."""
    layers = keras.layers
    image = keras.Input(shape=(32, 32, 3), name="image")
    meta = keras.Input(shape=(5,), name="meta")
    conv = layers.Conv2D(8, 3, name="conv")(image)
    flat = layers.Flatten(name="flat")(conv)
    joined = layers.Concatenate(axis=-1, name="joined")([flat, meta])
    score = layers.Dense(1, name="score")(joined)
    kind = layers.Dense(3, name="kind")
    both = layers.Add(name="both")([kind(joined), kind(joined)])
    return keras.Model(inputs=[image, meta], outputs=[score, both])


def keras_siamese() -> tuple[Any, Model]:
    layers = keras.layers
    left = keras.Input(shape=(10,), name="left")
    right = keras.Input(shape=(10,), name="right")
    encoder = layers.Dense(4, name="encoder")
    diff = layers.Subtract(name="difference")([encoder(left), encoder(right)])
    out = layers.Dense(1, name="similarity")(diff)
    ours = Model([{"type": "Dense", "units": 4, "name": "encoder", "inbound": ["left"]},
                  {"shares": "encoder", "name": "encoder_again", "inbound": ["right"]},
                  {"type": "Subtract", "name": "difference",
                   "inbound": ["encoder", "encoder_again"]},
                  {"type": "Dense", "units": 1, "name": "similarity", "inbound": ["difference"]}],
                 inputs=[{"name": "left", "shape": [10]}, {"name": "right", "shape": [10]}])
    return keras.Model(inputs=[left, right], outputs=out), ours


def keras_connections(model: Any) -> dict[tuple[str, int], str]:
    """Per (layer, call): the "Connected to" text Keras's summary builds for that call."""
    out = {}
    for layer in model.layers:
        for k, node in enumerate(layer._inbound_nodes):
            parts = []
            for t in node.input_tensors:
                history = t._keras_history
                parts.append(f"{history.operation.name}[{history.node_index}]"
                             f"[{history.tensor_index}]")
            out[(layer.name, k)] = ", ".join(parts) or "-"
    return out


def ours_connections(model: Model) -> dict[tuple[str, int], str]:
    summary = model.analyze()
    calls: dict[str, int] = {}
    out = {(t.name, 0): "-" for t in summary.inputs}
    cells = {r[0].split(" ")[0]: r[3] for r in body(summary.to_text())}
    for row in summary.rows:
        layer = row.shares or row.name
        out[(layer, calls.get(layer, 0))] = cells[row.name]
        calls[layer] = calls.get(layer, 0) + 1
    return out


@pytest.mark.parametrize("case", ["issue", "siamese"])
def test_summary_text_keras_connected_to_matches_keras(case: str) -> None:
    with warnings.catch_warnings(), keras.StatelessScope(initialize_variables=False):
        warnings.simplefilter("ignore")
        if case == "issue":
            theirs, ours = keras_issue_model(), issue_model()
        else:
            theirs, ours = keras_siamese()
    assert ours_connections(ours) == keras_connections(theirs)
    assert ours.analyze().total_params == theirs.count_params()
