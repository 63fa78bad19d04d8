"""The SVG written from a drawing's scene: sizes, shapes where the scene has them, every
part tagged with its layer, labels as outlines with their words, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from render_helpers import cnn_model, seed_model

from shapewidget import Model
from shapewidget.render.drawing import scene
from shapewidget.render.scene_svg import UNIT, scene_svg

NS = "{http://www.w3.org/2000/svg}"


def _svg(model: Model, dpi: float = 80, **options: object) -> ET.Element:
    return ET.fromstring(scene_svg(scene(model.analyze(), **options), dpi))  # type: ignore[arg-type]


def test_scene_svg_size_is_the_scene_in_whole_pixels() -> None:
    sc = scene(seed_model().analyze())
    root = ET.fromstring(scene_svg(sc, 80))
    assert root.get("width") == str(int(sc.width * 80))
    assert root.get("height") == str(int(sc.height * 80))
    assert root.get("viewBox") == f"0 0 {int(sc.width * 80) * UNIT} {int(sc.height * 80) * UNIT}"


def test_scene_svg_size_in_points_is_the_scene_in_inches() -> None:
    sc = scene(seed_model().analyze())
    root = ET.fromstring(scene_svg(sc, 100, points=True))
    assert float(root.get("width", "").removesuffix("pt")) == pytest.approx(sc.width * 72, abs=1)


def test_scene_svg_writes_one_circle_per_drawn_neuron() -> None:
    root = _svg(seed_model())
    assert len(list(root.iter(f"{NS}circle"))) == 4 + 4 + 1


def test_scene_svg_circles_sit_on_the_neuron_centres() -> None:
    sc = scene(seed_model().analyze())
    (shape,) = [s for s in sc.shapes if s.gid == "neurons:dense_2"]
    root = ET.fromstring(scene_svg(sc, 80))
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("id") == "neurons:dense_2"]
    (circle,) = list(group)
    (x, y), = shape.geometry
    assert int(circle.get("cx", "")) == round(x * 80 * UNIT)
    assert int(circle.get("cy", "")) == round((int(sc.height * 80) - y * 80) * UNIT)


def test_scene_svg_writes_every_weight_line() -> None:
    root = _svg(seed_model())
    (weights,) = [p for p in root.iter(f"{NS}path") if p.get("id") == "weights:dense"]
    assert weights.get("d", "").count("M") == 3 * 4


def test_scene_svg_parts_carry_their_layer() -> None:
    root = _svg(cnn_model())
    layers = {e.get("data-layer") for e in root.iter() if e.get("data-layer")}
    assert {"conv2d", "max_pooling2d", "flatten", "dense"} <= layers


def test_scene_svg_labels_keep_their_words() -> None:
    root = _svg(seed_model())
    words = {e.get("aria-label") for e in root.iter(f"{NS}use")}
    assert {"Input", "dense_1", "(None, 4)", "units=4"} <= words


def test_scene_svg_writes_each_line_outline_once() -> None:
    root = _svg(seed_model())
    uses = [e.get("href") for e in root.iter(f"{NS}use")]
    defs = [e.get("id") for e in root.iter(f"{NS}path") if (e.get("id") or "").startswith("g")]
    assert len(uses) > len(set(uses))  # "(None, 4)" twice, one outline
    assert len(defs) == len(set(defs)) == len(set(uses))


def test_scene_svg_hostile_name_is_escaped() -> None:
    name = '"><script>window.pwned=1</script>'
    svg = scene_svg(scene(Model([{"type": "Dense", "units": 2, "name": name}],
                                input_shape=(3,)).analyze()), 80)
    assert "<script" not in svg
    ET.fromstring(svg)  # still well-formed


def test_scene_svg_shows_the_highlight_box() -> None:
    root = _svg(seed_model(), highlight=1)
    assert [g.get("id") for g in root.iter(f"{NS}g")
            if (g.get("id") or "").startswith("highlight:")] == ["highlight:dense_1"]


def test_scene_svg_of_a_cnn_writes_its_feature_map_faces() -> None:
    root = _svg(cnn_model())
    (block,) = [g for g in root.iter(f"{NS}g") if g.get("id") == "block:conv2d"]
    assert len(list(block)) == 3  # side, top, front


def test_scene_svg_panel_is_a_rounded_card() -> None:
    root = _svg(seed_model(), panel=True)
    (card,) = [r for r in root.iter(f"{NS}rect") if r.get("id") == "panel"]
    assert float(card.get("rx", "0")) > 0


def test_scene_svg_follows_the_scene_groups_order() -> None:
    sc = scene(cnn_model().analyze(), highlight=2)
    zs = [style.z for _, style, _ in sc.groups()]
    assert zs == sorted(zs)
    root = ET.fromstring(scene_svg(sc, 80))
    ids = [g.get("id") for g in root.iter() if g.get("id")]
    assert ids.index("highlight:conv2d_1") < ids.index("block:conv2d")
    assert np.all(np.diff(zs) >= 0)
