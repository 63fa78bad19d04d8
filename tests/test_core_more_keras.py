"""EinsumDense and Lambda against real Keras."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, keras_reference, shapewidget_reference

from shapewidget import Model, ShapeError

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


def E(equation: str, output_shape: Any, **kw: Any) -> Spec:
    return {"type": "EinsumDense", "equation": equation, "output_shape": output_shape, **kw}


EINSUM = [
    model([32], E("ab,bc->ac", 64, bias_axes="c")),
    model([32], E("ab,bc->ac", [64])),
    model([8, 32], E("abc,cd->abd", [None, 64], bias_axes="d")),
    model([8, 32], E("abc,cd->abd", [8, 64], bias_axes="bd")),
    model([8, 32], E("abc,cd->abd", [9, 64])),
    model([8, 32], E("abc,cd->abd", [64])),
    model([8, 32], E("abc,cde->abde", [None, 4, 16], bias_axes="de")),
    model([8, 32], E("...b,bc->...c", 64, bias_axes="c")),
    model([3, 8, 32], E("...b,bc->...c", 64, bias_axes="c")),
    model([8, 32], E("ab...,bc->ac...", 64, bias_axes="c")),
    model([8, 32], E("ab,bc->ac", 64)),
    model([None, 32], E("abc,cd->abd", [None, 64])),
    model([8, None], E("abc,cd->abd", [None, 64])),
    model([8, 32], E("abc,cd->abe", [None, 64])),
    model([8, 32], E("abc,ce->abd", [None, 64])),
    model([8, 32], E("abc,cd->abd", [None, 64], bias_axes="x")),
    model([8, 32], E("xyz", [None, 64])),
    model([8, 32], E("abc,cd->abd", [None, 64], lora_rank=2)),
    model([8, 32], E("abc,cd->abd", [None, 64], lora_rank=2, kernel_constraint="non_neg")),
    model([8, 32], E("abc,cd->abd", [None, 64], lora_rank=0)),
    model([8, 32], E("abc,cd->abd", [None, 64], trainable=False, bias_axes="d")),
    model([8, 32], E("abc,cd->abd!!", [None, 64])),
    model([8, 32], E("abc,cd->abd", [None, None])),
    model([], E("ab,bc->ac", 64)),
    model([4, 8, 32], E("abcd,de->abce", [4, 8, 16], bias_axes="e")),
    model([4, 8, 32], E("abcd,cde->abe", [4, 16])),
    model([4, 8, 32], E("abcd,cde->abe", [4, 16], bias_axes="be")),
    model([4, 8, 32], E("...cd,cde->...e", 16)),
    model([8, 32], E("ab,bc->ac", 64)),
    model([16], E("ab,bc->ac", 8, activation="relu"), E("ab,bc->ac", 2)),
]


@pytest.mark.parametrize("spec", EINSUM)
def test_core_more_einsum_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


LETTERS = "bcdefgh"


def random_einsum(rng: random.Random, rank: int) -> Spec:
    """An equation over an input of ``rank`` axes (batch included), mostly valid."""
    ins = "a" + LETTERS[:rank - 1]
    contract = rng.sample(ins[1:], rng.randint(1, max(1, min(2, rank - 1)))) if rank > 1 \
        else []
    keep = [c for c in ins if c not in contract]
    new = ["x", "y"][:rng.randint(1, 2)]
    weight = "".join(contract + new)
    out = "".join(keep + new)
    if rng.random() < 0.1:
        out += "z"  # a letter from nowhere
    sizes: list[Any] = []
    for c in out[1:]:
        sizes.append(None if c in ins and rng.random() < 0.5 else rng.randint(1, 6))
    bias = None
    if rng.random() < 0.5:
        bias = "".join(rng.sample(out[1:], 1)) if len(out) > 1 else "a"
    spec = E(f"{ins},{weight}->{out}", sizes if len(sizes) != 1 or rng.random() < 0.5
             else sizes[0], bias_axes=bias)
    if spec["bias_axes"] is None:
        del spec["bias_axes"]
    if rng.random() < 0.1:
        spec["lora_rank"] = rng.randint(1, 3)
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([2, 2, 3, 3, 4])
    shape = [None if rng.random() < 0.1 else rng.randint(1, 6) for _ in range(rank - 1)]
    return model(shape, random_einsum(rng, rank), batch=rng.choice([None, 2]))


GENERATED = [random_model(seed) for seed in range(150)]


@pytest.mark.parametrize("spec", GENERATED)
def test_core_more_einsum_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_core_more_einsum_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.95


# --- Lambda (the function is source text for shapewidget, a real function for Keras) ---

FUNCTIONS: dict[str, Any] = {
    "lambda x: x": lambda x: x,
    "lambda x: x * 2": lambda x: x * 2,
}

LAMBDA = [
    ([8, 32], {"function": "lambda x: x", "output_shape": [8, 32]}, None),
    ([8, 32], {"function": "lambda x: x * 2", "output_shape": [4, 5]}, None),
    ([8, 32], {"function": "lambda x: x", "output_shape": [None, 5]}, 3),
    ([8, 32], {"function": "lambda x: x", "output_shape": []}, None),
    ([], {"function": "lambda x: x", "output_shape": [2]}, 4),
]


@pytest.mark.parametrize(("shape", "args", "batch"), LAMBDA)
def test_core_more_lambda_matches_keras(shape: list[int | None], args: Spec,
                                        batch: int | None) -> None:
    spec = model(shape, {"type": "Lambda", **args}, batch=batch)
    keras_spec = model(shape, {"type": "Lambda", **args,
                               "function": FUNCTIONS[args["function"]]}, batch=batch)
    assert_matches_keras(spec, keras_reference(keras_spec))


def test_core_more_lambda_without_output_shape_is_refused_with_a_fix() -> None:
    ref = shapewidget_reference(model([8, 32], {"type": "Lambda", "function": "lambda x: x"}))
    assert ref.error_index == 0 and ref.error is not None
    assert "output_shape=(8, 32)" in ref.error


def test_core_more_lambda_int_output_shape_is_refused_as_keras_does() -> None:
    with pytest.raises(ShapeError) as err:
        Model.from_spec(model([8], {"type": "Lambda", "function": "lambda x: x",
                                    "output_shape": 4}))
    assert "(4,)" in str(err.value)


def test_core_more_lambda_function_must_be_an_expression() -> None:
    with pytest.raises(ShapeError):
        Model.from_spec(model([8], {"type": "Lambda", "function": "def f(x): return x",
                                    "output_shape": [8]}))


def test_core_more_lambda_exports_the_function_as_code() -> None:
    code = Model.from_spec(model([8], {"type": "Lambda", "function": "lambda x: x * 2",
                                       "output_shape": [8]})).to_keras_code()
    assert "Lambda(lambda x: x * 2, output_shape=(8,))" in code


# --- Dense with LoRA ------------------------------------------------------------------

DENSE_LORA = [
    model([8], {"type": "Dense", "units": 4, "lora_rank": 2}),
    model([8], {"type": "Dense", "units": 4, "lora_rank": 2, "lora_alpha": 4}),
    model([8], {"type": "Dense", "units": 4, "lora_rank": 0}),
    model([8], {"type": "Dense", "units": 4, "lora_rank": 3, "use_bias": False}),
    model([6, 8], {"type": "Dense", "units": 4, "lora_rank": 1}),
    model([8], {"type": "Dense", "units": 4, "lora_rank": 2, "trainable": False}),
    model([8], {"type": "Dense", "units": 4, "lora_rank": 2, "kernel_constraint": "non_neg"}),
    model([None], {"type": "Dense", "units": 4, "lora_rank": 2}),
    model([8], {"type": "Dense", "units": 4, "lora_rank": -1}),
]


@pytest.mark.parametrize("spec", DENSE_LORA)
def test_core_more_dense_lora_matches_keras(spec: Spec) -> None:
    assert_matches_keras(spec)
