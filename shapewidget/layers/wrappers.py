"""Wrappers: Bidirectional and TimeDistributed, and :class:`LayerParam` (a layer given as
an argument).

Keras facts mirrored here (checked against Keras 3.15):

- ``Bidirectional`` rebuilds the wrapped RNN twice from its config, as
  ``forward_<name>`` and ``backward_<name>`` (``go_backwards`` flipped); the weights are
  the forward copy's, then the backward copy's. Anything but a recurrent layer is refused
  (Keras fails to pass it ``go_backwards``), and so is a wrapped layer that already has
  ``go_backwards=True`` unless a ``backward_layer`` reads the other way. The output shape
  is computed from the forward layer alone (``concat`` doubles its last axis).
- ``TimeDistributed`` applies the wrapped layer to ``(batch,) + input[2:]`` and puts the
  time axis back; the weights are the wrapped layer's.
- ``trainable=False`` given to a wrapper's constructor is not passed on to the wrapped
  layer: its variables stay ``trainable=True`` (the model's totals count them as trainable
  and ``fit`` updates them), only the wrapper's own ``trainable_weights`` list is empty.
  ``trainable=False`` on the wrapped layer freezes its weights.

Where Keras builds a model that cannot run, shapewidget refuses (and says why): a
``backward_layer`` with another output size than the forward layer (Keras reports the
forward size), and a recurrent layer in ``TimeDistributed`` that does not see rank 3.
``merge_mode=None`` and ``return_state=True`` return lists, refused as for the recurrent
layers (see :mod:`.recurrent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, cast

from ..errors import ShapeError
from ..naming import name_problem
from ..params import MAX_DEPTH, REQUIRED, ChoiceParam, JsonParam, Param, describe
from ..shapes import (
    Shape,
    bidirectional_merge_shape,
    format_shape,
    time_step_shape,
    with_time_axis,
)
from ..text import TEMPLATES, Msg, register
from .base import Computed, Layer, Weight, nesting_depth, reject
from .recurrent import RNNBase, list_output_values

register("wrapper.expected.layer",
         "a layer, such as LSTM(16), or its spec, such as {{\"type\": \"LSTM\", "
         "\"units\": 16}}",
         "LSTM(16) のようなレイヤー、または {{\"type\": \"LSTM\", \"units\": 16}} のような"
         "その spec")
register("wrapper.too_deep",
         "wrappers nest more than {limit} levels deep here; shapewidget stops at {limit} "
         "(each TimeDistributed level needs one more input axis, so no real model comes "
         "near it).",
         "ここではラッパーの入れ子が {limit} 段を超えています。shapewidget は {limit} 段までです"
         "（TimeDistributed は 1 段ごとに入力の軸が一つ増えるので、実際のモデルがこれに近づく"
         "ことはありません）。")
register("wrapper.fix.too_deep", "wrap the layer fewer times.",
         "レイヤーを包む回数を減らします。")
register("wrapper.shared",
         "a wrapper wraps a layer of its own; a second call of the layer '{target}' "
         "({{\"shares\": ...}}) cannot be wrapped.",
         "ラッパーが包むのは自分のレイヤーです。レイヤー '{target}' の 2 回目の呼び出し"
         "（{{\"shares\": ...}}）は包めません。")
register("wrapper.fix.shared",
         "give the layer itself, e.g. {{\"type\": \"Dense\", \"units\": 4}}.",
         "レイヤーそのものを書きます（例: {{\"type\": \"Dense\", \"units\": 4}}）。")
register("wrapper.fix.layer_name",
         "write the layer itself, {value}(...), or its spec {{\"type\": \"{value}\", ...}}.",
         "レイヤーそのもの {value}(...)、またはその spec {{\"type\": \"{value}\", ...}} を"
         "書きます。")
register("bidirectional.not_rnn",
         "Bidirectional wraps a recurrent layer (SimpleRNN, LSTM or GRU) and makes a copy "
         "of it that reads backwards (go_backwards=True); {received} is not one, so Keras "
         "refuses it.",
         "Bidirectional はリカレントレイヤー（SimpleRNN・LSTM・GRU）を包み、逆向きに読む"
         "コピー（go_backwards=True）を作ります。{received} はリカレントレイヤーではないので、"
         "Keras は拒否します。")
register("bidirectional.fix.not_rnn",
         "wrap a recurrent layer, e.g. Bidirectional(LSTM(16)); to apply {received} to "
         "every time step use TimeDistributed({received}(...)).",
         "Bidirectional(LSTM(16)) のようにリカレントレイヤーを包みます。{received} を各"
         "ステップに適用するなら TimeDistributed({received}(...)) を使います。")
register("bidirectional.same_direction",
         "the forward and the backward layer must read in opposite directions, but both "
         "have go_backwards={value}.",
         "順方向と逆方向のレイヤーは逆向きに読む必要がありますが、両方とも go_backwards="
         "{value} です。")
register("bidirectional.fix.wrapped_backwards",
         "remove go_backwards=True from the wrapped layer: Bidirectional makes the "
         "backward copy itself.",
         "包むレイヤーから go_backwards=True を外します。逆方向のコピーは Bidirectional が"
         "自分で作ります。")
register("bidirectional.fix.backward_direction",
         "give backward_layer the other direction: go_backwards={value}.",
         "backward_layer を逆向きにします: go_backwards={value}。")
register("bidirectional.mismatch",
         "the forward and the backward layer must have the same {attribute}, received "
         "{forward} for layer and {backward} for backward_layer.",
         "順方向と逆方向のレイヤーは同じ {attribute} でなければなりませんが、layer は "
         "{forward}、backward_layer は {backward} です。")
register("bidirectional.fix.mismatch", "set {attribute}={forward} on backward_layer too.",
         "backward_layer にも {attribute}={forward} を指定します。")
register("bidirectional.units_mismatch",
         "the backward layer gives {backward} values per step but the forward layer "
         "{forward}. Keras computes the output shape from the forward layer alone and would "
         "report {keras_shape}, but the real output differs: \"concat\" gives {forward} + "
         "{backward} values, and \"sum\", \"mul\" and \"ave\" fail when the model runs.",
         "逆方向のレイヤーはステップごとに {backward} 個、順方向のレイヤーは {forward} 個の"
         "値を出します。Keras は出力の形を順方向のレイヤーだけから求めて {keras_shape} と"
         "表示しますが、実際の出力は違います。\"concat\" では {forward} + {backward} 個の値"
         "になり、\"sum\"・\"mul\"・\"ave\" は実行時に失敗します。")
register("bidirectional.fix.units_mismatch", "give backward_layer units={forward}.",
         "backward_layer を units={forward} にします。")
register("bidirectional.fix.merge_none",
         "choose a merge_mode (\"concat\", \"sum\", \"mul\" or \"ave\") to get one tensor, "
         "or use the functional API: forward, backward = Bidirectional(..., "
         "merge_mode=None)(x).",
         "1 つのテンソルにするには merge_mode（\"concat\"・\"sum\"・\"mul\"・\"ave\"）を選ぶ"
         "か、関数型 API を使います: forward, backward = Bidirectional(..., "
         "merge_mode=None)(x)。")
register("bidirectional.explain",
         "Bidirectional runs two copies of the wrapped {inner} over {inp}: a forward one "
         "(first step to last) and a backward one (go_backwards=True, last step to "
         "first); each gives {one}.",
         "Bidirectional は包んだ {inner} の 2 つのコピーで {inp} を読みます。順方向"
         "（最初のステップから最後へ）と逆方向（go_backwards=True、最後から最初へ）で、"
         "それぞれ {one} を出します。")
register("bidirectional.explain.backward_layer",
         "Bidirectional runs the wrapped {inner} forwards and the given backward_layer "
         "{backward} backwards over {inp}; each gives {one}.",
         "Bidirectional は包んだ {inner} を順方向に、指定の backward_layer {backward} を"
         "逆方向に使って {inp} を読みます。それぞれ {one} を出します。")
register("bidirectional.concat",
         "merge_mode=\"concat\" (the default) puts the two outputs side by side on the "
         "last axis: {last} + {last} = {total} → {out}.",
         "merge_mode=\"concat\"（既定）は 2 つの出力を最後の軸で並べます: {last} + {last} "
         "= {total} → {out}。")
register("bidirectional.elementwise",
         "merge_mode=\"{mode}\" combines the two outputs value by value ({op}), so the "
         "shape stays {out}.",
         "merge_mode=\"{mode}\" は 2 つの出力を値ごとに組み合わせる（{op}）ので、形は "
         "{out} のままです。")
register("bidirectional.weights",
         "Weights: the forward copy's ({forward} parameters), then the backward copy's "
         "({backward}): {forward} + {backward} = {total} parameters.",
         "重み: 順方向のコピーの重み（{forward} 個）の後に逆方向のコピーの重み（{backward} "
         "個）: {forward} + {backward} = {total} 個のパラメータ。")
register("bidirectional.names",
         "Keras names the copies {forward} and {backward}.",
         "Keras はコピーを {forward} と {backward} と名付けます。")
register("bidirectional.bad_weights",
         "weights must be a list of arrays (half for the forward layer, half for the "
         "backward one), received {received}.",
         "weights は配列のリスト（前半が順方向、後半が逆方向のレイヤー用）でなければ"
         "なりませんが、{received} を受け取りました。")
register("bidirectional.fix.bad_weights", "leave weights out (Keras 3 does not use it).",
         "weights を省きます（Keras 3 はこれを使いません）。")
register("bidirectional.weights_ignored",
         "weights= is kept by Keras 3 but never used: the weights start from their "
         "initializers.",
         "weights= は Keras 3 で保持されますが使われません。重みは初期化子から始まります。")
register("time_distributed.fix.rank",
         "TimeDistributed applies the wrapped layer to each step of axis 1, so the input "
         "needs (batch, time, …), e.g. input_shape=(10, {rest}) for 10 steps; for data "
         "without a time axis use the wrapped layer directly.",
         "TimeDistributed は包んだレイヤーを軸 1 の各ステップに適用するので、入力は "
         "(batch, time, …) が必要です（例: 10 ステップなら input_shape=(10, {rest})）。"
         "時間軸のないデータには、包んだレイヤーをそのまま使います。")
register("time_distributed.inner",
         "TimeDistributed applies the wrapped {td_inner} to each time step separately, so "
         "{td_inner} sees {td_step} (the input {td_input} without its time axis):",
         "TimeDistributed は包んだ {td_inner} を各時刻に別々に適用するので、{td_inner} が"
         "受け取るのは {td_step}（入力 {td_input} から時間軸を除いたもの）です:")
register("time_distributed.inner_rank",
         "TimeDistributed applies the wrapped {td_inner} to each time step separately, so "
         "{td_inner} sees {td_step} (the input {td_input} without its time axis). Keras "
         "does not run {td_inner}'s own input check inside TimeDistributed: depending on "
         "the layer it refuses the model later, or builds one that fails or gives other "
         "shapes when it runs. {td_inner}:",
         "TimeDistributed は包んだ {td_inner} を各時刻に別々に適用するので、{td_inner} が"
         "受け取るのは {td_step}（入力 {td_input} から時間軸を除いたもの）です。Keras は "
         "TimeDistributed の中では {td_inner} 自身の入力チェックをしないため、レイヤーに"
         "よっては後で拒否するか、モデルを作れても実行時に失敗したり別の形になったりします。"
         "{td_inner}:")
register("time_distributed.explain",
         "TimeDistributed applies the same {inner} to each of the {steps} time steps: the "
         "wrapped layer sees one step, {step}, and returns {step_out}; the time axis is put "
         "back → {out}.",
         "TimeDistributed は同じ {inner} を {steps} 個の時刻それぞれに適用します。包んだ"
         "レイヤーは 1 ステップ分 {step} を受け取り {step_out} を返し、時間軸が戻されます → "
         "{out}。")
register("time_distributed.explain.unknown_steps",
         "TimeDistributed applies the same {inner} to every time step (their number is "
         "unknown): the wrapped layer sees one step, {step}, and returns {step_out}; the "
         "time axis is put back → {out}.",
         "TimeDistributed は同じ {inner} をすべての時刻（数は不明）に適用します。包んだ"
         "レイヤーは 1 ステップ分 {step} を受け取り {step_out} を返し、時間軸が戻されます → "
         "{out}。")
register("time_distributed.shared",
         "The {count} parameters of the wrapped layer are shared by all time steps: the "
         "count does not depend on the number of steps.",
         "包んだレイヤーの {count} 個のパラメータはすべての時刻で共有されるので、数はステップ"
         "数によりません。")
register("wrapper.frozen",
         "trainable=False on {type} is not passed on to the wrapped layer: Keras lists "
         "these {count} parameters as non-trainable for this layer, but their variables "
         "stay trainable=True, so the model's totals count them as trainable and fit() "
         "still updates them. To freeze them, give trainable=False to the wrapped layer.",
         "{type} の trainable=False は包んだレイヤーには伝わりません。Keras はこのレイヤー"
         "の {count} 個のパラメータを学習しないものとして数えますが、変数は trainable=True "
         "のままなので、モデルの合計では学習するものに数えられ、fit() でも更新されます。"
         "固定するには、包んだレイヤーに trainable=False を指定します。")


@dataclass(frozen=True)
class LayerParam(Param):
    """A layer given as an argument, like the ``layer`` of a wrapper.

    ``validate`` accepts a :class:`Layer` or its spec dict (``{"type": "LSTM", ...}``);
    ``to_json`` gives the nested spec, ``to_code`` the nested constructor call
    (``to_code(value, prefix="layers.")`` to choose how layer classes are written).
    """

    allow_none: bool = False
    widget: ClassVar[str] = "layer"

    def expected(self) -> Msg:
        return Msg("wrapper.expected.layer")

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_none:
            return None
        if isinstance(value, dict):
            if _dict_depth(value) >= MAX_DEPTH:
                raise self._too_deep()
            from .serial import layer_from_spec

            try:
                value = layer_from_spec(value)
            except ShapeError as err:
                argument = self.name if err.argument is None else f"{self.name}.{err.argument}"
                raise ShapeError(err.problem, fix=err.fix, argument=argument) from None
        if isinstance(value, Layer):
            return self._check_layer(value)
        fix = (Msg("wrapper.fix.layer_name", {"value": value})
               if isinstance(value, str) else None)
        raise self.fail(value, fix)

    def _too_deep(self) -> ShapeError:
        return ShapeError(Msg("wrapper.too_deep", {"limit": MAX_DEPTH}),
                          fix=Msg("wrapper.fix.too_deep"), argument=self.name)

    def _check_layer(self, layer: Layer) -> Layer:
        """Keras's refusals that apply to a wrapped layer too (its name), a shared call
        (which has no layer of its own to wrap) and the nesting limit."""
        reused = layer.reused_layer()
        if reused is not None:
            raise ShapeError(Msg("wrapper.shared", {"target": reused}),
                             fix=Msg("wrapper.fix.shared"), argument=self.name)
        if layer.name is not None:
            problem = name_problem(layer.name)
            if problem is not None:
                raise ShapeError(problem, argument=f"{self.name}.name")
        if nesting_depth(layer) >= MAX_DEPTH:
            raise self._too_deep()
        return layer

    def to_json(self, value: Any) -> Any:
        if value is None:
            return None
        from .serial import layer_to_spec

        return layer_to_spec(value)

    def to_code(self, value: Any, prefix: str = "keras.layers.") -> str:
        if value is None:
            return "None"
        from .serial import layer_code

        return layer_code(value, prefix)


def _dict_depth(value: dict[str, Any]) -> int:
    """How deeply dicts nest in ``value`` (counted up to just past the limit)."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                todo.extend((v, depth + 1) for v in item.values())
    return deepest


