"""Merge layers: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot.

A merge layer is called on a *list* of tensors (``Add()([x1, x2])``), so it only fits
the functional API. None of them has weights. The checks follow Keras 3's
``keras/src/layers/merging`` step by step (``build``, then ``compute_output_shape``),
quirks included: what Keras accepts is accepted with Keras's output shape, what Keras
refuses is refused, with a message naming the shapes and the axis.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..params import REQUIRED, AxisPairParam, AxisParam, BoolParam, to_code
from ..shapes import Dim, Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, reject

# --- messages ---------------------------------------------------------------------------

register("merge.needs_list",
         "{type} is a merge layer: it is called on a list of tensors, e.g. {example}, but "
         "here it receives one tensor {shape}.",
         "{type} は結合（merge）レイヤーで、テンソルのリストに対して呼び出します（例: "
         "{example}）。ここでは一つのテンソル {shape} を受け取っています。")
register("merge.fix.needs_list",
         "use the functional API and call it on a list of tensors, e.g. {example}; a "
         "Sequential model passes only one tensor from layer to layer.",
         "Functional API を使い、テンソルのリストに対して呼び出します（例: {example}）。"
         "Sequential モデルはレイヤーからレイヤーへテンソルを一つしか渡しません。")
register("merge.empty", "{type} needs a list of at least one tensor, received an empty list.",
         "{type} には少なくとも一つのテンソルのリストが必要ですが、空のリストを受け取りました。")
register("merge.exactly_two",
         "{type} takes exactly 2 input tensors, received a list of {count}: {shapes}.",
         "{type} の入力テンソルはちょうど 2 個ですが、{count} 個のリストを受け取りました: "
         "{shapes}。")
register("merge.fix.exactly_two", "call it on a list of two tensors, e.g. {example}.",
         "2 個のテンソルのリストに対して呼び出します（例: {example}）。")
register("merge.batch_mismatch",
         "{type} cannot merge tensors with different batch sizes: {a} has batch size {m} "
         "and {b} has batch size {n}.",
         "{type} はバッチサイズの異なるテンソルを結合できません: {a} のバッチサイズは {m}、"
         "{b} のバッチサイズは {n} です。")
register("merge.fix.batch_mismatch",
         "give every input the same batch_size, or leave it unset (None).",
         "すべての入力の batch_size を同じにするか、指定しないで（None に）します。")
register("merge.incompatible",
         "{type} combines the inputs value by value, so their shapes must match (a size "
         "of 1 is stretched to the other size, and a shorter shape is lined up with the "
         "end of the longer one), but {a} and {b} differ on axis {axis} ({m} vs {n}).",
         "{type} は入力を値ごとに組み合わせるので、形が一致する必要があります（サイズ 1 は"
         "相手のサイズに引き伸ばされ、短い形は長い形の末尾にそろえられます）。しかし {a} と "
         "{b} は軸 {axis} で異なります（{m} と {n}）。")
register("merge.fix.incompatible",
         "make the sizes equal (e.g. a Dense or Reshape before the merge), or use "
         "Concatenate to join tensors of different sizes.",
         "サイズをそろえる（結合の前に Dense や Reshape を置くなど）か、サイズの異なる"
         "テンソルをつなげるなら Concatenate を使います。")
# what an element-wise merge does, by its name in lower case (see _Merge.compute_list)
register("merge.verb.add", "adds the inputs", "入力を足し合わせます")
register("merge.verb.subtract", "subtracts the second input from the first",
         "一つ目の入力から二つ目の入力を引きます")
register("merge.verb.multiply", "multiplies the inputs", "入力を掛け合わせます")
register("merge.verb.average", "averages the inputs", "入力の平均をとります")
register("merge.verb.maximum", "keeps the largest of the inputs",
         "入力のうち最大の値を残します")
register("merge.verb.minimum", "keeps the smallest of the inputs",
         "入力のうち最小の値を残します")
register("merge.explain",
         "{type} {verb}, value by value: {shapes} → {out}. No weights.",
         "{type} は値ごとに{verb}: {shapes} → {out}。重みはありません。")
register("merge.single",
         "{type} of a list of one tensor returns it unchanged → {out}. No weights.",
         "一つのテンソルだけのリストに対する {type} は、それをそのまま返します → {out}。"
         "重みはありません。")
register("merge.broadcast",
         "The shapes differ: Keras lines them up from the last axis and stretches a size "
         "of 1 (or a missing axis) to match the other input → {out}.",
         "形が異なります。Keras は最後の軸からそろえ、サイズ 1（または足りない軸）を相手の"
         "入力に合わせて引き伸ばします → {out}。")
register("merge.unknown",
         "A size unknown (None) in one input makes that axis unknown in the output, even "
         "where another input knows it.",
         "ある入力でサイズが不明（None）な軸は、他の入力でサイズがわかっていても出力では"
         "不明になります。")
register("merge.nth.1", "first", "一つ目の")
register("merge.nth.2", "second", "二つ目の")

register("concatenate.axis_out_of_range",
         "Concatenate joins along axis {axis}, but the input {shape} has {rank} axes "
         "(valid axes: {lo} … {hi}).",
         "Concatenate は軸 {axis} に沿ってつなげますが、入力 {shape} の軸は {rank} 個です"
         "（使える軸: {lo} … {hi}）。")
register("concatenate.fix.axis_out_of_range",
         "choose an axis from {lo} to {hi}; -1 is the last axis, 0 the batch axis.",
         "{lo} から {hi} までの軸を選びます。-1 は最後の軸、0 はバッチ軸です。")
register("concatenate.rank_mismatch",
         "Concatenate needs inputs of the same rank, but {a} has rank {m} and {b} has "
         "rank {n}.",
         "Concatenate には同じランクの入力が必要ですが、{a} はランク {m}、{b} はランク {n} "
         "です。")
register("concatenate.fix.rank_mismatch",
         "give both inputs the same number of axes first (Reshape, Flatten, RepeatVector, …).",
         "先に両方の入力の軸の数をそろえます（Reshape、Flatten、RepeatVector など）。")
register("concatenate.axis_mismatch",
         "Concatenate joins along axis {axis}; the other axes must match, but {a} and {b} "
         "differ on axis {at} ({m} vs {n}).",
         "Concatenate は軸 {axis} に沿ってつなげます。他の軸は一致する必要がありますが、"
         "{a} と {b} は軸 {at} で異なります（{m} と {n}）。")
register("concatenate.fix.axis_mismatch",
         "make axis {at} the same size in every input, or join along it with axis={at} "
         "if that is the axis you meant.",
         "すべての入力で軸 {at} のサイズをそろえるか、その軸でつなげたいのなら axis={at} "
         "にします。")
register("concatenate.explain",
         "Concatenate joins the inputs along axis {axis}: {expr} = {total} → {out}. The "
         "other axes must match (an unknown size matches any). No weights.",
         "Concatenate は入力を軸 {axis} に沿ってつなげます: {expr} = {total} → {out}。"
         "他の軸は一致する必要があります（不明なサイズはどれとも一致します）。"
         "重みはありません。")
register("concatenate.explain.unknown",
         "Concatenate joins the inputs along axis {axis}: {expr}; a size on that axis is "
         "unknown, so the result's is unknown → {out}. No weights.",
         "Concatenate は入力を軸 {axis} に沿ってつなげます: {expr}。その軸に不明なサイズが"
         "あるので、結果も不明です → {out}。重みはありません。")
register("concatenate.note.first_wins",
         "Keras takes the other axes from the first input {first}: a size unknown there "
         "stays unknown even where another input knows it ({other}).",
         "Keras は他の軸を一つ目の入力 {first} から取ります。そこで不明なサイズは、他の入力"
         "でわかっていても不明のままです（{other}）。")
register("concatenate.note.batch_axis",
         "Axis {axis} is the batch axis: the samples of all inputs are stacked. Keras "
         "accepts this when the model is built, but fit and predict need every input to "
         "have the same number of samples.",
         "軸 {axis} はバッチ軸です。すべての入力のサンプルが積み重ねられます。Keras はモデルの"
         "構築時には受け付けますが、fit や predict ではすべての入力のサンプル数が同じである"
         "必要があります。")
register("concatenate.note.rank_quirk",
         "The inputs have different ranks; Keras accepts this only because axis {axis} "
         "is past the last axis of {shape} and the first input's size there is unknown. "
         "The model fails when it runs.",
         "入力のランクが異なります。Keras がこれを受け付けるのは、軸 {axis} が {shape} の"
         "最後の軸より後ろにあり、一つ目の入力のその軸のサイズが不明だからにすぎません。"
         "モデルは実行時にエラーになります。")

register("dot.axis_out_of_range",
         "Dot takes axis {axis} of the {which} input {shape}, which has {rank} axes "
         "(valid axes: {lo} … {hi}).",
         "Dot は{which}入力 {shape} の軸 {axis} を使いますが、その軸は {rank} 個です"
         "（使える軸: {lo} … {hi}）。")
register("dot.fix.axis_out_of_range",
         "choose axes within each input's rank, e.g. axes=-1 for the last axis of both.",
         "それぞれの入力のランクの範囲で軸を選びます（例: 両方の最後の軸なら axes=-1）。")
register("dot.size_mismatch",
         "Dot multiplies axis {a} of {s1} with axis {b} of {s2} value by value and sums, "
         "so the two sizes must be equal, but they are {m} and {n}.",
         "Dot は {s1} の軸 {a} と {s2} の軸 {b} を値ごとに掛けて足し合わせるので、二つの"
         "サイズは等しい必要がありますが、{m} と {n} です。")
register("dot.size_unknown",
         "Dot compares axis {a} of {s1} with axis {b} of {s2} and refuses {m} vs {n}: "
         "Keras treats an unknown size (None) as different from a known one.",
         "Dot は {s1} の軸 {a} と {s2} の軸 {b} を比べ、{m} と {n} を受け付けません。"
         "Keras は不明なサイズ（None）をわかっているサイズとは異なるものとして扱います。")
register("dot.fix.size_mismatch",
         "choose axes whose sizes are equal{suggestion}, or make the sizes equal first.",
         "サイズの等しい軸を選ぶ{suggestion}か、先にサイズをそろえます。")
register("dot.fix.size_unknown",
         "give the unknown axis a known size (or make both unknown), e.g. in the Input "
         "shape.",
         "不明な軸にサイズを与えます（または両方を不明にします）。例えば Input の shape で"
         "指定します。")
register("dot.fix.suggest_axes", " (e.g. axes={axes})", "（例: axes={axes}）")
register("dot.nothing_left",
         "Dot has nothing left of the second input {shape} once axis {axis} and the "
         "batch axis are removed.",
         "二つ目の入力 {shape} から軸 {axis} とバッチ軸を除くと、Dot には何も残りません。")
register("dot.fix.nothing_left", "give the second input at least one more axis.",
         "二つ目の入力に少なくとももう一つ軸を持たせます。")
register("dot.explain",
         "Dot multiplies axis {a} of {s1} with axis {b} of {s2} value by value and sums "
         "over it ({n} values); the output keeps the other axes of the first input, then "
         "those of the second (without its batch axis) → {out}. No weights.",
         "Dot は {s1} の軸 {a} と {s2} の軸 {b} を値ごとに掛けて足し合わせます（{n} 個の"
         "値）。出力には一つ目の入力の残りの軸、次に二つ目の入力の残りの軸（バッチ軸を除く）"
         "が並びます → {out}。重みはありません。")
register("dot.explain.pad",
         "Only the batch axis would remain, so Keras adds an axis of size 1 → {out}.",
         "バッチ軸しか残らないので、Keras はサイズ 1 の軸を加えます → {out}。")
register("dot.normalize",
         "normalize=True first divides each input by its length along that axis, so the "
         "result is the cosine similarity; the shape is the same.",
         "normalize=True では先に各入力をその軸に沿った長さで割るので、結果はコサイン類似度"
         "になります。形は同じです。")
register("dot.note.batch_mismatch",
         "The batch sizes differ ({m} vs {n}): Keras does not check this here and keeps "
         "the first input's, but the model fails when it runs.",
         "バッチサイズが異なります（{m} と {n}）。Keras はここでは確かめず一つ目の入力の"
         "ものを使いますが、モデルは実行時にエラーになります。")
register("dot.note.batch_axis",
         "axes includes the batch axis (0): Keras accepts this when the model is built, "
         "but the model fails when it runs (batch_dot cannot sum over axis 0).",
         "axes にバッチ軸（0）が含まれています。Keras はモデルの構築時には受け付けますが、"
         "モデルは実行時にエラーになります（batch_dot は軸 0 で足し合わせられません）。")


# --- helpers ------------------------------------------------------------------------------

_ON_A_LIST = "; called on a list (functional API)"
"""The end of every merge layer's one-line help (they take a list of tensors)."""


