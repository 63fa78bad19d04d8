"""Big models drawn legibly: repeated blocks collapsed, long chains wrapped into rows."""

from __future__ import annotations

from typing import Any

import pytest
from render_helpers import densenet121_spec, resnet50_spec, texts

from shapewidget import Model
from shapewidget.render import collapse
from shapewidget.render.drawing import draw, scene
from shapewidget.render.overview import MAX_DRAWN
from shapewidget.shapes import format_shape

DPI = 100  # the notebook display's


@pytest.fixture(scope="module")
def resnet50() -> Model:
    return Model.from_spec(resnet50_spec())


@pytest.fixture(scope="module")
def densenet121() -> Model:
    return Model.from_spec(densenet121_spec())


def test_collapse_resnet50_stages_are_one_unit_each(resnet50: Model) -> None:
    units = collapse.units(resnet50.analyze())
    assert units is not None
    groups = {u.title: u.times for u in units if not u.single}
    assert groups == {"conv2_block1..3": 3, "conv3_block1..4": 4, "conv4_block1..6": 6,
                      "conv5_block1..3": 3}
    assert sum(u.layers for u in units) == len(resnet50.analyze().rows)


def test_collapse_densenet121_dense_blocks_are_one_unit_each(densenet121: Model) -> None:
    units = collapse.units(densenet121.analyze())
    assert units is not None
    groups = {u.title: u.times for u in units if not u.single}
    assert groups == {"conv2_block1..6": 6, "conv3_block1..12": 12, "conv4_block1..24": 24,
                      "conv5_block1..16": 16}


def test_collapse_group_says_how_many_and_its_output_shape(resnet50: Model) -> None:
    fig = draw(resnet50)
    words = texts(fig)
    assert "×6" in words and "block ×6" in words
    # the group's shape is the output of its last block (checked against Keras above)
    sc = scene(resnet50.analyze())
    (shape,) = [lab.text for lab in sc.labels if lab.gid == "label:shape:conv4_block1..6"]
    last = resnet50.analyze().row_named("conv4_block6_out")
    assert last is not None and shape == format_shape(last.output_shape)


@pytest.mark.parametrize("name", ["resnet50", "densenet121"])
def test_collapse_real_architecture_fits_a_slide(name: str, request: Any) -> None:
    model: Model = request.getfixturevalue(name)
    sc = scene(model.analyze())
    w, h = sc.width * DPI, sc.height * DPI
    assert w <= 4000 and h <= 4000, (w, h)
    assert max(w / h, h / w) <= 4.0


def test_collapse_repeated_layers_of_a_sequential_chain() -> None:
    m = Model([{"type": "Dense", "units": 16}, {"type": "Dropout", "rate": 0.1}] * 40,
              input_shape=(16,))  # every repeat on the same shapes
    units = collapse.units(m.analyze())
    assert units is not None and [(u.times, len(u.rows)) for u in units] == [(40, 2)]
    assert "×40" in texts(draw(m))


def test_collapse_repeats_on_other_shapes_are_not_counted_as_the_same() -> None:
    m = Model([{"type": "Dense", "units": 16}, {"type": "Dropout", "rate": 0.1}] * 40,
              input_shape=(8,))  # the first Dense reads 8 values, the others 16
    units = collapse.units(m.analyze())
    assert units is not None and units[0].single and units[0].title == "dense"
    assert sum(u.layers for u in units) == 80


def test_collapse_small_model_is_drawn_layer_by_layer() -> None:
    m = Model([{"type": "Dense", "units": 4}] * 5, input_shape=(3,))
    assert collapse.units(m.analyze()) is None


def test_collapse_highlight_of_a_collapsed_layer_highlights_its_group(
        resnet50: Model) -> None:
    index = next(r.index for r in resnet50.analyze().rows if r.name == "conv3_block2_2_conv")
    sc = scene(resnet50.analyze(), highlight=index)
    assert [s.gid for s in sc.shapes if s.gid.startswith("highlight:")] == [
        "highlight:conv3_block1..4"]


def test_collapse_model_too_large_to_draw_gets_an_overview() -> None:
    layers = [{"type": "Dense", "units": 4 + i} for i in range(MAX_DRAWN * 2)]  # no repeats
    m = Model(layers, input_shape=(3,))
    sc = scene(m.analyze())
    words = " ".join(lab.text for lab in sc.labels)
    assert f"{MAX_DRAWN * 2:,} layers" in words and "table" in words


def test_collapse_blocks_off_draws_every_layer(resnet50: Model) -> None:
    sc = scene(resnet50.analyze(), collapse_blocks=False)
    assert {f"neurons:{r.name}" for r in resnet50.analyze().rows if r.class_name == "Dense"} \
        <= {s.gid for s in sc.shapes}
    assert "conv3_block2_2_conv" in sc.layers()


def test_collapse_broken_big_model_still_shows_what_breaks() -> None:
    layers: list[dict[str, Any]] = [{"type": "Dense", "units": 8}] * 200
    m = Model([*layers, {"type": "Reshape", "target_shape": [3, 3]}], input_shape=(8,))
    sc = scene(m.analyze())
    assert any(s.gid.startswith("broken:") for s in sc.shapes)
    assert "×200" in [lab.text for lab in sc.labels]
    assert any(lab.text.startswith("Error:") for lab in sc.labels)