def _inside(err: ShapeError, argument: str, prefix: Msg | None = None) -> ShapeError:
    """A wrapped layer's error as the wrapper's: the argument becomes ``layer.<arg>`` and,
    with ``prefix``, the message starts with the prefix's sentence (in both languages)."""
    problem = err.problem
    if prefix is not None:
        key = f"{prefix.key}+{problem.key}"
        if key not in TEMPLATES:
            outer, inner = TEMPLATES[prefix.key], TEMPLATES[problem.key]
            register(key, f"{outer['en']} {inner['en']}", f"{outer['ja']}{inner['ja']}")
        problem = Msg(key, {**problem.values, **prefix.values})
    name = argument if err.argument is None else f"{argument}.{err.argument}"
    return ShapeError(problem, fix=err.fix, argument=name)


class Wrapper(Layer):
    """What the wrappers share: the wrapped layer comes first; ``trainable=False`` on the
    wrapper is not passed on (see the module notes)."""
    drawing: ClassVar[dict[str, str]] = {"glyph": "neurons-with-kernel", "args": "wrapper"}

    family = "wrapper"

    def inner_layers(self) -> tuple[Layer, ...]:
        return (self.layer,)

    def evaluate_uncached(self, input_shape: Shape) -> Computed:
        out = self.compute(input_shape)
        count = sum(w.size for w in out.weights if w.trainable)
        if self.trainable or not count:
            return out
        return out._replace(notes=(*out.notes, Msg("wrapper.frozen", {
            "type": self.type_name(), "count": f"{count:,}"})))


