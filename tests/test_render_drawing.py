"""Structural tests of the network drawing: what is drawn, counted from the artists."""

from __future__ import annotations

import subprocess
import sys

import pytest
from matplotlib.figure import Figure
from render_helpers import (
    by_gid,
    cnn_model,
    dense_model,
    has,
    labels_over_neurons,
    long_model,
    one,
    overlapping_labels,
    seed_model,
    text_boxes,
    texts,
)

from shapewidget import Model
from shapewidget.render import draw
from shapewidget.render.columns import HEAD, MAX_SLOTS, slots_for
from shapewidget.render.fonts import japanese_font


def test_draw_seed_one_circle_per_neuron() -> None:
    fig = draw(seed_model())
    assert [len(one(fig, f"neurons:{n}").get_offsets()) for n in
            ("dense", "dense_1", "dense_2")] == [4, 4, 1]


def test_draw_seed_input_is_three_value_cells_not_neurons() -> None:
    fig = draw(seed_model())
    assert len(one(fig, "values:input").get_paths()) == 3
    assert not by_gid(fig, "neurons:input")


def test_draw_seed_one_line_collection_per_weight_matrix() -> None:
    fig = draw(seed_model())
    weights = {a.get_gid(): len(a.get_segments()) for a in by_gid(fig, "weights:")}
    assert weights == {"weights:dense": 3 * 4, "weights:dense_1": 4 * 4,
                       "weights:dense_2": 4 * 1}


def test_draw_seed_labels_name_arguments_and_shapes() -> None:
    labels = texts(draw(seed_model()))
    for expected in ("Input", "(None, 3)", "dense", "units=4", "(None, 4)", "dense_2",
                     "units=1", "(None, 1)"):
        assert expected in labels


def test_draw_fixed_batch_shows_batch_size_in_shapes() -> None:
    labels = texts(draw(seed_model(batch_size=30)))
    assert "(30, 3)" in labels and "(30, 4)" in labels and "(None, 4)" not in labels


@pytest.mark.parametrize("n", [1, 2, MAX_SLOTS])
def test_slots_for_small_layers_elide_nothing(n: int) -> None:
    assert slots_for(n) == (list(range(n)), 0)


def test_slots_for_wide_layer_keeps_head_gap_and_last() -> None:
    slots, hidden = slots_for(504 + HEAD + 1)
    assert slots == [*range(HEAD), None, 504 + HEAD] and hidden == 504


def test_draw_layer_that_fits_has_no_gap_mark() -> None:
    fig = draw(dense_model(MAX_SLOTS))
    assert len(one(fig, "neurons:dense").get_offsets()) == MAX_SLOTS
    assert not by_gid(fig, "gap:")
    assert not any("more" in t for t in texts(fig))


def test_draw_wide_layer_shows_gap_and_hidden_count() -> None:
    fig = draw(dense_model(511))
    assert len(one(fig, "neurons:dense").get_offsets()) == HEAD + 1
    assert one(fig, "gap:dense").get_text() == "⋮"
    assert "⋯ 504 more" in texts(fig)


def test_draw_wide_layer_weight_lines_only_between_drawn_neurons() -> None:
    fig = draw(dense_model(100_000))
    assert len(one(fig, "weights:dense").get_segments()) == 3 * (HEAD + 1)
    assert len(one(fig, "weights:dense_1").get_segments()) == (HEAD + 1) * 2


def test_draw_hundred_thousand_units_makes_as_many_artists_as_ten() -> None:
    small, big = draw(dense_model(10)), draw(dense_model(100_000))
    assert len(small.axes[0].get_children()) == len(big.axes[0].get_children())
    assert "⋯ 99,993 more" in texts(big)


def test_draw_dropout_is_elementwise_not_weights() -> None:
    m = Model([{"type": "Dense", "units": 4}, {"type": "Dropout", "rate": 0.5}],
              input_shape=(3,))
    fig = draw(m)
    assert len(one(fig, "flow:dropout").get_segments()) == 4
    assert not by_gid(fig, "weights:dropout")
    assert len(one(fig, "dropped:dropout").get_segments()) == 2 * 2  # 2 cells, 2 strokes


@pytest.mark.parametrize("make", [seed_model, lambda: dense_model(100_000),
                                  lambda: long_model(20)])
def test_draw_labels_do_not_overlap(make: object) -> None:
    fig = draw(make())  # type: ignore[operator]
    assert overlapping_labels(fig) == []


@pytest.mark.parametrize("make", [seed_model, lambda: dense_model(100_000),
                                  lambda: long_model(20)])
