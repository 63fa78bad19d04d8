"""The layer reference is generated from the declarations and kept current."""

from __future__ import annotations

from pathlib import Path

from shapewidget.docs import layer_reference_markdown
from shapewidget.layers import CATALOGUE

DOC = Path(__file__).resolve().parent.parent / "docs" / "layers.md"


def test_docs_layer_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == layer_reference_markdown(), (
        "docs/layers.md is stale: run `python -m shapewidget.docs > docs/layers.md`")


def test_docs_layer_reference_lists_every_argument() -> None:
    text = layer_reference_markdown()
    for cls in CATALOGUE:
        assert f"### {cls.type_name()}\n" in text
        for param in cls.all_params():
            assert f"| `{param.name}` |" in text
