"""A second call of a layer on other tensors: the functional API's shared layer.

``{"name": "tower_b", "shares": "tower_a", "inbound": ["meta"]}`` calls the layer named
``tower_a`` again. It has no arguments and no weights of its own: the model computes it
with the shared layer and checks that the new input fits that layer's weights.
"""

from __future__ import annotations

from typing import Any

from ..errors import ShapeError
from ..params import describe
from ..shapes import Shape
from ..text import Msg, register
from .base import Computed, Layer

register("shared.bad_target",
         "expected the name of the layer to reuse (a string), received {received}.",
         "再利用するレイヤーの名前（文字列）が必要ですが、{received} を受け取りました。")
register("shared.no_arguments",
         "a shared layer has the arguments of the layer it reuses ('{target}'); "
         "received `{argument}`.",
         "共有レイヤーの引数は再利用するレイヤー（'{target}'）のものです。"
         "`{argument}` を受け取りました。")
register("shared.fix.set_on_target",
         "set the argument on '{target}': both calls use the same layer.",
         "引数は '{target}' に設定します。どちらの呼び出しも同じレイヤーです。")


class SharedLayer(Layer):
    """The layer named ``shares``, called once more (on ``inbound``)."""

    family = "shared"
    help = "calls an earlier layer again on other tensors, with the same weights"

    __slots__ = ("shares",)

    def __init__(self, shares: str, *, name: str | None = None,
                 inbound: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        if not isinstance(shares, str) or not shares:
            raise ShapeError(Msg("shared.bad_target", {"received": describe(shares)}),
                             argument="shares", layer_name=name)
        for key in kwargs:
            raise ShapeError(Msg("shared.no_arguments", {"target": shares, "argument": key}),
                             fix=Msg("shared.fix.set_on_target", {"target": shares}),
                             argument=key, layer_name=name)
        super().__init__(name=name, inbound=inbound)
        self.shares = shares

    @classmethod
    def type_name(cls) -> str:
        return "SharedLayer"

    def with_args(self, **changes: Any) -> Layer:
        return SharedLayer(self.shares, name=self.name, inbound=self.inbound, **changes)

    def without_args(self, *keys: str) -> Layer:
        return self

    def renamed(self, name: str | None) -> Layer:
        return SharedLayer(self.shares, name=name, inbound=self.inbound)

    def connected(self, inbound: tuple[str, ...] | None) -> Layer:
        return SharedLayer(self.shares, name=self.name, inbound=inbound)

    def reused_layer(self) -> str | None:
        return self.shares

    def sharing(self, target: str) -> SharedLayer:
        """The same call of another layer (e.g. after the shared layer is renamed)."""
        return SharedLayer(target, name=self.name, inbound=self.inbound)

    def auto_name(self, use: int) -> str:
        """The name of the ``use``-th extra call: ``dense_reuse_1``."""
        return f"{self.shares}_reuse_{use}"

    def compute(self, input_shape: Shape) -> Computed:  # pragma: no cover - model resolves
        raise TypeError("a SharedLayer is computed by the model with the layer it shares")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, SharedLayer) and other.shares == self.shares
                and other.name == self.name and other.inbound == self.inbound)

    def __hash__(self) -> int:
        return hash(("SharedLayer", self.shares, self.name))

    def __repr__(self) -> str:
        parts = [repr(self.shares)]
        if self.name is not None:
            parts.append(f"name={self.name!r}")
        if self.inbound is not None:
            parts.append(f"inbound={list(self.inbound)!r}")
        return f"SharedLayer({', '.join(parts)})"
