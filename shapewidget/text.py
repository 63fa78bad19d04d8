"""User-facing text in English and Japanese, kept as keyed templates.

Messages are carried as :class:`Msg` (a key and its values) and rendered on demand,
so the same summary or error can be shown in either language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, NamedTuple, overload

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")

# One entry per key: {"en": template, "ja": template}. Templates use str.format fields.
TEMPLATES: dict[str, dict[str, str]] = {}


def register(key: str, en: str, ja: str | None = None) -> str:
    """Declare a message template (Japanese optional until translated); returns the key."""
    TEMPLATES[key] = {"en": en, "ja": ja if ja is not None else en}
    return key


_DIGITS_SHOWN = 3000
"""Integers with more digits are shown rounded (``about 10^5000``): Python refuses to
turn an int of more than 4,300 digits into text."""


def int_text(n: int, grouped: bool = True) -> str:
    """``1,234`` (or ``1234``); an int too long to print in full as ``about 10^N``."""
    if n.bit_length() > _DIGITS_SHOWN * 3.32:
        exponent = int(n.bit_length() * math.log10(2))
        return f"{'-' if n < 0 else ''}about 10^{exponent}"
    return f"{n:,}" if grouped else str(n)


def _shown(value: Any, lang: Lang) -> Any:
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, int) and value.bit_length() > _DIGITS_SHOWN * 3.32:
        return int_text(value)
    return value


class Msg(NamedTuple):
    """A message to show a person: a template key and the values it needs."""

    key: str
    values: dict[str, Any] = {}  # noqa: RUF012 (never mutated)

    def render(self, lang: Lang = "en") -> str:
        templates = TEMPLATES[self.key]
        values = {k: _shown(v, lang) for k, v in self.values.items()}
        return templates.get(lang, templates["en"]).format(**values)

    def __str__(self) -> str:
        return self.render("en")


_tuple_new = tuple.__new__


def note(key: str, values: dict[str, Any]) -> Msg:
    """``Msg(key, values)``, about twice as fast (it skips the named tuple's Python
    constructor): for the notes every layer builds each time it is computed."""
    return _tuple_new(Msg, (key, values))


class Lazy(NamedTuple):
    """A value of a :class:`Msg` worked out only when the message is rendered:
    ``Lazy(fn, args)`` shows as ``fn(*args)``. For text that takes time to build (a sum
    of weight shapes) and is read only when a person looks at it. Equal when the
    function and its arguments are."""

    fn: Callable[..., str]
    args: tuple[Any, ...]

    def __str__(self) -> str:
        return self.fn(*self.args)

    def __format__(self, spec: str) -> str:
        return format(self.fn(*self.args), spec)


def lazy(fn: Callable[..., str], args: tuple[Any, ...]) -> Lazy:
    """``Lazy(fn, args)``, faster (see :func:`note`)."""
    return _tuple_new(Lazy, (fn, args))


class LazyNotes(Sequence[Msg]):
    """A layer's notes (a tuple of :class:`Msg`) worked out when first read:
    ``LazyNotes(fn, args)`` stands for ``tuple(fn(*args))``.

    Computing a summary asks every layer for its notes, but a person reads them only for
    the rows they look at; deferring them keeps the first summary of a large model fast.
    ``fn`` must depend on ``args`` alone (a layer never changes, so a layer and its input
    shape will do). Reads as the tuple in every way a tuple of notes is read: iteration,
    ``len``, indexing, ``repr`` and ``==`` (with a tuple or another ``LazyNotes``: by the
    notes themselves, so summary rows compare equal exactly when their notes do).
    """

    __slots__ = ("_args", "_fn", "_notes")

    def __init__(self, fn: Callable[..., Sequence[Msg]], args: tuple[Any, ...]) -> None:
        self._fn: Callable[..., Sequence[Msg]] | None = fn
        self._args = args
        self._notes: tuple[Msg, ...] | None = None

    @property
    def notes(self) -> tuple[Msg, ...]:
        """The notes as a tuple (worked out once)."""
        found = self._notes
        if found is None:
            assert self._fn is not None
            found = self._notes = tuple(self._fn(*self._args))
            self._fn, self._args = None, ()  # not needed any more
        return found

    @overload
    def __getitem__(self, i: int) -> Msg: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Msg, ...]: ...
    def __getitem__(self, i: int | slice) -> Msg | tuple[Msg, ...]:
        return self.notes[i]

    def __len__(self) -> int:
        return len(self.notes)

    def __iter__(self) -> Iterator[Msg]:
        return iter(self.notes)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyNotes):
            return self.notes == other.notes
        if isinstance(other, tuple):
            return self.notes == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.notes)

    def __add__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        return self.notes + other

    def __radd__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        return other + self.notes

    def __repr__(self) -> str:
        return repr(self.notes)


def msg(key: str, **values: Any) -> Msg:
    """Build a :class:`Msg`; the key must have been registered."""
    if key not in TEMPLATES:
        raise KeyError(f"unknown message key {key!r}")
    return Msg(key, values)


def render_all(msgs: Sequence[Msg], lang: Lang = "en", sep: str = " ") -> str:
    return sep.join(m.render(lang) for m in msgs)
