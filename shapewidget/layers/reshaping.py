"""Reshaping layers: Reshape, Permute, RepeatVector, ZeroPadding1D/2D/3D,
Cropping1D/2D/3D, UpSampling1D/2D/3D (Flatten lives with the core layers).

None of them has weights. The padding, cropping and up-sampling layers share one base
class: they change each spatial axis by the same rule and leave the others alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..params import (
    REQUIRED,
    IntListParam,
    IntParam,
    IntTupleParam,
    OpenChoiceParam,
    PairsParam,
    TargetShapeParam,
    data_format_param,
    to_code,
)
from ..shapes import (
    Dim,
    Shape,
    format_shape,
    num_values,
    product_expression,
    resolve_reshape,
    spatial_axes,
)
from ..text import Msg, register
from .base import Computed, Layer, reject, require_rank

register("reshape.explain",
         "{expr} = {n} values per sample → {out}: {texpr} = {n}, the same number of values.",
         "1 サンプルあたり {expr} = {n} 個の値 → {out}: {texpr} = {n} で、値の数は同じです。")
register("reshape.explain.infer",
         "{expr} = {n} values per sample → {out}: the -1 becomes {n} / {known} = {size}.",
         "1 サンプルあたり {expr} = {n} 個の値 → {out}: -1 は {n} / {known} = {size} に"
         "なります。")
register("reshape.explain.unknown",
         "A size is unknown ({expr}), so Keras cannot count the values and does not check "
         "target_shape {target} → {out}; a wrong target_shape only fails when the model runs.",
         "サイズに不明なもの（{expr}）があるので、Keras は値の数を数えられず target_shape "
         "{target} を確かめません → {out}。target_shape が間違っていてもモデルの実行時まで"
         "エラーになりません。")
register("reshape.explain.unknown_target",
         "target_shape {target} has an unknown size (None), so Keras does not check it "
         "against the {expr} values of the input → {out}; a wrong target_shape only fails "
         "when the model runs.",
         "target_shape {target} に不明なサイズ（None）があるので、Keras は入力の {expr} 個の"
         "値と照らし合わせません → {out}。target_shape が間違っていてもモデルの実行時まで"
         "エラーになりません。")
register("reshape.count_mismatch",
         "target_shape {target} holds {texpr} = {m} values, but the input {shape} holds "
         "{expr} = {n} values per sample; Reshape must keep the number of values.",
         "target_shape {target} は {texpr} = {m} 個の値ですが、入力 {shape} は 1 サンプル"
         "あたり {expr} = {n} 個の値です。Reshape は値の数を変えられません。")
register("reshape.fix.count_mismatch",
         "choose sizes that multiply to {n}, or write -1 for one size to let Keras infer "
         "it, e.g. {suggestion}.",
         "掛けて {n} になるサイズにするか、一つのサイズを -1 にして Keras に推定させます"
         "（例: {suggestion}）。")
register("reshape.infer_mismatch",
         "the known sizes of target_shape {target} multiply to {known}, which does not "
         "divide the {expr} = {n} values per sample of the input {shape}, so the -1 has no "
         "whole-number size.",
         "target_shape {target} の既知のサイズの積は {known} で、入力 {shape} の 1 サンプル"
         "あたりの値の数 {expr} = {n} を割り切れないため、-1 を整数のサイズにできません。")
register("reshape.fix.infer_mismatch",
         "make the product of the other sizes a divisor of {n}.",
         "他のサイズの積が {n} の約数になるようにします。")
register("permute.bad_dims",
         "dims must use each axis 1 … {count} exactly once (the batch axis 0 is left out), "
         "received {received}.",
         "dims は軸 1 … {count} をちょうど一度ずつ使う必要があります（バッチ軸 0 は書きません）"
         "が、{received} を受け取りました。")
register("permute.fix.bad_dims", "list the axes 1 … {count} in the new order, e.g. {example}.",
         "軸 1 … {count} を新しい順に並べます（例: {example}）。")
register("permute.explain",
         "Output axis i is input axis dims[i] (batch axis kept first): {mapping} → {out}.",
         "出力の軸 i は入力の軸 dims[i] です（バッチ軸は先頭のまま）: {mapping} → {out}。")
register("repeat_vector.explain",
         "Each sample's {features} values are repeated {n} times along a new axis → {out}.",
         "各サンプルの {features} 個の値を新しい軸に沿って {n} 回繰り返します → {out}。")
register("spatial.explain.1",
         "{type} changes only the steps axis; the batch and feature axes pass through "
         "→ {out}. No weights.",
         "{type} はステップの軸だけを変え、バッチ軸と特徴の軸はそのまま通します → {out}。"
         "重みはありません。")
register("spatial.explain.2",
         "{type} changes only the height and width axes; the batch and channel axes pass "
         "through → {out}. No weights.",
         "{type} は高さと幅の軸だけを変え、バッチ軸とチャンネル軸はそのまま通します → {out}。"
         "重みはありません。")
register("spatial.explain.3",
         "{type} changes only the depth, height and width axes; the batch and channel axes "
         "pass through → {out}. No weights.",
         "{type} は奥行き・高さ・幅の軸だけを変え、バッチ軸とチャンネル軸はそのまま通します "
         "→ {out}。重みはありません。")
register("param.expected.pairs3",
         "an integer, a tuple of 3 integers >= 0 (depth, height, width), or a tuple of 3 "
         "pairs ((front, back), (top, bottom), (left, right))",
         "整数、0 以上の整数 3 個のタプル（奥行き, 高さ, 幅）、または 3 組のペア "
         "((前, 後), (上, 下), (左, 右)) のタプル")
register("param.expected.pairs3_min",
         "an integer >= 0, a tuple of 3 integers >= 0 (depth, height, width), or a tuple "
         "of 3 pairs ((front, back), (top, bottom), (left, right))",
         "0 以上の整数、0 以上の整数 3 個のタプル（奥行き, 高さ, 幅）、または 3 組のペア "
         "((前, 後), (上, 下), (左, 右)) のタプル")
register("spatial.axis_unknown", "Axis {axis}: unknown size, stays unknown.",
         "軸 {axis}: サイズが不明なので不明のままです。")
register("zero_padding.axis", "Axis {axis}: {expr} = {out} (zeros added before and after).",
         "軸 {axis}: {expr} = {out}（前後に 0 を追加）。")
register("zero_padding.negative",
         "on axis {axis} the padding gives {expr} = {out} values: negative padding removes "
         "values and cannot remove more than the {length} there are.",
         "軸 {axis} でパディングの結果が {expr} = {out} 個になります。負のパディングは値を削り"
         "ますが、ある {length} 個より多くは削れません。")
register("zero_padding.fix.negative",
         "use padding >= 0; to remove values use a Cropping layer.",
         "パディングは 0 以上にします。値を削るには Cropping レイヤーを使います。")
register("cropping.axis", "Axis {axis}: {expr} = {out} (values cut off at both ends).",
         "軸 {axis}: {expr} = {out}（両端の値を切り取り）。")
register("cropping.too_much",
         "cropping {before} + {after} = {total} of the {length} values of axis {axis} "
         "leaves {left}; at least one value must remain.",
         "軸 {axis} の {length} 個の値から {before} + {after} = {total} 個を切り取ると {left} "
         "個になります。少なくとも 1 個は残す必要があります。")
register("cropping.fix.too_much",
         "crop fewer than {length} values in total on axis {axis}.",
         "軸 {axis} で切り取る数の合計を {length} 未満にします。")
register("up_sampling.axis", "Axis {axis}: {length} × {size} = {out} (each value repeated "
         "{size} times).",
         "軸 {axis}: {length} × {size} = {out}（各値を {size} 回繰り返し）。")
register("up_sampling.unknown_interpolation",
         "interpolation={value} is not one Keras knows ({known}); Keras accepts it when the "
         "model is built, but the model fails when it runs.",
         "interpolation={value} は Keras の知っている値（{known}）ではありません。Keras は"
         "モデルの構築時には受け付けますが、実行時にエラーになります。")

LAYOUTS = {
    (1, False): "batch, steps, features",
    (1, True): "batch, features, steps",
    (2, False): "batch, height, width, channels",
    (2, True): "batch, channels, height, width",
    (3, False): "batch, depth, height, width, channels",
    (3, True): "batch, channels, depth, height, width",
}


@dataclass(frozen=True)
class Pairs3Param(PairsParam):
    """:class:`~shapewidget.params.PairsParam` for three spatial axes (ZeroPadding3D,
    Cropping3D): ``n``, ``(d, h, w)`` or ``((front, back), (top, bottom), (left, right))``,
    an entry an int or a pair of ints >= 0."""

    rank: int = 3

    def expected(self) -> Msg:
        return Msg("param.expected.pairs3" if self.negative_int else "param.expected.pairs3_min")

    def validate(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and (
                value >= 0 or self.negative_int):
            return value
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 3:
            parts = tuple(v if isinstance(v, int) else tuple(v) if isinstance(v, Sequence)
                          and not isinstance(v, str) else v for v in value)
            if all(self._pair(v) is not None for v in parts):
                return parts
        raise self.fail(value)


class Reshape(Layer):
    """Gives each sample a new shape holding the same values."""
    drawing: ClassVar[dict[str, str]] = {"args": "target"}

    family = "reshaping"
    help = "gives each sample a new shape with the same number of values; one size may be -1"
    params = (
        TargetShapeParam("target_shape", REQUIRED,
                         "the new shape of one sample (batch axis left out); one -1 is "
                         "inferred"),
    )

    def compute(self, input_shape: Shape) -> Computed:
        dims = input_shape[1:]
        target: Shape = self.target_shape
        resolved = resolve_reshape(dims, target)
        values = {"expr": product_expression(dims), "target": to_code(target),
                  "shape": format_shape(input_shape)}
        if resolved is None:
            raise self._mismatch(dims, target, values)
        out = (input_shape[0], *resolved)
        n = num_values(dims)
        if n is None:
            note = Msg("reshape.explain.unknown", {**values, "out": format_shape(out)})
        elif None in target:
            note = Msg("reshape.explain.unknown_target", {**values, "out": format_shape(out)})
        elif -1 in target:
            known = num_values(tuple(d for d in target if d != -1))
            size = resolved[target.index(-1)]
            note = Msg("reshape.explain.infer", {**values, "n": f"{n:,}", "known": known,
                                                 "size": size, "out": format_shape(out)})
        else:
            note = Msg("reshape.explain", {**values, "n": f"{n:,}", "out": format_shape(out),
                                           "texpr": product_expression(target)})
        return Computed(out, (), (note,))

    @staticmethod
    def _mismatch(dims: Shape, target: Shape, values: dict[str, Any]) -> Exception:
        n = num_values(dims) or 0
        if -1 in target:
            known = num_values(tuple(d for d in target if d != -1))
            return reject("reshape.infer_mismatch", argument="target_shape", n=f"{n:,}",
                          known=known, fix=Msg("reshape.fix.infer_mismatch", {"n": f"{n:,}"}),
                          **values)
        candidates = [(*target[:i], -1, *target[i + 1:]) for i in range(len(target))]
        working = [c for c in candidates if resolve_reshape(dims, c) is not None]
        suggestion = to_code(working[0] if working else (-1,))
        return reject("reshape.count_mismatch", argument="target_shape", n=f"{n:,}",
                      m=f"{num_values(target):,}", texpr=product_expression(target),
                      fix=Msg("reshape.fix.count_mismatch",
                              {"n": f"{n:,}", "suggestion": suggestion}), **values)


class Permute(Layer):
    """Reorders the axes of each sample (the batch axis stays first)."""

    family = "reshaping"
    help = "reorders the axes (1-based, batch axis left out), e.g. dims=(2, 1) swaps two"
    params = (
        IntListParam("dims", REQUIRED, "the new order of the axes, counting from 1"),
    )

    def check_args(self) -> None:
        dims: tuple[int, ...] = self.dims
        count = len(dims)
        if sorted(dims) != list(range(1, count + 1)):
            example = to_code(tuple(range(count, 0, -1))) if count > 1 else "(2, 1)"
            raise reject("permute.bad_dims", argument="dims", count=max(count, 1),
                         received=to_code(dims),
                         fix=Msg("permute.fix.bad_dims", {"count": max(count, 1),
                                                          "example": example})
                         ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        dims: tuple[int, ...] = self.dims
        require_rank(input_shape, len(dims) + 1,
                     "batch, " + ", ".join(f"axis {d}" for d in range(1, len(dims) + 1)))
        out = (input_shape[0], *(input_shape[d] for d in dims))
        mapping = ", ".join(f"{i} ← {d} ({input_shape[d]})" for i, d in enumerate(dims, 1))
        return Computed(out, (), (Msg("permute.explain", {"mapping": mapping or "–",
                                                          "out": format_shape(out)}),))


class RepeatVector(Layer):
    """Repeats each sample's vector ``n`` times: ``(batch, f)`` → ``(batch, n, f)``."""

    family = "reshaping"
    help = "repeats each input vector n times: (batch, features) → (batch, n, features)"
    params = (IntParam("n", REQUIRED, "how many times to repeat"),)

    def compute(self, input_shape: Shape) -> Computed:
        require_rank(input_shape, 2, "batch, features")
        out = (input_shape[0], self.n, input_shape[1])
        features = "?" if input_shape[1] is None else input_shape[1]
        return Computed(out, (), (Msg("repeat_vector.explain", {
            "features": features, "n": self.n, "out": format_shape(out)}),))


