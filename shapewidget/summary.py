"""Summary rows: what every view (table, drawing, explanation) reads of a model."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

from .errors import ShapeError
from .layers.base import Weight
from .shapes import Shape, format_shape, num_values, product_expression
from .text import Lang, Msg, int_text, register, render_all

register("summary.title", 'Model: "{name}"', 'モデル: "{name}"')
register("summary.col.layer", "Layer (type)", "レイヤー (型)")
register("summary.col.output", "Output Shape", "出力の形")
register("summary.col.params", "Param #", "パラメータ数")
register("summary.col.connected", "Connected to", "接続元")
register("summary.output_mark", "→ output", "→ 出力")
register("summary.shared_mark", "shares {target}", "{target} と共有")
register("summary.input_row", "input: {shape}  (a tensor, not a layer)",
         "入力: {shape}（レイヤーではなくテンソル）")
register("summary.total", "Total params: {n} ({size})", "パラメータ合計: {n} ({size})")
register("summary.trainable", "Trainable params: {n} ({size})", "学習するパラメータ: {n} ({size})")
register("summary.non_trainable", "Non-trainable params: {n} ({size})",
         "学習しないパラメータ: {n} ({size})")
register("summary.error", "Error: {message}", "エラー: {message}")


def format_bytes(n: int) -> str:
    """Bytes as Keras's summary prints them: ``164.00 B``, ``1.56 KB``, ``3.05 MB``
    (integer arithmetic: any size, rounded down to the hundredth like ``.2f`` would
    round for these sizes)."""
    for power, unit in enumerate(("B", "KB", "MB", "GB")):
        scale = 1024 ** power
        if n < scale * 1024 or unit == "GB":
            if n < 2**52:  # exact as a float: Keras's own rounding
                return f"{n / scale:.2f} {unit}"
            hundredths = (n * 100 + scale // 2) // scale
            return f"{int_text(hundredths // 100, grouped=False)}.{hundredths % 100:02d} {unit}"
    raise AssertionError("unreachable")


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


class SummaryRow(NamedTuple):
    """One layer as it sits in the model: shapes, weights, counts and derivation."""

    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose
    name: str
    class_name: str
    input_shape: Shape
    output_shape: Shape
    weights: tuple[Weight, ...]
    trainable_params: int
    non_trainable_params: int
    notes: Sequence[Msg] = ()
    """The derivation (a tuple, or :class:`~shapewidget.text.LazyNotes` worked out when
    first read, that reads and compares as one)."""
    args: dict[str, Any] = {}  # noqa: RUF012 (never mutated)
    inbound: tuple[str, ...] = ()
    """Names of the tensors the layer is called on (a model input or an earlier row)."""
    input_shapes: tuple[Shape, ...] = ()
    """The shapes of all inbound tensors (merge layers take several)."""
    shares: str | None = None
    """For a second call of a layer (a shared layer): the name of the layer it reuses."""

    @property
    def params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    @property
    def values_per_sample(self) -> int | None:
        """Numbers in one sample of the output (batch axis left out)."""
        return num_values(self.output_shape[1:])

    @property
    def explanation(self) -> str:
        """The derivation of this row's shapes and counts, in English."""
        return self.explain("en")

    def explain(self, lang: Lang = "en") -> str:
        return render_all(self.notes, lang)


class InputTensor(NamedTuple):
    """One model input: its name and shape as Keras prints them (batch axis first)."""

    name: str
    shape: Shape
    dtype: str = "float32"


