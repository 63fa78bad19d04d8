"""Pooling layers: MaxPooling1D/2D/3D, AveragePooling1D/2D/3D, the global poolings and the
adaptive poolings (AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D).

Keras facts mirrored here (checked against Keras 3.15): pooling needs exactly
``rank + 2`` axes; the channels may be unknown (nothing is created from them);
``strides=None`` means ``strides = pool_size``; unlike the convolutions, pooling
``padding`` is case-sensitive (``"SAME"`` is refused) while ``data_format`` is not.
The adaptive poolings have no input spec: Keras builds them on an input of any rank
(``(batch, *output_size, last axis)``), reads ``data_format`` case-sensitively, and accepts
an output size of 0 but not a negative one.
"""

from __future__ import annotations

from typing import ClassVar

from ..params import REQUIRED, BoolParam, ChoiceParam, IntTupleParam, Param, to_code
from ..shapes import (
    Dim,
    Shape,
    conv_length_expression,
    format_shape,
    num_values,
    pool_output_length,
    product_expression,
)
from ..text import Msg, register
from .base import Computed, Layer, computed, reject
from .conv import SpatialLayer, data_format_param, ones

register("pool.formula.valid",
         "padding=\"valid\": each window must fit inside the input, so each spatial axis "
         "becomes ⌊(input − pool_size) / stride⌋ + 1.",
         "padding=\"valid\": 窓は入力の内側に収まる必要があるので、各空間軸は "
         "⌊(入力 − pool_size) / ストライド⌋ + 1 になります。")
register("pool.formula.same",
         "padding=\"same\": the edges are padded, so each spatial axis becomes "
         "⌈input / stride⌉.",
         "padding=\"same\": 端を埋めるので、各空間軸は ⌈入力 / ストライド⌉ になります。")
register("pool.strides_default",
         "strides=None, so the stride is the pool_size {pool_size}: the windows do not "
         "overlap.",
         "strides=None なので、ストライドは pool_size {pool_size} と同じで、窓は重なりません。")
register("pool.max", "Each window is replaced by its largest value; no weights.",
         "各窓はその最大値に置き換わります。重みはありません。")
register("pool.average", "Each window is replaced by its mean; no weights.",
         "各窓はその平均に置き換わります。重みはありません。")
register("global.max",
         "{type} takes the largest value of each channel over all spatial axes "
         "({expr} = {n} values), leaving one value per channel → {out}; no weights.",
         "{type} は各チャンネルについて全空間軸（{expr} = {n} 個の値）の最大値を取り、"
         "チャンネルごとに値を 1 つ残します → {out}。重みはありません。")
register("global.average",
         "{type} averages each channel over all spatial axes ({expr} = {n} values), leaving "
         "one value per channel → {out}; no weights.",
         "{type} は各チャンネルを全空間軸（{expr} = {n} 個の値）で平均し、チャンネルごとに"
         "値を 1 つ残します → {out}。重みはありません。")
register("global.keepdims",
         "keepdims=True keeps each pooled axis with size 1, so the output keeps rank {rank}.",
         "keepdims=True なので、プールした軸はサイズ 1 で残り、出力のランクは {rank} のままです。")


class Pooling(SpatialLayer):
    """MaxPooling/AveragePooling for ``rank`` spatial axes: a window slides, no weights."""
    drawing: ClassVar[dict[str, str]] = {"args": "pool"}

    family = "pooling"
    mode: ClassVar[str] = "max"

    def span(self, axis: int) -> int:
        return self.tuple_arg("pool_size")[axis]

    def window(self) -> tuple[str, str, str] | None:
        return ("pool_size", "window", "窓") if self.padding == "valid" else None

    def stride(self, axis: int) -> int:
        if self.strides is None:
            return self.tuple_arg("pool_size")[axis]
        return self.tuple_arg("strides")[axis]

    def output_length(self, length: Dim, axis: int) -> Dim:
        return pool_output_length(length, self.span(axis), self.stride(axis), self.padding)

    def length_expression(self, length: Dim, axis: int) -> str:
        return conv_length_expression(length, self.span(axis), self.stride(axis),
                                      self.padding)

    def lengths(self, shape: Shape, spatial: Shape) -> tuple[Shape, list[str]]:
        pool = self.tuple_arg("pool_size")
        strides = pool if self._values["strides"] is None else self.tuple_arg("strides")
        return self.window_lengths(shape, spatial, pool, strides, None)

    def output_lengths(self, shape: Shape, spatial: Shape) -> Shape:
        pool = self.tuple_arg("pool_size")
        strides = pool if self._values["strides"] is None else self.tuple_arg("strides")
        return self.window_output(shape, spatial, pool, strides, None)

    def compute(self, input_shape: Shape) -> Computed:
        spatial, channels = self.split(input_shape)
        out = self.join(input_shape[0], self.output_lengths(input_shape, spatial), channels)
        return computed(out, (), self.deferred_notes(Pooling.compute_notes, input_shape,
                                                     spatial, channels, out))

    def compute_notes(self, input_shape: Shape, spatial: Shape, channels: Dim,
                      out: Shape) -> list[Msg]:
        """The explanation of :meth:`compute`'s result (worked out when read)."""
        _, exprs = self.lengths(input_shape, spatial)
        values = self._values
        notes = [Msg(f"pool.formula.{values['padding']}")]
        if values["strides"] is None:
            notes.append(Msg("pool.strides_default", {"pool_size": values["pool_size"]}))
        notes += self.axes_note(exprs, "kept", out, filters=channels)
        notes.append(Msg(f"pool.{self.mode}"))
        return notes


