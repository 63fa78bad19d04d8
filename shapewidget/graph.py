"""From inputs and layer entries to summary rows: the chain of a Sequential model, or the
graph of a functional one (named inputs, ``inbound`` tensors, shared layers, outputs).

Rows come in the order of the entries. Shapes are computed in dependency order (the
entries' own order when they are already in it, as code calling the layers would be), and
the walk stops at the first entry Keras would reject, as building the model in Keras does.
"""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import Sequence
from math import prod
from typing import Any

from .errors import ShapeError
from .layers import Layer
from .layers.base import Computed, Weight
from .layers.shared import SharedLayer
from .naming import name_problem, numbered
from .params import MAX_SIZE, describe
from .shapes import Shape, format_shape
from .summary import InputTensor, Summary, SummaryRow
from .text import Msg, int_text, register

register("model.duplicate_name",
         "the name '{name}' is already used by layer {first}; every layer needs a unique "
         "name.",
         "名前 '{name}' はレイヤー {first} がすでに使っています。レイヤー名は一意でなければなりません。")
register("model.input_name",
         "the name '{name}' is the one Keras gives the model's input (its InputLayer); "
         "every layer needs a unique name.",
         "名前 '{name}' は Keras がモデルの入力（InputLayer）に付ける名前です。"
         "レイヤー名は一意でなければなりません。")
register("model.fix.rename", "rename one of them, or leave the name out for an automatic one.",
         "どちらかの名前を変えるか、名前を省略して自動の名前にします。")
register("graph.input_taken",
         "the name '{name}' is already the name of a model input; every layer and input "
         "needs a unique name.",
         "名前 '{name}' はすでにモデルの入力の名前です。レイヤーと入力の名前は一意でなければなりません。")
register("graph.duplicate_input",
         "two model inputs are named '{name}'; every input needs a unique name.",
         "二つのモデル入力が '{name}' という名前です。入力の名前は一意でなければなりません。")
register("graph.unknown_tensor",
         "the layer is called on '{name}', which is neither a model input nor a layer of "
         "this model (known: {known}).",
         "'{name}' を入力に呼び出していますが、これはモデルの入力でもこのモデルのレイヤーでも"
         "ありません（あるもの: {known}）。")
register("graph.fix.unknown_tensor", "use one of the names listed, e.g. '{suggestion}'.",
         "一覧の名前を使ってください（例: '{suggestion}'）。")
register("graph.cycle",
         "the layers form a cycle ({path}): a layer cannot be called on a tensor that "
         "depends on its own output.",
         "レイヤーが循環しています（{path}）。自分の出力に依存するテンソルでレイヤーを呼び出す"
         "ことはできません。")
register("graph.fix.cycle", "call one of them on an earlier tensor or a model input.",
         "どれかを、より前のテンソルかモデルの入力で呼び出します。")
register("graph.shares_unknown",
         "`shares` names '{name}', which is not a layer of this model (known: {known}).",
         "`shares` に指定された '{name}' はこのモデルのレイヤーではありません（あるもの: {known}）。")
register("graph.shares_input",
         "`shares` names '{name}', a model input; only a layer can be called again.",
         "`shares` に指定された '{name}' はモデルの入力です。再び呼び出せるのはレイヤーだけです。")
register("graph.shared_mismatch",
         "this second call of '{target}' gets {shape}, but '{target}' was built on {first} "
         "and keeps one set of weights ({first_weights}); this input would need "
         "{weights}.",
         "'{target}' のこの 2 回目の呼び出しは {shape} を受け取りますが、'{target}' は {first} "
         "で作られ、重みは一組だけです（{first_weights}）。この入力には {weights} が必要です。")
register("graph.shared_rank",
         "this second call of '{target}' gets {shape} of rank {rank}, but '{target}' was "
         "built on {first} of rank {first_rank}; Keras then accepts only that rank.",
         "'{target}' のこの 2 回目の呼び出しはランク {rank} の {shape} を受け取りますが、"
         "'{target}' はランク {first_rank} の {first} で作られたため、Keras はそのランクしか"
         "受け付けません。")
register("graph.fix.shared_mismatch",
         "call it on a tensor of the same kind as its first input, or use a separate layer.",
         "最初の入力と同じ種類のテンソルで呼び出すか、別のレイヤーを使います。")
