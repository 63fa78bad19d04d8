"""The JSON spec: a stable, public description of a model (layers as Keras arguments)."""

from __future__ import annotations

import difflib
from typing import Any

from .errors import ShapeError
from .layers import LAYER_TYPES, Layer
from .layers.opaque import opaque_type
from .layers.shared import SharedLayer
from .naming import name_problem
from .params import describe
from .text import Msg, register

register("spec.not_object", "expected a JSON object (dict), received {received}.",
         "JSON オブジェクト（dict）が必要ですが、{received} を受け取りました。")
register("spec.no_type", "a layer needs a \"type\" (a Keras class name such as \"Dense\").",
         "レイヤーには \"type\"（\"Dense\" のような Keras のクラス名）が必要です。")
register("spec.unknown_type", "unknown layer type {received}.",
         "不明なレイヤーの型 {received} です。")
register("spec.fix.types", "use one of the known types, e.g. \"{suggestion}\".",
         "既知の型を使ってください（例: \"{suggestion}\"）。")
register("spec.unknown_key", "unknown model key `{key}`; expected {expected}.",
         "不明なモデルのキー `{key}` です。{expected} のいずれかが必要です。")
register("spec.layers_not_list", "`layers` must be a list, received {received}.",
         "`layers` はリストでなければなりませんが、{received} を受け取りました。")

register("spec.bad_inbound",
         "expected a list of tensor names (model inputs or earlier layers), received "
         "{received}.",
         "テンソル名（モデルの入力か前のレイヤー）のリストが必要ですが、{received} を受け取りました。")
register("spec.fix.inbound", "write e.g. \"inbound\": [\"{example}\"].",
         "例えば \"inbound\": [\"{example}\"] と書きます。")

MODEL_KEYS = ("input_shape", "input_dim", "batch_size", "batch_shape", "input_dtype", "inputs",
              "layers", "outputs", "name", "trainable")
INPUT_KEYS = ("name", "shape", "batch_size", "batch_shape", "dtype")


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
        cls = LAYER_TYPES.get(type_name) if isinstance(type_name, str) else None
        if isinstance(type_name, str) and "keras_shapes" in spec:  # imported: shapes from Keras
            cls = opaque_type(type_name)
        if cls is None:
            close = difflib.get_close_matches(str(type_name), list(LAYER_TYPES), n=1)
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
