"""Hostile and extreme input to the engine's public API: the answer is a ShapeError or a
result, never another exception (issue 11, item 2).

Covered: wrappers nested past the stated limit (``params.MAX_DEPTH``), a graph listed
against its dependency order, a shared call inside a wrapper, a model left with an output
it no longer has, integers past int64 and past Python's 4,300-digit text limit, names of
zero-width or format characters and lone surrogates; then a bounded hypothesis fuzz over
specs checking every public method.
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapewidget import Model
from shapewidget.errors import ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.params import MAX_DEPTH, MAX_SIZE, describe
from shapewidget.summary import format_bytes


def nested(levels: int, inner: dict[str, Any] | None = None) -> dict[str, Any]:
    """``levels`` TimeDistributed wrappers around a Dense(2) (or ``inner``)."""
    spec: dict[str, Any] = inner or {"type": "Dense", "units": 2}
    for _ in range(levels):
        spec = {"type": "TimeDistributed", "layer": spec}
    return spec


def every_output(model: Model) -> list[Any]:
    """Every display and export of a model that has no error."""
    out: list[Any] = [repr(model), str(model), model.to_spec(), model.layer_names,
                      model.to_keras_code("functional"), model.notes(), model.notes("ja")]
    out.append(json.dumps(model.to_spec(), ensure_ascii=False).encode("utf-8"))
    for style in ("sequential", "legacy"):
        with suppress(ShapeError):
            out.append(model.to_keras_code(style))
    summary = model.analyze()
    out.append(summary.to_text("en"))
    out.append(summary.to_text("ja"))
    if summary.error is None:
        out += [model.explain(i) for i in range(len(summary))]
        out += [model.explain(i, "ja") for i in range(len(summary))]
    else:
        out.append(summary.error.message("ja"))
    for item in out:
        str(item).encode("utf-8")  # every text can be written out
    return out


@contextmanager
def stack_budget(frames: int) -> Iterator[None]:
    """Run with only ``frames`` Python frames to spare (a notebook's stack is deeper)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# --- nesting -------------------------------------------------------------------------------
def test_from_spec_wrappers_nested_331_deep_refused_with_limit() -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [2, 2, 2], "layers": [nested(331)]})
    assert f"more than {MAX_DEPTH} levels" in str(info.value)
    assert info.value.argument == "layer"


def test_layer_objects_nested_past_limit_refused() -> None:
    layer = LAYER_TYPES["Dense"](2)
    with pytest.raises(ShapeError, match=f"more than {MAX_DEPTH}"):
        for _ in range(MAX_DEPTH + 5):
            layer = LAYER_TYPES["TimeDistributed"](layer)


def test_model_nested_at_limit_every_output_within_400_frames() -> None:
    # The deepest valid model: 62 TimeDistributed around Dense need 63 axes (+ batch).
    spec = {"input_shape": [1] * 63, "layers": [nested(MAX_DEPTH - 2)]}
    with stack_budget(400):
        model = Model.from_spec(spec)
        every_output(model)
        assert model.summary()[0].output_shape == (None, *[1] * 62, 2)


def test_json_argument_nested_deeply_refused() -> None:
    value: Any = 1
    for _ in range(5000):
        value = [value]
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [3], "layers": [
            {"type": "Dense", "units": 2, "kernel_initializer": {"class_name": "Zeros",
                                                                  "config": {"x": value}}}]})
    assert info.value.argument == "kernel_initializer"


def test_describe_deep_and_huge_values_never_fails() -> None:
    value: Any = 10**5000
    for _ in range(5000):
        value = [value]
    assert describe(value).endswith("(list)")
    assert "about 10^5000" in describe(10**5000)


# --- graphs --------------------------------------------------------------------------------
def test_analyze_1500_entries_listed_against_dependency_order() -> None:
    count = 1500
    layers = [{"type": "Dense", "units": 2, "name": f"d{i}",
               "inbound": [f"d{i - 1}" if i else "x"]} for i in range(count)]
    model = Model.from_spec({"inputs": [{"name": "x", "shape": [3]}],
                             "layers": layers[::-1]})
    summary = model.analyze()
    assert summary.error is None
    assert len(summary) == count
    assert summary.outputs == (f"d{count - 1}",)


