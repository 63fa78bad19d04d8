"""Preprocessing layers for numbers, categories, text and audio: Normalization,
Discretization, CategoryEncoding, Hashing, StringLookup, IntegerLookup,
TextVectorization, MelSpectrogram, STFTSpectrogram (``keras.layers``, Keras 3.15).

Keras facts mirrored here (checked against Keras 3.15 by tests/test_preprocessing_keras.py):

- Normalization with ``mean`` and ``variance`` given has no weights; without them (to be
  set by ``adapt()`` later) it makes three non-trainable weights: ``mean`` and
  ``variance`` with one value per position of the kept ``axis`` (sorted), and a scalar
  ``count``. The kept axes must have a known size.
- The lookup layers keep their vocabulary in tables, not weights: no parameters. Their
  ``output_mode`` decides the shape: ``"int"`` keeps it; ``"one_hot"`` adds an axis of
  ``depth`` (replacing a last axis of 1); ``"multi_hot"``, ``"count"`` and ``"tf_idf"``
  replace the last axis by ``depth``. ``depth`` is the vocabulary size (the given
  vocabulary plus the OOV indices), ``max_tokens`` with ``pad_to_max_tokens=True``, or
  unknown (``None``) while the vocabulary is still to be adapted.
- TextVectorization makes a StringLookup inside (it takes an automatic name). With
  ``output_mode="int"`` it gives ``(batch, output_sequence_length)`` from any input;
  otherwise the words of each string become a new axis that the lookup encodes.
- These layers take the input's values as they are: Keras does not check the dtype
  when the model is built (a StringLookup on a float input builds and fails on data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    AxisParam,
    BoolParam,
    ChoiceParam,
    IntParam,
    JsonParam,
    Param,
    data_format_param,
    is_int,
)
from ..shapes import Shape, conv_output_length, format_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject

register("param.expected.array", "a number, or a (nested) list of numbers",
         "数、または数の（入れ子の）リスト")
register("param.expected.list", "a list of numbers, e.g. [0.0, 1.0]",
         "[0.0, 1.0] のような数のリスト")
register("discretization.scalar",
         "with output_mode=\"{mode}\" Keras counts the bins from the list of boundaries, "
         "but bin_boundaries is a single number (Keras fails: \"object of type 'float' has "
         "no len()\").",
         "output_mode=\"{mode}\" では Keras は境界のリストから枠の数を数えますが、"
         "bin_boundaries が一つの数です（Keras は失敗します: \"object of type 'float' has "
         "no len()\"）。")
register("discretization.fix.scalar", "write it as a list: bin_boundaries=[{value}].",
         "リストで書きます: bin_boundaries=[{value}]。")
register("param.expected.vocabulary", "a list of strings, or None",
         "文字列のリスト、または None")
register("param.expected.int_vocabulary", "a list of integers, or None",
         "整数のリスト、または None")
register("param.expected.salt", "an integer, a pair of integers, or None",
         "整数、整数の組、または None")
register("preprocessing.pair_required",
         "`mean` and `variance` go together: give both (the statistics are known), or "
         "neither (adapt() computes them later); received only `{given}`.",
         "`mean` と `variance` は対で使います。両方（統計が分かっている場合）か、どちらも"
         "なし（後で adapt() が計算）にしますが、`{given}` だけを受け取りました。")
register("preprocessing.same_shape",
         "`mean` and `variance` must have the same shape, received {mean} and {variance}.",
         "`mean` と `variance` は同じ形でなければなりませんが、{mean} と {variance} を受け"
         "取りました。")
register("preprocessing.mean_rank",
         "`mean` has rank {rank}, more than the {count} kept axes of axis={axis}.",
         "`mean` のランク {rank} が、axis={axis} で残す軸の数 {count} より大きいです。")
register("normalization.axis_range",
         "axis {axis} does not exist in the input {shape} of rank {rank} (axes "
         "-{rank}…{last}).",
         "軸 {axis} はランク {rank} の入力 {shape} にありません（軸は -{rank}…{last}）。")
register("normalization.unknown_axis",
         "the kept axis {axis} of the input {shape} has an unknown size, so the mean and "
         "variance cannot have a shape.",
         "入力 {shape} の残す軸 {axis} のサイズが不明なので、平均と分散の形が決まりません。")
register("normalization.fix.unknown_axis",
         "give that axis a known size in input_shape, or choose another axis.",
         "input_shape でその軸のサイズを決めるか、別の軸を選びます。")
register("normalization.repeated_axis",
         "axis={axis} names axis {dim} twice (for an input of rank {rank}); Keras then "
         "makes statistics of shape {stat} that cannot be applied, and fails.",
         "axis={axis} は（ランク {rank} の入力で）軸 {dim} を二度指しています。Keras は形 "
         "{stat} の統計を作りますが適用できず、失敗します。")
register("normalization.fix.repeated_axis", "name each axis once.",
         "各軸を一度だけ指定します。")
register("stft.unknown_channels",
         "the number of channels of {shape} is unknown; the transform reshapes by it.",
         "{shape} のチャネル数が不明です。変換はチャネル数で形を変えます。")
register("stft.fix.unknown_channels", "give the channels a known size, e.g. 1 for mono.",
         "チャネル数を決めます（例: モノラルなら 1）。")
register("normalization.broadcast",
         "`mean` of shape {mean} does not fit the input {shape}: on axis {axis} it has "
         "{size} values where the input has {target}.",
         "形 {mean} の `mean` が入力 {shape} に合いません。軸 {axis} で入力は {target} "
         "ですが、{size} 個の値があります。")
register("normalization.explain.adapt",
         "Normalization subtracts a mean and divides by a standard deviation, one pair per "
         "position of the kept axis {axis}; the shape stays {out}. Without mean and "
         "variance they are weights set by adapt(): mean {stat} and variance {stat} and a "
         "count (), all non-trainable.",
         "Normalization は平均を引いて標準偏差で割ります。残す軸 {axis} の位置ごとに一組"
         "です。形は {out} のままです。mean と variance を指定しないと、これらは adapt() "
         "が設定する重みになります: mean {stat}、variance {stat}、count ()。どれも学習しない"
         "重みです。")
register("normalization.explain.given",
         "Normalization subtracts the given mean and divides by the square root of the "
         "given variance; the shape stays {out}. Given statistics are constants, not "
         "weights.",
         "Normalization は指定の平均を引き、指定の分散の平方根で割ります。形は {out} の"
         "ままです。指定した統計は定数で、重みではありません。")
register("encoding.explain",
         "{type} with output_mode=\"{mode}\": {how} → {out}. It has no weights.",
         "output_mode=\"{mode}\" の {type}: {how} → {out}。重みはありません。")
register("encoding.how.int", "each value becomes one integer index, so the shape is kept",
         "各値が整数のインデックス 1 つになるので、形は変わりません")
register("encoding.how.one_hot", "each value becomes a vector of {depth} zeros and ones "
         "(a new last axis{replaced})",
         "各値が 0 と 1 の {depth} 個のベクトル（新しい最後の軸{replaced}）になります")
register("encoding.how.replaced", ", in place of the last axis of 1",
         "。大きさ 1 の最後の軸の代わり")
register("encoding.how.bag", "the values along the last axis are counted into {depth} "
         "slots, one per possible value",
         "最後の軸に沿った値を、取りうる値ごとの {depth} 個の枠に数えます")
register("encoding.unknown_depth",
         "The number of slots is unknown until the vocabulary is set (adapt(), or give "
         "vocabulary=[…], or max_tokens with pad_to_max_tokens=True).",
         "枠の数は語彙が決まるまで不明です（adapt()、または vocabulary=[…] を指定、または "
         "max_tokens と pad_to_max_tokens=True）。")
register("lookup.depth",
         "depth {depth} = {vocab} vocabulary tokens + {oov} OOV index(es) for unknown tokens.",
         "depth {depth} = 語彙のトークン {vocab} 個 + 未知トークン用の OOV インデックス "
         "{oov} 個。")
register("lookup.bad_arg", "{problem}", "{problem_ja}")
register("text_vectorization.explain.int",
         "TextVectorization splits each string into words and writes each word's index: "
         "{length} per sample → {out}. It has no weights (the vocabulary is a table).",
         "TextVectorization は各文字列を単語に分けて、単語ごとにインデックスを書きます。"
         "サンプルごとに {length} → {out}。重みはありません（語彙は表です）。")
register("text_vectorization.length.fixed", "padded or cut to output_sequence_length={n}",
         "output_sequence_length={n} に詰めるか切ります")
register("text_vectorization.length.free",
         "as many as the longest string of the batch (None; give output_sequence_length "
         "for a fixed length)",
         "バッチで最も長い文字列の単語数（None。固定するには output_sequence_length を"
         "指定）")
register("spectrogram.explain",
         "{type} cuts the signal into frames of {frame} samples every {step} samples and "
         "gives {bins} frequency values per frame → {out}.",
         "{type} は信号を {step} サンプルごとに {frame} サンプルのフレームに切り、フレーム"
         "ごとに周波数の値を {bins} 個出します → {out}。")
register("stft.weights",
         "The Fourier transform is a convolution: {names} of shape ({frame}, 1, {bins}), "
         "{bins} = fft_length {fft} / 2 + 1 frequencies.",
         "フーリエ変換は畳み込みです: 形 ({frame}, 1, {bins}) の {names}。{bins} = "
         "fft_length {fft} / 2 + 1 個の周波数。")
register("stft.too_short",
         "the input has {length} steps, fewer than frame_length={frame}: no frame fits "
         "(padding=\"valid\").",
         "入力のステップ数 {length} が frame_length={frame} より少なく、フレームが入りません"
         "（padding=\"valid\"）。")
register("hashed_crossing.two_inputs",
         "HashedCrossing crosses exactly two inputs, received {received}.",
         "HashedCrossing はちょうど 2 つの入力を交差させますが、{received} 個を受け取り"
         "ました。")
register("hashed_crossing.fix.two_inputs",
         "call it on a list of two tensors: HashedCrossing(num_bins=…)([a, b]).",
         "2 つのテンソルのリストで呼び出します: HashedCrossing(num_bins=…)([a, b])。")
register("hashed_crossing.mismatch",
         "the two inputs must have the same last axis, received {first} and {second}.",
         "2 つの入力の最後の軸は同じでなければなりませんが、{first} と {second} を受け取り"
         "ました。")
register("hashed_crossing.explain",
         "HashedCrossing hashes each pair of values of {first} and {second} into one of "
         "{bins} bins → {out}. It has no weights.",
         "HashedCrossing は {first} と {second} の値の組をそれぞれ {bins} 個の枠の一つに"
         "ハッシュします → {out}。重みはありません。")
register("param.expected.layers", "a list of layers, e.g. [RandomFlip(), RandomRotation(0.1)]",
         "[RandomFlip(), RandomRotation(0.1)] のようなレイヤーのリスト")
register("pipeline.empty", "the Pipeline has no layers.", "Pipeline にレイヤーがありません。")
register("pipeline.fix.empty", "give at least one layer, e.g. Pipeline([RandomFlip()]).",
         "少なくとも一つのレイヤーを渡します（例: Pipeline([RandomFlip()])）。")
register("pipeline.inner", "inside the Pipeline, {inner}: {problem}",
         "Pipeline の中の {inner}: {problem}")
register("pipeline.step", "{inner} → {out}", "{inner} → {out}")
register("stft.fix.too_short", "use padding=\"same\", a smaller frame_length, or a longer "
         "input.", "padding=\"same\"、より小さい frame_length、または長い入力を使います。")


def _array_shape(value: Any) -> tuple[int, ...] | None:
    """``np.shape`` of a number or nested list (``None`` if ragged or not numbers)."""
    if isinstance(value, int | float):
        return ()
    if isinstance(value, Sequence) and not isinstance(value, str):
        shapes = {_array_shape(v) for v in value}
        if len(shapes) > 1 or None in shapes:
            return None
        inner = shapes.pop() if shapes else ()
        return (len(value), *inner) if inner is not None else None
    return None


@dataclass(frozen=True)
class ArrayParam(Param):
    """A number or a nested list of numbers (``mean``, ``idf_weights``, …); ``None``
    allowed. Kept as given (lists as tuples)."""

    affects_shape: bool = True
    rank: int | None = None
    """With a rank: only arrays of that rank (``1``: a list of numbers)."""
    widget: ClassVar[str] = "text"

    def expected(self) -> Msg:
        return Msg("param.expected.list" if self.rank == 1 else "param.expected.array")

    def validate(self, value: Any) -> Any:
        if value is None:
            return None
        shape = _array_shape(value)
        if shape is None or (self.rank is not None and len(shape) != self.rank):
            raise self.fail(value)
        return JsonParam(self.name, None).validate(value)


@dataclass(frozen=True)
class VocabularyParam(Param):
    """A literal vocabulary: a list of tokens (strings, or with ``integers`` integers),
    or ``None``."""

    integers: bool = False
    widget: ClassVar[str] = "text"

    def expected(self) -> Msg:
        return Msg("param.expected.int_vocabulary" if self.integers
                   else "param.expected.vocabulary")

    def validate(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Sequence) and not isinstance(value, str) and all(
                is_int(v) if self.integers else isinstance(v, str) for v in value):
            return tuple(value)
        raise self.fail(value)


@dataclass(frozen=True)
class SaltParam(Param):
    """``salt`` of Hashing and the lookups: an integer, a pair of them, or ``None``."""

    affects_shape: bool = False

    def expected(self) -> Msg:
        return Msg("param.expected.salt")

    def validate(self, value: Any) -> Any:
        if value is None or is_int(value):
            return value
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            return tuple(value)
        raise self.fail(value)


def _fail(layer: Layer, argument: str, en: str, ja: str) -> ShapeError:
    """A constructor refusal whose sentence is specific to one check."""
    return ShapeError(Msg("lookup.bad_arg", {"problem": en, "problem_ja": ja}),
                      argument=argument, layer_type=layer.type_name(),
                      layer_name=layer.name)


def encode_shape(input_shape: Shape, mode: str, depth: int | None) -> Shape:
    """The lookup layers' output shape (IndexLookup.compute_output_shape)."""
    if mode == "int":
        return input_shape
    if mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return (*input_shape[:-1], depth)
        return (*input_shape, depth)
    return (*input_shape[:-1], depth)