register("graph.shared_note",
         "A second call of '{target}': the same layer and the same weights, so this row "
         "adds no parameters.",
         "'{target}' の 2 回目の呼び出し: 同じレイヤー・同じ重みなので、この行のパラメータは"
         "増えません。")
register("graph.shared_unknown",
         "This call's input {shape} has an unknown size where '{target}' was built on "
         "{first}: Keras accepts it, and the data must have the built size when the model "
         "runs.",
         "この呼び出しの入力 {shape} には、'{target}' が作られた {first} とは違い不明なサイズが"
         "あります。Keras はこれを受け付けますが、モデルを実行するときのデータは作られたときの"
         "サイズでなければなりません。")
register("graph.unknown_output",
         "`outputs` names '{name}', which is neither a model input nor a layer (known: "
         "{known}).",
         "`outputs` に指定された '{name}' はモデルの入力でもレイヤーでもありません（あるもの: "
         "{known}）。")
register("graph.unused_input",
         "the input '{name}' is not used on the way to any output.",
         "入力 '{name}' はどの出力にも使われていません。")
register("graph.fix.unused_input",
         "call a layer on it (list it in that layer's inbound), or remove the input.",
         "それを入力とするレイヤーを作る（inbound に書く）か、入力を削除します。")
register("graph.dangling",
         "the output of '{name}' is used by no layer and is not a model output.",
         "'{name}' の出力はどのレイヤーにも使われず、モデルの出力でもありません。")
register("graph.fix.dangling",
         "add '{name}' to outputs, call a layer on it, or remove it.",
         "'{name}' を outputs に加えるか、それを入力とするレイヤーを作るか、削除します。")
register("graph.too_large",
         "the output {shape} would have an axis of {size}, larger than any tensor a "
         "backend can hold (2**63 - 1 = 9,223,372,036,854,775,807 per axis).",
         "出力 {shape} には {size} の軸ができますが、これはバックエンドが扱えるテンソルの"
         "大きさ（軸ごとに 2**63 - 1 = 9,223,372,036,854,775,807）を超えています。")
register("graph.no_outputs", "the model has no output.", "モデルに出力がありません。")

INPUT_LAYER_NAME = "input_layer"
"""Keras's automatic name of a model's first input (then ``input_layer_1``, …)."""


def auto_input_names(given: Sequence[str | None]) -> list[str]:
    """Names for the inputs: the given ones, ``input_layer``, ``input_layer_1``, … else."""
    out: list[str] = []
    n = 0
    for name in given:
        if name is not None:
            out.append(name)
            continue
        out.append(numbered(INPUT_LAYER_NAME, n))
        n += 1
    return out


def _oversized(shape: Any) -> ShapeError | None:
    """Refuse an output with an axis beyond ``MAX_SIZE`` (``shape`` may be a list of
    shapes); sizes are made by arithmetic on sizes, so they can grow layer by layer."""
    todo = [shape]
    while todo:
        item = todo.pop()
        if isinstance(item, int) and item > MAX_SIZE:
            return ShapeError(Msg("graph.too_large", {
                "shape": format_shape(shape) if item.bit_length() < 10000 else "…",
                "size": int_text(item)}), fix=Msg("param.fix.too_large"))
        if isinstance(item, tuple | list):
            todo.extend(item)
    return None


def _known(names: Sequence[str]) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:8])
    return shown + (", …" if len(names) > 8 else "") if names else "—"


def _weights_text(weights: Sequence[Weight]) -> str:
    return ", ".join(f"{w.name} {format_shape(w.shape)}" for w in weights) or "—"


class _Entry:
    """One layer entry while the graph is resolved."""

    __slots__ = ("deps", "inbound", "index", "layer", "name", "target")

    def __init__(self, index: int, layer: Layer, name: str, inbound: tuple[str, ...]) -> None:
        self.index = index
        self.layer = layer
        self.name = name
        self.inbound = inbound
        self.target: int | None = None  # the entry a SharedLayer reuses
        self.deps: set[int] = set()