def _shapes_text(shapes: tuple[Shape, ...]) -> str:
    return ", ".join(format_shape(s) for s in shapes)


def _axis_range(shape: Shape) -> dict[str, Any]:
    return {"rank": len(shape), "lo": -len(shape), "hi": len(shape) - 1}


def _in_range(axis: int, shape: Shape) -> bool:
    return -len(shape) <= axis < len(shape)


def _size(d: Dim) -> str:
    return "?" if d is None else str(d)


class _Conflict(Exception):
    """Two sizes that cannot be combined, at ``position`` counted from the end (< 0)."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


def _elementwise(s1: Shape | None, s2: Shape | None) -> Shape | None:
    """Keras's ``Merge._compute_elemwise_op_output_shape`` (shapes without batch)."""
    if s1 is None or s2 is None:
        return None
    if len(s1) < len(s2):
        return _elementwise(s2, s1)
    if not s2:
        return s1
    out = list(s1[: -len(s2)])
    for k, (i, j) in enumerate(zip(s1[-len(s2):], s2, strict=True)):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        elif i != j:
            raise _Conflict(k - len(s2))
        else:
            out.append(i)
    return tuple(out)


class _Merge(Layer):
    """Keras's ``Merge``: element-wise layers with broadcasting of the shapes."""

    family = "merging"
    takes_list = True
    exactly_two = False

    def example(self) -> str:
        """``Add()([x1, x2])``, with this layer's arguments."""
        args = ", ".join(f"{k}={to_code(v)}" for k, v in self.args.items()
                         if k != "trainable")
        return f"{self.type_name()}({args})([x1, x2])"

    def compute(self, input_shape: Shape) -> Computed:
        example = self.example()
        raise reject("merge.needs_list", type=self.type_name(), example=example,
                     shape=format_shape(input_shape),
                     fix=Msg("merge.fix.needs_list", {"example": example}))

    def _check_count(self, input_shapes: tuple[Shape, ...]) -> None:
        if not input_shapes:
            raise reject("merge.empty", type=self.type_name(),
                         fix=Msg("merge.fix.exactly_two", {"example": self.example()}))
        if self.exactly_two and len(input_shapes) != 2:
            raise reject("merge.exactly_two", type=self.type_name(),
                         count=len(input_shapes), shapes=_shapes_text(input_shapes),
                         fix=Msg("merge.fix.exactly_two", {"example": self.example()}))

    def _check_batch(self, input_shapes: tuple[Shape, ...]) -> Dim:
        """The one known batch size (or None); reject two different ones."""
        known = [s for s in input_shapes if s and s[0] is not None]
        for s in known[1:]:
            if s[0] != known[0][0]:
                raise reject("merge.batch_mismatch", type=self.type_name(),
                             a=format_shape(known[0]), m=known[0][0], b=format_shape(s),
                             n=s[0], fix=Msg("merge.fix.batch_mismatch"))
        return known[0][0] if known else None

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        self._check_count(input_shapes)
        batch = self._check_batch(input_shapes)
        rest: Shape | None = input_shapes[0][1:]
        for i in range(1, len(input_shapes)):
            try:
                rest = _elementwise(rest, input_shapes[i][1:])
            except _Conflict as conflict:
                raise self._incompatible(input_shapes, i, rest, conflict.position) from None
        assert rest is not None
        out: Shape = (batch, *rest)
        if len(input_shapes) == 1:
            return Computed(out, (), (Msg("merge.single", {"type": self.type_name(),
                                                           "out": format_shape(out)}),))
        verb = Msg(f"merge.verb.{self.type_name().lower()}")
        notes = [Msg("merge.explain", {"type": self.type_name(), "verb": verb,
                                       "shapes": _shapes_text(input_shapes),
                                       "out": format_shape(out)})]
        if len({s[1:] for s in input_shapes}) > 1:
            notes.append(Msg("merge.broadcast", {"out": format_shape(out)}))
            width = len(out) - 1
            if any(d is None and any(len(s) - 1 >= width - k and s[k - width] is not None
                                     for s in input_shapes)
                   for k, d in enumerate(out[1:])):
                notes.append(Msg("merge.unknown"))
        return Computed(out, (), tuple(notes))

    def _incompatible(self, shapes: tuple[Shape, ...], i: int, so_far: Shape | None,
                      position: int) -> Exception:
        cur = shapes[i]
        assert so_far is not None
        wanted = so_far[position]
        j = next((k for k in range(i) if len(shapes[k]) - 1 >= -position
                  and shapes[k][position] == wanted), 0)
        other = shapes[j]
        axis = len(cur) + position if len(other) == len(cur) else position
        return reject("merge.incompatible", type=self.type_name(), a=format_shape(other),
                      b=format_shape(cur), axis=axis, m=_size(other[position]),
                      n=_size(cur[position]), fix=Msg("merge.fix.incompatible"))


