"""Keras 3 source code for a model, in three styles.

- ``"sequential"``: ``keras.Sequential([keras.Input(shape=...), layers.Dense(4), ...])``.
- ``"functional"``: ``inputs = keras.Input(...)``, one line per layer called on the
  previous tensor (variables named after the layers), ``keras.Model(inputs=..., outputs=...)``.
- ``"legacy"``: the older tutorial style, ``Sequential()`` and ``model.add(...)`` with
  ``input_shape=`` (or ``input_dim=`` for a 1-D input) on the first layer.

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

import json
import keyword
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import ShapeError
from .layers import Layer
from .params import to_code
from .text import Msg, register

if TYPE_CHECKING:
    from .model import Model

register("codegen.unknown_style",
         "unknown code style {received}; expected one of {expected}.",
         "不明なコードのスタイル {received} です。{expected} のいずれかを指定してください。")

STYLES: tuple[str, ...] = ("sequential", "functional", "legacy")
"""The code styles :func:`to_keras_code` writes."""

DEFAULT_MODEL_NAME = "sequential"
_RESERVED = {"keras", "layers", "inputs", "model", "tf", "np"}


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
    code: str = param.to_code(value)
    return code


def class_names(layers: Iterable[Layer]) -> list[str]:
    """Every layer class used, nested ones included, in order of first use."""
    seen: list[str] = []

    def visit(layer: Layer) -> None:
        for value in layer.args.values():
            if isinstance(value, Layer):
                visit(value)
        if layer.type_name() not in seen:
            seen.append(layer.type_name())

    for layer in layers:
        visit(layer)
    return seen


def variable_name(name: str, taken: set[str]) -> str:
    """A Python identifier for a layer's output, from the layer's name, not yet taken."""
    base = "".join(c if ("_" + c).isidentifier() else "_" for c in name) or "x"
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


def _input_kwargs(model: Model) -> list[str]:
    parts = [f"shape={to_code(tuple(model.input_shape))}"]
    if model.batch_size is not None:
        parts.append(f"batch_size={model.batch_size!r}")
    if model.input_dtype != "float32":
        parts.append(f"dtype={to_code(model.input_dtype)}")
    return parts


def _name_kwarg(model: Model) -> str:
    return "" if model.name == DEFAULT_MODEL_NAME else f", name={string_code(model.name)}"


def _sequential(model: Model) -> str:
    lines = ["import keras", "from keras import layers", "",
             "model = keras.Sequential(["]
    lines.append(f"    keras.Input({', '.join(_input_kwargs(model))}),")
    lines += [f"    {layer_code(layer, 'layers.')}," for layer in model.layers]
    lines.append(f"]{_name_kwarg(model)})")
    lines.append("model.summary()")
    return "\n".join(lines) + "\n"


def _functional(model: Model) -> str:
    lines = ["import keras", "from keras import layers", "",
             f"inputs = keras.Input({', '.join(_input_kwargs(model))})"]
    taken = {"inputs"}
    previous = "inputs"
    for layer, name in zip(model.layers, model.layer_names, strict=True):
        var = variable_name(name, taken)
        lines.append(f"{var} = {layer_code(layer, 'layers.')}({previous})")
        previous = var
    lines.append(f"model = keras.Model(inputs=inputs, outputs={previous}{_name_kwarg(model)})")
    lines.append("model.summary()")
    return "\n".join(lines) + "\n"


def _legacy(model: Model) -> str:
    layers = list(model.layers)
    shape = tuple(model.input_shape)
    first = type(layers[0]) if layers else None
    own = set() if first is None else {p.name for p in first.all_params()}
    use_input_layer = first is None or model.input_dtype != "float32" or "input_shape" in own
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
    lines.append("model.summary()")
    return "\n".join(lines) + "\n"


def to_keras_code(model: Model, style: str = "sequential") -> str:
    """Runnable Keras 3 source that builds ``model`` (a :class:`shapewidget.Model`).

    Whatever the person built is exported, valid or not; for a valid model, running the
    code in Keras gives the same summary.
    """
    if style == "sequential":
        return _sequential(model)
    if style == "functional":
        return _functional(model)
    if style == "legacy":
        return _legacy(model)
    raise ShapeError(Msg("codegen.unknown_style", {
        "received": repr(style), "expected": ", ".join(repr(s) for s in STYLES)}),
        argument="style")
