"""The drawing of functional models: layered layout, merges, shared layers, inputs, outputs."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from graph_examples import issue_spec
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from render_helpers import (
    by_gid,
    labels_over_neurons,
    one,
    overlapping_labels,
    parts,
    seed_model,
    text_boxes,
    texts,
)

from shapewidget import Model
from shapewidget.render import draw
from shapewidget.render.fonts import japanese_font
from shapewidget.render.graph_drawing import HEAD, MAX_SLOTS, graph_layout_of
from shapewidget.render.graph_layout import build, count_crossings, order_columns
from shapewidget.render.theme import get_theme

# --- models ----------------------------------------------------------------------------------


def issue_example() -> Model:
    """Issue 4's example: an image and a meta input, conv → flatten → concatenate, two
    Dense heads, and a second call of one head (a shared layer)."""
    return Model.from_spec(issue_spec())


def two_tower() -> Model:
    """Two inputs through one shared Dense layer, added, then a Dense output."""
    return Model.from_spec({
        "inputs": [{"name": "left", "shape": [6]}, {"name": "right", "shape": [6]}],
        "layers": [
            {"name": "tower", "type": "Dense", "units": 4, "activation": "relu",
             "inbound": ["left"]},
            {"name": "tower_b", "shares": "tower", "inbound": ["right"]},
            {"name": "sum", "type": "Add", "inbound": ["tower", "tower_b"]},
            {"name": "out", "type": "Dense", "units": 1, "activation": "sigmoid",
             "inbound": ["sum"]}],
        "outputs": ["out"]})


def residual() -> Model:
    """Dense → Dense → Add, with the input skipping both."""
    return Model.from_spec({
        "inputs": [{"name": "x", "shape": [8]}],
        "layers": [
            {"name": "dense", "type": "Dense", "units": 8, "activation": "relu",
             "inbound": ["x"]},
            {"name": "dense_1", "type": "Dense", "units": 8, "inbound": ["dense"]},
            {"name": "add", "type": "Add", "inbound": ["dense_1", "x"]}],
        "outputs": ["add"]})


def three_inputs() -> Model:
    """Three inputs joined by a Concatenate, two outputs."""
    return Model.from_spec({
        "inputs": [{"name": "title", "shape": [16]}, {"name": "body", "shape": [64]},
                   {"name": "tags", "shape": [12]}],
        "layers": [
            {"name": "title_features", "type": "Dense", "units": 8, "inbound": ["title"]},
            {"name": "body_features", "type": "Dense", "units": 32, "inbound": ["body"]},
            {"name": "merged", "type": "Concatenate",
             "inbound": ["title_features", "body_features", "tags"]},
            {"name": "priority", "type": "Dense", "units": 1, "inbound": ["merged"]},
            {"name": "department", "type": "Dense", "units": 4, "activation": "softmax",
             "inbound": ["merged"]}],
        "outputs": ["priority", "department"]})


EXAMPLES = {"issue": issue_example, "two_tower": two_tower, "residual": residual,
            "three_inputs": three_inputs}


def layout_of(model: Model, theme: str = "light") -> Any:
    return graph_layout_of(model.analyze(), get_theme(theme))[1]


def real_nodes(lay: Any) -> list[Any]:
    return [n for n in lay.nodes.values() if n.kind != "dummy"]


# --- layout ----------------------------------------------------------------------------------


def test_graph_layout_columns_by_depth() -> None:
    lay = layout_of(issue_example())
    column = {n.name: n.column for n in real_nodes(lay)}
    assert column == {"image": 0, "conv": 1, "flat": 2, "meta": 2, "joined": 3,
                      "score": 4, "kind": 4, "kind_again": 4}


@pytest.mark.parametrize("name", EXAMPLES)
def test_graph_layout_an_input_in_column_zero(name: str) -> None:
    lay = layout_of(EXAMPLES[name]())
    assert any(n.kind == "input" and n.column == 0 for n in lay.nodes.values())
    assert lay.nodes[lay.columns[0][0]].x < min(n.x for n in real_nodes(lay)
                                                if n.kind == "layer")


@pytest.mark.parametrize("name", EXAMPLES)
def test_graph_layout_every_layer_after_all_its_inbound_tensors(name: str) -> None:
    lay = layout_of(EXAMPLES[name]())
    for node in real_nodes(lay):
        for src in node.inbound:
            assert lay.nodes[src].column < node.column, (src, node.name)
            assert lay.nodes[src].x < node.x


@pytest.mark.parametrize("theme", ["light", "projector"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_graph_layout_no_two_nodes_overlap(name: str, theme: str) -> None:
    nodes = real_nodes(layout_of(EXAMPLES[name](), theme))
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            ax0, ay0, ax1, ay1 = a.box
            bx0, by0, bx1, by1 = b.box
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a.name, b.name)


@pytest.mark.parametrize("name", EXAMPLES)
def test_graph_layout_examples_have_no_crossings(name: str) -> None:
    assert layout_of(EXAMPLES[name]()).crossings() == 0


def test_graph_layout_ordering_removes_an_avoidable_crossing() -> None:
    # spec order puts 'a' above 'b', but the Concatenate takes b's branch first
    lay = build(["a", "b"], [("da", ("a",), True), ("db", ("b",), True),
                             ("cat", ("db", "da"), True)])
    assert count_crossings(lay) == 1
    assert order_columns(lay) == 0 == count_crossings(lay)


def test_graph_layout_long_edge_runs_in_its_own_lane() -> None:
    lay = layout_of(residual())
    skip = next(e for e in lay.edges if e.src == "x" and e.dst == "add")
    assert len(skip.path) == 4  # x, a lane in each Dense column, add
    for lane, node in zip(skip.path[1:3], ("dense", "dense_1"), strict=True):
        _, y0, _, y1 = lay.nodes[node].box
        assert not y0 <= lay.nodes[lane].y <= y1  # above or below the node's box


def test_graph_layout_chain_runs_straight() -> None:
    lay = layout_of(residual())
    assert lay.nodes["x"].y == pytest.approx(lay.nodes["dense"].y, abs=0.01)
    assert lay.nodes["dense"].y == pytest.approx(lay.nodes["dense_1"].y, abs=0.01)


# --- drawing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "projector"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_draw_graph_labels_inside_figure_and_not_overlapping(name: str, theme: str) -> None:
    fig = draw(EXAMPLES[name](), theme=theme)
    assert overlapping_labels(fig) == []
    width, height = fig.canvas.get_width_height()
    for text, box in text_boxes(fig):
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text


@pytest.mark.parametrize("name", EXAMPLES)
def test_draw_graph_labels_do_not_cover_neurons(name: str) -> None:
    assert labels_over_neurons(draw(EXAMPLES[name]())) == []


def test_draw_graph_inputs_drawn_and_titled_as_input_tensors() -> None:
    fig = draw(issue_example())
    assert one(fig, "label:title:image").get_text() == "Input 'image'"
    assert one(fig, "label:shape:image").get_text() == "(None, 32, 32, 3)"
    assert one(fig, "label:title:meta").get_text() == "Input 'meta'"
    assert len(one(fig, "values:meta").get_paths()) == 5
    assert one(fig, "values:meta").get_linestyle()[0][1] is not None  # a dashed outline


def test_draw_graph_outputs_labelled_as_outputs() -> None:
    fig = draw(issue_example())
    for name in ("score", "kind", "kind_again"):
        assert one(fig, f"label:output:{name}").get_text() == "output"
    assert not by_gid(fig, "label:output:joined")


def test_draw_graph_output_read_by_another_layer_says_so_below() -> None:
    m = residual()
    m.set_outputs(["dense_1", "add"])
    fig = draw(m)
    assert one(fig, "label:output:dense_1").get_text() == "▶ output"
    assert one(fig, "label:output:add").get_text() == "output"


def test_draw_graph_shared_call_is_dashed_and_says_whose_weights() -> None:
    fig = draw(issue_example())
    assert one(fig, "label:shares:kind_again").get_text() == "shares weights with 'kind'"
    assert [a.get_gid() for a in by_gid(fig, "label:shares:")] == ["label:shares:kind_again"]
    shared, first = one(fig, "neurons:kind_again"), one(fig, "neurons:kind")
    assert shared.get_linestyle()[0][1] is not None and first.get_linestyle()[0][1] is None
    assert np.allclose(shared.get_facecolor(), first.get_facecolor())  # the same colour


def test_draw_graph_concatenate_is_a_bar_of_its_inputs() -> None:
    fig = draw(issue_example())
    bar = one(fig, "merge:joined")
    assert len(bar.get_paths()) == 2  # one segment per input
    labels = texts(fig)
    for expected in ("joined", "Concatenate", "axis=-1", "(None, 7205)", "7,200 + 5 → 7,205"):
        assert expected in labels
    edges = {p.get_gid() for p in by_gid(fig, "edge:")}
    assert {"edge:flat>joined", "edge:meta>joined"} <= edges
    # the first input enters the top segment
    tops = [seg.get_segments()[0][-1][1] for seg in
            (one(fig, "edge:flat>joined"), one(fig, "edge:meta>joined"))]
    assert tops[0] > tops[1]


def test_draw_graph_add_is_a_circle_the_tensors_converge_on() -> None:
    fig = draw(two_tower())
    circle = one(fig, "merge:sum")
    assert one(fig, "merge-op:sum").get_text() == "+"
    (cx, cy), = circle.get_offsets()
    for src in ("tower", "tower_b"):
        end = one(fig, f"edge:{src}>sum").get_segments()[0][-1]
        assert np.hypot(end[0] - cx, end[1] - cy) < circle.item.radius * 1.6
    assert "Add" in texts(fig) and "(None, 4)" in texts(fig)


def test_draw_graph_subtract_takes_its_first_input_at_the_top() -> None:
    m = Model.from_spec({
        "inputs": [{"name": "a", "shape": [4]}, {"name": "b", "shape": [4]}],
        "layers": [{"name": "diff", "type": "Subtract", "inbound": ["b", "a"]}]})
    fig = draw(m)
    assert one(fig, "merge-op:diff").get_text() == "−"
    first = one(fig, "edge:b>diff").get_segments()[0][-1]
    second = one(fig, "edge:a>diff").get_segments()[0][-1]
    assert first[1] > second[1]
    assert layout_of(m).crossings() == 0


def test_draw_graph_weight_shapes_option() -> None:
    fig = draw(two_tower(), show_weight_shapes=True)
    assert one(fig, "label:weights:tower").get_text() == "W (6, 4) + b (4,)"
    assert not by_gid(fig, "label:weights:tower_b")  # a shared call has no weights of its own
    assert overlapping_labels(fig) == []


def test_draw_graph_svg_keeps_the_words_of_its_labels() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(two_tower()._repr_svg_())
    words = {g.get("aria-label") for g in root.iter() if g.get("aria-label")}
    assert "Input 'left'" in words


def test_draw_graph_edges_are_one_collection() -> None:
    fig = draw(issue_example())
    assert len(by_gid(fig, "edge:")) == 7  # into conv, flat, joined (2), the three heads
    styles = {e.item.style for e in by_gid(fig, "edge:")}
    assert len(styles) == 1  # one style: one LineCollection
    assert len([a for a in fig.axes[0].collections
                if isinstance(a, LineCollection) and len(a.get_segments()) == 7]) == 1
    assert len(by_gid(fig, "edge-heads")) == 1


def test_draw_graph_weights_between_dense_layers_linked_one_to_one() -> None:
    fig = draw(two_tower())
    assert len(one(fig, "weights:tower").get_segments()) == 6 * 4
    assert len(one(fig, "weights:tower_b").get_segments()) == 6 * 4
    assert not by_gid(fig, "weights:sum")


def test_draw_graph_wide_layer_elided_honestly() -> None:
    m = Model.from_spec({"inputs": [{"name": "x", "shape": [3]}],
                         "layers": [{"name": "wide", "type": "Dense", "units": 511,
                                     "inbound": ["x"]},
                                    {"name": "fits", "type": "Dense", "units": MAX_SLOTS,
                                     "inbound": ["wide"]}]})
    fig = draw(m)
    assert len(one(fig, "neurons:wide").get_offsets()) == HEAD + 1
    assert f"⋯ {511 - HEAD - 1} more" in texts(fig)
    assert len(one(fig, "neurons:fits").get_offsets()) == MAX_SLOTS
    assert not by_gid(fig, "gap:fits") and one(fig, "gap:wide").get_text() == "⋮"


def test_draw_graph_conv_layers_are_feature_map_blocks() -> None:
    fig = draw(issue_example())
    assert one(fig, "block:image") and one(fig, "block:conv")
    assert "8 filters 3×3" in texts(fig) and "30×30×8" in texts(fig)


def test_draw_graph_channels_first_maps_label_channels_first() -> None:
    m = Model.from_spec({
        "inputs": [{"name": "img", "shape": [3, 50, 50]}],
        "layers": [{"name": "c", "type": "Conv2D", "filters": 8, "kernel_size": 3,
                    "data_format": "channels_first", "inbound": ["img"]}]})
    labels = texts(draw(m))
    assert "3×50×50" in labels and "8×48×48" in labels


@pytest.mark.parametrize("highlight", [4, "kind", -2])
def test_draw_graph_highlight_covers_the_chosen_layer(highlight: int | str) -> None:
    fig = draw(issue_example(), highlight=highlight)
    band = one(fig, "highlight:kind")
    assert len(by_gid(fig, "highlight:")) == 1
    box = band.get_bbox()
    for x, y in one(fig, "neurons:kind").get_offsets():
        assert box.x0 < x < box.x1 and box.y0 < y < box.y1


@pytest.mark.skipif(japanese_font() is None, reason="no Japanese font installed")
def test_draw_graph_japanese_labels() -> None:
    fig = draw(issue_example(), lang="ja")
    labels = texts(fig)
    assert "入力 'image'" in labels and "出力" in labels
    assert "'kind' と重みを共有" in labels
    assert overlapping_labels(fig) == []


def test_draw_graph_dark_theme() -> None:
    fig = draw(two_tower(), theme="dark")
    r, g, b, _ = fig.get_facecolor()
    assert max(r, g, b) < 0.2


def test_draw_graph_on_given_axes() -> None:
    fig = Figure(figsize=(12, 4))
    left, right = fig.subplots(1, 2)
    assert draw(two_tower(), ax=right) is fig
    assert not left.collections
    assert [a for a in right.collections if a.get_gid() == "lines"]


def test_draw_graph_text_artists_say_the_same_as_path_labels() -> None:
    as_paths = draw(issue_example())
    as_text = draw(issue_example(), text_as_paths=False)
    assert sorted(t.get_text() for t in as_text.axes[0].texts) == sorted(texts(as_paths))
    assert overlapping_labels(as_text) == []


def test_draw_graph_broken_model_draws_what_works_and_says_why() -> None:
    m = Model.from_spec({
        "inputs": [{"name": "a", "shape": [4]}, {"name": "b", "shape": [3]}],
        "layers": [{"name": "da", "type": "Dense", "units": 4, "inbound": ["a"]},
                   {"name": "bad", "type": "Add", "inbound": ["da", "b"]}]})
    fig = draw(m)
    assert by_gid(fig, "neurons:da")
    caption = " ".join(a.get_text() for a in by_gid(fig, "caption:"))
    assert "Add" in caption and "(None, 3)" in caption
    assert overlapping_labels(fig) == []


SEQUENTIAL_SEED_GIDS = [
    "label:args:dense", "label:args:dense_1", "label:args:dense_2",
    "label:args:input", "label:shape:dense", "label:shape:dense_1", "label:shape:dense_2",
    "label:shape:input", "label:title:dense", "label:title:dense_1", "label:title:dense_2",
    "label:title:input", "neurons:dense", "neurons:dense_1",
    "neurons:dense_2", "values:input", "weights:dense", "weights:dense_1", "weights:dense_2"]


def test_draw_sequential_model_unchanged_by_graph_mode() -> None:
    fig = draw(seed_model())
    assert sorted(str(a.get_gid()) for a in parts(fig) if a.get_gid()) == SEQUENTIAL_SEED_GIDS
    assert "Input" in texts(fig)


def test_redrawing_graphs_and_chains_on_one_figure_matches_new_figures() -> None:
    def pixels(fig: Figure) -> np.ndarray:
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]

    models = [issue_example(), seed_model(), two_tower(), residual(), three_inputs(),
              seed_model(), issue_example()]
    reused = Figure(dpi=40)
    for i, model in enumerate(models):
        highlight = 0 if i % 2 else None
        again = draw(model, fig=reused, highlight=highlight)
        fresh = draw(model, fig=Figure(dpi=40), highlight=highlight)
        assert len(again.axes[0].get_children()) == len(fresh.axes[0].get_children())
        assert np.array_equal(pixels(again), pixels(fresh)), i


def _random_graph(rng: random.Random) -> dict[str, Any]:
    n_inputs = rng.randint(1, 3)
    inputs = [{"name": f"in{i}", "shape": [rng.choice([3, 8, 20])]} for i in range(n_inputs)]
    tensors = [i["name"] for i in inputs]
    unused = list(tensors)
    layers: list[dict[str, Any]] = []
    for i in range(rng.randint(2, 9)):
        name = f"l{i}"
        if len(tensors) > 1 and rng.random() < 0.3:
            picks = rng.sample(tensors, rng.randint(2, min(3, len(tensors))))
            layers.append({"name": name, "type": "Concatenate", "inbound": picks})
        else:
            src = unused[0] if unused and rng.random() < 0.6 else rng.choice(tensors)
            picks = [src]
            layers.append({"name": name, "type": "Dense", "units": rng.choice([1, 4, 16, 300]),
                           "inbound": picks})
        unused = [t for t in unused if t not in picks]
        tensors.append(name)
        unused.append(name)
    return {"inputs": inputs, "layers": layers}


def test_draw_random_graphs_never_overlap_nodes_or_labels() -> None:
    rng = random.Random(5)
    drawn = 0
    for _ in range(25):
        spec = _random_graph(rng)
        try:
            m = Model.from_spec(spec)
        except ValueError:
            continue
        if m.analyze().error is not None:
            continue
        fig = draw(m)
        assert overlapping_labels(fig) == [], spec
        assert labels_over_neurons(fig) == [], spec
        nodes = real_nodes(layout_of(m))
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                ax0, ay0, ax1, ay1 = a.box
                bx0, by0, bx1, by1 = b.box
                assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, spec
        drawn += 1
    assert drawn >= 15
