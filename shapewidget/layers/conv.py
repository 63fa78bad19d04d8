"""Convolution layers: Conv1D/2D/3D, Conv1D/2D/3DTranspose, SeparableConv1D/2D,
DepthwiseConv1D/2D.

Also the base shared with the pooling layers (:class:`SpatialLayer`): the input's
spatial axes and channels axis in either data format, the rank check and the
plain-language sentence that shows the arithmetic of every spatial axis.

Keras facts mirrored here (checked against Keras 3.15): a convolution needs exactly
``rank + 2`` axes (its InputSpec says "at least", but the shape computation refuses
more) and a known channels axis; ``padding`` and ``data_format`` are case-insensitive;
``strides > 1`` with ``dilation_rate > 1`` is refused by Conv1D/2D/3D and Conv2DTranspose
but accepted by SeparableConv2D and DepthwiseConv2D; Conv2DTranspose never rejects a
small input (its output may even be 0); ``lora_rank`` freezes a Conv kernel and adds two
trainable matrices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    BoolParam,
    ChoiceParam,
    IntParam,
    IntTupleParam,
    JsonParam,
    Param,
    activation_param,
    carried,
)
from ..shapes import (
    Dim,
    Shape,
    conv_length,
    deconv_length_expression,
    deconv_output_length,
    dilated_span,
    format_shape,
    product_expression,
    span_expression,
)
from ..text import Msg, lazy, note, register
from .base import Computed, Layer, Weight, reject, weight

# --- messages ----------------------------------------------------------------------

register("spatial.fix.add_channels",
         "add a channels axis of size 1, e.g. input_shape={example} (or a Reshape layer).",
         "サイズ 1 のチャンネル軸を加えます。例: input_shape={example}（または Reshape レイヤー）。")
register("spatial.fix.add_channels_or_sibling",
         "add a channels axis of size 1 (input_shape={example}), or, if the last axis "
         "already holds the channels, use {sibling} for {n} spatial axis(es).",
         "サイズ 1 のチャンネル軸を加える（input_shape={example}）か、最後の軸がすでに"
         "チャンネルなら空間軸 {n} 個用の {sibling} を使います。")
register("spatial.fix.sibling", "for an input with {n} spatial axes use {sibling}.",
         "空間軸が {n} 個の入力には {sibling} を使います。")
register("spatial.channels_unknown",
         "the channels axis (axis {axis}) of the input {shape} has an unknown size (None), "
         "so the kernel cannot be created.",
         "入力 {shape} のチャンネル軸（軸 {axis}）のサイズが不明（None）なので、カーネルを"
         "作れません。")
register("spatial.fix.channels",
         "give the channels axis a size; with data_format=\"{data_format}\" it is axis "
         "{axis} (the {where} axis).",
         "チャンネル軸にサイズを与えます。data_format=\"{data_format}\" ではそれは軸 {axis}"
         "（{where_ja}の軸）です。")
register("spatial.too_small",
         "Computed output size would be zero or negative: on axis {axis} the input has "
         "{length} positions but the {window} spans {span}, so {expr}. Received the input "
         "{shape} and {arg}={size}.",
         "出力サイズが 0 以下になります: 軸 {axis} の入力は {length} 位置しかないのに"
         "{window_ja}は {span} 位置にわたるので {expr} です。入力 {shape} と "
         "{arg}={size} を受け取りました。")
register("spatial.fix.too_small",
         "use padding=\"same\", a smaller {argument}, or a larger input.",
         "padding=\"same\" にするか、{argument} を小さくするか、入力を大きくします。")
register("spatial.fix.too_small_dilated",
         "use padding=\"same\", a smaller kernel_size or dilation_rate, or a larger input.",
         "padding=\"same\" にするか、kernel_size か dilation_rate を小さくするか、入力を"
         "大きくします。")
register("spatial.channels_first",
         "data_format=\"channels_first\": after the batch axis the order is {order} "
         "(channels before the spatial axes).",
         "data_format=\"channels_first\": バッチ軸の後の順序は {order} です（チャンネルが"
         "空間軸より前）。")
register("spatial.unknown_axes", "An axis of unknown size (None) stays unknown.",
         "サイズが不明（None）の軸は不明のままです。")
register("spatial.weights", "Weights: {terms} → {total} parameters.",
         "重み: {terms} → パラメータ {total} 個。")

# The sentence with each axis's arithmetic: how the axes are named × what happens to the
# channels. Registered as one template per combination so each reads well in Japanese.
_AXES_EN = {"each": "{expr} on each spatial axis", "per": "{expr}",
            "steps": "{expr} along the steps axis"}
_AXES_JA = {"each": "各空間軸で {expr}", "per": "{expr}", "steps": "ステップ軸で {expr}"}
_CHANNELS_EN = {
    "filters": "{filters} filters",
    "depthwise": "{channels} channels × depth_multiplier {multiplier} = {filters} channels",
    "kept": "the channels ({filters}) are kept",
}
_CHANNELS_JA = {
    "filters": "フィルター {filters} 個",
    "depthwise": "{channels} チャンネル × depth_multiplier {multiplier} = {filters} チャンネル",
    "kept": "チャンネル（{filters}）はそのまま",
}
for _axes, _axes_en in _AXES_EN.items():
    for _chan, _chan_en in _CHANNELS_EN.items():
        register(f"spatial.axes.{_axes}.{_chan}", f"{_axes_en}, {_chan_en} → {{out}}.",
                 f"{_AXES_JA[_axes]}、{_CHANNELS_JA[_chan]} → {{out}}。")

register("conv.formula.valid",
         "padding=\"valid\": the kernel must fit inside the input, so each spatial axis "
         "becomes ⌊(input − kernel) / stride⌋ + 1.",
         "padding=\"valid\": カーネルは入力の内側に収まる必要があるので、各空間軸は "
         "⌊(入力 − カーネル) / ストライド⌋ + 1 になります。")
register("conv.formula.same",
         "padding=\"same\": zeros are added around the edges, so each spatial axis becomes "
         "⌈input / stride⌉ (stride 1 keeps the size).",
         "padding=\"same\": 端に 0 を足すので、各空間軸は ⌈入力 / ストライド⌉ になります"
         "（ストライド 1 なら大きさはそのまま）。")
register("conv.formula.causal",
         "padding=\"causal\": {pad} zeros are added at the start only (dilation·(kernel − 1)), "
         "so no output sees a later step; the length becomes ⌈input / stride⌉.",
         "padding=\"causal\": 先頭だけに 0 を {pad} 個（dilation·(kernel − 1)）足すので、"
         "どの出力も後のステップを見ません。長さは ⌈入力 / ストライド⌉ になります。")
register("conv.dilation",
         "dilation_rate spreads the kernel out: it spans dilation·(kernel − 1) + 1 input "
         "positions: {spans}.",
         "dilation_rate はカーネルを間隔を空けて広げます。カーネルは dilation·(kernel − 1) + 1 "
         "個の入力位置にわたります: {spans}。")
register("conv.kernel",
         "The kernel is kernel_size {size} + (input channels {channels}, filters {filters}) "
         "= {kernel}.",
         "カーネルは kernel_size {size} + (入力チャンネル {channels}, フィルター {filters}) "
         "= {kernel} です。")
register("conv.kernel.groups",
         "groups={groups}: the {channels} input channels are split into {groups} groups of "
         "{per_group}, and each filter sees only its group's {per_group} channels, so the "
         "kernel is kernel_size {size} + ({per_group}, {filters}) = {kernel}.",
         "groups={groups}: 入力の {channels} チャンネルを {per_group} チャンネルずつ {groups} "
         "グループに分け、各フィルターは自分のグループの {per_group} チャンネルだけを見るので、"
         "カーネルは kernel_size {size} + ({per_group}, {filters}) = {kernel} です。")
register("conv.lora",
         "lora_rank={rank}: the kernel is frozen (non-trainable) and two small trainable "
         "matrices lora_kernel_a {a} and lora_kernel_b {b} learn a change to it.",
         "lora_rank={rank}: カーネルは固定（学習しない）され、学習する小さな行列 "
         "lora_kernel_a {a} と lora_kernel_b {b} がその変化を学びます。")
register("conv.groups_filters",
         "filters={filters} must be divisible by groups={groups}: each of the {groups} "
         "groups gets filters / groups filters.",
         "filters={filters} は groups={groups} で割り切れなければなりません。{groups} 個の"
         "グループがそれぞれ filters / groups 個のフィルターを持ちます。")
register("conv.fix.groups_filters",
         "use a number of filters that is a multiple of {groups} (e.g. {example}), or "
         "groups=1.",
         "フィルター数を {groups} の倍数（例: {example}）にするか、groups=1 にします。")
register("conv.groups_channels",
         "groups={groups} must evenly divide the number of input channels, but the input "
         "{shape} has {channels} channels.",
         "groups={groups} は入力チャンネル数を割り切らなければなりませんが、入力 {shape} の"
         "チャンネルは {channels} 個です。")
register("conv.fix.groups_channels",
         "use groups that divides {channels} (groups=1 always works).",
         "{channels} を割り切る groups を使います（groups=1 なら常に使えます）。")
register("conv.strides_dilation",
         "strides > 1 cannot be combined with dilation_rate > 1 in {type}; received "
         "strides={strides} and dilation_rate={dilation}.",
         "{type} では strides > 1 と dilation_rate > 1 を同時に使えません。strides={strides} "
         "と dilation_rate={dilation} を受け取りました。")
register("conv.fix.strides_dilation",
         "set strides=1 or dilation_rate=1 (SeparableConv2D and DepthwiseConv2D accept both).",
         "strides=1 か dilation_rate=1 にします（SeparableConv2D と DepthwiseConv2D は両方を"
         "受け付けます）。")
register("conv.fix.causal",
         "padding=\"causal\" exists only for Conv1D (sequences); use \"same\" to keep the "
         "size, or \"valid\".",
         "padding=\"causal\" は Conv1D（系列）だけのものです。大きさを保つなら \"same\"、"
         "または \"valid\" を使います。")
register("conv.lora_constraint",
         "lora_rank cannot be used together with a kernel_constraint (LoRA replaces the "
         "kernel's updates).",
         "lora_rank は kernel_constraint と同時には使えません（LoRA がカーネルの更新を置き換え"
         "ます）。")
register("conv.fix.lora_constraint", "remove kernel_constraint, or lora_rank.",
         "kernel_constraint か lora_rank を外します。")
register("convt.formula.valid",
         "{type}, padding=\"valid\", output_padding=None: each spatial axis becomes "
         "(input − 1) × stride + max(kernel, stride).",
         "{type}, padding=\"valid\", output_padding=None: 各空間軸は "
         "(入力 − 1) × ストライド + max(カーネル, ストライド) になります。")
register("convt.formula.same",
         "{type}, padding=\"same\", output_padding=None: each spatial axis becomes "
         "input × stride.",
         "{type}, padding=\"same\", output_padding=None: 各空間軸は "
         "入力 × ストライド になります。")
register("convt.formula.valid_op",
         "{type}, padding=\"valid\" with output_padding given: each spatial axis "
         "becomes (input − 1) × stride + kernel + output_padding.",
         "{type}, padding=\"valid\" で output_padding を指定: 各空間軸は "
         "(入力 − 1) × ストライド + カーネル + output_padding になります。")
register("convt.formula.same_op",
         "{type}, padding=\"same\" with output_padding given: each spatial axis "
         "becomes (input − 1) × stride + (kernel mod 2) + output_padding — not input × "
         "stride as with output_padding=None.",
         "{type}, padding=\"same\" で output_padding を指定: 各空間軸は "
         "(入力 − 1) × ストライド + (カーネル mod 2) + output_padding になります"
         "（output_padding=None のときの 入力 × ストライド ではありません）。")
register("convt.negative",
         "Negative dimensions are not allowed: on axis {axis} the input has {length} "
         "positions, so {expr}. Received the input {shape}.",
         "負のサイズは使えません: 軸 {axis} の入力は {length} 位置なので {expr} です。"
         "入力 {shape} を受け取りました。")
register("convt.fix.negative",
         "give this axis a size of at least 1, or use output_padding=None.",
         "この軸のサイズを 1 以上にするか、output_padding=None にします。")
register("convt.kernel",
         "The kernel is kernel_size {size} + (filters {filters}, input channels {channels}) "
         "= {kernel}: transposed, so the filters come before the input channels.",
         "カーネルは kernel_size {size} + (フィルター {filters}, 入力チャンネル {channels}) "
         "= {kernel} です。転置なので、フィルターが入力チャンネルより前に来ます。")
register("convt.output_padding",
         "output_padding must be smaller than strides on every axis; received "
         "output_padding={output_padding} and strides={strides}.",
         "output_padding はすべての軸で strides より小さくなければなりません。"
         "output_padding={output_padding} と strides={strides} を受け取りました。")
register("convt.fix.output_padding",
         "use output_padding below the stride (or None), or a larger stride.",
         "output_padding をストライドより小さく（または None に）するか、ストライドを大きくします。")
register("separable.kernels",
         "depthwise_kernel = kernel_size {size} + (input channels {channels}, "
         "depth_multiplier {multiplier}) = {depthwise}: each input channel gets its own "
         "{multiplier} filter(s); pointwise_kernel = {ones} + ({channels}·{multiplier} = "
         "{middle}, filters {filters}) = {pointwise}: a 1×1 convolution that mixes the "
         "{middle} channels into {filters}.",
         "depthwise_kernel = kernel_size {size} + (入力チャンネル {channels}, depth_multiplier "
         "{multiplier}) = {depthwise}: 入力チャンネルごとに専用のフィルターが {multiplier} 個。"
         "pointwise_kernel = {ones} + ({channels}·{multiplier} = {middle}, フィルター "
         "{filters}) = {pointwise}: {middle} チャンネルを {filters} チャンネルに混ぜる 1×1 "
         "畳み込みです。")
register("depthwise.kernel",
         "The kernel is kernel_size {size} + (input channels {channels}, depth_multiplier "
         "{multiplier}) = {kernel}: each input channel gets its own {multiplier} filter(s) "
         "and channels are never mixed; the bias has one value per output channel.",
         "カーネルは kernel_size {size} + (入力チャンネル {channels}, depth_multiplier "
         "{multiplier}) = {kernel} です。入力チャンネルごとに専用のフィルターが {multiplier} "
         "個あり、チャンネルは混ざりません。バイアスは出力チャンネルごとに 1 つです。")

AXIS_LABELS: dict[int, tuple[str, ...]] = {1: ("steps",), 2: ("H", "W"), 3: ("D", "H", "W")}


# --- parameters ----------------------------------------------------------------------


@dataclass(frozen=True)
class KerasStringParam(ChoiceParam):
    """A choice Keras reads case-insensitively (``"Same"`` is ``"same"``), like conv
    ``padding`` and every ``data_format``. ``elsewhere`` names values other layer types
    take, with the message key of the fix to show here."""

    elsewhere: tuple[tuple[str, str], ...] = ()

    def validate(self, value: Any) -> Any:
        if isinstance(value, str):
            low = value.lower()
            if low in self.choices:
                return low
            for known, key in self.elsewhere:
                if low == known:
                    raise self.fail(value, Msg(key))
        return super().validate(value)


def ones(rank: int, value: int = 1) -> int | tuple[int, ...]:
    """Keras's literal default: ``1`` for 1-D layers, ``(1, 1)`` for 2-D, …"""
    return value if rank == 1 else (value,) * rank


