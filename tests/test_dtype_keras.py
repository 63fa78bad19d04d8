"""``dtype=`` on every layer type: plain and mixed policies accepted as Keras accepts them
(same shapes and weights), quantized policies refused by name, bad names refused."""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

from keras_reference import assert_matches_keras, shapewidget_reference
from test_codegen_keras import minimal_example

from shapewidget import Model, ShapeError
from shapewidget.layers import LAYER_TYPES

pytestmark = pytest.mark.keras

Spec = dict[str, Any]

FAMILIES = ("core", "conv", "pooling", "reshaping", "normalization", "embedding",
            "recurrent", "wrapper", "activation", "regularization")
POLICIES = ["float16", "mixed_float16", "bfloat16", "mixed_bfloat16", "float64", "float32"]


def _examples() -> list[tuple[str, str, Spec]]:
    out = []
    names = sorted(n for n, c in LAYER_TYPES.items()
                   if c.family in FAMILIES and not c.takes_list
                   and n != "Lambda")  # its function is source text (test_core_more_keras)
    for i, name in enumerate(names):
        found = minimal_example(LAYER_TYPES[name])
        if found is None:
            continue
        args, shape, dtype = found
        policy = POLICIES[i % len(POLICIES)]
        layer = {"type": name, **args, "dtype": policy}
        spec = {"input_shape": list(shape), "input_dtype": dtype, "layers": [layer]}
        out.append((name, policy, spec))
    return out


def _plain(spec: Spec) -> Spec:
    """Nested layers given as Layer objects become their spec (JSON) for Keras."""
    from shapewidget.spec import layer_to_spec

    layer = spec["layers"][0]
    fixed = {k: layer_to_spec(v) if hasattr(v, "type_name") else v for k, v in layer.items()}
    return {**spec, "layers": [fixed]}


EXAMPLES = _examples()


@pytest.mark.parametrize(("name", "policy", "spec"), EXAMPLES,
                         ids=[f"{n}-{p}" for n, p, _ in EXAMPLES])
def test_dtype_policy_on_each_layer_type_matches_keras(name: str, policy: str,
                                                       spec: Spec) -> None:
    assert_matches_keras(_plain(spec))


def test_dtype_examples_cover_most_of_the_catalogue() -> None:
    assert len(EXAMPLES) >= 60


def one(layer: Spec, shape: list[int | None] | None = None) -> Spec:
    return {"input_shape": shape or [8], "layers": [layer]}


@pytest.mark.parametrize("dtype", ["bogus", "Float32", "mixed_float32", "int8", "int4",
                                   "float8_e4m3fn", "int8_from_bogus", 3])
def test_dtype_refusals_match_keras(dtype: Any) -> None:
    assert_matches_keras(one({"type": "Dense", "units": 4, "dtype": dtype}))


@pytest.mark.parametrize("dtype", ["int32", "int", "float16", "mixed_float16"])
def test_dtype_other_accepted_names_match_keras(dtype: str) -> None:
    assert_matches_keras(one({"type": "Dense", "units": 4, "dtype": dtype}))


@pytest.mark.parametrize("policy", ["int8_from_float32", "int8_from_mixed_bfloat16",
                                    "float8_from_float32", "int4_from_float32"])
def test_dtype_quantized_policy_is_refused_by_name(policy: str) -> None:
    with pytest.raises(ShapeError) as err:
        Model.from_spec(one({"type": "Dense", "units": 4, "dtype": policy}))
    assert policy in str(err.value) and "quantize" in str(err.value)


def test_dtype_config_dict_reads_as_its_name() -> None:
    model = Model.from_spec(one({"type": "Dense", "units": 4, "dtype": {
        "module": "keras", "class_name": "DTypePolicy", "config": {"name": "float16"},
        "registered_name": None}}))
    assert model.layers[0].value("dtype") == "float16"
    assert 'dtype="float16"' in model.to_keras_code()


def test_dtype_leaves_shapes_and_weights_alone() -> None:
    base = shapewidget_reference(one({"type": "Dense", "units": 4}))
    mixed = shapewidget_reference(one({"type": "Dense", "units": 4, "dtype": "mixed_float16"}))
    assert base.rows == mixed.rows
