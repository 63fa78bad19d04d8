"""A :class:`~shapewidget.Model` from a live Keras model object.

Keras is imported only when :func:`from_keras` is called (shapewidget itself never needs
it). A functional model is read from its graph: its input tensors (names kept unless
automatic), each layer call (a node) as an entry with its inbound tensors, in the order
the code made them, a layer's later calls as ``{"shares": ...}`` entries, and its
outputs; a chain from one automatically named input stays a Sequential model.
The input (shape, batch size, dtype) comes from the model's input tensor; each layer
from its ``get_config()``, keeping only the arguments the catalogue declares and whose
value differs from what the same Keras class gives by default (found by building a
default instance with only the required arguments, so Keras's serialized forms —
``"linear"`` for no activation, ``"channels_last"``, initializer dicts, the backward copy
of a ``Bidirectional`` — compare like with like). Config keys the catalogue does not
declare (``dtype`` policies, ``seed``, …) are dropped. Initializers, regularizers and
constraints become their short name (``"he_normal"``) when they have no settings of their
own, else ``{"class_name": ..., "config": ...}``, which Keras accepts back.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from .errors import ShapeError
from .layers import LAYER_TYPES, Layer
from .model import Model
from .naming import AutoNamer, numbered, to_snake_case
from .params import describe
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
register("keras_import.several_tensors",
         "layer '{name}' returns several tensors (e.g. return_state=True) and the model "
         "uses output {index} of them; shapewidget follows one output tensor per layer call.",
         "レイヤー '{name}' は複数のテンソルを返し（return_state=True など）、モデルはその "
         "{index} 番目を使っています。shapewidget はレイヤーの呼び出しごとに出力テンソルを"
         "一つだけ扱います。")
register("keras_import.call_arguments",
         "layer '{name}' is called with more than its input tensors ({received}); "
         "shapewidget reads layers called on one tensor or on a list of tensors.",
         "レイヤー '{name}' が入力テンソル以外の引数（{received}）付きで呼び出されています。"
         "shapewidget が読めるのは、テンソル 1 つかテンソルのリストに対する呼び出しだけです。")
register("keras_import.subclassed",
         "the layers of a subclassed Keras model ({received}) cannot be read: only "
         "Sequential and functional models describe their layers.",
         "サブクラス化した Keras モデル（{received}）のレイヤーは読み取れません。レイヤーを"
         "記述しているのは Sequential と関数型のモデルだけです。")

_AUTO_MODEL_NAME = re.compile(r"^(sequential|functional|model)(_\d+)?$")
_AUTO_INPUT_NAME = re.compile(r"^input_layer(_\d+)?$")
_SERIALIZED_MODULES = ("keras.initializers", "keras.regularizers", "keras.constraints")


def _is_serialized(value: Any) -> bool:
    return isinstance(value, dict) and "class_name" in value and "config" in value


def _strip_names(value: Any) -> Any:
    """A config with every ``name`` removed and lists as tuples, for comparing."""
    if isinstance(value, dict):
        return {k: _strip_names(v) for k, v in value.items() if k != "name"}
    if isinstance(value, list | tuple):
        return tuple(_strip_names(v) for v in value)
    return value


def _simplify_object(value: dict[str, Any]) -> Any:
    """An initializer/regularizer/constraint config in a form Keras accepts back: its
    short name when it has no settings of its own, else ``{"class_name", "config"}``."""
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


class _Importer:
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

    def layer(self, klayer: Any, index: int, name: str | None = None) -> Layer:
        type_name = type(klayer).__name__
        cls = LAYER_TYPES.get(type_name)
        keras_name = name or str(klayer.name)
        if cls is None:
            raise ShapeError(Msg("keras_import.unknown_type", {"received": type_name}),
                             layer_index=index, layer_name=keras_name, layer_type=type_name)
        config = klayer.get_config()
        defaults = self.default_config(klayer, cls, config)
        kwargs: dict[str, Any] = {}
        try:
            for param in cls.all_params():
                if param.name not in config:
                    continue
                raw = config[param.name]
                if (defaults is not None and not param.required and param.name in defaults
                        and _strip_names(raw) == _strip_names(defaults[param.name])):
                    continue
                value = self.value(klayer, param.name, raw, index)
                if defaults is None and not param.required and value == param.default:
                    continue
                kwargs[param.name] = value
            return cls(name=self.name_for(cls, keras_name), **kwargs)
        except ShapeError as err:
            raise err.located(layer_index=index, layer_name=keras_name,
                              layer_type=type_name) from None

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
        if _is_serialized(raw):
            return _simplify_object(raw)
        return _plain(raw)

    def default_config(self, klayer: Any, cls: type[Layer],
                       config: dict[str, Any]) -> dict[str, Any] | None:
        """The config of the same Keras class built with only the required arguments
        (``None`` if that cannot be built)."""
        import keras

        required: dict[str, Any] = {}
        for param in cls.params:
            if not param.required:
                continue
            if param.name not in config:
                return None
            raw = config[param.name]
            if _is_serialized(raw):
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        raw = keras.layers.deserialize(raw)
                except Exception:
                    return None
            required[param.name] = raw
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                default = type(klayer)(**required, name="shapewidget_default")
            out: dict[str, Any] = default.get_config()
            return out
        except Exception:  # a class that needs more: compare with ours
            return None


def _input_of(keras_model: Any) -> tuple[tuple[Any, ...], str]:
    """(batch shape, dtype) of a Sequential model's input."""
    import keras

    first = getattr(keras_model, "_layers", [None])[:1]
    if first and isinstance(first[0], keras.layers.InputLayer):
        return tuple(first[0].batch_shape), str(first[0].dtype)
    try:
        inputs = keras_model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ShapeError(Msg("keras_import.no_input"), fix=Msg("keras_import.fix.no_input"))
    return tuple(inputs[0].shape), str(inputs[0].dtype)