def _encoding_note(layer: Layer, mode: str, depth: int | None, input_shape: Shape,
                   out: Shape) -> list[Msg]:
    d = "?" if depth is None else depth
    if mode == "int":
        how = Msg("encoding.how.int")
    elif mode == "one_hot":
        replaced = len(input_shape) > 1 and input_shape[-1] == 1 and len(out) == len(
            input_shape)
        how = Msg("encoding.how.one_hot", {"depth": d, "replaced": Msg(
            "encoding.how.replaced") if replaced else ""})
    else:
        how = Msg("encoding.how.bag", {"depth": d})
    notes = [Msg("encoding.explain", {"type": layer.type_name(), "mode": mode, "how": how,
                                      "out": out})]
    if mode != "int" and depth is None:
        notes.append(Msg("encoding.unknown_depth"))
    return notes


def _mode(name: str, default: str, choices: tuple[str, ...]) -> ChoiceParam:
    return ChoiceParam(name, default, "what each value becomes: an index (\"int\") or a "
                       "vector of counts/flags", choices=choices)


# --- Normalization ----------------------------------------------------------------------


@dataclass(frozen=True)
class NormAxisParam(AxisParam):
    """``axis`` of Normalization: an axis, a list of axes, or ``None`` (no kept axis)."""

    def validate(self, value: Any) -> Any:
        return None if value is None else super().validate(value)