def data_format_param() -> KerasStringParam:
    return KerasStringParam(
        "data_format", None, "channels_last (batch, …, channels) or channels_first "
        "(batch, channels, …); None means channels_last",
        choices=(None, "channels_last", "channels_first"))


def padding_param(causal: bool = False) -> KerasStringParam:
    if causal:
        return KerasStringParam(
            "padding", "valid", "valid: no padding (the output shrinks); same: pad so that "
            "stride 1 keeps the size; causal: pad the start only",
            choices=("valid", "same", "causal"))
    return KerasStringParam(
        "padding", "valid", "valid: no padding (the output shrinks); same: pad so that "
        "stride 1 keeps the size", choices=("valid", "same"),
        elsewhere=(("causal", "conv.fix.causal"),))


def kernel_size_param(rank: int) -> IntTupleParam:
    return IntTupleParam("kernel_size", REQUIRED, "size of the convolution window", rank=rank)


def strides_param(rank: int) -> IntTupleParam:
    return IntTupleParam("strides", ones(rank), "step between windows (1 = every position)",
                         rank=rank)


def dilation_param(rank: int) -> IntTupleParam:
    return IntTupleParam("dilation_rate", ones(rank), "spacing between kernel taps "
                         "(1 = a dense kernel)", rank=rank)


