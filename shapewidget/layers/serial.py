"""A layer as its JSON spec and as its Keras constructor call, both read from the layer's
declaration (its ``params``); nested layers (a wrapper's ``layer``) are nested.

This is the layer catalogue's own serialization: a wrapper's ``LayerParam`` reads and
writes its wrapped layer with it, without reaching up to the model's spec or code modules
(:mod:`shapewidget.spec` and :mod:`shapewidget.codegen` re-export these functions).

The catalogue (type name → class) is given by :mod:`shapewidget.layers` through
:func:`register_catalogue` when it is imported, so this module needs no import of it.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from ..errors import ShapeError
from ..naming import name_problem
from ..params import describe
from ..text import Msg, register
from .base import Layer
from .opaque import opaque_type
from .shared import SharedLayer

register("spec.not_object", "expected a JSON object (dict), received {received}.",
         "JSON オブジェクト（dict）が必要ですが、{received} を受け取りました。")
register("spec.no_type", "a layer needs a \"type\" (a Keras class name such as \"Dense\").",
         "レイヤーには \"type\"（\"Dense\" のような Keras のクラス名）が必要です。")
register("spec.unknown_type", "unknown layer type {received}.",
         "不明なレイヤーの型 {received} です。")
register("spec.fix.types", "use one of the known types, e.g. \"{suggestion}\".",
         "既知の型を使ってください（例: \"{suggestion}\"）。")
register("spec.bad_inbound",
         "expected a list of tensor names (model inputs or earlier layers), received "
         "{received}.",
         "テンソル名（モデルの入力か前のレイヤー）のリストが必要ですが、{received} を受け取りました。")
register("spec.fix.inbound", "write e.g. \"inbound\": [\"{example}\"].",
         "例えば \"inbound\": [\"{example}\"] と書きます。")

_catalogue: dict[str, type[Layer]] = {}


def register_catalogue(types: dict[str, type[Layer]]) -> None:
    """Called once by :mod:`shapewidget.layers`: the classes a spec's ``type`` names."""
    global _catalogue
    _catalogue = types


def parse_inbound(value: Any) -> tuple[str, ...] | None:
    """``inbound``: names of the tensors a layer is called on (one name may be a string)."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if (isinstance(items, (list, tuple)) and items
            and all(isinstance(v, str) and v for v in items)):
        return tuple(items)
    raise ShapeError(Msg("spec.bad_inbound", {"received": describe(value)}),
                     fix=Msg("spec.fix.inbound", {"example": "input_layer"}),
                     argument="inbound")


def layer_from_spec(spec: Any, index: int | None = None) -> Layer:
    """Build a layer from ``{"type": ..., **arguments}``; errors name the layer index."""
    try:
        if not isinstance(spec, dict):
            raise ShapeError(Msg("spec.not_object", {"received": describe(spec)}))
        if "shares" in spec:
            others = {k: v for k, v in spec.items() if k not in ("shares", "name", "inbound")}
            return SharedLayer(spec["shares"], name=spec.get("name"),
                               inbound=parse_inbound(spec.get("inbound")), **others)
        type_name = spec.get("type")
        if type_name is None:
            raise ShapeError(Msg("spec.no_type"))
        cls = _catalogue.get(type_name) if isinstance(type_name, str) else None
        if isinstance(type_name, str) and "keras_shapes" in spec:  # imported: shapes from Keras
            cls = opaque_type(type_name)
        if cls is None:
            close = difflib.get_close_matches(str(type_name), list(_catalogue), n=1)
            fix = Msg("spec.fix.types", {"suggestion": close[0] if close else "Dense"})
            raise ShapeError(Msg("spec.unknown_type", {"received": describe(type_name)}),
                             fix=fix, argument="type")
        name = spec.get("name")
        inbound = parse_inbound(spec.get("inbound"))
        kwargs: dict[str, Any] = {}
        for key, value in spec.items():
            if key in ("type", "name", "inbound"):
                continue
            param = cls._by_name.get(key)
            kwargs[key] = param.from_json(value) if param is not None else value
        return cls(name=name, inbound=inbound, **kwargs)
    except ShapeError as err:
        where_type = spec.get("type") if isinstance(spec, dict) else None
        where_name = spec.get("name") if isinstance(spec, dict) else None
        raise err.located(layer_index=index,
                          layer_type=where_type if isinstance(where_type, str) else None,
                          layer_name=where_name if isinstance(where_name, str)
                          and name_problem(where_name) is None else None) from None


def layer_to_spec(layer: Layer) -> dict[str, Any]:
    """``{"type": ..., "name"?: ..., **given arguments, "inbound"?: [...]}`` with tuples as
    lists; a shared layer's second call is ``{"name"?: ..., "shares": ..., "inbound"?: ...}``."""
    out: dict[str, Any] = {}
    if isinstance(layer, SharedLayer):
        if layer.name is not None:
            out["name"] = layer.name
        out["shares"] = layer.shares
    else:
        out["type"] = layer.type_name()
        if layer.name is not None:
            out["name"] = layer.name
        for key, value in layer.args.items():
            out[key] = layer.param(key).to_json(value)
    if layer.inbound is not None:
        out["inbound"] = list(layer.inbound)
    return out


def string_code(text: str) -> str:
    """A double-quoted Python string literal (control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)


def positional_count(cls: type[Layer]) -> int:
    """How many leading arguments are written positionally: the leading required ones."""
    n = 0
    for param in cls.params:
        if not param.required:
            break
        n += 1
    return n


def layer_code(layer: Layer, prefix: str, extra: dict[str, str] | None = None) -> str:
    """``layers.Dense(4, activation="relu")``: one layer's constructor call.

    ``prefix`` is written before every class name (``"layers."`` or ``""``); ``extra``
    adds keyword arguments already written as code (``input_shape=(3,)``) at the end.
    """
    cls = type(layer)
    parts: list[str] = []
    npos = positional_count(cls)
    for i, param in enumerate(cls.all_params()):
        if param.name not in layer.args:
            continue
        code = value_code(param, layer.args[param.name], prefix)
        parts.append(code if i < npos else f"{param.name}={code}")
    if layer.name is not None:
        parts.append(f"name={string_code(layer.name)}")
    for key, code in (extra or {}).items():
        parts.append(f"{key}={code}")
    return f"{prefix}{layer.type_name()}({', '.join(parts)})"


def value_code(param: Any, value: Any, prefix: str) -> str:
    """An argument's value as code; a layer given as an argument is nested."""
    if isinstance(value, Layer):
        return layer_code(value, prefix)
    if isinstance(value, tuple) and value and all(isinstance(v, Layer) for v in value):
        return "[" + ", ".join(layer_code(v, prefix) for v in value) + "]"  # RNN's cells
    code: str = param.to_code(value)
    return code
