"""Preprocessing layers (numbers, categories, text, audio) against real Keras: hand-picked
cases and seeded generators, valid and invalid.

Hashing, StringLookup, IntegerLookup and TextVectorization need TensorFlow inside Keras
(Keras refuses them without it, even on the JAX backend): the keras extra installs it.
Without it their comparisons skip, which fails a CI run (tests/conftest.py).
"""

from __future__ import annotations

import importlib.util
import random
from typing import Any

import pytest
from keras_reference import assert_matches_keras, shapewidget_reference

pytestmark = pytest.mark.keras

Spec = dict[str, Any]

needs_tf = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                              reason="Keras's lookup and text layers need TensorFlow")


def model(shape: list[int | None], *layers: Spec, batch: int | None = None,
          dtype: str = "float32") -> Spec:
    return {"input_shape": shape, "batch_size": batch, "input_dtype": dtype,
            "layers": list(layers)}


N = "Normalization"

SURPRISES = [
    model([3], {"type": N}),
    model([4, 3], {"type": N}),
    model([], {"type": N}),
    model([None], {"type": N}),
    model([3], {"type": N, "axis": None}),
    model([4, 3], {"type": N, "axis": [1, 2]}),
    model([4, 3], {"type": N, "axis": [2, 1]}),
    model([4, 3], {"type": N, "axis": [-1, 1]}),
    model([3], {"type": N, "axis": [1, 2]}),
    model([4, 3], {"type": N, "axis": 1}),
    model([4, 3], {"type": N, "axis": 0}),
    model([4, 3], {"type": N, "axis": 0}, batch=5),
    model([3], {"type": N, "mean": 2.0, "variance": 3.0}),
    model([], {"type": N, "mean": 2.0, "variance": 3.0}),
    model([3], {"type": N, "mean": [1.0, 2.0, 3.0], "variance": [1.0, 1.0, 1.0]}),
    model([4], {"type": N, "mean": [1.0, 2.0, 3.0], "variance": [1.0, 1.0, 1.0]}),
    model([4, 3], {"type": N, "axis": [1, 2], "mean": [1.0, 2.0, 3.0],
                   "variance": [1.0, 1.0, 1.0]}),
    model([4, 3], {"type": N, "axis": [1, 2], "mean": [[1.0], [2.0], [3.0], [4.0]],
                   "variance": [[1.0], [2.0], [3.0], [4.0]]}),
    model([3], {"type": N, "mean": 2.0}),
    model([3], {"type": N, "mean": [1.0, 2.0], "variance": 1.0}),
    model([3], {"type": N, "mean": [[1.0, 2.0, 3.0]], "variance": [[1.0, 2.0, 3.0]]}),
    model([3], {"type": N, "invert": True, "trainable": False}),
    model([3], {"type": "Discretization", "bin_boundaries": [0.0, 1.0, 2.0]}),
    model([3], {"type": "Discretization", "bin_boundaries": [0.0, 1.0, 2.0],
                "output_mode": "one_hot"}),
    model([1], {"type": "Discretization", "bin_boundaries": [0.0, 1.0],
                "output_mode": "one_hot"}),
    model([], {"type": "Discretization", "bin_boundaries": [0.0, 1.0],
               "output_mode": "multi_hot"}),
    model([4, 3], {"type": "Discretization", "num_bins": 5, "output_mode": "count"}),
    model([3], {"type": "Discretization"}),
    model([3], {"type": "Discretization", "num_bins": 3, "bin_boundaries": [1.0]}),
    model([3], {"type": "Discretization", "num_bins": -1}),
    model([3], {"type": "Discretization", "num_bins": 3, "sparse": True}),
    model([3], {"type": "CategoryEncoding", "num_tokens": 5}, dtype="int32"),
    model([], {"type": "CategoryEncoding", "num_tokens": 5}, dtype="int32"),
    model([4, 3], {"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "one_hot"},
          dtype="int32"),
    model([1], {"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "one_hot"},
          dtype="int32"),
    model([3], {"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "binary"},
          dtype="int32"),
    model([3], {"type": "CategoryEncoding"}, dtype="int32"),
    model([3], {"type": "CategoryEncoding", "num_tokens": 0}, dtype="int32"),
    model([3], {"type": "CategoryEncoding", "num_tokens": 4, "output_mode": "int"},
          dtype="int32"),
    model([16000], {"type": "MelSpectrogram"}),
    model([], {"type": "MelSpectrogram"}),
    model([None], {"type": "MelSpectrogram", "num_mel_bins": 64, "sequence_stride": 100}),
    model([4, 3], {"type": "MelSpectrogram"}),
    model([16000], {"type": "MelSpectrogram", "fft_length": 256, "sequence_length": 512}),
    model([16000, 1], {"type": "STFTSpectrogram"}),
    model([16000], {"type": "STFTSpectrogram"}),
    model([1000, 2], {"type": "STFTSpectrogram", "frame_length": 64, "frame_step": 16}),
    model([1000, 2], {"type": "STFTSpectrogram", "frame_length": 64, "frame_step": 16,
                      "expand_dims": True}),
    model([2, 1000], {"type": "STFTSpectrogram", "frame_length": 64, "frame_step": 16,
                      "data_format": "channels_first", "padding": "same"}),
    model([2, 1000], {"type": "STFTSpectrogram", "frame_length": 64, "mode": "stft",
                      "data_format": "channels_first", "expand_dims": True}),
    model([100, 1], {"type": "STFTSpectrogram", "frame_length": 200}),
    model([100, 1], {"type": "STFTSpectrogram", "frame_length": 200, "padding": "same"}),
    model([100, 1], {"type": "STFTSpectrogram", "frame_length": 60, "mode": "real"}),
    model([100, 1], {"type": "STFTSpectrogram", "frame_length": 60, "mode": "imag"}),
    model([100, 1], {"type": "STFTSpectrogram", "frame_length": 60, "fft_length": 30}),
    model([100, 1], {"type": "STFTSpectrogram", "frame_length": 60, "frame_step": 61}),
    model([None, 1], {"type": "STFTSpectrogram", "frame_length": 60, "trainable": False}),
    model([100, None], {"type": "STFTSpectrogram", "frame_length": 60}),
    model([3], {"type": "Discretization", "bin_boundaries": 0.5}),
    model([3], {"type": "Discretization", "bin_boundaries": [0.5], "trainable": False}),
    model([8, 8, 3], {"type": "Pipeline", "layers": [{"type": "RandomFlip"},
                                                     {"type": "Resizing", "height": 4,
                                                      "width": 4}]}),
    model([8], {"type": "Pipeline", "layers": [{"type": "Dense", "units": 3},
                                               {"type": "Dense", "units": 2}]}),
    model([8], {"type": "Pipeline", "layers": [{"type": N}]}),
    model([8], {"type": "Pipeline", "layers": []}),
    model([8], {"type": "Pipeline", "layers": [{"type": "Dense", "units": 3}],
                "trainable": False}),
    model([8], {"type": "Pipeline", "layers": [{"type": "Conv2D", "filters": 3,
                                                "kernel_size": 3}]}),
    model([8], {"type": "Pipeline", "layers": [{"type": "Dense", "units": 3}]},
          {"type": "Dense", "units": 2}),
]


@pytest.mark.parametrize("spec", SURPRISES)
def test_preprocessing_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


S = "StringLookup"
TV = "TextVectorization"
VOCAB = ["a", "b", "c"]

TF_SURPRISES = [
    model([1], {"type": S}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB}, dtype="string"),
    model([], {"type": S, "vocabulary": VOCAB}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "one_hot"}, dtype="string"),
    model([1], {"type": S, "vocabulary": VOCAB, "output_mode": "one_hot"}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "multi_hot"}, dtype="string"),
    model([], {"type": S, "vocabulary": VOCAB, "output_mode": "multi_hot"}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "count",
                "num_oov_indices": 2}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "count",
                "mask_token": ""}, dtype="string"),
    model([3], {"type": S, "vocabulary": ["", "[UNK]", "a"], "output_mode": "count",
                "mask_token": ""}, dtype="string"),
    model([3], {"type": S, "vocabulary": ["[UNK]", "a", "b"], "output_mode": "count"},
          dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "tf_idf",
                "idf_weights": [1.0, 2.0, 3.0]}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "tf_idf"}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "tf_idf",
                "idf_weights": [1.0, 2.0]}, dtype="string"),
    model([3], {"type": S, "max_tokens": 10, "output_mode": "multi_hot"}, dtype="string"),
    model([3], {"type": S, "max_tokens": 10, "output_mode": "multi_hot",
                "pad_to_max_tokens": True}, dtype="string"),
    model([3], {"type": S, "max_tokens": 3, "vocabulary": VOCAB}, dtype="string"),
    model([3], {"type": S, "max_tokens": 1}, dtype="string"),
    model([3], {"type": S, "vocabulary": ["a", "a"]}, dtype="string"),
    model([3], {"type": S, "vocabulary": []}, dtype="string"),
    model([3], {"type": S, "invert": True, "output_mode": "count"}, dtype="string"),
    model([3], {"type": S, "pad_to_max_tokens": True}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB, "output_mode": "binary"}, dtype="string"),
    model([3], {"type": S, "vocabulary": VOCAB}),
    model([3], {"type": "IntegerLookup", "vocabulary": [1, 2, 3]}, dtype="int32"),
    model([3], {"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "one_hot"},
          dtype="int32"),
    model([3], {"type": "IntegerLookup", "max_tokens": 5, "output_mode": "count"},
          dtype="int32"),
    model([3], {"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "count",
                "mask_token": 0}, dtype="int32"),
    model([1], {"type": TV}, dtype="string"),
    model([], {"type": TV, "output_sequence_length": 7}, dtype="string"),
    model([1], {"type": TV, "max_tokens": 100, "output_mode": "multi_hot"}, dtype="string"),
    model([], {"type": TV, "vocabulary": ["a", "b"], "output_mode": "count"},
          dtype="string"),
    model([1], {"type": TV, "vocabulary": ["a", "b"], "output_mode": "tf_idf",
                "idf_weights": [1.0, 2.0]}, dtype="string"),
    model([1], {"type": TV, "max_tokens": 50, "output_mode": "tf_idf"}, dtype="string"),
    model([1], {"type": TV, "max_tokens": 50, "output_mode": "tf_idf",
                "pad_to_max_tokens": True}, dtype="string"),
    model([1], {"type": TV, "vocabulary": ["a", "b"], "output_mode": "multi_hot",
                "split": None}, dtype="string"),
    model([], {"type": TV, "vocabulary": ["a", "b"], "output_mode": "multi_hot",
               "split": None}, dtype="string"),
    model([1], {"type": TV, "output_mode": "multi_hot", "output_sequence_length": 4},
          dtype="string"),
    model([1], {"type": TV, "sparse": True}, dtype="string"),
    model([1], {"type": TV, "max_tokens": 1}, dtype="string"),
    model([1], {"type": TV, "vocabulary": ["a", "a"]}, dtype="string"),
    model([1], {"type": TV, "output_sequence_length": 4}, {"type": "Embedding",
                                                           "input_dim": 100,
                                                           "output_dim": 8}),
    model([1], {"type": TV, "output_sequence_length": 4}, {"type": S}, dtype="string"),
    model([3], {"type": "Hashing", "num_bins": 5}, dtype="int32"),
    model([3], {"type": "Hashing", "num_bins": 5, "output_mode": "one_hot"}, dtype="int32"),
    model([], {"type": "Hashing", "num_bins": 5, "output_mode": "count"}, dtype="int32"),
    model([3], {"type": "Hashing", "num_bins": 0}, dtype="int32"),
    model([3], {"type": "Hashing", "num_bins": 5, "salt": [1, 2]}, dtype="string"),
    model([3], {"type": "Hashing", "num_bins": 5, "salt": "x"}, dtype="string"),
    model([3], {"type": "Hashing", "num_bins": 5, "sparse": True}, dtype="string"),
]


