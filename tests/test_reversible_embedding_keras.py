"""ReversibleEmbedding against real Keras."""

from __future__ import annotations

from typing import Any

import pytest
from keras_reference import assert_matches_keras

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], **layer: Any) -> Spec:
    return {"input_shape": shape, "input_dtype": "int32",
            "layers": [{"type": "ReversibleEmbedding", **layer}]}


CASES = [
    model([5], input_dim=10, output_dim=3),
    model([5], input_dim=10, output_dim=3, tie_weights=False),
    model([None], input_dim=100, output_dim=8, tie_weights=False, mask_zero=True),
    model([2, 5], input_dim=10, output_dim=3, lora_rank=2),
    model([5], input_dim=10, output_dim=3, lora_rank=2, tie_weights=False),
    model([5], input_dim=10, output_dim=3, tie_weights=False, trainable=False),
    model([5], input_dim=10, output_dim=3, logit_soft_cap=30.0, reverse_dtype="float32"),
    model([5], input_dim=0, output_dim=3),
    model([5], input_dim=10, output_dim=3, weights=[[0.0] * 3] * 9),
    model([5], input_dim=10, output_dim=3, lora_rank=2, embeddings_constraint="non_neg"),
    {"input_shape": [5], "input_dtype": "int32", "layers": [
        {"type": "SpectralNormalization",
         "layer": {"type": "ReversibleEmbedding", "input_dim": 10, "output_dim": 3,
                   "tie_weights": False}}]},
]


@pytest.mark.parametrize("spec", CASES)
def test_reversible_embedding_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)
