"""A :class:`~shapewidget.Model` from a live Keras model object.

Keras is imported only when :func:`from_keras` is called (shapewidget itself never needs
it). Everything is read through Keras's public API:

- the graph of a functional model from ``model.get_config()``: each layer's
  ``inbound_nodes`` (its calls, with the tensors they take as ``keras_history``
  references and their shapes), ``input_layers`` and ``output_layers``; the live layer
  objects from ``model.operations``. (Only when Keras cannot serialize the model — a
  custom layer without ``get_config`` — are the same calls read from the layers' nodes.)
  A ``Sequential`` model is the chain of ``model.layers`` from ``model.inputs``.
- a model used as a layer (a nested ``Sequential`` or functional model) is *inlined*:
  its layers become entries of the imported graph, called on the tensors the nested
  model was called on (shapewidget's graph has no nested blocks); where an inner name is
  taken it becomes ``<nested model>.<name>``. Calling the nested model again shares its
  layers, as in Keras.
- each layer of a type the catalogue declares, called on its input tensor(s), from its
  ``get_config()``: every declared argument is read, and kept when the layer differs
  without it (the same Keras class rebuilt from the config without that argument gives a
  different config — so ``strides=2`` of ``MaxPooling2D(3, strides=2)`` is kept although
  2 is the default of ``MaxPooling2D()``). Config keys the catalogue does not declare
  (``dtype`` policies, ``seed``, …) are dropped. Initializers, regularizers and
  constraints become their short name (``"he_normal"``) when they have no settings of
  their own, else ``{"class_name": ..., "config": ...}``, which Keras accepts back.
- every imported layer is checked against Keras: its output shape for every call and its
  weights (names, shapes, trainable flags). Anything shapewidget cannot compute exactly —
  a layer type it does not declare (a custom ``Layer``), a ``keras.ops`` call on tensors
  (``x + 3.0``), a layer called with more than its input tensors, a configuration the
  declaration cannot hold, a second output tensor of a layer — is imported as an opaque
  layer (:mod:`shapewidget.layers.opaque`): a custom layer — shapes from Keras, whose
  shapes and weights are those of the live object. So nothing Keras can build is refused.

A chain from one automatically named input stays a Sequential model.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any, NamedTuple

from .errors import ShapeError
from .layers import LAYER_TYPES, Layer
from .layers.opaque import OpaqueLayer, opaque_type
from .layers.shared import SharedLayer
from .model import Model
from .naming import AutoNamer, numbered, to_snake_case
from .params import describe
from .shapes import Shape
from .text import Msg, register

register("keras_import.not_model",
         "expected a Keras model (keras.Sequential or keras.Model), received {received}.",
         "Keras のモデル（keras.Sequential か keras.Model）が必要ですが、{received} を受け取り"
         "ました。")
register("keras_import.no_input",
         "the Keras model has no input shape yet, so its shapes are unknown.",
         "この Keras モデルにはまだ入力の形がないため、形がわかりません。")
register("keras_import.fix.no_input",
         "start the model with keras.Input(shape=...), or call model.build((None, ...)) "
         "first.",
         "モデルを keras.Input(shape=...) で始めるか、先に model.build((None, ...)) を呼び"
         "ます。")
register("keras_import.unknown_type",
         "shapewidget does not know the Keras layer type {received}.",
         "shapewidget は Keras のレイヤーの型 {received} を知りません。")
register("keras_import.subclassed",
         "the layers of a subclassed Keras model ({received}) cannot be read: only "
         "Sequential and functional models describe their layers.",
         "サブクラス化した Keras モデル（{received}）のレイヤーは読み取れません。レイヤーを"
         "記述しているのは Sequential と関数型のモデルだけです。")
register("keras_import.mismatch",
         "shapewidget's {type} gives {ours} where Keras gives {theirs}.",
         "shapewidget の {type} は {ours} を与えますが、Keras は {theirs} です。")

_AUTO_MODEL_NAME = re.compile(r"^(sequential|functional|model)(_\d+)?$")
_AUTO_INPUT_NAME = re.compile(r"^input_layer(_\d+)?$")
_SERIALIZED_MODULES = ("keras.initializers", "keras.regularizers", "keras.constraints")
_KERAS_SHAPES_ONLY = frozenset({"Lambda"})
"""Declared types whose live layers take Keras's shapes: a Lambda's function is Python
code, which shapewidget never runs (Keras has run it)."""


def _is_serialized(value: Any) -> bool:
    return isinstance(value, dict) and "class_name" in value and "config" in value


def _strip_names(value: Any) -> Any:
    """A config with every ``name`` removed and lists as tuples, for comparing."""
    if isinstance(value, dict):
        return {k: _strip_names(v) for k, v in value.items() if k != "name"}
    if isinstance(value, list | tuple):
        return tuple(_strip_names(v) for v in value)
    return value


_SIMPLIFIED: dict[str, Any] = {}


def _simplify_object(value: dict[str, Any]) -> Any:
    """An initializer/regularizer/constraint config in a form Keras accepts back: its
    short name when it has no settings of its own, else ``{"class_name", "config"}``
    (remembered: a big model repeats the same few)."""
    key = repr(value)
    if key not in _SIMPLIFIED:
        if len(_SIMPLIFIED) > 2048:
            _SIMPLIFIED.clear()
        _SIMPLIFIED[key] = _simplified(value)
    found = _SIMPLIFIED[key]
    return _plain(found) if isinstance(found, dict) else found


def _simplified(value: dict[str, Any]) -> Any:
    import keras

    class_name = value["class_name"]
    config = value.get("config") or {}
    module = str(value.get("module") or "")
    kind = module.rsplit(".", 1)[-1] if module in _SERIALIZED_MODULES else None
    if kind is not None:
        getter = getattr(keras, kind).get
        short = to_snake_case(class_name)
        try:
            plain = getter(short)
            obj = keras.saving.deserialize_keras_object(value)
            if type(plain) is type(obj) and _strip_names(plain.get_config()) == \
                    _strip_names(obj.get_config()):
                return short
        except Exception:  # any failure: keep the full form
            pass
    return {"class_name": class_name, "config": _plain(config)}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- reading a declared layer ----------------------------------------------------------

class _Importer:
    """Declared layers from live Keras layers (arguments from ``get_config()``)."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def name_for(self, cls: type[Layer], keras_name: str) -> str | None:
        """``None`` when shapewidget's automatic name is Keras's name, else the name."""
        prefix = cls.auto_name_prefix()
        n = self.counters.get(prefix, 0)
        if keras_name == numbered(prefix, n):
            self.counters[prefix] = n + 1
            return None
        return keras_name

    def layer(self, klayer: Any, index: int, name: str | None = None,
              entry_name: str | None = None, config: dict[str, Any] | None = None
              ) -> Layer:
        """The declared layer for ``klayer``; :class:`ShapeError` if its type is not
        declared or its configuration does not fit the declaration."""
        type_name = type(klayer).__name__
        cls = LAYER_TYPES.get(type_name)
        keras_name = name or str(klayer.name)
        if cls is None:
            raise ShapeError(Msg("keras_import.unknown_type", {"received": type_name}),
                             layer_index=index, layer_name=keras_name, layer_type=type_name)
        if config is None:
            config = klayer.get_config()
        try:
            kwargs = {param.name: self.value(klayer, param.name, config[param.name], index)
                      for param in cls.all_params() if param.name in config}
            for key in self.droppable(klayer, cls, config, kwargs):
                del kwargs[key]
            given = self.name_for(cls, entry_name or keras_name)
            return cls(name=given, **kwargs)
        except ShapeError as err:
            raise err.located(layer_index=index, layer_name=keras_name,
                              layer_type=type_name) from None

    def droppable(self, klayer: Any, cls: type[Layer], config: dict[str, Any],
                  kwargs: dict[str, Any]) -> list[str]:
        """The arguments whose value Keras would give anyway, with the others as they are:
        the Keras class rebuilt from the config without them has the same config."""
        candidates = [p.name for p in cls.all_params()
                      if p.name in kwargs and not p.required]
        want = _strip_names(config)
        while candidates:
            rebuilt = _rebuilt_config(klayer, config, candidates)
            if rebuilt is None:
                return []
            differ = [k for k in candidates if _strip_names(rebuilt.get(k)) != want.get(k)]
            if not differ:
                extra = [k for k in want if k not in candidates and k != "name"
                         and _strip_names(rebuilt.get(k)) != want[k]]
                if not extra:
                    return candidates
                return []
            candidates = [k for k in candidates if k not in differ]
        return []

    def value(self, klayer: Any, key: str, raw: Any, index: int) -> Any:
        import keras

        if _is_serialized(raw) and (raw["class_name"] in LAYER_TYPES
                                    or str(raw.get("module", "")).startswith("keras.layers")):
            live = getattr(klayer, key, None)
            if isinstance(live, keras.layers.Layer) and type(live).__name__ == \
                    raw["class_name"]:
                inner = live
                inner_name = str(live.name)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    inner = keras.layers.deserialize(raw)
                # Bidirectional renames its copy of the wrapped layer forward_<name>.
                inner_name = str(inner.name).removeprefix("forward_")
            return self.layer(inner, index, inner_name)
        if (isinstance(raw, list | tuple) and raw
                and all(_is_serialized(r) and str(r.get("module", "")).startswith(
                    "keras.layers") for r in raw)):
            live_list = getattr(klayer, key, None)  # a Pipeline's layers
            if isinstance(live_list, list | tuple) and len(live_list) == len(raw):
                return [self.layer(inner, index, str(inner.name)) for inner in live_list]
            return [self.value(klayer, "", r, index) for r in raw]
        if _is_serialized(raw):
            return _simplify_object(raw)
        return _plain(raw)


