"""A :class:`~shapewidget.Model` from a live Keras model object.

Keras is imported only when :func:`from_keras` is called (shapewidget itself never needs
it). The input (shape, batch size, dtype) comes from the model's input tensor; each layer
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
from .layers.base import to_snake_case
from .model import Model
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
register("keras_import.branching",
         "this Keras model is not a single chain of layers ({what}); branching models need "
         "the functional-graph support, which shapewidget does not have yet.",
         "この Keras モデルはレイヤーが一列に並んだものではありません（{what}）。分岐する"
         "モデルには関数型グラフの対応が必要ですが、shapewidget にはまだありません。")
register("keras_import.several_inputs", "{count} inputs", "入力が {count} 個")
register("keras_import.several_outputs", "{count} outputs", "出力が {count} 個")
register("keras_import.merge", "layer '{name}' takes {count} tensors",
         "レイヤー '{name}' が {count} 個のテンソルを受け取ります")
register("keras_import.subclassed",
         "the layers of a subclassed Keras model ({received}) cannot be read: only "
         "Sequential and functional models describe their layers.",
         "サブクラス化した Keras モデル（{received}）のレイヤーは読み取れません。レイヤーを"
         "記述しているのは Sequential と関数型のモデルだけです。")

_AUTO_MODEL_NAME = re.compile(r"^(sequential|functional|model)(_\d+)?$")
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
        auto = prefix if n == 0 else f"{prefix}_{n}"
        if keras_name == auto:
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
    """(batch shape, dtype) of the model's single input."""
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
    if len(inputs) != 1:
        raise ShapeError(Msg("keras_import.branching", {"what": Msg(
            "keras_import.several_inputs", {"count": len(inputs)}).render()}))
    return tuple(inputs[0].shape), str(inputs[0].dtype)


def _functional_chain(keras_model: Any) -> list[Any]:
    """The layers from the input to the output of a functional model that is a chain."""
    import keras

    inputs, outputs = list(keras_model.inputs), list(keras_model.outputs)
    for tensors, key in ((inputs, "keras_import.several_inputs"),
                         (outputs, "keras_import.several_outputs")):
        if len(tensors) != 1:
            raise ShapeError(Msg("keras_import.branching", {"what": Msg(
                key, {"count": len(tensors)}).render()}))
    chain: list[Any] = []
    tensor = outputs[0]
    while True:
        operation, node_index, _ = tensor._keras_history
        if isinstance(operation, keras.layers.InputLayer):
            break
        node = operation._inbound_nodes[node_index]
        parents = list(node.input_tensors)
        if len(parents) != 1:
            raise ShapeError(Msg("keras_import.branching", {"what": Msg(
                "keras_import.merge", {"name": operation.name,
                                       "count": len(parents)}).render()}))
        chain.append(operation)
        tensor = parents[0]
    chain.reverse()
    return chain


def from_keras(keras_model: Any) -> Model:
    """The same model from a Keras ``Sequential`` or functional model that is a single
    chain of layers. Raises :class:`ShapeError` for layer types shapewidget does not
    know, branching models, and models without an input shape."""
    import keras

    if not isinstance(keras_model, keras.Model):
        raise ShapeError(Msg("keras_import.not_model", {"received": describe(keras_model)}))
    if isinstance(keras_model, keras.Sequential):
        klayers = list(keras_model.layers)
    elif type(keras_model).__name__ == "Functional":
        try:
            klayers = _functional_chain(keras_model)
        except AttributeError:
            raise ShapeError(Msg("keras_import.subclassed", {
                "received": type(keras_model).__name__})) from None
    else:
        raise ShapeError(Msg("keras_import.subclassed",
                             {"received": type(keras_model).__name__}))
    batch_shape, dtype = _input_of(keras_model)
    importer = _Importer()
    layers = [importer.layer(klayer, i) for i, klayer in enumerate(klayers)]
    name = str(keras_model.name)
    return Model(layers, batch_shape=batch_shape, input_dtype=dtype,
                 name="sequential" if _AUTO_MODEL_NAME.match(name) else name)
