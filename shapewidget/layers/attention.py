"""Attention layers: MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention.

Each takes several tensors, so it fits the functional API only. In a spec the tensors are
the entry's ``inbound`` list, in Keras's order:

- ``MultiHeadAttention`` and ``GroupQueryAttention``: ``"inbound": [query, value]`` or
  ``[query, value, key]`` (the key is the value when left out), called as Keras calls them,
  with separate tensors: ``mha(query, value)`` or ``mha(query, value, key)``
  (:attr:`separate_tensors`). Self-attention names one tensor twice: ``[x, x]``.
- ``Attention`` and ``AdditiveAttention``: the same ``[query, value]`` or
  ``[query, value, key]``, called on a list as Keras calls them: ``att([q, v])``.

A Sequential model passes one tensor from layer to layer, so none of them can stand in
one: Keras refuses ``mha(x)`` (``value`` is missing) and ``Attention()(x)`` (not a list),
and so does shapewidget. The call arguments (``attention_mask``, ``use_causal_mask``,
``return_attention_scores``) have no place in a spec yet; they change no output shape
except ``return_attention_scores``, which is not supported.

Keras facts mirrored here (checked against Keras 3.15): MultiHeadAttention checks only
that value and key agree on every axis but the last (and the batch), that the feature
sizes are known, and that ``attention_axes`` index the projected value; query and value
may have different ranks and lengths. Its output is the query's shape with the last axis
replaced by ``output_shape`` (default: the query's feature size). Attention and
AdditiveAttention check only the list's length: their output is the query's shape with
the value's last axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    NumberParam,
    Param,
    carried,
    is_int,
    seed_param,
)
from ..shapes import Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, computed, reject, weight

# --- messages ---------------------------------------------------------------------------

register("attention.expected.axes", "None, an integer axis or a list of integer axes",
         "None、整数の軸、または整数の軸のリスト")
register("attention.expected.output_shape",
         "None, an integer >= 1 or a tuple of integers >= 1 (0 or () mean None)",
         "None、1 以上の整数、または 1 以上の整数のタプル（0 や () は None と同じ）")
register("attention.needs_query_value",
         "{type} is called on a query and a value tensor ({example}), but here it receives "
         "one tensor {shape}.",
         "{type} はクエリと値（value）の二つのテンソルに対して呼び出します（{example}）。"
         "ここでは一つのテンソル {shape} しか受け取っていません。")
register("attention.fix.needs_query_value",
         "use the functional API with \"inbound\": [query, value] (or [query, value, key]); "
         "for self-attention name one tensor twice, e.g. [\"x\", \"x\"]. A Sequential model "
         "passes only one tensor from layer to layer.",
         "Functional API で \"inbound\": [query, value]（または [query, value, key]）と"
         "指定します。自己注意なら同じテンソルを二度書きます（例: [\"x\", \"x\"]）。"
         "Sequential モデルはレイヤーからレイヤーへテンソルを一つしか渡しません。")
register("attention.count",
         "{type} takes 2 or 3 tensors (query, value, optional key), received {count}: "
         "{shapes}.",
         "{type} が受け取るテンソルは 2 個か 3 個（query、value、省略可能な key）ですが、"
         "{count} 個を受け取りました: {shapes}。")
register("attention.fix.count", "give \"inbound\": [query, value] or [query, value, key].",
         "\"inbound\": [query, value] または [query, value, key] と指定します。")
register("attention.value_key_mismatch",
         "{type}: every axis of value {value} and key {key_shape} except the last one must be "
         "equal (the key scores each value position).",
         "{type}: value {value} と key {key_shape} は最後の軸以外のすべての軸が等しい必要が"
         "あります（key が value の各位置の重みを決めます）。")
register("attention.fix.value_key_mismatch",
         "give key and value the same length (the same axes but the features).",
         "key と value の長さ（特徴量以外の軸）をそろえます。")
register("attention.unknown_features",
         "the last axis of the {which} {shape} has an unknown size, so the {which} "
         "projection's kernel cannot be created.",
         "{which} {shape} の最後の軸のサイズが不明なため、{which} の射影のカーネルを"
         "作れません。")
register("attention.fix.unknown_features", "give the {which} a known feature size.",
         "{which} の特徴量のサイズを指定します。")
register("attention.axes_out_of_range",
         "attention_axes {axes}: axis {axis} is outside the projected value, which has "
         "{rank} axes (batch, the value's axes, heads, features).",
         "attention_axes {axes}: 軸 {axis} は射影後の value（軸 {rank} 個: バッチ、value の"
         "軸、ヘッド、特徴量）の範囲外です。")
register("attention.fix.axes_out_of_range",
         "choose axes of the value between the batch and the features, e.g. "
         "attention_axes=(1,) or None for all of them.",
         "バッチと特徴量の間にある value の軸を選びます（例: attention_axes=(1,)、すべてなら "
         "None）。")
register("attention.flash_dropout",
         "dropout={dropout} is not supported when flash_attention=True.",
         "flash_attention=True のときは dropout={dropout} を使えません。")
register("attention.fix.flash_dropout", "set dropout=0.0, or leave flash_attention unset.",
         "dropout=0.0 にするか、flash_attention を指定しないでおきます。")
register("attention.gqa_divisible",
         "num_query_heads={q} must be divisible by num_key_value_heads={kv}: each key/value "
         "head is shared by a group of query heads.",
         "num_query_heads={q} は num_key_value_heads={kv} で割り切れる必要があります。"
         "key/value の各ヘッドをクエリのヘッドのグループで共有するからです。")
register("attention.fix.gqa_divisible",
         "choose num_key_value_heads among the divisors of {q}, e.g. {example}.",
         "num_key_value_heads を {q} の約数から選びます（例: {example}）。")
register("attention.gqa_rank",
         "GroupQueryAttention takes (batch, length, features) tensors of rank 3, received "
         "the {which} {shape} of rank {rank}.",
         "GroupQueryAttention が受け取るのはランク 3 の (バッチ, 長さ, 特徴量) テンソルですが、"
         "ランク {rank} の {which} {shape} を受け取りました。")
register("attention.fix.gqa_rank", "Reshape the tensor to (length, features) first.",
         "先に Reshape で (長さ, 特徴量) にします。")
register("attention.gqa_features",
         "GroupQueryAttention: the query {query} and the value {value} must have the same "
         "feature size (last axis).",
         "GroupQueryAttention: query {query} と value {value} の特徴量のサイズ（最後の軸）"
         "は同じである必要があります。")
register("attention.fix.gqa_features", "give query and value the same last axis (a Dense "
         "before one of them).",
         "query と value の最後の軸をそろえます（どちらかの前に Dense を置くなど）。")
register("attention.which.query", "query", "query")
register("attention.which.value", "value", "value")
register("attention.which.key", "key", "key")

register("mha.explain.shape",
         "MultiHeadAttention projects the query {q} into {h} heads of key_dim {k}, the key "
         "{key} into {h} heads of {k} and the value {v} into {h} heads of value_dim {vd}; "
         "each query position takes a weighted sum of the value positions (weights from "
         "query·key). The heads are projected back to {out_last}: {why} → {out}.",
         "MultiHeadAttention は query {q} を key_dim {k} の {h} 個のヘッドに、key {key} を "
         "{k} の {h} 個のヘッドに、value {v} を value_dim {vd} の {h} 個のヘッドに射影します。"
         "query の各位置は value の各位置の重み付き和をとります（重みは query·key から）。"
         "ヘッドは {out_last} に射影し戻されます: {why} → {out}。")
register("mha.why.query",
         "the output's last axis is the query's feature size {d}, as output_shape is not "
         "given (the rest follows the query)",
         "output_shape が指定されていないので、出力の最後の軸は query の特徴量のサイズ {d} "
         "です（残りの軸は query に従います）")
register("mha.why.output_shape",
         "output_shape={given} replaces the query's last axis (the rest follows the query)",
         "output_shape={given} が query の最後の軸を置き換えます（残りの軸は query に従います）")
register("mha.explain.params",
         "Parameters: query d_q·h·k + h·k = {dq}·{h}·{k} + {h}·{k} = {pq}, key "
         "{dk}·{h}·{k} + {h}·{k} = {pk}, value {dv}·{h}·{vd} + {h}·{vd} = {pv}, output "
         "h·v·d_out + d_out = {h}·{vd}·{dout} + {dout} = {po}; total {total}.",
         "パラメータ: query d_q·h·k + h·k = {dq}·{h}·{k} + {h}·{k} = {pq}、key "
         "{dk}·{h}·{k} + {h}·{k} = {pk}、value {dv}·{h}·{vd} + {h}·{vd} = {pv}、出力 "
         "h·v·d_out + d_out = {h}·{vd}·{dout} + {dout} = {po}。合計 {total}。")
register("mha.explain.params_same",
         "Parameters: 3·(d·h·k + h·k) + (h·v·d + d) = 3·({d}·{h}·{k} + {h}·{k}) + "
         "({h}·{k}·{d} + {d}) = {total}.",
         "パラメータ: 3·(d·h·k + h·k) + (h·v·d + d) = 3·({d}·{h}·{k} + {h}·{k}) + "
         "({h}·{k}·{d} + {d}) = {total}。")
register("mha.explain.no_bias",
         "use_bias=False: only the kernels, {total} parameters.",
         "use_bias=False: カーネルのみで、パラメータは {total} 個です。")
register("mha.explain.gate",
         "use_gate=True adds a gate projection of the query {dq}·{h}·{vd}{bias} = {pg} "
         "parameters: {all} in all.",
         "use_gate=True で query のゲート射影 {dq}·{h}·{vd}{bias} = {pg} 個のパラメータが"
         "加わり、全部で {all} 個です。")
register("mha.explain.axes",
         "attention_axes={axes}: attention runs over those axes of the projected tensors "
         "(batch, the value's axes, heads, features); the shapes do not change.",
         "attention_axes={axes}: 射影後のテンソル（バッチ、value の軸、ヘッド、特徴量）の"
         "それらの軸に沿って注意を計算します。形は変わりません。")
register("mha.explain.weights",
         "Its weights, in Keras's order: {names} (each named kernel or bias inside its "
         "projection).",
         "重みは Keras の順に {names} です（射影ごとに kernel や bias という名前）。")
register("gqa.explain",
         "GroupQueryAttention projects the query {q} into {hq} heads of {hd} and the "
         "key {key} and value {v} into {hkv} heads of {hd}, each shared by {rep} query "
         "heads; the output keeps the query's shape → {out}.",
         "GroupQueryAttention は query {q} を {hd} の {hq} 個のヘッドに、key {key} と "
         "value {v} を {hd} の {hkv} 個のヘッドに射影し、それぞれを {rep} 個のクエリの"
         "ヘッドで共有します。出力は query の形のままです → {out}。")
register("gqa.explain.params",
         "Parameters: query {dq}·{hq}·{hd}{bq} = {pq}, key {dk}·{hkv}·{hd}{bkv} = {pk}, "
         "value {dv}·{hkv}·{hd}{bkv} = {pv}, output {hq}·{hd}·{dq}{bo} = {po}; total {total}.",
         "パラメータ: query {dq}·{hq}·{hd}{bq} = {pq}、key {dk}·{hkv}·{hd}{bkv} = {pk}、"
         "value {dv}·{hkv}·{hd}{bkv} = {pv}、出力 {hq}·{hd}·{dq}{bo} = {po}。合計 {total}。")
register("dot_attention.explain",
         "{type} scores every query position of {q} against every key position of {key} "
         "and takes the weighted sum of the value {v}: the query's shape with the value's "
         "last axis {d} → {out}.",
         "{type} は {q} の query の各位置と {key} の key の各位置の得点を求め、value {v} "
         "の重み付き和をとります: query の形で、最後の軸が value の {d} → {out}。")
register("dot_attention.weights",
         "Weights: {names} (one number each{extra}).",
         "重み: {names}（それぞれ数一つ{extra}）。")
register("additive_attention.scale",
         "use_scale=True: a scale of the query's feature size {d} ({d} parameters).",
         "use_scale=True: query の特徴量のサイズ {d} のスケール（パラメータ {d} 個）。")
register("dot_attention.no_weights", "No weights.", "重みはありません。")


# --- arguments --------------------------------------------------------------------------


class _AxesParam(Param):
    """``attention_axes``: ``None``, an int or a list of ints (kept as given, lists as
    tuples)."""

    def expected(self) -> Msg:
        return Msg("attention.expected.axes")

    def validate(self, value: Any) -> Any:
        if value is None or is_int(value):
            return value
        if isinstance(value, Sequence) and not isinstance(value, str) and all(
                is_int(v) for v in value):
            return tuple(value)
        raise self.fail(value)


class _OutputShapeParam(Param):
    """``output_shape``: ``None``, an int or a tuple of ints (sizes after the query's
    other axes)."""

    def expected(self) -> Msg:
        return Msg("attention.expected.output_shape")

    def validate(self, value: Any) -> Any:
        # Keras reads a false value (0, an empty tuple) as None: the query's feature size.
        if value is None or (is_int(value) and value >= 0):
            return value
        if isinstance(value, Sequence) and not isinstance(value, str) and all(
                is_int(v) and v >= 1 for v in value):
            return tuple(value)
        raise self.fail(value)


_INITIALIZERS = carried("kernel_initializer", "bias_initializer", "kernel_regularizer",
                        "bias_regularizer", "activity_regularizer", "kernel_constraint",
                        "bias_constraint")
_FLASH = ChoiceParam("flash_attention", None, "None: Keras's global setting; does not "
                     "change any shape", affects_shape=False, choices=(None, True, False))
_SLIDING = IntParam("sliding_window", None, "each query position attends only to key "
                    "positions within sliding_window - 1 of it; does not change any shape",
                    affects_shape=False, min=1, allow_none=True)
_GATE = BoolParam("use_gate", False, "True adds a sigmoid gate projection of the query "
                  "(more weights, same shape)")


# --- helpers ------------------------------------------------------------------------------


def _shapes_text(shapes: tuple[Shape, ...]) -> str:
    return ", ".join(format_shape(s) for s in shapes)


def _split(layer: Layer, shapes: tuple[Shape, ...]) -> tuple[Shape, Shape, Shape]:
    if len(shapes) not in (2, 3):
        raise reject("attention.count", type=layer.type_name(), count=len(shapes),
                     shapes=_shapes_text(shapes), fix=Msg("attention.fix.count"))
    query, value = shapes[0], shapes[1]
    return query, value, shapes[2] if len(shapes) == 3 else value


def _check_value_key(layer: Layer, value: Shape, key: Shape) -> None:
    if tuple(value[1:-1]) != tuple(key[1:-1]):
        raise reject("attention.value_key_mismatch", type=layer.type_name(),
                     value=format_shape(value), key_shape=format_shape(key),
                     fix=Msg("attention.fix.value_key_mismatch"))


def _features(which: str, shape: Shape) -> int:
    """The known last axis of ``shape`` (the projection's input size)."""
    size = shape[-1] if shape else None
    if size is None:
        name = Msg(f"attention.which.{which}")
        raise reject("attention.unknown_features", which=name, shape=format_shape(shape),
                     fix=Msg("attention.fix.unknown_features", {"which": name}))
    return size


def _needs_query_value(layer: Layer, shape: Shape, example: str) -> ShapeError:
    return reject("attention.needs_query_value", type=layer.type_name(), example=example,
                 shape=format_shape(shape), fix=Msg("attention.fix.needs_query_value"))


def _check_flash(layer: Layer) -> None:
    if layer.value("flash_attention") and layer.value("dropout") > 0:
        raise reject("attention.flash_dropout", argument="dropout",
                     dropout=layer.value("dropout"), fix=Msg("attention.fix.flash_dropout"))


def _sublayers_frozen(layer: Layer, out: Computed) -> Computed:
    """``trainable=False``: Keras lists the weights as non-trainable for this layer, but
    the variables (made by its projection sublayers) keep ``trainable=True``."""
    if layer.value("trainable") or not out.weights:
        return out
    count = sum(w.size for w in out.weights)
    return out._replace(notes=(*out.notes, Msg("layer.frozen", {"count": f"{count:,}"})))


def _n(value: int) -> str:
    return f"{value:,}"


def _size(weights: tuple[Weight, ...]) -> int:
    return sum(prod(w.shape) for w in weights)


# --- MultiHeadAttention -----------------------------------------------------------------


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017), as Keras 3's ``MultiHeadAttention``.

    In a spec it is called on ``"inbound": [query, value]`` or ``[query, value, key]``
    (self-attention: ``["x", "x"]``); in code ``mha(query, value)`` or
    ``mha(query, value, key)``: separate tensors, not a list.
    """

    family = "attention"
    help = ("multi-head attention; \"inbound\": [query, value] or [query, value, key], "
            "called as mha(query, value, key) (functional API)")
    separate_tensors: ClassVar[bool] = True
    """Called with separate tensors (``mha(q, v, k)``), not a list: read by the code
    export and the Keras reference."""
    params = (
        IntParam("num_heads", REQUIRED, "number of attention heads"),
        IntParam("key_dim", REQUIRED, "size of each head for query and key"),
        IntParam("value_dim", None, "size of each head for value (None: key_dim)",
                 allow_none=True),
        FloatParam("dropout", 0.0, "fraction of attention weights dropped in training "
                   "(does not change the shape)", affects_shape=False),
        BoolParam("use_bias", True, "whether the projections add biases"),
        _OutputShapeParam("output_shape", None, "the output's last axes (None: the "
                          "query's feature size)"),
        _AxesParam("attention_axes", None, "axes attention runs over (None: every axis "
                   "between batch and features)"),
        _SLIDING,
        _FLASH,
        *_INITIALIZERS,
        _GATE,
        seed_param(),
    )

    def check_args(self) -> None:
        _check_flash(self)

    def compute(self, input_shape: Shape) -> Computed:
        raise _needs_query_value(self, input_shape, "mha(query, value)")

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        return _sublayers_frozen(self, self._compute_all(input_shapes))

    def _compute_all(self, input_shapes: tuple[Shape, ...]) -> Computed:
        query, value, key = _split(self, input_shapes)
        _check_value_key(self, value, key)
        heads, kdim = self.num_heads, self.key_dim
        vdim = self.value_dim or kdim
        dq = _features("query", query)
        dk = _features("key", key)
        dv = _features("value", value)
        rank = len(value) + 1  # the projected value: batch, value axes, heads, features
        axes = self.attention_axes
        if axes is not None:
            for axis in (axes,) if isinstance(axes, int) else axes:
                at = axis if axis >= 0 else (rank - 1) + axis
                if not -rank <= at < rank:
                    raise reject("attention.axes_out_of_range", argument="attention_axes",
                                 axes=axes, axis=axis, rank=rank,
                                 fix=Msg("attention.fix.axes_out_of_range"))
        given = self.output_shape
        out_last: tuple[int, ...] = ((dq,) if not given else
                                     (given,) if isinstance(given, int) else tuple(given))
        out = (*query[:-1], *out_last)
        bias = self.use_bias

        def dense(kernel: tuple[int, ...], bias_shape: tuple[int, ...]) -> tuple[Weight, ...]:
            return ((weight("kernel", kernel), weight("bias", bias_shape)) if bias
                    else (weight("kernel", kernel),))

        weights = (*dense((dq, heads, kdim), (heads, kdim)),
                   *dense((dk, heads, kdim), (heads, kdim)))
        gate: tuple[Weight, ...] = ()
        if self.use_gate:
            gate = dense((dq, heads, vdim), (heads, vdim))
        weights = (*weights, *gate, *dense((dv, heads, vdim), (heads, vdim)),
                   *dense((heads, vdim, *out_last), out_last))
        notes = self.deferred_notes(_mha_notes, query, value, key, out, out_last)
        return computed(out, weights, notes)


def _mha_notes(layer: Layer, query: Shape, value: Shape, key: Shape, out: Shape,
               out_last: tuple[int, ...]) -> tuple[Msg, ...]:
    heads, kdim = layer.value("num_heads"), layer.value("key_dim")
    vdim = layer.value("value_dim") or kdim
    dq, dk, dv = query[-1], key[-1], value[-1]
    assert dq is not None and dk is not None and dv is not None
    given = layer.value("output_shape")
    why = (Msg("mha.why.output_shape", {"given": given}) if given
           else Msg("mha.why.query", {"d": dq}))
    notes = [Msg("mha.explain.shape", {
        "q": format_shape(query), "key": format_shape(key), "v": format_shape(value),
        "h": heads, "k": kdim, "vd": vdim, "out_last": ", ".join(map(str, out_last)), "why": why, "out": format_shape(out)})]
    bias = 1 if layer.value("use_bias") else 0
    dout = prod(out_last)
    pq = dq * heads * kdim + bias * heads * kdim
    pk = dk * heads * kdim + bias * heads * kdim
    pv = dv * heads * vdim + bias * heads * vdim
    po = heads * vdim * dout + bias * dout
    pg = (dq * heads * vdim + bias * heads * vdim) if layer.value("use_gate") else 0
    total = pq + pk + pv + po + pg
    if not bias:
        notes.append(Msg("mha.explain.no_bias", {"total": _n(total)}))
    elif dq == dk == dv == dout and vdim == kdim and len(out_last) == 1:
        notes.append(Msg("mha.explain.params_same", {"d": dq, "h": heads, "k": kdim,
                                                     "total": _n(total - pg)}))
    else:
        notes.append(Msg("mha.explain.params", {
            "dq": dq, "dk": dk, "dv": dv, "h": heads, "k": kdim, "vd": vdim,
            "dout": dout, "pq": _n(pq), "pk": _n(pk), "pv": _n(pv), "po": _n(po),
            "total": _n(total - pg)}))
    if pg:
        notes.append(Msg("mha.explain.gate", {"dq": dq, "h": heads, "vd": vdim,
                                              "bias": f" + {heads}·{vdim}" if bias else "",
                                              "pg": _n(pg), "all": _n(total)}))
    if layer.value("attention_axes") is not None:
        notes.append(Msg("mha.explain.axes", {"axes": layer.value("attention_axes")}))
    parts = ("query", "key", *(("gate",) if pg else ()), "value", "attention_output")
    names = [f"{p}/{w}" for p in parts for w in (("kernel", "bias") if bias else ("kernel",))]
    notes.append(Msg("mha.explain.weights", {"names": ", ".join(names)}))
    return tuple(notes)


# --- GroupQueryAttention ----------------------------------------------------------------


class GroupQueryAttention(Layer):
    """Grouped-query attention, as Keras 3's ``GroupQueryAttention`` (its class is
    ``GroupedQueryAttention``, automatic names ``grouped_query_attention``).

    In a spec ``"inbound": [query, value]`` or ``[query, value, key]``; in code
    ``gqa(query, value, key)``: separate tensors, not a list.
    """

    family = "attention"
    help = ("grouped-query attention; \"inbound\": [query, value] or [query, value, key], "
            "called as gqa(query, value, key) (functional API)")
    separate_tensors: ClassVar[bool] = True
    params = (
        IntParam("head_dim", REQUIRED, "size of each attention head"),
        IntParam("num_query_heads", REQUIRED, "number of query heads"),
        IntParam("num_key_value_heads", REQUIRED, "number of key/value heads (divides "
                 "num_query_heads)"),
        FloatParam("dropout", 0.0, "fraction of attention weights dropped in training "
                   "(does not change the shape)", affects_shape=False),
        BoolParam("use_bias", True, "whether the projections add biases"),
        _SLIDING,
        _FLASH,
        *_INITIALIZERS,
        _GATE,
        seed_param(),
    )

    @classmethod
    def auto_name_prefix(cls) -> str:
        return "grouped_query_attention"

    def check_args(self) -> None:
        q, kv = self.num_query_heads, self.num_key_value_heads
        if q % kv:
            example = max(d for d in range(1, q + 1) if q % d == 0 and d <= kv)
            raise reject("attention.gqa_divisible", argument="num_key_value_heads", q=q,
                         kv=kv, fix=Msg("attention.fix.gqa_divisible",
                                        {"q": q, "example": example}))
        _check_flash(self)

    def compute(self, input_shape: Shape) -> Computed:
        raise _needs_query_value(self, input_shape, "gqa(query, value)")

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        return _sublayers_frozen(self, self._compute_all(input_shapes))

    def _compute_all(self, input_shapes: tuple[Shape, ...]) -> Computed:
        query, value, key = _split(self, input_shapes)
        for which, shape in (("query", query), ("key", key), ("value", value)):
            if len(shape) != 3:
                raise reject("attention.gqa_rank", which=Msg(f"attention.which.{which}"),
                             shape=format_shape(shape), rank=len(shape),
                             fix=Msg("attention.fix.gqa_rank"))
        dq = _features("query", query)
        dk = _features("key", key)
        dv = _features("value", value)
        if query[-1] != value[-1]:
            raise reject("attention.gqa_features", query=format_shape(query),
                         value=format_shape(value), fix=Msg("attention.fix.gqa_features"))
        _check_value_key(self, value, key)
        hd, hq, hkv = self.head_dim, self.num_query_heads, self.num_key_value_heads
        bias = self.use_bias

        def dense(kernel: tuple[int, ...], bias_shape: tuple[int, ...]) -> tuple[Weight, ...]:
            return ((weight("kernel", kernel), weight("bias", bias_shape)) if bias
                    else (weight("kernel", kernel),))

        gate = dense((dq, hq, hd), (hq, hd)) if self.use_gate else ()
        weights = (*dense((dq, hq, hd), (hq, hd)), *dense((dk, hkv, hd), (hkv, hd)),
                   *gate, *dense((dv, hkv, hd), (hkv, hd)), *dense((hq, hd, dq), (dq,)))
        b = "" if not bias else None
        notes = (
            Msg("gqa.explain", {"q": format_shape(query), "key": format_shape(key),
                                "v": format_shape(value), "hq": hq, "hkv": hkv, "hd": hd,
                                "rep": hq // hkv, "out": format_shape(query)}),
            Msg("gqa.explain.params", {
                "dq": dq, "dk": dk, "dv": dv, "hq": hq, "hkv": hkv, "hd": hd,
                "bq": b if b is not None else f" + {hq}·{hd}",
                "bkv": b if b is not None else f" + {hkv}·{hd}",
                "bo": b if b is not None else f" + {dq}",
                "pq": _n(_size(weights[:2 if bias else 1])),
                "pk": _n(dk * hkv * hd + (hkv * hd if bias else 0)),
                "pv": _n(dv * hkv * hd + (hkv * hd if bias else 0)),
                "po": _n(hq * hd * dq + (dq if bias else 0)),
                "total": _n(_size(weights) - _size(gate))}),
        )
        return computed(query, weights, notes)


# --- Attention, AdditiveAttention -------------------------------------------------------


class Attention(Layer):
    """Dot-product attention (Luong style), as Keras 3's ``Attention``: called on a list
    ``[query, value]`` or ``[query, value, key]`` (``"inbound"`` in a spec)."""

    family = "attention"
    help = ("dot-product attention; called on a list [query, value] or "
            "[query, value, key] (functional API)")
    takes_list = True
    params: ClassVar[tuple[Param, ...]] = (
        BoolParam("use_scale", False, "True learns a scale of the scores (one weight)"),
        ChoiceParam("score_mode", "dot", "how query and key are scored: dot product, or "
                    "concat (tanh of their sum; one weight)", choices=("dot", "concat")),
        NumberParam("dropout", 0.0, "fraction of attention weights dropped in training "
                    "(does not change the shape)"),
        seed_param(),
    )
    _example = "Attention()([query, value])"

    def compute(self, input_shape: Shape) -> Computed:
        raise _needs_query_value(self, input_shape, self._example)

    def _weights(self, query: Shape) -> tuple[Weight, ...]:
        out = []
        if self.use_scale:
            out.append(weight("scale", ()))
        if self.score_mode == "concat":
            out.append(weight("concat_score_weight", ()))
        return tuple(out)

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        query, value, key = _split(self, input_shapes)
        weights = self._weights(query)
        out = (*query[:-1], value[-1])
        notes: list[Msg] = [Msg("dot_attention.explain", {
            "type": self.type_name(), "q": format_shape(query), "key": format_shape(key),
            "v": format_shape(value), "d": "?" if value[-1] is None else value[-1],
            "out": format_shape(out)})]
        notes.append(self._weights_note(weights, query))
        return computed(out, weights, tuple(notes))

    def _weights_note(self, weights: tuple[Weight, ...], query: Shape) -> Msg:
        if not weights:
            return Msg("dot_attention.no_weights")
        return Msg("dot_attention.weights", {"names": ", ".join(w.name for w in weights),
                                             "extra": ""})


class AdditiveAttention(Attention):
    """Additive attention (Bahdanau style), as Keras 3's ``AdditiveAttention``: called on
    a list ``[query, value]`` or ``[query, value, key]``."""

    help = ("additive attention; called on a list [query, value] or [query, value, key] "
            "(functional API)")
    params = (
        BoolParam("use_scale", True, "True learns a scale per query feature"),
        NumberParam("dropout", 0.0, "fraction of attention weights dropped in training "
                    "(does not change the shape)"),
    )
    _example = "AdditiveAttention()([query, value])"

    def _weights(self, query: Shape) -> tuple[Weight, ...]:
        if not self.use_scale:
            return ()
        size = query[-1] if query else None
        if size is None:
            raise reject("attention.unknown_features", which=Msg("attention.which.query"),
                         shape=format_shape(query),
                         fix=Msg("attention.fix.unknown_features",
                                 {"which": Msg("attention.which.query")}))
        return (weight("scale", (size,)),)

    def _weights_note(self, weights: tuple[Weight, ...], query: Shape) -> Msg:
        if not weights:
            return Msg("dot_attention.no_weights")
        return Msg("additive_attention.scale", {"d": weights[0].shape[0]})


LAYERS: tuple[type[Layer], ...] = (MultiHeadAttention, GroupQueryAttention, Attention,
                                   AdditiveAttention)

__all__ = ["LAYERS", "AdditiveAttention", "Attention", "GroupQueryAttention",
           "MultiHeadAttention"]