def filters_param() -> IntParam:
    return IntParam("filters", REQUIRED, "number of filters: the size of the output's "
                    "channels axis")


# Key under which a layer's expanded tuple arguments are kept (layers are immutable),
# and the key in there of a convolution's formula notes (they depend on arguments only).
_new = tuple.__new__  # a named tuple from a full tuple, without its constructor (faster)

_EXPANDED = "\x00expanded"
_FORMULA = "\x00formula"


def initializer(name: str, default: str) -> JsonParam:
    return JsonParam(name, default, "how the weights start; does not change any shape",
                     affects_shape=False)


# --- the spatial base ------------------------------------------------------------------


class SpatialLayer(Layer):
    """A layer over ``rank`` spatial axes plus a channels axis, in either data format."""

    rank: ClassVar[int] = 2

    @property
    def channels_first(self) -> bool:
        return bool(self._values["data_format"] == "channels_first")

    def tuple_arg(self, key: str) -> tuple[int, ...]:
        """An int-or-tuple argument expanded to ``rank`` ints (computed once per layer)."""
        memo = self._values.get(_EXPANDED)
        if memo is None:
            memo = self._values[_EXPANDED] = {}
        found: tuple[int, ...] | None = memo.get(key)
        if found is None:
            param = self.param(key)
            assert isinstance(param, IntTupleParam)
            found = memo[key] = param.expand(self._values[key])
        return found

    def layout(self) -> str:
        labels = AXIS_LABELS[self.rank]
        body = ("channels", *labels) if self.channels_first else (*labels, "channels")
        return ", ".join(("batch", *body))

    def error(self, key: str, *, argument: str, fix: Msg | None = None,
              **values: Any) -> ShapeError:
        """A constructor-time rejection, located at this layer."""
        return ShapeError(Msg(key, values), fix=fix, argument=argument,
                          layer_type=self.type_name(), layer_name=self.name)

    @classmethod
    def sibling(cls, rank: int) -> str | None:
        """The same kind of layer for ``rank`` spatial axes, if the catalogue has it."""
        want = cls.type_name().replace(f"{cls.rank}D", f"{rank}D")
        stack: list[type[SpatialLayer]] = [SpatialLayer]
        while stack:
            current = stack.pop()
            if current.type_name() == want and current.rank == rank:
                return want
            stack.extend(current.__subclasses__())
        return None

    def split(self, shape: Shape) -> tuple[Shape, Dim]:
        """Check the rank (batch included) and return (spatial sizes, channels)."""
        want = self.rank + 2
        if len(shape) != want:
            raise reject("layer.expected_rank", fix=self._rank_fix(shape), expected=want,
                         layout=self.layout(), shape=format_shape(shape), rank=len(shape))
        if self._values["data_format"] == "channels_first":
            return shape[2:], shape[1]
        return shape[1:-1], shape[-1]

    def _rank_fix(self, shape: Shape) -> Msg | None:
        n = len(shape) - 2
        sibling = self.sibling(n) if 1 <= n <= 3 else None
        if len(shape) == self.rank + 1 and len(shape) >= 2:
            rest = tuple(shape[1:])
            example = format_shape((1, *rest) if self.channels_first else (*rest, 1))
            if sibling is not None:
                return Msg("spatial.fix.add_channels_or_sibling",
                           {"example": example, "sibling": sibling, "n": n})
            return Msg("spatial.fix.add_channels", {"example": example})
        if sibling is not None:
            return Msg("spatial.fix.sibling", {"n": n, "sibling": sibling})
        return None

    def join(self, batch: Dim, spatial: Shape, channels: Dim) -> Shape:
        if self._values["data_format"] == "channels_first":
            return (batch, channels, *spatial)
        return (batch, *spatial, channels)

    def channel_axis(self) -> int:
        return 1 if self.channels_first else self.rank + 1

    def known_channels(self, shape: Shape, channels: Dim) -> int:
        """The channels of ``shape``; Keras cannot make a kernel for an unknown size."""
        if channels is None:
            axis = self.channel_axis()
            fix = Msg("spatial.fix.channels", {
                "data_format": "channels_first" if self.channels_first else "channels_last",
                "axis": axis, "where": "second" if self.channels_first else "last",
                "where_ja": "2 番目" if self.channels_first else "最後"})
            raise reject("spatial.channels_unknown", fix=fix, axis=axis,
                         shape=format_shape(shape))
        return channels

    def output_length(self, length: Dim, axis: int) -> Dim:
        """One spatial axis of the output."""
        raise NotImplementedError

    def length_expression(self, length: Dim, axis: int) -> str:
        """The arithmetic of :meth:`output_length`, e.g. ``(50 − 3) / 1 + 1 = 48``."""
        raise NotImplementedError

    def window(self) -> tuple[str, str, str] | None:
        """(argument, English word, Japanese word) of a window that must fit inside the
        input (``valid`` padding), or ``None``."""
        return None

    def span(self, axis: int) -> int:
        """Input positions one window covers on ``axis``."""
        raise NotImplementedError

    def lengths(self, shape: Shape, spatial: Shape) -> tuple[Shape, list[str]]:
        """Each spatial axis's output length and its arithmetic (checked as Keras does)."""
        out: list[Dim] = []
        exprs: list[str] = []
        for i, size in enumerate(spatial):
            result = self.output_length(size, i)
            expr = self.length_expression(size, i)
            if size is not None and result is not None:
                self.check_length(shape, i, size, result, expr)
            out.append(result)
            exprs.append(expr)
        return tuple(out), exprs

    def output_lengths(self, shape: Shape, spatial: Shape) -> Shape:
        """:meth:`lengths` without the arithmetic (checked the same way)."""
        return self.lengths(shape, spatial)[0]

    def window_output(self, shape: Shape, spatial: Shape, kernel: tuple[int, ...],
                      strides: tuple[int, ...], dilation: tuple[int, ...] | None) -> Shape:
        """:meth:`window_lengths` without the arithmetic: the output lengths alone."""
        valid = self._values["padding"] == "valid"
        out: list[Dim] = []
        for i, size in enumerate(spatial):
            if size is None:
                out.append(None)
                continue
            stride = strides[i]
            if valid:
                span = kernel[i] if dilation is None else dilation[i] * (kernel[i] - 1) + 1
                result = (size - span) // stride + 1
            else:
                result = (size - 1) // stride + 1
            if result <= 0:  # rejected (or kept) with its arithmetic, as window_lengths does
                return self.window_lengths(shape, spatial, kernel, strides, dilation)[0]
            out.append(result)
        return tuple(out)

    def window_lengths(self, shape: Shape, spatial: Shape, kernel: tuple[int, ...],
                       strides: tuple[int, ...], dilation: tuple[int, ...] | None
                       ) -> tuple[Shape, list[str]]:
        """:meth:`lengths` for a window that slides as a convolution's does (convolutions
        and pooling), from its per-axis sizes, strides and dilation (``None``: 1)."""
        padding: str = self._values["padding"]
        out: list[Dim] = []
        exprs: list[str] = []
        for i, size in enumerate(spatial):
            result, expr = conv_length(size, kernel[i], strides[i], padding,
                                       1 if dilation is None else dilation[i])
            if result is not None and result <= 0:
                assert size is not None
                self.check_length(shape, i, size, result, expr)
            out.append(result)
            exprs.append(expr)
        return tuple(out), exprs

    def axis_index(self, spatial_axis: int) -> int:
        """Index in the full shape (batch axis 0) of spatial axis ``spatial_axis``."""
        return spatial_axis + (2 if self.channels_first else 1)

    def check_length(self, shape: Shape, axis: int, size: int, result: int,
                     expr: str) -> None:
        """Reject a window that does not fit: an output length of zero or less."""
        window = self.window()
        if window is None or result > 0:
            return
        argument, word, word_ja = window
        dilated = argument == "kernel_size" and max(self.tuple_arg("dilation_rate")) > 1
        fix = Msg("spatial.fix.too_small_dilated" if dilated else "spatial.fix.too_small",
                  {"argument": argument})
        raise reject("spatial.too_small", argument=argument, fix=fix,
                     axis=self.axis_index(axis), length=size, window=word,
                     window_ja=word_ja, span=self.span(axis), expr=expr,
                     shape=format_shape(shape), arg=argument, size=getattr(self, argument))

    def axes_note(self, exprs: list[str], mode_of_channels: str, out: Shape,
                  **values: Any) -> list[Msg]:
        """The sentence with every axis's arithmetic, then format and unknown-size notes."""
        if self.rank == 1:
            mode, expr = "steps", exprs[0]
        elif len(set(exprs)) == 1:
            mode, expr = "each", exprs[0]
        else:
            mode = "per"
            expr = ", ".join(f"{label}: {e}"
                             for label, e in zip(AXIS_LABELS[self.rank], exprs, strict=True))
        notes = [note(f"spatial.axes.{mode}.{mode_of_channels}",
                      {"expr": expr, "out": out, **values})]
        if self._values["data_format"] == "channels_first":
            order = "×".join(("C", *AXIS_LABELS[self.rank]))
            notes.append(Msg("spatial.channels_first", {"order": order}))
        if "None" in exprs:
            notes.append(Msg("spatial.unknown_axes"))
        return notes