def test_analyze_1500_entry_cycle_reported() -> None:
    count = 1500
    layers = [{"type": "Dense", "units": 2, "name": f"d{i}",
               "inbound": [f"d{(i - 1) % count}"]} for i in range(count)]
    model = Model.from_spec({"inputs": [{"name": "x", "shape": [2]}], "layers": layers})
    error = model.analyze().error
    assert error is not None and "cycle" in str(error)


def test_from_spec_shared_call_inside_wrapper_refused() -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [2, 3],
                         "layers": [{"type": "TimeDistributed", "layer": {"shares": "x"}}]})
    assert info.value.argument == "layer"
    assert "shares" in str(info.value)


def only_output_removed(count: int) -> Model:
    layers = [{"type": "Dense", "units": 2, "name": n} for n in ("d", "e")[:count]]
    model = Model.from_spec({"inputs": [{"name": "x", "shape": [2]}], "layers": layers,
                             "outputs": [layers[-1]["name"]]})
    model.remove(count - 1)
    return model


def test_code_after_removing_the_only_output_layer_is_shape_error() -> None:
    model = only_output_removed(1)
    with pytest.raises(ShapeError) as info:
        model.to_keras_code("sequential")
    assert "its output is 'd', not its input 'x'" in str(info.value)
    assert "outputs=unknown_tensor" in model.to_keras_code("functional")


def test_code_after_removing_output_of_two_names_both_tensors() -> None:
    with pytest.raises(ShapeError) as info:
        only_output_removed(2).to_keras_code("sequential")
    assert "its output is 'e', not the last layer 'd'" in str(info.value)


# --- huge integers -------------------------------------------------------------------------
@pytest.mark.parametrize("units", [MAX_SIZE + 1, 10**400, 10**4400],
                         ids=["2**63", "10**400", "10**4400"])
def test_dense_units_beyond_int64_refused(units: int) -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [2], "layers": [{"type": "Dense", "units": units}]})
    assert info.value.argument == "units"
    assert "2**63 - 1" in str(info.value)


def test_negative_4400_digit_value_described() -> None:
    with pytest.raises(ShapeError, match="about 10\\^4400"):
        Model.from_spec({"input_shape": [2], "layers": [{"type": "Dense",
                                                         "units": -10**4400}]})


@pytest.mark.parametrize("key,value", [("input_shape", [10**30]), ("input_shape", [2**63]),
                                       ("batch_size", 10**5000), ("input_dim", 10**400)],
                         ids=["1e30", "2**63", "batch", "dim"])
def test_input_sizes_beyond_int64_refused(key: str, value: Any) -> None:
    spec: dict[str, Any] = {"input_shape": [3], "layers": []}
    if key == "input_dim":
        del spec["input_shape"]
    spec[key] = value
    with pytest.raises(ShapeError) as info:
        Model.from_spec(spec)
    assert info.value.argument == key


def test_input_with_more_than_64_axes_refused() -> None:
    with pytest.raises(ShapeError, match="at most 64 axes"):
        Model(input_shape=(1,) * 65)


def test_output_axis_growing_past_int64_refused_at_that_layer() -> None:
    model = Model.from_spec({"input_shape": [2**40, 2**40], "layers": [
        {"type": "Dense", "units": 2**40}, {"type": "Flatten"}]})
    error = model.analyze().error
    assert error is not None and error.layer_index == 1
    assert "2**63 - 1" in str(error)
    every_output(model)


def test_json_argument_with_huge_int_refused() -> None:
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [3], "layers": [
            {"type": "Dense", "units": 2, "kernel_initializer": {
                "class_name": "RandomNormal", "config": {"seed": 10**5000}}}]})
    assert info.value.argument == "kernel_initializer"


