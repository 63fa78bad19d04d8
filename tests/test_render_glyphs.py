"""The geometry both drawings share: elided slots, feature-map blocks, Dropout's crosses,
arrow heads and all-to-all weight lines."""

from __future__ import annotations

import pytest

from shapewidget import Model
from shapewidget.render import glyphs


def test_elided_slots_keep_head_gap_and_last() -> None:
    assert glyphs.elided_slots(5, 6, 2) == ([0, 1, 2, 3, 4], 0)
    assert glyphs.elided_slots(100, 6, 2) == ([0, 1, 2, 3, None, 99], 95)
    assert glyphs.elided_slots(None, 8, 3) == ([0, 1, 2, None], None)


def test_block_box_is_centred_and_scales() -> None:
    dims = (28, 28, 8)
    fx, fy, fw, fh, dx, dy = glyphs.block_box(5.0, 3.0, dims)
    assert fx + (fw + dx) / 2 == pytest.approx(5.0)
    assert fy + (fh + dy) / 2 == pytest.approx(3.0)
    assert (fw + dx, fh + dy) == pytest.approx(glyphs.block_size(dims))
    small = glyphs.block_box(5.0, 3.0, dims, scale=0.5)
    assert small[2:] == pytest.approx(tuple(v / 2 for v in (fw, fh, dx, dy)))


def test_block_faces_side_darker_top_lighter() -> None:
    polys, faces = glyphs.block_faces(glyphs.block_box(0.0, 0.0, (8, 8, 4)), "#808080")
    assert len(polys) == 3 and all(len(p) == 4 for p in polys)
    side, top, front = faces
    assert front == "#808080"
    assert sum(side) < 3 * 0.502 < sum(top)


@pytest.mark.parametrize(("rate", "crossed"), [(0.5, 3), (0.25, 1), (0.0, 0), (1.0, 6)])
def test_dropout_crosses_every_one_over_rate_th_cell(rate: float, crossed: int) -> None:
    row = Model([{"type": "Dropout", "rate": rate}], input_shape=(6,)).analyze().rows[0]
    centres = [(0.0, float(y)) for y in range(6)]
    assert len(glyphs.dropout_crosses(row, centres, 0.1)) == 2 * crossed


def test_arrow_head_points_at_the_tip() -> None:
    unit = glyphs.direction((0.0, 0.0), (2.0, 0.0))
    assert unit == (1.0, 0.0)
    tip, left, right = glyphs.arrow_head((2.0, 0.0), unit, length=0.1, half=0.05)
    assert tip == (2.0, 0.0)
    assert left == pytest.approx((1.9, 0.05)) and right == pytest.approx((1.9, -0.05))
    assert glyphs.direction((1.0, 1.0), (1.0, 1.0)) == (0.0, 0.0)


def test_all_pairs_every_source_to_every_destination() -> None:
    pairs = glyphs.all_pairs([(0.0, 0.0), (0.0, 1.0)], [(1.0, 0.0), (1.0, 1.0), (1.0, 2.0)])
    assert pairs.shape == (6, 2, 2)
    assert pairs[5].tolist() == [[0.0, 1.0], [1.0, 2.0]]
    assert glyphs.all_pairs([], [(1.0, 0.0)]).shape == (0, 2, 2)
