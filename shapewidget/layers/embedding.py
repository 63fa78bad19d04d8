"""Embedding: a lookup table that turns integer indices into vectors."""

from __future__ import annotations

from typing import Any, ClassVar

from ..params import REQUIRED, BoolParam, IntParam, JsonParam, NumberParam, carried, to_code
from ..shapes import Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject

register("embedding.explain",
         "Embedding is a table of {input_dim} rows (one per index 0 … {last}) of "
         "{output_dim} values. Each integer index in the input {shape} picks one row, so "
         "every value becomes a vector of {output_dim} → {out}. Inputs are cast to integers.",
         "Embedding は {input_dim} 行（インデックス 0 … {last} に一行ずつ）で各行 {output_dim} "
         "個の値の表です。入力 {shape} の整数インデックスがそれぞれ一行を選ぶので、各値が "
         "{output_dim} 個の値のベクトルになります → {out}。入力は整数に変換されます。")
register("embedding.weights",
         "embeddings ({input_dim}, {output_dim}) = {total} parameters.",
         "embeddings ({input_dim}, {output_dim}) = {total} 個のパラメータ。")
register("embedding.mask_zero",
         "mask_zero=True: index 0 means padding and is masked, so input_dim should be the "
         "vocabulary size + 1.",
         "mask_zero=True: インデックス 0 はパディングを表しマスクされるので、input_dim は語彙数 "
         "+ 1 にします。")
register("embedding.lora",
         "lora_rank={rank}: the table is frozen ({table} non-trainable) and a low-rank "
         "update is learned instead: lora_embeddings_a ({input_dim}, {rank}) + "
         "lora_embeddings_b ({rank}, {output_dim}) = {lora} trainable.",
         "lora_rank={rank}: 表は固定され（{table} 個、学習しない）、代わりに低ランクの更新を"
         "学習します: lora_embeddings_a ({input_dim}, {rank}) + lora_embeddings_b ({rank}, "
         "{output_dim}) = {lora} 個、学習する。")
register("embedding.input_length",
         "input_length is deprecated in Keras 3 and ignored (the input shape decides the "
         "length).",
         "input_length は Keras 3 では非推奨で無視されます（長さは入力の形で決まります）。")
register("embedding.lora_constraint",
         "LoRA (lora_rank={rank}) cannot be used together with embeddings_constraint.",
         "LoRA（lora_rank={rank}）は embeddings_constraint と一緒には使えません。")
register("embedding.fix.lora_constraint",
         "remove embeddings_constraint, or set lora_rank=None.",
         "embeddings_constraint を外すか、lora_rank=None にします。")
register("embedding.bad_weights",
         "weights must be one matrix of shape ({input_dim}, {output_dim}) (input_dim rows "
         "of output_dim numbers), received {received}.",
         "weights は形 ({input_dim}, {output_dim}) の行列（output_dim 個の数の行が input_dim "
         "行）でなければなりませんが、{received} を受け取りました。")
register("embedding.fix.bad_weights",
         "give {input_dim} rows of {output_dim} numbers (in Keras: a NumPy array), or None.",
         "{output_dim} 個の数の行を {input_dim} 行（Keras では NumPy 配列）か None を指定します。")


def matrix_shape(value: Any) -> tuple[int, ...] | None:
    """The shape of a nested tuple of numbers if it is a rectangular matrix."""
    if not isinstance(value, tuple) or not all(isinstance(row, tuple) for row in value):
        return None
    widths = {len(row) for row in value}
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool)
                  for row in value for v in row)
    if len(widths) > 1 or not numbers:
        return None
    return (len(value), widths.pop() if widths else 0)


class Embedding(Layer):
    """Turns non-negative integer indices into dense vectors of ``output_dim`` values."""
    drawing: ClassVar[dict[str, str]] = {"args": "embedding"}

    family = "embedding"
    keyword_only = ("input_length",)  # Keras reads it from **kwargs
    kernel_weight = "embeddings"  # what SpectralNormalization normalizes
    help = ("a lookup table: each integer index (0 … input_dim − 1) picks a row of "
            "output_dim values; output = input shape + (output_dim,)")
    params = (
        IntParam("input_dim", REQUIRED, "vocabulary size: the largest index + 1 (the "
                 "number of rows of the table)"),
        IntParam("output_dim", REQUIRED, "the length of each vector (the new last axis)"),
        JsonParam("embeddings_initializer", "uniform", "how the table starts",
                  affects_shape=False),
        *carried("embeddings_regularizer", "embeddings_constraint"),
        BoolParam("mask_zero", False, "treat index 0 as padding (masked)",
                  affects_shape=False),
        JsonParam("weights", None, "initial table: input_dim rows of output_dim numbers",
                  affects_shape=False),
        IntParam("lora_rank", None, "LoRA: freeze the table and learn a low-rank update of "
                 "this rank", min=0, allow_none=True),
        NumberParam("lora_alpha", None, "LoRA scale (default: lora_rank)", allow_none=True),
        *carried("quantization_config"),
        JsonParam("input_length", None, "deprecated in Keras 3 and ignored (keyword only)",
                  affects_shape=False),
    )

    def check_args(self) -> None:
        weights = self.weights
        if weights is None:
            return
        if isinstance(weights, tuple) and len(weights) == 1 and self.input_dim != 1:
            weights = weights[0]  # Keras also takes [matrix]
        expected = (self.input_dim, self.output_dim)
        if matrix_shape(weights) != expected:
            found = matrix_shape(weights)
            received = f"shape {to_code(found)}" if found is not None else to_code(weights)
            values = {"input_dim": self.input_dim, "output_dim": self.output_dim}
            raise reject("embedding.bad_weights", argument="weights", received=received,
                         fix=Msg("embedding.fix.bad_weights", values), **values
                         ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        input_dim: int = self.input_dim
        output_dim: int = self.output_dim
        rank: int | None = self.lora_rank
        if rank and self.embeddings_constraint is not None:
            raise reject("embedding.lora_constraint", argument="lora_rank", rank=rank,
                         fix=Msg("embedding.fix.lora_constraint"))
        out = (*input_shape, output_dim)
        table = input_dim * output_dim
        notes = [Msg("embedding.explain", {
            "input_dim": f"{input_dim:,}", "last": f"{input_dim - 1:,}",
            "output_dim": output_dim, "shape": format_shape(input_shape),
            "out": format_shape(out)})]
        if rank:
            weights: tuple[Weight, ...] = (
                Weight("embeddings", (input_dim, output_dim), trainable=False),
                Weight("lora_embeddings_a", (input_dim, rank)),
                Weight("lora_embeddings_b", (rank, output_dim)),
            )
            notes.append(Msg("embedding.lora", {
                "rank": rank, "input_dim": input_dim, "output_dim": output_dim,
                "table": f"{table:,}", "lora": f"{(input_dim + output_dim) * rank:,}"}))
        else:
            weights = (Weight("embeddings", (input_dim, output_dim)),)
            notes.append(Msg("embedding.weights", {"input_dim": input_dim,
                                                   "output_dim": output_dim,
                                                   "total": f"{table:,}"}))
        if self.mask_zero:
            notes.append(Msg("embedding.mask_zero"))
        if self.input_length is not None:
            notes.append(Msg("embedding.input_length"))
        return Computed(out, weights, tuple(notes))



LAYERS: tuple[type[Layer], ...] = (Embedding,)
