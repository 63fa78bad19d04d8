"""Embedding: hand-checked shapes, weights, messages, and a comparison with real Keras."""

from __future__ import annotations

import random
from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.layers.embedding import Embedding


def analyze(shape: tuple[int | None, ...], *layers: dict[str, Any], batch: int | None = None,
            dtype: str = "int32") -> Any:
    return Model(list(layers), input_shape=shape, batch_size=batch, input_dtype=dtype).analyze()


def test_embedding_adds_output_dim_as_last_axis() -> None:
    row = analyze((10,), {"type": "Embedding", "input_dim": 1000, "output_dim": 64}).rows[0]
    assert row.output_shape == (None, 10, 64)


def test_embedding_table_is_input_dim_by_output_dim() -> None:
    row = analyze((10,), {"type": "Embedding", "input_dim": 1000, "output_dim": 64}).rows[0]
    assert [tuple(w) for w in row.weights] == [("embeddings", (1000, 64), True)]
    assert (row.trainable_params, row.non_trainable_params) == (64_000, 0)


def test_embedding_keeps_every_input_axis() -> None:
    row = analyze((4, None, 2), {"type": "Embedding", "input_dim": 5, "output_dim": 3}).rows[0]
    assert row.output_shape == (None, 4, None, 2, 3)


def test_embedding_on_batch_only_input_gives_rank_two() -> None:
    row = analyze((), {"type": "Embedding", "input_dim": 5, "output_dim": 3}, batch=8).rows[0]
    assert row.output_shape == (8, 3)


def test_embedding_float_input_is_accepted() -> None:
    summary = analyze((7,), {"type": "Embedding", "input_dim": 5, "output_dim": 3},
                      dtype="float32")
    assert summary.error is None and summary.rows[0].output_shape == (None, 7, 3)


def test_embedding_explanation_says_each_index_picks_a_row() -> None:
    row = analyze((10,), {"type": "Embedding", "input_dim": 1000, "output_dim": 64}).rows[0]
    text = row.explain()
    assert "Each integer index in the input (None, 10) picks one row" in text
    assert "embeddings (1000, 64) = 64,000 parameters" in text


def test_embedding_explanation_in_japanese() -> None:
    row = analyze((10,), {"type": "Embedding", "input_dim": 1000, "output_dim": 64}).rows[0]
    assert "一行を選ぶ" in row.explain("ja")


def test_embedding_mask_zero_explains_vocabulary_plus_one() -> None:
    row = analyze((3,), {"type": "Embedding", "input_dim": 11, "output_dim": 2,
                         "mask_zero": True}).rows[0]
    assert "vocabulary size + 1" in row.explain()


def test_embedding_input_length_is_accepted_and_ignored() -> None:
    row = analyze((None,), {"type": "Embedding", "input_dim": 5, "output_dim": 3,
                            "input_length": 20}).rows[0]
    assert row.output_shape == (None, None, 3)
    assert "input_length is deprecated" in row.explain()


def test_embedding_lora_freezes_table_and_adds_two_factors() -> None:
    row = analyze((5,), {"type": "Embedding", "input_dim": 10, "output_dim": 4,
                         "lora_rank": 2}).rows[0]
    assert [tuple(w) for w in row.weights] == [
        ("embeddings", (10, 4), False), ("lora_embeddings_a", (10, 2), True),
        ("lora_embeddings_b", (2, 4), True)]
    assert (row.trainable_params, row.non_trainable_params) == (28, 40)


def test_embedding_lora_rank_zero_means_no_lora() -> None:
    row = analyze((5,), {"type": "Embedding", "input_dim": 10, "output_dim": 4,
                         "lora_rank": 0}).rows[0]
    assert [w.name for w in row.weights] == ["embeddings"]


def test_embedding_lora_with_constraint_is_rejected() -> None:
    summary = analyze((5,), {"type": "Embedding", "input_dim": 10, "output_dim": 4,
                             "lora_rank": 2, "embeddings_constraint": "non_neg"})
    assert summary.error is not None
    assert summary.error.argument == "lora_rank"
    assert "cannot be used together with embeddings_constraint" in str(summary.error)