def test_draw_labels_do_not_cover_neurons(make: object) -> None:
    fig = draw(make(), show_bias=True, show_weight_shapes=True)  # type: ignore[operator]
    assert labels_over_neurons(fig) == []


def test_draw_weight_shapes_labels_do_not_overlap() -> None:
    fig = draw(seed_model(), show_weight_shapes=True, show_bias=True)
    assert overlapping_labels(fig) == []


def test_draw_weight_shapes_option_labels_edges() -> None:
    fig = draw(seed_model(), show_weight_shapes=True)
    assert one(fig, "label:weights:dense").get_text() == "W (3, 4) + b (4,)"
    assert not by_gid(draw(seed_model()), "label:weights:")


def test_draw_show_bias_adds_plus_one_node_and_lines() -> None:
    fig = draw(seed_model(), show_bias=True)
    assert len(one(fig, "bias:dense_1").get_segments()) == 4
    assert one(fig, "bias-label:dense").get_text() == "+1"


def test_draw_highlight_covers_the_chosen_layer_only() -> None:
    fig = draw(seed_model(), highlight=1)
    band = one(fig, "highlight:dense_1")
    assert len(by_gid(fig, "highlight:")) == 1
    x = one(fig, "neurons:dense_1").get_offsets()[0][0]
    box = band.get_bbox()
    assert box.x0 < x < box.x1


def test_draw_highlight_by_name() -> None:
    assert by_gid(draw(seed_model(), highlight="dense_2"), "highlight:dense_2")


def test_draw_long_model_wraps_into_rows_within_width() -> None:
    fig = draw(long_model(20))
    assert fig.get_figwidth() <= 15.0
    assert by_gid(fig, "label:from:")  # each new row starts from the previous layer
    assert all(len(one(fig, f"neurons:{n}").get_offsets()) > 0 for n in ("dense", "dense_9"))


def test_draw_labels_stay_inside_the_figure() -> None:
    fig = draw(long_model(20))
    width, height = fig.canvas.get_width_height()
    for text, box in text_boxes(fig):
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text


def test_draw_broken_model_draws_layers_before_and_marks_broken_one() -> None:
    m = Model([{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4}], input_shape=(3,))
    m.layers = [*m.layers, m.layers[0].renamed("dense")]
    fig = draw(m)
    assert by_gid(fig, "neurons:dense_1") and by_gid(fig, "broken:dense")
    caption = " ".join(a.get_text() for a in by_gid(fig, "caption:"))
    assert "already used" in caption
    assert overlapping_labels(fig) == []


def test_draw_on_given_axes_uses_that_figure() -> None:
    fig = Figure(figsize=(10, 4))
    left, right = fig.subplots(1, 2)
    out = draw(seed_model(), ax=right)
    assert out is fig
    assert not left.patches and not left.texts and right.patches


def test_draw_into_given_figure_replaces_previous_drawing() -> None:
    fig = draw(seed_model())
    again = draw(dense_model(5), fig=fig)
    assert again is fig and len(fig.axes) == 1
    assert not by_gid(fig, "neurons:dense_2")


def test_draw_text_artists_say_the_same_as_path_labels() -> None:
    as_paths = draw(seed_model(), show_weight_shapes=True)
    as_text = draw(seed_model(), show_weight_shapes=True, text_as_paths=False)
    assert not as_paths.axes[0].texts
    assert sorted(t.get_text() for t in as_text.axes[0].texts) == sorted(texts(as_paths))
    assert overlapping_labels(as_text) == []


def test_draw_dark_theme_uses_dark_background() -> None:
    fig = draw(seed_model(), theme="dark")
    r, g, b, _ = fig.get_facecolor()
    assert max(r, g, b) < 0.2


def test_draw_projector_theme_uses_larger_text() -> None:
    light = one(draw(seed_model()), "label:title:dense").get_fontsize()
    projector = one(draw(seed_model(), theme="projector"), "label:title:dense").get_fontsize()
    assert projector >= 1.3 * light


def test_draw_unknown_theme_is_rejected() -> None:
    with pytest.raises(ValueError, match="projector"):
        draw(seed_model(), theme="neon")


@pytest.mark.skipif(japanese_font() is None, reason="no Japanese font installed")
def test_draw_japanese_labels() -> None:
    labels = texts(draw(dense_model(511), lang="ja"))
    assert "入力" in labels and "⋯ ほか 504 個" in labels