def crossing(shapes: list[list[int | None]], **args: Any) -> Spec:
    return {"inputs": [{"name": f"x{i}", "shape": shape, "dtype": "int32"}
                       for i, shape in enumerate(shapes)],
            "layers": [{"type": "HashedCrossing", "num_bins": 5, **args,
                        "inbound": [f"x{i}" for i in range(len(shapes))]}]}


TF_SURPRISES += [
    crossing([[3], [3]]),
    crossing([[3], [3]], output_mode="one_hot"),
    crossing([[1], [1]], output_mode="one_hot"),
    crossing([[], []], output_mode="one_hot"),
    crossing([[], []]),
    crossing([[3], [4]]),
    crossing([[3], [3]], sparse=True),
]


@needs_tf
@pytest.mark.parametrize("spec", TF_SURPRISES)
def test_preprocessing_lookup_surprises_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


# --- seeded generators -------------------------------------------------------------------


def _shape(rng: random.Random) -> list[int | None]:
    return [None if rng.random() < 0.1 else rng.choice([1, 1, 3, 4])
            for _ in range(rng.choice([0, 1, 1, 1, 2]))]


def random_numeric(seed: int) -> Spec:
    rng = random.Random(seed)
    shape = _shape(rng)
    kind = rng.choice(["N", "N", "D", "C", "M", "S"])
    spec: Spec
    if kind == "N":
        spec = {"type": N, "axis": rng.choice([-1, -1, None, 0, 1, 2, -2, [1, 2], [-1, 1]])}
        if rng.random() < 0.4:
            value = rng.choice([2.0, [1.0, 2.0, 3.0], [1.0], [[1.0, 2.0, 3.0]],
                                [[1.0], [2.0], [3.0]], [1.0, 2.0, 3.0, 4.0]])
            spec["mean"] = value
            spec["variance"] = value if rng.random() < 0.9 else 1.0
    elif kind == "D":
        spec = {"type": "Discretization",
                "output_mode": rng.choice(["int", "one_hot", "multi_hot", "count"])}
        if rng.random() < 0.6:
            spec["bin_boundaries"] = rng.choice([[0.0], [0.0, 1.0, 2.0], []])
        if rng.random() < 0.5:
            spec["num_bins"] = rng.choice([0, 3, 5])
    elif kind == "C":
        spec = {"type": "CategoryEncoding", "num_tokens": rng.choice([1, 4, 6, 0]),
                "output_mode": rng.choice(["multi_hot", "one_hot", "count"])}
    elif kind == "M":
        spec = {"type": "MelSpectrogram", "num_mel_bins": rng.choice([8, 16]),
                "sequence_stride": rng.choice([2, 3, 7]), "fft_length": 16}
        shape = [rng.choice([None, 40, 100]), *shape[:rng.choice([0, 0, 1])]]
    else:
        spec = {"type": "STFTSpectrogram", "frame_length": rng.choice([4, 8, 30]),
                "frame_step": rng.choice([None, 2, 4]),
                "mode": rng.choice(["log", "real", "imag", "stft"]),
                "padding": rng.choice(["valid", "same"]),
                "expand_dims": rng.random() < 0.3,
                "data_format": rng.choice([None, "channels_first"])}
        shape = [rng.choice([None, 10, 25, 40]), rng.choice([1, 2])]
        if spec["data_format"] == "channels_first":
            shape.reverse()
    layers = [spec]
    if rng.random() < 0.3:
        layers.append({"type": "Dense", "units": 2})
    return model(shape, *layers, batch=rng.choice([None, None, 2]))