class Normalization(Layer):
    """Standardizes values with a mean and variance per position of ``axis``."""

    family = "normalization"
    help = "subtracts a mean and divides by a standard deviation (given, or from adapt())"
    params = (
        NormAxisParam("axis", -1, "the axis (or axes) that keeps its own statistics; "
                      "None: one mean for everything", allow_list=True),
        ArrayParam("mean", None, "the mean to subtract (None: set later by adapt())"),
        ArrayParam("variance", None, "the variance to divide by (None: set later by "
                   "adapt())"),
        BoolParam("invert", False, "undo a normalization instead", affects_shape=False),
    )

    def check_args(self) -> None:
        mean, variance = self.mean, self.variance
        if (mean is None) != (variance is None):
            raise ShapeError(Msg("preprocessing.pair_required", {
                "given": "mean" if mean is not None else "variance"}),
                argument="variance" if mean is not None else "mean",
                layer_type=self.type_name(), layer_name=self.name)
        if mean is not None:
            ms, vs = _array_shape(mean), _array_shape(variance)
            if ms != vs:
                raise ShapeError(Msg("preprocessing.same_shape", {
                    "mean": format_shape(ms or ()), "variance": format_shape(vs or ())}),
                    argument="variance", layer_type=self.type_name(), layer_name=self.name)
            if ms is not None and len(ms) > len(self.axes()):
                raise ShapeError(Msg("preprocessing.mean_rank", {
                    "rank": len(ms), "count": len(self.axes()), "axis": self.axis}),
                    argument="mean", layer_type=self.type_name(), layer_name=self.name)

    def axes(self) -> tuple[int, ...]:
        axis = self.axis
        if axis is None:
            return ()
        return (axis,) if is_int(axis) else tuple(axis)

    def compute(self, input_shape: Shape) -> Computed:
        rank = len(input_shape)
        axes = self.axes()
        for a in axes:
            if not -rank <= a < rank:
                raise reject("normalization.axis_range", argument="axis", axis=a,
                             shape=format_shape(input_shape), rank=rank, last=rank - 1)
        keep = tuple(sorted(a if a >= 0 else a + rank for a in axes))
        for d in keep:
            if input_shape[d] is None:
                raise reject("normalization.unknown_axis", argument="axis", axis=d,
                             shape=format_shape(input_shape),
                             fix=Msg("normalization.fix.unknown_axis"))
        stat = tuple(int(input_shape[d] or 0) for d in keep)
        repeated = [d for d in keep if keep.count(d) > 1]
        if repeated and self._repeat_fails(input_shape, keep, stat):
            raise reject("normalization.repeated_axis", argument="axis", axis=self.axis,
                         dim=repeated[0], rank=rank, stat=format_shape(stat),
                         fix=Msg("normalization.fix.repeated_axis"))
        if self.mean is None:
            weights = (Weight("mean", stat, False), Weight("variance", stat, False),
                       Weight("count", (), False))
            return Computed(input_shape, weights, (Msg("normalization.explain.adapt", {
                "axis": self.axis, "out": input_shape, "stat": format_shape(stat)}),))
        self._check_broadcast(input_shape, keep)
        return Computed(input_shape, (), (Msg("normalization.explain.given",
                                              {"out": input_shape}),))

    def _repeat_fails(self, input_shape: Shape, keep: tuple[int, ...],
                      stat: tuple[int, ...]) -> bool:
        """A repeated kept axis: Keras reshapes the statistics (adapted: of shape ``stat``;
        given: ``mean`` laid on the kept axes) to one size per input axis, which fails
        unless the number of values stays the same."""
        kept = {d: int(input_shape[d] or 0) for d in keep}
        if self.mean is None:
            return prod(stat) != prod(kept.values())
        mean_shape = _array_shape(self.mean) or ()
        expanded = [1] * len(input_shape)
        for i in range(1, len(mean_shape) + 1):
            expanded[keep[-i]] = mean_shape[-i]
        return prod(expanded) != prod(mean_shape)

    def _check_broadcast(self, input_shape: Shape, keep: tuple[int, ...]) -> None:
        mean_shape = _array_shape(self.mean) or ()
        expanded = [1] * len(input_shape)
        for i in range(1, len(mean_shape) + 1):
            expanded[keep[-i]] = mean_shape[-i]
        for d, size in enumerate(expanded):
            target = input_shape[d] if d in keep else 1
            if size != 1 and size != target:
                raise reject("normalization.broadcast", argument="mean",
                             mean=format_shape(mean_shape), shape=format_shape(input_shape),
                             axis=d, size=size, target=target)


