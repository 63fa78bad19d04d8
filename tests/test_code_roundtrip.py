"""Property: exporting a model as Keras code and reading the code back gives the same
spec, in every style. Models are generated from the catalogue's own ``params``
declarations (whatever ``LAYER_TYPES`` holds when the tests run), valid or not."""

from __future__ import annotations

import ast
import keyword
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_codegen_functional import random_graph_spec

from shapewidget import Model, ShapeError
from shapewidget.codegen import STYLES
from shapewidget.codeparse import from_keras_code
from shapewidget.layers import LAYER_TYPES, Layer
from shapewidget.layers.shared import SharedLayer
from shapewidget.params import (
    BoolParam,
    FloatParam,
    IntParam,
    IntTupleParam,
    NumberParam,
    Param,
)

# Text without control characters (see the final report: to_code writes "\n" as is).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-100, 100) | FINITE | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6)
POOL: list[Any] = [0, 1, 2, 3, -1, 0.5, (1,), (2, 1), (1, 2, 3), (-1,), (2, -1), (1, 1),
                   ((1, 0), (0, 1)), "same", "valid", "relu", True, False, None, [0, 1]]
TYPES = sorted(LAYER_TYPES)


def validates(param: Param, value: Any) -> bool:
    try:
        param.validate(value)
    except (ShapeError, TypeError, ValueError):
        return False
    return True


def takes_layers(param: Param) -> bool:
    return validates(param, LAYER_TYPES["Dense"](1)) and not validates(param, {"x": [1]})


_STRATEGIES: dict[tuple[int, int], st.SearchStrategy[Any] | None] = {}


def value_strategy(param: Param, depth: int) -> st.SearchStrategy[Any] | None:
    """Values for one declared parameter, from its kind; ``None`` if none can be made."""
    key = (id(param), depth)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = _value_strategy(param, depth)
    return _STRATEGIES[key]


def _value_strategy(param: Param, depth: int) -> st.SearchStrategy[Any] | None:
    if takes_layers(param):
        return None if depth > 0 else layer_strategy(depth + 1)
    if validates(param, [LAYER_TYPES["Dense"](1)]):  # a list of layers (Pipeline)
        return None if depth > 0 else st.lists(layer_strategy(depth + 1), min_size=1,
                                                max_size=2).filter(lambda v: validates(param, v))
    strategy: st.SearchStrategy[Any]
    if isinstance(param, BoolParam):
        strategy = st.booleans()
    elif getattr(param, "choices", None):
        strategy = st.sampled_from(param.choices)  # type: ignore[attr-defined]
    elif isinstance(param, IntParam):
        low = param.min if param.min is not None else -5
        strategy = st.integers(low, param.max if param.max is not None else low + 20)
        if param.allow_none:
            strategy = strategy | st.none()
    elif isinstance(param, FloatParam):
        strategy = st.floats(param.min, param.max)
    elif isinstance(param, NumberParam):
        strategy = FINITE | st.integers(-10, 10)
    elif isinstance(param, IntTupleParam):
        item = st.integers(param.min, param.min + 5)
        strategy = item | st.tuples(*[item] * param.rank)
    elif validates(param, {"x": [1]}):  # open: any JSON value
        strategy = JSON
    else:
        pool = [v for v in POOL if validates(param, v)]
        if not pool:
            return None
        strategy = st.sampled_from(pool)
    return strategy.filter(lambda v: validates(param, v))


@st.composite
def layer_strategy(draw: st.DrawFn, depth: int = 0) -> Layer:
    cls = LAYER_TYPES[draw(st.sampled_from(TYPES))]
    required: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    for param in cls.all_params():
        values = value_strategy(param, depth)
        if values is None:
            assume(not param.required)
            continue
        if param.required:
            required[param.name] = draw(values)
        elif draw(st.integers(0, 3)) == 0:
            optional[param.name] = draw(values)
    name = draw(st.none() | TEXT)
    for args in ({**required, **optional}, required):  # cross-argument checks may refuse
        try:
            return cls(name=name, **args)
        except ShapeError:
            continue
    assume(False)
    raise AssertionError("unreachable")


@st.composite
def models(draw: st.DrawFn) -> Model:
    shape = draw(st.lists(st.none() | st.integers(0, 12), max_size=4))
    return Model(draw(st.lists(layer_strategy(), max_size=4)), input_shape=shape,
                 batch_size=draw(st.none() | st.integers(1, 64)),
                 input_dtype=draw(st.sampled_from(["float32", "int32"])),
                 name=draw(st.just("sequential") | TEXT.filter(lambda s: "/" not in s)))


