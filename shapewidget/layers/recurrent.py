"""Recurrent layers: SimpleRNN, LSTM and GRU, sharing :class:`RNNBase`.

Keras facts mirrored here (checked against Keras 3.15): the weights belong to the cell
(``kernel (features, g·units)``, ``recurrent_kernel (units, g·units)``, ``bias``) with
``g`` = 1 for SimpleRNN, 4 for LSTM, 3 for GRU, and GRU's bias is ``(2, 3·units)`` with
``reset_after=True`` (the default); the input must have rank 3 and a known number of
features; ``stateful=True`` needs a fixed batch size, and its state variables are not
weights; ``unroll=True`` with an unknown number of steps is accepted when the model is
built (and runs with JAX, where the steps are known once data arrives); ``dropout`` and ``recurrent_dropout`` are
clamped to 0…1, never refused. ``return_state=True`` makes the layer return a list of
tensors: Keras accepts that only as a model's last layer and refuses the next layer;
shapewidget follows one tensor from layer to layer, so it refuses the recurrent layer
itself and lists the shapes Keras would return.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from ..params import (
    REQUIRED,
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    JsonParam,
    Param,
    activation_param,
    carried,
    seed_param,
)
from ..shapes import Shape, format_shape, num_values, rnn_output_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject

LAYOUT = "batch, steps, features"

register("rnn.expected.rate", "a number (Keras clamps it to 0…1)",
         "数値（Keras が 0…1 に切り詰めます）")
register("rnn.fix.rank2",
         "if the layer before is recurrent (stacked LSTMs), give it return_sequences=True so "
         "it passes on every time step; otherwise a recurrent layer reads a sequence: give "
         "each sample a time axis with "
         "input_shape=(steps, features), e.g. (10, {features}), or put "
         "Reshape(({features}, 1)) before it to read the {features} values as {features} "
         "steps of one feature.",
         "前のレイヤーがリカレント（LSTM の積み重ね）なら、そのレイヤーに return_sequences=True "
         "を指定してすべての時刻を渡します。そうでなければ、リカレントレイヤーは系列を読みます。"
         "input_shape=(steps, features)（例: (10, "
         "{features})）で各サンプルに時間軸を与えるか、前に Reshape(({features}, 1)) を置いて "
         "{features} 個の値を 1 特徴量の {features} ステップとして読ませます。")
register("rnn.fix.rank_low",
         "a recurrent layer reads a sequence: give the input a time axis and a feature axis "
         "with input_shape=(steps, features), e.g. (10, 8), or add a Reshape layer before it.",
         "リカレントレイヤーは系列を読みます。input_shape=(steps, features)（例: (10, 8)）で"
         "時間軸と特徴量の軸を与えるか、前に Reshape レイヤーを加えます。")
register("rnn.fix.rank_high",
         "merge the axes after the steps into one feature axis: Reshape(({steps}, "
         "{features})) reads {shape} as {steps} steps of {features} features; or wrap the "
         "layer in TimeDistributed to run it over axis 1.",
         "ステップより後の軸を 1 つの特徴量の軸にまとめます。Reshape(({steps}, {features})) "
         "で {shape} を {features} 特徴量の {steps} ステップとして読めます。または "
         "TimeDistributed で包んで軸 1 に沿って実行します。")
register("rnn.fix.rank_high_unknown",
         "merge the axes after the steps into one feature axis with Reshape((steps, "
         "features)), or wrap the layer in TimeDistributed to run it over axis 1.",
         "Reshape((steps, features)) でステップより後の軸を 1 つの特徴量の軸にまとめるか、"
         "TimeDistributed で包んで軸 1 に沿って実行します。")
register("rnn.fix.unknown_features",
         "give the input a known number of features, e.g. input_shape=(None, 8): the "
         "number of steps may stay None, the features may not.",
         "特徴量の数を決めてください（例: input_shape=(None, 8)）。ステップ数は None "
         "のままでよいですが、特徴量の数は必要です。")
register("rnn.stateful_batch",
         "stateful=True keeps one state per sample from batch to batch, so it needs a "
         "fixed batch size, but the input {shape} has batch size None.",
         "stateful=True はサンプルごとの状態をバッチからバッチへ引き継ぐため、固定のバッチ"
         "サイズが必要ですが、入力 {shape} のバッチサイズは None です。")
register("rnn.fix.stateful_batch",
         "fix the batch size, e.g. batch_size=32: keras.Input(shape={sample}, "
         "batch_size=32), or batch_shape={example}.",
         "バッチサイズを固定します（例: batch_size=32）: keras.Input(shape={sample}, "
         "batch_size=32)、または batch_shape={example}。")
register("recurrent.list_output",
         "{type} returns a list of {count} tensors here, {shapes} ({names}). Keras accepts "
         "that as the model's last layer, but a following layer such as Dense refuses it "
         "(\"expects 1 input(s), but it received {count} input tensors\"). shapewidget "
         "follows one tensor from layer to layer, so it stops here.",
         "{type} はここで {count} 個のテンソルのリスト {shapes}（{names}）を返します。"
         "Keras はこれをモデルの最後のレイヤーとしては認めますが、後に続く Dense などの"
         "レイヤーは拒否します（\"expects 1 input(s), but it received {count} input "
         "tensors\"）。shapewidget はレイヤーからレイヤーへ 1 つのテンソルをたどるので、"
         "ここで止まります。")
register("rnn.fix.return_state",
         "remove return_state=True (return_sequences=True keeps the output of every "
         "step), or write the model with the functional API: output, *states = "
         "{type}(..., return_state=True)(x).",
         "return_state=True を外す（全ステップの出力が必要なら return_sequences=True）か、"
         "関数型 API で書きます: output, *states = {type}(..., return_state=True)(x)。")
register("rnn.explain.sequences",
         "return_sequences=True: {type} reads {inp} one time step at a time and keeps the "
         "output of every step, {units} values each → {out}.",
         "return_sequences=True: {type} は {inp} を 1 ステップずつ読み、各ステップの出力"
         "（それぞれ {units} 個の値）をすべて残します → {out}。")
register("rnn.explain.last",
         "return_sequences=False (the default): {type} reads {inp} one time step at a time, "
         "but only the last time step is kept: {units} values per sample → {out}. With "
         "return_sequences=True it would be {seq}.",
         "return_sequences=False（既定）: {type} は {inp} を 1 ステップずつ読みますが、"
         "最後のステップだけが残ります。サンプルごとに {units} 個の値 → {out}。"
         "return_sequences=True なら {seq} になります。")
register("rnn.weights.simple_rnn",
         "SimpleRNN has a single transformation (no gates): {parts} = {terms} = {total} "
         "parameters.",
         "SimpleRNN の変換は 1 つだけです（ゲートなし）: {parts} = {terms} = {total} 個の"
         "パラメータ。")
register("rnn.weights.lstm",
         "LSTM has 4 gates (input, forget, cell candidate, output), so its matrices have "
         "4·{units} = {cols} columns: {parts} = {terms} = {total} parameters.",
         "LSTM には 4 つのゲート（入力・忘却・セル候補・出力）があるので、行列の列数は "
         "4·{units} = {cols} です: {parts} = {terms} = {total} 個のパラメータ。")
register("rnn.weights.gru",
         "GRU has 3 gates (update, reset, candidate), so its matrices have 3·{units} = "
         "{cols} columns: {parts} = {terms} = {total} parameters.",
         "GRU には 3 つのゲート（更新・リセット・候補）があるので、行列の列数は 3·{units} "
         "= {cols} です: {parts} = {terms} = {total} 個のパラメータ。")
register("rnn.weights.shared",
         "kernel acts on the {features} input features, recurrent_kernel on the {units} "
         "values carried over from the previous step; the same weights serve every time "
         "step, so the count does not depend on the number of steps.",
         "kernel は入力の {features} 個の特徴量に、recurrent_kernel は前のステップから引き"
         "継ぐ {units} 個の値に作用します。同じ重みをすべてのステップで使うので、数はステップ"
         "数によりません。")
register("rnn.no_bias", "use_bias=False: no bias.", "use_bias=False: bias はありません。")
register("gru.reset_after",
         "reset_after=True (the Keras default): the bias is (2, {cols}), one row for the "
         "input side and one for the recurrent side.",
         "reset_after=True（Keras の既定）: bias は (2, {cols}) で、入力側と再帰側に 1 行"
         "ずつあります。")
register("gru.reset_before",
         "reset_after=False (the older GRU): a single bias ({cols},).",
         "reset_after=False（以前の GRU）: bias は ({cols},) の 1 つだけです。")
register("rnn.go_backwards",
         "go_backwards=True: the steps are read from last to first (with "
         "return_sequences=True the output sequence comes out reversed); shapes do not "
         "change.",
         "go_backwards=True: ステップを最後から最初へ読みます（return_sequences=True なら"
         "出力の系列も逆順）。形は変わりません。")
register("rnn.stateful",
         "stateful=True: the final state of each of the {batch} samples of a batch is the "
         "starting state of the same sample in the next batch. Keras keeps these states "
         "apart from the weights: they are not parameters.",
         "stateful=True: バッチ内の {batch} 個のサンプルそれぞれの最後の状態が、次のバッチの"
         "同じサンプルの最初の状態になります。Keras はこの状態を重みとは別に持ち、"
         "パラメータには数えません。")
register("rnn.unroll_unknown_steps",
         "unroll=True with an unknown number of steps: the loop can only be written out "
         "once data arrives with a known number of steps. Keras builds this model (and with "
         "the JAX backend runs it), but refuses to run it wherever the steps are still "
         "unknown (\"Cannot unroll a RNN if the time dimension is undefined\"); a fixed "
         "number of steps is safer, e.g. input_shape=(10, {features}).",
         "ステップ数が不明なまま unroll=True: ループを展開できるのは、ステップ数の決まった"
         "データが来てからです。Keras はこのモデルを作れます（JAX バックエンドでは実行も"
         "できます）が、ステップ数が不明なままの場面では実行を拒否します（\"Cannot unroll a "
         "RNN if the time dimension is undefined\"）。input_shape=(10, {features}) のように"
         "ステップ数を固定するほうが安全です。")
register("rnn.dropout_clamped",
         "{argument}={value}: Keras clamps a dropout rate to 0…1, so it acts as {clamped}.",
         "{argument}={value}: Keras はドロップアウト率を 0…1 に切り詰めるので、{clamped} "
         "として働きます。")


@dataclass(frozen=True)
class RateParam(FloatParam):
    """A dropout rate of a recurrent cell: ``min``/``max`` (0 and 1) are the useful range,
    but any number is accepted, as Keras clamps it to 0…1 instead of refusing it."""

    def expected(self) -> Msg:
        return Msg("rnn.expected.rate")

    def validate(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(value)
        return value


def _rnn_params(*, recurrent_activation: bool, unit_forget_bias: bool = False,
                seed_first: bool = True, reset_after: bool = False,
                cudnn: bool = True) -> tuple[Param, ...]:
    """Keras's constructor arguments of SimpleRNN, LSTM and GRU, in each one's order."""
    sequence_flags = (
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
    )
    seed = seed_param("random seed of the dropout masks (an int >= 0, or None)")
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
                 "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                 "bias_constraint"),
        RateParam("dropout", 0.0, "fraction of the inputs dropped while training",
                  affects_shape=False),
        RateParam("recurrent_dropout", 0.0, "fraction of the carried state dropped while "
                  "training", affects_shape=False),
        *((seed,) if seed_first else ()),
        *sequence_flags,
        *((seed,) if not seed_first else ()),
        *((BoolParam("reset_after", True, "apply the reset gate after the matrix "
                     "product (bias (2, 3·units)) or before it (bias (3·units,))"),)
          if reset_after else ()),
        *((ChoiceParam("use_cudnn", "auto", "use cuDNN on a GPU when possible",
                       affects_shape=False, choices=("auto", True, False)),
           JsonParam("implementation", 2, "legacy computation mode (1 or 2)",
                     affects_shape=False)) if cudnn else ()),
    )


class RNNBase(Layer):
    """What SimpleRNN, LSTM and GRU share: a cell with ``gates`` blocks of ``units``
    columns, read over the steps of a ``(batch, steps, features)`` input."""
    drawing: ClassVar[dict[str, str]] = {"glyph": "neurons", "time": "recurrent",
                                         "args": "units"}

    family = "recurrent"
    gates: ClassVar[int] = 1
    state_names: ClassVar[tuple[str, ...]] = ("h",)
    weights_key: ClassVar[str] = "rnn.weights.simple_rnn"

    def bias_shape(self) -> tuple[int, ...]:
        return (self.gates * self.units,)

    def cell_weights(self, features: int) -> tuple[Weight, ...]:
        """The cell's weights in Keras's order: kernel, recurrent_kernel, bias."""
        units: int = self.units
        cols = self.gates * units
        if not self.use_bias:
            return (Weight("kernel", (features, cols)),
                    Weight("recurrent_kernel", (units, cols)))
        return (Weight("kernel", (features, cols)), Weight("recurrent_kernel", (units, cols)),
                Weight("bias", self.bias_shape()))

    def output_list(self, input_shape: Shape) -> tuple[Shape, ...]:
        """Every tensor Keras returns: the output, then (with ``return_state``) the
        final states, each ``(batch, units)``."""
        out = rnn_output_shape(input_shape, self.units, self.return_sequences)
        if not self.return_state:
            return (out,)
        return (out, *((input_shape[0], self.units) for _ in self.state_names))

    def check_input(self, input_shape: Shape) -> int:
        """Reject what Keras refuses when the layer is called; return the features."""
        if len(input_shape) != 3:
            raise reject("layer.expected_rank", expected=3, layout=LAYOUT,
                         shape=format_shape(input_shape), rank=len(input_shape),
                         fix=rank_fix(input_shape))
        features = input_shape[2]
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
                                              ("output", *self.state_names)))
        weights = self.cell_weights(features)
        return Computed(outputs[0], weights,
                        (*self.shape_notes(input_shape, outputs[0]),
                         *self.weight_notes(features, weights)))

    def shape_notes(self, input_shape: Shape, out: Shape) -> list[Msg]:
        # Shapes go into the messages as tuples: they print as Keras prints them.
        values = self._values
        units: int = values["units"]
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
        if values["unroll"] and input_shape[1] is None:
            notes.append(Msg("rnn.unroll_unknown_steps", {"features": input_shape[2]}))
        for key in ("dropout", "recurrent_dropout"):
            rate = values[key]
            if not 0 <= rate <= 1:
                notes.append(Msg("rnn.dropout_clamped", {"argument": key, "value": rate,
                                                         "clamped": min(1.0, max(0.0, rate))}))
        return notes

    def weight_notes(self, features: int, weights: tuple[Weight, ...]) -> list[Msg]:
        units: int = self.units
        cols = self.gates * units
        kernel_cols = f"{self.gates}·{units}={cols}" if self.gates > 1 else cols
        sizes = [w.size for w in weights]
        parts = f"kernel ({features}, {kernel_cols}) + recurrent_kernel ({units}, {cols})"
        if len(weights) > 2:
            parts += f" + bias {format_shape(weights[2].shape)}"
        notes = [Msg(self.weights_key, {
            "units": units, "cols": cols, "parts": parts,
            "terms": " + ".join(f"{n:,}" for n in sizes), "total": f"{sum(sizes):,}"}),
            Msg("rnn.weights.shared", {"features": features, "units": units})]
        if len(weights) == 2:
            notes.append(Msg("rnn.no_bias"))
        return notes


def rank_fix(input_shape: Shape) -> Msg:
    """The usual fix for an input of the wrong rank given to a recurrent layer."""
    if len(input_shape) == 2 and input_shape[1] is not None:
        return Msg("rnn.fix.rank2", {"features": input_shape[1]})
    if len(input_shape) < 3:
        return Msg("rnn.fix.rank_low")
    features = num_values(input_shape[2:])
    if input_shape[1] is None or features is None:
        return Msg("rnn.fix.rank_high_unknown")
    return Msg("rnn.fix.rank_high", {"steps": input_shape[1], "features": features,
                                     "shape": format_shape(input_shape)})


def list_output_values(type_name: str, outputs: tuple[Shape, ...],
                       names: tuple[str, ...]) -> dict[str, Any]:
    """The values of the ``recurrent.list_output`` message."""
    return {"type": type_name, "count": len(outputs),
            "shapes": "[" + ", ".join(format_shape(s) for s in outputs) + "]",
            "names": ", ".join(names)}


class SimpleRNN(RNNBase):
    """A fully connected RNN: the output of each step is fed back as the next state."""

    help = "a simple recurrent layer; units is the size of its state and output"
    params = _rnn_params(recurrent_activation=False, seed_first=False, cudnn=False)


class LSTM(RNNBase):
    """Long Short-Term Memory: 4 gates, a hidden state h and a cell state c."""

    help = "a recurrent layer with 4 gates; units is the size of its state and output"
    params = _rnn_params(recurrent_activation=True, unit_forget_bias=True)
    gates = 4
    state_names = ("h", "c")
    weights_key = "rnn.weights.lstm"


class GRU(RNNBase):
    """Gated Recurrent Unit: 3 gates and one state."""

    help = "a recurrent layer with 3 gates; units is the size of its state and output"
    params = _rnn_params(recurrent_activation=True, reset_after=True)
    gates = 3
    weights_key = "rnn.weights.gru"

    def bias_shape(self) -> tuple[int, ...]:
        cols = self.gates * self.units
        return (2, cols) if self.reset_after else (cols,)

    def weight_notes(self, features: int, weights: tuple[Weight, ...]) -> list[Msg]:
        notes = super().weight_notes(features, weights)
        if self.use_bias:
            key = "gru.reset_after" if self.reset_after else "gru.reset_before"
            notes.append(Msg(key, {"cols": self.gates * self.units}))
        return notes


LAYERS: tuple[type[Layer], ...] = (SimpleRNN, LSTM, GRU)
