"""The JSON spec: round trips (hypothesis) and the messages for a bad spec.

Canonical specs — tuples written as lists, only the arguments given, ``name`` only when
not the default — are generated from the layer catalogue's own parameter declarations,
so every layer type and argument in :data:`LAYER_TYPES` is covered as it lands.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shapewidget import Model, ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.params import (
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    IntTupleParam,
    JsonParam,
    Param,
)
from shapewidget.spec import layer_from_spec

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])

JSON_SCALARS = st.none() | st.booleans() | st.integers(-5, 100) | st.text(max_size=8) | \
    st.floats(-10, 10, allow_nan=False)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


def is_layer_param(param: Param) -> bool:
    return type(param).__name__ == "LayerParam"


def accepts(param: Param, value: Any) -> bool:
    try:
        param.validate(value)
    except ShapeError:
        return False
    return True


def ints(param: Param) -> st.SearchStrategy[int]:
    lo = getattr(param, "min", None)
    hi = getattr(param, "max", None)
    lo = -3 if lo is None else int(lo)
    return st.integers(lo, lo + 12 if hi is None else min(int(hi), lo + 12))


_SMALL = list(range(-1, 7))
PROBES: list[Any] = [
    *_SMALL, None, True, False, 0.0, 0.5, 1.5, -0.5, "a", "relu", "same",
    *([n] * k for n in (1, 2, 3) for k in (1, 2, 3, 4)), [1, 2], [2, 1, 3], [3, 1, 2, 4],
    [-1, 4], [4, -1], [None, 4], [2, 2, 1], [[1, 2], [0, 1]], [[0, 0], [2, 2]], [1, [0, 2]],
    [0, 1], [1, 0], [-1], [1, 2, 3],
]


def probes(param: Param) -> st.SearchStrategy[Any]:
    """The fixed probe values a declaration accepts (for kinds this file does not know)."""
    accepted = [v for v in PROBES if accepts(param, v)]
    return st.sampled_from(accepted) if accepted else st.nothing()


def candidates(param: Param) -> st.SearchStrategy[Any]:
    """JSON values (lists, never tuples) a declaration accepts."""
    if isinstance(param, ChoiceParam):
        choices = [c for c in param.choices if accepts(param, c)]
        return st.sampled_from(choices) if choices else probes(param)
    if isinstance(param, BoolParam):
        return st.sampled_from([v for v in (False, True) if accepts(param, v)])
    if isinstance(param, IntParam):
        base: st.SearchStrategy[Any] = ints(param)
    elif isinstance(param, FloatParam):
        lo, hi = param.min, param.max
        if not (math.isfinite(lo) and math.isfinite(hi)):
            lo, hi = max(lo, -2.0), min(hi, 2.0)
        base = st.floats(lo, hi, allow_nan=False) | st.sampled_from([lo, hi])
    elif isinstance(param, IntTupleParam):
        base = ints(param) | st.lists(ints(param), min_size=param.rank, max_size=param.rank)
    elif isinstance(param, JsonParam):
        base = JSON
    else:
        return probes(param)
    return base.filter(lambda v: accepts(param, v))


@functools.cache
def minimal_spec(type_name: str) -> dict[str, Any] | None:
    """The type with its required arguments only (values found by trying), or None."""
    cls = LAYER_TYPES[type_name]
    spec: dict[str, Any] = {"type": type_name}
    tries: list[Any] = [1, 2, 4, [1], [2, 2], [1, 2], "relu", 0.5, True, None]
    for param in cls.params:
        if not param.required:
            continue
        if is_layer_param(param):
            return None
        choices = list(getattr(param, "choices", ())) or tries
        for value in choices:
            if accepts(param, value) and builds({**spec, param.name: value}, cls):
                spec[param.name] = value
                break
        else:
            return None
    return spec if builds(spec, cls) else None


def builds(spec: dict[str, Any], cls: type[Any]) -> bool:
    """Does the spec construct, counting only its given required arguments?"""
    missing = [p.name for p in cls.params if p.required and p.name not in spec]
    try:
        layer_from_spec(spec)
    except ShapeError as err:
        return err.argument in missing
    return True


SIMPLE_TYPES = [t for t, cls in LAYER_TYPES.items()
                if not any(is_layer_param(p) for p in cls.params)]


@functools.cache
def inner_types(wrapper: str, param: Param) -> list[str]:
    """The simple types a wrapper takes (tried on each type's minimal spec)."""
    out = []
    for type_name in SIMPLE_TYPES:
        inner = minimal_spec(type_name)
        if inner is None:
            continue
        try:
            layer_from_spec({"type": wrapper, param.name: dict(inner)})
        except ShapeError:
            continue
        out.append(type_name)
    return out


@st.composite
def layer_specs(draw: st.DrawFn, types: list[str] | None = None,
                depth: int = 0) -> dict[str, Any]:
    """A canonical layer spec of a catalogue type, with some of its arguments."""
    type_name = draw(st.sampled_from(types or sorted(LAYER_TYPES)))
    cls = LAYER_TYPES[type_name]
    spec: dict[str, Any] = {"type": type_name}
    if draw(st.booleans()) and draw(st.booleans()):
        spec["name"] = draw(st.text(st.characters(categories=["L", "N"]) | st.just("_"),
                                    min_size=1, max_size=10))
    for param in cls.all_params():
        if not (param.required or draw(st.integers(0, 3)) == 0):
            continue
        if is_layer_param(param):
            if depth > 0:
                assume(not param.required)
                continue
            options = inner_types(type_name, param)
            assume(options or not param.required)
            if options:
                spec[param.name] = draw(layer_specs(options, depth + 1))
            continue
        spec[param.name] = draw(candidates(param))
    try:
        layer_from_spec(spec)
    except ShapeError:
        assume(False)  # a combination the constructor refuses (e.g. strides with dilation)
    return spec


@st.composite
def model_specs(draw: st.DrawFn) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "input_shape": draw(st.lists(st.integers(1, 64) | st.none(), max_size=4)),
        "batch_size": draw(st.none() | st.integers(1, 64)),
        "input_dtype": draw(st.sampled_from(["float32", "int32"])),
        "layers": draw(st.lists(layer_specs(), max_size=4)),
    }
    if draw(st.booleans()):
        spec["name"] = draw(st.text(min_size=1, max_size=8).filter(lambda s: s != "sequential" and "/" not in s))
    return spec


