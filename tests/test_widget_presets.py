"""Presets: built only from layer types present in the catalogue at run time."""

from __future__ import annotations

import pytest

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.widget import ShapeWidget
from shapewidget.widget.presets import PRESET_NAMES, available_presets, preset_spec


@pytest.mark.parametrize("name", available_presets())
def test_preset_builds_a_valid_model(name: str) -> None:
    w = ShapeWidget(preset=name)
    assert w.model.analyze().ok
    assert w.status_text.startswith("✓")


def test_preset_picker_lists_available_presets() -> None:
    w = ShapeWidget()
    assert [v for _, v in w.preset_picker.options] == available_presets()


def test_preset_uses_only_known_layer_types() -> None:
    for name in PRESET_NAMES:
        spec = preset_spec(name)
        if spec is not None:
            assert all(layer["type"] in LAYER_TYPES for layer in spec["layers"])


def test_cnn_preset_is_30_rgb_images_of_50_by_50() -> None:
    if "cnn" not in available_presets():
        pytest.skip("Conv2D not in this catalogue")
    w = ShapeWidget(preset="cnn")
    assert w.model.batch_input_shape == (30, 50, 50, 3)
    assert "30·50·50·3 = 225,000" in w.input_info.value


def test_load_preset_button_replaces_model_and_is_undoable() -> None:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    before = w.model.to_spec()
    w.preset_picker.value = available_presets()[-1]
    w.preset_button.click()
    assert w.model == Model.from_spec(preset_spec(available_presets()[-1]))
    w.undo()
    assert w.model.to_spec() == before