def signed_sum(length: int, *terms: int) -> str:
    """``"50 + 1 + 1"``, ``"50 − 2 − 3"``: the arithmetic shown in explanations."""
    text = str(length)
    for t in terms:
        text += f" + {t}" if t >= 0 else f" − {-t}"
    return text


class _SpatialLayer(Layer):
    """Changes each spatial axis by its own rule (:meth:`resize`); no weights."""

    family = "reshaping"
    spatial_rank: ClassVar[int] = 1

    def channels_first(self) -> bool:
        data_format = self._values.get("data_format")
        return isinstance(data_format, str) and data_format.lower() == "channels_first"

    def pair(self, name: str, index: int) -> tuple[int, int]:
        """(before, after) of spatial axis ``index`` from a padding/cropping argument."""
        param = self.param(name)
        assert isinstance(param, PairsParam)
        return param.expand(self._values[name])[index]

    def resize(self, index: int, axis: int, length: int) -> tuple[int, Msg]:
        """The new size of spatial axis ``index`` (``axis`` counts the batch axis)."""
        raise NotImplementedError

    def extra_notes(self) -> tuple[Msg, ...]:
        return ()

    def compute(self, input_shape: Shape) -> Computed:
        first = self.channels_first()
        require_rank(input_shape, self.spatial_rank + 2, LAYOUTS[self.spatial_rank, first])
        out: list[Dim] = list(input_shape)
        notes: list[Msg] = []
        for index, axis in enumerate(spatial_axes(len(input_shape), first)):
            length = input_shape[axis]
            if length is None:
                notes.append(Msg("spatial.axis_unknown", {"axis": axis}))
                continue
            out[axis], note = self.resize(index, axis, length)
            notes.append(note)
        notes.append(Msg(f"spatial.explain.{self.spatial_rank}", {
            "type": self.type_name(), "out": format_shape(tuple(out))}))
        return Computed(tuple(out), (), (*notes, *self.extra_notes()))


