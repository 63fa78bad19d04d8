"""Keras 3 source code for a model, in three styles.

- ``"sequential"``: ``keras.Sequential([keras.Input(shape=...), layers.Dense(4), ...])``.
- ``"functional"``: one ``keras.Input(...)`` per input, one line per layer entry called
  on its inbound tensors (variables named after the inputs and layers; merge layers on a
  list; a shared layer held in a variable and called again), entries in dependency
  order, then ``keras.Model(inputs=..., outputs=...)``. Writes any graph.
- ``"legacy"``: the older tutorial style, ``Sequential()`` and ``model.add(...)`` with
  ``input_shape=`` (or ``input_dim=`` for a 1-D input) on the first layer.

The two Sequential styles write a single chain only: a model that branches is refused
with a :class:`ShapeError` that suggests the functional style.

The code is generated from each layer class's ``params`` declarations (no per-layer
table): the leading run of required arguments is written positionally, as Keras
tutorials do (``Dense(4, activation="relu")``, ``Conv2D(8, 3)``), every other argument
the person gave as a keyword, in declaration order, then ``name=``. Layers given as
arguments (wrappers) are nested.

Keras 3 layers accept ``input_shape``/``input_dim`` but no longer ``batch_input_shape``
or ``batch_size``, and the input they make is always float32. So the legacy style fixes a
batch size with ``model.build((30, 3))`` after the layers, and starts with
``InputLayer(input_shape=..., dtype="int32")`` when the input is int32, when the model
has no layers, or when the first layer has its own argument called ``input_shape``; a
first layer with its own ``input_dim`` (``Embedding``) gets ``input_shape=``.
"""

from __future__ import annotations

import heapq
import keyword
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import ShapeError
from .layers import Layer
from .layers.serial import layer_code, positional_count, string_code, value_code
from .layers.shared import SharedLayer
from .naming import auto_names
from .params import to_code
from .text import Msg, register

if TYPE_CHECKING:
    from .model import Model, ModelInput

register("codegen.unknown_style",
         "unknown code style {received}; expected one of {expected}.",
         "不明なコードのスタイル {received} です。{expected} のいずれかを指定してください。")

register("codegen.branching",
         "style=\"{style}\" writes one chain of layers, but this model branches: {what}.",
         "style=\"{style}\" はレイヤーが一列に並んだコードを書きますが、このモデルは分岐して"
         "います: {what}。")
register("codegen.fix.functional",
         "use style=\"functional\": Input tensors, layers called on tensors and "
         "keras.Model(inputs, outputs) can write any graph.",
         "style=\"functional\" を使います。Input テンソル、テンソルに対するレイヤーの呼び出し、"
         "keras.Model(inputs, outputs) ならどんなグラフも書けます。")
register("codegen.branch.inputs", "it has {count} inputs", "入力が {count} 個あります")
register("codegen.branch.outputs", "it has {count} outputs", "出力が {count} 個あります")
register("codegen.branch.shared",
         "'{name}' calls the layer '{target}' a second time (a shared layer)",
         "'{name}' がレイヤー '{target}' をもう一度呼び出しています（共有レイヤー）")
register("codegen.branch.merge",
         "'{name}' ({type}) merges a list of tensors",
         "'{name}'（{type}）がテンソルのリストを結合しています")
register("codegen.branch.inbound",
         "'{name}' is called on {inbound}, not on the output of the entry before it "
         "('{previous}')",
         "'{name}' は直前の出力（'{previous}'）ではなく {inbound} に対して呼び出されています")
register("codegen.branch.output",
         "its output is '{name}', not the last layer '{last}'",
         "出力が最後のレイヤー '{last}' ではなく '{name}' です")
register("codegen.branch.output_input",
         "its output is '{name}', not its input '{last}' (it has no layers)",
         "出力が入力 '{last}' ではなく '{name}' です（レイヤーがありません）")

STYLES: tuple[str, ...] = ("sequential", "functional", "legacy")
"""The code styles :func:`to_keras_code` writes."""

DEFAULT_MODEL_NAME = "sequential"
_RESERVED = {"keras", "layers", "inputs", "model", "tf", "np"}


def class_names(layers: Iterable[Layer]) -> list[str]:
    """Every layer class used, nested ones included, in order of first use."""
    seen: list[str] = []

    def visit(layer: Layer) -> None:
        for value in layer.args.values():
            if isinstance(value, Layer):
                visit(value)
            elif isinstance(value, tuple):  # a list of layers (RNN's cells)
                for item in value:
                    if isinstance(item, Layer):
                        visit(item)
        if layer.type_name() not in seen:
            seen.append(layer.type_name())

    for layer in layers:
        visit(layer)
    return seen


