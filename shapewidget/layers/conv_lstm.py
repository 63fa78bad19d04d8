"""ConvLSTM1D, ConvLSTM2D and ConvLSTM3D: an LSTM whose gates are convolutions
(``keras.layers``, Keras 3.15).

Keras facts mirrored here (checked against Keras 3.15 by tests/test_conv_lstm_keras.py):

- The input is a sequence of feature maps: ``(batch, time, *spatial, channels)``
  (``channels_first``: ``(batch, time, channels, *spatial)``); the spatial sizes and the
  channels must be known, the number of steps need not be.
- Each step is a convolution of the input (``kernel (*kernel_size, channels,
  4·filters)``) and of the previous state (``recurrent_kernel (*kernel_size, filters,
  4·filters)``, padding ``same``, stride 1), for the 4 LSTM gates; ``bias (4·filters,)``.
- The output maps have the convolution's sizes; ``return_sequences`` keeps the time
  axis; ``return_state`` returns a list (output, h, c), refused as for the recurrent
  layers (see :mod:`.recurrent`).
- ``strides > 1`` with ``dilation_rate > 1`` is refused; ``filters=0`` is accepted.
- ``trainable=False`` is not passed on to the inner cell: the variables stay trainable,
  the layer counts them as non-trainable (as for a wrapper).
"""

from __future__ import annotations

from typing import ClassVar

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
from ..shapes import Shape, conv_output_length, format_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject
from .conv import (
    data_format_param,
    dilation_param,
    kernel_size_param,
    padding_param,
    strides_param,
)
from .recurrent import RateParam, list_output_values

AXES = {1: ("width",), 2: ("height", "width"), 3: ("depth", "height", "width")}

register("conv_lstm.strides_dilation",
         "strides > 1 cannot be combined with dilation_rate > 1, received strides={strides} "
         "and dilation_rate={dilation}.",
         "strides > 1 と dilation_rate > 1 は同時に使えませんが、strides={strides} と "
         "dilation_rate={dilation} を受け取りました。")
register("conv_lstm.fix.strides_dilation", "set strides=1 or dilation_rate=1.",
         "strides=1 か dilation_rate=1 にします。")
register("conv_lstm.spatial_unknown",
         "{type} needs known spatial sizes, but the input {shape} has an unknown one (the "
         "number of time steps may be None).",
         "{type} には空間方向のサイズが必要ですが、入力 {shape} には不明なものがあります"
         "（時間ステップ数は None でもかまいません）。")
register("conv_lstm.fix.spatial_unknown", "give every spatial axis a size in input_shape.",
         "input_shape ですべての空間軸にサイズを与えます。")
register("conv_lstm.channels_unknown",
         "the channels axis of the input {shape} has an unknown size, so the kernel cannot "
         "be made.",
         "入力 {shape} のチャネル軸のサイズが不明なので、カーネルを作れません。")
register("conv_lstm.too_small",
         "the kernel {kernel} does not fit in the {axis} {size} of the input {shape} "
         "(padding=\"valid\"): the output would have size {out}.",
         "カーネル {kernel} が入力 {shape} の {axis} {size} に収まりません"
         "（padding=\"valid\"）。出力のサイズは {out} になってしまいます。")
register("conv_lstm.fix.too_small", "use padding=\"same\" or a smaller kernel_size.",
         "padding=\"same\" にするか、kernel_size を小さくします。")
register("conv_lstm.explain",
         "{type} reads {steps} maps {inp_map} one time step at a time; each step convolves "
         "the map and the previous state for the 4 LSTM gates, giving a map {out_map} of "
         "{filters} filters. {kept} → {out}.",
         "{type} は {steps} 枚のマップ {inp_map} を 1 ステップずつ読みます。各ステップで"
         "マップと前の状態を 4 つの LSTM ゲートのために畳み込み、{filters} フィルタの"
         "マップ {out_map} を出します。{kept} → {out}。")
