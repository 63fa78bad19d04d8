"""What real Keras 3 says about a shapewidget spec: the reference the tests compare with.

Builds the spec's layers in Keras (JAX backend) on a ``keras.Input`` and records each
layer's output shape, weights (name, shape, trainable) and parameter counts, or the
index of the first layer Keras refuses (at construction, when added to a Sequential
model — Keras's unique-name check — or when called), as adding the layers one by one
with ``model.add`` would report it.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # imported after the backend is chosen

# Arguments whose list value Keras wants as a list (everything else becomes a tuple).
_KEEP_LIST = {"axis", "axes"}


@dataclass(frozen=True)
class RefRow:
    name: str
    class_name: str
    output_shape: tuple[Any, ...]
    weights: tuple[tuple[str, tuple[int, ...], bool], ...]
    trainable_params: int
    non_trainable_params: int


@dataclass(frozen=True)
class Reference:
    rows: tuple[RefRow, ...]
    error_index: int | None
    error: str | None


def _arg(key: str, value: Any) -> Any:
    if isinstance(value, list) and key not in _KEEP_LIST:
        return tuple(_arg(key, v) for v in value)
    return value


def keras_layer(spec: dict[str, Any]) -> Any:
    """A Keras layer object from one shapewidget layer spec."""
    args = dict(spec)
    cls = getattr(keras.layers, args.pop("type"))
    if "layer" in args:
        args["layer"] = keras_layer(args["layer"])
    if "backward_layer" in args and args["backward_layer"] is not None:
        args["backward_layer"] = keras_layer(args["backward_layer"])
    return cls(**{k: _arg(k, v) for k, v in args.items()})


def _uses_stateful(spec: dict[str, Any]) -> bool:
    if spec.get("stateful"):
        return True
    inner = spec.get("layer")
    return isinstance(inner, dict) and _uses_stateful(inner)


def _input_of(model_spec: dict[str, Any]) -> tuple[tuple[Any, ...], int | None]:
    """(shape without batch, batch size) from any of the spec's input spellings."""
    if model_spec.get("batch_shape") is not None:
        batch_shape = tuple(model_spec["batch_shape"])
        return batch_shape[1:], batch_shape[0]
    if model_spec.get("input_dim") is not None:
        return (model_spec["input_dim"],), model_spec.get("batch_size")
    return tuple(model_spec.get("input_shape") or ()), model_spec.get("batch_size")


def keras_reference(model_spec: dict[str, Any]) -> Reference:
    """Build ``model_spec`` in Keras, layer by layer, and record what Keras says."""
    # Reset Keras's automatic names (dense, dense_1, …); skipping the garbage collection
    # that clear_session does by default saves about 0.3 s per model.
    keras.backend.clear_session(free_memory=False)
    layer_specs = model_spec.get("layers", [])
    rows: list[RefRow] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with keras.StatelessScope(initialize_variables=False):
            shape, batch = _input_of(model_spec)
            x = keras.Input(shape=shape, batch_size=batch,
                            dtype=model_spec.get("input_dtype", "float32"))
        names = {x._keras_history[0].name}  # the InputLayer is one of the model's layers
        for i, spec in enumerate(layer_specs):
            # Each layer is built in a StatelessScope (no weights filled: fast), except
            # stateful RNNs, which refuse that scope.
            scope = (contextlib.nullcontext() if _uses_stateful(spec)
                     else keras.StatelessScope(initialize_variables=False))
            try:
                with scope:
                    layer = keras_layer(spec)
                    if layer.name in names:  # Sequential.add's check
                        raise ValueError(f"All layers added to a Sequential model should "
                                         f"have unique names. Name '{layer.name}' is "
                                         f"already the name of a layer in this model.")
                    names.add(layer.name)
                    x = layer(x)
            except Exception as err:  # Keras raises ValueError, TypeError, …
                return Reference(tuple(rows), i, f"{type(err).__name__}: {err}")
            # A list of tensors (return_state=True, merge_mode=None) is recorded as the
            # tuple of their shapes; the next layer, given the list, is what Keras refuses.
            shape = (tuple(tuple(t.shape) for t in x) if isinstance(x, list | tuple)
                     else tuple(x.shape))
            rows.append(RefRow(
                layer.name,
                type(layer).__name__,
                shape,
                tuple((w.name, tuple(w.shape), bool(w.trainable)) for w in layer.weights),
                sum(int(_prod(w.shape)) for w in layer.trainable_weights),
                sum(int(_prod(w.shape)) for w in layer.non_trainable_weights),
            ))
    return Reference(tuple(rows), None, None)


def _prod(shape: Any) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def shapewidget_reference(model_spec: dict[str, Any]) -> Reference:
    """The same record from shapewidget, for a like-for-like comparison."""
    from shapewidget import Model, ShapeError

    try:
        model = Model.from_spec(model_spec)
    except ShapeError as err:
        # A layer refused at construction: Keras, adding layers one by one, has built
        # (or refused) the layers before it, so those are compared as well.
        index = err.layer_index
        if index is None or not 0 <= index < len(model_spec.get("layers", [])):
            return Reference((), index, str(err))
        before = shapewidget_reference({**model_spec, "layers": model_spec["layers"][:index]})
        if before.error_index is not None:
            return before
        return Reference(before.rows, index, str(err))
    summary = model.analyze()
    rows = tuple(
        RefRow(r.name, r.class_name, tuple(r.output_shape),
               tuple((w.name, tuple(w.shape), w.trainable) for w in r.weights),
               r.trainable_params, r.non_trainable_params)
        for r in summary.rows
    )
    error = summary.error
    return Reference(rows, None if error is None else error.layer_index,
                     None if error is None else str(error))


def assert_matches_keras(model_spec: dict[str, Any],
                         reference: Reference | None = None) -> Reference:
    """Assert shapewidget and Keras agree on every row and on the rejected layer.

    ``reference``: Keras's record of ``model_spec`` if already built (else built here).
    """
    ref = keras_reference(model_spec) if reference is None else reference
    ours = shapewidget_reference(model_spec)
    assert ours.error_index == ref.error_index, (
        f"rejection differs for {model_spec}:\n keras: {ref.error_index} {ref.error}\n"
        f" shapewidget: {ours.error_index} {ours.error}")
    assert ours.rows == ref.rows, f"rows differ for {model_spec}:\n keras: {ref.rows}\n" \
                                  f" shapewidget: {ours.rows}"
    return ref
