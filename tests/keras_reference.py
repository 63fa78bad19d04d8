"""What real Keras 3 says about a shapewidget spec: the reference the tests compare with.

Builds the spec's layers in Keras (JAX backend) on a ``keras.Input`` and records each
layer's output shape, weights (name, shape, trainable) and parameter counts, or the
index of the first layer Keras refuses (at construction, when added to a Sequential
model — Keras's unique-name check — or when called), as adding the layers one by one
with ``model.add`` would report it.

A functional spec (``inputs``, ``inbound``, ``shares`` or ``outputs``) is built as Keras
code would build it: one ``keras.Input`` per input, each layer entry called on its
inbound tensors (a list for merge layers; ``{"shares": X}`` calls the layer object of ``X``
again), then ``keras.Model(inputs=[...], outputs=[...])`` (the spec's outputs, or the
tensors no layer uses), whose weight counts are the totals. Keras refuses names used twice
only when the Model is built, after every call. Some specs are refused by shapewidget's
own graph checks, which Keras does not make (an unused input, a layer output that goes
nowhere while outputs are explicit) or which cannot even be written as Keras code (a
cycle, an unknown tensor name, a shared entry whose name clashes): those are not compared
(``Reference.own_check`` names the check) and are tested in ``test_graph.py``.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import re
import warnings
from dataclasses import dataclass, replace
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
    totals: tuple[int, int, int] | None = None
    """Functional models: (trainable, non-trainable, total) parameters of the built model."""
    own_check: str | None = None
    """The message key of a graph check only shapewidget makes (see the module notes)."""
    error_key: str | None = None
    """shapewidget's message key of the error (``None`` for Keras's own record)."""


MERGE_TYPES = frozenset({"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum",
                         "Minimum", "Dot"})
"""Layers called on a list of tensors."""

OWN_CHECKS = frozenset({"graph.unused_input", "graph.dangling", "graph.unknown_output",
                        "graph.cycle", "graph.unknown_tensor", "graph.shares_unknown",
                        "graph.shares_input", "graph.no_outputs", "model.duplicate_name",
                        "graph.input_taken", "model.input_name", "graph.duplicate_input"})
"""shapewidget's graph checks that Keras does not make, or that Keras code cannot express.

A layer called again (a shared layer) must fit the weights its first call built.
Keras checks that at the call for layers whose built ``InputSpec`` names the sizes
(``Dense``, the convolutions, ``BatchNormalization``), but recurrent layers,
``LayerNormalization`` and the wrappers compute their output shape without looking at
the weights: Keras builds such a model, which fails when it runs. shapewidget refuses it
(``SHARED_UNCHECKED_BY_KERAS``; checked by running Keras in test_random_graphs_keras.py).
Likewise a layer without an input spec whose output shape is its input shape
(``Dropout``, ``Activation``) passes a list of tensors through when the model is built,
and fails when it runs (or trains); shapewidget refuses the list (``layer.one_input``).

Names are how a functional spec refers to tensors, so shapewidget refuses a name used
twice where it is written. Keras refuses it only when ``keras.Model`` is built, after
every call, and only among the layers that lead to an output; in a spec a second entry
of one name can never be referred to (the name means the first), so Keras never even
sees it."""


def separate_tensor_types() -> frozenset[str]:
    """Layer types called with separate tensors (``mha(query, value, key)``), not a list:
    the declarations' ``separate_tensors``."""
    from shapewidget.layers import LAYER_TYPES

    return frozenset(name for name, cls in LAYER_TYPES.items()
                     if getattr(cls, "separate_tensors", False))


SHARED_UNCHECKED_BY_KERAS = frozenset({"LSTM", "GRU", "SimpleRNN", "LayerNormalization",
                                       "TimeDistributed", "Bidirectional"})


def is_functional(model_spec: dict[str, Any]) -> bool:
    """Does the spec describe a graph (as ``Model.functional`` decides)?"""
    return (model_spec.get("inputs") is not None or bool(model_spec.get("outputs"))
            or any(isinstance(s, dict) and (("inbound" in s and s["inbound"] is not None)
                                            or "shares" in s)
                   for s in model_spec.get("layers", [])))


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
    for key in ("cell", "cells", "layers"):  # RNN, StackedRNNCells, Pipeline
        if isinstance(args.get(key), dict):
            args[key] = keras_layer(args[key])
        elif isinstance(args.get(key), list):
            args[key] = [keras_layer(c) if isinstance(c, dict) else c for c in args[key]]
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
    if is_functional(model_spec):
        return _keras_functional(model_spec)
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
                    given, x = x, layer(x)
                    if x is given:  # Keras's Function refuses the model (Equalization)
                        raise ValueError(f"Tensor {x} from operation '{layer.name}' is "
                                         "part of a cycle.")
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


