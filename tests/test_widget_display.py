"""ShapeWidget is a standard ipywidgets widget that displays last in a cell."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any
from xml.etree import ElementTree

import ipywidgets
import pytest

import shapewidget
from shapewidget import Model, ShapeError
from shapewidget.widget import ShapeWidget

REQUIRED_CLASSES = {"sw-input-shape", "sw-batch-size", "sw-layer-type", "sw-add-layer",
                    "sw-layer", "sw-units", "sw-remove-layer", "sw-diagram", "sw-table",
                    "sw-code", "sw-status", "sw-undo", "sw-redo"}


def all_classes(widget: Any) -> set[str]:
    found = set(widget._dom_classes)
    for child in getattr(widget, "children", ()):
        found |= all_classes(child)
    return found


def test_import_shapewidget_does_not_load_ipywidgets_or_matplotlib() -> None:
    code = ("import sys, shapewidget; "
            "print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


def test_shapewidget_attribute_is_the_widget_class() -> None:
    assert shapewidget.ShapeWidget is ShapeWidget


def test_shapewidget_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = shapewidget.NoSuchThing  # type: ignore[attr-defined]


def test_widget_is_a_standard_box_with_a_widget_mimebundle() -> None:
    w = ShapeWidget()
    assert isinstance(w, ipywidgets.VBox)
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id


def test_widget_default_is_the_seed_network() -> None:
    w = ShapeWidget()
    assert w.model.input_shape == (3,)
    assert [layer.units for layer in w.model.layers] == [4, 4, 1]
    assert w.last_internal_error is None


def test_widget_required_css_classes_are_present() -> None:
    w = ShapeWidget()
    assert all_classes(w) >= REQUIRED_CLASSES


def test_widget_has_one_layer_row_per_layer() -> None:
    w = ShapeWidget(preset="cnn")
    rows = [c for c in w.layers_box.children if "sw-layer" in c._dom_classes]
    assert len(rows) == len(w.model.layers) == 6


def test_widget_with_model_and_preset_raises() -> None:
    with pytest.raises(ShapeError, match="either a model or a preset"):
        ShapeWidget(model=Model(input_shape=(3,)), preset="neurons")


@pytest.mark.parametrize("lang", ["fr", None, 3])
def test_widget_unknown_language_raises_shape_error(lang: Any) -> None:
    with pytest.raises(ShapeError, match="argument `lang`: expected one of 'en', 'ja'"):
        ShapeWidget(lang=lang)


def test_widget_unknown_preset_raises_shape_error() -> None:
    with pytest.raises(ShapeError, match="unknown preset"):
        ShapeWidget(preset="nope")


def test_widget_accepts_a_spec_dict() -> None:
    w = ShapeWidget({"input_shape": [5], "layers": [{"type": "Dense", "units": 2}]})
    assert w.model.summary().output_shape == (None, 2)


def test_widget_drawing_is_an_svg_image() -> None:
    w = ShapeWidget()
    (content,) = w.diagram.children
    assert isinstance(content, ipywidgets.Image)
    assert content.format == "svg+xml"
    root = ElementTree.fromstring(bytes(content.value))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width", "0")) > 100


def test_widget_drawing_falls_back_to_png_when_asked() -> None:
    w = ShapeWidget()
    w._drawer.fmt = "png"
    w.rows[0].controls["units"].widget.value = 7
    assert w.diagram_image.format == "png"
    assert bytes(w.diagram_image.value).startswith(b"\x89PNG")


def test_widget_close_closes_child_widgets() -> None:
    w = ShapeWidget()
    control = w.rows[0].controls["units"].widget
    w.close()
    assert control.comm is None


def test_widget_in_japanese_writes_nothing_to_the_log() -> None:
    code = ("import shapewidget as sw; w = sw.ShapeWidget(preset='cnn', lang='ja'); "
            "w.selected = 1; assert w.last_internal_error is None")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
