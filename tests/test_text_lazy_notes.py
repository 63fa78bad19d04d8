"""LazyNotes: notes worked out when first read, which read and compare as their tuple."""

from __future__ import annotations

import pytest

from shapewidget.text import LazyNotes, Msg


def _two(units: int) -> tuple[Msg, ...]:
    return (Msg("same_shape.explain", {"type": "Dense", "out": (None, units)}),
            Msg("layer.frozen", {"count": str(units)}))


def test_text_lazy_notes_read_as_the_tuple() -> None:
    lazy, plain = LazyNotes(_two, (4,)), _two(4)
    assert len(lazy) == 2
    assert lazy[0] == plain[0] and lazy[-1] == plain[-1] and lazy[:1] == plain[:1]
    assert list(lazy) == list(plain)
    assert (*lazy, "x") == (*plain, "x")
    assert repr(lazy) == repr(plain)
    assert plain[1] in lazy
    assert lazy + ("x",) == (*plain, "x")  # noqa: RUF005 (the + of a tuple)
    assert ("x",) + lazy == ("x", *plain)  # noqa: RUF005


def test_text_lazy_notes_compare_by_their_notes() -> None:
    lazy = LazyNotes(_two, (4,))
    assert lazy == _two(4) and _two(4) == lazy
    assert lazy == LazyNotes(_two, (4,))
    assert lazy != LazyNotes(_two, (5,))
    assert lazy != _two(5) and _two(5) != lazy
    assert LazyNotes(_two, (4,)) != LazyNotes(lambda: (), ())
    assert (1, lazy) == (1, _two(4))  # type: ignore[comparison-overlap]  # inside a row: the row compares by the notes


def test_text_lazy_notes_are_worked_out_once_and_only_when_read() -> None:
    calls: list[int] = []

    def counted(units: int) -> tuple[Msg, ...]:
        calls.append(units)
        return _two(units)

    lazy = LazyNotes(counted, (3,))
    assert calls == []
    assert lazy[0].render() == "Dense does not change the shape: (None, 3)."
    assert len(lazy) == 2 and list(lazy) == list(_two(3))
    assert calls == [3]


def test_text_lazy_notes_hash_as_their_tuple_does() -> None:
    lazy = LazyNotes(lambda: (Msg("summary.output_mark"),), ())
    # a Msg holds a dict of values: a tuple of them is no more hashable than that
    with pytest.raises(TypeError):
        hash((Msg("summary.output_mark"),))
    with pytest.raises(TypeError):
        hash(lazy)