def test_embedding_frozen_makes_every_weight_non_trainable() -> None:
    row = analyze((5,), {"type": "Embedding", "input_dim": 10, "output_dim": 4,
                         "trainable": False}).rows[0]
    assert (row.trainable_params, row.non_trainable_params) == (0, 40)


def test_embedding_input_dim_zero_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Embedding(input_dim=0, output_dim=4)
    assert info.value.argument == "input_dim"
    assert "expected an integer >= 1, received 0 (int)" in str(info.value)


def test_embedding_missing_output_dim_is_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Embedding(10)
    assert info.value.argument == "output_dim"


def test_embedding_positional_arguments_follow_keras_order() -> None:
    layer = Embedding(10, 4, "uniform", None, None, True)
    assert (layer.input_dim, layer.output_dim, layer.mask_zero) == (10, 4, True)


def test_embedding_input_length_is_keyword_only() -> None:
    with pytest.raises(ShapeError, match="at most 10 positional arguments, received 11"):
        Embedding(10, 4, "uniform", None, None, False, None, None, None, None, 5)


def test_embedding_weights_of_the_right_shape_are_kept() -> None:
    layer = Embedding(2, 2, weights=[[1, 2], [3, 4]])
    assert layer.weights == ((1, 2), (3, 4))


def test_embedding_weights_of_the_wrong_shape_are_rejected() -> None:
    with pytest.raises(ShapeError) as info:
        Embedding(2, 2, weights=[[1, 2], [3, 4], [5, 6]])
    assert info.value.argument == "weights"
    assert "shape (2, 2)" in str(info.value) and "received shape (3, 2)" in str(info.value)


def test_embedding_spec_round_trips() -> None:
    spec = {"input_shape": [5], "batch_size": None, "input_dtype": "int32",
            "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4,
                        "mask_zero": True, "lora_rank": 2, "lora_alpha": 3}]}
    assert Model.from_spec(spec).to_spec() == spec


# --- against real Keras ---------------------------------------------------------------

KERAS_CASES: list[dict[str, Any]] = [
    {"input_shape": [5, 3], "layers": [{"type": "Embedding", "input_dim": 10,
                                        "output_dim": 4}]},
    {"input_shape": [], "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4}]},
    {"input_shape": [None], "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4,
                                        "input_length": 5}]},
    {"input_shape": [5], "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4,
                                     "lora_rank": 2}]},
    {"input_shape": [5], "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4,
                                     "lora_rank": 2, "lora_alpha": 3, "trainable": False}]},
    {"input_shape": [5], "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4,
                                     "lora_rank": 2, "embeddings_constraint": "non_neg"}]},
    {"input_shape": [5], "layers": [{"type": "Embedding", "input_dim": 10, "output_dim": 4,
                                     "mask_zero": True}, {"type": "Flatten"}]},
    {"input_shape": [5], "layers": [{"type": "Embedding", "input_dim": 0, "output_dim": 4}]},
    {"input_shape": [5], "layers": [{"type": "Embedding", "input_dim": 2, "output_dim": 2,
                                     "quantization_config": {"a": 1}}]},
]


def _random_case(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    layer: dict[str, Any] = {"type": "Embedding", "input_dim": rng.randint(1, 50),
                             "output_dim": rng.randint(1, 9)}
    if rng.random() < 0.3:
        layer["lora_rank"] = rng.randint(0, 3)
    if rng.random() < 0.3:
        layer["mask_zero"] = True
    if rng.random() < 0.2:
        layer["trainable"] = False
    shape = [None if rng.random() < 0.2 else rng.randint(1, 6)
             for _ in range(rng.randint(0, 3))]
    return {"input_shape": shape, "batch_size": rng.choice([None, 4]),
            "input_dtype": rng.choice(["int32", "float32"]), "layers": [layer]}


@pytest.mark.keras
@pytest.mark.parametrize("spec", KERAS_CASES + [_random_case(s) for s in range(40)])
def test_embedding_matches_keras(spec: dict[str, Any]) -> None:
    from keras_reference import assert_matches_keras

    assert_matches_keras({"batch_size": None, "input_dtype": "int32", **spec})