def test_draw_does_not_touch_pyplot() -> None:
    code = ("import sys; from shapewidget import Model; "
            "m = Model([{'type': 'Dense', 'units': 4}], input_dim=3); m.draw(); "
            "m._repr_png_(); print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(not has("Conv2D", "MaxPooling2D"), reason="conv layers not available")
def test_draw_cnn_feature_maps_with_kernel_windows() -> None:
    fig = draw(cnn_model())
    assert by_gid(fig, "block:conv2d") and by_gid(fig, "block:max_pooling2d")
    assert one(fig, "window:conv2d") and len(one(fig, "weights:conv2d").get_segments()) == 3
    assert one(fig, "window:max_pooling2d")
    assert not by_gid(fig, "weights:max_pooling2d")  # pooling has no weights
    assert by_gid(fig, "flow:flatten")  # the funnel from maps to values
    labels = texts(fig)
    assert "8 filters 3×3\nrelu" in labels and "(30, 48, 48, 8)" in labels
    assert "48×48×8" in labels and "(30, 50, 50, 3)" in labels
    assert overlapping_labels(fig) == []


@pytest.mark.skipif(not has("Conv2D"), reason="conv layers not available")
def test_draw_channels_first_labels_channels_first() -> None:
    m = Model([{"type": "Conv2D", "filters": 8, "kernel_size": 3,
                "data_format": "channels_first"}], input_shape=(3, 50, 50))
    labels = texts(draw(m))
    assert "8×48×48" in labels and "3×50×50" in labels


@pytest.mark.skipif(not has("Conv2D"), reason="conv layers not available")
def test_draw_feature_map_sizes_grow_with_the_map() -> None:
    fig = draw(cnn_model())
    def height(name: str) -> float:
        paths = one(fig, f"block:{name}").get_paths()
        ys = paths[2].vertices[:, 1]  # the front face
        return float(ys.max() - ys.min())
    assert height("conv2d") > height("max_pooling2d") > height("max_pooling2d_1") > 0.3


@pytest.mark.skipif(not has("Conv2D", "BatchNormalization"), reason="layers not available")
def test_draw_shape_keeping_layers_on_maps_are_compact_plates() -> None:
    m = Model([{"type": "Conv2D", "filters": 8, "kernel_size": 3},
               {"type": "BatchNormalization"}, {"type": "Dropout", "rate": 0.5},
               {"type": "Conv2D", "filters": 4, "kernel_size": 3}], input_shape=(28, 28, 1))
    fig = draw(m)
    plates = {a.get_gid(): a for a in by_gid(fig, "plate:")}
    assert set(plates) == {"plate:batch_normalization", "plate:dropout"}
    assert one(fig, "dropped:dropout").get_segments()  # crossed: values dropped
    block = one(fig, "block:conv2d").get_paths()[2].vertices
    assert plates["plate:dropout"].get_width() < (block[:, 0].max() - block[:, 0].min()) / 3
    assert one(fig, "window:conv2d_1")  # the next kernel window still shows
    assert len(one(fig, "flow-arrows").get_segments()) == 2  # into each plate


def test_draw_random_architectures_never_overlap_labels() -> None:
    from architectures import architectures

    drawn = 0
    for i, arch in enumerate(architectures(16, seed=3)):
        try:
            m = Model.from_spec(arch.spec)
        except ValueError:
            continue
        fig = draw(m, show_weight_shapes=i % 2 == 0)
        assert overlapping_labels(fig) == [], arch.spec
        drawn += 1
    assert drawn >= 10


def test_redrawing_on_one_figure_gives_the_same_pixels_as_a_new_figure() -> None:
    """The merged artists of a drawing are updated, not rebuilt, by the next drawing on
    the same Figure: the picture must not depend on what was drawn before."""
    import numpy as np

    def pixels(fig: Figure) -> np.ndarray:
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]

    models = [seed_model(), dense_model(600), long_model(), seed_model(), dense_model(5)]
    if has("Conv2D", "MaxPooling2D", "Flatten"):
        models.insert(2, cnn_model())
    reused = Figure(dpi=40)
    for i, model in enumerate(models):
        highlight = i % 3 if i % 2 else None
        again = draw(model, fig=reused, highlight=highlight)
        fresh = draw(model, fig=Figure(dpi=40), highlight=highlight)
        assert again is reused
        assert len(again.axes[0].get_children()) == len(fresh.axes[0].get_children())
        assert np.array_equal(pixels(again), pixels(fresh)), i
    lines = [p.get_gid() for p in by_gid(reused, "weights:")]
    assert lines == [p.get_gid() for p in by_gid(draw(models[-1]), "weights:")]