register("conv_lstm.kept.sequences", "return_sequences=True keeps every step's map",
         "return_sequences=True で全ステップのマップを残します")
register("conv_lstm.kept.last", "Only the last step's map is kept (return_sequences=False)",
         "最後のステップのマップだけを残します（return_sequences=False）")
register("conv_lstm.weights",
         "kernel {kernel} + recurrent_kernel {recurrent}{bias} = {total} parameters "
         "(4·{filters} = {cols} columns: one block per gate).",
         "kernel {kernel} + recurrent_kernel {recurrent}{bias} = {total} 個のパラメータ"
         "（4·{filters} = {cols} 列: ゲートごとに 1 ブロック）。")


def _params(rank: int) -> tuple[Param, ...]:
    return (
        IntParam("filters", REQUIRED, "number of filters: the channels of each output map",
                 min=0),
        kernel_size_param(rank),
        strides_param(rank),
        padding_param(),
        data_format_param(),
        dilation_param(rank),
        activation_param("tanh"),
        activation_param("sigmoid", "recurrent_activation"),
        BoolParam("use_bias", True, "add a bias (4·filters,)"),
        JsonParam("kernel_initializer", "glorot_uniform", "how the kernel starts",
                  affects_shape=False),
        JsonParam("recurrent_initializer", "orthogonal", "how the recurrent kernel starts",
                  affects_shape=False),
        JsonParam("bias_initializer", "zeros", "how the bias starts", affects_shape=False),
        BoolParam("unit_forget_bias", True, "start the forget gate's bias at 1",
                  affects_shape=False),
        *carried("kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                 "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                 "bias_constraint"),
        RateParam("dropout", 0.0, "fraction of the inputs dropped while training",
                  affects_shape=False),
        RateParam("recurrent_dropout", 0.0, "fraction of the carried state dropped while "
                  "training", affects_shape=False),
        seed_param("random seed of the dropout masks (an int >= 0, or None)"),
        BoolParam("return_sequences", False, "True: output every step's map; False: only "
                  "the last one"),
        BoolParam("return_state", False, "also return the final states h and c: the layer "
                  "then returns a list of tensors"),
        BoolParam("go_backwards", False, "read the steps from last to first",
                  affects_shape=False),
        BoolParam("stateful", False, "carry the state from batch to batch (needs a fixed "
                  "batch size)"),
    )