def pooling_params(rank: int, pool_size_default: object) -> tuple[Param, ...]:
    """MaxPooling/AveragePooling arguments, in Keras's order."""
    return (
        IntTupleParam("pool_size", pool_size_default, "size of the window pooled into one "
                      "value", rank=rank),
        IntTupleParam("strides", None, "step between windows (None: pool_size, so windows "
                      "do not overlap)", rank=rank, allow_none=True),
        ChoiceParam("padding", "valid", "valid: windows stay inside the input; same: pad so "
                    "that stride 1 keeps the size", choices=("valid", "same")),
        data_format_param(),
    )


class MaxPooling1D(Pooling):
    """Keeps the largest value of each window along the steps axis."""

    help = "keeps the largest value of each window of pool_size steps"
    rank = 1
    params = pooling_params(1, ones(1, 2))


class MaxPooling2D(Pooling):
    """Keeps the largest value of each H×W window."""

    help = "keeps the largest value of each pool_size window; (2, 2) halves H and W"
    rank = 2
    params = pooling_params(2, ones(2, 2))


class MaxPooling3D(Pooling):
    """Keeps the largest value of each D×H×W window."""

    help = "keeps the largest value of each pool_size window; (2, 2, 2) halves D, H and W"
    rank = 3
    params = pooling_params(3, ones(3, 2))


class AveragePooling1D(Pooling):
    """Averages each window along the steps axis."""

    help = "averages each window of pool_size steps"
    rank = 1
    mode = "average"
    params = pooling_params(1, REQUIRED)


class AveragePooling2D(Pooling):
    """Averages each H×W window."""

    help = "averages each pool_size window"
    rank = 2
    mode = "average"
    params = pooling_params(2, REQUIRED)


class AveragePooling3D(Pooling):
    """Averages each D×H×W window."""

    help = "averages each pool_size window"
    rank = 3
    mode = "average"
    params = pooling_params(3, REQUIRED)


class GlobalPooling(SpatialLayer):
    """Pools every spatial axis away: one value per channel."""

    family = "pooling"
    mode: ClassVar[str] = "max"
    params: ClassVar[tuple[Param, ...]] = (
        data_format_param(),
        BoolParam("keepdims", False, "keep the pooled axes with size 1"),
    )

    def compute(self, input_shape: Shape) -> Computed:
        spatial, channels = self.split(input_shape)
        if self._values["keepdims"]:
            out = self.join(input_shape[0], (1,) * self.rank, channels)
        else:
            out = (input_shape[0], channels)
        return computed(out, (), self.deferred_notes(GlobalPooling.compute_notes, spatial,
                                                     out))

    def compute_notes(self, spatial: Shape, out: Shape) -> list[Msg]:
        """The explanation of :meth:`compute`'s result (worked out when read)."""
        n = num_values(spatial)
        notes = [Msg(f"global.{self.mode}", {
            "type": self.type_name(), "expr": product_expression(spatial),
            "n": "?" if n is None else f"{n:,}", "out": out})]
        if self.keepdims:
            notes.append(Msg("global.keepdims", {"rank": len(out)}))
        return notes


class GlobalAveragePooling1D(GlobalPooling):
    """Averages over the steps axis: ``(batch, steps, channels)`` → ``(batch, channels)``."""
    drawing: ClassVar[dict[str, str]] = {"args": "global-average"}

    help = "averages over the steps axis: one value per channel"
    rank = 1
    mode = "average"


class GlobalAveragePooling2D(GlobalPooling):
    """Averages over H and W: ``(batch, H, W, channels)`` → ``(batch, channels)``."""
    drawing: ClassVar[dict[str, str]] = {"args": "global-average"}

    help = "averages over H and W: one value per channel"
    rank = 2
    mode = "average"


class GlobalAveragePooling3D(GlobalPooling):
    """Averages over D, H and W: one value per channel."""
    drawing: ClassVar[dict[str, str]] = {"args": "global-average"}

    help = "averages over D, H and W: one value per channel"
    rank = 3
    mode = "average"


class GlobalMaxPooling1D(GlobalPooling):
    """The largest value over the steps axis, per channel."""
    drawing: ClassVar[dict[str, str]] = {"args": "global-max"}

    help = "the largest value over the steps axis: one value per channel"
    rank = 1


class GlobalMaxPooling2D(GlobalPooling):
    """The largest value over H and W, per channel."""
    drawing: ClassVar[dict[str, str]] = {"args": "global-max"}

    help = "the largest value over H and W: one value per channel"
    rank = 2