def variable_name(name: str, taken: set[str]) -> str:
    """A Python identifier for a layer's output, from the layer's name, not yet taken."""
    # Python reads identifiers in NFKC form (``Ĳ`` is ``IJ``): write them so.
    text = unicodedata.normalize("NFKC", name)
    base = "".join(c if ("_" + c).isidentifier() else "_" for c in text) or "x"
    base = unicodedata.normalize("NFKC", base)
    if not base.isidentifier():  # starts with a digit or another non-initial character
        base = "_" + base
    if keyword.iskeyword(base) or base in _RESERVED:
        base += "_out"
    candidate = base
    n = 1
    while candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _input_kwargs(given: ModelInput) -> list[str]:
    """``keras.Input``'s arguments for one model input (defaults left out)."""
    parts = [f"shape={to_code(tuple(given.shape))}"]
    if given.batch_size is not None:
        parts.append(f"batch_size={given.batch_size!r}")
    if given.dtype != "float32":
        parts.append(f"dtype={to_code(given.dtype)}")
    if given.name is not None:
        parts.append(f"name={string_code(given.name)}")
    return parts


def _trainable_line(model: Model) -> list[str]:
    return [] if model.trainable else ["model.trainable = False"]


def _name_kwarg(model: Model) -> str:
    return "" if model.name == DEFAULT_MODEL_NAME else f", name={string_code(model.name)}"


def _sequential(model: Model) -> str:
    lines = ["import keras", "from keras import layers", "",
             "model = keras.Sequential(["]
    lines.append(f"    keras.Input({', '.join(_input_kwargs(model.model_inputs[0]))}),")
    lines += [f"    {layer_code(layer, 'layers.')}," for layer in model.layers]
    lines.append(f"]{_name_kwarg(model)})")
    lines += _trainable_line(model)
    lines.append("model.summary()")
    return "\n".join(lines) + "\n"


Ref = tuple[str, int]
"""A tensor in a model: ``("input", k)`` or ``("entry", i)``; ``("unknown", k)`` for a
name that is neither (an invalid model, still exported), ``k`` into ``_Graph.unknown``."""


class _Graph:
    """The model's tensors resolved for code: what each entry is called on (``None``
    made explicit), the entry each shared call reuses, and the order to write them in."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.layers = list(model.layers)
        self.names = model.layer_names
        self.input_names = model.input_names
        self.unknown: list[str] = []
        self.by_name: dict[str, int] = {}
        for i, name in enumerate(self.names):
            self.by_name.setdefault(name, i)
        self.inbound: list[list[Ref]] = []
        for i, layer in enumerate(self.layers):
            if layer.inbound is None:
                self.inbound.append([("entry", i - 1) if i else ("input", 0)])
            else:
                self.inbound.append([self.ref(t) for t in layer.inbound])
        self.target: dict[int, int] = {}  # shared entry -> the entry of the layer it calls
        for i in range(len(self.layers)):
            seen = {i}
            j: int | None = i
            while j is not None and isinstance(self.layers[j], SharedLayer):
                found = self.by_name.get(self.layers[j].shares)
                j = None if found is None or found in seen else found
                if j is not None:
                    seen.add(j)
            if j is not None and j != i:
                self.target[i] = j

    def ref(self, name: str) -> Ref:
        if name in self.input_names:
            return ("input", self.input_names.index(name))
        if name in self.by_name:
            return ("entry", self.by_name[name])
        if name not in self.unknown:
            self.unknown.append(name)
        return ("unknown", self.unknown.index(name))

    def deps(self, i: int) -> set[int]:
        out = {k for kind, k in self.inbound[i] if kind == "entry"}
        if i in self.target:
            out.add(self.target[i])
        out.discard(i)
        return out

    def order(self) -> list[int]:
        """Entries after the entries they use (ties by position); a cycle cannot stop
        the export: what is left comes last, in spec order."""
        deps = [self.deps(i) for i in range(len(self.layers))]
        waiting = [len(d) for d in deps]
        users: dict[int, list[int]] = {}
        for i, d in enumerate(deps):
            for j in d:
                users.setdefault(j, []).append(i)
        ready = [i for i, n in enumerate(waiting) if n == 0]
        heapq.heapify(ready)
        out: list[int] = []
        while ready:
            i = heapq.heappop(ready)
            out.append(i)
            for u in users.get(i, ()):
                waiting[u] -= 1
                if waiting[u] == 0:
                    heapq.heappush(ready, u)
        done = set(out)
        return out + [i for i in range(len(self.layers)) if i not in done]

    def outputs(self) -> list[Ref]:
        """The model's outputs: as marked, else (a graph) every tensor no layer uses, or
        (a chain) the last layer's output; the input when there are no layers."""
        if self.model.outputs:
            return [self.ref(name) for name in self.model.outputs]
        if not self.layers:
            return [("input", 0)]
        if not self.model.functional:
            return [("entry", len(self.layers) - 1)]
        used = {ref for refs in self.inbound for ref in refs}
        return [("entry", i) for i in range(len(self.layers)) if ("entry", i) not in used]

    def branching(self) -> Msg | None:
        """Why the model is not a single chain Sequential code can write, or ``None``."""
        model = self.model
        if model.extra_inputs:
            return Msg("codegen.branch.inputs", {"count": len(model.extra_inputs) + 1})
        outputs = self.outputs()
        if len(outputs) > 1:
            return Msg("codegen.branch.outputs", {"count": len(outputs)})
        previous: Ref = ("input", 0)
        for i, layer in enumerate(self.layers):
            name = self.names[i]
            if isinstance(layer, SharedLayer):
                return Msg("codegen.branch.shared", {"name": name, "target": layer.shares})
            if layer.takes_list and layer.inbound is not None:
                return Msg("codegen.branch.merge", {"name": name,
                                                    "type": layer.type_name()})
            if self.inbound[i] != [previous]:
                return Msg("codegen.branch.inbound", {
                    "name": name, "inbound": ", ".join(layer.inbound or ()),
                    "previous": self.tensor_name(previous)})
            previous = ("entry", i)
        if outputs and outputs != [previous]:
            key = "codegen.branch.output" if self.layers else "codegen.branch.output_input"
            return Msg(key, {"name": self.tensor_name(outputs[0]),
                             "last": self.tensor_name(previous)})
        return None

    def tensor_name(self, ref: Ref) -> str:
        kind, k = ref
        if kind == "unknown":
            return self.unknown[k]
        return self.input_names[k] if kind == "input" else self.names[k]


