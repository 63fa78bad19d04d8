"""Normalization layers: BatchNormalization and LayerNormalization.

Both keep the shape. Their weights span the normalized axis (BatchNormalization: one
axis, the channels by default) or axes (LayerNormalization: one or several), so the
sizes of those axes must be known.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    AxisParam,
    BoolParam,
    IntParam,
    JsonParam,
    NumberParam,
    carried,
    to_code,
)
from ..shapes import Dim, Shape, format_shape, normalize_axis
from ..text import LazyNotes, Msg, note, register
from .base import Computed, Layer, Weight, reject
from .wrappers import LayerParam, Wrapper, _inside

register("norm.axis_out_of_range",
         "axis {axis} does not exist in the input {shape} of rank {rank} (axes count the "
         "batch axis as 0; valid: {low} … {high}).",
         "軸 {axis} は ランク {rank} の入力 {shape} にありません（軸はバッチ軸を 0 と数えます。"
         "有効な範囲: {low} … {high}）。")
register("norm.fix.axis", "use -1 for the last axis (the channels of channels_last data).",
         "最後の軸（channels_last のチャンネル）には -1 を使います。")
register("norm.unknown_axis_size",
         "axis {axis} of the input {shape} has an unknown size, so the weights (one value "
         "per position on that axis) cannot be created.",
         "入力 {shape} の軸 {axis} のサイズが不明なため、重み（その軸の位置ごとに一つの値）を"
         "作れません。")
register("norm.fix.batch_axis",
         "axis 0 is the batch axis: normalize another axis, or give the input a fixed "
         "batch_size.",
         "軸 0 はバッチ軸です。別の軸を正規化するか、入力に固定の batch_size を指定します。")
register("norm.fix.unknown_axis_size", "give that axis a known size in the input shape.",
         "入力の形でその軸のサイズを決めます。")
register("batch_norm.synchronized",
         "synchronized=True works only with the TensorFlow backend; shapewidget follows "
         "Keras on the JAX backend.",
         "synchronized=True は TensorFlow バックエンドでしか使えません。shapewidget は JAX "
         "バックエンドの Keras に従います。")
register("batch_norm.fix.synchronized", "leave synchronized=False.",
         "synchronized=False のままにします。")
register("batch_norm.renorm_keys",
         "renorm_clipping may only have the keys rmax, rmin and dmax, received {received}.",
         "renorm_clipping のキーは rmax、rmin、dmax だけですが、{received} を受け取りました。")
register("batch_norm.renorm_order",
         "renorm_clipping needs rmax >= rmin, received rmax={rmax}, rmin={rmin}.",
         "renorm_clipping は rmax >= rmin でなければなりませんが、rmax={rmax}、rmin={rmin} を"
         "受け取りました。")
register("batch_norm.renorm_number",
         "renorm_clipping limits must be numbers, received {received}.",
         "renorm_clipping の上限・下限は数でなければなりませんが、{received} を受け取りました。")
register("batch_norm.renorm_dmax",
         "renorm_clipping needs dmax >= 0, received dmax={dmax}.",
         "renorm_clipping は dmax >= 0 でなければなりませんが、dmax={dmax} を受け取りました。")
register("batch_norm.fix.renorm",
         "give a dict such as {{\"rmax\": 3, \"rmin\": 0.33, \"dmax\": 5}}, or None.",
         "{{\"rmax\": 3, \"rmin\": 0.33, \"dmax\": 5}} のような dict か None を指定します。")
register("batch_norm.explain",
         "BatchNormalization keeps the shape {out} and normalizes each of the {size} "
         "positions of axis {axis} over the batch (and the other axes).",
         "BatchNormalization は形 {out} を保ち、軸 {axis} の {size} 個の位置それぞれを"
         "バッチ（と他の軸）にわたって正規化します。")
register("batch_norm.per_channel", "{per} values per channel:", "チャンネルごとに {per} 個の値:")
register("batch_norm.learned.both", "gamma and beta are learned ({expr} = {n:,} trainable);",
         "gamma と beta は学習されます（{expr} = {n:,} 個、学習する）。")
register("batch_norm.learned.gamma",
         "gamma is learned ({expr} = {n:,} trainable; center=False: no beta);",
         "gamma は学習されます（{expr} = {n:,} 個、学習する。center=False なので beta なし）。")
register("batch_norm.learned.beta",
         "beta is learned ({expr} = {n:,} trainable; scale=False: no gamma);",
         "beta は学習されます（{expr} = {n:,} 個、学習する。scale=False なので gamma なし）。")
register("batch_norm.learned.none",
         "nothing is learned (center=False, scale=False);",
         "何も学習しません（center=False、scale=False）。")
register("batch_norm.tracked.plain",
         "moving mean and variance are tracked ({expr} = {n:,} non-trainable).",
         "移動平均と移動分散は記録されます（{expr} = {n:,} 個、学習しない）。")
register("batch_norm.tracked.renorm",
         "moving mean, variance and stddev and the renorm mean and stddev are tracked "
         "(renorm=True: {expr} = {n:,} non-trainable).",
         "移動平均・移動分散・移動標準偏差と renorm の平均・標準偏差は記録されます"
         "（renorm=True: {expr} = {n:,} 個、学習しない）。")
register("norm.batch_axis",
         "axis {axis} is the batch axis: this only works with a fixed batch_size, and the "
         "weights then have one value per sample position in the batch.",
         "軸 {axis} はバッチ軸です。固定の batch_size のときだけ動き、重みはバッチ内の位置ごとに"
         "一つの値になります。")
register("layer_norm.explain",
         "LayerNormalization keeps the shape {out} and normalizes each sample over axes "
         "{axes}; gamma and beta have one value per position on those axes: {expr} = {size}.",
         "LayerNormalization は形 {out} を保ち、各サンプルを軸 {axes} にわたって正規化します。"
         "gamma と beta はその軸の位置ごとに一つの値を持ちます: {expr} = {size}。")
register("layer_norm.explain.no_axes",
         "LayerNormalization keeps the shape {out}; axis=[] names no axis, so gamma and beta "
         "are single numbers (shape ()).",
         "LayerNormalization は形 {out} を保ちます。axis=[] は軸を指定しないので、gamma と "
         "beta はただの一つの数（形 ()）です。")
register("layer_norm.explain.order",
         "Keras sorts the axis list as written ({sorted}) and repeats an axis listed twice, "
         "so the weights have shape {wshape}.",
         "Keras は axis のリストを書かれた値のまま並べ替え（{sorted}）、二度書かれた軸は繰り返す"
         "ので、重みの形は {wshape} になります。")
register("layer_norm.weights",
         "{names}: {count} × {size} = {total} trainable parameters.",
         "{names}: {count} × {size} = {total} 個の学習するパラメータ。")
register("layer_norm.weights.none",
         "center=False and scale=False: no weights.",
         "center=False かつ scale=False: 重みはありません。")
register("layer_norm.rms_scaling",
         "rms_scaling=True (deprecated): only gamma, no beta.",
         "rms_scaling=True（非推奨）: gamma だけで beta はありません。")


def axis_size(input_shape: Shape, axis: int, weighted: bool = True) -> Dim:
    """The size of ``axis`` of ``input_shape``, rejecting a missing axis, and an unknown
    size when weights span it (``weighted``)."""
    rank = len(input_shape)
    index = normalize_axis(axis, rank)
    if index is None:
        raise reject("norm.axis_out_of_range", argument="axis", axis=axis, rank=rank,
                     shape=format_shape(input_shape), low=-rank, high=rank - 1,
                     fix=Msg("norm.fix.axis"))
    size: Dim = input_shape[index]
    if size is None and weighted:
        fix = Msg("norm.fix.batch_axis" if index == 0 else "norm.fix.unknown_axis_size")
        raise reject("norm.unknown_axis_size", argument="axis", axis=axis,
                     shape=format_shape(input_shape), fix=fix)
    return size


_new = tuple.__new__  # a named tuple from a full tuple: Weight(...), faster

_TRACKED = ("moving_mean", "moving_variance")
_TRACKED_RENORM = (*_TRACKED, "moving_stddev", "renorm_mean", "renorm_stddev")


_Plan = tuple[tuple[tuple[str, bool], ...], int, int, str, str]


def _batch_norm_plan(scale: bool, center: bool, renorm: bool) -> _Plan:
    """What BatchNormalization's arguments decide, whatever the input: the weights
    (name, trainable) in Keras's order, how many are learned and tracked, and the keys
    of the notes that say so."""
    learned = tuple(name for name, on in (("gamma", scale), ("beta", center)) if on)
    tracked = _TRACKED_RENORM if renorm else _TRACKED
    which = "both" if len(learned) == 2 else learned[0] if learned else "none"
    return ((*((n, True) for n in learned), *((n, False) for n in tracked)),
            len(learned), len(tracked), f"batch_norm.learned.{which}",
            "batch_norm.tracked.renorm" if renorm else "batch_norm.tracked.plain")


_BATCH_NORM_PLANS = {(scale, center, renorm): _batch_norm_plan(scale, center, renorm)
                     for scale in (True, False) for center in (True, False)
                     for renorm in (True, False)}


def _batch_norm_notes(input_shape: Shape, axis: int, size: int,
                      plan: _Plan) -> tuple[Msg, ...]:
    """The explanation of :meth:`BatchNormalization.compute`'s result (when read)."""
    _, n_learned, n_tracked, learned_key, tracked_key = plan
    notes: tuple[Msg, ...] = (
        note("batch_norm.explain", {"out": input_shape, "size": size, "axis": axis}),
        note("batch_norm.per_channel", {"per": n_learned + n_tracked}),
        note(learned_key, {"expr": f"{n_learned} × {size}", "n": n_learned * size}),
        note(tracked_key, {"expr": f"{n_tracked} × {size}", "n": n_tracked * size}),
    )
    if axis == 0 or axis == -len(input_shape):
        notes += (note("norm.batch_axis", {"axis": axis}),)
    return notes