NUMERIC = [random_numeric(seed) for seed in range(250)]


@pytest.mark.parametrize("spec", NUMERIC)
def test_preprocessing_random_models_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_preprocessing_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in NUMERIC]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.95


def random_lookup(seed: int) -> Spec:
    rng = random.Random(50_000 + seed)
    shape = _shape(rng)
    kind = rng.choice([S, S, "IntegerLookup", TV, TV])
    integer = kind == "IntegerLookup"
    spec: Spec = {"type": kind}
    modes = ["int", "one_hot", "multi_hot", "count", "tf_idf"]
    spec["output_mode"] = rng.choice(modes if kind != TV else [m for m in modes
                                                                if m != "one_hot"])
    if rng.random() < 0.6:
        vocab: list[Any] = ([1, 2, 3, 4] if integer else ["a", "b", "c", "d"])[
            :rng.randint(1, 4)]
        if rng.random() < 0.1:
            vocab = vocab + vocab[:1]
        spec["vocabulary"] = vocab
        if spec["output_mode"] == "tf_idf" and rng.random() < 0.8:
            spec["idf_weights"] = [1.0] * (len(vocab) + (rng.random() < 0.1))
    if rng.random() < 0.4:
        spec["max_tokens"] = rng.choice([1, 3, 10])
        if rng.random() < 0.5:
            spec["pad_to_max_tokens"] = True
    if kind != TV:
        if rng.random() < 0.3:
            spec["num_oov_indices"] = rng.choice([0, 2, -1])
        if rng.random() < 0.2:
            spec["mask_token"] = 0 if integer else ""
        if rng.random() < 0.1:
            spec["invert"] = True
    else:
        if rng.random() < 0.5:
            spec["output_sequence_length"] = rng.choice([4, 9])
        if rng.random() < 0.2:
            spec["split"] = None
    return model(shape, spec, dtype="int32" if integer else "string",
                 batch=rng.choice([None, 3]))


LOOKUPS = [random_lookup(seed) for seed in range(200)]


@needs_tf
@pytest.mark.parametrize("spec", LOOKUPS)
def test_preprocessing_random_lookups_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_preprocessing_lookup_generator_covers_valid_and_invalid() -> None:
    outcomes = [shapewidget_reference(spec) for spec in LOOKUPS]
    valid = sum(r.error_index is None for r in outcomes)
    assert 0.3 < valid / len(outcomes) < 0.95