_REBUILT: dict[tuple[type, str], dict[str, Any] | None] = {}
"""Configs :func:`_rebuilt_config` made, by class and config (a big model repeats the
same few layer configurations: building each once makes an import several times faster)."""


def _rebuilt_config(klayer: Any, config: dict[str, Any],
                    without: list[str]) -> dict[str, Any] | None:
    """The config of ``klayer``'s class made from ``config`` without the keys
    ``without`` (``None`` if Keras cannot make it)."""
    given = {k: v for k, v in config.items() if k not in without and k != "name"}
    key = (type(klayer), repr(given))
    if key in _REBUILT:
        return _REBUILT[key]
    if len(_REBUILT) > 2048:
        _REBUILT.clear()
    _REBUILT[key] = found = _rebuild(klayer, config, without)
    return found


def _rebuild(klayer: Any, config: dict[str, Any],
             without: list[str]) -> dict[str, Any] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rest = {k: v for k, v in config.items() if k not in without}
            try:
                other = type(klayer).from_config(rest)
            except Exception:  # a from_config that reads every key: the constructor
                other = type(klayer)(**rest)
            out: dict[str, Any] = other.get_config()
    except Exception:  # a class that needs them: keep every argument
        return None
    return out


# --- the graph of a Keras model ---------------------------------------------------------