class _Call:
    """One call of a layer in a functional Keras model (a node of its graph)."""

    def __init__(self, layer: Any, node: Any, parents: list[Any], as_list: bool) -> None:
        self.layer = layer
        self.node = node
        self.parents = parents  # the Keras tensors it is called on
        self.as_list = as_list


def _source(tensor: Any) -> tuple[Any, Any]:
    """(operation, node) that made a Keras tensor; refuses a layer's second output."""
    operation, node_index, tensor_index = tensor._keras_history
    if tensor_index:
        raise ShapeError(Msg("keras_import.several_tensors", {
            "name": operation.name, "index": tensor_index}), layer_name=operation.name,
            layer_type=type(operation).__name__)
    return operation, operation._inbound_nodes[node_index]


def _calls(keras_model: Any) -> list[_Call]:
    """Every layer call from the model's inputs to its outputs, each after the calls it
    uses: in the order of the code that built the model when Keras's tensor names tell
    it, else a depth-first walk from the outputs, parents in order."""
    inputs = [id(t) for t in keras_model.inputs]
    done: dict[int, _Call] = {}
    order: list[_Call] = []

    def visit(tensor: Any) -> None:
        stack: list[tuple[Any, bool]] = [(tensor, False)]
        while stack:
            current, expanded = stack.pop()
            if id(current) in inputs:
                continue
            operation, node = _source(current)
            if id(node) in done:
                continue
            args = node.arguments
            parents = list(node.input_tensors)
            if expanded:
                call = _Call(operation, node, parents,
                             len(args.args) == 1 and isinstance(args.args[0], list | tuple))
                done[id(node)] = call
                order.append(call)
                continue
            if len(args.args) != 1 or any(
                    k not in ("training", "mask") for k in args.kwargs):
                received = ", ".join([*(type(a).__name__ for a in args.args),
                                      *args.kwargs])
                raise ShapeError(Msg("keras_import.call_arguments", {
                    "name": operation.name, "received": received}),
                    layer_name=operation.name, layer_type=type(operation).__name__)
            stack.append((current, True))
            stack += [(p, False) for p in reversed(parents)]

    for tensor in keras_model.outputs:
        visit(tensor)
    return _creation_order(order)


_TENSOR_NAME = re.compile(r"^keras_tensor(?:_(\d+))?$")