class Add(_Merge):
    """Adds a list of tensors value by value."""
    drawing: ClassVar[dict[str, str]] = {"merge": "+"}

    help = "adds a list of tensors value by value" + _ON_A_LIST


class Subtract(_Merge):
    """Subtracts the second of two tensors from the first, value by value."""
    drawing: ClassVar[dict[str, str]] = {"merge": "−", "inputs": "ordered"}

    help = "first tensor minus second, value by value; called on a list of exactly 2"
    exactly_two = True


class Multiply(_Merge):
    """Multiplies a list of tensors value by value."""
    drawing: ClassVar[dict[str, str]] = {"merge": "×"}

    help = "multiplies a list of tensors value by value" + _ON_A_LIST


class Average(_Merge):
    """Averages a list of tensors value by value."""
    drawing: ClassVar[dict[str, str]] = {"merge": "avg"}

    help = "averages a list of tensors value by value" + _ON_A_LIST


class Maximum(_Merge):
    """The largest value of a list of tensors, position by position."""
    drawing: ClassVar[dict[str, str]] = {"merge": "max"}

    help = "keeps the largest value at each position" + _ON_A_LIST


class Minimum(_Merge):
    """The smallest value of a list of tensors, position by position."""
    drawing: ClassVar[dict[str, str]] = {"merge": "min"}

    help = "keeps the smallest value at each position" + _ON_A_LIST