@pytest.mark.parametrize("style", STYLES)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(model=models())
def test_code_roundtrip_export_then_import_gives_the_same_spec(style: str,
                                                               model: Model) -> None:
    code = model.to_keras_code(style)
    assert from_keras_code(code).to_spec() == model.to_spec(), code


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.filter_too_much])
@given(model=models())
def test_code_roundtrip_exported_code_is_python(model: Model) -> None:
    for style in STYLES:
        ast.parse(model.to_keras_code(style))


def test_code_roundtrip_generator_reaches_every_layer_type() -> None:
    """Each layer type's declared parameters can produce at least one layer."""
    for name in TYPES:
        cls = LAYER_TYPES[name]
        for param in cls.params:
            if param.required:
                assert value_strategy(param, 0) is not None, f"{name}.{param.name}"


# --- functional graphs ------------------------------------------------------------------

NAME = TEXT.filter(lambda s: "/" not in s)
IDENTIFIER = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s not in ("inputs", "model", "layers", "keras", "tf", "np")
    and not keyword.iskeyword(s))


@st.composite
def graphs(draw: st.DrawFn) -> Model:
    """A functional model with every name given: 1–3 inputs, catalogue layers (valid or
    not) each called on 1–3 earlier tensors, shared calls of earlier layers, and the
    outputs marked (every tensor no layer uses, and maybe more)."""
    count = draw(st.integers(1, 3))
    names = draw(st.lists(NAME, min_size=count + 6, max_size=count + 6, unique=True))
    shared_names = draw(st.lists(IDENTIFIER, min_size=6, max_size=6, unique=True))
    shared_names = [n for n in shared_names if n not in names]
    inputs = [{"name": names[k], "shape": draw(st.lists(st.none() | st.integers(0, 9),
                                                        max_size=3)),
               "batch_size": draw(st.none() | st.integers(1, 8)),
               "dtype": draw(st.sampled_from(["float32", "int32"]))} for k in range(count)]
    tensors = [names[k] for k in range(count)]
    layers: list[Layer] = []
    regular: list[str] = []
    for k in range(draw(st.integers(0, 6))):
        inbound = tuple(draw(st.lists(st.sampled_from(tensors), min_size=1, max_size=3)))
        if regular and shared_names and draw(st.integers(0, 3)) == 0:
            name = shared_names.pop()
            layers.append(SharedLayer(draw(st.sampled_from(regular)),
                                      name=draw(st.none() | st.just(name)), inbound=inbound))
        else:
            layer = draw(layer_strategy()).renamed(names[count + k])
            regular.append(names[count + k])
            layers.append(layer.connected(inbound))
    model = Model(layers, inputs=inputs)
    entry_names = model.layer_names
    used = {t for layer in layers for t in layer.inbound or ()}
    dangling = [n for n in entry_names if n not in used]
    extra = draw(st.lists(st.sampled_from(tensors + entry_names), max_size=2)) \
        if layers else []
    outputs = list(dict.fromkeys(dangling + extra)) or tensors[:1]
    model.outputs = draw(st.permutations(outputs))
    model.name = draw(st.just("sequential") | NAME)
    return model


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(model=graphs())
def test_code_roundtrip_functional_graph_export_then_import(model: Model) -> None:
    code = model.to_keras_code("functional")
    assert from_keras_code(code).to_spec() == model.to_spec(), code


def test_code_roundtrip_functional_generated_valid_graphs() -> None:
    rng = random.Random(3)
    for _ in range(80):
        for names in (True, False):
            model = Model.from_spec(random_graph_spec(rng, names))
            if not model.outputs:  # the code names them: read back as marked outputs
                model.outputs = list(model.summary().outputs)
            code = model.to_keras_code("functional")
            back = from_keras_code(code)
            if back.functional:
                assert back == model, code
            else:  # one unnamed input, a chain: read as the Sequential model it is
                assert back.summary().rows == model.summary().rows, code


def test_code_roundtrip_functional_default_outputs_keep_the_summary() -> None:
    model = Model.from_spec({"inputs": [{"name": "x", "shape": [4]}],
                             "layers": [{"type": "Dense", "units": 2, "inbound": ["x"]},
                                        {"type": "Dense", "units": 3, "inbound": ["x"]}]})
    back = from_keras_code(model.to_keras_code("functional"))
    assert back.outputs == ["dense", "dense_1"]
    assert back.summary().rows == model.summary().rows
