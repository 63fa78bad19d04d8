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

import re
from pathlib import Path

import pytest
from code_keras import keras_model, keras_rows, shapewidget_rows

from shapewidget import ShapeError

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.py"))
_EXPECT = re.compile(r"^# expect: (reads|refuses: (.+))$", re.MULTILINE)


def expectation(source: str) -> str | None:
    """``None`` when the file must be read, else the words its refusal must contain."""
    found = _EXPECT.search(source)
    assert found is not None, "corpus file without an '# expect:' line"
    return None if found.group(1) == "reads" else found.group(2).strip()


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
        # Where: the line, or (a model Keras refuses) the layer.
        assert err.line is not None or err.layer_index is not None, str(err)
        return
    reference = keras_model(source, monkeypatch)
    assert rows == keras_rows(reference)
    assert [tuple(t.shape) for t in summary.inputs] == [
        tuple(t.shape) for t in reference.inputs]


def test_codeparse_corpus_is_large_and_varied() -> None:
    sources = [p.read_text(encoding="utf-8") for p in FILES]
    reads = sum(expectation(s) is None for s in sources)
    assert len(sources) >= 25 and reads >= 12
