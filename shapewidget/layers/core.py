"""Core layers: Dense, EinsumDense, Activation, Dropout, Flatten, Lambda.

Keras facts mirrored here (checked against Keras 3.15) for EinsumDense: the equation is
read only when the layer is built (``ab,bc->ac``, ``...b,bc->...c`` or ``ab...,bc->ac...``,
matched from the start of the string as Keras's regular expressions do); the output keeps
a ``None`` written in ``output_shape`` even where the input's size is known; every weight
size must be known; ``lora_rank`` freezes the kernel and adds ``lora_kernel_a`` (the
kernel's shape with its last axis replaced by the rank) and ``lora_kernel_b``. Lambda:
with ``output_shape`` (a tuple, batch axis left out) the output is the batch axis plus it;
without it Keras runs the function, which shapewidget never does, so it refuses.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    BoolParam,
    CaseChoiceParam,
    FloatParam,
    IntParam,
    JsonParam,
    NoiseShapeParam,
    Param,
    activation_param,
    carried,
    describe,
    is_int,
    seed_param,
    to_code,
)
from ..shapes import Shape, format_shape, num_values, product_expression
from ..text import LazyNotes, Msg, note, register
from .base import Computed, Layer, Weight, computed, reject, require_rank, weight

_new = tuple.__new__  # a named tuple from a full tuple, without its constructor (faster)

register("dense.explain",
         "Dense acts on the last axis: each of the {units} units sees all {inputs} input "
         "values of that axis, so the last axis {inputs} becomes {units} → {out}.",
         "Dense は最後の軸に作用します。{units} 個のユニットそれぞれが、その軸の入力 {inputs} "
         "個すべてを受け取るので、最後の軸 {inputs} が {units} になります → {out}。")
register("dense.explain.leading",
         "The other axes {lead} pass through unchanged (the same weights are applied at "
         "every position).",
         "他の軸 {lead} はそのまま通ります（どの位置にも同じ重みが使われます）。")
register("dense.weights",
         "kernel ({inputs}, {units}) = {kernel:,} weights + bias ({units},) = {total:,} "
         "parameters.",
         "kernel ({inputs}, {units}) = {kernel:,} 個の重み + bias ({units},) = {total:,} "
         "個のパラメータ。")
register("dense.weights.no_bias",
         "kernel ({inputs}, {units}) = {kernel:,} weights, no bias (use_bias=False).",
         "kernel ({inputs}, {units}) = {kernel:,} 個の重み、bias なし（use_bias=False）。")
register("dense.fix.unknown_last_axis",
         "give the input a known last axis; after Flatten, every axis before it must be "
         "known.",
         "入力の最後の軸のサイズを決めてください。Flatten の後なら、その前のすべての軸のサイズが"
         "必要です。")
register("same_shape.explain",
         "{type} does not change the shape: {out}.",
         "{type} は形を変えません: {out}。")
register("dropout.explain",
         "Dropout sets a fraction {rate} of the values to zero while training; the shape "
         "stays {out} and it has no weights.",
         "Dropout は学習中に値の {rate} の割合を 0 にします。形は {out} のままで、重みはありません。")
register("flatten.explain",
         "Flatten keeps the batch axis and multiplies the rest: {expr} = {n} → {out}.",
         "Flatten はバッチ軸を残し、残りを掛け合わせます: {expr} = {n} → {out}。")
register("flatten.explain.unknown",
         "Flatten keeps the batch axis and multiplies the rest ({expr}); a size is "
         "unknown, so the result is unknown → {out}. Keras allows this, but a following "
         "Dense cannot create its weights.",
         "Flatten はバッチ軸を残し、残りを掛け合わせます（{expr}）。不明なサイズがあるので結果も"
         "不明です → {out}。Keras はこれを許しますが、次の Dense は重みを作れません。")


class Dense(Layer):
    """Densely connected layer: every value of the input's last axis feeds every unit."""
    drawing: ClassVar[dict[str, str]] = {"glyph": "neurons", "args": "units"}

    help = "a fully connected layer; units is the size of the output's last axis"
    kernel_weight: ClassVar[str] = "kernel"
    """The weight Keras finds as the layer's ``kernel`` (SpectralNormalization reads it)."""
    params = (
        IntParam("units", REQUIRED, "number of neurons; the size of the output's last axis"),
        activation_param(),
        BoolParam("use_bias", True, "add a bias vector (units,)"),
        JsonParam("kernel_initializer", "glorot_uniform", "how the kernel starts",
                  affects_shape=False),
        JsonParam("bias_initializer", "zeros", "how the bias starts", affects_shape=False),
        *carried("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                 "kernel_constraint", "bias_constraint"),
        IntParam("lora_rank", None, "LoRA: freeze the kernel and learn a change of this "
                 "rank (None: off)", min=0, allow_none=True),
        JsonParam("lora_alpha", None, "LoRA scaling (None: lora_rank); does not change any "
                  "shape", affects_shape=False),
        *carried("quantization_config"),
    )

    def check_args(self) -> None:
        if self._values["lora_rank"] and self._values["kernel_constraint"] is not None:
            raise reject("conv.lora_constraint", argument="lora_rank",
                         fix=Msg("conv.fix.lora_constraint")
                         ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        if self._values["lora_rank"]:
            return self._lora(input_shape)
        require_rank(input_shape, 2, "batch, …, input_size", at_least=True)
        inputs = input_shape[-1]
        if inputs is None:
            raise reject("layer.unknown_last_axis", shape=format_shape(input_shape),
                         fix=Msg("dense.fix.unknown_last_axis"))
        values = self._values
        units: int = values["units"]
        out = (*input_shape[:-1], units)
        weights: tuple[Weight, ...] = (
            (weight("kernel", (inputs, units)), weight("bias", (units,))) if values["use_bias"]
            else (weight("kernel", (inputs, units)),))
        return computed(out, weights, LazyNotes(_dense_notes, (input_shape, inputs, units,
                                                               out, bool(values["use_bias"]))))


    def _lora(self, input_shape: Shape) -> Computed:
        """Dense with ``lora_rank``: the kernel frozen, two trainable matrices after the
        bias (Keras's order)."""
        plain = type(self)(**{k: v for k, v in self.args.items() if k != "lora_rank"})
        out = plain.compute(input_shape)
        rank: int = self._values["lora_rank"]
        kernel = out.weights[0]
        a, b = (kernel.shape[0], rank), (rank, kernel.shape[1])
        weights = (weight("kernel", kernel.shape, False), *out.weights[1:],
                   weight("lora_kernel_a", a), weight("lora_kernel_b", b))
        return computed(out.output_shape, weights, (*out.notes, Msg("conv.lora", {
            "rank": rank, "a": a, "b": b})))


def _dense_notes(input_shape: Shape, inputs: int, units: int, out: Shape,
                 use_bias: bool) -> list[Msg]:
    """The explanation of :meth:`Dense.compute`'s result (worked out when read)."""
    notes = [note("dense.explain", {"units": units, "inputs": inputs, "out": out})]
    if len(input_shape) > 2:
        notes.append(note("dense.explain.leading", {"lead": input_shape[1:-1]}))
    if use_bias:
        notes.append(note("dense.weights", {"inputs": inputs, "units": units,
                                            "kernel": inputs * units,
                                            "total": inputs * units + units}))
    else:
        notes.append(note("dense.weights.no_bias", {"inputs": inputs, "units": units,
                                                    "kernel": inputs * units}))
    return notes


class Activation(Layer):
    """Applies an activation function to every value; the shape is unchanged."""
    drawing: ClassVar[dict[str, str]] = {"args": "activation"}

    help = "applies a function to each value; no weights, same shape"
    params = (activation_param(REQUIRED),)

    def compute(self, input_shape: Shape) -> Computed:
        return _new(Computed, (input_shape, (), (_new(Msg, ("same_shape.explain", {
            "type": "Activation", "out": input_shape})),)))


class Dropout(Layer):
    """Randomly zeroes a fraction of the values while training; the shape is unchanged."""
    drawing: ClassVar[dict[str, str]] = {"args": "rate", "mark": "dropout"}

    help = "zeroes a fraction `rate` of values while training; no weights, same shape"
    params = (
        FloatParam("rate", REQUIRED, "fraction of values set to zero, from 0 to 1",
                   affects_shape=False),
        NoiseShapeParam("noise_shape", None, "shape of the dropout mask (None: the "
                        "input's)"),
        seed_param(),
    )

    def compute(self, input_shape: Shape) -> Computed:
        return _new(Computed, (input_shape, (), (_new(Msg, ("dropout.explain", {
            "rate": self._values["rate"], "out": input_shape})),)))


class Flatten(Layer):
    """Keeps the batch axis and flattens all other axes into one."""

    family = "reshaping"
    help = "flattens everything but the batch axis into one axis"
    params = (
        CaseChoiceParam("data_format", None, "channels_last or channels_first: the order "
                        "in which values are laid out (the shape is the same)",
                        affects_shape=False, choices=(None, "channels_last", "channels_first")),
    )

    def compute(self, input_shape: Shape) -> Computed:
        rest = input_shape[1:]
        n = num_values(rest) if rest else 1
        out = (input_shape[0], n)
        return computed(out, (), LazyNotes(_flatten_notes, (rest, n, out)))


def _flatten_notes(rest: Shape, n: int | None, out: Shape) -> tuple[Msg, ...]:
    """The explanation of :meth:`Flatten.compute`'s result (worked out when read)."""
    key = "flatten.explain" if n is not None else "flatten.explain.unknown"
    return (Msg(key, {"expr": product_expression(rest), "n": "?" if n is None else f"{n:,}",
                      "out": out}),)


# --- EinsumDense -------------------------------------------------------------------------

register("einsum.bad_equation",
         "equation {equation} is not one EinsumDense reads: it must be input,kernel->output "
         "in letters, e.g. \"ab,bc->ac\", optionally with ... at the start of the input "
         "and output (\"...b,bc->...c\") or at their end (\"ab...,bc->ac...\").",
         "equation {equation} は EinsumDense が読める形ではありません。英字で 入力,カーネル->出力 "
         "（例: \"ab,bc->ac\"）と書き、... は入力と出力の先頭（\"...b,bc->...c\"）か末尾"
         "（\"ab...,bc->ac...\"）に置けます。")
register("einsum.fix.bad_equation", "write e.g. \"ab,bc->ac\" for a Dense-like layer.",
         "Dense と同じ働きなら \"ab,bc->ac\" のように書きます。")
register("einsum.rank",
         "equation {equation} names {letters} input axes ({spec}) but the input {shape} has "
         "rank {rank}.",
         "equation {equation} は入力の軸を {letters} 個（{spec}）名付けていますが、入力 {shape} "
         "のランクは {rank} です。")
register("einsum.fix.rank",
         "use one letter per input axis, batch axis included, or ... for the axes to pass "
         "through.",
         "バッチ軸を含め入力の軸ごとに一文字を使うか、そのまま通す軸には ... を使います。")
register("einsum.output_rank",
         "output_shape {output_shape} (batch axis left out) does not cover the output axes "
         "{spec} of equation {equation}.",
         "output_shape {output_shape}（バッチ軸は除く）が equation {equation} の出力の軸 "
         "{spec} を覆っていません。")
register("einsum.fix.output_rank",
         "give one size per output letter after the batch letter: {count} sizes.",
         "バッチの文字の後の出力の文字ごとにサイズを一つ、合わせて {count} 個書きます。")
register("einsum.shared_mismatch",
         "axis '{dim}' is in both the input and the output, so its size must stay {size}, "
         "but output_shape gives {given}.",
         "軸 '{dim}' は入力と出力の両方にあるのでサイズは {size} のままでなければなりませんが、"
         "output_shape は {given} です。")
register("einsum.fix.shared_mismatch",
         "write {size} (or None) for axis '{dim}' in output_shape.",
         "output_shape の軸 '{dim}' には {size}（または None）を書きます。")
register("einsum.output_unknown",
         "output axis '{dim}' of {spec} is neither in the input ({input_spec}) nor in the "
         "kernel ({weight_spec}).",
         "出力の軸 '{dim}'（{spec}）は入力（{input_spec}）にもカーネル（{weight_spec}）にも"
         "ありません。")
register("einsum.weight_unmatched",
         "kernel axis '{dim}' of {weight_spec} is neither in the input ({input_spec}) nor in "
         "the output ({output_spec}), so its size is not known.",
         "カーネルの軸 '{dim}'（{weight_spec}）は入力（{input_spec}）にも出力（{output_spec}）"
         "にもないので、サイズが分かりません。")
register("einsum.fix.letters",
         "every letter must appear in the input or the output as well as where it is used.",
         "どの文字も、使う場所に加えて入力か出力に現れなければなりません。")
register("einsum.bias_axis",
         "bias_axes {bias_axes} names '{dim}', which is not an output axis ({output_spec}).",
         "bias_axes {bias_axes} の '{dim}' は出力の軸（{output_spec}）ではありません。")
register("einsum.fix.bias_axis", "use letters of the output, e.g. bias_axes=\"{last}\".",
         "出力の文字を使います。例: bias_axes=\"{last}\"。")
register("einsum.unknown_size",
         "the {weight} would have shape {shape}: a size is unknown (None), so Keras cannot "
         "create it.",
         "{weight} の形は {shape} になり、不明なサイズ（None）があるため Keras は作れません。")
register("einsum.fix.unknown_size",
         "give the input axes the kernel reads a known size, and write sizes (not None) in "
         "output_shape for the kernel's output axes.",
         "カーネルが読む入力の軸のサイズを決め、カーネルの出力の軸には output_shape で "
         "（None ではなく）サイズを書きます。")
register("einsum.explain",
         "EinsumDense computes einsum(\"{equation}\", input, kernel): the input letters "
         "{input_spec} ↔ {shape}, the output letters {output_spec} ↔ {out}.",
         "EinsumDense は einsum(\"{equation}\", 入力, カーネル) を計算します: 入力の文字 "
         "{input_spec} ↔ {shape}、出力の文字 {output_spec} ↔ {out}。")
register("einsum.kernel",
         "kernel {weight_spec} = {kernel}: each letter takes its size from the input or from "
         "output_shape.",
         "kernel {weight_spec} = {kernel}: 各文字のサイズは入力か output_shape から来ます。")
register("einsum.bias",
         "bias_axes=\"{bias_axes}\": bias {bias} (size 1 on output axes after the first bias "
         "axis that are not bias axes, so it broadcasts).",
         "bias_axes=\"{bias_axes}\": bias {bias}（最初のバイアスの軸より後でバイアスの軸でない"
         "出力の軸はサイズ 1 で、ブロードキャストされます）。")
register("param.expected.equation", "an einsum equation string such as \"ab,bc->ac\"",
         "\"ab,bc->ac\" のような einsum の式の文字列")
register("param.expected.output_shape",
         "an integer >= 0 or a tuple of integers >= 0 or None (batch axis left out)",
         "0 以上の整数、または 0 以上の整数か None のタプル（バッチ軸は除く）")
register("param.expected.bias_axes", "None or a string of output letters such as \"c\"",
         "None、または \"c\" のような出力の文字の文字列")


class _EinsumError(Exception):
    """An analysis step Keras fails at (becomes a ShapeError with the input shape)."""

    def __init__(self, key: str, fix: Msg | None, **values: Any) -> None:
        super().__init__(key)
        self.key, self.fix, self.values = key, fix, values


@dataclass(frozen=True)
class StringParam(Param):
    """A string kept as given (``equation`` of EinsumDense)."""

    expected_key: str = "param.expected.equation"
    allow_none: bool = False

    def expected(self) -> Msg:
        return Msg(self.expected_key)

    def validate(self, value: Any) -> Any:
        if isinstance(value, str) or (value is None and self.allow_none):
            return value
        raise self.fail(value)


@dataclass(frozen=True)
class PartialShapeParam(Param):
    """``output_shape`` of EinsumDense: an int, or a tuple of sizes (or None) without the
    batch axis; kept as given (a list becomes a tuple)."""

    def expected(self) -> Msg:
        return Msg("param.expected.output_shape")

    def validate(self, value: Any) -> Any:
        if is_int(value) and value >= 0:
            return value
        if isinstance(value, list | tuple) and all(v is None or (is_int(v) and v >= 0)
                                                   for v in value):
            return tuple(value)
        raise self.fail(value)


def analyze_einsum(equation: str, bias_axes: str | None, input_shape: Shape,
                   output_shape: int | tuple[int | None, ...]
                   ) -> tuple[tuple[Any, ...], tuple[Any, ...] | None, Shape, str, str, str]:
    """Keras's ``_analyze_einsum_string``: (kernel shape, bias shape or None, output shape,
    input spec, kernel spec, output spec). Raises :class:`_EinsumError`."""
    replaced = re.sub(r"\.\.\.", "0", equation)
    left = False
    match = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", replaced)
    if not match:
        match = re.match("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", replaced)
        left = match is not None
    if not match:
        match = re.match("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", replaced)
    if not match:
        raise _EinsumError("einsum.bad_equation", Msg("einsum.fix.bad_equation"),
                           equation=to_code(equation))
    input_spec, weight_spec, output_spec = match.group(1), match.group(2), match.group(3)
    try:
        return _analyze_split(input_spec, weight_spec, output_spec, left, bias_axes,
                              input_shape, output_shape, equation)
    except IndexError:
        letters = len(input_spec)
        if len(input_shape) < letters or (not left and len(input_shape) != letters
                                          and "..." not in equation):
            raise _EinsumError("einsum.rank", Msg("einsum.fix.rank"),
                               equation=to_code(equation), letters=letters, spec=input_spec,
                               shape=format_shape(input_shape),
                               rank=len(input_shape)) from None
        count = len(output_spec) - 1
        raise _EinsumError("einsum.output_rank", Msg("einsum.fix.output_rank",
                                                     {"count": count}),
                           output_shape=to_code(output_shape), spec=output_spec,
                           equation=to_code(equation)) from None


def _analyze_split(input_spec: str, weight_spec: str, output_spec: str, left: bool,
                   bias_axes: str | None, input_shape: Shape,
                   output_shape: int | tuple[int | None, ...], equation: str
                   ) -> tuple[tuple[Any, ...], tuple[Any, ...] | None, Shape, str, str, str]:
    elided = len(input_shape) - len(input_spec)
    out: list[Any] = [output_shape] if is_int(output_shape) else list(output_shape)  # type: ignore[arg-type]
    out.insert(0, input_shape[0])
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        for i in range(len(input_shape) - elided, len(input_shape)):
            out.append(input_shape[i])
    if left:
        input_map = {d: (i + elided) - len(input_shape) for i, d in enumerate(input_spec)}
        output_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        input_map = {d: i for i, d in enumerate(input_spec)}
        output_map = {d: i for i, d in enumerate(output_spec)}
    for d in input_spec:
        size = input_shape[input_map[d]]
        if d in output_map:
            given = out[output_map[d]]
            if given is not None and given != size:
                raise _EinsumError("einsum.shared_mismatch", Msg(
                    "einsum.fix.shared_mismatch", {"size": size, "dim": d}),
                    dim=d, size=size, given=given)
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise _EinsumError("einsum.output_unknown", Msg("einsum.fix.letters"), dim=d,
                               spec=output_spec, input_spec=input_spec,
                               weight_spec=weight_spec)
    kernel: list[Any] = []
    for d in weight_spec:
        if d in output_map:
            kernel.append(out[output_map[d]])
        elif d in input_map:
            kernel.append(input_shape[input_map[d]])
        else:
            raise _EinsumError("einsum.weight_unmatched", Msg("einsum.fix.letters"), dim=d,
                               weight_spec=weight_spec, input_spec=input_spec,
                               output_spec=output_spec)
    bias: list[Any] | None = None
    if bias_axes is not None:
        lead = elided if left else 0
        index = {c: out[i + lead] for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise _EinsumError("einsum.bias_axis", Msg("einsum.fix.bias_axis", {
                    "last": output_spec[-1]}), bias_axes=to_code(bias_axes), dim=c,
                    output_spec=output_spec)
        first = min(output_spec.find(c) for c in bias_axes) if bias_axes else 0
        bias = [index[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left:
            bias += [1] * max(elided, 0)
    return (tuple(kernel), None if bias is None else tuple(bias), tuple(out), input_spec,
            weight_spec, output_spec)


class EinsumDense(Layer):
    """A Dense layer written as an einsum equation: any axes in, any axes out."""

    drawing: ClassVar[dict[str, str]] = {}
    help = "a dense layer given by an einsum equation (e.g. \"ab,bc->ac\") and output_shape"
    rank_fixed_when_built = True  # Keras's built InputSpec(ndim=…)
    kernel_weight: ClassVar[str] = "kernel"
    params = (
        StringParam("equation", REQUIRED, "input,kernel->output letters, e.g. ab,bc->ac"),
        PartialShapeParam("output_shape", REQUIRED, "the output's sizes after the batch "
                          "axis (None: as the input's)"),
        activation_param(),
        StringParam("bias_axes", None, "output letters that get a bias (None: no bias)",
                    expected_key="param.expected.bias_axes", allow_none=True),
        JsonParam("kernel_initializer", "glorot_uniform", "how the kernel starts",
                  affects_shape=False),
        JsonParam("bias_initializer", "zeros", "how the bias starts", affects_shape=False),
        *carried("kernel_regularizer", "bias_regularizer", "kernel_constraint",
                 "bias_constraint"),
        IntParam("lora_rank", None, "LoRA: freeze the kernel and learn a change of this "
                 "rank (None: off)", min=0, allow_none=True),
        JsonParam("lora_alpha", None, "LoRA scaling (None: lora_rank); does not change any "
                  "shape", affects_shape=False),
        *carried("gptq_unpacked_column_size", "quantization_config"),
    )

    def check_args(self) -> None:
        if self.lora_rank and self.kernel_constraint is not None:
            raise reject("conv.lora_constraint", argument="lora_rank",
                         fix=Msg("conv.fix.lora_constraint")
                         ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        values = self._values
        equation: str = values["equation"]
        try:
            kernel, bias, out, input_spec, weight_spec, output_spec = analyze_einsum(
                equation, values["bias_axes"], input_shape, values["output_shape"])
        except _EinsumError as err:
            argument = ("bias_axes" if err.key == "einsum.bias_axis" else "output_shape"
                        if err.key in ("einsum.shared_mismatch", "einsum.output_rank")
                        else "equation")
            raise reject(err.key, argument=argument, fix=err.fix, **err.values) from None
        for name, shape in (("kernel", kernel), ("bias", bias)):
            if shape is not None and None in shape:
                raise reject("einsum.unknown_size", argument="output_shape", weight=name,
                             shape=to_code(shape), fix=Msg("einsum.fix.unknown_size"))
        weights = [weight("kernel", kernel)]
        if bias is not None:
            weights.append(weight("bias", bias))
        notes = [Msg("einsum.explain", {"equation": equation, "input_spec": input_spec,
                                        "shape": format_shape(input_shape),
                                        "output_spec": output_spec, "out": format_shape(out)}),
                 Msg("einsum.kernel", {"weight_spec": weight_spec, "kernel": to_code(kernel)})]
        if bias is not None:
            notes.append(Msg("einsum.bias", {"bias_axes": values["bias_axes"],
                                             "bias": to_code(bias)}))
        rank: int | None = values["lora_rank"]
        if rank:
            a, b = (*kernel[:-1], rank), (rank, kernel[-1])
            weights[0] = weight("kernel", kernel, False)
            weights += [weight("lora_kernel_a", a), weight("lora_kernel_b", b)]
            notes.append(Msg("conv.lora", {"rank": rank, "a": a, "b": b}))
        notes.append(Msg("spatial.weights", {
            "terms": " + ".join(f"{w.name} {to_code(w.shape)}: {w.size:,}" for w in weights),
            "total": f"{sum(w.size for w in weights):,}"}))
        return computed(out, tuple(weights), tuple(notes))


# --- Lambda ---------------------------------------------------------------------------------

register("lambda.no_output_shape",
         "Lambda without output_shape: Keras runs the function to find the output shape, "
         "and shapewidget never runs code.",
         "output_shape のない Lambda: Keras は関数を実行して出力の形を求めますが、shapewidget "
         "はコードを実行しません。")
register("lambda.fix.output_shape",
         "give output_shape, the shape after the batch axis, e.g. "
         "Lambda(fn, output_shape={example}).",
         "バッチ軸の後の形 output_shape を指定します。例: Lambda(fn, output_shape={example})。")
register("lambda.explain",
         "Lambda applies its function {function}; output_shape {given} gives the shape after "
         "the batch axis → {out}. No weights.",
         "Lambda は関数 {function} を適用します。output_shape {given} がバッチ軸の後の形を"
         "与えます → {out}。重みはありません。")
register("param.expected.function",
         "the function as Python source, e.g. \"lambda x: x * 2\" (read, never run)",
         "Python のソースとしての関数。例: \"lambda x: x * 2\"（読むだけで実行しません）")
register("param.expected.lambda_shape",
         "a tuple of sizes >= 0 or None, batch axis left out, e.g. (4,)",
         "0 以上のサイズか None のタプル（バッチ軸は除く）。例: (4,)")


@dataclass(frozen=True)
class SourceParam(Param):
    """A Python expression kept as source text (``function`` of Lambda): parsed to check
    it is one expression, never run; the code export writes it as code, not a string."""

    affects_shape: bool = False

    def expected(self) -> Msg:
        return Msg("param.expected.function")

    def validate(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            try:
                ast.parse(value.strip(), mode="eval")
            except SyntaxError:
                raise self.fail(value) from None
            return value.strip()
        raise self.fail(value)

    def to_code(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class LambdaShapeParam(Param):
    """``output_shape`` of Lambda: a tuple without the batch axis (an int is refused, as
    Keras refuses it), or None."""

    def expected(self) -> Msg:
        return Msg("param.expected.lambda_shape")

    def validate(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, list | tuple) and all(v is None or (is_int(v) and v >= 0)
                                                   for v in value):
            return tuple(value)
        fix = Msg("param.fix.tuple_comma", {"value": value}) if is_int(value) else None
        raise ShapeError(Msg("param.received", {"expected": self.expected(),
                                                "received": describe(value)}),
                         fix=fix, argument=self.name)


class Lambda(Layer):
    """Wraps a function as a layer; shapewidget needs its ``output_shape``."""

    help = "applies a Python function; give output_shape (after the batch axis)"
    params = (
        SourceParam("function", REQUIRED, "the function, as source code (never run)"),
        LambdaShapeParam("output_shape", None, "the output's shape after the batch axis "
                         "(needed: shapewidget does not run the function)"),
        JsonParam("mask", None, "kept as given; does not change any shape"),
        JsonParam("arguments", None, "keyword arguments for the function (kept as given)"),
    )

    def compute(self, input_shape: Shape) -> Computed:
        given = self._values["output_shape"]
        if given is None:
            example = to_code(tuple(input_shape[1:]))
            raise reject("lambda.no_output_shape", argument="output_shape",
                         fix=Msg("lambda.fix.output_shape", {"example": example}))
        out = (input_shape[0] if input_shape else None, *given)
        return computed(out, (), (Msg("lambda.explain", {
            "function": self._values["function"], "given": to_code(given),
            "out": format_shape(out)}),))


LAYERS: tuple[type[Layer], ...] = (Dense, EinsumDense, Activation, Dropout, Flatten, Lambda)
