"""The generic ``RNN`` layer and its cells: SimpleRNNCell, LSTMCell, GRUCell and
StackedRNNCells (``keras.layers``, Keras 3.15).

Keras facts mirrored here (checked against Keras 3.15 by tests/test_rnn_cells_keras.py):

- ``RNN(cell)`` has the weights of its cell, named and shaped as in SimpleRNN, LSTM and
  GRU (``kernel``, ``recurrent_kernel``, ``bias``). A list of cells, or a
  StackedRNNCells, runs the cells one after the other at every step: cell ``k`` reads the
  output of cell ``k − 1``, so its kernel has that cell's ``units`` rows; the output is
  the last cell's. The weights are listed cell by cell.
- ``RNN`` has no input rank check of its own: any input of rank 3 or more whose last
  axis is known runs (axis 1 is the time axis; the cell reads the last axis).
- ``return_state=True`` returns the output and every cell's states (h; h and c for an
  LSTMCell). As for the recurrent layers, shapewidget follows one tensor and refuses a
  list output, listing its shapes (see :mod:`.recurrent`).
- A cell alone is not a layer a model can call on a tensor: Keras asks for its states.
- Constructing a cell, a StackedRNNCells (``RNN`` makes one for a list) takes an
  automatic name, which counts for later layers of the same kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    BoolParam,
    IntParam,
    JsonParam,
    Param,
    activation_param,
    carried,
    seed_param,
)
from ..shapes import Shape, format_shape, rnn_output_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject
from .recurrent import LAYOUT, RateParam, RNNBase, list_output_values, rank_fix

register("rnn.expected.cell",
         "a recurrent cell, such as LSTMCell(16), a list of cells, or their specs",
         "LSTMCell(16) のようなリカレントセル、セルのリスト、またはその spec")
register("rnn.not_cell",
         "RNN needs a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell or StackedRNNCells), "
         "received {received}: it has no state to carry from step to step.",
         "RNN にはリカレントセル（SimpleRNNCell・LSTMCell・GRUCell・StackedRNNCells）が必要"
         "ですが、{received} を受け取りました。これにはステップからステップへ引き継ぐ状態が"
         "ありません。")
register("rnn.fix.not_cell",
         "give a cell, e.g. RNN(LSTMCell(16)); for a whole recurrent layer use LSTM(16) "
         "directly.",
         "RNN(LSTMCell(16)) のようにセルを渡します。リカレントレイヤーそのものなら LSTM(16) "
         "を直接使います。")
register("rnn.no_cells", "the list of cells is empty: there is nothing to run at each step.",
         "セルのリストが空で、各ステップで動かすものがありません。")
register("rnn.fix.no_cells", "give at least one cell, e.g. [LSTMCell(16)].",
         "少なくとも一つのセルを渡します（例: [LSTMCell(16)]）。")
register("rnn.cell_alone",
         "{type} is a cell: the computation of one time step, which needs the state of the "
         "step before. Keras cannot call it on a tensor alone (\"missing a required "
         "argument: 'states'\").",
         "{type} はセル、つまり 1 ステップ分の計算で、前のステップの状態が必要です。Keras は"
         "これをテンソルだけで呼び出せません（\"missing a required argument: 'states'\"）。")
register("rnn.fix.cell_alone",
         "wrap it in RNN to run it over the time steps: RNN({type}(...)).",
         "RNN で包んで時間ステップに沿って動かします: RNN({type}(...))。")
register("rnn.rank2",
         "The input {shape} has no feature axis: RNN reads axis 1 as the time steps, and "
         "each step is the batch axis alone, so Keras takes the batch size {batch} as the "
         "number of features. Keras builds this, but it fails on data of another batch "
         "size; give the input a feature axis, e.g. Reshape((steps, 1)).",
         "入力 {shape} には特徴量の軸がありません。RNN は軸 1 を時間ステップとして読み、各"
         "ステップはバッチ軸だけなので、Keras はバッチサイズ {batch} を特徴量の数とします。"
         "Keras はこれを作れますが、別のバッチサイズのデータでは失敗します。Reshape((steps, "
         "1)) などで特徴量の軸を与えます。")
register("rnn.cells.explain",
         "RNN runs {cells} at every time step{chain}; the output of a step has the last "
         "cell's {units} values.",
         "RNN は各時間ステップで {cells} を動かします{chain}。ステップの出力は最後のセルの "
         "{units} 個の値です。")
register("rnn.cells.chain", ", each cell reading the output of the one before",
         "（各セルは前のセルの出力を読みます）")
register("rnn.cell.weights",
         "{cell}: kernel ({features}, {cols}) + recurrent_kernel ({units}, {cols}){bias} = "
         "{total} parameters.",
         "{cell}: kernel ({features}, {cols}) + recurrent_kernel ({units}, {cols}){bias} = "
         "{total} 個のパラメータ。")


class _NameOnly:
    """A layer Keras makes inside another, seen only by the automatic naming."""

    name: str | None = None

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix

    def inner_layers(self) -> tuple[Layer, ...]:
        return ()

    def auto_name_prefix(self) -> str:
        return self._prefix

    def reused_layer(self) -> str | None:
        return None


class RNNCell(Layer):
    """What the cells share: the weights of one step (as :class:`RNNBase` makes them);
    called alone they are refused, as Keras refuses them. Not an :class:`RNNBase`: a cell
    is not a recurrent layer (Bidirectional refuses it, as Keras does)."""

    family = "recurrent"
    drawing: ClassVar[dict[str, str]] = {"glyph": "neurons", "time": "recurrent",
                                         "args": "units"}
    gates: ClassVar[int] = 1
    state_names: ClassVar[tuple[str, ...]] = ("h",)
    weights_key: ClassVar[str] = "rnn.weights.simple_rnn"

    def bias_shape(self) -> tuple[int, ...]:
        return (self.gates * self.units,)

    def cell_weights(self, features: int) -> tuple[Weight, ...]:
        """The cell's weights in Keras's order: kernel, recurrent_kernel, bias."""
        units: int = self.units
        cols = self.gates * units
        kernels = (Weight("kernel", (features, cols)),
                   Weight("recurrent_kernel", (units, cols)))
        return (*kernels, Weight("bias", self.bias_shape())) if self.use_bias else kernels

    def state_count(self) -> int:
        return len(self.state_names)

    def output_size(self) -> int:
        units: int = self.units
        return units

    def step_weights(self, features: int) -> tuple[Weight, ...]:
        return self.cell_weights(features)

    def step_cells(self) -> tuple[RNNCell, ...]:
        return (self,)

    def compute(self, input_shape: Shape) -> Computed:
        raise reject("rnn.cell_alone", type=self.type_name(),
                     fix=Msg("rnn.fix.cell_alone", {"type": self.type_name()}))


def _cell_params(*, recurrent_activation: bool, unit_forget_bias: bool = False,
                 reset_after: bool = False) -> tuple[Param, ...]:
    """Keras's constructor arguments of SimpleRNNCell, LSTMCell and GRUCell, in order."""
    return (
        IntParam("units", REQUIRED, "size of the state and of the output at each step"),
        activation_param("tanh"),
        *((replace(activation_param("sigmoid", "recurrent_activation"),
                   help="the function of the gates (does not change the shape)"),)
          if recurrent_activation else ()),
        BoolParam("use_bias", True, "add a bias"),
        JsonParam("kernel_initializer", "glorot_uniform", "how the kernel starts",
                  affects_shape=False),
        JsonParam("recurrent_initializer", "orthogonal", "how the recurrent kernel starts",
                  affects_shape=False),
        JsonParam("bias_initializer", "zeros", "how the bias starts", affects_shape=False),
        *((BoolParam("unit_forget_bias", True, "start the forget gate's bias at 1",
                     affects_shape=False),) if unit_forget_bias else ()),
        *carried("kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                 "kernel_constraint", "recurrent_constraint", "bias_constraint"),
        RateParam("dropout", 0.0, "fraction of the inputs dropped while training",
                  affects_shape=False),
        RateParam("recurrent_dropout", 0.0, "fraction of the carried state dropped while "
                  "training", affects_shape=False),
        *((BoolParam("reset_after", True, "apply the reset gate after the matrix product "
                     "(bias (2, 3·units)) or before it (bias (3·units,))"),)
          if reset_after else ()),
        seed_param("random seed of the dropout masks (an int >= 0, or None)"),
    )


class SimpleRNNCell(RNNCell):
    """One step of SimpleRNN."""

    help = "one step of SimpleRNN, for RNN(cell)"
    params = _cell_params(recurrent_activation=False)


class LSTMCell(RNNCell):
    """One step of LSTM: 4 gates, states h and c."""

    help = "one step of LSTM (4 gates), for RNN(cell)"
    params = _cell_params(recurrent_activation=True, unit_forget_bias=True)
    gates = 4
    state_names = ("h", "c")
    weights_key = "rnn.weights.lstm"


class GRUCell(RNNCell):
    """One step of GRU: 3 gates, one state."""

    help = "one step of GRU (3 gates), for RNN(cell)"
    params = _cell_params(recurrent_activation=True, reset_after=True)
    gates = 3
    weights_key = "rnn.weights.gru"

    def bias_shape(self) -> tuple[int, ...]:
        cols = self.gates * self.units
        return (2, cols) if self.reset_after else (cols,)


@dataclass(frozen=True)
class CellParam(Param):
    """A recurrent cell given as an argument (``cell`` of RNN), or with ``many`` a list
    of cells (``cells`` of StackedRNNCells; RNN takes either)."""

    one: bool = True
    many: bool = False
    widget: ClassVar[str] = "layer"

    def expected(self) -> Msg:
        return Msg("rnn.expected.cell")

    def _layer(self, value: Any) -> Layer:
        if isinstance(value, Layer):
            return value
        if isinstance(value, dict):
            from .serial import layer_from_spec

            try:
                return layer_from_spec(value)
            except ShapeError as err:
                argument = self.name if err.argument is None else f"{self.name}.{err.argument}"
                raise ShapeError(err.problem, fix=err.fix, argument=argument) from None
        raise self.fail(value)

    def validate(self, value: Any) -> Any:
        if self.many and isinstance(value, Sequence) and not isinstance(value, str | dict):
            return tuple(self._layer(v) for v in value)
        if self.one:
            return self._layer(value)
        raise self.fail(value)

    def to_json(self, value: Any) -> Any:
        from .serial import layer_to_spec

        if isinstance(value, tuple):
            return [layer_to_spec(v) for v in value]
        return layer_to_spec(value)

    def to_code(self, value: Any, prefix: str = "keras.layers.") -> str:
        from .serial import layer_code

        if isinstance(value, tuple):
            return "[" + ", ".join(layer_code(v, prefix) for v in value) + "]"
        return layer_code(value, prefix)


def _check_cells(layer: Layer, cells: Any, argument: str) -> None:
    """Refuse what Keras refuses when a cell list is made: anything but cells."""
    items = cells if isinstance(cells, tuple) else (cells,)
    for item in items:
        if not isinstance(item, RNNCell | StackedRNNCells):
            raise ShapeError(Msg("rnn.not_cell", {"received": item.type_name()}),
                             fix=Msg("rnn.fix.not_cell"), argument=argument,
                             layer_type=layer.type_name(), layer_name=layer.name)


class StackedRNNCells(Layer):
    """Several cells run one after the other at each time step."""

    family = "recurrent"
    drawing: ClassVar[dict[str, str]] = {"glyph": "neurons", "time": "recurrent"}
    help = "several recurrent cells run one after the other, for RNN(cell)"
    params = (CellParam("cells", REQUIRED, "the cells, first to last", one=False,
                        many=True),)

    def check_args(self) -> None:
        if not self.value("cells"):
            raise ShapeError(Msg("rnn.no_cells"), fix=Msg("rnn.fix.no_cells"),
                             argument="cells", layer_type=self.type_name(),
                             layer_name=self.name)
        _check_cells(self, self.value("cells"), "cells")

    def inner_layers(self) -> tuple[Layer, ...]:
        cells: tuple[Layer, ...] = self.value("cells")
        return cells

    def step_cells(self) -> tuple[RNNCell, ...]:
        found: list[RNNCell] = []
        for item in self.value("cells"):
            found.extend(item.step_cells())
        return tuple(found)

    def compute(self, input_shape: Shape) -> Computed:
        raise reject("rnn.cell_alone", type=self.type_name(),
                     fix=Msg("rnn.fix.cell_alone", {"type": self.type_name()}))


class RNN(RNNBase):
    """Runs a cell (or a stack of cells) over the time axis."""

    help = "runs a recurrent cell over the time steps, e.g. RNN(LSTMCell(16))"
    params = (
        CellParam("cell", REQUIRED, "the cell run at every step (or a list of cells)",
                  many=True),
        BoolParam("return_sequences", False, "True: output every time step (batch, steps, "
                  "units); False: only the last one (batch, units)"),
        BoolParam("return_state", False, "also return the final state(s): the layer then "
                  "returns a list of tensors"),
        BoolParam("go_backwards", False, "read the steps from last to first",
                  affects_shape=False),
        BoolParam("stateful", False, "carry the state from batch to batch (needs a fixed "
                  "batch size)"),
        BoolParam("unroll", False, "write the loop out step by step (short sequences)",
                  affects_shape=False),
        BoolParam("zero_output_for_mask", False, "masked steps output zeros",
                  affects_shape=False),
    )

    def check_args(self) -> None:
        cell = self.value("cell")
        if isinstance(cell, tuple) and not cell:
            raise ShapeError(Msg("rnn.no_cells"), fix=Msg("rnn.fix.no_cells"),
                             argument="cell", layer_type=self.type_name(),
                             layer_name=self.name)
        _check_cells(self, cell, "cell")

    def inner_layers(self) -> tuple[Any, ...]:
        cell = self.value("cell")
        if isinstance(cell, tuple):  # Keras wraps a list in a StackedRNNCells
            return (*cell, _NameOnly("stacked_rnn_cells"))
        return (cell,)

    def step_cells(self) -> tuple[RNNCell, ...]:
        cell = self.value("cell")
        items = cell if isinstance(cell, tuple) else (cell,)
        found: list[RNNCell] = []
        for item in items:
            found.extend(item.step_cells())
        return tuple(found)

    @property
    def units(self) -> int:
        return self.step_cells()[-1].output_size()

    def output_list(self, input_shape: Shape) -> tuple[Shape, ...]:
        """The output, then (``return_state``) every cell's final states, each
        ``(batch, units)`` (Keras nests a cell's list of states: LSTMCell's h and c)."""
        out = rnn_output_shape(input_shape, self.units, self.return_sequences)
        if not self.return_state:
            return (out,)
        return (out, *((input_shape[0], cell.units) for cell in self.step_cells()
                       for _ in cell.state_names))

    def state_labels(self) -> tuple[str, ...]:
        cells = self.step_cells()
        if len(cells) == 1:
            return cells[0].state_names
        return tuple(f"{name}{k}" for k, cell in enumerate(cells, 1)
                     for name in cell.state_names)

    def check_input(self, input_shape: Shape) -> int:
        if len(input_shape) < 2:
            raise reject("layer.expected_min_rank", expected=3, layout=LAYOUT,
                         shape=format_shape(input_shape), rank=len(input_shape),
                         fix=rank_fix(input_shape))
        # The cell reads one step, (batch,) + input[2:]; of a rank-2 input that is the
        # batch axis alone, whose size Keras then takes as the number of features.
        features = (input_shape[0],) if len(input_shape) == 2 else input_shape[-1:]
        if features[0] is None and len(input_shape) == 2:
            raise reject("layer.expected_min_rank", expected=3, layout=LAYOUT,
                         shape=format_shape(input_shape), rank=len(input_shape),
                         fix=rank_fix(input_shape))
        return self._check_features(input_shape, features[0])

    def _check_features(self, input_shape: Shape, features: int | None) -> int:
        if features is None:
            raise reject("layer.unknown_last_axis", shape=format_shape(input_shape),
                         fix=Msg("rnn.fix.unknown_features"))
        if self.stateful and input_shape[0] is None:
            example = format_shape((32, *input_shape[1:]))
            raise reject("rnn.stateful_batch", argument="stateful",
                         shape=format_shape(input_shape),
                         fix=Msg("rnn.fix.stateful_batch", {
                             "sample": format_shape(input_shape[1:]), "example": example}))
        return features

    def compute(self, input_shape: Shape) -> Computed:
        features = self.check_input(input_shape)
        outputs = self.output_list(input_shape)
        if len(outputs) > 1:
            raise reject("recurrent.list_output", argument="return_state",
                         fix=Msg("rnn.fix.return_state", {"type": self.type_name()}),
                         **list_output_values(self.type_name(), outputs,
                                              ("output", *self.state_labels())))
        weights: list[Weight] = []
        notes: list[Msg] = []
        width = features
        if len(input_shape) == 2:
            notes.append(Msg("rnn.rank2", {"shape": input_shape, "batch": features}))
        for cell in self.step_cells():
            own = cell.step_weights(width)
            if not cell.trainable:
                own = tuple(w._replace(trainable=False) for w in own)
            weights.extend(own)
            cols = cell.gates * cell.units
            bias = f" + bias {format_shape(own[2].shape)}" if len(own) > 2 else ""
            notes.append(Msg("rnn.cell.weights", {
                "cell": cell.type_name(), "features": width, "units": cell.units,
                "cols": cols, "bias": bias, "total": f"{sum(w.size for w in own):,}"}))
            width = cell.output_size()
        names = " → ".join(c.type_name() for c in self.step_cells())
        head = Msg("rnn.cells.explain", {"cells": names, "units": self.units,
                                         "chain": Msg("rnn.cells.chain")
                                         if len(self.step_cells()) > 1 else ""})
        return Computed(outputs[0], tuple(weights),
                        (head, *self.shape_notes(input_shape, outputs[0]), *notes))

    def evaluate_uncached(self, input_shape: Shape) -> Computed:
        # trainable=False on RNN is not passed on to the cell (as for a wrapper): the
        # weights keep their flags and the layer counts them as non-trainable.
        out = self.compute(input_shape)
        count = sum(w.size for w in out.weights if w.trainable)
        if self.trainable or not count:
            return out
        return out._replace(notes=(*out.notes, Msg("wrapper.frozen", {
            "type": self.type_name(), "count": f"{count:,}"})))

    def shape_notes(self, input_shape: Shape, out: Shape) -> list[Msg]:
        values = self._values
        units = self.units
        common = {"type": self.type_name(), "inp": input_shape, "units": units, "out": out}
        if values["return_sequences"]:
            notes = [Msg("rnn.explain.sequences", common)]
        else:
            seq = rnn_output_shape(input_shape, units, True)
            notes = [Msg("rnn.explain.last", {**common, "seq": seq})]
        if values["go_backwards"]:
            notes.append(Msg("rnn.go_backwards"))
        if values["stateful"]:
            notes.append(Msg("rnn.stateful", {"batch": input_shape[0]}))
        return notes


LAYERS: tuple[type[Layer], ...] = (RNN, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells)