# --- Discretization, CategoryEncoding, Hashing ----------------------------------------------


class Discretization(Layer):
    """Puts each value into a bin: its index, or a one-hot/multi-hot/count vector."""

    family = "preprocessing"
    takes_input_shape = False  # Keras's constructor has no **kwargs
    help = "puts each value into one of a set of ranges (bins)"
    params = (
        ArrayParam("bin_boundaries", None, "the edges between bins, e.g. [0, 1, 2] (4 bins)"),
        IntParam("num_bins", None, "the number of bins (edges set by adapt())", min=None,
                 allow_none=True),
        JsonParam("epsilon", 0.01, "error tolerance of adapt()"),
        _mode("output_mode", "int", ("int", "one_hot", "multi_hot", "count")),
        BoolParam("sparse", False, "return a sparse tensor (not with \"int\")",
                  affects_shape=False),
    )

    def check_args(self) -> None:
        if "trainable" in self.args:  # Keras's constructor has no **kwargs
            raise self._unknown_argument("trainable")
        if self.sparse and self.output_mode == "int":
            raise _fail(self, "sparse", "sparse=True needs output_mode \"one_hot\", "
                        "\"multi_hot\" or \"count\".",
                        "sparse=True には output_mode \"one_hot\"・\"multi_hot\"・\"count\" "
                        "が必要です。")
        if self.num_bins is not None and self.num_bins < 0:
            raise _fail(self, "num_bins", "num_bins must be >= 0.",
                        "num_bins は 0 以上でなければなりません。")
        if (self.num_bins is None) == (self.bin_boundaries is None):
            raise _fail(self, "num_bins", "give either num_bins or bin_boundaries (one of "
                        "the two).", "num_bins か bin_boundaries のどちらか一方を指定します。")

    def depth(self) -> int:
        boundaries = self.bin_boundaries
        if boundaries is not None:
            return len(boundaries) + 1 if isinstance(boundaries, Sequence) else 2
        return int(self.num_bins)

    def compute(self, input_shape: Shape) -> Computed:
        mode = self.output_mode
        boundaries = self.bin_boundaries
        if mode != "int" and boundaries is not None and not isinstance(boundaries, Sequence):
            raise reject("discretization.scalar", argument="bin_boundaries", mode=mode,
                         fix=Msg("discretization.fix.scalar", {"value": boundaries}))
        depth = self.depth()
        if mode == "int":
            out = input_shape
        elif mode == "one_hot":
            out = ((*input_shape[:-1], depth) if input_shape and input_shape[-1] == 1
                   and len(input_shape) > 1 else (*input_shape, depth))
        elif len(input_shape) >= 2:
            out = (input_shape[0], *input_shape[2:], depth)
        else:
            out = (depth,)
        return Computed(out, (), tuple(_encoding_note(self, mode, depth, input_shape, out)))


class CategoryEncoding(Layer):
    """Turns integer categories into one-hot, multi-hot or count vectors."""

    family = "preprocessing"
    help = "turns integer categories 0…num_tokens−1 into one-hot/multi-hot/count vectors"
    params = (
        IntParam("num_tokens", None, "how many categories there are (the vector size)",
                 min=None, allow_none=True),
        ChoiceParam("output_mode", "multi_hot", "one_hot: a vector per value; multi_hot/"
                    "count: one vector per sample", choices=("multi_hot", "one_hot",
                                                             "count", "binary")),
        BoolParam("sparse", False, "return a sparse tensor", affects_shape=False),
    )

    def check_args(self) -> None:
        if self.num_tokens is None:
            raise _fail(self, "num_tokens", "num_tokens must be set (for an unknown number "
                        "of categories use IntegerLookup).",
                        "num_tokens が必要です（カテゴリ数が分からないなら IntegerLookup を"
                        "使います）。")
        if self.num_tokens < 1:
            raise _fail(self, "num_tokens", "num_tokens must be >= 1.",
                        "num_tokens は 1 以上でなければなりません。")

    def compute(self, input_shape: Shape) -> Computed:
        n = int(self.num_tokens)
        mode = "multi_hot" if self.output_mode == "binary" else self.output_mode
        if not input_shape:
            out: Shape = (n,)
        elif mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            out = (*input_shape, n)
        else:
            out = (*input_shape[:-1], n)
        return Computed(out, (), tuple(_encoding_note(self, mode, n, input_shape, out)))


