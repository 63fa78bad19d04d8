"""Real tutorial code (tests/corpus/: model definitions after keras-io's examples and
guides) read by ``from_keras_code`` and compared with the same code run in real Keras.

Each corpus file says what shapewidget must do with it in a header line:
``# expect: reads`` (every layer's output shape and parameter counts equal Keras's), or
``# expect: refuses: <words>`` (a ShapeError whose message contains the words, or one of
the alternatives separated by `` | ``: the reason may change as layer types are added). A file
marked as refused that shapewidget reads (a layer type added since) must then match Keras
exactly: a refusal is allowed, a wrong number never is.

Only the test runs the code (with real Keras, in a namespace of its own); the package reads
it without running anything. Layers nested in a model used as a layer are compared with the
layers shapewidget reads them into (it inlines nested models).
"""

from __future__ import annotations

import os
import re
import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras

from shapewidget import ShapeError
from shapewidget.codeparse import from_keras_code

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.py"))
_EXPECT = re.compile(r"^# expect: (reads|refuses: (.+))$", re.MULTILINE)


def expectation(source: str) -> str | None:
    """``None`` when the file must be read, else the words its refusal must contain."""
    found = _EXPECT.search(source)
    assert found is not None, "corpus file without an '# expect:' line"
    return None if found.group(1) == "reads" else found.group(2).strip()


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


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_codeparse_corpus_reads_exactly_or_refuses_clearly(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = path.read_text(encoding="utf-8")
    refusal = expectation(source)
    try:
        rows, summary = shapewidget_rows(source)
    except ShapeError as err:
        assert refusal is not None, f"refused: {err}"
        assert any(words in str(err) for words in refusal.split(" | ")), str(err)
        assert err.line is not None or "no model found" in str(err)
        return
    reference = keras_model(source, monkeypatch)
    assert rows == keras_rows(reference)
    assert [tuple(t.shape) for t in summary.inputs] == [
        tuple(t.shape) for t in reference.inputs]


def test_codeparse_corpus_is_large_and_varied() -> None:
    sources = [p.read_text(encoding="utf-8") for p in FILES]
    reads = sum(expectation(s) is None for s in sources)
    assert len(sources) >= 25 and reads >= 12