class ConvLSTM(Layer):
    """What ConvLSTM1D/2D/3D share."""

    family = "conv"
    drawing: ClassVar[dict[str, str]] = {"args": "filters"}
    rank: ClassVar[int] = 2

    def expand(self, key: str) -> tuple[int, ...]:
        value = self._values[key]
        return (value,) * self.rank if isinstance(value, int) else tuple(value)

    def check_args(self) -> None:
        strides, dilation = self.expand("strides"), self.expand("dilation_rate")
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(Msg("conv_lstm.strides_dilation", {
                "strides": strides, "dilation": dilation}),
                fix=Msg("conv_lstm.fix.strides_dilation"), argument="strides",
                layer_type=self.type_name(), layer_name=self.name)

    def channels_first(self) -> bool:
        return bool(self._values["data_format"] == "channels_first")

    def layout(self) -> str:
        labels = AXES[self.rank]
        body = ("channels", *labels) if self.channels_first() else (*labels, "channels")
        return ", ".join(("batch", "time", *body))

    def maps(self, batch: int | None, spatial: Shape) -> Shape:
        filters: int = self.filters
        return ((batch, filters, *spatial) if self.channels_first()
                else (batch, *spatial, filters))

    def evaluate_uncached(self, input_shape: Shape) -> Computed:
        out = self.compute(input_shape)
        count = sum(w.size for w in out.weights if w.trainable)
        if self.trainable or not count:
            return out
        return out._replace(notes=(*out.notes, Msg("wrapper.frozen", {
            "type": self.type_name(), "count": f"{count:,}"})))

    def compute(self, input_shape: Shape) -> Computed:
        want = self.rank + 3
        if len(input_shape) != want:
            raise reject("layer.expected_rank", expected=want, layout=self.layout(),
                         shape=format_shape(input_shape), rank=len(input_shape))
        first = self.channels_first()
        step = input_shape[2:]
        channels = step[0] if first else step[-1]
        spatial = step[1:] if first else step[:-1]
        if any(s is None for s in spatial):
            raise reject("conv_lstm.spatial_unknown", type=self.type_name(),
                         shape=format_shape(input_shape),
                         fix=Msg("conv_lstm.fix.spatial_unknown"))
        if channels is None:
            raise reject("layer.unknown_last_axis" if not first
                         else "conv_lstm.channels_unknown", shape=format_shape(input_shape))
        if self.stateful and input_shape[0] is None:
            raise reject("rnn.stateful_batch", argument="stateful",
                         shape=format_shape(input_shape),
                         fix=Msg("rnn.fix.stateful_batch", {
                             "sample": format_shape(input_shape[1:]),
                             "example": format_shape((32, *input_shape[1:]))}))
        kernel, strides = self.expand("kernel_size"), self.expand("strides")
        dilation = self.expand("dilation_rate")
        padding: str = self.padding
        out_spatial: list[int] = []
        for axis, (size, k, s, d) in enumerate(zip(spatial, kernel, strides, dilation,
                                                   strict=True)):
            length = conv_output_length(size, k, s, padding, d)
            assert length is not None
            if length <= 0:
                raise reject("conv_lstm.too_small", argument="kernel_size",
                             kernel=format_shape(kernel), axis=AXES[self.rank][axis],
                             size=size, shape=format_shape(input_shape), out=length,
                             fix=Msg("conv_lstm.fix.too_small"))
            out_spatial.append(length)
        state = self.maps(input_shape[0], tuple(out_spatial))
        out = (state[0], input_shape[1], *state[1:]) if self.return_sequences else state
        if self.return_state:
            outputs = (out, state, state)
            raise reject("recurrent.list_output", argument="return_state",
                         fix=Msg("rnn.fix.return_state", {"type": self.type_name()}),
                         **list_output_values(self.type_name(), outputs,
                                              ("output", "h", "c")))
        filters: int = self.filters
        cols = 4 * filters
        weights = [Weight("kernel", (*kernel, int(channels), cols)),
                   Weight("recurrent_kernel", (*kernel, filters, cols))]
        if self.use_bias:
            weights.append(Weight("bias", (cols,)))
        total = sum(w.size for w in weights)
        bias = f" + bias ({cols},)" if self.use_bias else ""
        steps = "?" if input_shape[1] is None else input_shape[1]
        kept = Msg("conv_lstm.kept.sequences" if self.return_sequences
                   else "conv_lstm.kept.last")
        notes = (
            Msg("conv_lstm.explain", {"type": self.type_name(), "steps": steps,
                                      "inp_map": format_shape(step),
                                      "out_map": format_shape(state[1:]),
                                      "filters": filters, "kept": kept, "out": out}),
            Msg("conv_lstm.weights", {"kernel": format_shape(weights[0].shape),
                                      "recurrent": format_shape(weights[1].shape),
                                      "bias": bias, "total": f"{total:,}",
                                      "filters": filters, "cols": cols}),
        )
        return Computed(out, tuple(weights), notes)


class ConvLSTM1D(ConvLSTM):
    help = "an LSTM over a sequence of 1-D maps, with convolutions as gates"
    rank = 1
    params = _params(1)


class ConvLSTM2D(ConvLSTM):
    help = "an LSTM over a sequence of images, with convolutions as gates"
    rank = 2
    params = _params(2)


class ConvLSTM3D(ConvLSTM):
    help = "an LSTM over a sequence of volumes, with convolutions as gates"
    rank = 3
    params = _params(3)


LAYERS: tuple[type[Layer], ...] = (ConvLSTM1D, ConvLSTM2D, ConvLSTM3D)