class Hashing(Layer):
    """Hashes each value into one of ``num_bins`` bins."""

    family = "preprocessing"
    help = "hashes each value (string or number) into one of num_bins bins"
    params = (
        IntParam("num_bins", REQUIRED, "the number of bins", min=None, allow_none=True),
        JsonParam("mask_value", None, "a value that always goes to bin 0"),
        SaltParam("salt", None, "a key for a keyed hash"),
        _mode("output_mode", "int", ("int", "one_hot", "multi_hot", "count")),
        BoolParam("sparse", False, "return a sparse tensor", affects_shape=False),
    )

    def check_args(self) -> None:
        if self.num_bins is None or self.num_bins <= 0:
            raise _fail(self, "num_bins", "num_bins must be a positive integer.",
                        "num_bins は正の整数でなければなりません。")
        if self.sparse and self.output_mode == "int":
            raise _fail(self, "sparse", "sparse=True needs output_mode \"one_hot\", "
                        "\"multi_hot\" or \"count\".",
                        "sparse=True には output_mode \"one_hot\"・\"multi_hot\"・\"count\" "
                        "が必要です。")

    def compute(self, input_shape: Shape) -> Computed:
        n = int(self.num_bins)
        mode = self.output_mode
        if mode == "int":
            out = input_shape
        elif not input_shape:
            out = (n,)
        else:
            out = (*input_shape[:-1], n)
        return Computed(out, (), tuple(_encoding_note(self, mode, n, input_shape, out)))


# --- StringLookup, IntegerLookup, TextVectorization ---------------------------------------

LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf", "binary", "tf-idf")