def test_format_bytes_of_any_size() -> None:
    assert format_bytes(164) == "164.00 B"
    assert format_bytes(4 * 2**200).endswith(" GB")
    assert format_bytes(10**5000).startswith("about 10^")


def test_summary_of_huge_but_valid_model_prints() -> None:
    big = 2**62
    model = Model.from_spec({"input_shape": [big], "layers": [{"type": "Dense",
                                                               "units": big}]})
    text = str(model)
    assert f"{big * big + big:,}" in text


# --- names ---------------------------------------------------------------------------------
HOSTILE_NAMES = ["\u200b", "\u00ad", "\ufeff", "\u200b\u200b", "\u202e", " ", "a\u0301",
                 "\U0001f600", "\x00", "\n", "'\"\\", "def", "1x"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_layer_named_with_format_characters_every_output(name: str) -> None:
    model = Model.from_spec({"input_shape": [2], "layers": [
        {"type": "Dense", "units": 3, "name": name}, {"type": "Dense", "units": 1}]})
    assert model.layer_names[0] == name
    every_output(model)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_input_and_model_named_with_format_characters_every_output(name: str) -> None:
    model = Model.from_spec({"inputs": [{"name": name, "shape": [2]}], "name": name,
                             "layers": [{"type": "Dense", "units": 3}]})
    every_output(model)


@pytest.mark.parametrize("where", ["layer", "wrapped", "input", "model"])
def test_lone_surrogate_name_refused(where: str) -> None:
    bad = json.loads('"a\\ud800"')
    spec: dict[str, Any] = {"input_shape": [2, 2], "layers": [{"type": "Dense", "units": 3}]}
    if where == "layer":
        spec["layers"][0]["name"] = bad
    elif where == "wrapped":
        spec["layers"] = [{"type": "TimeDistributed", "layer": {"type": "Dense", "units": 3,
                                                                 "name": bad}}]
    elif where == "input":
        spec = {"inputs": [{"name": bad, "shape": [2]}], "layers": spec["layers"]}
    else:
        spec["name"] = bad
    with pytest.raises(ShapeError) as info:
        Model.from_spec(spec)
    message = str(info.value)
    message.encode("utf-8")
    assert "surrogate" in message
    assert "\\ud800" in message


def test_wrapped_layer_with_slash_in_name_refused_as_keras() -> None:
    # Keras: TimeDistributed(Dense(2, name="a/b")) fails in Dense's constructor.
    with pytest.raises(ShapeError) as info:
        Model.from_spec({"input_shape": [2, 3], "layers": [
            {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 2,
                                                  "name": "a/b"}}]})
    assert (info.value.layer_type, info.value.argument) == ("TimeDistributed", "layer.name")
    assert '"/"' in str(info.value)


# --- fuzz ----------------------------------------------------------------------------------
TYPES = sorted(LAYER_TYPES)
NAMES = st.sampled_from([*HOSTILE_NAMES, "a/b", "\ud800", "", "dense", "input_layer", "x"])



def huge(k: int) -> int:
    """Integers past int64 and past 4,300 digits (a strategy must not hold one: hypothesis
    prints its strategies)."""
    return [2**63 - 1, 2**63, 10**400, 10**4400, -10**4400][k]


HUGE_INTS = st.integers(0, 4).map(huge)
LEAVES = (st.none() | st.booleans() | st.integers(-3, 8) | HUGE_INTS
          | st.floats(allow_nan=True, allow_infinity=True)
          | st.sampled_from(["relu", "same", "valid", "channels_first", "3", "True"])
          | NAMES)
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(["type", "units", "a"]), inner,
                                        max_size=3), max_leaves=8)