class _Ref(NamedTuple):
    """A Keras tensor: output ``tensor`` of call ``node`` of operation ``op`` in ``scope``
    (the model, or a nested model's call, it belongs to)."""

    scope: str
    op: str
    node: int
    tensor: int


class _Node:
    """One call of an operation (a layer or a ``keras.ops`` function)."""

    __slots__ = ("args", "index", "key", "kwargs", "op", "scope")

    def __init__(self, op: Any, scope: str, index: int, args: Any, kwargs: Any,
                 key: int | None = None) -> None:
        self.key = key
        """The number Keras gave the call's output tensor (``keras_tensor_<n>``): the
        order of the code that built the model; ``None`` if unknown."""
        self.op = op
        self.scope = scope
        self.index = index
        self.args = args
        self.kwargs = kwargs

    def output(self, k: int = 0) -> _Ref:
        return _Ref(self.scope, str(self.op.name), self.index, k)

    def inputs(self) -> list[_Ref]:
        return [*_refs_in(self.args), *_refs_in(self.kwargs)]


class _Graph(NamedTuple):
    inputs: list[_Ref]
    outputs: list[_Ref]
    nodes: list[_Node]  # each after the nodes it uses


def _refs_in(value: Any) -> Iterator[_Ref]:
    if isinstance(value, _Ref):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _refs_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _refs_in(v)