MERGE_OPS = {"sum": "forward + backward", "mul": "forward × backward",
             "ave": "(forward + backward) / 2"}


class Bidirectional(Wrapper):
    """Runs a recurrent layer forwards and a copy of it backwards, and merges the two."""
    drawing: ClassVar[dict[str, str]] = {"glyph": "neurons", "time": "recurrent", "args": "wrapper"}

    help = "runs a recurrent layer in both directions and merges the two outputs"
    params = (
        LayerParam("layer", REQUIRED, "the recurrent layer to run in both directions"),
        ChoiceParam("merge_mode", "concat", "how the two outputs are combined",
                    choices=("concat", "sum", "mul", "ave", None)),
        JsonParam("weights", None, "initial weight values (kept as given)",
                  affects_shape=False),
        LayerParam("backward_layer", None, "the layer for the backward direction "
                   "(default: a copy of layer with go_backwards=True)", allow_none=True),
    )

    def inner_layers(self) -> tuple[Layer, ...]:
        return (self.layer,) if self.backward_layer is None else (
            self.layer, self.backward_layer)

    _copies: tuple[RNNBase, RNNBase]

    def check_args(self) -> None:
        self.check_directions()
        # The two layers as they run, each giving one tensor (return_state is handled
        # by this layer): made once, as the layer is immutable.
        self._copies = (cast(RNNBase, self.layer.with_args(return_state=False)),
                        cast(RNNBase, self.backward().with_args(return_state=False)))

    def check_directions(self) -> None:
        weights = self.value("weights")
        if weights and not isinstance(weights, tuple | str):  # Keras takes len(weights)
            raise reject("bidirectional.bad_weights", argument="weights",
                         received=describe(weights), fix=Msg("bidirectional.fix.bad_weights"))
        for argument in ("layer", "backward_layer"):
            inner = self.value(argument)
            if inner is not None and not isinstance(inner, RNNBase):
                raise reject("bidirectional.not_rnn", argument=argument,
                             received=inner.type_name(),
                             fix=Msg("bidirectional.fix.not_rnn",
                                     {"received": inner.type_name()}))
        forward: RNNBase = self.layer
        backward: RNNBase | None = self.backward_layer
        if backward is None:
            if forward.go_backwards:
                raise reject("bidirectional.same_direction", argument="layer", value=True,
                             fix=Msg("bidirectional.fix.wrapped_backwards"))
            return
        if forward.go_backwards == backward.go_backwards:
            raise reject("bidirectional.same_direction", argument="backward_layer",
                         value=forward.go_backwards,
                         fix=Msg("bidirectional.fix.backward_direction",
                                 {"value": not forward.go_backwards}))
        for attribute in ("stateful", "return_sequences", "return_state"):
            values = {"attribute": attribute, "forward": forward.value(attribute),
                      "backward": backward.value(attribute)}
            if values["forward"] != values["backward"]:
                raise reject("bidirectional.mismatch", argument="backward_layer",
                             fix=Msg("bidirectional.fix.mismatch", values), **values)

    def backward(self) -> RNNBase:
        """The layer that reads backwards: ``backward_layer``, or a copy of ``layer``."""
        given: RNNBase | None = self.backward_layer
        if given is not None:
            return given
        copy: RNNBase = self.layer.with_args(go_backwards=True)
        return copy

    @staticmethod
    def direction_names(layer_name: str) -> tuple[str, str]:
        """Keras's names of the two copies of a wrapped layer called ``layer_name``:
        ``("forward_lstm", "backward_lstm")`` (a ``forward_``/``backward_`` prefix already
        there is not repeated)."""
        return (f"forward_{layer_name.removeprefix('forward_')}",
                f"backward_{layer_name.removeprefix('backward_')}")

    def compute(self, input_shape: Shape) -> Computed:
        fwd = self.run_direction(0, input_shape)
        # A backward copy of the wrapped layer has the same shapes as the forward one.
        bwd = fwd if self.backward_layer is None else self.run_direction(1, input_shape)
        if fwd.output_shape[-1] != bwd.output_shape[-1]:
            merged = bidirectional_merge_shape(fwd.output_shape, self.merge_mode or "concat")
            raise reject("bidirectional.units_mismatch", argument="backward_layer",
                         forward=fwd.output_shape[-1], backward=bwd.output_shape[-1],
                         keras_shape=format_shape(merged),
                         fix=Msg("bidirectional.fix.units_mismatch",
                                 {"forward": fwd.output_shape[-1]}))
        self.check_single_output(input_shape, fwd.output_shape)
        out = bidirectional_merge_shape(fwd.output_shape, self.merge_mode)
        weights = fwd.weights + bwd.weights
        return Computed(out, weights, self.notes(input_shape, fwd, bwd, out))

    def run_direction(self, index: int, input_shape: Shape) -> Computed:
        """The forward (0) or backward (1) layer on the input; its errors name it."""
        try:
            return self._copies[index].evaluate(input_shape)
        except ShapeError as err:
            raise _inside(err, ("layer", "backward_layer")[index]) from None

    def output_list(self, input_shape: Shape, one: Shape) -> tuple[tuple[Shape, ...],
                                                                   tuple[str, ...]]:
        """Every tensor Keras returns, and their names, given ``one`` direction's output:
        ``merge_mode=None`` keeps both outputs, ``return_state`` adds each direction's
        states."""
        layer: RNNBase = self.layer
        if self.merge_mode is None:
            outputs, names = [one, one], ["out_fwd", "out_bwd"]
        else:
            outputs, names = [bidirectional_merge_shape(one, self.merge_mode)], ["output"]
        if layer.return_state:
            for direction in ("fwd", "bwd"):
                outputs += [(input_shape[0], layer.units)] * len(layer.state_names)
                names += [f"{s}_{direction}" for s in layer.state_names]
        return tuple(outputs), tuple(names)

    def check_single_output(self, input_shape: Shape, one: Shape) -> None:
        """Refuse ``merge_mode=None`` and ``return_state=True``: Keras returns a list."""
        outputs, names = self.output_list(input_shape, one)
        if len(outputs) == 1:
            return
        argument = "merge_mode" if self.merge_mode is None else "layer.return_state"
        fix = (Msg("bidirectional.fix.merge_none") if self.merge_mode is None else
               Msg("rnn.fix.return_state", {"type": self.type_name()}))
        raise reject("recurrent.list_output", argument=argument, fix=fix,
                     **list_output_values(self.type_name(), outputs, names))

    def notes(self, input_shape: Shape, fwd: Computed, bwd: Computed,
              out: Shape) -> tuple[Msg, ...]:
        layer: RNNBase = self.layer
        values = {"inner": layer.type_name(), "inp": format_shape(input_shape),
                  "one": format_shape(fwd.output_shape)}
        if self.backward_layer is None:
            notes = [Msg("bidirectional.explain", values)]
            if layer.name is not None:
                forward_name, backward_name = self.direction_names(layer.name)
                notes.append(Msg("bidirectional.names", {"forward": forward_name,
                                                         "backward": backward_name}))
        else:
            notes = [Msg("bidirectional.explain.backward_layer",
                         {**values, "backward": self.backward_layer.type_name()})]
        last = fwd.output_shape[-1]
        if self.merge_mode == "concat":
            notes.append(Msg("bidirectional.concat", {"last": last, "total": out[-1],
                                                      "out": format_shape(out)}))
        else:
            notes.append(Msg("bidirectional.elementwise", {
                "mode": self.merge_mode, "op": MERGE_OPS[self.merge_mode],
                "out": format_shape(out)}))
        if self.value("weights"):
            notes.append(Msg("bidirectional.weights_ignored"))
        f, b = (sum(w.size for w in c.weights) for c in (fwd, bwd))
        notes.append(Msg("bidirectional.weights", {"forward": f"{f:,}", "backward": f"{b:,}",
                                                   "total": f"{f + b:,}"}))
        return tuple(notes)