class BatchNormalization(Layer):
    """Normalizes each channel over the batch; learns a scale and shift per channel."""

    family = "normalization"
    rank_fixed_when_built = True  # Keras's built InputSpec(ndim=len(input_shape), …)
    help = ("normalizes each channel over the batch: gamma and beta are learned per channel, "
            "the moving mean and variance are tracked (non-trainable)")
    params = (
        AxisParam("axis", -1, "the channels axis, counting the batch axis as 0 (-1: last)"),
        NumberParam("momentum", 0.99, "how slowly the moving statistics follow the batches"),
        NumberParam("epsilon", 1e-3, "added to the variance to avoid dividing by zero"),
        BoolParam("center", True, "learn a shift beta per channel"),
        BoolParam("scale", True, "learn a scale gamma per channel"),
        JsonParam("beta_initializer", "zeros", "how beta starts", affects_shape=False),
        JsonParam("gamma_initializer", "ones", "how gamma starts", affects_shape=False),
        JsonParam("moving_mean_initializer", "zeros", "how the moving mean starts",
                  affects_shape=False),
        JsonParam("moving_variance_initializer", "ones", "how the moving variance starts",
                  affects_shape=False),
        *carried("beta_regularizer", "gamma_regularizer", "beta_constraint",
                 "gamma_constraint"),
        BoolParam("renorm", False, "batch renormalization: three more tracked statistics"),
        JsonParam("renorm_clipping", None, "limits for renorm: a dict with rmax, rmin, dmax",
                  affects_shape=False),
        NumberParam("renorm_momentum", 0.99, "momentum of the renorm statistics",
                    allow_none=True),
        BoolParam("synchronized", False, "synchronize statistics across devices "
                  "(TensorFlow backend only)", affects_shape=False),
    )

    def _fail(self, key: str, argument: str, fix: str | None = None, **values: Any) -> None:
        raise reject(key, argument=argument, fix=None if fix is None else Msg(fix),
                     **values).located(layer_type=self.type_name(), layer_name=self.name)

    def check_args(self) -> None:
        if self.synchronized:
            self._fail("batch_norm.synchronized", "synchronized", "batch_norm.fix.synchronized")
        clipping = self.renorm_clipping
        if not self.renorm or not clipping:
            return
        if not isinstance(clipping, dict) or set(clipping) - {"rmax", "rmin", "dmax"}:
            self._fail("batch_norm.renorm_keys", "renorm_clipping", "batch_norm.fix.renorm",
                       received=to_code(clipping))
        rmax, rmin, dmax = clipping.get("rmax"), clipping.get("rmin"), clipping.get("dmax")
        compared = [v for v in (rmax, rmin) if rmax is not None and rmin is not None]
        if dmax is not None:
            compared.append(dmax)
        bad = [v for v in compared if isinstance(v, bool) or not isinstance(v, int | float)]
        if bad:
            self._fail("batch_norm.renorm_number", "renorm_clipping", "batch_norm.fix.renorm",
                       received=to_code(bad[0]))
        if rmax is not None and rmin is not None and rmax < rmin:
            self._fail("batch_norm.renorm_order", "renorm_clipping", "batch_norm.fix.renorm",
                       rmax=rmax, rmin=rmin)
        if dmax is not None and dmax < 0:
            self._fail("batch_norm.renorm_dmax", "renorm_clipping", "batch_norm.fix.renorm",
                       dmax=dmax)

    def compute(self, input_shape: Shape) -> Computed:
        values = self._values
        axis: int = values["axis"]
        rank = len(input_shape)
        size = input_shape[axis] if -rank <= axis < rank else None
        if size is None:  # axis_size says why (or finds the size)
            size = axis_size(input_shape, axis)
            assert size is not None
        plan = _BATCH_NORM_PLANS[values["scale"], values["center"], values["renorm"]]
        one = (size,)
        weights = tuple([_new(Weight, (n, one, trainable)) for n, trainable in plan[0]])
        return _new(Computed, (input_shape, weights,
                               LazyNotes(_batch_norm_notes, (input_shape, axis, size, plan))))