def compute_summary(layers: Sequence[Layer], names: Sequence[str], input_shape: Shape,
                    input_dtype: str = "float32", model_name: str = "sequential",
                    inputs: Sequence[InputTensor] = (), outputs: Sequence[str] = (),
                    functional: bool = False) -> Summary:
    """Rows for the entries up to the first one Keras would reject (``Summary.error``).

    ``inputs`` (name, batch shape, dtype) default to one input ``input_layer`` of
    ``input_shape``; an entry whose ``inbound`` is ``None`` takes the previous entry's
    output (the first input for the first entry).
    """
    tensors = tuple(inputs) or (InputTensor(INPUT_LAYER_NAME, input_shape, input_dtype),)
    if len(tensors) == 1 and not outputs:
        for layer in layers:
            if layer.inbound is not None or isinstance(layer, SharedLayer):
                break
        else:
            return _chain_summary(layers, names, tensors[0], model_name, functional)
    input_names = [t.name for t in tensors]
    entries: list[_Entry] = []
    for i, (layer, name) in enumerate(zip(layers, names, strict=True)):
        if layer.inbound is not None:
            inbound = layer.inbound
        else:
            inbound = (names[i - 1] if i else input_names[0],)
        entries.append(_Entry(i, layer, name, inbound))

    def located(err: ShapeError, entry: _Entry) -> ShapeError:
        return err.located(layer_index=entry.index, layer_name=entry.name,
                           layer_type=_class_name(entry, entries))

    structural = _check_structure(entries, tensors)
    limit = len(entries)
    error: ShapeError | None = None
    if structural is not None:
        where, error = structural
        if where is not None:
            limit = where.index
            error = located(error, where)
        else:
            limit = 0

    shapes: dict[str, Shape] = {t.name: t.shape for t in tensors}
    computed: dict[int, SummaryRow] = {}
    first_call: dict[int, tuple[Shape, tuple[Weight, ...]]] = {}
    for entry in _dependency_order(entries[:limit]):
        if any(d not in computed for d in entry.deps):
            continue  # depends on an entry that could not be computed
        in_shapes = tuple(shapes[t] for t in entry.inbound)
        layer = entry.layer if entry.target is None else entries[entry.target].layer
        try:
            if entry.target is None:
                out = _call(entry, layer, in_shapes)
            else:
                target = entries[entry.target]
                first_shape, first_weights = first_call[entry.target]
                out = _shared_call(entry, target, first_shape, in_shapes)
                _check_shared_call(entry, target, (first_shape, first_weights),
                                   in_shapes, out.weights)
            too_large = _oversized(out.output_shape)
            if too_large is not None:
                raise too_large
        except ShapeError as err:
            error = located(err, entry)  # before any structural problem: entry < limit
            break
        first_call.setdefault(entry.index, (in_shapes[0], out.weights))
        if entry.target is None:
            weights = out.weights
            notes = out.notes
            trainable = sum(w.size for w in weights if w.trainable and layer.trainable)
            frozen = sum(w.size for w in weights) - trainable
            shares = None
        else:
            target = entries[entry.target]
            weights, trainable, frozen = (), 0, 0
            notes = (*out.notes, Msg("graph.shared_note", {"target": target.name}))
            shares = target.name
        computed[entry.index] = SummaryRow(
            entry.index, entry.name, layer.type_name(), in_shapes[0], out.output_shape,
            weights, trainable, frozen, notes, layer.args, entry.inbound, in_shapes, shares)
        shapes[entry.name] = out.output_shape
    call_order = tuple(computed)  # dicts keep insertion order: the order of the calls
    rows = tuple(computed[i] for i in sorted(computed))
    out_names = tuple(outputs)
    if error is None:
        error = _check_outputs(entries, tensors, out_names)
    if not out_names and entries and error is None:
        used = {t for e in entries for t in e.inbound}
        out_names = tuple(e.name for e in entries if e.name not in used)
    return Summary(tensors[0].shape, tensors[0].dtype, rows, error, model_name,
                   tensors, out_names, functional, call_order)


_new_row = tuple.__new__  # SummaryRow from a full tuple, without the keyword handling