class Concatenate(_Merge):
    """Joins a list of tensors along one axis; the other axes must match."""
    drawing: ClassVar[dict[str, str]] = {"merge": "concat", "inputs": "ordered", "args": "concat"}

    help = "joins a list of tensors along `axis`; the other axes must match" + _ON_A_LIST
    params = (
        AxisParam("axis", -1, "the axis to join along, counting the batch axis as 0 "
                  "(-1: the last axis)"),
    )

    def _out_of_range(self, shape: Shape) -> Exception:
        where = _axis_range(shape)
        return reject("concatenate.axis_out_of_range", argument="axis", axis=self.axis,
                      shape=format_shape(shape), **where,
                      fix=Msg("concatenate.fix.axis_out_of_range", where))

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        self._check_count(input_shapes)
        axis: int = self.axis
        # Keras's build: remove `axis` from each shape (a positive axis past the end is
        # left alone), then the remaining shapes must agree where their sizes are known.
        reduced: list[Shape] = []
        kept = [len(s) <= axis for s in input_shapes]  # shapes `axis` is past the end of
        for s in input_shapes:
            if not _in_range(axis, s) and axis < 0:
                raise self._out_of_range(s)
            r = list(s)
            if len(r) > axis:
                del r[axis]
            reduced.append(tuple(r))
        if len(set(reduced)) != 1:
            self._mismatch(input_shapes, reduced, kept)
        # Keras's compute_output_shape: the first input's shape, sizes on `axis` added.
        out = list(input_shapes[0])
        for s in input_shapes[1:]:
            if not _in_range(axis, input_shapes[0]):
                raise self._out_of_range(input_shapes[0])
            if out[axis] is None:
                break
            if not _in_range(axis, s):
                raise self._out_of_range(s)
            step = s[axis]
            if step is None:
                out[axis] = None
                break
            out[axis] = int(out[axis] or 0) + step
        shape = tuple(out)
        return Computed(shape, (), self._notes(input_shapes, shape, kept))

    def _mismatch(self, shapes: tuple[Shape, ...], reduced: list[Shape],
                  kept: list[bool]) -> None:
        ranks = {len(r) for r in reduced}
        rank = len(reduced[0])
        conflict = len(ranks) != 1 or any(
            len({r[k] for r in reduced if r[k] is not None}) > 1 for k in range(rank))
        if not conflict:
            return
        if any(kept):
            raise self._out_of_range(shapes[kept.index(True)])
        if len(ranks) != 1:
            other = next(s for s in shapes if len(s) != len(shapes[0]))
            raise reject("concatenate.rank_mismatch", a=format_shape(shapes[0]),
                         m=len(shapes[0]), b=format_shape(other), n=len(other),
                         fix=Msg("concatenate.fix.rank_mismatch"))
        for k in range(rank):
            known = [(i, r[k]) for i, r in enumerate(reduced) if r[k] is not None]
            for i, d in known[1:]:
                if d != known[0][1]:
                    first = shapes[known[0][0]]
                    position = self.axis % len(first)
                    at = k if k < position else k + 1
                    raise reject("concatenate.axis_mismatch", axis=self.axis,
                                 a=format_shape(first), b=format_shape(shapes[i]), at=at,
                                 m=known[0][1], n=d,
                                 fix=Msg("concatenate.fix.axis_mismatch", {"at": at}))

    def _notes(self, shapes: tuple[Shape, ...], out: Shape,
               kept: list[bool]) -> tuple[Msg, ...]:
        if len(shapes) == 1:
            return (Msg("merge.single", {"type": "Concatenate", "out": format_shape(out)}),)
        axis: int = self.axis
        if any(kept):  # accepted only through Keras's quirk (ranks differ)
            longest = next(s for s, k in zip(shapes, kept, strict=True) if k)
            return (Msg("concatenate.explain.unknown", {
                        "axis": axis, "expr": " + ".join("?" for _ in shapes),
                        "out": format_shape(out)}),
                    Msg("concatenate.note.rank_quirk", {"axis": axis,
                                                        "shape": format_shape(longest)}))
        sizes = [s[axis] for s in shapes]
        expr = " + ".join(_size(d) for d in sizes)
        notes: list[Msg] = []
        if out[axis] is None:
            notes.append(Msg("concatenate.explain.unknown", {
                "axis": axis, "expr": expr, "out": format_shape(out)}))
        else:
            notes.append(Msg("concatenate.explain", {
                "axis": axis, "expr": expr, "total": out[axis], "out": format_shape(out)}))
        position = axis % len(out)
        if position == 0:
            notes.append(Msg("concatenate.note.batch_axis", {"axis": axis}))
        better = [k for k, d in enumerate(out) if k != position and d is None
                  and any(s[k] is not None for s in shapes)]
        if better:
            other = next(s for s in shapes if s[better[0]] is not None)
            notes.append(Msg("concatenate.note.first_wins", {
                "first": format_shape(shapes[0]), "other": format_shape(other)}))
        return tuple(notes)


