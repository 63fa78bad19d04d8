"""Keras's own layer tests (the ``run_layer_test`` cases of the ``*_test.py`` files in the
Keras wheel, see ``keras_layer_cases.py``) for the types declared by issue 13's first
half: shapewidget agrees with real Keras on each, and with what the test expects."""

from __future__ import annotations

from typing import Any

import pytest
from keras_layer_cases import LayerCase, layer_cases
from keras_reference import assert_matches_keras, shapewidget_reference

pytestmark = pytest.mark.keras

TYPES = {"ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Identity", "Masking",
         "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
         "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Conv1DTranspose",
         "Conv3DTranspose", "SeparableConv1D", "DepthwiseConv1D", "ZeroPadding3D",
         "Cropping3D", "UpSampling3D", "AdaptiveAveragePooling1D",
         "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D",
         "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "GroupNormalization",
         "UnitNormalization", "RMSNormalization", "SpectralNormalization", "EinsumDense",
         "Lambda"}

CASES, SKIPPED = layer_cases(TYPES)
QUANTIZED = ("int8_from", "int4_from", "float8_from", "gptq", "awq")


def spec_of(case: LayerCase) -> dict[str, Any]:
    return {"batch_shape": list(case.input_shape),
            "layers": [{"type": case.type_name, **case.init_kwargs}]}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_keras_layer_tests_case_agrees(case: LayerCase) -> None:
    spec = spec_of(case)
    ours = shapewidget_reference(spec)
    if str(case.init_kwargs.get("dtype", "")).startswith(QUANTIZED):
        # Keras builds quantized weights; shapewidget refuses the policy by name.
        assert ours.error is not None and str(case.init_kwargs["dtype"]) in ours.error
        return
    if case.refused:
        assert ours.error_index == 0, f"Keras's test expects a refusal: {case}"
        return
    assert ours.error is None, f"{case}: {ours.error}"
    row = ours.rows[0]
    if case.expected_output_shape is not None:
        assert row.output_shape == case.expected_output_shape
    if case.trainable_weights is not None:
        assert sum(w[2] for w in row.weights) == case.trainable_weights
    if case.non_trainable_weights is not None:
        assert sum(not w[2] for w in row.weights) == case.non_trainable_weights
    assert_matches_keras(spec)


def test_keras_layer_tests_are_found() -> None:
    assert len(CASES) >= 40
    assert len({c.type_name for c in CASES}) >= 20