class _Reader:
    """Reads a Keras model (and the models nested in it) into calls and tensor shapes."""

    def __init__(self) -> None:
        self.shapes: dict[_Ref, Shape] = {}
        self.dtypes: dict[_Ref, str] = {}
        self.input_names: dict[_Ref, str] = {}
        self.configs: dict[int, dict[str, Any]] = {}
        """``get_config()`` of each layer (by ``id``), as the model's config gave it."""

    def read(self, model: Any, scope: str) -> _Graph:
        import keras

        if isinstance(model, keras.Sequential):
            return self.sequential(model, scope)
        if type(model).__name__ != "Functional" and not _functional_like(model):
            raise ShapeError(Msg("keras_import.subclassed",
                                 {"received": type(model).__name__}))
        try:
            config = model.get_config()
            layer_configs = config["layers"]
        except Exception:  # a layer Keras cannot serialize: read the nodes instead
            return self.nodes(model, scope)
        return self.config(model, config, layer_configs, scope)

    # the public way: the functional config
    def decode(self, value: Any, scope: str) -> Any:
        if isinstance(value, dict):
            if value.get("class_name") == "__keras_tensor__":
                cfg = value["config"]
                op, node, tensor = cfg["keras_history"]
                ref = _Ref(scope, str(op), int(node), int(tensor))
                self.shapes.setdefault(ref, tuple(cfg["shape"]))
                self.dtypes.setdefault(ref, str(cfg.get("dtype", "float32")))
                return ref
            if value.get("class_name") == "__tuple__":
                return tuple(self.decode(v, scope) for v in value["config"]["value"])
            return {k: self.decode(v, scope) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.decode(v, scope) for v in value]
        return value

    def config(self, model: Any, config: dict[str, Any], layer_configs: list[Any],
               scope: str) -> _Graph:
        ops = {str(op.name): op for op in model.operations}
        nodes: list[_Node] = []
        for entry in layer_configs:
            op = ops[str(entry["name"])]
            if isinstance(entry.get("config"), dict):
                self.configs[id(op)] = entry["config"]
            for k, data in enumerate(entry.get("inbound_nodes") or []):
                if isinstance(data, dict):
                    args = self.decode(data.get("args", []), scope)
                    kwargs = self.decode(data.get("kwargs", {}), scope)
                    key = _tensor_number(op, k)
                    nodes.append(_Node(op, scope, k, tuple(args), kwargs, key))
        inputs = [_Ref(scope, str(n), int(i), int(t))
                  for n, i, t in _history_list(config["input_layers"])]
        outputs = [_Ref(scope, str(n), int(i), int(t))
                   for n, i, t in _history_list(config["output_layers"])]
        for ref, tensor in zip(inputs, model.inputs, strict=True):
            self.shapes[ref] = tuple(tensor.shape)
            self.dtypes[ref] = str(tensor.dtype)
            self.input_names[ref] = ref.op
        for ref, tensor in zip(outputs, model.outputs, strict=True):
            self.shapes.setdefault(ref, tuple(tensor.shape))
        keys = {(r.op, r.node): _number(t) for r, t in zip(inputs, model.inputs, strict=True)}
        return _Graph(inputs, outputs, _creation_order(_dependency_order(nodes, inputs), keys))

    # the fallback: the layers' nodes (when Keras cannot serialize the model)
    def nodes(self, model: Any, scope: str) -> _Graph:
        inputs = [self.tensor_ref(t, scope) for t in model.inputs]
        for ref in inputs:
            self.input_names[ref] = ref.op
        outputs = [self.tensor_ref(t, scope) for t in model.outputs]
        done: set[tuple[str, int]] = {(r.op, r.node) for r in inputs}
        nodes: list[_Node] = []
        stack: list[tuple[Any, bool]] = [(t, False) for t in reversed(model.outputs)]
        while stack:
            tensor, expanded = stack.pop()
            operation, node_index, _ = tensor._keras_history
            key = (str(operation.name), int(node_index))
            if key in done:
                continue
            node = operation._inbound_nodes[node_index]
            if expanded:
                done.add(key)
                args = _map_tensors(node.arguments.args, lambda t: self.tensor_ref(t, scope))
                kwargs = _map_tensors(node.arguments.kwargs,
                                      lambda t: self.tensor_ref(t, scope))
                for k, out in enumerate(node.output_tensors):
                    ref = _Ref(scope, key[0], key[1], k)
                    self.shapes[ref] = tuple(out.shape)
                outputs_made = list(node.output_tensors)
                nodes.append(_Node(operation, scope, key[1], tuple(args), kwargs,
                                   _number(outputs_made[0]) if outputs_made else None))
                continue
            stack.append((tensor, True))
            stack += [(p, False) for p in reversed(list(node.input_tensors))]
        return _Graph(inputs, outputs, nodes)

    def tensor_ref(self, tensor: Any, scope: str) -> _Ref:
        operation, node_index, tensor_index = tensor._keras_history
        ref = _Ref(scope, str(operation.name), int(node_index), int(tensor_index))
        self.shapes.setdefault(ref, tuple(tensor.shape))
        self.dtypes.setdefault(ref, str(tensor.dtype))
        return ref

    def sequential(self, model: Any, scope: str) -> _Graph:
        import keras

        try:
            tensors = list(model.inputs)
        except (AttributeError, ValueError):
            tensors = []
        if not tensors:  # no layers yet: the Input is only in the config
            try:
                first = model.get_config()["layers"][0]
                config = first["config"]
                if first["class_name"] != "InputLayer":
                    raise ValueError
                tensors = [keras.KerasTensor(tuple(config["batch_shape"]),
                                             dtype=config.get("dtype"))]
            except Exception:
                raise ShapeError(Msg("keras_import.no_input"),
                                 fix=Msg("keras_import.fix.no_input")) from None
        previous = _Ref(scope, "input_layer", 0, 0)
        self.shapes[previous] = tuple(tensors[0].shape)
        self.dtypes[previous] = str(tensors[0].dtype)
        inputs = [previous]
        nodes: list[_Node] = []
        for layer in model.layers:
            node = _Node(layer, scope, 0, (previous,), {})
            nodes.append(node)
            out = node.output()
            self.shapes[out] = _output_shape(layer, [self.shapes[previous]],
                                             [self.dtypes[previous]])
            self.dtypes[out] = _output_dtype(layer)
            previous = out
        return _Graph(inputs, [previous], nodes)