class Dot(_Merge):
    """Dot product of two tensors along one axis of each (batch by batch)."""
    drawing: ClassVar[dict[str, str]] = {"merge": "dot", "inputs": "ordered", "args": "dot"}

    help = ("multiplies axis axes[0] of the first tensor with axis axes[1] of the second "
            "and sums; called on a list of exactly 2")
    exactly_two = True
    params = (
        AxisPairParam("axes", REQUIRED, "the axis to sum over: one axis for both inputs, "
                      "or (axis of the first, axis of the second); batch axis is 0"),
        BoolParam("normalize", False, "divide each input by its length along the axis "
                  "first (cosine similarity); does not change the shape",
                  affects_shape=False),
    )

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        self._check_count(input_shapes)
        s1, s2 = input_shapes
        given: Any = self.axes
        if isinstance(given, int):
            axes = ([given % len(s1), given % len(s2)] if given < 0 else [given, given])
        else:
            axes = list(given)
        for which, (a, s) in enumerate(zip(axes, (s1, s2), strict=True), start=1):
            if not _in_range(a, s):
                where = _axis_range(s)
                raise reject("dot.axis_out_of_range", argument="axes", axis=a,
                             which=Msg(f"merge.nth.{which}"), shape=format_shape(s),
                             **where, fix=Msg("dot.fix.axis_out_of_range"))
        a0, a1 = axes[0] % len(s1), axes[1] % len(s2)
        d1, d2 = s1[a0], s2[a1]
        if d1 != d2:
            values = {"a": a0, "b": a1, "s1": format_shape(s1), "s2": format_shape(s2),
                      "m": str(d1), "n": str(d2)}
            if d1 is None or d2 is None:
                raise reject("dot.size_unknown", argument="axes",
                             fix=Msg("dot.fix.size_unknown"), **values)
            raise reject("dot.size_mismatch", argument="axes", **values,
                         fix=Msg("dot.fix.size_mismatch",
                                 {"suggestion": self._suggest(s1, s2)}))
        first = list(s1)
        first.pop(a0)
        second = list(s2)
        second.pop(a1)
        if not second:
            raise reject("dot.nothing_left", argument="axes", shape=format_shape(s2),
                         axis=a1, fix=Msg("dot.fix.nothing_left"))
        second.pop(0)
        out: Shape = (*first, *second)
        notes = [Msg("dot.explain", {"a": a0, "b": a1, "s1": format_shape(s1),
                                     "s2": format_shape(s2), "n": _size(d1),
                                     "out": format_shape(out if len(out) != 1
                                                         else (*out, 1))})]
        if len(out) == 1:
            out = (*out, 1)
            notes.append(Msg("dot.explain.pad", {"out": format_shape(out)}))
        if self.normalize:
            notes.append(Msg("dot.normalize"))
        if s1[0] is not None and s2[0] is not None and s1[0] != s2[0]:
            notes.append(Msg("dot.note.batch_mismatch", {"m": s1[0], "n": s2[0]}))
        if a0 == 0 or a1 == 0:
            notes.append(Msg("dot.note.batch_axis"))
        return Computed(out, (), tuple(notes))

    @staticmethod
    def _suggest(s1: Shape, s2: Shape) -> Msg | str:
        for a in range(1, len(s1)):
            for b in range(1, len(s2)):
                if s1[a] is not None and s1[a] == s2[b]:
                    axes = a if a == b else (a, b)
                    return Msg("dot.fix.suggest_axes", {"axes": to_code(axes)})
        return ""


LAYERS: tuple[type[Layer], ...] = (
    Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot,
)