def _name_problem(name: str, earlier: dict[str, int], input_names: Sequence[str]
                  ) -> ShapeError | None:
    """Why a layer may not take ``name`` (a "/", a name taken by an earlier layer or by a
    model input), or ``None``."""
    if "/" in name:
        return ShapeError(Msg("model.bad_name", {"received": describe(name)}), argument="name")
    if name in earlier:
        problem = Msg("model.duplicate_name", {"name": name, "first": earlier[name]})
    elif name in input_names:
        problem = (Msg("model.input_name", {"name": name})
                   if name == INPUT_LAYER_NAME == input_names[0]
                   else Msg("graph.input_taken", {"name": name}))
    else:
        return None
    return ShapeError(problem, fix=Msg("model.fix.rename"), argument="name")


def _chain_summary(layers: Sequence[Layer], names: Sequence[str], tensor: InputTensor,
                   model_name: str, functional: bool) -> Summary:
    """The Sequential case (each layer on the previous output): the same rows as the
    graph walk, without building the graph, since the widget recomputes on every edit.
    (Written for speed: one pass, names checked in full only when one looks wrong.)"""
    rows: list[SummaryRow] = []
    append = rows.append
    shape = tensor.shape
    input_name = previous = tensor.name
    seen: dict[str, int] = {}
    error: ShapeError | None = None
    row_type = SummaryRow
    for i, (layer, name) in enumerate(zip(layers, names, strict=True)):
        if name in seen or name == input_name or "/" in name:
            bad = _name_problem(name, seen, (input_name,))
            if bad is not None:
                error = bad.located(layer_index=i, layer_name=name,
                                    layer_type=layer.type_name())
                break
        seen[name] = i
        try:  # what Layer.evaluate remembers, read here without the call when it is there
            out = layer._memo.get(shape)
        except TypeError:  # a list: Layer.evaluate takes it as the tuple it stands for
            out = None
        if out is None:
            try:
                out = layer.evaluate(shape)
            except ShapeError as err:
                error = err.located(layer_index=i, layer_name=name,
                                    layer_type=layer.type_name())
                break
        output_shape, weights, notes = out
        if max((d for d in output_shape if type(d) is int), default=0) > MAX_SIZE or any(
                type(d) is not int and d is not None for d in output_shape):
            too_large = _oversized(output_shape)
            if too_large is not None:
                error = too_large.located(layer_index=i, layer_name=name,
                                          layer_type=layer.type_name())
                break
        trainable = frozen = 0
        if weights:  # Keras: a layer with trainable=False lists no trainable weights, even
            flag = layer._values["trainable"]  # when a wrapper's variables keep trainable=True
            for _, weight_shape, weight_trainable in weights:
                if flag and weight_trainable:
                    trainable += prod(weight_shape)
                else:
                    frozen += prod(weight_shape)
        append(_new_row(row_type, (
            i, name, layer._type_name, shape, output_shape, weights, trainable,
            frozen, notes, layer.args, (previous,), (shape,), None)))
        shape = output_shape
        previous = name
    outputs = () if error is not None or not rows else (rows[-1].name,)
    return Summary(tensor.shape, tensor.dtype, tuple(rows), error, model_name, (tensor,),
                   outputs, functional)


def _class_name(entry: _Entry, entries: Sequence[_Entry]) -> str:
    if entry.target is not None:
        return entries[entry.target].layer.type_name()
    return entry.layer.type_name()


