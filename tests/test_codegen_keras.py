"""Exported code run in real Keras gives shapewidget's summary, for every layer type.

The models come from the catalogue itself (whatever ``LAYER_TYPES`` holds when the
tests run): for each layer type, a small search over a few inputs and argument values
(checked with each parameter's own ``validate``) finds a valid one-layer model; a
"rich" variant then sets as many optional arguments to non-default values as keep it
valid, with a fixed batch size. Each model is exported in each style, the code is run
with ``exec`` (our own generated code) under ``keras.StatelessScope`` where possible, and
Keras's layers (names, output shapes, weights, parameter counts) and totals are compared
with shapewidget's.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import warnings
from functools import cache
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

from keras_reference import RefRow, shapewidget_reference

from shapewidget import Model, ShapeError
from shapewidget.codegen import STYLES
from shapewidget.layers import LAYER_TYPES, Layer
from shapewidget.spec import layer_to_spec

pytestmark = pytest.mark.keras

INPUTS: list[tuple[tuple[int | None, ...], str]] = [
    ((3,), "float32"), ((6, 4), "float32"), ((8, 8, 3), "float32"),
    ((6, 6, 6, 2), "float32"), ((10,), "int32"), ((5, 4, 4, 3), "float32"),
    ((4, 32), "float32"),  # GroupNormalization's default groups=32 needs 32 channels
]

# Candidate values, most sensible first; each parameter keeps those its validate accepts.
POOL: list[Any] = [0.5, 3, 2, 1, "relu", "same", (2, 1), (1,), (-1,), (3, 2), (1, 2, 3),
                   (1, 3, 2), True, False, (2, 2), (1, 1), ((1, 0), (0, 1)), (1, 2), 4, 0,
                   -1, "channels_first", "sum", "concat", "ave", "mul", "bilinear", "causal",
                   "tanh", "sigmoid", "he_normal", 0.1, 0.9, 1e-3, (0, 1), [-1, -2], -2]


def _validates(param: Any, value: Any) -> bool:
    try:
        param.validate(value)
    except (ShapeError, TypeError, ValueError):
        return False
    return True


def inner_layers() -> list[Layer]:
    """Layers offered to parameters that take a layer (wrappers)."""
    out: list[Layer] = []
    for name in ("LSTM", "GRU", "SimpleRNN", "Dense"):
        if name in LAYER_TYPES:
            out.append(LAYER_TYPES[name](3))
    return out


# Parameters that accept any JSON value (initializers, regularizers, constraints, …) get
# a value Keras understands for what their name says, or are left out.
OPEN_VALUES = {"initializer": "he_normal", "regularizer": "l2", "constraint": "non_neg"}


def candidates(param: Any) -> list[Any]:
    if _validates(param, {"any": [1]}):  # an open (JSON) parameter
        return [v for k, v in OPEN_VALUES.items() if param.name.endswith(k)]
    choices = [c for c in getattr(param, "choices", ()) or () if c is not None]
    pool = [*choices, *inner_layers(), *POOL]
    out: list[Any] = []
    for value in pool:
        if value not in out and _validates(param, value):
            out.append(value)
    return out


def is_valid(model_spec: dict[str, Any]) -> bool:
    try:
        return Model.from_spec(model_spec).analyze().error is None
    except ShapeError:
        return False


def _spec(layers: list[Layer], shape: tuple[int | None, ...], dtype: str,
          batch: int | None = None) -> dict[str, Any]:
    return {"input_shape": list(shape), "batch_size": batch, "input_dtype": dtype,
            "layers": [layer_to_spec(layer) for layer in layers]}


# Types whose required arguments no search over POOL finds (an equation, a function).
KNOWN_MINIMAL: dict[str, tuple[dict[str, Any], Any, str]] = {
    "EinsumDense": ({"equation": "ab,bc->ac", "output_shape": 4}, (3,), "float32"),
    "Lambda": ({"function": "lambda x: x", "output_shape": (3,)}, (3,), "float32"),
    "Rescaling": ({"scale": 0.5}, (3,), "float32"),
    "CategoryEncoding": ({"num_tokens": 4}, (3,), "int32"),
    "Discretization": ({"bin_boundaries": [0.0, 1.0]}, (3,), "float32"),
    "STFTSpectrogram": ({"frame_length": 4}, (16, 1), "float32"),
    "ConvLSTM3D": ({"filters": 2, "kernel_size": 1}, (2, 3, 3, 3, 1), "float32"),
    "RNN": ({"cell": {"type": "LSTMCell", "units": 2}}, (4, 3), "float32"),
    "Pipeline": ({"layers": [{"type": "Rescaling", "scale": 0.5}]}, (3,), "float32"),
}

# Never valid as a model's layer: cells run only inside RNN (see test_rnn_cells_keras.py);
# Keras refuses every model holding Equalization (so does shapewidget). The lookup and
# text layers need TensorFlow inside Keras (the keras extra installs it).
CELL_TYPES = {"SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells", "Equalization"}


def minimal_example(cls: type[Layer]) -> tuple[dict[str, Any], Any, str] | None:
    """(arguments, input shape, dtype) of a valid one-layer model with only the
    required arguments."""
    if cls.type_name() in KNOWN_MINIMAL:
        return KNOWN_MINIMAL[cls.type_name()]
    required = [p for p in cls.params if p.required]
    options = [candidates(p)[:4] for p in required]
    for shape, dtype in INPUTS:
        for values in itertools.islice(itertools.product(*options), 64):
            args = {p.name: v for p, v in zip(required, values, strict=True)}
            try:
                layer = cls(**args)
            except ShapeError:
                continue
            if is_valid(_spec([layer], shape, dtype)):
                return args, shape, dtype
    return None


def rich_example(cls: type[Layer], args: dict[str, Any], shape: Any,
                 dtype: str) -> dict[str, Any]:
    """The minimal example with a fixed batch and, one by one, every optional argument
    set to the first non-default value that keeps the model valid."""
    args = dict(args)
    for param in cls.all_params():
        if param.required:
            continue
        for value in candidates(param):
            if value == param.default:
                continue
            trial = {**args, param.name: value}
            try:
                layer = cls(**trial)
            except ShapeError:
                continue
            if is_valid(_spec([layer], shape, dtype, 4)):
                args = trial
                break
    return _spec([cls(**args)], shape, dtype, 4)


@cache
def example_specs() -> list[tuple[str, dict[str, Any]]]:
    """(id, spec) for every layer type: minimal and rich, plus a few multi-layer ones."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name, cls in LAYER_TYPES.items():
        if cls.takes_list or name in CELL_TYPES or getattr(cls, "separate_tensors", False):
            continue  # merge and attention layers need the functional API: see
            # test_merging_keras.py and test_attention_layers_keras.py
        found = minimal_example(cls)
        if found is None:
            continue
        args, shape, dtype = found
        out.append((f"{name}-minimal", _spec([cls(**args)], shape, dtype)))
        out.append((f"{name}-rich", rich_example(cls, args, shape, dtype)))
    out += [
        ("dense-classic", {"input_shape": [3], "batch_size": None, "input_dtype": "float32",
                           "layers": [{"type": "Dense", "units": 4, "activation": "relu"},
                                      {"type": "Dense", "units": 4, "name": "hidden",
                                       "kernel_regularizer": {"class_name": "L1L2", "config":
                                                              {"l1": 0.1, "l2": 0.2}},
                                       "bias_constraint": {"class_name": "MaxNorm",
                                                           "config": {"max_value": 2}},
                                       "bias_initializer": {"class_name": "HeNormal",
                                                            "config": {}}},
                                      {"type": "Dense", "units": 1, "trainable": False}]}),
        ("named-model", {"input_shape": [None, 4], "batch_size": 30, "input_dtype": "float32",
                         "name": "my_model",
                         "layers": [{"type": "Dense", "units": 2, "use_bias": False,
                                     "kernel_initializer": {"class_name": "RandomNormal",
                                                            "config": {"stddev": 0.1}}},
                                    {"type": "Flatten"}]}),
        ("embedding-int32", {"input_shape": [10], "batch_size": 2, "input_dtype": "int32",
                             "layers": [{"type": "Embedding", "input_dim": 50,
                                         "output_dim": 4},
                                        {"type": "LSTM", "units": 3}]}),
        ("cnn", {"input_shape": [28, 28, 1], "batch_size": None, "input_dtype": "float32",
                 "layers": [{"type": "Conv2D", "filters": 8, "kernel_size": 3,
                             "activation": "relu"},
                            {"type": "MaxPooling2D"}, {"type": "Conv2D", "filters": 4,
                                                       "kernel_size": [3, 3], "name": "c2"},
                            {"type": "Flatten"}, {"type": "Dropout", "rate": 0.2},
                            {"type": "Dense", "units": 10, "activation": "softmax"}]}),
        ("rnn", {"input_shape": [None], "batch_size": None, "input_dtype": "int32",
                 "layers": [{"type": "Embedding", "input_dim": 1000, "output_dim": 16},
                            {"type": "Bidirectional",
                             "layer": {"type": "LSTM", "units": 8, "return_sequences": True}},
                            {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}},
                            {"type": "GRU", "units": 4}, {"type": "Dense", "units": 1}]}),
        ("empty", {"input_shape": [3], "batch_size": None, "input_dtype": "float32",
                   "layers": []}),
    ]
    return out


