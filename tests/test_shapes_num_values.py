"""num_values: how many numbers a tensor of a shape holds (None when a size is unknown)."""

from __future__ import annotations

from shapewidget.shapes import num_values


def test_shapes_num_values_multiplies_known_sizes() -> None:
    assert num_values((30, 48, 48, 8)) == 30 * 48 * 48 * 8
    assert num_values((5, 0, 3)) == 0


def test_shapes_num_values_unknown_size_gives_none() -> None:
    assert num_values((None, 4)) is None
    assert num_values((4, None, 2)) is None


def test_shapes_num_values_scalar_holds_one_number() -> None:
    assert num_values(()) == 1


def test_shapes_num_values_reads_a_list_as_its_tuple() -> None:
    assert num_values([2, 3]) == 6  # type: ignore[arg-type]
    assert num_values([2, None]) is None  # type: ignore[arg-type]