class _Variables:
    """The Python variable of every tensor (inputs and entries, named after them) and
    of every layer object called more than once (``<name>_layer``)."""

    def __init__(self, model: Model, graph: _Graph) -> None:
        taken: set[str] = set()
        self.inputs: list[str] = []
        single = len(model.model_inputs) == 1
        for given, name in zip((m.name for m in model.model_inputs), graph.input_names,
                               strict=True):
            if given is None and single:
                taken.add("inputs")
                self.inputs.append("inputs")
            else:
                self.inputs.append(variable_name(name, taken))
        self.entries: dict[int, str] = {}
        self.holders: dict[int, str] = {}
        shared_targets = set(graph.target.values())
        for i in graph.order():
            self.entries[i] = variable_name(graph.names[i], taken)
            if i in shared_targets:
                self.holders[i] = variable_name(f"{graph.names[i]}_layer", taken)
        self.unknown = variable_name("unknown_tensor", taken)

    def of(self, ref: Ref) -> str:
        kind, k = ref
        if kind == "input":
            return self.inputs[k]
        return self.entries[k] if kind == "entry" else self.unknown


def tensor_variables(model: Model) -> dict[str, str]:
    """The Python variable :func:`to_keras_code` (functional style) writes for each
    tensor: every input's and every layer entry's name, mapped to its variable."""
    graph = _Graph(model)
    variables = _Variables(model, graph)
    out = dict(zip(graph.input_names, variables.inputs, strict=True))
    for i, name in enumerate(graph.names):
        out.setdefault(name, variables.entries[i])
    return out


def _input_line(var: str, given: ModelInput) -> str:
    return f"{var} = keras.Input({', '.join(_input_kwargs(given))})"


def _functional(model: Model) -> str:
    graph = _Graph(model)
    variables = _Variables(model, graph)
    lines = ["import keras", "from keras import layers", ""]
    for var, given in zip(variables.inputs, model.model_inputs, strict=True):
        lines.append(_input_line(var, given))
    order = graph.order()
    renamed = _keep_names(graph, order)
    for i in order:
        layer = renamed.get(i, graph.layers[i])
        args = [variables.of(ref) for ref in graph.inbound[i]]
        target = graph.target.get(i)
        called: Layer = layer
        if isinstance(layer, SharedLayer):
            if target is not None:
                call = variables.holders[target]
                called = graph.layers[target]
            else:  # reuses an unknown layer: exported as written
                call = variable_name(f"{layer.shares}_layer", set())
        else:
            call = layer_code(layer, "layers.")
            if i in variables.holders:
                lines.append(f"{variables.holders[i]} = {call}")
                call = variables.holders[i]
        as_list = len(args) > 1 or (called.takes_list and layer.inbound is not None)
        argument = f"[{', '.join(args)}]" if as_list else args[0]
        if getattr(called, "separate_tensors", False) and layer.inbound is not None:
            argument = ", ".join(args)  # mha(query, value, key): not a list
        lines.append(f"{variables.entries[i]} = {call}({argument})")
    inputs = [variables.of(("input", k)) for k in range(len(variables.inputs))]
    outputs = [variables.of(ref) for ref in graph.outputs()]
    lines.append(f"model = keras.Model(inputs={_listed(inputs)}, outputs={_listed(outputs)}"
                 f"{_name_kwarg(model)})")
    lines += _trainable_line(model)
    lines.append("model.summary()")
    return "\n".join(lines) + "\n"