def _weight_terms(weights: tuple[Weight, ...]) -> str:
    terms = []
    for w in weights:
        if len(w.shape) == 1:
            terms.append(f"{w.name} {format_shape(w.shape)}: {w.size:,}")
        else:
            terms.append(f"{w.name} {format_shape(w.shape)}: {product_expression(w.shape)} "
                         f"= {w.size:,}")
    return " + ".join(terms)


def _weights_total(weights: tuple[Weight, ...]) -> str:
    return f"{sum(w.size for w in weights):,}"


def weights_note(weights: list[Weight]) -> Msg:
    """``Weights: kernel (3, 3, 3, 8): 3·3·3·8 = 216 + bias (8,): 8 → 224 parameters.``
    (worked out when shown)."""
    args = (tuple(weights),)
    return note("spatial.weights", {"terms": lazy(_weight_terms, args),
                                    "total": lazy(_weights_total, args)})


# --- convolutions --------------------------------------------------------------------


class ConvBase(SpatialLayer):
    """What every convolution shares: kernel, strides, dilation, padding, data format."""
    drawing: ClassVar[dict[str, str]] = {"args": "filters"}

    family = "conv"
    channels_mode: ClassVar[str] = "filters"
    refuses_strides_with_dilation: ClassVar[bool] = True

    def check_args(self) -> None:
        strides = self.tuple_arg("strides")
        dilation = self.tuple_arg("dilation_rate")
        if self.refuses_strides_with_dilation and max(strides) > 1 and max(dilation) > 1:
            raise self.error("conv.strides_dilation", argument="strides",
                             fix=Msg("conv.fix.strides_dilation"), type=self.type_name(),
                             strides=strides, dilation=dilation)

    def span(self, axis: int) -> int:
        return dilated_span(self.tuple_arg("kernel_size")[axis],
                            self.tuple_arg("dilation_rate")[axis])

    def output_length(self, length: Dim, axis: int) -> Dim:
        return conv_length(length, self.tuple_arg("kernel_size")[axis],
                           self.tuple_arg("strides")[axis], self.padding,
                           self.tuple_arg("dilation_rate")[axis])[0]

    def length_expression(self, length: Dim, axis: int) -> str:
        return conv_length(length, self.tuple_arg("kernel_size")[axis],
                           self.tuple_arg("strides")[axis], self.padding,
                           self.tuple_arg("dilation_rate")[axis])[1]

    def lengths(self, shape: Shape, spatial: Shape) -> tuple[Shape, list[str]]:
        return self.window_lengths(shape, spatial, self.tuple_arg("kernel_size"),
                                   self.tuple_arg("strides"), self.tuple_arg("dilation_rate"))

    def formula_notes(self) -> list[Msg]:
        notes = []
        if self.padding == "causal":
            pad = self.span(0) - 1
            notes.append(Msg("conv.formula.causal", {"pad": pad}))
        else:
            notes.append(Msg(f"conv.formula.{self.padding}"))
        kernel = self.tuple_arg("kernel_size")
        dilation = self.tuple_arg("dilation_rate")
        if max(dilation) > 1:
            spans = [span_expression(k, d) for k, d in zip(kernel, dilation, strict=True)]
            if len(set(spans)) == 1:
                text = spans[0]
            else:
                text = ", ".join(f"{label}: {s}" for label, s in
                                 zip(AXIS_LABELS[self.rank], spans, strict=True))
            notes.append(Msg("conv.dilation", {"spans": text}))
        return notes

    def output_channels(self, channels: int) -> int:
        filters: int = self._values["filters"]
        return filters

    def check_channels(self, shape: Shape, channels: int) -> None:
        """Call-time checks on the input channels (``groups`` for Conv)."""

    def make_weights(self, channels: int) -> tuple[list[Weight], list[Msg]]:
        """The weights in Keras's order and the notes that explain their shapes."""
        raise NotImplementedError

    def window(self) -> tuple[str, str, str] | None:
        return ("kernel_size", "kernel", "カーネル") if self.padding == "valid" else None

    def compute(self, input_shape: Shape) -> Computed:
        spatial, channels = self.split(input_shape)
        if channels is None:
            channels = self.known_channels(input_shape, channels)  # raises
        self.check_channels(input_shape, channels)
        out_spatial = self.output_lengths(input_shape, spatial)
        out_channels = self.output_channels(channels)
        out = self.join(input_shape[0], out_spatial, out_channels)
        notes = self.deferred_notes(ConvBase.compute_notes, input_shape, spatial, channels,
                                    out_channels, out)
        return _new(Computed, (out, tuple(self.weight_list(channels)), notes))

    def compute_notes(self, input_shape: Shape, spatial: Shape, channels: int,
                      out_channels: int, out: Shape) -> tuple[Msg, ...]:
        """The explanation of :meth:`compute`'s result (worked out when read)."""
        _, exprs = self.lengths(input_shape, spatial)
        weights, weight_notes = self.make_weights(channels)
        memo = self._values[_EXPANDED]  # filled by check_args
        formula = memo.get(_FORMULA)
        if formula is None:  # arguments only: the same for every input
            formula = memo[_FORMULA] = tuple(self.formula_notes())
        return (*formula,
                *self.axes_note(exprs, self.channels_mode, out, filters=out_channels,
                                channels=channels, multiplier=self.depth_multiplier_value()),
                *weight_notes, weights_note(weights))

    def output_lengths(self, shape: Shape, spatial: Shape) -> Shape:
        memo = self._values.get(_EXPANDED) or {}  # tuple_arg's, read directly (faster)
        return self.window_output(
            shape, spatial, memo.get("kernel_size") or self.tuple_arg("kernel_size"),
            memo.get("strides") or self.tuple_arg("strides"),
            memo.get("dilation_rate") or self.tuple_arg("dilation_rate"))

    def weight_list(self, channels: int) -> Sequence[Weight]:
        """:meth:`make_weights`'s weights alone (override for speed: computing a summary
        needs them, the notes only when read)."""
        return self.make_weights(channels)[0]

    def depth_multiplier_value(self) -> int:
        """Output channels per input channel, for the explanation (DepthwiseConv2D)."""
        return 1

    def bias(self, size: int) -> list[Weight]:
        return [weight("bias", (size,))] if self._values["use_bias"] else []


