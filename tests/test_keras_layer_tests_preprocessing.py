"""Keras's own layer tests (the ``run_layer_test`` cases of the ``*_test.py`` files in the
Keras wheel, see ``keras_layer_cases.py``) for the types declared by issue 13's second
half (preprocessing, RNN with cells, ConvLSTM): shapewidget agrees with real Keras on
each, and with what the test expects. Cases of layers that need TensorFlow inside Keras
are skipped where it is not installed."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from keras_layer_cases import LayerCase, layer_cases
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget.layers import conv_lstm, image_preprocessing, preprocessing, rnn_cells

pytestmark = pytest.mark.keras

TYPES = {cls.type_name() for module in (image_preprocessing, preprocessing, rnn_cells,
                                        conv_lstm) for cls in module.LAYERS}
NEEDS_TF = {"Hashing", "HashedCrossing", "StringLookup", "IntegerLookup",
            "TextVectorization"}
HAVE_TF = importlib.util.find_spec("tensorflow") is not None
# Keras's test calls these eagerly; Keras refuses every model holding one (see
# test_image_preprocessing_equalization_refused_as_keras_refuses_its_model)
NO_MODEL = {"Equalization"}

CASES, SKIPPED = layer_cases(TYPES)


def spec_of(case: LayerCase) -> dict[str, Any]:
    return {"batch_shape": list(case.input_shape),
            "layers": [{"type": case.type_name, **case.init_kwargs}]}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_keras_layer_tests_preprocessing_case_agrees(case: LayerCase) -> None:
    if case.type_name in NEEDS_TF and not HAVE_TF:
        pytest.skip("Keras's lookup and text layers need TensorFlow")
    spec = spec_of(case)
    ours = shapewidget_reference(spec)
    if case.refused or case.type_name in NO_MODEL:
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


def test_keras_layer_tests_preprocessing_are_found() -> None:
    assert len(CASES) >= 20
