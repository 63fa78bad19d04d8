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
    # Argument values Keras refuses at construction, and close ones it accepts.
    ([3], None, [{"type": "Dense", "units": 4, "kernel_initializer": "glorot_unifrom"}]),
    ([3], None, [{"type": "Dense", "units": 4, "kernel_initializer": "HeNormal",
                  "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}},
                  "bias_constraint": "non_neg"}]),
    ([3], None, [{"type": "Dense", "units": 4, "kernel_regularizer": "l3"}]),
    ([3], None, [{"type": "Dense", "units": 4, "kernel_constraint": "nonneg"}]),
    ([3], None, [{"type": "Dense", "units": 4},
                 {"type": "Dropout", "rate": 0.5, "noise_shape": [None, 1], "seed": 3}]),
    ([3], None, [{"type": "Dense", "units": 4},
                 {"type": "Dropout", "rate": 0.5, "noise_shape": [0, 1]}]),
    ([3], None, [{"type": "Dense", "units": 4}, {"type": "Dropout", "rate": 0.5, "seed": 1.5}]),
]


@pytest.mark.parametrize(("shape", "batch", "layers"), CASES)
def test_core_layers_match_keras(shape: list[int | None], batch: int | None,
                                 layers: list[dict[str, object]]) -> None:
    assert_matches_keras({"input_shape": shape, "batch_size": batch, "layers": layers})


def test_dropout_negative_seed_refused_like_keras() -> None:
    # Outside the harness's StatelessScope Keras makes the seed generator at construction
    # and refuses a negative seed there; shapewidget refuses it too.
    import keras

    from shapewidget import ShapeError
    from shapewidget.layers import Dropout

    with pytest.raises(Exception, match="out of bounds"):
        keras.layers.Dropout(0.5, seed=-1)
    with pytest.raises(ShapeError, match="seed"):
        Dropout(0.5, seed=-1)