@st.composite
def layer_specs(draw: st.DrawFn, depth: int = 0) -> Any:
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return draw(VALUES)  # not a layer at all
    if kind == 1:
        return {"shares": draw(NAMES | VALUES)}
    if kind in (2, 3) and depth < 3:
        wrapper = draw(st.sampled_from(["TimeDistributed", "Bidirectional"]))
        if draw(st.booleans()):
            return nested(draw(st.sampled_from([MAX_DEPTH - 1, MAX_DEPTH, 70])))
        return {"type": wrapper, "layer": draw(layer_specs(depth + 1))}
    type_name = draw(st.sampled_from(TYPES))
    cls = LAYER_TYPES[type_name]
    spec: dict[str, Any] = {"type": type_name}
    plausible = st.integers(1, 3) | st.just(True)  # often valid, so that models build
    for param in cls.params:
        if param.required:
            spec[param.name] = draw(plausible | VALUES)
    for param in draw(st.lists(st.sampled_from(cls.all_params()), max_size=1,
                               unique_by=lambda p: p.name)):
        spec[param.name] = draw(VALUES)
    if draw(st.integers(0, 2)) == 0:
        spec["name"] = draw(NAMES)
    if draw(st.integers(0, 4)) == 0:
        spec["inbound"] = draw(st.lists(NAMES, max_size=2) | VALUES)
    return spec


@st.composite
def model_specs(draw: st.DrawFn) -> Any:
    spec: dict[str, Any] = {"layers": draw(st.lists(layer_specs(), max_size=4))}
    sizes = st.none() | st.integers(-1, 5) | HUGE_INTS
    if draw(st.booleans()):
        spec["inputs"] = draw(st.lists(st.fixed_dictionaries(
            {"shape": st.lists(sizes, max_size=4)},
            optional={"name": NAMES, "dtype": st.sampled_from(["int64", "bool", "x"])}),
            max_size=2) | VALUES)
        if draw(st.booleans()):
            spec["outputs"] = draw(st.lists(NAMES, max_size=2) | VALUES)
    else:
        spec["input_shape"] = draw(st.lists(st.integers(1, 4), max_size=4)
                                   | st.lists(sizes, max_size=4) | VALUES)
    if draw(st.integers(0, 4)) == 0:
        spec["name"] = draw(NAMES | VALUES)
    return spec


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(model_specs())
def test_public_api_on_random_hostile_specs_raises_only_shape_error(spec: Any) -> None:
    only_shape_error(spec)


def only_shape_error(spec: Any) -> None:
    """Build ``spec``; a model that builds answers every public method (or ShapeError)."""
    try:
        model = Model.from_spec(spec)
    except ShapeError:
        return
    model.analyze()  # never raises
    with stack_budget(600):
        every_output(model)
    if model.layers:
        try:
            model.remove(0)
            every_output(model)
        except ShapeError:
            pass


BASES: list[dict[str, Any]] = [
    {"input_shape": [6, 5], "layers": [
        {"type": "Conv1D", "filters": 2, "kernel_size": 3},
        {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 3}},
        {"type": "Bidirectional", "layer": {"type": "LSTM", "units": 2}},
        {"type": "Dense", "units": 2}]},
    {"inputs": [{"name": "a", "shape": [4]}, {"name": "b", "shape": [4]}], "layers": [
        {"type": "Dense", "units": 4, "name": "p", "inbound": ["a"]},
        {"name": "q", "shares": "p", "inbound": ["b"]},
        {"type": "Add", "name": "s", "inbound": ["p", "q"]},
        {"type": "BatchNormalization", "name": "n", "inbound": ["s"]}],
     "outputs": ["n"]},
]


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    """A valid model with one hostile change: a name, an argument, or a wrapper nest."""
    spec = json.loads(json.dumps(draw(st.sampled_from(BASES))))
    layer = draw(st.sampled_from(spec["layers"]))
    change = draw(st.integers(0, 3))
    if change == 0:
        layer["name"] = draw(NAMES)
    elif change == 1 and "type" in layer:
        param = draw(st.sampled_from(LAYER_TYPES[layer["type"]].all_params()))
        layer[param.name] = draw(VALUES)
    elif change == 2:
        spec["layers"][spec["layers"].index(layer)] = draw(layer_specs())
    else:
        target = spec["inputs"][0] if "inputs" in spec else spec
        target["name"] = draw(NAMES)
    return spec


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_public_api_on_valid_models_with_one_hostile_change(spec: Any) -> None:
    only_shape_error(spec)