class _ZeroPadding(_SpatialLayer):
    def resize(self, index: int, axis: int, length: int) -> tuple[int, Msg]:
        before, after = self.pair("padding", index)
        out = length + before + after
        expr = signed_sum(length, before, after)
        if out < 0:
            raise reject("zero_padding.negative", argument="padding", axis=axis, expr=expr,
                         out=out, length=length, fix=Msg("zero_padding.fix.negative"))
        return out, Msg("zero_padding.axis", {"axis": axis, "expr": expr, "out": out})


class _Cropping(_SpatialLayer):
    def resize(self, index: int, axis: int, length: int) -> tuple[int, Msg]:
        before, after = self.pair("cropping", index)
        left = length - before - after
        if left <= 0:
            raise reject("cropping.too_much", argument="cropping", axis=axis, before=before,
                         after=after, total=before + after, length=length, left=left,
                         fix=Msg("cropping.fix.too_much", {"length": length, "axis": axis}))
        return left, Msg("cropping.axis", {"axis": axis, "out": left,
                                           "expr": signed_sum(length, -before, -after)})


class _UpSampling(_SpatialLayer):
    def resize(self, index: int, axis: int, length: int) -> tuple[int, Msg]:
        size = self.size if isinstance(self.size, int) else self.size[index]
        out = length * size
        return out, Msg("up_sampling.axis", {"axis": axis, "length": length, "size": size,
                                             "out": out})


