"""Drawing of sequence models: Embedding, recurrent layers and their time axis."""

from __future__ import annotations

import pytest
from render_helpers import (
    by_gid,
    has,
    labels_over_neurons,
    lstm_model,
    one,
    overlapping_labels,
    texts,
)

from shapewidget import Model
from shapewidget.render import draw

pytestmark = pytest.mark.skipif(not has("Embedding", "LSTM"),
                                reason="embedding and recurrent layers not available")


def filled_steps(fig: object, name: str) -> list[bool]:
    cells = one(fig, f"timesteps:{name}")  # type: ignore[arg-type]
    return [face[3] > 0 for face in cells.get_facecolors()]


def test_draw_lstm_units_are_neurons_fed_by_kernel_lines() -> None:
    fig = draw(lstm_model())
    assert len(one(fig, "neurons:lstm").get_offsets()) == 7  # 32 units: 6, gap, last
    assert by_gid(fig, "weights:lstm") and by_gid(fig, "recurrent:lstm")


def test_draw_lstm_time_axis_shows_steps() -> None:
    fig = draw(lstm_model())
    assert len(one(fig, "timesteps:lstm").get_paths()) == 5  # 10 steps: 4, …, the last
    assert one(fig, "timegap:lstm").get_text() == "…"
    assert "10 time steps →" in texts(fig)


def test_draw_lstm_without_sequences_keeps_only_last_step() -> None:
    fig = draw(lstm_model(return_sequences=False))
    assert filled_steps(fig, "lstm") == [False, False, False, False, True]
    assert any("keeps the last step only" in t for t in texts(fig))


def test_draw_lstm_with_sequences_keeps_every_step() -> None:
    m = Model([{"type": "LSTM", "units": 4, "return_sequences": True}], input_shape=(3, 2))
    fig = draw(m)
    assert filled_steps(fig, "lstm") == [True, True, True]
    assert any("outputs all 3 steps" in t for t in texts(fig))


def test_draw_embedding_looks_up_one_row_per_token() -> None:
    fig = draw(lstm_model())
    assert len(one(fig, "lookup:embedding").get_segments()) == 7  # one per drawn token
    assert "1,000 words → 16" in texts(fig) and "(None, 10, 16)" in texts(fig)


def test_draw_sequence_model_labels_do_not_overlap() -> None:
    fig = draw(lstm_model(), show_weight_shapes=True, show_bias=True)
    assert overlapping_labels(fig) == [] and labels_over_neurons(fig) == []


def test_draw_lstm_weight_shapes_name_kernel_recurrent_kernel_and_bias() -> None:
    fig = draw(lstm_model(), show_weight_shapes=True)
    assert one(fig, "label:weights:lstm").get_text() == "W (16, 128) + U (32, 128) + b (128,)"


@pytest.mark.skipif(not has("Bidirectional"), reason="wrappers not available")
def test_draw_bidirectional_draws_both_directions_as_units() -> None:
    m = Model([{"type": "Bidirectional", "layer": {"type": "LSTM", "units": 4}}],
              input_shape=(5, 3))
    fig = draw(m)
    assert len(one(fig, "neurons:bidirectional").get_offsets()) == 8  # 2 × 4 units
    assert "LSTM units=4" in texts(fig)
