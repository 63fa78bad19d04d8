"""Keras's naming rules, in one place (shapewidget.naming): the names match Keras's, every
reader uses them, and naming n layers is linear work (counted, not timed; the times are
in benchmarks/naming.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keras
import pytest
from keras_reference import assert_matches_keras

from shapewidget import Model, naming
from shapewidget.layers import Layer
from shapewidget.naming import AutoNamer, auto_names, name_problem, to_snake_case

PACKAGE = Path(__file__).resolve().parents[1] / "shapewidget"


def test_auto_names_match_keras_for_wrappers_and_given_names() -> None:
    spec = {"input_shape": [5, 3], "layers": [
        {"type": "Dense", "units": 4},
        {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 2}},
        {"type": "Dense", "units": 2, "name": "dense_3"},
        {"type": "Bidirectional", "layer": {"type": "LSTM", "units": 2,
                                            "return_sequences": True}},
        {"type": "Conv1D", "filters": 2, "kernel_size": 1},
        {"type": "Dense", "units": 2}]}
    assert_matches_keras(spec)
    names = Model.from_spec(spec).layer_names
    assert names == ["dense", "time_distributed", "dense_3", "bidirectional", "conv1d",
                     "dense_2"]


@pytest.mark.parametrize("cls", ["Conv2DTranspose", "LSTM", "GlobalAveragePooling1D",
                                 "UpSampling2D", "PReLU", "Dense"])
def test_to_snake_case_as_keras(cls: str) -> None:
    layer = getattr(keras.layers, cls)
    assert to_snake_case(cls) == keras.src.utils.naming.to_snake_case(layer.__name__)


def test_name_problem_accepts_what_keras_accepts() -> None:
    for name in ["\u200b", "a:b", " ", "ünïcode", "x" * 300]:
        assert name_problem(name) is None
        keras.layers.Dense(2, name=name)  # Keras accepts it too
    assert name_problem("a/b") is not None
    with pytest.raises(ValueError, match="/"):
        keras.layers.Dense(2, name="a/b")
    assert name_problem("\ud800") is not None


def test_auto_namer_shared_calls_numbered_per_target() -> None:
    layers = Model.from_spec({"inputs": [{"name": "a", "shape": [2]}], "layers": [
        {"type": "Dense", "units": 2, "inbound": ["a"]},
        {"shares": "dense", "inbound": ["a"]}, {"shares": "dense", "inbound": ["a"]},
        {"type": "Dense", "units": 2, "inbound": ["dense"]}]}).layers
    namer = AutoNamer()
    assert [namer.name(layer) for layer in layers] == [
        "dense", "dense_reuse_1", "dense_reuse_2", "dense_1"]
    assert namer.peek("dense") == "dense_2"


@contextmanager
def counting_prefix_reads() -> Iterator[list[int]]:
    """Count calls of ``Layer.auto_name_prefix`` (one per layer looked at for naming)."""
    count = [0]
    original = Layer.auto_name_prefix.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Layer]) -> str:
        count[0] += 1
        result: str = original(cls)
        return result

    setattr(Layer, "auto_name_prefix", classmethod(counted))  # noqa: B010 (a patch)
    try:
        yield count
    finally:
        setattr(Layer, "auto_name_prefix", classmethod(original))  # noqa: B010


def naming_work(n: int, build: str) -> int:
    if build == "model":
        model = Model.from_spec({"input_shape": [3], "layers": [
            {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 3}}
            if i % 2 else {"type": "Dense", "units": 3} for i in range(n)]})
        with counting_prefix_reads() as count:
            assert len(model.layer_names) == n
        return count[0]
    if build == "paste":
        source = "\n".join(["import keras", "inputs = keras.Input(shape=(3,))", "x = inputs",
                            *["x = keras.layers.Dense(3)(x)"] * n,
                            "model = keras.Model(inputs, x)"])
        with counting_prefix_reads() as count:
            Model.from_keras_code(source)
        return count[0]
    keras.backend.clear_session(free_memory=False)
    with keras.StatelessScope(initialize_variables=False):
        inputs = keras.Input(shape=(3,))
        x = inputs
        for _ in range(n):
            x = keras.layers.Dense(3)(x)
        live = keras.Model(inputs, x)
    with counting_prefix_reads() as count:
        Model.from_keras(live)
    return count[0]


@pytest.mark.parametrize("build", ["model", "paste", "keras"])
def test_naming_work_linear_in_layers(build: str) -> None:
    small, large = naming_work(40, build), naming_work(160, build)
    assert large <= 4 * small + 40  # quadratic work would be 16 times


def test_naming_rules_live_only_in_naming_module() -> None:
    """No other module numbers names itself (``f"{prefix}_{n}"``) or snake-cases."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "naming.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("to_snake_case",
                                                                   "auto_names"):
                offenders.append(f"{path.name}: def {node.name}")
            if isinstance(node, ast.JoinedStr) and [type(v).__name__ for v in node.values] \
                    == ["FormattedValue", "Constant", "FormattedValue"] \
                    and getattr(node.values[1], "value", None) == "_" \
                    and "prefix" in ast.unparse(node.values[0]):
                offenders.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not offenders, offenders


def test_auto_names_is_the_models_naming() -> None:
    model = Model.from_spec({"input_shape": [3], "layers": [{"type": "Dense", "units": 2}]})
    assert model.layer_names == auto_names(model.layers) == ["dense"]
    assert naming.numbered("dense", 2) == "dense_2"