class ZeroPadding1D(_ZeroPadding):
    """Adds zeros at the start and end of the steps axis."""

    help = "adds zeros at both ends of the steps axis: steps + before + after"
    spatial_rank = 1
    params = (
        PairsParam("padding", 1, "zeros added at the start and end: n or (before, after)",
                   rank=1),
        data_format_param(),
    )


class ZeroPadding2D(_ZeroPadding):
    """Adds rows and columns of zeros around each image."""

    help = "adds rows and columns of zeros around each image: height + top + bottom, …"
    spatial_rank = 2
    params = (
        PairsParam("padding", (1, 1), "zeros added around the image: n, (rows, columns) or "
                   "((top, bottom), (left, right))", rank=2, negative_int=True),
        data_format_param(),
    )


class Cropping1D(_Cropping):
    """Cuts values off the start and end of the steps axis."""

    help = "cuts values off both ends of the steps axis: steps − before − after"
    spatial_rank = 1
    params = (
        PairsParam("cropping", (1, 1), "values cut off the start and end: n or "
                   "(before, after)", rank=1),
    )


class Cropping2D(_Cropping):
    """Cuts rows and columns off the edges of each image."""

    help = "cuts rows and columns off each image: height − top − bottom, …"
    spatial_rank = 2
    params = (
        PairsParam("cropping", ((0, 0), (0, 0)), "rows and columns cut off: n, "
                   "(rows, columns) or ((top, bottom), (left, right))", rank=2),
        data_format_param(),
    )