Flip = Callable[[st.SearchStrategy[bool]], bool]


def loosen(value: Any, flip: Flip) -> Any:
    """The same value written another accepted way: lists as tuples, now and then."""
    if isinstance(value, dict):
        return {k: loosen(v, flip) for k, v in value.items()}
    if isinstance(value, list):
        items = [loosen(v, flip) for v in value]
        return tuple(items) if flip(st.booleans()) else items
    return value


def loosen_model(spec: dict[str, Any], flip: Flip) -> dict[str, Any]:
    """Tuples for the input shape and inside layer arguments (``layers`` stays a list)."""
    return {**spec, "input_shape": loosen(spec["input_shape"], flip),
            "layers": [loosen(layer, flip) for layer in spec["layers"]]}


# --- round trips --------------------------------------------------------------------------
@SETTINGS
@given(model_specs())
def test_spec_canonical_round_trips_exactly(spec: dict[str, Any]) -> None:
    assert Model.from_spec(spec).to_spec() == spec


@SETTINGS
@given(model_specs(), st.data())
def test_spec_to_spec_is_stable(spec: dict[str, Any], data: st.DataObject) -> None:
    loose = loosen_model(spec, data.draw)
    first = Model.from_spec(loose).to_spec()
    assert Model.from_spec(first).to_spec() == first


@SETTINGS
@given(model_specs())
def test_spec_survives_json(spec: dict[str, Any]) -> None:
    out = Model.from_spec(spec).to_spec()
    text = json.dumps(out)
    assert json.loads(text) == out
    assert Model.from_spec(json.loads(text)) == Model.from_spec(spec)


@SETTINGS
@given(layer_specs())
def test_layer_spec_copy_is_equal_model(layer: dict[str, Any]) -> None:
    model = Model([layer], input_shape=(4,))
    assert model.copy() == model


def test_spec_input_dim_becomes_input_shape() -> None:
    spec = Model.from_spec({"input_dim": 3, "layers": []}).to_spec()
    assert spec["input_shape"] == [3]


def test_spec_batch_shape_becomes_input_shape_and_batch_size() -> None:
    spec = Model.from_spec({"batch_shape": [30, 4, None], "layers": []}).to_spec()
    assert (spec["input_shape"], spec["batch_size"]) == ([4, None], 30)


def test_spec_int_kept_where_keras_accepts_int() -> None:
    layer = {"type": "Conv2D", "filters": 2, "kernel_size": 3}
    spec = Model.from_spec({"input_shape": [5, 5, 1], "layers": [layer]}).to_spec()
    assert spec["layers"] == [layer]