class GlobalMaxPooling3D(GlobalPooling):
    """The largest value over D, H and W, per channel."""
    drawing: ClassVar[dict[str, str]] = {"args": "global-max"}

    help = "the largest value over D, H and W: one value per channel"
    rank = 3


register("adaptive.explain",
         "{type} divides each spatial axis into output_size {size} nearly equal windows "
         "(their sizes adapt to the input) and takes the {op} of each: {expr} → {out}; the "
         "channels are kept; no weights.",
         "{type} は各空間軸を output_size {size} 個のほぼ等しい窓に分け（窓の大きさは入力に"
         "合わせて変わります）、それぞれの{op_ja}を取ります: {expr} → {out}。チャンネルは"
         "そのままで、重みはありません。")
register("adaptive.rank",
         "Keras builds {type} on this input of rank {rank} (it expects rank {expected}: "
         "{layout}) without checking, but the model fails when it runs.",
         "Keras はこのランク {rank} の入力（必要なのはランク {expected}: {layout}）で {type} "
         "を確かめずに構築しますが、モデルは実行時にエラーになります。")
register("adaptive.no_channels",
         "{type} with data_format=\"channels_first\" reads the channels from axis 1, but "
         "the input {shape} has only the batch axis.",
         "data_format=\"channels_first\" の {type} はチャンネルを軸 1 から読みますが、入力 "
         "{shape} にはバッチ軸しかありません。")
register("adaptive.fix.no_channels", "give the input a channels axis.",
         "入力にチャンネル軸を加えます。")


class AdaptivePooling(SpatialLayer):
    """Pools each spatial axis into ``output_size`` windows whose size follows the input."""

    family = "pooling"
    mode: ClassVar[str] = "max"

    def compute(self, input_shape: Shape) -> Computed:
        size = self.tuple_arg("output_size")
        first = self._values["data_format"] == "channels_first"
        if first:
            if len(input_shape) < 2:
                raise reject("adaptive.no_channels", type=self.type_name(),
                             shape=format_shape(input_shape),
                             fix=Msg("adaptive.fix.no_channels"))
            channels = input_shape[1]
            out: Shape = (input_shape[0], channels, *size)
        else:
            channels = input_shape[-1]
            out = (input_shape[0], *size, channels)
        notes = [Msg("adaptive.explain", {
            "type": self.type_name(), "size": to_code(self._values["output_size"]),
            "op": "largest value" if self.mode == "max" else "mean",
            "op_ja": "最大値" if self.mode == "max" else "平均",
            "expr": " × ".join(f"{'?' if d is None else d} → {s}" for d, s in zip(
                input_shape[2:] if first else input_shape[1:-1], size, strict=False)),
            "out": format_shape(out)})]
        if len(input_shape) != self.rank + 2:
            notes.append(Msg("adaptive.rank", {"type": self.type_name(),
                                               "rank": len(input_shape),
                                               "expected": self.rank + 2,
                                               "layout": self.layout()}))
        return computed(out, (), tuple(notes))


def adaptive_params(rank: int) -> tuple[Param, ...]:
    return (
        IntTupleParam("output_size", REQUIRED, "the size of each spatial axis of the output "
                      "(the windows adapt to the input)", rank=rank, min=0),
        ChoiceParam("data_format", None, "channels_last (batch, …, channels) or "
                    "channels_first (batch, channels, …), exactly in lower case; None means "
                    "channels_last", choices=(None, "channels_last", "channels_first")),
    )


class AdaptiveAveragePooling1D(AdaptivePooling):
    """Averages the steps axis into ``output_size`` windows."""

    help = "averages the steps axis into output_size windows: steps becomes output_size"
    rank = 1
    mode = "average"
    params = adaptive_params(1)


class AdaptiveAveragePooling2D(AdaptivePooling):
    """Averages H and W into ``output_size`` windows."""

    help = "averages H and W into output_size windows: (H, W) becomes output_size"
    rank = 2
    mode = "average"
    params = adaptive_params(2)


class AdaptiveAveragePooling3D(AdaptivePooling):
    """Averages D, H and W into ``output_size`` windows."""

    help = "averages D, H and W into output_size windows: (D, H, W) becomes output_size"
    rank = 3
    mode = "average"
    params = adaptive_params(3)


class AdaptiveMaxPooling1D(AdaptivePooling):
    """The largest value of each of ``output_size`` windows of the steps axis."""

    help = "the largest value of output_size windows of the steps axis"
    rank = 1
    params = adaptive_params(1)


class AdaptiveMaxPooling2D(AdaptivePooling):
    """The largest value of each of ``output_size`` windows over H and W."""

    help = "the largest value of output_size windows over H and W"
    rank = 2
    params = adaptive_params(2)


class AdaptiveMaxPooling3D(AdaptivePooling):
    """The largest value of each of ``output_size`` windows over D, H and W."""

    help = "the largest value of output_size windows over D, H and W"
    rank = 3
    params = adaptive_params(3)


LAYERS: tuple[type[Layer], ...] = (
    MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D, AveragePooling2D,
    AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D, AdaptiveAveragePooling3D, AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
)