def _shape_of(x: Any) -> tuple[Any, ...]:
    # A list of tensors (return_state=True, merge_mode=None) is recorded as the tuple of
    # their shapes; the next layer, given the list, is what Keras refuses.
    return (tuple(tuple(t.shape) for t in x) if isinstance(x, list | tuple)
            else tuple(x.shape))


def _row(name: str, layer: Any) -> RefRow:
    return RefRow(
        name, type(layer).__name__, (),
        tuple((w.name, tuple(w.shape), bool(w.trainable)) for w in layer.weights),
        sum(int(_prod(w.shape)) for w in layer.trainable_weights),
        sum(int(_prod(w.shape)) for w in layer.non_trainable_weights))


def _inputs_of(model_spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The spec's inputs as ``{"name", "shape", "batch_size", "dtype"}`` entries."""
    if model_spec.get("inputs") is not None:
        out = []
        for entry in model_spec["inputs"]:
            if entry.get("batch_shape") is not None:
                shape, batch = tuple(entry["batch_shape"][1:]), entry["batch_shape"][0]
            else:
                shape, batch = tuple(entry.get("shape", ())), entry.get("batch_size")
            out.append({"name": entry.get("name"), "shape": shape, "batch_size": batch,
                        "dtype": entry.get("dtype", "float32")})
        return out
    shape, batch = _input_of(model_spec)
    return [{"name": None, "shape": shape, "batch_size": batch,
             "dtype": model_spec.get("input_dtype", "float32")}]


def _unwritable(rows: list[tuple[int, RefRow]], why: str) -> Reference:
    return Reference(tuple(r for _, r in sorted(rows, key=lambda p: p[0])), None, why,
                     own_check=why)


def keras_functional_model(model_spec: dict[str, Any]) -> Any:
    """The ``keras.Model`` a functional spec builds (``None`` if Keras refuses it)."""
    built: list[Any] = []
    _keras_functional(model_spec, built)
    return built[0] if built else None


def _keras_functional(model_spec: dict[str, Any], built: list[Any] | None = None
                      ) -> Reference:
    """A functional spec as Keras code builds it (see the module notes); the model is
    appended to ``built`` if given."""
    keras.backend.clear_session(free_memory=False)
    layer_specs = model_spec.get("layers", [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with keras.StatelessScope(initialize_variables=False):
            inputs = [keras.Input(shape=e["shape"], batch_size=e["batch_size"],
                                  dtype=e["dtype"], name=e["name"])
                      for e in _inputs_of(model_spec)]
        input_names = [x._keras_history[0].name for x in inputs]
        tensors: dict[str, Any] = {}
        for name, x in zip(input_names, inputs, strict=True):
            tensors.setdefault(name, x)

        # Construct the layer objects in the spec's order (Keras's automatic names count
        # in construction order); a shared entry gets the spec's name or <target>_reuse_<n>.
        names: list[str] = []
        objects: list[Any] = []  # the Keras layer of each entry (the target's if shared)
        shared: list[bool] = []
        by_name: dict[str, int] = {}
        reuses: dict[str, int] = {}
        refused: tuple[int, str] | None = None
        targets: dict[int, str] = {}
        for i, spec in enumerate(layer_specs):
            if "shares" in spec:
                target = spec["shares"]
                if spec.get("name") is not None:
                    name = spec["name"]
                else:
                    reuses[target] = reuses.get(target, 0) + 1
                    name = f"{target}_reuse_{reuses[target]}"
                names.append(name)
                objects.append(None)  # the target's layer, once all are constructed
                shared.append(True)
                targets[i] = target
                by_name.setdefault(name, i)
                continue
            scope = (contextlib.nullcontext() if _uses_stateful(spec)
                     else keras.StatelessScope(initialize_variables=False))
            args = {k: v for k, v in spec.items() if k != "inbound"}
            try:
                with scope:
                    layer = keras_layer(args)
            except Exception as err:  # construction: ValueError, TypeError, …
                refused = (i, f"{type(err).__name__}: {err}")
                break
            names.append(layer.name)
            objects.append(layer)
            shared.append(False)
            by_name.setdefault(layer.name, i)
        target_of: dict[int, int] = {}
        for i, target in targets.items():
            t = by_name.get(target)
            seen = {i}
            while t is not None and shared[t] and t not in seen:  # a reuse of a reuse
                seen.add(t)
                t = by_name.get(targets[t])
            if t is None or t in seen:
                return _unwritable([], "graph.shares_unknown")
            objects[i] = objects[t]
            target_of[i] = t

        # Call each entry once its inbound tensors exist: the spec's order when it already
        # is a dependency order, as code calling the layers would be.
        count = len(objects)
        inbound: list[list[str]] = []
        deps: list[set[int]] = []
        for i in range(count):
            given = layer_specs[i].get("inbound")
            tensor_names = ([given] if isinstance(given, str) else list(given)) \
                if given is not None else [names[i - 1] if i else input_names[0]]
            inbound.append(tensor_names)
            needs = set()
            for t in tensor_names:
                if t not in tensors:
                    if t not in by_name:
                        return _unwritable([], "graph.unknown_tensor")
                    needs.add(by_name[t])
            if shared[i]:
                needs.add(target_of[i])
            deps.append(needs)
        rows: list[tuple[int, RefRow]] = []
        entry_out: dict[int, Any] = {}
        done: set[int] = set()
        ready = [i for i in range(count) if not deps[i]]
        heapq.heapify(ready)
        while ready:
            i = heapq.heappop(ready)
            layer = objects[i]
            spec = layer_specs[i]
            type_name = type(layer).__name__
            args_in = [tensors[t] for t in inbound[i]]
            # No inbound: the previous tensor itself (a merge layer then refuses it); an
            # inbound list: a list for a merge layer, else the one tensor it names.
            given = spec.get("inbound") is not None
            arg = (args_in if given and (type_name in MERGE_TYPES or len(args_in) != 1)
                   else args_in[0])
            separate = layer_specs[target_of.get(i, i)].get("type") in separate_tensor_types()
            stateful = _uses_stateful(layer_specs[target_of.get(i, i)])
            scope = (contextlib.nullcontext() if stateful
                     else keras.StatelessScope(initialize_variables=False))
            try:
                with scope:
                    x = layer(*args_in) if separate and given else layer(arg)
            except Exception as err:  # Keras raises ValueError, TypeError, …
                return Reference(tuple(r for _, r in sorted(rows, key=lambda p: p[0])), i,
                                 f"{type(err).__name__}: {err}")
            row = _row(names[i], layer)
            if shared[i]:
                row = RefRow(names[i], type_name, (), (), 0, 0)
            rows.append((i, RefRow(row.name, row.class_name, _shape_of(x), row.weights,
                                   row.trainable_params, row.non_trainable_params)))
            tensors.setdefault(names[i], x)
            entry_out[i] = x
            done.add(i)
            for j in range(count):
                if j not in done and j not in ready and deps[j] <= done and i in deps[j]:
                    heapq.heappush(ready, j)
        ordered = tuple(r for _, r in sorted(rows, key=lambda p: p[0]))
        if refused is not None:
            return Reference(ordered, refused[0], refused[1])
        if len(done) < count:
            return _unwritable(rows, "graph.cycle")

        # The model: Keras checks here that every operation's name is unique.
        if model_spec.get("outputs"):
            if any(o not in tensors for o in model_spec["outputs"]):
                return _unwritable(rows, "graph.unknown_output")
            outputs = [tensors[o] for o in model_spec["outputs"]]
        else:  # the entries whose output no entry uses
            used = {by_name[t] for names_in in inbound for t in names_in
                    if t in by_name and t not in input_names}
            outputs = [entry_out[i] for i in range(count) if i not in used]
        if not outputs:
            return Reference(ordered, None, None)
        try:
            with keras.StatelessScope(initialize_variables=False):
                model = keras.Model(inputs=inputs, outputs=outputs)
        except Exception as err:
            keras_names = [None if s else n for n, s in zip(names, shared, strict=True)]
            return Reference(ordered, _model_error_index(str(err), input_names, keras_names),
                             f"{type(err).__name__}: {err}")
        if built is not None:
            built.append(model)
        trainable = sum(int(_prod(w.shape)) for w in model.trainable_weights)
        frozen = sum(int(_prod(w.shape)) for w in model.non_trainable_weights)
        return Reference(ordered, None, None, (trainable, frozen, int(model.count_params())))


def _model_error_index(message: str, input_names: list[str],
                       names: list[str | None]) -> int | None:
    """The entry a name check of ``keras.Model`` refers to: the name's second use (``None``
    when that is an input)."""
    found = re.search(r'The name "(.*)" is used \d+ times', message)
    if found is None:
        return None
    name = found.group(1)
    uses = [("input", k) for k, n in enumerate(input_names) if n == name]
    uses += [("layer", k) for k, n in enumerate(names) if n == name]
    if len(uses) < 2:
        return None
    kind, where = uses[1]
    return where if kind == "layer" else None


def _prod(shape: Any) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def shapewidget_reference(model_spec: dict[str, Any]) -> Reference:
    """The same record from shapewidget, for a like-for-like comparison."""
    from shapewidget import Model, ShapeError

    functional = is_functional(model_spec)
    try:
        model = Model.from_spec(model_spec)
    except ShapeError as err:
        # A layer refused at construction: Keras, adding layers one by one, has built
        # (or refused) the layers before it, so those are compared as well.
        index = err.layer_index
        if index is None or not 0 <= index < len(model_spec.get("layers", [])):
            return Reference((), index, str(err))
        truncated = {**model_spec, "layers": model_spec["layers"][:index]}
        truncated.pop("outputs", None)
        before = shapewidget_reference(truncated)
        if before.error_index is not None and before.own_check is None:
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
    if error is None:
        totals = ((summary.trainable_params, summary.non_trainable_params,
                   summary.total_params) if functional else None)
        return Reference(rows, None, None, totals)
    own = error.problem.key if functional and error.problem.key in OWN_CHECKS else None
    return Reference(rows, error.layer_index, str(error), own_check=own,
                     error_key=error.problem.key)


def shared_type(model_spec: dict[str, Any], index: int) -> str | None:
    """The type of the layer entry ``index`` calls again (``None`` if not a shared call)."""
    layers = model_spec["layers"]
    seen = set()
    spec = layers[index]
    while "shares" in spec and index not in seen:
        seen.add(index)
        found = [k for k, s in enumerate(layers) if s.get("name") == spec["shares"]]
        if not found:  # an automatic name: whatever Keras called the layer
            from shapewidget import Model, ShapeError

            try:
                names = Model.from_spec(model_spec).layer_names
            except ShapeError:  # a later layer refused at construction
                return None
            found = [k for k, n in enumerate(names) if n == spec["shares"]]
        if not found:
            return None
        index = found[0]
        spec = layers[index]
    return None if "shares" in spec else spec.get("type")


def assert_matches_keras(model_spec: dict[str, Any],
                         reference: Reference | None = None) -> Reference:
    """Assert shapewidget and Keras agree on every row and on the rejected layer (and,
    for a functional model, on the totals).

    ``reference``: Keras's record of ``model_spec`` if already built (else built here).
    A functional spec refused by one of shapewidget's own graph checks is not compared:
    the returned record then has ``own_check`` set.
    """
    ours = shapewidget_reference(model_spec)
    if ours.own_check is not None:
        return ours
    ref = keras_reference(model_spec) if reference is None else reference
    if (ours.error_key == "graph.shared_mismatch" and ours.error_index is not None
            and (ref.error_index is None or ref.error_index > ours.error_index)
            and shared_type(model_spec, ours.error_index) in SHARED_UNCHECKED_BY_KERAS):
        return replace(ours, own_check="graph.shared_mismatch")  # Keras builds, cannot run
    if (ours.error_key == "layer.one_input" and ours.error_index is not None
            and (ref.error_index is None or ref.error_index > ours.error_index)):
        return replace(ours, own_check="layer.one_input")  # Keras builds, cannot run
    assert ref.own_check is None, (
        f"Keras code cannot express {model_spec} ({ref.own_check}), but shapewidget "
        f"accepts it: {ours.error_index} {ours.error}")
    assert ours.error_index == ref.error_index, (
        f"rejection differs for {model_spec}:\n keras: {ref.error_index} {ref.error}\n"
        f" shapewidget: {ours.error_index} {ours.error}")
    if is_functional(model_spec):
        assert (ours.error is None) == (ref.error is None), (
            f"rejection differs for {model_spec}:\n keras: {ref.error}\n"
            f" shapewidget: {ours.error}")
    assert ours.rows == ref.rows, f"rows differ for {model_spec}:\n keras: {ref.rows}\n" \
                                  f" shapewidget: {ours.rows}"
    assert ours.totals == ref.totals, (
        f"totals differ for {model_spec}:\n keras: {ref.totals}\n shapewidget: {ours.totals}")
    return ref