def _functional_like(model: Any) -> bool:
    """A functional model of a subclass (``keras.Model(inputs, outputs)`` subclasses)."""
    try:
        return bool(model.inputs) and bool(model.outputs) and bool(model.operations)
    except Exception:
        return False


def _history_list(value: Any) -> list[list[Any]]:
    """``input_layers``/``output_layers`` as a list of ``[name, node, tensor]`` (Keras
    writes one such triple alone for a model of one input)."""
    if (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], int)):
        return [value]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _history_list(item)]
    out: list[list[Any]] = []
    for item in value:
        out += _history_list(item)
    return out


def _map_tensors(value: Any, fn: Any) -> Any:
    import keras

    if isinstance(value, keras.KerasTensor):
        return fn(value)
    if isinstance(value, list | tuple):
        return type(value)(_map_tensors(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: _map_tensors(v, fn) for k, v in value.items()}
    return value


def _output_shape(layer: Any, shapes: list[Shape], dtypes: list[str]) -> Shape:
    """The output shape Keras gives ``layer`` for one input (its symbolic output when it
    has one call, else ``compute_output_spec`` on a symbolic tensor)."""
    import keras

    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError):
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = layer.compute_output_spec(keras.KerasTensor(shapes[0], dtype=dtypes[0]))
    first = keras.tree.flatten(spec)[0]
    return tuple(first.shape)


def _output_dtype(layer: Any) -> str:
    try:
        return str(layer.output.dtype)
    except (AttributeError, ValueError):
        return str(getattr(layer, "compute_dtype", None) or "float32")


_TENSOR_NAME = re.compile(r"^keras_tensor(?:_(\d+))?$")


def _number(tensor: Any) -> int | None:
    """``n`` of a tensor named ``keras_tensor_<n>`` (Keras numbers them as made)."""
    found = _TENSOR_NAME.match(str(getattr(tensor, "name", "")))
    return None if found is None else int(found.group(1) or 0)


def _tensor_number(op: Any, index: int) -> int | None:
    """:func:`_number` of the output of call ``index`` of an operation: ``op.output``
    for its first call. For a later call Keras has no public accessor: the node's output
    is read from ``_inbound_nodes`` if there — it only orders the entries (a call without
    a number goes right after the calls it uses)."""
    import keras

    try:
        output = op.output if index == 0 else op._inbound_nodes[index].output_tensors
    except (AttributeError, ValueError, IndexError, TypeError):
        return None
    flat = keras.tree.flatten(output)
    return _number(flat[0]) if flat else None


def _creation_order(nodes: list[_Node], keys: dict[tuple[str, int], int | None]
                    ) -> list[_Node]:
    """``nodes`` (each after the nodes it uses) in the order Keras made their outputs —
    the order of the code that built the model. A call whose number is unknown (a
    second call of a layer) comes right after the last call it uses."""
    order: dict[int, float] = {}
    known: dict[tuple[str, int], float] = {k: -1.0 if v is None else float(v)
                                           for k, v in keys.items()}
    for position, node in enumerate(nodes):
        deps = [known.get((r.op, r.node), -1.0) for r in node.inputs()]
        after = max(deps, default=-1.0)
        if node.key is not None and node.key > after:
            value = float(node.key)
        else:
            value = after + 0.5 * (1 - 1 / (position + 2))
        known[(str(node.op.name), node.index)] = value
        order[id(node)] = value
    return sorted(nodes, key=lambda n: order[id(n)])


def _dependency_order(nodes: list[_Node], inputs: list[_Ref]) -> list[_Node]:
    """``nodes`` in their order, each moved after the nodes whose outputs it uses."""
    by_key = {(n.op.name, n.index): n for n in nodes}
    available = {(r.op, r.node) for r in inputs}
    order: list[_Node] = []
    placed: set[int] = set()
    for start in nodes:
        stack: list[tuple[_Node, bool]] = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in placed:
                continue
            if expanded:
                placed.add(id(node))
                order.append(node)
                continue
            stack.append((node, True))
            for ref in reversed(node.inputs()):
                dep = by_key.get((ref.op, ref.node))
                if dep is not None and (ref.op, ref.node) not in available \
                        and id(dep) not in placed:
                    stack.append((dep, False))
    return order


