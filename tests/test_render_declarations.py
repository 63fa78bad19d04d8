"""What the drawing knows about a layer type comes from its declaration (``Layer.drawing``),
not from its class name."""

from __future__ import annotations

import re
from pathlib import Path

import shapewidget
from shapewidget.layers import LAYER_TYPES
from shapewidget.render import labels as lb

RENDER = Path(shapewidget.__file__).parent / "render"


def test_render_sources_do_not_branch_on_layer_class_names() -> None:
    pattern = re.compile(r"class_name\s*(==|!=|in\b|\.startswith|\.endswith)|"
                         r"in\s+\w+\.class_name|\"(Dense|Bidirectional|Concatenate|Dot)\"")
    bad = [f"{p.name}:{i}" for p in sorted(RENDER.glob("*.py")) if p.name != "table.py"
           for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
           if pattern.search(line)]
    assert bad == []


def test_layer_declarations_every_merge_has_a_symbol() -> None:
    merges = [name for name, cls in LAYER_TYPES.items() if cls.family == "merging"]
    assert merges
    assert [m for m in merges if not lb.drawing_of(m).get("merge")] == []


def test_layer_declarations_every_recurrent_layer_has_a_time_axis() -> None:
    recurrent = [name for name, cls in LAYER_TYPES.items() if cls.family == "recurrent"]
    assert recurrent
    assert [r for r in recurrent if lb.drawing_of(r).get("time") != "recurrent"] == []


def test_layer_declarations_unknown_type_draws_by_its_shapes() -> None:
    assert lb.drawing_of("NoSuchLayer") == {}