class LayerNormalization(Layer):
    """Normalizes each sample over the given axes; learns a scale and shift for them."""

    family = "normalization"
    keyword_only = ("rms_scaling",)  # Keras reads it from **kwargs
    help = ("normalizes each sample over axis (an int or a list); gamma and beta span those "
            "axes")
    params = (
        AxisParam("axis", -1, "the axis or list of axes to normalize over (-1: last)",
                  allow_list=True),
        NumberParam("epsilon", 1e-3, "added to the variance to avoid dividing by zero",
                    allow_none=True),
        BoolParam("center", True, "learn a shift beta"),
        BoolParam("scale", True, "learn a scale gamma"),
        JsonParam("beta_initializer", "zeros", "how beta starts", affects_shape=False),
        JsonParam("gamma_initializer", "ones", "how gamma starts", affects_shape=False),
        *carried("beta_regularizer", "gamma_regularizer", "beta_constraint",
                 "gamma_constraint"),
        BoolParam("rms_scaling", False, "deprecated (use RMSNormalization): gamma only, "
                  "no beta (keyword only)"),
    )

    def compute(self, input_shape: Shape) -> Computed:
        axis = self.axis
        axes: list[int] = sorted(axis) if isinstance(axis, tuple) else [axis]
        names = []
        if self.scale or self.rms_scaling:
            names.append("gamma")
        if self.center and not self.rms_scaling:
            names.append("beta")
        sizes = [axis_size(input_shape, a, weighted=bool(names)) for a in axes]
        wshape = tuple(0 if d is None else d for d in sizes)
        size = 1
        for d in wshape:
            size *= d
        weights = tuple(Weight(n, wshape) for n in names)
        out = format_shape(input_shape)
        notes: list[Msg] = []
        if axes:
            notes.append(Msg("layer_norm.explain", {
                "out": out, "axes": to_code(axis),
                "size": "?" if None in sizes else f"{size:,}",
                "expr": " × ".join("?" if d is None else str(d) for d in sizes)}))
        else:
            notes.append(Msg("layer_norm.explain.no_axes", {"out": out}))
        placed = [a % len(input_shape) for a in axes]
        if isinstance(axis, tuple) and placed != sorted(set(placed)):
            notes.append(Msg("layer_norm.explain.order", {"sorted": to_code(axes),
                                                          "wshape": to_code(wshape)}))
        notes += [Msg("norm.batch_axis", {"axis": a}) for a in axes
                  if normalize_axis(a, len(input_shape)) == 0]
        if self.rms_scaling:
            notes.append(Msg("layer_norm.rms_scaling"))
        if names:
            notes.append(Msg("layer_norm.weights", {
                "names": " + ".join(f"{n} {to_code(wshape)}" for n in names),
                "count": len(names), "size": f"{size:,}", "total": f"{len(names) * size:,}"}))
        else:
            notes.append(Msg("layer_norm.weights.none"))
        return Computed(input_shape, weights, tuple(notes))



