"""Image preprocessing and augmentation layers against real Keras: hand-picked cases and
a seeded generator that draws every declared argument from valid and invalid values."""

from __future__ import annotations

import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

from shapewidget.layers import LAYER_TYPES, image_preprocessing
from shapewidget.params import ChoiceParam, IntParam

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def model(shape: list[int | None], *layers: Spec, batch: int | None = None) -> Spec:
    return {"input_shape": shape, "batch_size": batch, "layers": list(layers)}


SURPRISES = [
    model([32, 32, 3], {"type": "Rescaling", "scale": 1 / 255}),
    model([32, 32, 3], {"type": "Rescaling", "scale": 1 / 127.5, "offset": -1}),
    model([32, 32, 3], {"type": "RandomFlip", "mode": "horizontal"},
          {"type": "RandomRotation", "factor": 0.1}, {"type": "RandomZoom",
                                                      "height_factor": 0.2}),
    model([32, 32, 3], {"type": "Resizing", "height": 16, "width": 20}),
    model([32, 32, 3], {"type": "Resizing", "height": 16, "width": 20,
                        "data_format": "channels_first"}),
    # Rank 3 (batch included) is read as one image: the batch axis becomes the height.
    model([32, 32], {"type": "Resizing", "height": 16, "width": 20}),
    model([32], {"type": "Resizing", "height": 16, "width": 20}),
    model([], {"type": "Resizing", "height": 16, "width": 20}),
    model([2, 32, 32, 3], {"type": "Resizing", "height": 16, "width": 20}),
    model([None, None, 3], {"type": "Resizing", "height": 16, "width": 20}),
    model([32, 32, 3], {"type": "Resizing", "height": 0, "width": None}),
    model([32, 32, 3], {"type": "Resizing", "height": -1, "width": 4}),
    model([32, 32, 3], {"type": "CenterCrop", "height": 16, "width": 20}),
    model([32, 32, 3], {"type": "CenterCrop", "height": 64, "width": 20}),
    model([32], {"type": "CenterCrop", "height": 16, "width": 20}),
    model([2, 32, 32, 3], {"type": "CenterCrop", "height": 16, "width": 20}),
    model([32, 32, 3], {"type": "RandomCrop", "height": 16, "width": 20}),
    model([2, 32, 32, 3], {"type": "RandomCrop", "height": 16, "width": 20}),
    model([32], {"type": "RandomCrop", "height": 16, "width": 20}),
    model([32], {"type": "RandomCrop", "height": 16, "width": 20,
                 "data_format": "channels_first"}),
    model([32, 32, 3], {"type": "RandomColorDegeneration", "factor": 0.5}),
    model([32, 32, 4], {"type": "RandomColorDegeneration", "factor": 0.5}),
    model([32, 32], {"type": "RandomColorDegeneration", "factor": 0.5}),
    model([3, 32, 32], {"type": "RandomColorDegeneration", "factor": 0.5,
                        "data_format": "channels_first"}),
    model([32, 32, 3], {"type": "RandomRotation", "factor": 1.5}),
    model([32, 32, 3], {"type": "RandomRotation", "factor": [1, 2]}),
    model([32, 32, 3], {"type": "RandomRotation", "factor": None}),
    model([32, 32, 3], {"type": "RandomRotation", "factor": 0.1, "fill_mode": "bogus"}),
    model([32, 32, 3], {"type": "RandomZoom", "height_factor": -1.0}),
    model([32, 32, 3], {"type": "RandomZoom", "height_factor": 0.1, "width_factor": None}),
    model([32, 32, 3], {"type": "RandomContrast", "factor": -0.2}),
    model([32, 32, 3], {"type": "RandomBrightness", "factor": 0.2, "value_range": [0, 1]}),
    model([32, 32, 3], {"type": "RandomBrightness", "factor": 0.2, "value_range": 5}),
    model([32, 32, 3], {"type": "RandomPosterization", "factor": [2, 8]}),
    model([32, 32, 3], {"type": "RandomGrayscale", "factor": [0.1, 0.2]}),
    model([5], {"type": "RandomFlip"}, {"type": "MixUp"}, {"type": "CutMix"}),
    model([32, 32, 3], {"type": "RandomTranslation", "height_factor": 0.1,
                        "width_factor": -1.0}),
    model([32, 32, 3], {"type": "RandomShear", "x_factor": [-0.5, 0.2]}),
    model([32, 32, 3], {"type": "RandomFlip", "seed": -1}),
    model([32, 32, 3], {"type": "RandomFlip", "data_format": "bogus"}),
]