def _creation_order(calls: list[_Call]) -> list[_Call]:
    """The calls in the order their output tensors were made (the order of the code
    that built the model: Keras numbers its tensors ``keras_tensor``, ``keras_tensor_1``,
    …), when every tensor has such a distinct number; else as given."""
    keys: list[int] = []
    for call in calls:
        found = _TENSOR_NAME.match(str(getattr(call.node.output_tensors[0], "name", "")))
        if found is None:
            return calls
        keys.append(int(found.group(1) or 0))
    if len(set(keys)) != len(keys):
        return calls
    return [call for _, call in sorted(zip(keys, calls, strict=True), key=lambda p: p[0])]


def _is_chain(keras_model: Any, calls: list[_Call]) -> bool:
    """One input with an automatic name, one output, each layer called once on the
    tensor before it."""
    inputs, outputs = list(keras_model.inputs), list(keras_model.outputs)
    if len(inputs) != 1 or len(outputs) != 1:
        return False
    if not _AUTO_INPUT_NAME.match(str(inputs[0]._keras_history[0].name)):
        return False  # a named input: kept, in a graph
    previous = inputs[0]
    layers: set[int] = set()
    for call in calls:
        if (call.as_list or len(call.parents) != 1 or call.parents[0] is not previous
                or id(call.layer) in layers):
            return False
        layers.add(id(call.layer))
        previous = call.node.output_tensors[0]
    return previous is outputs[0]


def _functional(keras_model: Any, calls: list[_Call], name: str) -> Model:
    """A functional shapewidget model: named inputs, an entry per layer call (later calls
    of a layer as shared entries), inbound tensors and outputs."""
    from .graph import auto_input_names
    from .layers.shared import SharedLayer

    keras_inputs = list(keras_model.inputs)
    given: list[str | None] = []
    for k, tensor in enumerate(keras_inputs):
        input_name = str(tensor._keras_history[0].name)
        auto = auto_input_names([*given, None])[k]
        given.append(None if input_name == auto else input_name)
    input_names = auto_input_names(given)
    tensor_names = {id(t): n for t, n in zip(keras_inputs, input_names, strict=True)}
    importer = _Importer()
    namer = AutoNamer()  # names `layers` as they are added
    first: dict[int, str] = {}
    layers: list[Layer] = []
    for index, call in enumerate(calls):
        inbound = tuple(tensor_names[id(p)] for p in call.parents)
        target = first.get(id(call.layer))
        if target is None:
            layer = importer.layer(call.layer, index)
            first[id(call.layer)] = entry_name = namer.name(layer)
        else:
            layer = SharedLayer(target)
            entry_name = namer.name(layer)
        layers.append(layer.connected(inbound))
        tensor_names[id(call.node.output_tensors[0])] = entry_name
    inputs = [{"name": n, "shape": list(t.shape[1:]), "batch_size": t.shape[0],
               "dtype": str(t.dtype)} for n, t in zip(given, keras_inputs, strict=True)]
    outputs = [tensor_names[id(t)] for t in keras_model.outputs]
    return Model(layers, inputs=inputs, outputs=outputs, name=name)


def from_keras(keras_model: Any) -> Model:
    """The same model from a Keras ``Sequential`` or functional model: the Sequential
    chain, or the functional graph (inputs, each layer call on its inbound tensors, a
    layer called again as a shared entry, outputs). Raises :class:`ShapeError` for layer
    types shapewidget does not know and models without an input shape."""
    import keras

    if not isinstance(keras_model, keras.Model):
        raise ShapeError(Msg("keras_import.not_model", {"received": describe(keras_model)}))
    name = str(keras_model.name)
    name = "sequential" if _AUTO_MODEL_NAME.match(name) else name
    if isinstance(keras_model, keras.Sequential):
        klayers = list(keras_model.layers)
    elif type(keras_model).__name__ == "Functional":
        try:
            calls = _calls(keras_model)
        except AttributeError:
            raise ShapeError(Msg("keras_import.subclassed", {
                "received": type(keras_model).__name__})) from None
        if not _is_chain(keras_model, calls):
            return _functional(keras_model, calls, name)
        klayers = [call.layer for call in calls]
    else:
        raise ShapeError(Msg("keras_import.subclassed",
                             {"received": type(keras_model).__name__}))
    batch_shape, dtype = _input_of(keras_model)
    importer = _Importer()
    layers = [importer.layer(klayer, i) for i, klayer in enumerate(klayers)]
    return Model(layers, batch_shape=batch_shape, input_dtype=dtype, name=name)