# --- from calls to shapewidget entries ---------------------------------------------------

class _Call(NamedTuple):
    node: _Node
    inputs: tuple[_Ref, ...]  # the tensors it is called on, resolved
    plain: bool  # called on its input tensor(s) alone
    as_list: bool


def _is_model(op: Any) -> bool:
    """A model whose layers can be read (Sequential or functional): inlined when used as
    a layer; a subclassed model used as a layer is one custom layer."""
    import keras

    if isinstance(op, keras.Sequential):
        return True
    return isinstance(op, keras.Model) and (type(op).__name__ == "Functional"
                                            or _functional_like(op))


def _is_mask(value: Any) -> bool:
    """A ``mask=`` Keras passes along (from ``Embedding(mask_zero=True)``, ``Masking``):
    it never changes a shape, so a layer called with it is called on its tensor(s)."""
    if value is None or isinstance(value, _Ref):
        return True
    return isinstance(value, list | tuple) and all(v is None or isinstance(v, _Ref)
                                                   for v in value)


def _plain_call(node: _Node) -> tuple[bool, bool, str]:
    """(plain, as a list, what else it is called with): a call on one tensor or on a
    list of tensors, with at most ``training``/``mask`` keywords of no effect here."""
    args, kwargs = node.args, node.kwargs
    extra = [k for k, v in kwargs.items() if not (
        (k == "training" and not isinstance(v, _Ref)) or (k == "mask" and _is_mask(v)))]
    if len(args) == 1 and isinstance(args[0], _Ref):
        return not extra, False, ", ".join(extra)
    if (len(args) == 1 and isinstance(args[0], list | tuple) and args[0]
            and all(isinstance(a, _Ref) for a in args[0])):
        return not extra, True, ", ".join(extra)
    if (2 <= len(args) <= 3 and all(isinstance(a, _Ref) for a in args)
            and getattr(LAYER_TYPES.get(type(node.op).__name__), "separate_tensors", False)):
        return not extra, False, ", ".join(extra)  # mha(query, value, key)
    received = [("tensor" if isinstance(a, _Ref) else describe(a)) for a in args]
    return False, False, ", ".join([*received, *extra])


class _Builder:
    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.alias: dict[_Ref, _Ref] = {}
        self.calls: list[_Call] = []
        self.scope_names: dict[str, str] = {}  # scope → its nested model's name

    def resolve(self, ref: _Ref) -> _Ref:
        seen = 0
        while ref in self.alias and seen < 10_000:
            ref = self.alias[ref]
            seen += 1
        return ref

    def flatten(self, graph: _Graph) -> None:
        """Every call of ``graph``, a nested model's calls inlined in its place."""
        for node in graph.nodes:
            op = node.op
            if _is_model(op):
                scope = f"{node.scope}/{op.name}#{node.index}"
                inner = self.reader.read(op, scope)
                self.scope_names[scope] = str(op.name)
                outer_in = [self.resolve(r) for r in node.inputs()]
                for ref, outer in zip(inner.inputs, outer_in, strict=False):
                    self.alias[ref] = outer
                for k, ref in enumerate(inner.outputs):
                    self.alias[node.output(k)] = ref
                self.flatten(inner)
                continue
            plain, as_list, _ = _plain_call(node)
            refs = list(_refs_in(node.args)) if plain else node.inputs()
            inputs = tuple(self.resolve(r) for r in refs)
            self.calls.append(_Call(node, inputs, plain, as_list))

    def prune(self, outputs: list[_Ref]) -> None:
        """Drop the calls whose outputs nothing uses (the ``keras.ops`` calls that made
        a mask for layers that are called on their tensors alone here)."""
        while True:
            used = self.used_outputs(outputs)
            kept = [c for c in self.calls
                    if (c.node.scope, str(c.node.op.name), c.node.index) in used]
            if len(kept) == len(self.calls):
                return
            self.calls = kept

    def used_outputs(self, outputs: list[_Ref]) -> dict[tuple[str, str, int], set[int]]:
        used: dict[tuple[str, str, int], set[int]] = {}
        for ref in [*(r for c in self.calls for r in c.inputs),
                    *(self.resolve(r) for r in outputs)]:
            used.setdefault((ref.scope, ref.op, ref.node), set()).add(ref.tensor)
        return used


def _weights_of(klayer: Any) -> tuple[tuple[str, tuple[int, ...], bool], ...]:
    return tuple((str(w.name), tuple(int(d) for d in w.shape), bool(w.trainable))
                 for w in getattr(klayer, "weights", ()))