class UpSampling1D(_UpSampling):
    """Repeats each step ``size`` times along the steps axis."""

    help = "repeats each step size times: steps × size"
    spatial_rank = 1
    params = (IntParam("size", 2, "how many times each step is repeated"),)


INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


class UpSampling2D(_UpSampling):
    """Enlarges each image by whole factors: height × rows, width × columns."""

    help = "enlarges each image: height × size[0], width × size[1]"
    spatial_rank = 2
    params = (
        IntTupleParam("size", (2, 2), "enlargement factors: n or (rows, columns)", rank=2),
        data_format_param(),
        OpenChoiceParam("interpolation", "nearest", "how new values are filled in (does not "
                        "change the shape)", affects_shape=False, choices=INTERPOLATIONS),
    )

    def extra_notes(self) -> tuple[Msg, ...]:
        value: str = self.interpolation
        if value.lower() in INTERPOLATIONS:
            return ()
        return (Msg("up_sampling.unknown_interpolation", {
            "value": to_code(value), "known": ", ".join(INTERPOLATIONS)}),)


class ZeroPadding3D(_ZeroPadding):
    """Adds zeros around each volume: depth, height and width grow."""

    help = "adds zeros around each volume: depth + front + back, height + …, width + …"
    spatial_rank = 3
    params = (
        Pairs3Param("padding", ((1, 1), (1, 1), (1, 1)), "zeros added around the volume: n, "
                    "(d, h, w) or ((front, back), (top, bottom), (left, right))",
                    negative_int=True),
        data_format_param(),
    )


class Cropping3D(_Cropping):
    """Cuts values off the edges of each volume."""

    help = "cuts values off each volume: depth − front − back, height − …, width − …"
    spatial_rank = 3
    params = (
        Pairs3Param("cropping", ((1, 1), (1, 1), (1, 1)), "values cut off: n, (d, h, w) or "
                    "((front, back), (top, bottom), (left, right))"),
        data_format_param(),
    )


class UpSampling3D(_UpSampling):
    """Enlarges each volume by whole factors along depth, height and width."""

    help = "enlarges each volume: depth × size[0], height × size[1], width × size[2]"
    spatial_rank = 3
    params = (
        IntTupleParam("size", (2, 2, 2), "enlargement factors: n or (d, h, w)", rank=3),
        data_format_param(),
    )


LAYERS: tuple[type[Layer], ...] = (
    Reshape, Permute, RepeatVector, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, Cropping1D,
    Cropping2D, Cropping3D, UpSampling1D, UpSampling2D, UpSampling3D,
)