def conv_params(rank: int) -> tuple[Param, ...]:
    """Conv1D/2D/3D's arguments, in Keras's order; the LoRA ones last (Keras takes them
    only as keyword arguments, through ``**kwargs``)."""
    return (
        filters_param(),
        kernel_size_param(rank),
        strides_param(rank),
        padding_param(causal=rank == 1),
        data_format_param(),
        dilation_param(rank),
        IntParam("groups", 1, "split the input channels into this many groups, each "
                 "convolved with filters / groups filters"),
        activation_param(),
        BoolParam("use_bias", True, "add a bias vector (filters,)"),
        initializer("kernel_initializer", "glorot_uniform"),
        initializer("bias_initializer", "zeros"),
        *carried("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                 "kernel_constraint", "bias_constraint"),
        IntParam("lora_rank", None, "LoRA: freeze the kernel and learn a change of this "
                 "rank (None: off)", min=0, allow_none=True),
        JsonParam("lora_alpha", None, "LoRA scaling (None: lora_rank); does not change any "
                  "shape", affects_shape=False),
    )


class Conv(ConvBase):
    """Conv1D/2D/3D: ``filters`` kernels slide over the spatial axes."""

    kernel_weight: ClassVar[str] = "kernel"
    """The weight Keras finds as the layer's ``kernel`` (SpectralNormalization reads it)."""

    def check_args(self) -> None:
        filters: int = self.filters
        groups: int = self.groups
        if filters % groups:
            raise self.error("conv.groups_filters", argument="groups",
                             fix=Msg("conv.fix.groups_filters",
                                     {"groups": groups, "example": groups * max(
                                         1, round(filters / groups))}),
                             filters=filters, groups=groups)
        super().check_args()
        if self.lora_rank and self.kernel_constraint is not None:
            raise self.error("conv.lora_constraint", argument="lora_rank",
                             fix=Msg("conv.fix.lora_constraint"))

    def check_channels(self, shape: Shape, channels: int) -> None:
        groups: int = self._values["groups"]
        if channels % groups:
            raise reject("conv.groups_channels", argument="groups",
                         fix=Msg("conv.fix.groups_channels", {"channels": channels}),
                         groups=groups, shape=format_shape(shape), channels=channels)

    def weight_list(self, channels: int) -> Sequence[Weight]:
        values = self._values
        if values["lora_rank"]:
            return self.make_weights(channels)[0]
        filters: int = values["filters"]
        kernel = (*self.tuple_arg("kernel_size"), channels // values["groups"], filters)
        first = _new(Weight, ("kernel", kernel, True))
        if values["use_bias"]:
            return (first, _new(Weight, ("bias", (filters,), True)))
        return (first,)

    def make_weights(self, channels: int) -> tuple[list[Weight], list[Msg]]:
        size = self.tuple_arg("kernel_size")
        values_ = self._values
        filters: int = values_["filters"]
        groups: int = values_["groups"]
        kernel = (*size, channels // groups, filters)
        values = {"size": size, "channels": channels, "filters": filters, "kernel": kernel}
        if groups == 1:
            notes = [note("conv.kernel", values)]
        else:
            notes = [Msg("conv.kernel.groups", {**values, "groups": groups,
                                                "per_group": channels // groups})]
        weights = [weight("kernel", kernel), *self.bias(filters)]
        rank: int | None = values_["lora_rank"]
        if rank:
            a = (*kernel[:-1], rank)
            b = (rank, filters)
            weights[0] = weights[0]._replace(trainable=False)
            weights += [Weight("lora_kernel_a", a), Weight("lora_kernel_b", b)]
            notes.append(Msg("conv.lora", {"rank": rank, "a": a, "b": b}))
        return weights, notes


class Conv1D(Conv):
    """1-D convolution over sequences ``(batch, steps, channels)``."""

    help = "1-D convolution over (batch, steps, channels); filters is the output's last axis"
    rank = 1
    params = conv_params(1)


class Conv2D(Conv):
    """2-D convolution over images ``(batch, H, W, channels)``."""

    help = "2-D convolution over (batch, H, W, channels); filters is the output's channels"
    rank = 2
    params = conv_params(2)


class Conv3D(Conv):
    """3-D convolution over volumes ``(batch, D, H, W, channels)``."""

    help = "3-D convolution over (batch, D, H, W, channels); filters is the output's channels"
    rank = 3
    params = conv_params(3)


def conv_transpose_params(rank: int) -> tuple[Param, ...]:
    """Conv1D/2D/3DTranspose's arguments, in Keras's order."""
    return (
        filters_param(),
        kernel_size_param(rank),
        strides_param(rank),
        padding_param(),
        IntTupleParam("output_padding", None, "extra size added to one side of each "
                      "spatial axis; must be below strides (None: inferred)", rank=rank,
                      min=0, allow_none=True),
        data_format_param(),
        dilation_param(rank),
        activation_param(),
        BoolParam("use_bias", True, "add a bias vector (filters,)"),
        initializer("kernel_initializer", "glorot_uniform"),
        initializer("bias_initializer", "zeros"),
        *carried("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                 "kernel_constraint", "bias_constraint"),
    )


class ConvTranspose(ConvBase):
    """Transposed convolution: grows the spatial axes (about × strides)."""

    kernel_weight: ClassVar[str] = "kernel"
    """The weight Keras finds as the layer's ``kernel`` (SpectralNormalization reads it)."""

    def check_args(self) -> None:
        if self.output_padding is not None:
            output_padding = self.tuple_arg("output_padding")
            strides = self.tuple_arg("strides")
            if any(p >= s for p, s in zip(output_padding, strides, strict=True)):
                raise self.error("convt.output_padding", argument="output_padding",
                                 fix=Msg("convt.fix.output_padding"),
                                 output_padding=output_padding, strides=strides)
        super().check_args()

    lengths = SpatialLayer.lengths
    output_lengths = SpatialLayer.output_lengths

    def _output_padding(self, axis: int) -> int | None:
        return None if self.output_padding is None else self.tuple_arg("output_padding")[axis]

    def output_length(self, length: Dim, axis: int) -> Dim:
        return deconv_output_length(length, self.tuple_arg("kernel_size")[axis],
                                    self.tuple_arg("strides")[axis], self.padding,
                                    self._output_padding(axis),
                                    self.tuple_arg("dilation_rate")[axis])

    def length_expression(self, length: Dim, axis: int) -> str:
        return deconv_length_expression(length, self.tuple_arg("kernel_size")[axis],
                                        self.tuple_arg("strides")[axis], self.padding,
                                        self._output_padding(axis),
                                        self.tuple_arg("dilation_rate")[axis])

    def check_length(self, shape: Shape, axis: int, size: int, result: int,
                     expr: str) -> None:
        """Keras takes a size of 0 (even from a non-empty input) but refuses < 0."""
        if result < 0:
            raise reject("convt.negative", fix=Msg("convt.fix.negative"),
                         axis=self.axis_index(axis), length=size, expr=expr,
                         shape=format_shape(shape))

    def formula_notes(self) -> list[Msg]:
        suffix = "" if self.output_padding is None else "_op"
        notes = [Msg(f"convt.formula.{self.padding}{suffix}", {"type": self.type_name()})]
        return notes + super().formula_notes()[1:]

    def make_weights(self, channels: int) -> tuple[list[Weight], list[Msg]]:
        size = self.tuple_arg("kernel_size")
        filters: int = self.filters
        kernel = (*size, filters, channels)
        note = Msg("convt.kernel", {"size": size, "filters": filters,
                                    "channels": channels, "kernel": kernel})
        return [Weight("kernel", kernel), *self.bias(filters)], [note]


class Conv1DTranspose(ConvTranspose):
    """Transposed 1-D convolution: grows the steps axis (about × strides)."""

    help = "transposed 1-D convolution: the steps axis grows by strides"
    rank = 1
    params = conv_transpose_params(1)


class Conv2DTranspose(ConvTranspose):
    """Transposed 2-D convolution: grows the spatial axes (about × strides)."""

    help = "transposed 2-D convolution (\"deconvolution\"): the spatial axes grow by strides"
    rank = 2
    params = conv_transpose_params(2)


class Conv3DTranspose(ConvTranspose):
    """Transposed 3-D convolution: grows depth, height and width (about × strides)."""

    help = "transposed 3-D convolution: depth, height and width grow by strides"
    rank = 3
    params = conv_transpose_params(3)


def separable_params(rank: int) -> tuple[Param, ...]:
    """SeparableConv1D/2D's arguments, in Keras's order."""
    return (
        filters_param(),
        kernel_size_param(rank),
        strides_param(rank),
        padding_param(),
        data_format_param(),
        dilation_param(rank),
        IntParam("depth_multiplier", 1, "filters per input channel in the depthwise step"),
        activation_param(),
        BoolParam("use_bias", True, "add a bias vector (filters,)"),
        initializer("depthwise_initializer", "glorot_uniform"),
        initializer("pointwise_initializer", "glorot_uniform"),
        initializer("bias_initializer", "zeros"),
        *carried("depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
                 "activity_regularizer", "depthwise_constraint", "pointwise_constraint",
                 "bias_constraint"),
    )


class SeparableConv(ConvBase):
    """A depthwise convolution per channel, then a 1×1 convolution mixing channels."""

    refuses_strides_with_dilation = False

    def make_weights(self, channels: int) -> tuple[list[Weight], list[Msg]]:
        size = self.tuple_arg("kernel_size")
        filters: int = self.filters
        multiplier: int = self.depth_multiplier
        ones_ = (1,) * self.rank
        depthwise = (*size, channels, multiplier)
        pointwise = (*ones_, channels * multiplier, filters)
        note = Msg("separable.kernels", {
            "size": size, "channels": channels, "multiplier": multiplier,
            "depthwise": depthwise, "ones": ones_, "middle": channels * multiplier,
            "filters": filters, "pointwise": pointwise})
        weights = [Weight("depthwise_kernel", depthwise), Weight("pointwise_kernel", pointwise),
                   *self.bias(filters)]
        return weights, [note]


class SeparableConv1D(SeparableConv):
    """A depthwise 1-D convolution per channel, then a pointwise one mixing channels."""

    help = ("depthwise then pointwise (size 1) 1-D convolution: far fewer weights than "
            "Conv1D for the same output shape")
    rank = 1
    params = separable_params(1)


class SeparableConv2D(SeparableConv):
    """A depthwise convolution per channel, then a 1×1 convolution mixing channels."""

    help = ("depthwise then pointwise (1×1) convolution: far fewer weights than Conv2D for "
            "the same output shape")
    rank = 2
    params = separable_params(2)


def depthwise_params(rank: int) -> tuple[Param, ...]:
    """DepthwiseConv1D/2D's arguments, in Keras's order."""
    return (
        kernel_size_param(rank),
        strides_param(rank),
        padding_param(),
        IntParam("depth_multiplier", 1, "output channels per input channel"),
        data_format_param(),
        dilation_param(rank),
        activation_param(),
        BoolParam("use_bias", True, "add a bias vector (channels × depth_multiplier,)"),
        initializer("depthwise_initializer", "glorot_uniform"),
        initializer("bias_initializer", "zeros"),
        *carried("depthwise_regularizer", "bias_regularizer", "activity_regularizer",
                 "depthwise_constraint", "bias_constraint"),
    )


class DepthwiseConv(ConvBase):
    """One kernel per input channel (× depth_multiplier); channels are not mixed."""
    drawing: ClassVar[dict[str, str]] = {"args": "depthwise"}

    channels_mode = "depthwise"
    refuses_strides_with_dilation = False
    kernel_weight: ClassVar[str] = "kernel"

    def depth_multiplier_value(self) -> int:
        multiplier: int = self.depth_multiplier
        return multiplier

    def output_channels(self, channels: int) -> int:
        return channels * self.depth_multiplier_value()

    def make_weights(self, channels: int) -> tuple[list[Weight], list[Msg]]:
        size = self.tuple_arg("kernel_size")
        multiplier = self.depth_multiplier_value()
        kernel = (*size, channels, multiplier)
        note = Msg("depthwise.kernel", {"size": size, "channels": channels,
                                        "multiplier": multiplier, "kernel": kernel})
        return [Weight("kernel", kernel), *self.bias(channels * multiplier)], [note]


class DepthwiseConv1D(DepthwiseConv):
    """One 1-D kernel per input channel (× depth_multiplier); channels are not mixed."""

    help = "a separate 1-D kernel for each input channel; output channels = channels × " \
           "depth_multiplier"
    rank = 1
    params = depthwise_params(1)


class DepthwiseConv2D(DepthwiseConv):
    """One kernel per input channel (× depth_multiplier); channels are not mixed."""

    help = "a separate kernel for each input channel; output channels = channels × " \
           "depth_multiplier"
    rank = 2
    params = depthwise_params(2)


LAYERS: tuple[type[Layer], ...] = (Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose,
                                   Conv3DTranspose, SeparableConv1D, SeparableConv2D,
                                   DepthwiseConv1D, DepthwiseConv2D)