register("group_norm.groups",
         "groups must be a positive integer, or -1 (one group per channel: instance "
         "normalization); received groups={groups}.",
         "groups は正の整数か -1（チャンネルごとに一つのグループ: インスタンス正規化）でなければ"
         "なりませんが、groups={groups} を受け取りました。")
register("group_norm.fix.groups", "use groups=1 … the number of channels, or -1.",
         "groups を 1 からチャンネル数まで、または -1 にします。")
register("group_norm.too_many",
         "groups={groups} is more than the {size} channels of axis {axis} of the input "
         "{shape}.",
         "groups={groups} が入力 {shape} の軸 {axis} のチャンネル数 {size} より多いです。")
register("group_norm.not_divisible",
         "groups={groups} must divide the {size} channels of axis {axis} of the input "
         "{shape} evenly.",
         "groups={groups} は入力 {shape} の軸 {axis} のチャンネル数 {size} を割り切らなければ"
         "なりません。")
register("group_norm.fix.divisor", "use a number of groups that divides {size}, e.g. "
         "{example}.", "{size} を割り切るグループ数を使います（例: {example}）。")
register("group_norm.explain",
         "GroupNormalization keeps the shape {out}; it splits the {size} channels of axis "
         "{axis} into {groups} groups of {per} and normalizes each group of each sample.",
         "GroupNormalization は形 {out} を保ちます。軸 {axis} の {size} チャンネルを {per} "
         "チャンネルずつ {groups} グループに分け、各サンプルのグループごとに正規化します。")
