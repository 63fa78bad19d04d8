"""Undo and redo: a bounded history of model specs (plain dicts, never mutated)."""

from __future__ import annotations

import copy
from typing import Any

Spec = dict[str, Any]


class History:
    """A list of specs and a position; recording after an undo drops the redo tail."""

    def __init__(self, first: Spec, limit: int = 500) -> None:
        self._items: list[Spec] = [copy.deepcopy(first)]
        self._pos = 0
        self.limit = limit

    @property
    def current(self) -> Spec:
        return self._items[self._pos]

    def __len__(self) -> int:
        return len(self._items)

    def record(self, spec: Spec) -> bool:
        """Push ``spec`` if it differs from the current entry; True if pushed."""
        if spec == self.current:
            return False
        del self._items[self._pos + 1:]
        self._items.append(copy.deepcopy(spec))
        if len(self._items) > self.limit:
            del self._items[: len(self._items) - self.limit]
        self._pos = len(self._items) - 1
        return True

    @property
    def can_undo(self) -> bool:
        return self._pos > 0

    @property
    def can_redo(self) -> bool:
        return self._pos < len(self._items) - 1

    def undo(self) -> Spec:
        if self.can_undo:
            self._pos -= 1
        return copy.deepcopy(self.current)

    def redo(self) -> Spec:
        if self.can_redo:
            self._pos += 1
        return copy.deepcopy(self.current)