def _check_structure(entries: list[_Entry], tensors: Sequence[InputTensor]
                     ) -> tuple[_Entry | None, ShapeError] | None:
    """Names, inbound references, shared targets and cycles; the first problem by index
    (``None`` for a problem of the inputs themselves).

    Also fills each entry's ``deps`` and ``target``.
    """
    input_names = [t.name for t in tensors]
    seen_inputs: set[str] = set()
    for t in tensors:
        bad_name = name_problem(t.name)
        if t.name in seen_inputs or bad_name is not None:
            problem = (Msg("graph.duplicate_input", {"name": t.name}) if t.name in seen_inputs
                       else bad_name)
            assert problem is not None
            # The message names the input ("Layer ? 'x' (?)" would read as a layer).
            return None, ShapeError(problem, argument="inputs")
        seen_inputs.add(t.name)
    by_name: dict[str, int] = {}
    problems: list[tuple[_Entry, ShapeError]] = []
    for entry in entries:
        name = entry.name
        bad = _name_problem(name, by_name, input_names)
        if bad is not None:
            problems.append((entry, bad))
            break
        by_name[name] = entry.index
    layer_names = list(by_name)
    known = [*input_names, *layer_names]
    for entry in entries:
        for tensor in entry.inbound:
            if tensor in seen_inputs:
                continue
            if tensor not in by_name:
                import difflib

                close = difflib.get_close_matches(tensor, known, n=1)
                problems.append((entry, ShapeError(
                    Msg("graph.unknown_tensor", {"name": tensor, "known": _known(known)}),
                    fix=Msg("graph.fix.unknown_tensor",
                            {"suggestion": close[0] if close else known[0]}) if known else None,
                    argument="inbound")))
                break
            entry.deps.add(by_name[tensor])
        layer = entry.layer
        if isinstance(layer, SharedLayer):
            target = by_name.get(layer.shares)
            if layer.shares in seen_inputs:
                problems.append((entry, ShapeError(
                    Msg("graph.shares_input", {"name": layer.shares}), argument="shares")))
            elif target is None or target == entry.index:
                problems.append((entry, ShapeError(
                    Msg("graph.shares_unknown", {"name": layer.shares,
                                                 "known": _known(layer_names)}),
                    argument="shares")))
            else:
                seen = {entry.index}
                while isinstance(entries[target].layer, SharedLayer) and target not in seen:
                    seen.add(target)  # a reuse of a reuse: the layer itself
                    nxt = by_name.get(entries[target].layer.shares)
                    if nxt is None:
                        break
                    target = nxt
                entry.target = target
                entry.deps.add(target)
    cycle = _find_cycle(entries)
    if cycle is not None:
        path = " → ".join(entries[i].name for i in cycle)
        first = min(cycle)
        problems.append((entries[first], ShapeError(
            Msg("graph.cycle", {"path": path}), fix=Msg("graph.fix.cycle"),
            argument="inbound")))
    if not problems:
        return None
    where, err = min(problems, key=lambda p: p[0].index)
    return where, err


def _find_cycle(entries: Sequence[_Entry]) -> list[int] | None:
    """The entries of one dependency cycle, in order, or ``None`` (an iterative
    depth-first search: a graph of any size, in any order)."""
    state: dict[int, int] = {}  # 1 visiting, 2 done
    for e in entries:
        if e.index in state:
            continue
        state[e.index] = 1
        path = [e.index]
        pending = [iter(sorted(e.deps))]
        while pending:
            d = next(pending[-1], None)
            if d is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(d) == 1:
                return [*path[path.index(d):], d]
            elif d not in state:
                state[d] = 1
                path.append(d)
                pending.append(iter(sorted(entries[d].deps)))
    return None


def _dependency_order(entries: Sequence[_Entry]) -> list[_Entry]:
    """Entries so that each comes after those it depends on; ties by position."""
    indices = {e.index for e in entries}
    waiting = {e.index: len(e.deps & indices) for e in entries}
    users: dict[int, list[int]] = {}
    for e in entries:
        for d in e.deps & indices:
            users.setdefault(d, []).append(e.index)
    ready = [i for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    by_index = {e.index: e for e in entries}
    order: list[_Entry] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(by_index[i])
        for u in users.get(i, ()):
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, u)
    return order


def _call(entry: _Entry, layer: Layer, in_shapes: tuple[Shape, ...]) -> Computed:
    """The layer on the entry's inbound tensors. No inbound: called on the previous tensor
    itself, as in a Sequential model (a merge layer then refuses it); an inbound list: on
    those tensors."""
    return (layer.evaluate(in_shapes[0]) if entry.layer.inbound is None
            else layer.evaluate_inputs(in_shapes))