class _Lookup(Layer):
    """What StringLookup and IntegerLookup share (Keras's IndexLookup)."""

    family = "preprocessing"
    oov_default: ClassVar[Any] = "[UNK]"
    takes_input_shape = False  # Keras refuses input_dim/input_shape (and would make a
    # string or int64 input from its own dtype)

    def mode(self) -> str:
        mode: str = self.output_mode
        return {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(mode, mode)

    def token_start(self) -> int:
        oov_start = 1 if self.mask_token is not None and self.mode() == "int" else 0
        return oov_start + int(self.num_oov_indices)

    def check_args(self) -> None:
        mode = self.mode()
        max_tokens = self.max_tokens
        if (self.salt is not None and "oov_method" in self._by_name
                and self.oov_method != "farmhash"):
            raise _fail(self, "salt", "salt is only used with oov_method=\"farmhash\".",
                        "salt は oov_method=\"farmhash\" のときだけ使います。")
        if max_tokens is not None and max_tokens <= 1:
            raise _fail(self, "max_tokens", "max_tokens must be greater than 1 (or None).",
                        "max_tokens は 1 より大きく（または None に）します。")
        if self.pad_to_max_tokens and max_tokens is None:
            raise _fail(self, "pad_to_max_tokens", "pad_to_max_tokens=True needs max_tokens.",
                        "pad_to_max_tokens=True には max_tokens が必要です。")
        if self.num_oov_indices < 0:
            raise _fail(self, "num_oov_indices", "num_oov_indices must be >= 0.",
                        "num_oov_indices は 0 以上でなければなりません。")
        if self.invert and mode != "int":
            raise _fail(self, "invert", "invert=True needs output_mode=\"int\".",
                        "invert=True には output_mode=\"int\" が必要です。")
        if self.sparse and mode == "int":
            raise _fail(self, "sparse", "sparse=True needs an output_mode other than \"int\".",
                        "sparse=True には \"int\" 以外の output_mode が必要です。")
        if self.idf_weights is not None and mode != "tf_idf":
            raise _fail(self, "idf_weights", "idf_weights is only for output_mode=\"tf_idf\".",
                        "idf_weights は output_mode=\"tf_idf\" のときだけ使います。")
        vocabulary = self.vocabulary
        if vocabulary is None:
            return
        if mode == "tf_idf" and self.idf_weights is None:
            raise _fail(self, "idf_weights", "output_mode=\"tf_idf\" with a vocabulary needs "
                        "idf_weights (one per token).",
                        "語彙を指定した output_mode=\"tf_idf\" には idf_weights（トークンごと"
                        "に一つ）が必要です。")
        if not vocabulary:
            raise _fail(self, "vocabulary", "the vocabulary is empty.", "語彙が空です。")
        tokens = self.tokens()
        if len(set(tokens)) != len(tokens):
            raise _fail(self, "vocabulary", "the vocabulary repeats a token.",
                        "語彙に同じトークンが二度あります。")
        if self.mask_token is not None and self.mask_token in tokens:
            raise _fail(self, "vocabulary", "the mask token is in the vocabulary (leave it "
                        "out: the layer adds it).",
                        "マスクトークンが語彙にあります（レイヤーが加えるので外します）。")
        if self.invert and self.oov_token is not None and self.oov_token in tokens:
            raise _fail(self, "vocabulary", "the OOV token is in the vocabulary (leave it "
                        "out: the layer adds it).",
                        "OOV トークンが語彙にあります（レイヤーが加えるので外します）。")
        size = self.token_start() + len(tokens)
        if max_tokens is not None and size > max_tokens:
            raise _fail(self, "max_tokens", f"the vocabulary has {size} entries (with the "
                        f"special tokens), more than max_tokens={max_tokens}.",
                        f"語彙は（特別なトークンを含めて）{size} 個で、max_tokens="
                        f"{max_tokens} より多いです。")
        idf = self.idf_weights
        if mode == "tf_idf" and idf is not None:
            idf_shape = _array_shape(idf)
            if idf_shape is None or len(idf_shape) != 1 or idf_shape[0] != len(vocabulary):
                raise _fail(self, "idf_weights", "idf_weights must be a list as long as the "
                            "vocabulary.", "idf_weights は語彙と同じ長さのリストにします。")

    def tokens(self) -> tuple[Any, ...]:
        """The vocabulary without the special tokens Keras finds at its start."""
        vocabulary = tuple(self.vocabulary)
        start = self.token_start()
        oov_start = start - int(self.num_oov_indices)
        special = (self.mask_token,) * oov_start + (self.oov_token,) * int(
            self.num_oov_indices)
        return vocabulary[start:] if vocabulary[:start] == special else vocabulary

    def depth(self) -> int | None:
        if self.pad_to_max_tokens:
            return int(self.max_tokens)
        if self.vocabulary is None:
            return None
        return self.token_start() + len(self.tokens())

    def compute(self, input_shape: Shape) -> Computed:
        mode = self.mode()
        depth = self.depth()
        out = encode_shape(input_shape, mode, depth)
        notes = _encoding_note(self, mode, depth, input_shape, out)
        if mode != "int" and depth is not None and not self.pad_to_max_tokens:
            notes.append(Msg("lookup.depth", {"depth": depth, "vocab": len(self.tokens()),
                                              "oov": self.num_oov_indices}))
        return Computed(out, (), tuple(notes))


def _lookup_params(token: Param, integer: bool) -> tuple[Param, ...]:
    max_tokens = IntParam("max_tokens", None, "the largest vocabulary size (None: no "
                          "limit)", min=None, allow_none=True)
    oov = IntParam("num_oov_indices", 1, "how many indices unknown tokens share", min=None)
    mask = JsonParam("mask_token", None, "a token that means \"padding\" (index 0)")
    vocabulary = VocabularyParam("vocabulary", None, "the tokens, e.g. "
                                 + ("[7, 12]" if integer else "[\"a\", \"b\"]")
                                 + " (None: set by adapt())", integers=integer)
    idf = ArrayParam("idf_weights", None, "one weight per token (output_mode=\"tf_idf\")")
    invert = BoolParam("invert", False, "map indices back to tokens", affects_shape=False)
    mode = _mode("output_mode", "int", LOOKUP_MODES)
    pad = BoolParam("pad_to_max_tokens", False, "make vectors max_tokens long")
    sparse = BoolParam("sparse", False, "return a sparse tensor", affects_shape=False)
    salt = SaltParam("salt", None, "a key for hashing unknown tokens")
    if integer:
        return (max_tokens, oov, mask, token, vocabulary,
                JsonParam("vocabulary_dtype", "int64", "the integer type of the tokens"),
                idf, invert, mode, sparse, pad,
                ChoiceParam("oov_method", "floormod", "how unknown tokens get an OOV index",
                            affects_shape=False, choices=("floormod", "farmhash")),
                salt)
    return (max_tokens, oov, mask, token, vocabulary, idf, invert, mode, pad, sparse,
            JsonParam("encoding", "utf-8", "text encoding"), salt)


class StringLookup(_Lookup):
    """Maps strings to integer indices (or one-hot/multi-hot/count/tf-idf vectors)."""

    help = "maps each string to an integer index from a vocabulary"
    params = _lookup_params(JsonParam("oov_token", "[UNK]", "the token of unknown strings"),
                            integer=False)


class IntegerLookup(_Lookup):
    """Maps integers to indices of a vocabulary (or encoded vectors)."""

    help = "maps each integer to an index of a vocabulary"
    params = _lookup_params(JsonParam("oov_token", -1, "the token of unknown integers"),
                            integer=True)


class TextVectorization(Layer):
    """Splits strings into words and maps them to indices (or encoded vectors)."""

    family = "preprocessing"
    takes_input_shape = False  # with input_shape, Keras makes a string input (its dtype)
    help = "turns strings into sequences of word indices (or word-count vectors)"
    params = (
        IntParam("max_tokens", None, "the largest vocabulary size (None: no limit)",
                 min=None, allow_none=True),
        JsonParam("standardize", "lower_and_strip_punctuation", "how text is cleaned"),
        ChoiceParam("split", "whitespace", "how text is cut into words (None: not at "
                    "all)", choices=("whitespace", "character", None)),
        JsonParam("ngrams", None, "also use groups of n words"),
        _mode("output_mode", "int", ("int", "multi_hot", "count", "tf_idf", "binary",
                                     "tf-idf")),
        IntParam("output_sequence_length", None, "pad or cut each sequence to this length "
                 "(output_mode=\"int\")", min=None, allow_none=True),
        BoolParam("pad_to_max_tokens", False, "make vectors max_tokens long"),
        VocabularyParam("vocabulary", None, "the words, e.g. [\"the\", \"cat\"] (None: set "
                        "by adapt())"),
        ArrayParam("idf_weights", None, "one weight per word (output_mode=\"tf_idf\")"),
        BoolParam("sparse", False, "return a sparse tensor (TensorFlow only)",
                  affects_shape=False),
        BoolParam("ragged", False, "return a ragged tensor (TensorFlow only)",
                  affects_shape=False),
        JsonParam("encoding", "utf-8", "text encoding"),
    )

    def mode(self) -> str:
        mode: str = self.output_mode
        return {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(mode, mode)

    def lookup(self) -> StringLookup:
        """The StringLookup Keras makes inside (mask token "")."""
        args = {"max_tokens": self.max_tokens, "vocabulary": self.vocabulary,
                "idf_weights": self.idf_weights, "pad_to_max_tokens": self.pad_to_max_tokens,
                "mask_token": "", "output_mode": self.output_mode}
        return StringLookup(**args)

    def inner_layers(self) -> tuple[Layer, ...]:
        return (StringLookup(),)

    def check_args(self) -> None:
        if self.sparse:
            raise _fail(self, "sparse", "sparse=True works with the TensorFlow backend only.",
                        "sparse=True は TensorFlow バックエンドでだけ使えます。")
        if self.ragged:
            raise _fail(self, "ragged", "ragged=True works with the TensorFlow backend only.",
                        "ragged=True は TensorFlow バックエンドでだけ使えます。")
        mode = self.mode()
        if mode != "int" and self.output_sequence_length is not None:
            raise _fail(self, "output_sequence_length", "output_sequence_length is only for "
                        "output_mode=\"int\".",
                        "output_sequence_length は output_mode=\"int\" のときだけ使います。")
        try:
            self.lookup()
        except ShapeError as err:
            raise ShapeError(err.problem, fix=err.fix, argument=err.argument,
                             layer_type=self.type_name(), layer_name=self.name) from None

    def compute(self, input_shape: Shape) -> Computed:
        if self.mode() == "int":
            n = self.output_sequence_length
            out: Shape = (input_shape[0] if input_shape else None, n)
            length = (Msg("text_vectorization.length.fixed", {"n": n}) if n is not None
                      else Msg("text_vectorization.length.free"))
            return Computed(out, (), (Msg("text_vectorization.explain.int", {
                "length": length, "out": out}),))
        if self.split is None:
            words: Shape = (*input_shape, 1) if len(input_shape) <= 1 else input_shape
        else:
            words = (*input_shape, None)
        inner = self.lookup().compute(words)
        return Computed(inner.output_shape, (), tuple(inner.notes))


# --- audio: MelSpectrogram, STFTSpectrogram -------------------------------------------------


class MelSpectrogram(Layer):
    """Turns a signal into a mel-scaled spectrogram: (batch, num_mel_bins, frames)."""

    family = "preprocessing"
    help = "turns audio samples into a mel spectrogram (num_mel_bins × frames)"
    params = (
        IntParam("fft_length", 2048, "samples per Fourier transform"),
        IntParam("sequence_stride", 512, "samples between frames"),
        IntParam("sequence_length", None, "samples per frame (None: fft_length)",
                 allow_none=True),
        JsonParam("window", "hann", "the window function"),
        JsonParam("sampling_rate", 16000, "samples per second"),
        IntParam("num_mel_bins", 128, "the number of mel frequency bands"),
        JsonParam("min_freq", 20.0, "the lowest frequency"),
        JsonParam("max_freq", None, "the highest frequency (None: half the sampling rate)"),
        BoolParam("power_to_db", True, "convert to decibels", affects_shape=False),
        JsonParam("top_db", 80.0, "the dynamic range kept (dB)"),
        JsonParam("mag_exp", 2.0, "the exponent of the magnitude"),
        JsonParam("min_power", 1e-10, "the smallest power"),
        JsonParam("ref_power", 1.0, "the reference power"),
    )

    def check_args(self) -> None:
        length = self.sequence_length or self.fft_length
        if self.fft_length < length:
            raise _fail(self, "sequence_length", "fft_length must be >= sequence_length.",
                        "fft_length は sequence_length 以上にします。")

    def compute(self, input_shape: Shape) -> Computed:
        stride = int(self.sequence_stride)
        bins = int(self.num_mel_bins)
        if len(input_shape) == 1:
            steps = input_shape[0]
            out: Shape = (bins, None if steps is None else (steps + stride + 1) // stride)
        else:
            steps = input_shape[1]
            out = (input_shape[0], bins,
                   None if steps is None else (steps + stride + 1) // stride)
        return Computed(out, (), (Msg("spectrogram.explain", {
            "type": self.type_name(), "frame": self.sequence_length or self.fft_length,
            "step": stride, "bins": bins, "out": out}),))


class STFTSpectrogram(Layer):
    """A short-time Fourier transform as a convolution with fixed kernels."""

    family = "conv"
    help = "turns a (batch, steps, channels) signal into frequencies per frame"
    params = (
        ChoiceParam("mode", "log", "what is returned of the transform",
                    choices=("log", "magnitude", "psd", "real", "imag", "angle", "stft")),
        IntParam("frame_length", 256, "samples per frame"),
        IntParam("frame_step", None, "samples between frames (None: frame_length // 2)",
                 min=None, allow_none=True),
        IntParam("fft_length", None, "samples per Fourier transform (None: the next power "
                 "of 2)", min=None, allow_none=True),
        JsonParam("window", "hann", "the window function"),
        BoolParam("periodic", False, "a periodic window", affects_shape=False),
        ChoiceParam("scaling", "density", "how the result is scaled", affects_shape=False,
                    choices=("density", "spectrum", None)),
        ChoiceParam("padding", "valid", "valid: only whole frames; same: pad the ends",
                    choices=("valid", "same")),
        BoolParam("expand_dims", False, "keep the channels as their own axis"),
        data_format_param(),
    )

    def check_args(self) -> None:
        step, frame, fft = self.frame_step, self.frame_length, self.fft_length
        if step is not None and (step > frame or step < 1):
            raise _fail(self, "frame_step", "frame_step must be from 1 to frame_length.",
                        "frame_step は 1 から frame_length までにします。")
        if fft is not None and fft < frame:
            raise _fail(self, "fft_length", "fft_length must be >= frame_length.",
                        "fft_length は frame_length 以上にします。")

    def fft(self) -> int:
        if self.fft_length is not None:
            return int(self.fft_length)
        return 1 << max(0, (int(self.frame_length) - 1).bit_length())

    def compute(self, input_shape: Shape) -> Computed:
        if len(input_shape) != 3:
            raise reject("layer.expected_rank", expected=3, layout="batch, steps, channels",
                         shape=format_shape(input_shape), rank=len(input_shape))
        first = isinstance(self.data_format, str) and self.data_format.lower() == (
            "channels_first")
        channels = input_shape[1] if first else input_shape[2]
        steps = input_shape[2] if first else input_shape[1]
        frame = int(self.frame_length)
        step = int(self.frame_step or frame // 2)
        bins = self.fft() // 2 + 1
        freq = bins * 2 if self.mode == "stft" else bins
        time = conv_output_length(steps, frame, step, self.padding)
        if time is not None and time <= 0:
            raise reject("stft.too_short", length=steps, frame=frame,
                         fix=Msg("stft.fix.too_short"))
        if channels is None:
            raise reject("stft.unknown_channels", shape=format_shape(input_shape),
                         fix=Msg("stft.fix.unknown_channels"))
        depth = freq * channels
        if self.expand_dims:
            out: Shape = ((input_shape[0], time, freq, channels) if not first
                          else (input_shape[0], channels, time, freq))
        else:
            out = ((input_shape[0], time, depth) if not first
                   else (input_shape[0], depth, time))
        kernel = (frame, 1, bins)
        names = [n for n, skip in (("real_kernel", "imag"), ("imag_kernel", "real"))
                 if self.mode != skip]
        weights = tuple(Weight(n, kernel) for n in names)
        return Computed(out, weights, (
            Msg("spectrogram.explain", {"type": self.type_name(), "frame": frame,
                                        "step": step, "bins": freq, "out": out}),
            Msg("stft.weights", {"names": " + ".join(names), "frame": frame, "bins": bins,
                                 "fft": self.fft()})))


# --- HashedCrossing, Pipeline -------------------------------------------------------------


class HashedCrossing(Layer):
    """Hashes pairs of values from two inputs (a feature cross) into ``num_bins`` bins."""

    family = "preprocessing"
    takes_list = True
    drawing: ClassVar[dict[str, str]] = {"merge": "#", "inputs": "ordered"}
    help = "hashes each pair of values of two inputs into one of num_bins bins"
    params = (
        IntParam("num_bins", REQUIRED, "the number of bins", min=None),
        ChoiceParam("output_mode", "int", "an index per pair (\"int\") or a one-hot vector",
                    choices=("int", "one_hot")),
        BoolParam("sparse", False, "return a sparse tensor (TensorFlow only)",
                  affects_shape=False),
    )

    def check_args(self) -> None:
        if self.sparse:
            raise _fail(self, "sparse", "sparse=True works with the TensorFlow backend only.",
                        "sparse=True は TensorFlow バックエンドでだけ使えます。")

    def compute(self, input_shape: Shape) -> Computed:
        raise reject("hashed_crossing.two_inputs", received=1,
                     fix=Msg("hashed_crossing.fix.two_inputs"))

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        if len(input_shapes) != 2:
            raise reject("hashed_crossing.two_inputs", received=len(input_shapes),
                         fix=Msg("hashed_crossing.fix.two_inputs"))
        first, second = input_shapes
        if (first[-1] if first else None) != (second[-1] if second else None) or (
                bool(first) != bool(second)):
            raise reject("hashed_crossing.mismatch", first=format_shape(first),
                         second=format_shape(second))
        n = int(self.num_bins)
        if self.output_mode == "int":
            out: Shape = first
        elif first and first[-1] != 1:
            out = (*first, n)
        else:
            out = (*first[:-1], n)
        return Computed(out, (), (Msg("hashed_crossing.explain", {
            "first": first, "second": second, "bins": n, "out": out}),))


@dataclass(frozen=True)
class LayerListParam(Param):
    """A list of layers given as an argument (``layers`` of Pipeline)."""

    widget: ClassVar[str] = "layer"

    def expected(self) -> Msg:
        return Msg("param.expected.layers")

    def validate(self, value: Any) -> Any:
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.fail(value)
        found: list[Layer] = []
        for item in value:
            if isinstance(item, Layer):
                found.append(item)
            elif isinstance(item, dict):
                from .serial import layer_from_spec

                try:
                    found.append(layer_from_spec(item))
                except ShapeError as err:
                    argument = (self.name if err.argument is None
                                else f"{self.name}.{err.argument}")
                    raise ShapeError(err.problem, fix=err.fix, argument=argument) from None
            else:
                raise self.fail(value)
        return tuple(found)

    def to_json(self, value: Any) -> Any:
        from .serial import layer_to_spec

        return [layer_to_spec(v) for v in value]

    def to_code(self, value: Any, prefix: str = "keras.layers.") -> str:
        from .serial import layer_code

        return "[" + ", ".join(layer_code(v, prefix) for v in value) + "]"


class Pipeline(Layer):
    """Applies a list of layers one after the other, as one layer."""

    family = "preprocessing"
    takes_input_shape = False  # Keras's constructor: (layers, name=None)
    help = "applies its layers one after the other (e.g. a chain of augmentations)"
    params = (LayerListParam("layers", REQUIRED, "the layers, applied first to last"),)

    def check_args(self) -> None:
        for key in ("trainable", "dtype"):  # Keras's constructor: (layers, name=None)
            if key in self.args:
                raise self._unknown_argument(key)

    def inner_layers(self) -> tuple[Layer, ...]:
        found: tuple[Layer, ...] = self.value("layers")
        return found

    def compute(self, input_shape: Shape) -> Computed:
        layers: tuple[Layer, ...] = self.value("layers")
        if not layers:
            raise reject("pipeline.empty", argument="layers", fix=Msg("pipeline.fix.empty"))
        shape = input_shape
        weights: list[Weight] = []
        notes: list[Msg] = []
        for layer in layers:
            try:
                step = layer.evaluate(shape)
            except ShapeError as err:
                raise ShapeError(Msg("pipeline.inner", {
                    "inner": layer.type_name(), "problem": err.problem}),
                    fix=err.fix, argument="layers") from None
            weights.extend(step.weights)
            notes.append(Msg("pipeline.step", {"inner": layer.type_name(),
                                               "out": step.output_shape}))
            shape = step.output_shape
        return Computed(shape, tuple(weights), tuple(notes))


LAYERS: tuple[type[Layer], ...] = (
    Normalization, Discretization, CategoryEncoding, Hashing, StringLookup, IntegerLookup,
    TextVectorization, MelSpectrogram, STFTSpectrogram, HashedCrossing, Pipeline,
)

