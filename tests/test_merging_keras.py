"""Merge layers against real Keras: hand-picked surprises and seeded generated cases.

Each case calls the Keras layer on ``keras.Input`` tensors (one per shape, batch axis
included) and compares the output shape with ``Layer.evaluate_inputs``, or checks that
both refuse.
"""

from __future__ import annotations

import os
import random
import warnings
from typing import Any

import pytest
from keras_reference import assert_matches_keras

from shapewidget import ShapeError
from shapewidget.layers import LAYER_TYPES

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # after the backend is chosen

pytestmark = pytest.mark.keras

Shape = tuple[int | None, ...]
Case = tuple[str, dict[str, Any], tuple[Shape, ...]]

MERGES = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def keras_result(type_name: str, args: dict[str, Any], shapes: tuple[Shape, ...],
                 single: bool = False) -> Shape | str:
    """Keras's output shape, or the error it raises (as text)."""
    keras.backend.clear_session(free_memory=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with keras.StatelessScope(initialize_variables=False):
            inputs = [keras.Input(shape=s[1:], batch_size=s[0]) for s in shapes]
            try:
                layer = getattr(keras.layers, type_name)(**args)
                out = layer(inputs[0] if single else inputs)
            except Exception as err:  # Keras raises ValueError, IndexError, TypeError
                return f"{type(err).__name__}: {err}"
    return tuple(out.shape)


def our_result(type_name: str, args: dict[str, Any], shapes: tuple[Shape, ...],
               single: bool = False) -> Shape | str:
    layer = LAYER_TYPES[type_name](**args)
    try:
        out = layer.evaluate(shapes[0]) if single else layer.evaluate_inputs(shapes)
    except ShapeError as err:
        # Every rejection must read in both languages.
        assert err.message("ja") and err.fix is not None
        return f"ShapeError: {err}"
    for note in out.notes:
        assert note.render("en") and note.render("ja")
    return tuple(out.output_shape)


def assert_same(type_name: str, args: dict[str, Any], shapes: tuple[Shape, ...],
                single: bool = False) -> None:
    ref = keras_result(type_name, args, shapes, single)
    ours = our_result(type_name, args, shapes, single)
    if isinstance(ref, str) or isinstance(ours, str):
        assert isinstance(ref, str) and isinstance(ours, str), (
            f"{type_name}({args}) on {shapes}:\n keras: {ref}\n shapewidget: {ours}")
    else:
        assert ours == ref, f"{type_name}({args}) on {shapes}: keras {ref}, ours {ours}"


SURPRISES: list[Case] = [
    ("Add", {}, ((None, 3),)),
    ("Add", {}, ((None, 3), (None, 4))),
    ("Add", {}, ((None, 3), (None, 4, 3))),
    ("Add", {}, ((None, 4), (None, 4, 3))),
    ("Add", {}, ((None, 1), (None, 4))),
    ("Add", {}, ((None, None), (None, 4))),
    ("Add", {}, ((2, 3), (3, 3))),
    ("Add", {}, ((None, 3), (3, 3))),
    ("Multiply", {}, ((None, 1, 3), (None, 4, 1), (None, 5, 3))),
    ("Subtract", {}, ((None, 3),)),
    ("Subtract", {}, ((None, 3), (None, 3), (None, 3))),
    ("Subtract", {}, ((None, 3), (None, 3))),
    ("Concatenate", {}, ((None, 3),)),
    ("Concatenate", {"axis": 5}, ((None, 3),)),
    ("Concatenate", {"axis": -5}, ((None, 3),)),
    ("Concatenate", {"axis": 2}, ((None, 3, None), (None, 3))),
    ("Concatenate", {"axis": 2}, ((None, 3, 4), (None, 3))),
    ("Concatenate", {"axis": 2}, ((None, 3), (None, 3, None))),
    ("Concatenate", {}, ((None, None, 4), (None, 3, 4))),
    ("Concatenate", {}, ((None, 1, 4), (None, 3, 4))),
    ("Concatenate", {}, ((None, 3), (2, 3))),
    ("Concatenate", {}, ((2, 3), (3, 3))),
    ("Concatenate", {"axis": 0}, ((2, 3), (3, 3))),
    ("Concatenate", {"axis": -5}, ((2, 3), (3, 3))),
    ("Concatenate", {"axis": 2}, ((2, 3), (2, 3))),
    ("Concatenate", {"axis": 1}, ((None, 3, 4), (None, 5, 4))),
    ("Concatenate", {"axis": -1}, ((None, 3, 4), (None, 5, 4))),
    ("Concatenate", {"axis": 1}, ((None, 3), (None, 3, 4))),
    ("Concatenate", {}, ((None, 2), (None, None), (None, 3))),
    ("Dot", {"axes": 1}, ((None, 3), (None, 3))),
    ("Dot", {"axes": 1}, ((None, 3), (None, None))),
    ("Dot", {"axes": 1}, ((None, None), (None, None))),
    ("Dot", {"axes": 1}, ((2, 3), (3, 3))),
    ("Dot", {"axes": 0}, ((2, 3), (2, 3))),
    ("Dot", {"axes": 1}, ((None, 3),)),
    ("Dot", {"axes": 1}, ((None, 3), (None, 3), (None, 3))),
    ("Dot", {"axes": (2, 1)}, ((None, 3, 4), (None, 4, 5))),
    ("Dot", {"axes": [2, 1]}, ((None, 3, 4), (None, 4, 5))),
    ("Dot", {"axes": -1}, ((None, 3, 4), (None, 4, 5))),
    ("Dot", {"axes": (1, 0)}, ((3, 3), (3, 3))),
    ("Dot", {"axes": (-1, -3)}, ((None, 3), (None, 3, 4))),
    ("Dot", {"axes": 3}, ((None, 3), (None, 3))),
    ("Dot", {"axes": 1, "normalize": True}, ((None, 3, 4), (None, 3))),
    # Batch-only tensors (rank 1).
    ("Add", {}, ((None,), (None, 3))),
    ("Concatenate", {}, ((None,), (None,))),
    ("Concatenate", {}, ((2,), (3,))),
    ("Dot", {"axes": -1}, ((None,), (None,))),
    ("Dot", {"axes": 1}, ((None, 3), (None,))),
    ("Dot", {"axes": (1, 0)}, ((None, 3), (None, 3))),
]


@pytest.mark.parametrize(("type_name", "args", "shapes"), SURPRISES)
def test_merging_surprises_match_keras(type_name: str, args: dict[str, Any],
                                       shapes: tuple[Shape, ...]) -> None:
    assert_same(type_name, args, shapes)


@pytest.mark.parametrize("type_name", [*MERGES, "Concatenate", "Dot"])
@pytest.mark.parametrize("shape", [(None, 3), (2, 3, 4), (None,)])
def test_merging_single_tensor_rejected_like_keras(type_name: str, shape: Shape) -> None:
    args: dict[str, Any] = {"axes": 1} if type_name == "Dot" else {}
    ref = keras_result(type_name, args, (shape,), single=True)
    assert isinstance(ref, str)
    with pytest.raises(ShapeError, match="called on a list of tensors"):
        LAYER_TYPES[type_name](**args).evaluate(shape)


# --- seeded generator -----------------------------------------------------------------

SIZES: tuple[int | None, ...] = (None, 1, 2, 3, 4)


def random_shape(rng: random.Random) -> Shape:
    rank = rng.randint(2, 4)
    batch = rng.choice((None, None, None, 2, 3))
    return (batch, *(rng.choice(SIZES) for _ in range(rank - 1)))


def related(rng: random.Random, base: Shape) -> Shape:
    """Mostly the same shape, with one or two small changes (a size, unknown, a rank)."""
    shape = list(base)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        change = rng.random()
        if change < 0.45 and len(shape) > 1:
            shape[rng.randrange(1, len(shape))] = rng.choice(SIZES)
        elif change < 0.6:
            shape[0] = rng.choice((None, 2, 3))
        elif change < 0.8 and len(shape) > 2:
            del shape[rng.randrange(1, len(shape))]
        elif len(shape) < 4:
            shape.insert(rng.randrange(1, len(shape) + 1), rng.choice(SIZES))
    return tuple(shape)


def random_case(rng: random.Random) -> Case:
    type_name = rng.choice((*MERGES, "Concatenate", "Concatenate", "Dot", "Dot"))
    count = rng.choice((1, 2, 2, 2, 3, 3)) if type_name not in ("Subtract", "Dot") else \
        rng.choice((1, 2, 2, 2, 2, 3))
    base = random_shape(rng)
    shapes = (base, *(related(rng, base) for _ in range(count - 1)))
    args: dict[str, Any] = {}
    if type_name == "Concatenate" and rng.random() < 0.7:
        args["axis"] = rng.randint(-5, 4)
    if type_name == "Dot":
        if rng.random() < 0.6:
            args["axes"] = rng.randint(-4, 3)
        else:
            args["axes"] = (rng.randint(-4, 3), rng.randint(-4, 3))
        if rng.random() < 0.2:
            args["normalize"] = True
    return type_name, args, shapes


GENERATED = [random_case(random.Random(seed)) for seed in range(600)]


@pytest.mark.parametrize(("type_name", "args", "shapes"), GENERATED,
                         ids=[f"case{i}" for i in range(len(GENERATED))])
def test_merging_generated_match_keras(type_name: str, args: dict[str, Any],
                                       shapes: tuple[Shape, ...]) -> None:
    assert_same(type_name, args, shapes)


def test_merging_generated_cases_cover_both_outcomes() -> None:
    outcomes = [isinstance(our_result(*case), str) for case in GENERATED]
    assert 150 < sum(outcomes) < 450  # rejections


@pytest.mark.parametrize("type_name", ["Add", "Concatenate", "Dot"])
def test_merging_in_sequential_chain_rejected_like_keras(type_name: str) -> None:
    merge: dict[str, Any] = {"type": type_name, **({"axes": 1} if type_name == "Dot" else {})}
    assert_matches_keras({"input_shape": [3], "batch_size": None,
                          "layers": [{"type": "Dense", "units": 3}, merge]})
