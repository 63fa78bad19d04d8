"""The JSON spec: a stable, public description of a model (layers as Keras arguments)."""

from __future__ import annotations

from .layers.serial import layer_from_spec, layer_to_spec, parse_inbound
from .text import register

register("spec.unknown_key", "unknown model key `{key}`; expected {expected}.",
         "不明なモデルのキー `{key}` です。{expected} のいずれかが必要です。")
register("spec.layers_not_list", "`layers` must be a list, received {received}.",
         "`layers` はリストでなければなりませんが、{received} を受け取りました。")

MODEL_KEYS = ("input_shape", "input_dim", "batch_size", "batch_shape", "input_dtype", "inputs",
              "layers", "outputs", "name", "trainable")
INPUT_KEYS = ("name", "shape", "batch_size", "batch_shape", "dtype")

__all__ = ["INPUT_KEYS", "MODEL_KEYS", "layer_from_spec", "layer_to_spec", "parse_inbound"]
