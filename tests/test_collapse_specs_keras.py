"""The big-model specs the render tests draw are the real architectures: checked against
Keras here (the render tests themselves also run without Keras, on the oldest matplotlib)."""

from __future__ import annotations

import pytest
from keras_reference import assert_matches_keras
from render_helpers import resnet50_spec

pytestmark = pytest.mark.keras


def test_collapse_specs_resnet50_is_keras_resnet50() -> None:
    assert_matches_keras(resnet50_spec((64, 64, 3)))