# The wrapped layer's rank checks (Keras's InputSpec), which Keras skips inside
# TimeDistributed; the models it then builds fail or change shape when they run.
RANK_KEYS = frozenset({"layer.expected_rank", "layer.expected_min_rank"})


class TimeDistributed(Wrapper):
    """Applies the same layer to every time step (axis 1) of the input."""

    help = "applies the wrapped layer to each time step (axis 1) with shared weights"
    params = (LayerParam("layer", REQUIRED, "the layer applied to each time step"),)

    def compute(self, input_shape: Shape) -> Computed:
        if len(input_shape) < 3:
            rest = ", ".join("None" if d is None else str(d) for d in input_shape[1:])
            raise reject("layer.expected_min_rank", expected=3, layout="batch, time, …",
                         shape=format_shape(input_shape), rank=len(input_shape),
                         fix=Msg("time_distributed.fix.rank", {"rest": rest or "8"}))
        inner: Layer = self.layer
        step = time_step_shape(input_shape)
        try:
            result = inner.evaluate(step)
        except ShapeError as err:
            key = ("time_distributed.inner_rank" if err.problem.key in RANK_KEYS
                   else "time_distributed.inner")
            raise _inside(err, "layer", Msg(key, {
                "td_inner": inner.type_name(), "td_step": format_shape(step),
                "td_input": format_shape(input_shape)})) from None
        out = with_time_axis(result.output_shape, input_shape[1])
        explain = ("time_distributed.explain" if input_shape[1] is not None
                   else "time_distributed.explain.unknown_steps")
        notes = [Msg(explain, {
            "inner": inner.type_name(), "steps": input_shape[1], "step": format_shape(step),
            "step_out": format_shape(result.output_shape), "out": format_shape(out)})]
        weights: tuple[Weight, ...] = result.weights
        if weights:
            notes.append(Msg("time_distributed.shared", {
                "count": f"{sum(w.size for w in weights):,}"}))
        return Computed(out, weights, (*notes, *result.notes))


__all__ = ["Bidirectional", "LayerParam", "TimeDistributed"]

LAYERS: tuple[type[Layer], ...] = (Bidirectional, TimeDistributed)
