"""SpectralNormalization (a wrapper) against real Keras: which layers it takes, where its
vector_u goes among the weights, and its refusals."""

from __future__ import annotations

from typing import Any

import pytest
from keras_reference import assert_matches_keras

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None,
          dtype: str = "float32") -> Spec:
    return {"input_shape": shape, "batch_size": batch, "input_dtype": dtype,
            "layers": list(layers)}


def S(layer: Spec, **kw: Any) -> Spec:
    return {"type": "SpectralNormalization", "layer": layer, **kw}


DENSE = {"type": "Dense", "units": 4}
CASES = [
    model([8], S(DENSE)),
    model([8, 8], S(DENSE)),
    model([8], S({"type": "Dense", "units": 4, "use_bias": False})),
    model([8], S({"type": "Dense", "units": 4, "trainable": False})),
    model([8], S(DENSE, trainable=False)),
    model([8], S(DENSE, power_iterations=3)),
    model([8], S(DENSE, power_iterations=0)),
    model([8], S({"type": "Dropout", "rate": 0.5})),
    model([8, 3], S({"type": "LSTM", "units": 4})),
    model([8, 8, 3], S({"type": "Conv2D", "filters": 4, "kernel_size": 3})),
    model([8, 8, 3], S({"type": "Conv2D", "filters": 4, "kernel_size": 30})),
    model([8, 8, 3], S({"type": "DepthwiseConv2D", "kernel_size": 3})),
    model([8, 8, 3], S({"type": "SeparableConv2D", "filters": 4, "kernel_size": 3})),
    model([8, 8, 3], S({"type": "Conv2DTranspose", "filters": 4, "kernel_size": 3})),
    model([8, 3], S({"type": "Conv1D", "filters": 4, "kernel_size": 3, "lora_rank": 2})),
    model([8], S({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4,
                  "bias_axes": "c"})),
    model([8], S({"type": "EinsumDense", "equation": "ab,bc->ac", "output_shape": 4,
                  "lora_rank": 2})),
    model([5], S({"type": "Embedding", "input_dim": 10, "output_dim": 3}), dtype="int32"),
    model([8], S(S(DENSE))),
    model([8, 8, 3], S({"type": "Conv2D", "filters": 4, "kernel_size": 3}),
          {"type": "Flatten"}, S(DENSE)),
    model([8, 3], {"type": "TimeDistributed", "layer": S(DENSE)}),
]


@pytest.mark.parametrize("spec", CASES)
def test_spectral_normalization_cases_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)