@pytest.mark.parametrize("spec", SURPRISES)
def test_image_preprocessing_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


# --- seeded generator -----------------------------------------------------------------

FACTORS: list[Any] = [0.1, 0.5, -0.2, 0, 1, 1.0, 1.5, -1.0, -1.5, 2, 8, 9, [0.1, 0.3],
                      [-0.5, 0.2], [0.3, 0.1], [-1.5, 0.2], [0.5, 1.5], [1, 2], [2, 8],
                      [0.1, 0.2, 0.3], "a", None]


def _value(rng: random.Random, cls: type, name: str) -> Any:
    param = cls.param(name)
    if isinstance(param, image_preprocessing.FactorParam):
        return rng.choice(FACTORS)
    if isinstance(param, image_preprocessing.ValueRangeParam):
        return rng.choice([[0, 255], [0, 1], [-1, 1], [0], "a", 5, None])
    if isinstance(param, image_preprocessing.SeedParam):
        return rng.choice([1, 7, -1, None, "a", 2.5])
    if name == "data_format":
        return rng.choice([None, "channels_first", "channels_last", "CHANNELS_LAST"])
    if isinstance(param, ChoiceParam):
        return rng.choice([*param.choices, "bogus"])
    if isinstance(param, IntParam):
        return rng.choice([1, 4, 8, 0, None, -1, 20])
    return param.default


NAMES = [cls.type_name() for cls in image_preprocessing.LAYERS]


def random_layer(rng: random.Random, bad: bool) -> Spec:
    cls = LAYER_TYPES[rng.choice(NAMES)]
    spec: Spec = {"type": cls.type_name()}
    for param in cls.params:
        if param.required or (bad and rng.random() < 0.3):
            spec[param.name] = _value(rng, cls, param.name)
        if param.required and param.name == "scale":
            spec[param.name] = rng.choice([1 / 255, 2, -0.5])
        if param.required and not bad and param.name in ("height", "width"):
            spec[param.name] = rng.choice([1, 4, 8, 16])
        if param.required and not bad and isinstance(
                param, image_preprocessing.FactorParam):
            spec[param.name] = rng.choice([0.1, 0.5, [0.2, 0.4]]
                                          if param.name != "factor" or param.hi <= 1 else [2, 4])
    return spec


def random_model(seed: int) -> Spec:
    rng = random.Random(seed)
    rank = rng.choice([0, 1, 2, 3, 3, 3, 3, 4])
    shape = [None if rng.random() < 0.1 else rng.choice([3, 3, 5, 8, 16])
             for _ in range(rank)]
    layers = [random_layer(rng, bad=index == 0) for index in range(rng.choice([1, 1, 2, 3]))]
    return model(shape, *layers, batch=rng.choice([None, None, 2]))


GENERATED = [random_model(seed) for seed in range(400)]


@pytest.mark.parametrize("spec", GENERATED)
def test_image_preprocessing_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_image_preprocessing_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in GENERATED]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.9
    used = {layer["type"] for spec in GENERATED for layer in spec["layers"]}
    assert used == set(NAMES)



def test_image_preprocessing_equalization_refused_as_keras_refuses_its_model() -> None:
    import keras

    from shapewidget import Model

    inputs = keras.Input((4, 4, 3))
    with pytest.raises(ValueError, match="part of a cycle"):
        keras.Model(inputs, keras.layers.Equalization()(inputs))
    error = Model.from_spec(model([4, 4, 3], {"type": "Equalization"})).analyze().error
    assert error is not None and "part of a cycle" in str(error)
