"""The SVG writer (shapewidget.render.svg): what it writes is what the artists hold."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pytest
from matplotlib.figure import Figure

from shapewidget import Model
from shapewidget.render.drawing import draw
from shapewidget.render.merged import Dots, LineSet
from shapewidget.render.pathtext import LabelLayer
from shapewidget.render.svg import UNIT, figure_svg

NS = "{http://www.w3.org/2000/svg}"


def seed() -> Model:
    return Model([{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4},
                  {"type": "Dense", "units": 1}], input_dim=3)


def drawn(model: Model, **options: object) -> Figure:
    return draw(model.analyze(), fig=Figure(dpi=80), **options)  # type: ignore[arg-type]


def parse(svg: str | None) -> ElementTree.Element:
    assert svg is not None
    return ElementTree.fromstring(svg)


def artists(fig: Figure, kind: type) -> list[Any]:
    return [a for a in fig.axes[0].get_children() if isinstance(a, kind)]


def test_svg_size_in_points_is_the_figure_in_inches() -> None:
    fig = drawn(seed())
    root = parse(figure_svg(fig, points=True))
    w, h = (int(v) for v in fig.bbox.size)
    assert root.get("width") == f"{w * 72 / 80:.2f}pt"
    assert root.get("height") == f"{h * 72 / 80:.2f}pt"


def test_svg_glyph_ids_are_named_after_their_outline() -> None:
    root = parse(figure_svg(drawn(seed())))
    defs = {p.get("id"): p.get("d") for p in root.iter(f"{NS}path") if p.get("id")}
    assert all(i and i.startswith("swg-") for i in defs)
    outlines = list(defs.values())
    assert len(set(outlines)) == len(outlines)  # one id per outline, one outline per id


def test_svg_size_is_the_figure_in_pixels() -> None:
    fig = drawn(seed())
    root = parse(figure_svg(fig))
    w, h = (int(v) for v in fig.bbox.size)
    assert (root.get("width"), root.get("height")) == (str(w), str(h))
    assert root.get("viewBox") == f"0 0 {w * UNIT} {h * UNIT}"


def test_svg_writes_one_circle_per_drawn_neuron() -> None:
    fig = drawn(seed())
    neurons = sum(len(d.get_offsets()) for d in artists(fig, Dots))
    root = parse(figure_svg(fig))
    # the input is a tensor (value cells), the three Dense layers are neurons
    assert len(root.findall(f".//{NS}circle")) == neurons == 4 + 4 + 1


def test_svg_circles_sit_on_the_neuron_centres() -> None:
    fig = drawn(seed())
    ax = fig.axes[0]
    centres = np.concatenate([d.get_offsets() for d in artists(fig, Dots)])
    height = int(fig.bbox.size[1])
    expected = sorted((round(x * UNIT), round((height - y) * UNIT))
                      for x, y in ax.transData.transform(centres))
    root = parse(figure_svg(fig))
    got = sorted((int(c.get("cx", "")), int(c.get("cy", "")))
                 for c in root.findall(f".//{NS}circle"))
    assert got == expected


def test_svg_writes_every_weight_line() -> None:
    fig = drawn(seed())
    segments = sum(len(s.get_segments()) for s in artists(fig, LineSet))
    svg = figure_svg(fig)
    assert svg is not None
    stroked = re.findall(r'<path fill="none"[^>]*d="([^"]*)"', svg)
    assert sum(d.count("M") for d in stroked) == segments >= 3 * 4 + 4 * 4 + 4


def label_count(fig: Figure) -> int:
    return sum(len([r for r in layer.labels if len(r._verts)])
               for layer in artists(fig, LabelLayer))


def test_svg_writes_one_group_of_glyphs_per_label() -> None:
    fig = drawn(seed())
    svg = figure_svg(fig)
    assert svg is not None
    groups = re.findall(r'<g aria-label="([^"]*)" transform="translate\(-?\d+ -?\d+\) scale',
                        svg)
    assert len(groups) == label_count(fig) > 10
    assert "a tensor, not a layer" in groups  # the words stay in the document


def test_svg_writes_each_glyph_outline_once() -> None:
    root = parse(figure_svg(drawn(seed())))
    defined = [p.get("id") for p in root.iter(f"{NS}path") if p.get("id")]
    used = {u.get("href", "").lstrip("#") for u in root.iter(f"{NS}use")}
    assert len(defined) == len(set(defined)) and set(defined) == used
    # "dense" appears in several labels, its glyphs once each
    assert len(root.findall(f".//{NS}use")) > 2 * len(defined)


def test_svg_labels_fall_back_to_outlines_without_a_placement() -> None:
    fig = drawn(seed())
    for layer in artists(fig, LabelLayer):
        for record in layer.labels:
            record.codes()  # the outline worked out while the placement is known
            record.placement = None
    svg = figure_svg(fig)
    assert svg is not None and "<use" not in svg
    assert svg.count('<path transform="translate(') == label_count(fig)


def test_svg_shows_the_highlight_box() -> None:
    plain = figure_svg(drawn(seed()))
    marked = figure_svg(drawn(seed(), highlight=1))
    assert plain is not None and marked is not None
    assert marked.count("<path") == plain.count("<path") + 1


def test_svg_of_a_cnn_writes_its_feature_map_faces() -> None:
    model = Model([{"type": "Conv2D", "filters": 8, "kernel_size": 3},
                   {"type": "MaxPooling2D"}, {"type": "Flatten"},
                   {"type": "Dense", "units": 10}], input_shape=(28, 28, 1))
    root = parse(figure_svg(drawn(model)))
    filled = [p for p in root.iter(f"{NS}path") if p.get("fill", "none") != "none"]
    assert len(filled) > 6


@pytest.mark.parametrize("colour,expected", [("#123456", ' fill="#123456"'),
                                             ((1.0, 0.0, 0.0, 0.5),
                                              ' fill="#ff0000" fill-opacity="0.5"'),
                                             ("none", "")])
def test_svg_paint_writes_colour_and_opacity(colour: object, expected: str) -> None:
    from shapewidget.render.svg import _paint

    assert _paint(colour) == expected


def test_svg_declines_a_figure_with_text_artists() -> None:
    fig = drawn(seed(), text_as_paths=False)
    assert figure_svg(fig) is None


def test_svg_declines_a_figure_with_visible_axes() -> None:
    fig = Figure()
    fig.add_subplot().plot([0, 1], [0, 1])
    assert figure_svg(fig) is None


def test_svg_needs_no_label_outline() -> None:
    fig = drawn(seed())
    assert figure_svg(fig) is not None
    records = [r for layer in artists(fig, LabelLayer) for r in layer.labels]
    assert records and all(r._given is None for r in records)


def test_svg_needs_no_weight_line_paths() -> None:
    fig = drawn(seed())
    assert figure_svg(fig) is not None
    line_sets = artists(fig, LineSet)
    assert line_sets and all(s._unbuilt for s in line_sets)
    assert sum(len(s.get_segments()) for s in line_sets) > 0  # made when read
