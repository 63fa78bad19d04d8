"""Keras's rules for layer names, in one place: which names it accepts and the automatic
names it gives (``dense``, ``dense_1``, …).

Keras 3 (``Operation.__init__``) accepts any string without ``"/"`` as a name. An
automatic name is the class name in snake case (``Conv2DTranspose`` →
``conv2d_transpose``) followed by ``_<n>``, ``n`` counting the automatically named layers
of that prefix made before it (a layer given a name does not count); a wrapper's inner
layer is made before the wrapper, so it counts first. shapewidget adds two refusals of its
own: an empty name, and a name with a lone surrogate (``"\\ud800"`` in JSON), which no
UTF-8 text (a file, the notebook, the browser) can hold.

Only the shape-free layer of the package is imported here, so that every part (layers,
model, code reader, Keras import) can use the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from .params import describe
from .text import Msg, register

register("model.bad_name",
         "expected a name as a string without \"/\" (Keras refuses \"/\" in names), "
         "received {received}.",
         "\"/\" を含まない文字列の名前が必要です（Keras は名前の \"/\" を受け付けません）が、"
         "{received} を受け取りました。")
register("name.surrogate",
         "the name {received} holds a lone surrogate ({code}, e.g. from \"\\{code_lower}\" "
         "in JSON), which no UTF-8 text can hold: the code, the spec and the notebook could "
         "not show it.",
         "名前 {received} には単独のサロゲート（{code}、例えば JSON の \"\\{code_lower}\"）が"
         "含まれており、UTF-8 のテキストでは表せません。コード・spec・ノートブックに表示"
         "できません。")
register("name.fix.surrogate", "remove the character, or write the intended one.",
         "その文字を取り除くか、意図した文字を書きます。")


class Nameable(Protocol):
    """What naming reads of a layer (see :class:`shapewidget.layers.Layer`)."""

    name: str | None

    def inner_layers(self) -> Sequence[Any]: ...

    def auto_name_prefix(self) -> str: ...

    def reused_layer(self) -> str | None: ...


def to_snake_case(name: str) -> str:
    """Keras's ``naming.to_snake_case``: ``Conv2DTranspose`` → ``conv2d_transpose``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def numbered(prefix: str, n: int) -> str:
    """The ``n``-th automatic name of ``prefix`` (0-based): ``dense``, ``dense_1``, …"""
    return prefix if n == 0 else f"{prefix}_{n}"


def name_problem(name: Any) -> Msg | None:
    """Why ``name`` cannot name a layer, an input or a model (``None``: it can).

    Refused: anything but a string, ``"/"`` (Keras's own refusal) and lone surrogates.
    """
    if not isinstance(name, str) or "/" in name:
        return Msg("model.bad_name", {"received": describe(name)})
    for ch in name:
        if "\ud800" <= ch <= "\udfff":
            code = f"U+{ord(ch):04X}"
            return Msg("name.surrogate", {"received": describe(name), "code": code,
                                          "code_lower": f"u{ord(ch):04x}"})
    return None


def surrogate_problem(name: Any) -> Msg | None:
    """:func:`name_problem` for a lone surrogate only (``"/"`` is checked elsewhere)."""
    if not isinstance(name, str):
        return None
    found = name_problem(name.replace("/", ""))
    return found if found is not None and found.key == "name.surrogate" else None


class AutoNamer:
    """Keras's automatic names, handed out in the order the layers are made.

    One pass over a model's layers names them all (:func:`auto_names`); the code reader
    and the Keras import keep one while they read layer after layer.
    """

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._reuses: dict[str, int] = {}

    def peek(self, prefix: str) -> str:
        """The name the next automatically named layer of ``prefix`` would get."""
        return numbered(prefix, self._counts.get(prefix, 0))

    def take(self, prefix: str) -> str:
        """:meth:`peek`, and count that layer."""
        n = self._counts.get(prefix, 0)
        self._counts[prefix] = n + 1
        return numbered(prefix, n)

    def name(self, layer: Nameable) -> str:
        """The name of the next layer of the model: its own, or the automatic one (its
        inner layers are counted first, as Keras makes them first). A second call of a
        layer (a shared layer) is ``<target>_reuse_<k>``."""
        reused = layer.reused_layer()
        if reused is not None:
            if layer.name is not None:
                return layer.name
            k = self._reuses.get(reused, 0) + 1
            self._reuses[reused] = k
            return f"{reused}_reuse_{k}"
        # The inner layers, depth first, without recursion (nesting is bounded anyway).
        pending: list[tuple[Nameable, bool]] = [(inner, False) for inner in
                                                reversed(layer.inner_layers())]
        while pending:
            item, expanded = pending.pop()
            if not expanded and item.inner_layers():
                pending.append((item, True))
                pending.extend((inner, False) for inner in reversed(item.inner_layers()))
                continue
            if item.name is None:
                self.take(item.auto_name_prefix())
        if layer.name is not None:
            return layer.name
        return self.take(layer.auto_name_prefix())


def auto_names(layers: Iterable[Nameable]) -> list[str]:
    """Every layer's name: the given one, or Keras's automatic one (linear time)."""
    namer = AutoNamer()
    return [namer.name(layer) for layer in layers]


def auto_name_after(prefix: str, before: Iterable[Nameable]) -> str:
    """The automatic name a new layer of ``prefix`` gets after the layers ``before``."""
    namer = AutoNamer()
    for layer in before:
        namer.name(layer)
    return namer.peek(prefix)


__all__ = ["AutoNamer", "auto_name_after", "auto_names", "name_problem", "numbered",
           "to_snake_case"]
