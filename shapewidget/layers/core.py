"""Core layers: Dense, Activation, Dropout, Flatten."""

from __future__ import annotations

from typing import ClassVar

from ..params import (
    REQUIRED,
    BoolParam,
    CaseChoiceParam,
    FloatParam,
    IntParam,
    JsonParam,
    NoiseShapeParam,
    activation_param,
    carried,
    seed_param,
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
    params = (
        IntParam("units", REQUIRED, "number of neurons; the size of the output's last axis"),
        activation_param(),
        BoolParam("use_bias", True, "add a bias vector (units,)"),
        JsonParam("kernel_initializer", "glorot_uniform", "how the kernel starts",
                  affects_shape=False),
        JsonParam("bias_initializer", "zeros", "how the bias starts", affects_shape=False),
        *carried("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                 "kernel_constraint", "bias_constraint"),
    )

    def compute(self, input_shape: Shape) -> Computed:
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


LAYERS: tuple[type[Layer], ...] = (Dense, Activation, Dropout, Flatten)