def _keep_names(graph: _Graph, order: list[int]) -> dict[int, Layer]:
    """Layers written out of spec order that Keras would name differently (it counts
    ``dense``, ``dense_1``, … in the order the layers are made): given their name."""
    if order == sorted(order):
        return {}
    written = auto_names([graph.layers[i] for i in order])
    return {i: graph.layers[i].renamed(graph.names[i])
            for i, name in zip(order, written, strict=True)
            if graph.layers[i].name is None and name != graph.names[i]
            and not isinstance(graph.layers[i], SharedLayer)}


def _listed(items: list[str]) -> str:
    """``x`` for one tensor, ``[a, b]`` for several (as people write Model(...))."""
    return items[0] if len(items) == 1 else f"[{', '.join(items)}]"


def _refuse_branching(model: Model, style: str) -> None:
    """Sequential code has one input, one output and each layer on the previous one."""
    if not model.functional:
        return
    reason = _Graph(model).branching()
    if reason is not None:
        raise ShapeError(Msg("codegen.branching", {"style": style, "what": reason}),
                         fix=Msg("codegen.fix.functional"), argument="style")


def _legacy(model: Model) -> str:
    layers = list(model.layers)
    shape = tuple(model.input_shape)
    first = type(layers[0]) if layers else None
    own = set() if first is None else {p.name for p in first.all_params()}
    use_input_layer = (first is None or model.input_dtype != "float32" or "input_shape" in own
                       or model.input_name is not None
                       or not getattr(first, "takes_input_shape", True))
    use_build = not use_input_layer and model.batch_size is not None
    names = class_names(layers)
    if use_input_layer:
        names = ["InputLayer", *names]
    lines = ["from keras.models import Sequential"]
    if names:
        lines.append(f"from keras.layers import {', '.join(names)}")
    named = "" if model.name == DEFAULT_MODEL_NAME else f"name={string_code(model.name)}"
    lines += ["", f"model = Sequential({named})"]
    if use_input_layer:
        parts = [f"input_shape={to_code(shape)}"]
        if model.batch_size is not None:
            parts.append(f"batch_size={model.batch_size!r}")
        if model.input_dtype != "float32":
            parts.append(f"dtype={to_code(model.input_dtype)}")
        if model.input_name is not None:
            parts.append(f"name={string_code(model.input_name)}")
        lines.append(f"model.add(InputLayer({', '.join(parts)}))")
    for i, layer in enumerate(layers):
        extra: dict[str, str] = {}
        if i == 0 and not use_input_layer and not use_build:
            if len(shape) == 1 and (shape[0] or 0) >= 1 and "input_dim" not in own:
                extra["input_dim"] = repr(shape[0])
            else:
                extra["input_shape"] = to_code(shape)
        lines.append(f"model.add({layer_code(layer, '', extra)})")
    if use_build:
        lines.append("# Keras 3 layers take no batch size; build() fixes it")
        lines.append(f"model.build({to_code((model.batch_size, *shape))})")
    lines += _trainable_line(model)
    lines.append("model.summary()")
    return "\n".join(lines) + "\n"


def to_keras_code(model: Model, style: str = "sequential") -> str:
    """Runnable Keras 3 source that builds ``model`` (a :class:`shapewidget.Model`).

    Whatever the person built is exported, valid or not; for a valid model, running the
    code in Keras gives the same summary. The ``"sequential"`` and ``"legacy"`` styles
    raise :class:`ShapeError` for a model that branches (several inputs or outputs,
    merges, shared layers, a layer not called on the one before it); the functional
    style writes any graph.
    """
    if style == "sequential":
        _refuse_branching(model, style)
        return _sequential(model)
    if style == "functional":
        return _functional(model)
    if style == "legacy":
        _refuse_branching(model, style)
        return _legacy(model)
    raise ShapeError(Msg("codegen.unknown_style", {
        "received": repr(style), "expected": ", ".join(repr(s) for s in STYLES)}),
        argument="style")


__all__ = ["STYLES", "class_names", "layer_code", "positional_count", "string_code",
           "tensor_variables", "to_keras_code", "value_code", "variable_name"]
