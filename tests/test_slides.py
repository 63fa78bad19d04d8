"""The lecture slideshow: saved outputs, slide metadata, and a kernel-free slides export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SLIDES = Path(__file__).resolve().parent.parent / "notebooks" / "slides_units_and_shapes.ipynb"
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


@pytest.fixture(scope="module")
def notebook() -> dict[str, Any]:
    with SLIDES.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture(scope="module")
def slides_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The notebook exported with ``jupyter nbconvert --to slides`` (no kernel runs)."""
    out = tmp_path_factory.mktemp("slides")
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", str(SLIDES),
         "--output-dir", str(out)],
        check=True, capture_output=True, timeout=120,
    )
    (page,) = out.glob("*.slides.html")
    return page.read_text(encoding="utf-8")


def code_outputs(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]


def test_slides_notebook_every_cell_has_slide_type(notebook: dict[str, Any]) -> None:
    types = [c["metadata"].get("slideshow", {}).get("slide_type") for c in notebook["cells"]]
    assert all(t in SLIDE_TYPES for t in types), types
    assert types.count("slide") >= 4


def test_slides_notebook_outputs_saved_without_errors(notebook: dict[str, Any]) -> None:
    outputs = code_outputs(notebook)
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = [c for c in notebook["cells"] if c["cell_type"] == "code"
             and c["metadata"]["slideshow"]["slide_type"] != "skip"]
    assert all(c["outputs"] for c in shown), "execute it: jupyter nbconvert --execute --inplace"


def test_slides_export_contains_shape_table(slides_html: str) -> None:
    assert '<table class="shapewidget-table' in slides_html
    assert "(30, 48, 48, 8)" in slides_html


def test_slides_export_embeds_drawings(slides_html: str) -> None:
    assert "<svg" in slides_html
    assert slides_html.count("data:image/png;base64,") >= 2


def test_slides_export_marks_slides_for_reveal(slides_html: str) -> None:
    assert slides_html.count("<section") >= 5
    assert "Reveal.initialize" in slides_html
