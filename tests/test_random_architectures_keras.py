"""Hundreds of random Sequential architectures, each built in Keras and in shapewidget.

Compares every layer's output shape, weights (names, shapes, trainable flags), parameter
counts and name, and the index of the layer Keras rejects. About one model in six is
built with a deliberate mistake (see ``architectures.py``).
"""

from __future__ import annotations

import functools
import json
import os
import warnings
from typing import Any

import pytest
from architectures import Architecture, architectures
from keras_reference import Reference, assert_matches_keras, keras_layer, keras_reference

pytestmark = pytest.mark.keras

# More models or another seed for a deeper sweep, e.g. SHAPEWIDGET_RANDOM_MODELS=3000.
COUNT = int(os.environ.get("SHAPEWIDGET_RANDOM_MODELS", "400"))
SEED = int(os.environ.get("SHAPEWIDGET_RANDOM_SEED", "20261127"))

ARCHITECTURES: list[Architecture] = list(architectures(COUNT, SEED))


@functools.cache
def reference(index: int) -> Reference:
    return keras_reference(ARCHITECTURES[index].spec)


@pytest.mark.parametrize(
    "index", range(COUNT),
    ids=[f"{i:03d}-{a.intent}-{'-'.join(a.types)}"[:90] for i, a in enumerate(ARCHITECTURES)])
def test_random_architecture_matches_keras(index: int) -> None:
    arch = ARCHITECTURES[index]
    try:
        assert_matches_keras(arch.spec, reference(index))
    except AssertionError as err:
        raise AssertionError(f"intent={arch.intent}\nspec={json.dumps(arch.spec)}\n{err}") \
            from None


def test_random_architectures_mix_valid_and_rejected() -> None:
    rejected = sum(reference(i).error_index is not None for i in range(COUNT))
    assert rejected >= 0.10 * COUNT, f"only {rejected} of {COUNT} models rejected by Keras"
    assert rejected <= 0.35 * COUNT, f"{rejected} of {COUNT} models rejected by Keras"


def test_random_architectures_cover_the_catalogue_rank_and_length() -> None:
    ranks = {len(a.spec["input_shape"]) for a in ARCHITECTURES}
    lengths = [len(a.spec["layers"]) for a in ARCHITECTURES]
    assert ranks == {1, 2, 3, 4}
    assert min(lengths) == 1
    assert max(lengths) >= 8
    assert any(a.spec["batch_size"] is not None for a in ARCHITECTURES)
    assert any(None in a.spec["input_shape"] for a in ARCHITECTURES)


def test_random_architectures_same_seed_same_models() -> None:
    again = [a.spec for a in architectures(20, SEED)]
    assert again == [a.spec for a in ARCHITECTURES[:20]]
    assert again != [a.spec for a in architectures(20, SEED + 1)]


def keras_totals(spec: dict[str, Any]) -> list[str]:
    """The three totals lines of Keras's own ``model.summary()`` for a spec."""
    import keras

    keras.backend.clear_session(free_memory=False)
    lines: list[str] = []
    with warnings.catch_warnings(), keras.StatelessScope(initialize_variables=False):
        warnings.simplefilter("ignore")
        model = keras.Sequential(
            [keras.Input(shape=tuple(spec["input_shape"]), batch_size=spec["batch_size"],
                         dtype=spec["input_dtype"])]
            + [keras_layer(layer) for layer in spec["layers"]])
        model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    text = "\n".join(lines)
    return [line.strip() for line in text.splitlines() if "params:" in line]


def test_random_architectures_totals_match_keras_summary() -> None:
    from shapewidget import Model

    checked = 0
    for index, arch in enumerate(ARCHITECTURES):
        if checked == 40:
            break
        if reference(index).error_index is not None or "stateful" in json.dumps(arch.spec):
            continue
        ours = [line.strip() for line in str(Model.from_spec(arch.spec)).splitlines()
                if "params:" in line]
        assert ours == keras_totals(arch.spec), json.dumps(arch.spec)
        checked += 1
    assert checked == 40
