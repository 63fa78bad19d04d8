"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax; and Identity, Masking.

All of them keep the shape of their input. Only PReLU has a weight: one learned slope
``alpha`` per input value, shared along ``shared_axes``.

Keras facts mirrored here (checked against Keras 3.15): ReLU refuses a negative
``max_value``, ``negative_slope`` or ``threshold`` (and ``None`` for the last two), LeakyReLU
a negative ``negative_slope`` (its old name ``alpha`` still works, with a warning), when
constructed; Softmax never checks its ``axis`` when the model is built; PReLU's ``alpha``
has the input's shape without the batch axis, with a 1 on every axis of ``shared_axes``
(Keras writes that size at position ``axis − 1`` of the list, so axis 0 is the last axis
and a negative axis counts from the end as well), and it needs every other size known.
"""

from __future__ import annotations

from typing import Any

from ..errors import ShapeError
from ..params import (
    AxisParam,
    JsonParam,
    NumberParam,
    Param,
    carried,
    describe,
    is_int,
    to_code,
)
from ..shapes import Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject

register("activation.negative",
         "{type} cannot take a negative `{arg}`; received {arg}={value}.",
         "{type} の `{arg}` は負にできませんが、{arg}={value} を受け取りました。")
register("activation.fix.non_negative", "use a value >= 0 (0 is the default).",
         "0 以上の値を使います（既定値は 0 です）。")
register("relu.explain",
         "ReLU keeps each value x ≥ {threshold} and maps smaller ones to "
         "{slope}·(x − {threshold}); the shape stays {out} and it has no weights.",
         "ReLU は {threshold} 以上の値 x をそのまま残し、それより小さい値を "
         "{slope}·(x − {threshold}) にします。形は {out} のままで、重みはありません。")
register("relu.explain.cap", "max_value={cap}: no output is larger than {cap}.",
         "max_value={cap}: 出力は {cap} より大きくなりません。")
register("leaky_relu.explain",
         "LeakyReLU keeps positive values and multiplies negative ones by {slope}; the "
         "shape stays {out} and it has no weights.",
         "LeakyReLU は正の値をそのまま残し、負の値に {slope} を掛けます。形は {out} の"
         "ままで、重みはありません。")
register("elu.explain",
         "ELU keeps positive values and maps negative ones x to {alpha}·(eˣ − 1); the "
         "shape stays {out} and it has no weights.",
         "ELU は正の値をそのまま残し、負の値 x を {alpha}·(eˣ − 1) にします。形は {out} の"
         "ままで、重みはありません。")
register("softmax.explain",
         "Softmax turns the values along axis {axis} into probabilities that add up to 1; "
         "the shape stays {out} and it has no weights.",
         "Softmax は軸 {axis} に沿った値を、合計が 1 になる確率に変えます。形は {out} の"
         "ままで、重みはありません。")
register("identity.explain",
         "Identity returns its input unchanged: {out}, no weights.",
         "Identity は入力をそのまま返します: {out}、重みはありません。")
register("masking.explain",
         "Masking marks every position whose values along the last axis all equal "
         "{value} as padding, so that later layers (RNNs) skip it; the shape stays {out} and "
         "it has no weights.",
         "Masking は最後の軸の値がすべて {value} である位置を埋め草として印を付け、後の"
         "レイヤー（RNN）が飛ばせるようにします。形は {out} のままで、重みはありません。")
register("prelu.explain",
         "PReLU keeps positive values and multiplies negative ones by a learned slope "
         "alpha, one per input value except along shared_axes: alpha has the input's shape "
         "without the batch axis {rest} → {alpha} = {count} parameters; the shape "
         "stays {out}.",
         "PReLU は正の値をそのまま残し、負の値に学習する傾き alpha を掛けます。alpha は "
         "shared_axes の軸を除いて入力の値ごとに一つ: バッチ軸を除いた入力の形 {rest}"
         " → {alpha} = パラメータ {count} 個。形は {out} のままです。")
register("prelu.explain.shared",
         "shared_axes={axes}: alpha has size 1 on those axes, so one slope serves the "
         "whole axis.",
         "shared_axes={axes}: alpha はそれらの軸でサイズ 1 なので、一つの傾きが軸全体に"
         "使われます。")
register("prelu.axis_out_of_range",
         "shared_axes={axes} names axis {axis}, which the input {shape} does not have "
         "(Keras sets position axis − 1 of alpha's shape {rest}).",
         "shared_axes={axes} の軸 {axis} は入力 {shape} にありません（Keras は alpha の形 "
         "{rest} の位置 axis − 1 を設定します）。")
register("prelu.fix.axis",
         "name axes from 1 to {last} (axis 0 is the batch axis).",
         "1 から {last} までの軸を指定します（軸 0 はバッチ軸です）。")
register("prelu.unknown_size",
         "alpha needs the size of every axis of the input {shape} not in shared_axes, but "
         "axis {axis} is unknown (None).",
         "alpha には shared_axes 以外の入力 {shape} のすべての軸のサイズが必要ですが、軸 "
         "{axis} が不明（None）です。")
register("prelu.fix.unknown_size",
         "give axis {axis} a size, or share alpha along it: shared_axes={suggestion}.",
         "軸 {axis} にサイズを与えるか、その軸で alpha を共有します: shared_axes={suggestion}。")
register("param.expected.shared_axes", "None, an integer axis or a list of integer axes",
         "None、整数の軸、または整数の軸のリスト")

_new = tuple.__new__


def _same(key: str, input_shape: Shape, **values: Any) -> Computed:
    return _new(Computed, (input_shape, (), (Msg(key, {"out": format_shape(input_shape),
                                                        **values}),)))


def _non_negative(layer: Layer, *names: str) -> None:
    for name in names:
        value = layer.value(name)
        if value is not None and value < 0:
            raise reject("activation.negative", argument=name, arg=name, type=layer.type_name(),
                         value=value, fix=Msg("activation.fix.non_negative")
                         ).located(layer_type=layer.type_name(), layer_name=layer.name)


class ReLU(Layer):
    """Rectified linear unit, with an optional cap, leak and threshold."""

    family = "activation"
    help = "max(x, 0), or capped at max_value, leaking below threshold; same shape"
    params = (
        NumberParam("max_value", None, "the largest output value (None: no cap)",
                    allow_none=True),
        NumberParam("negative_slope", 0.0, "slope below the threshold (0: plain ReLU)"),
        NumberParam("threshold", 0.0, "values below it are damped"),
    )

    def check_args(self) -> None:
        _non_negative(self, "max_value", "negative_slope", "threshold")

    def compute(self, input_shape: Shape) -> Computed:
        cap = self._values["max_value"]
        out = _same("relu.explain", input_shape, threshold=self._values["threshold"],
                    slope=self._values["negative_slope"])
        if cap is None:
            return out
        return _new(Computed, (input_shape, (), (*out.notes, Msg("relu.explain.cap",
                                                                  {"cap": cap}))))


class LeakyReLU(Layer):
    """ReLU that lets a small slope through for negative values."""

    family = "activation"
    help = "x for x > 0, negative_slope·x otherwise; same shape"
    params = (NumberParam("negative_slope", 0.3, "the slope for negative values"),)

    def __init__(self, *args: Any, name: str | None = None,
                 inbound: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        if "alpha" in kwargs:  # Keras 2's name, still taken by Keras 3 (with a warning)
            alpha = kwargs.pop("alpha")
            if args or "negative_slope" in kwargs:
                kwargs.pop("negative_slope", None)
                args = ()
            kwargs["negative_slope"] = alpha
        super().__init__(*args, name=name, inbound=inbound, **kwargs)

    def check_args(self) -> None:
        _non_negative(self, "negative_slope")

    def compute(self, input_shape: Shape) -> Computed:
        return _same("leaky_relu.explain", input_shape,
                     slope=self._values["negative_slope"])


class ELU(Layer):
    """Exponential linear unit."""

    family = "activation"
    help = "x for x > 0, alpha·(eˣ − 1) otherwise; same shape"
    params = (NumberParam("alpha", 1.0, "scale of the negative part"),)

    def compute(self, input_shape: Shape) -> Computed:
        return _same("elu.explain", input_shape, alpha=self._values["alpha"])


class Softmax(Layer):
    """Softmax along an axis: values become probabilities summing to 1."""

    family = "activation"
    help = "turns the values along axis into probabilities; same shape"
    params = (AxisParam("axis", -1, "the axis (or list of axes) the probabilities sum "
                        "over (-1: last)", allow_list=True, affects_shape=False),)

    def compute(self, input_shape: Shape) -> Computed:
        return _same("softmax.explain", input_shape, axis=to_code(self._values["axis"]))


class SharedAxesParam(Param):
    """``shared_axes`` of PReLU: None, an axis or a list of axes (kept as a tuple)."""

    def expected(self) -> Msg:
        return Msg("param.expected.shared_axes")

    def validate(self, value: Any) -> Any:
        if value is None or is_int(value):
            return value
        if (isinstance(value, list | tuple)
                and all(is_int(v) for v in value)):
            return tuple(value)
        raise self.fail(value)


class PReLU(Layer):
    """Leaky ReLU whose negative slope ``alpha`` is learned, per value."""

    family = "activation"
    rank_fixed_when_built = True  # Keras's built InputSpec(ndim=…)
    help = "leaky ReLU with a learned slope per value (alpha), shared along shared_axes"
    params = (
        JsonParam("alpha_initializer", "Zeros", "how alpha starts", affects_shape=False),
        *carried("alpha_regularizer", "alpha_constraint"),
        SharedAxesParam("shared_axes", None, "axes along which alpha is shared (one slope "
                        "for the whole axis), e.g. [1, 2] for images"),
    )

    def compute(self, input_shape: Shape) -> Computed:
        shared = self._values["shared_axes"]
        axes: tuple[int, ...] = (() if shared is None
                                 else (shared,) if is_int(shared) else tuple(shared))
        rest = list(input_shape[1:])
        param: list[int | None] = list(rest)
        for axis in axes:
            if not -len(param) <= axis - 1 < len(param):
                raise reject("prelu.axis_out_of_range", argument="shared_axes",
                             axes=to_code(shared), axis=axis, rest=format_shape(tuple(rest)),
                             shape=format_shape(input_shape),
                             fix=Msg("prelu.fix.axis", {"last": len(input_shape) - 1}))
            param[axis - 1] = 1
        for i, size in enumerate(param):
            if size is None:
                axis = i + 1
                suggestion = tuple(sorted({*(a for a in axes if a > 0), axis}))
                raise reject("prelu.unknown_size", argument="shared_axes", axis=axis,
                             shape=format_shape(input_shape),
                             fix=Msg("prelu.fix.unknown_size", {
                                 "axis": axis, "suggestion": to_code(list(suggestion))}))
        alpha = tuple(int(d) for d in param if d is not None)
        count = 1
        for d in alpha:
            count *= d
        note = Msg("prelu.explain", {
            "rest": format_shape(tuple(rest)), "alpha": to_code(alpha), "count": f"{count:,}",
            "out": format_shape(input_shape)})
        notes = (note,) if not axes else (note, Msg("prelu.explain.shared", {
            "axes": to_code(shared)}))
        return _new(Computed, (input_shape, (Weight("alpha", alpha),), notes))


class Identity(Layer):
    """Returns its input unchanged (a placeholder)."""

    family = "activation"
    help = "returns the input unchanged"
    params = ()

    def compute(self, input_shape: Shape) -> Computed:
        return _same("identity.explain", input_shape)


class MaskValueParam(Param):
    """``mask_value`` of Masking: a number (or any value Keras compares with)."""

    def validate(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ShapeError(Msg("param.received", {
                "expected": Msg("param.expected.number"), "received": describe(value)}),
                argument=self.name)
        return value

    def expected(self) -> Msg:
        return Msg("param.expected.number")


class Masking(Layer):
    """Marks padded time steps (all values equal to ``mask_value``) to be skipped."""

    family = "activation"
    help = "marks steps whose values all equal mask_value as padding; same shape"
    params = (MaskValueParam("mask_value", 0.0, "the padding value to mask",
                             affects_shape=False),)

    def compute(self, input_shape: Shape) -> Computed:
        return _same("masking.explain", input_shape, value=self._values["mask_value"])


LAYERS: tuple[type[Layer], ...] = (ReLU, LeakyReLU, PReLU, ELU, Softmax, Identity, Masking)