def _shared_call(entry: _Entry, target: _Entry, first_shape: Shape,
                 in_shapes: tuple[Shape, ...]) -> Computed:
    """A later call of ``target``'s layer. Keras checks it against the built layer's
    input spec, where an unknown size (None) passes: the weights exist already, so a
    size they need may be unknown now (Dense on ``(None, None)`` after a first call on
    ``(None, 4)``). Such an axis is given the first call's size, and an output axis that
    follows it stays unknown."""
    layer = target.layer
    try:
        return _call(entry, layer, in_shapes)
    except ShapeError:
        if len(in_shapes) != 1:
            raise
        shape = in_shapes[0]
        axes = [k for k in range(1, len(shape)) if shape[k] is None
                and len(first_shape) - len(shape) + k >= 1
                and first_shape[len(first_shape) - len(shape) + k] is not None]
        groups = [[k] for k in reversed(axes)] + ([axes] if len(axes) > 1 else [])
        for group in groups:
            def filled(extra: int, group: list[int] = group) -> Shape:
                sizes = list(shape)
                for k in group:
                    known = first_shape[len(first_shape) - len(shape) + k]
                    assert known is not None
                    sizes[k] = known + extra
                return tuple(sizes)

            try:
                out = _call(entry, layer, (filled(0),))
            except ShapeError:
                continue
            result = out.output_shape
            for extra in (1, 7):  # other sizes: output axes that follow them are unknown
                with contextlib.suppress(ShapeError):
                    result = _unknown_where_different(
                        result, _call(entry, layer, (filled(extra),)).output_shape)
            note = Msg("graph.shared_unknown", {
                "target": target.name, "shape": format_shape(shape),
                "first": format_shape(first_shape)})
            return Computed(result, out.weights, (*out.notes, note))
        raise


def _unknown_where_different(a: Any, b: Any) -> Any:
    """Shape ``a`` with None where ``b`` differs (for a list of shapes: shape by shape)."""
    if not isinstance(a, tuple) or not isinstance(b, tuple) or len(a) != len(b):
        return a if a == b else None
    return tuple(_unknown_where_different(x, y) for x, y in zip(a, b, strict=True))


def _check_shared_call(entry: _Entry, target: _Entry, first: tuple[Shape, tuple[Weight, ...]],
                       in_shapes: tuple[Shape, ...], weights: tuple[Weight, ...]) -> None:
    """Keras builds a layer on its first call; later calls must fit those weights (and,
    for layers whose input spec fixes the rank once built, that rank)."""
    first_shape, first_weights = first
    shape = in_shapes[0]
    if weights != first_weights:
        raise ShapeError(Msg("graph.shared_mismatch", {
            "target": target.name, "shape": format_shape(shape),
            "first": format_shape(first_shape), "first_weights": _weights_text(first_weights),
            "weights": _weights_text(weights)}), fix=Msg("graph.fix.shared_mismatch"))
    if target.layer.rank_fixed_when_built and len(shape) != len(first_shape):
        raise ShapeError(Msg("graph.shared_rank", {
            "target": target.name, "shape": format_shape(shape), "rank": len(shape),
            "first": format_shape(first_shape), "first_rank": len(first_shape)}),
            fix=Msg("graph.fix.shared_mismatch"))


def _check_outputs(entries: Sequence[_Entry], tensors: Sequence[InputTensor],
                   outputs: Sequence[str]) -> ShapeError | None:
    """Outputs name known tensors; with explicit outputs nothing dangles; every input is
    used on the way to an output."""
    input_names = [t.name for t in tensors]
    by_name = {e.name: e for e in entries}
    known = [*input_names, *by_name]
    for name in outputs:
        if name not in by_name and name not in input_names:
            return ShapeError(Msg("graph.unknown_output", {"name": name, "known": _known(known)}),
                              argument="outputs")
    used = {t for e in entries for t in e.inbound}
    sinks = list(outputs) or [e.name for e in entries if e.name not in used]
    if outputs:
        for e in entries:
            if e.name not in used and e.name not in outputs:
                return ShapeError(Msg("graph.dangling", {"name": e.name}),
                                  fix=Msg("graph.fix.dangling", {"name": e.name}),
                                  layer_index=e.index, layer_name=e.name,
                                  layer_type=_class_name(e, entries))
    if not sinks and not entries and len(tensors) == 1:
        return None
    reached: set[str] = set()
    todo = list(sinks)
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        entry = by_name.get(name)
        if entry is not None:
            todo.extend(entry.inbound)
    for t in tensors:
        if t.name not in reached and (entries or len(tensors) > 1):
            return ShapeError(Msg("graph.unused_input", {"name": t.name}),
                              fix=Msg("graph.fix.unused_input"), argument="inputs")
    return None