def test_spec_wrapped_layer_nests_under_layer() -> None:
    layer = {"type": "Bidirectional", "merge_mode": "sum",
             "layer": {"type": "LSTM", "units": 16, "return_sequences": True}}
    spec = Model.from_spec({"input_shape": [5, 2], "layers": [layer]}).to_spec()
    assert spec["layers"] == [layer]


def test_spec_issue_example_round_trips() -> None:
    spec = {"input_shape": [50, 50, 3], "batch_size": None, "input_dtype": "float32",
            "layers": [{"type": "Conv2D", "filters": 8, "kernel_size": [3, 3],
                        "strides": [1, 1], "padding": "valid",
                        "data_format": "channels_last"},
                       {"type": "Reshape", "target_shape": [48, 384]},
                       {"type": "Bidirectional", "merge_mode": "concat",
                        "layer": {"type": "LSTM", "units": 16, "return_sequences": True}},
                       {"type": "Flatten"},
                       {"type": "Dense", "units": 10, "activation": "softmax"}]}
    model = Model.from_spec(spec)
    assert model.to_spec() == spec
    assert model.summary().output_shape == (None, 10)


# --- errors ---------------------------------------------------------------------------------
def model_error(layers: list[Any], **model: Any) -> ShapeError:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [4], **model, "layers": layers})
    return info.value


def test_spec_unknown_type_names_layer_index() -> None:
    err = model_error([{"type": "Dense", "units": 2}, {"type": "Dense2"}])
    assert err.layer_index == 1
    assert "Layer 1" in str(err)


def test_spec_unknown_type_suggests_close_name() -> None:
    err = model_error([{"type": "Conv2d", "filters": 2, "kernel_size": 1}])
    assert err.argument == "type"
    assert "'Conv2d'" in str(err)
    assert '"Conv2D"' in str(err)


def test_spec_unknown_argument_names_argument() -> None:
    err = model_error([{"type": "Dense", "units": 2}, {"type": "Dense", "unit": 2}])
    assert (err.layer_index, err.argument) == (1, "unit")
    assert "Dense has no argument `unit`" in str(err)


def test_spec_unknown_argument_suggests_close_name() -> None:
    err = model_error([{"type": "Dense", "units": 2, "activaton": "relu"}])
    assert "did you mean `activation`?" in str(err)


def test_spec_wrong_kind_says_expected_and_received() -> None:
    err = model_error([{"type": "Dense", "units": "4"}])
    assert (err.layer_index, err.argument) == (0, "units")
    assert "expected an integer >= 1" in str(err)
    assert "received '4' (str)" in str(err)


def test_spec_wrong_kind_bool_as_string_suggests_unquoted() -> None:
    err = model_error([{"type": "Dense", "units": 4, "use_bias": "false"}])
    assert err.argument == "use_bias"
    assert "False" in str(err)


def test_spec_wrong_tuple_length_says_expected_rank() -> None:
    err = model_error([{"type": "Conv2D", "filters": 2, "kernel_size": [3, 3, 3]}],
                      input_shape=[5, 5, 1])
    assert err.argument == "kernel_size"
    assert "tuple of 2" in str(err)
    assert "[3, 3, 3]" in str(err)


def test_spec_missing_required_argument_named() -> None:
    err = model_error([{"type": "Dense"}])
    assert (err.layer_index, err.argument) == (0, "units")
    assert "required" in str(err)


def test_spec_missing_type_says_what_a_layer_needs() -> None:
    err = model_error([{"units": 4}])
    assert err.layer_index == 0
    assert '"type"' in str(err)


def test_spec_layer_not_object_rejected() -> None:
    err = model_error(["Dense"])
    assert err.layer_index == 0
    assert "dict" in str(err)


def test_spec_layers_not_list_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [4], "layers": {"type": "Dense"}})
    assert info.value.argument == "layers"


def test_spec_unknown_model_key_named() -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [4], "layers": [], "inputshape": [4]})
    assert info.value.argument == "inputshape"
    assert "input_shape" in str(info.value)


def test_spec_not_object_rejected() -> None:
    with pytest.raises(ShapeError, match="dict"):
        Model.from_spec([{"type": "Dense", "units": 2}])


def test_spec_wrapped_layer_error_names_inner_argument() -> None:
    err = model_error([{"type": "Bidirectional", "layer": {"type": "LSTM", "units": "x"}}],
                      input_shape=[5, 2])
    assert err.layer_index == 0
    assert err.argument is not None and "units" in err.argument
