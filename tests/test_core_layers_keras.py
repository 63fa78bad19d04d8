"""Core layers (Dense, Activation, Dropout, Flatten) against real Keras."""

from __future__ import annotations

import pytest
from keras_reference import assert_matches_keras

pytestmark = pytest.mark.keras

CASES = [
    ([3], None, [{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4},
                 {"type": "Dense", "units": 1}]),
    ([5, 7], 30, [{"type": "Dense", "units": 2, "use_bias": False}]),
    ([2, 3, 4], None, [{"type": "Flatten"}, {"type": "Dense", "units": 3, "trainable": False}]),
    ([None, 4], None, [{"type": "Flatten"}, {"type": "Dense", "units": 3}]),
    ([None, 4], None, [{"type": "Dense", "units": 3}, {"type": "Dropout", "rate": 0.5},
                       {"type": "Activation", "activation": "relu"}]),
    ([], None, [{"type": "Flatten"}, {"type": "Dense", "units": 2}]),
    ([4, None], None, [{"type": "Dense", "units": 3}]),
]


@pytest.mark.parametrize(("shape", "batch", "layers"), CASES)
def test_core_layers_match_keras(shape: list[int | None], batch: int | None,
                                 layers: list[dict[str, object]]) -> None:
    assert_matches_keras({"input_shape": shape, "batch_size": batch, "layers": layers})