@dataclass(frozen=True)
class Summary:
    """All rows of a model, its input and its totals; ``error`` set if a layer breaks.

    Iterating gives the rows; with an error, the rows are those before the broken layer.
    """

    input_shape: Shape
    input_dtype: str
    rows: tuple[SummaryRow, ...]
    error: ShapeError | None = None
    model_name: str = "sequential"
    inputs: tuple[InputTensor, ...] = ()
    """Every model input; empty means the one input ``input_shape``."""
    outputs: tuple[str, ...] = ()
    """Names of the output tensors (rows or inputs); empty means the last row."""
    functional: bool = False
    """True for a graph (named inputs, ``inbound``, shared layers or outputs)."""
    call_order: tuple[int, ...] = ()
    """Row indices in the order the layers were called (dependency order); empty: the
    rows' own order."""

    def __post_init__(self) -> None:
        if not self.inputs:
            object.__setattr__(self, "inputs", (InputTensor(
                "input_layer", self.input_shape, self.input_dtype),))

    def __iter__(self) -> Iterator[SummaryRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> SummaryRow: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[SummaryRow, ...]: ...
    def __getitem__(self, i: int | slice) -> SummaryRow | tuple[SummaryRow, ...]:
        return self.rows[i]

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def output_shape(self) -> Shape:
        """The (first) output's shape."""
        if self.outputs:
            return self.shape_of(self.outputs[0])
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def row_named(self, name: str) -> SummaryRow | None:
        for row in self.rows:
            if row.name == name:
                return row
        return None

    def shape_of(self, tensor: str) -> Shape:
        """The shape of a tensor: a model input or a row's output, by name."""
        for inp in self.inputs:
            if inp.name == tensor:
                return inp.shape
        row = self.row_named(tensor)
        if row is None:
            raise KeyError(tensor)
        return row.output_shape

    def connected_to(self, row: SummaryRow) -> tuple[str, ...]:
        """A row's inbound tensors as Keras's summary prints them: ``dense[1][0]`` is the
        output of the second call of ``dense``."""
        calls: dict[str, tuple[str, int]] = {}
        counts: dict[str, int] = {}
        by_index = {r.index: r for r in self.rows}
        ordered = ([by_index[i] for i in self.call_order if i in by_index]
                   if self.call_order else self.rows)
        for r in ordered:
            layer = r.shares or r.name
            calls[r.name] = (layer, counts.get(layer, 0))
            counts[layer] = counts.get(layer, 0) + 1
        out = []
        for tensor in row.inbound:
            layer, node = calls.get(tensor, (tensor, 0))
            out.append(f"{layer}[{node}][0]")
        return tuple(out)

    @property
    def trainable_params(self) -> int:
        """Counted by each weight's flag, as Keras's ``model.summary()`` counts: the weights
        of a layer wrapped by a frozen wrapper keep their trainable flag."""
        return sum(w.size for r in self.rows for w in r.weights if w.trainable)

    @property
    def non_trainable_params(self) -> int:
        return sum(r.params for r in self.rows) - self.trainable_params

    @property
    def total_params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    @property
    def batch_size(self) -> int | None:
        return self.input_shape[0]

    @property
    def input_values_per_sample(self) -> int | None:
        """Numbers in one sample of every input together."""
        total = 0
        for inp in self.inputs:
            n = num_values(inp.shape[1:])
            if n is None:
                return None
            total += n
        return total

    @property
    def input_values_per_batch(self) -> int | None:
        """Numbers in one batch of input (``None`` while the batch size is not fixed)."""
        return num_values(self.input_shape)

    @property
    def input_values_expression(self) -> str:
        """``"30·50·50·3"``: how the count of one batch (or one sample) is formed."""
        shape = self.input_shape if self.batch_size is not None else self.input_shape[1:]
        return product_expression(shape)

    @property
    def weight_bytes(self) -> int:
        """float32 bytes of all weights."""
        return 4 * self.total_params

    @property
    def activation_values_per_sample(self) -> int | None:
        """Numbers of the input and every layer's output for one sample."""
        total = self.input_values_per_sample
        for r in self.rows:
            v = r.values_per_sample
            if total is None or v is None:
                return None
            total += v
        return total

    def activation_bytes(self, batch_size: int | None = None) -> int | None:
        """float32 bytes of all activations for one batch (the fixed one by default)."""
        batch = batch_size if batch_size is not None else self.batch_size
        per_sample = self.activation_values_per_sample
        if batch is None or per_sample is None:
            return None
        return 4 * batch * per_sample

    def to_text(self, lang: Lang = "en") -> str:
        """A table in the spirit of Keras's ``model.summary()``.

        A functional model gets Keras's functional layout: one ``InputLayer`` row per
        input before the layers, a "Connected to" column (``conv[0][0]``; ``kind[1][0]``
        is the output of the second call of ``kind``), and its output rows marked.
        """
        keys = ("layer", "output", "params", *(("connected",) if self.functional else ()))
        headers = [Msg(f"summary.col.{k}").render(lang) for k in keys]
        body = [list(cells) for cells in self.text_rows(lang)]
        widths = [max(display_width(r[i]) for r in (headers, *body)) + 2
                  for i in range(len(headers))]

        def line(cells: list[str], sep: str = "│") -> str:
            out = sep
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                out += (f"{pad(cell, w - 1, right=True)} " if i == 2
                        else f" {pad(cell, w - 1)}") + sep
            return out

        def rule(left: str, mid: str, right: str, fill: str) -> str:
            return left + mid.join(fill * w for w in widths) + right

        out = [Msg("summary.title", {"name": self.model_name}).render(lang)]
        if not self.functional:
            out.append(Msg("summary.input_row",
                           {"shape": format_shape(self.input_shape)}).render(lang))
        out += [rule("┏", "┳", "┓", "━"), line(headers, "┃"), rule("┡", "╇", "┩", "━")]
        out += [line(b) for b in body]
        out.append(rule("└", "┴", "┘", "─"))
        for key, n in (("total", self.total_params), ("trainable", self.trainable_params),
                       ("non_trainable", self.non_trainable_params)):
            out.append(" " + Msg(f"summary.{key}",
                                 {"n": int_text(n), "size": format_bytes(4 * n)}).render(lang))
        if self.error is not None:
            out.append(Msg("summary.error", {"message": self.error.message(lang)}).render(lang))
        return "\n".join(out)

    def is_output(self, name: str) -> bool:
        """Whether the tensor ``name`` (an input or a row) is one of the model's outputs."""
        return name in self.outputs

    def layer_label(self, row: SummaryRow, lang: Lang = "en") -> str:
        """``"score (Dense)"``; in a functional model a second call of a layer says which
        layer it shares and an output row gets ``→ output``."""
        label = f"{row.name} ({row.class_name})"
        if row.shares is not None:
            label += " " + Msg("summary.shared_mark", {"target": row.shares}).render(lang)
        if self.functional and self.is_output(row.name):
            label += " " + Msg("summary.output_mark").render(lang)
        return label

    def input_label(self, tensor: InputTensor, lang: Lang = "en") -> str:
        """``"image (InputLayer)"``, as Keras's functional summary lists an input."""
        label = f"{tensor.name} (InputLayer)"
        if self.is_output(tensor.name):
            label += " " + Msg("summary.output_mark").render(lang)
        return label

    def text_rows(self, lang: Lang = "en") -> list[tuple[str, ...]]:
        """The cells of :meth:`to_text`'s body: layer (type), output shape, parameters
        and, for a functional model, "Connected to" (after one row per input)."""
        if not self.functional:
            return [(f"{r.name} ({r.class_name})", format_shape(r.output_shape),
                     f"{r.params:,}") for r in self.rows]
        body: list[tuple[str, ...]] = [
            (self.input_label(t, lang), format_shape(t.shape), "0", "-") for t in self.inputs]
        body += [(self.layer_label(r, lang), format_shape(r.output_shape), f"{r.params:,}",
                  ", ".join(self.connected_to(r)) or "-") for r in self.rows]
        return body