def _uses_stateful(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value.get("stateful")) or any(_uses_stateful(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_stateful(v) for v in value)
    return False


def run_in_keras(code: str, stateful: bool) -> Any:
    """Run our own exported code in Keras and return its ``model``."""
    import keras

    keras.backend.clear_session(free_memory=False)
    namespace: dict[str, Any] = {}
    scope = (contextlib.nullcontext() if stateful
             else keras.StatelessScope(initialize_variables=False))
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), scope:
        warnings.simplefilter("ignore")
        exec(compile(code, "<exported>", "exec"), namespace)  # our generated code only
    return namespace["model"]


def keras_rows(model: Any) -> tuple[RefRow, ...]:
    import keras

    rows = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        rows.append(RefRow(
            layer.name, type(layer).__name__, tuple(layer.output.shape),
            tuple((w.name, tuple(w.shape), bool(w.trainable)) for w in layer.weights),
            sum(_size(w.shape) for w in layer.trainable_weights),
            sum(_size(w.shape) for w in layer.non_trainable_weights)))
    return tuple(rows)


def keras_input(model: Any) -> tuple[tuple[int | None, ...], str]:
    """(batch shape, dtype) of a Keras model's input, also for a Sequential model that
    holds only its InputLayer (not built)."""
    import keras

    first = getattr(model, "_layers", [None])[0]
    if isinstance(first, keras.layers.InputLayer):
        return tuple(first.batch_shape), str(first.dtype)
    tensor = model.inputs[0]
    return tuple(tensor.shape), str(tensor.dtype)


