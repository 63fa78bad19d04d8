"""Embedding layers (being filled in)."""

from __future__ import annotations

from .base import Layer

LAYERS: tuple[type[Layer], ...] = ()