register("group_norm.weights",
         "{names}: one value per channel, {count} × {size} = {total} trainable parameters.",
         "{names}: チャンネルごとに一つの値、{count} × {size} = {total} 個の学習するパラメータ。")
register("unit_norm.explain",
         "UnitNormalization keeps the shape {out} and scales each sample so that its values "
         "along axis {axes} have length (L2 norm) 1; no weights.",
         "UnitNormalization は形 {out} を保ち、各サンプルの軸 {axes} に沿った値の長さ"
         "（L2 ノルム）が 1 になるように縮尺します。重みはありません。")
register("rms_norm.explain",
         "RMSNormalization keeps the shape {out}, divides each sample by the root mean "
         "square of its values along axis {axes} and multiplies by a learned scale: "
         "scale {wshape} = {size} trainable parameters.",
         "RMSNormalization は形 {out} を保ち、各サンプルを軸 {axes} に沿った値の二乗平均"
         "平方根で割り、学習する scale を掛けます: scale {wshape} = {size} 個の学習する"
         "パラメータ。")


class GroupNormalization(Layer):
    """Normalizes groups of channels within each sample; gamma and beta per channel."""

    family = "normalization"
    rank_fixed_when_built = True  # Keras's built InputSpec(ndim=…, axes={axis: size})
    help = ("normalizes each sample over groups of channels; gamma and beta have one value "
            "per channel")
    params = (
        IntParam("groups", 32, "number of channel groups (-1: one per channel)", min=None),
        AxisParam("axis", -1, "the channels axis (-1: last)"),
        NumberParam("epsilon", 1e-3, "added to the variance to avoid dividing by zero"),
        BoolParam("center", True, "learn a shift beta per channel"),
        BoolParam("scale", True, "learn a scale gamma per channel"),
        JsonParam("beta_initializer", "zeros", "how beta starts", affects_shape=False),
        JsonParam("gamma_initializer", "ones", "how gamma starts", affects_shape=False),
        *carried("beta_regularizer", "gamma_regularizer", "beta_constraint",
                 "gamma_constraint"),
    )

    def check_args(self) -> None:
        groups: int = self._values["groups"]
        if groups <= 0 and groups != -1:
            raise reject("group_norm.groups", argument="groups", groups=groups,
                         fix=Msg("group_norm.fix.groups")
                         ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        axis: int = self._values["axis"]
        size = axis_size(input_shape, axis)
        assert size is not None
        groups: int = self._values["groups"]
        if groups == -1:
            groups = size
        shape = format_shape(input_shape)
        if size < groups:
            raise reject("group_norm.too_many", argument="groups", groups=groups, size=size,
                         axis=axis, shape=shape,
                         fix=Msg("group_norm.fix.divisor", {"size": size, "example": size}))
        if size % groups:
            example = max(d for d in range(1, groups + 1) if size % d == 0)
            raise reject("group_norm.not_divisible", argument="groups", groups=groups,
                         size=size, axis=axis, shape=shape,
                         fix=Msg("group_norm.fix.divisor", {"size": size,
                                                            "example": example}))
        names = [n for n, on in (("gamma", self._values["scale"]),
                                 ("beta", self._values["center"])) if on]
        weights = tuple(Weight(n, (size,)) for n in names)
        notes = [Msg("group_norm.explain", {"out": shape, "size": size, "axis": axis,
                                            "groups": groups, "per": size // groups})]
        if names:
            notes.append(Msg("group_norm.weights", {
                "names": " + ".join(f"{n} ({size},)" for n in names), "count": len(names),
                "size": f"{size:,}", "total": f"{len(names) * size:,}"}))
        else:
            notes.append(Msg("layer_norm.weights.none"))
        return Computed(input_shape, weights, tuple(notes))


class UnitNormalization(Layer):
    """Scales each sample to unit length (L2 norm) along the given axes."""

    family = "normalization"
    help = "scales each sample to length 1 along axis; no weights, same shape"
    params = (AxisParam("axis", -1, "the axis or list of axes of the vector (-1: last)",
                        allow_list=True),)

    def compute(self, input_shape: Shape) -> Computed:
        axis = self._values["axis"]
        for a in axis if isinstance(axis, tuple) else (axis,):
            axis_size(input_shape, a, weighted=False)
        return Computed(input_shape, (), (Msg("unit_norm.explain", {
            "out": format_shape(input_shape), "axes": to_code(axis)}),))


class RMSNormalization(Layer):
    """Divides by the root mean square along the axes; learns a scale for them."""

    family = "normalization"
    help = ("divides each sample by its root mean square along axis and learns a scale "
            "(one value per position on those axes)")
    params = (
        AxisParam("axis", -1, "the axis or list of axes to normalize over (-1: last)",
                  allow_list=True),
        NumberParam("epsilon", 1e-6, "added to avoid dividing by zero", allow_none=True),
    )

    def compute(self, input_shape: Shape) -> Computed:
        axis = self._values["axis"]
        axes = sorted(axis) if isinstance(axis, tuple) else [axis]
        sizes = [axis_size(input_shape, a) for a in axes]
        wshape = tuple(int(d) for d in sizes if d is not None)
        size = 1
        for d in wshape:
            size *= d
        return Computed(input_shape, (Weight("scale", wshape),), (Msg("rms_norm.explain", {
            "out": format_shape(input_shape), "axes": to_code(axis),
            "wshape": to_code(wshape), "size": f"{size:,}"}),))


register("spectral_norm.iterations",
         "power_iterations must be greater than zero; received power_iterations={value}.",
         "power_iterations は 0 より大きくなければなりませんが、power_iterations={value} を"
         "受け取りました。")
register("spectral_norm.fix.iterations", "use power_iterations=1 (the default) or more.",
         "power_iterations=1（既定値）以上にします。")
register("spectral_norm.no_kernel",
         "SpectralNormalization normalizes the kernel (or embeddings) of the layer it wraps, "
         "but {inner} has no such weight.",
         "SpectralNormalization は包んだレイヤーのカーネル（または embeddings）を正規化しますが、"
         "{inner} にはその重みがありません。")
register("spectral_norm.fix.no_kernel",
         "wrap a Dense, Conv, ConvTranspose, DepthwiseConv, EinsumDense or Embedding layer.",
         "Dense、Conv、ConvTranspose、DepthwiseConv、EinsumDense、Embedding のいずれかを"
         "包みます。")
register("spectral_norm.inner", "In the layer wrapped by SpectralNormalization:",
         "SpectralNormalization が包んだレイヤーで:")
register("spectral_norm.explain",
         "SpectralNormalization divides the {kernel} {shape} of {inner} by its largest "
         "singular value (estimated by {iterations} power iteration(s) while training), "
         "so the output is {inner}'s: {out}. It adds vector_u {u} (non-trainable: the "
         "iteration's vector, one value per output unit).",
         "SpectralNormalization は {inner} の {kernel} {shape} をその最大特異値（学習中に "
         "{iterations} 回のべき乗法で推定）で割るので、出力は {inner} のものと同じです: {out}。"
         "vector_u {u}（学習しない。反復のベクトルで、出力のユニットごとに一つの値）を"
         "加えます。")


class SpectralNormalization(Wrapper):
    """Wraps a layer and keeps the spectral norm of its kernel at 1 (e.g. for GANs)."""

    family = "normalization"
    kernel_weight: ClassVar[str] = "kernel"
    """The weight Keras finds as the layer's ``kernel`` attribute (read when wrapped)."""
    help = ("wraps a layer with a kernel and divides the kernel by its spectral norm; adds "
            "a non-trainable vector_u")
    params = (
        LayerParam("layer", REQUIRED, "the layer whose kernel is normalized (Dense, Conv2D, "
                   "…)"),
        IntParam("power_iterations", 1, "power iterations per training step", min=None,
                 affects_shape=False),
    )

    def check_args(self) -> None:
        value: int = self._values["power_iterations"]
        if value <= 0:
            raise reject("spectral_norm.iterations", argument="power_iterations",
                         value=value, fix=Msg("spectral_norm.fix.iterations")
                         ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        inner: Layer = self._values["layer"]
        try:
            result = inner.evaluate(input_shape)
        except ShapeError as err:
            raise _inside(err, "layer", Msg("spectral_norm.inner")) from None
        name: str | None = getattr(type(inner), "kernel_weight", None)
        found = [w for w in result.weights if w.name == name]
        if name is None or not found:
            raise reject("spectral_norm.no_kernel", argument="layer",
                         inner=inner.type_name(), fix=Msg("spectral_norm.fix.no_kernel"))
        kernel = found[0]
        u = Weight("vector_u", (1, kernel.shape[-1]), False)
        if inner.args.get("lora_rank"):
            weights = (u, *result.weights)  # the kernel is then a sum, not a variable
        else:
            rest = list(result.weights)
            rest.remove(kernel)
            weights = (kernel, u, *rest)
        note = Msg("spectral_norm.explain", {
            "kernel": name, "shape": to_code(kernel.shape), "inner": inner.type_name(),
            "iterations": self._values["power_iterations"], "out": format_shape(
                result.output_shape), "u": to_code(u.shape)})
        return Computed(result.output_shape, weights, (note, *result.notes))


LAYERS: tuple[type[Layer], ...] = (BatchNormalization, LayerNormalization,
                                   GroupNormalization, UnitNormalization, RMSNormalization,
                                   SpectralNormalization)