class _Assembler:
    """Entries (declared, opaque or shared) for the calls, with their tensor names."""

    def __init__(self, reader: _Reader, builder: _Builder) -> None:
        self.reader = reader
        self.builder = builder
        self.importer = _Importer()
        self.layers: list[Layer] = []
        self.namer = AutoNamer()  # names self.layers as they are added
        self.names: list[str] = []
        self.taken: set[str] = set()
        self.tensor_names: dict[_Ref, str] = {}
        self.first: dict[int, str] = {}  # id(live op) → its first entry's name
        self.declared: dict[int, Layer | None] = {}

    def shape(self, ref: _Ref) -> Shape:
        return self.reader.shapes[ref]

    def output_shape(self, call: _Call) -> Shape:
        ref = call.node.output(0)
        found = self.reader.shapes.get(ref)
        if found is None:
            import keras

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                args = _map_refs(call.node.args, self.spec_of)
                kwargs = _map_refs(call.node.kwargs, self.spec_of)
                spec = call.node.op.compute_output_spec(*args, **kwargs)
            found = tuple(keras.tree.flatten(spec)[0].shape)
            self.reader.shapes[ref] = found
        return found

    def spec_of(self, ref: _Ref) -> Any:
        import keras

        ref = self.builder.resolve(ref)
        return keras.KerasTensor(self.shape(ref), dtype=self.reader.dtypes.get(ref))

    def entry_name(self, keras_name: str, scope: str) -> str:
        name = keras_name
        if name in self.taken and scope in self.builder.scope_names:
            name = f"{self.builder.scope_names[scope]}.{keras_name}"
        n = 1
        base = name
        while name in self.taken:
            name = f"{base}_{n}"
            n += 1
        return name

    def add(self, layer: Layer, inbound: tuple[str, ...]) -> str:
        connected = layer.connected(inbound)
        name = self.namer.name(connected)
        self.layers.append(connected)
        self.names.append(name)
        self.taken.add(name)
        return name

    def declare(self, op: Any, calls: list[_Call]) -> Layer | None:
        """The declared layer for ``op`` if it gives Keras's shapes for every call."""
        if id(op) in self.declared:
            return self.declared[id(op)]
        layer: Layer | None = None
        type_name = type(op).__name__
        if all(c.plain for c in calls) and type_name in LAYER_TYPES \
                and type_name not in _KERAS_SHAPES_ONLY:
            keras_name = str(op.name)
            wanted = self.entry_name(keras_name, calls[0].node.scope)
            try:
                layer = self.importer.layer(op, len(self.layers), keras_name, wanted,
                                            self.reader.configs.get(id(op)))
                for k, call in enumerate(calls):
                    out = layer.evaluate_inputs(tuple(self.shape(r) for r in call.inputs))
                    if tuple(out.output_shape) != self.output_shape(call):
                        raise _Mismatch
                    if k == 0 and tuple((w.name, tuple(w.shape), w.trainable)
                                        for w in out.weights) != _weights_of(op):
                        raise _Mismatch
            except (ShapeError, _Mismatch):
                layer = None
        self.declared[id(op)] = layer
        return layer

    def opaque(self, op: Any, calls: list[_Call]) -> Layer:
        import keras

        type_name = type(op).__name__
        if not isinstance(op, keras.layers.Layer):
            why: dict[str, Any] = {"key": "operation"}
        elif not all(c.plain for c in calls):
            why = {"key": "call", "received": next(
                _plain_call(c.node)[2] for c in calls if not c.plain)}
        elif type_name in _KERAS_SHAPES_ONLY:
            why = {"key": "config", "received": "function"}
        elif type_name in LAYER_TYPES:
            why = {"key": "config", "received": "get_config()"}
        else:
            why = {"key": "custom"}
        shapes = [{"inputs": [list(self.shape(r)) for r in c.inputs],
                   "output": list(self.output_shape(c))} for c in calls]
        weights = [[n, list(s), t] for n, s, t in _weights_of(op)]
        cls = opaque_type(type_name)
        scope = calls[0].node.scope
        name = self.entry_name(str(op.name), scope)
        given = self.importer.name_for(cls, name)
        kwargs: dict[str, Any] = {"keras_shapes": shapes, "keras_weights": weights,
                                  "keras_why": why}
        if isinstance(op, keras.layers.Layer) and not op.trainable:
            kwargs["trainable"] = False
        return cls(name=given, **kwargs)

    def build(self, graph: _Graph) -> tuple[list[Layer], list[str]]:
        by_op: dict[int, list[_Call]] = {}
        for call in self.builder.calls:
            by_op.setdefault(id(call.node.op), []).append(call)
        used = self.builder.used_outputs(graph.outputs)
        for call in self.builder.calls:
            op = call.node.op
            inbound = tuple(self.tensor_names[r] for r in call.inputs)
            target = self.first.get(id(op))
            if target is not None:
                name = self.add(SharedLayer(target), inbound)
            else:
                calls = by_op[id(op)]
                layer = self.declare(op, calls) or self.opaque(op, calls)
                name = self.first[id(op)] = self.add(layer, inbound)
            out = call.node.output(0)
            self.tensor_names[out] = name
            extra = sorted(used.get((out.scope, out.op, out.node), set()) - {0})
            for k in extra:
                self.tensor_names[call.node.output(k)] = self.selector(call, name, k)
        return self.layers, self.names

    def selector(self, call: _Call, source: str, k: int) -> str:
        """An entry for output ``k`` of a call (shapewidget follows one output per
        call): a custom layer — shapes from Keras, on the call's first output."""
        ref = call.node.output(k)
        cls = opaque_type("TensorOutput")
        name = self.entry_name(f"{source}_output_{k}", call.node.scope)
        layer = cls(name=name, keras_shapes=[{"inputs": [list(self.output_shape(call))],
                                              "output": list(self.shape(ref))}],
                    keras_why={"key": "output", "index": k, "source": source})
        return self.add(layer, (source,))