def _size(shape: Any) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def test_codegen_keras_examples_cover_every_layer_type() -> None:
    covered = {name.split("-")[0] for name, _ in example_specs()}
    assert {t for t, cls in LAYER_TYPES.items()
            if not cls.takes_list and t not in CELL_TYPES
            and not getattr(cls, "separate_tensors", False)} <= covered


@pytest.mark.parametrize("style", STYLES)
def test_codegen_keras_exported_code_gives_the_same_summary(style: str) -> None:
    failures = []
    for name, spec in example_specs():
        model = Model.from_spec(spec)
        ours = shapewidget_reference(spec)
        assert ours.error is None, f"{name}: example is not valid: {ours.error}"
        code = model.to_keras_code(style)
        try:
            kmodel = run_in_keras(code, _uses_stateful(spec))
        except Exception as err:  # Keras raises many kinds
            failures.append(f"{name}: Keras refused the code:\n{code}\n{err!r}")
            continue
        rows = keras_rows(kmodel)
        if rows != ours.rows:
            failures.append(f"{name}:\n{code}\n keras: {rows}\n ours: {ours.rows}")
            continue
        summary = model.summary()
        total = sum(_size(w.shape) for w in kmodel.weights)
        if total != summary.total_params:
            failures.append(f"{name}: total {total} != {summary.total_params}")
        if keras_input(kmodel) != (model.batch_input_shape, model.input_dtype):
            failures.append(f"{name}: input {keras_input(kmodel)}")
    assert not failures, "\n\n".join(failures)