class _Mismatch(Exception):
    """A declared layer does not give what Keras gives."""


def _map_refs(value: Any, fn: Any) -> Any:
    if isinstance(value, _Ref):
        return fn(value)
    if isinstance(value, list | tuple):
        return type(value)(_map_refs(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: _map_refs(v, fn) for k, v in value.items()}
    return value


def _is_chain(layers: list[Layer], names: list[str], inputs: list[str],
              auto_input: bool, outputs: list[str]) -> bool:
    """One input with an automatic name, one output (the last entry), each entry called
    once on the tensor before it."""
    if len(inputs) != 1 or len(outputs) != 1 or not auto_input:
        return False
    previous = inputs[0]
    for layer, name in zip(layers, names, strict=True):
        if isinstance(layer, SharedLayer) or layer.inbound != (previous,):
            return False
        previous = name
    return previous == outputs[0]


def from_keras(keras_model: Any) -> Model:
    """The same model from a Keras ``Sequential`` or functional model: every layer call
    on its inbound tensors (a layer called again as a shared entry, a nested model's
    layers inlined), outputs; a layer shapewidget cannot compute exactly as a custom
    layer — shapes from Keras. Raises :class:`ShapeError` for models without an input
    shape and for subclassed models."""
    import keras

    if not isinstance(keras_model, keras.Model):
        raise ShapeError(Msg("keras_import.not_model", {"received": describe(keras_model)}))
    name = str(keras_model.name)
    name = "sequential" if _AUTO_MODEL_NAME.match(name) else name
    reader = _Reader()
    graph = reader.read(keras_model, "")
    builder = _Builder(reader)
    builder.flatten(graph)
    builder.prune(graph.outputs)
    assembler = _Assembler(reader, builder)
    from .graph import auto_input_names

    given: list[str | None] = []
    for k, ref in enumerate(graph.inputs):
        input_name = reader.input_names.get(ref, "input_layer")
        auto = auto_input_names([*given, None])[k]
        automatic = input_name == auto or (len(graph.inputs) == 1
                                           and _AUTO_INPUT_NAME.match(input_name))
        given.append(None if automatic else input_name)
    input_names = auto_input_names(given)
    for ref, input_name in zip(graph.inputs, input_names, strict=True):
        assembler.tensor_names[ref] = input_name
        assembler.taken.add(input_name)
    layers, names = assembler.build(graph)
    outputs = [assembler.tensor_names[builder.resolve(r)] for r in graph.outputs]
    shapes = [reader.shapes[r] for r in graph.inputs]
    dtypes = [reader.dtypes.get(r, "float32") for r in graph.inputs]
    if _is_chain(layers, names, input_names, given == [None], outputs):
        chain = [layer.connected(None) for layer in layers]
        return Model(chain, batch_shape=shapes[0], input_dtype=dtypes[0], name=name)
    inputs = [{"name": n, "shape": list(s[1:]), "batch_size": s[0], "dtype": d}
              for n, s, d in zip(given, shapes, dtypes, strict=True)]
    return Model(layers, inputs=inputs, outputs=outputs, name=name)


__all__ = ["OpaqueLayer", "from_keras"]
