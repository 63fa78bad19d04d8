"""Keras code export (shapewidget.codegen): the text written for each style.

Running the code in real Keras is tested in test_codegen_keras.py.
"""

from __future__ import annotations

import ast

import pytest

from shapewidget import Model, ShapeError
from shapewidget.codegen import STYLES, positional_count, to_keras_code, variable_name
from shapewidget.layers import LAYER_TYPES


def classic(**kwargs: object) -> Model:
    return Model([{"type": "Dense", "units": 4, "activation": "relu"},
                  {"type": "Dense", "units": 4}, {"type": "Dense", "units": 1}],
                 input_shape=(3,), **kwargs)  # type: ignore[arg-type]


def test_codegen_sequential_classic_model() -> None:
    assert classic().to_keras_code("sequential") == (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(3,)),\n"
        '    layers.Dense(4, activation="relu"),\n'
        "    layers.Dense(4),\n"
        "    layers.Dense(1),\n"
        "])\n"
        "model.summary()\n")


def test_codegen_sequential_is_the_default_style() -> None:
    model = classic()
    assert model.to_keras_code() == to_keras_code(model, "sequential")


def test_codegen_sequential_fixed_batch_and_int32_input() -> None:
    model = Model([{"type": "Embedding", "input_dim": 100, "output_dim": 8}],
                  input_shape=(10,), batch_size=30, input_dtype="int32")
    code = model.to_keras_code("sequential")
    assert '    keras.Input(shape=(10,), batch_size=30, dtype="int32"),\n' in code


def test_codegen_sequential_model_name() -> None:
    model = classic(name="tiny")
    assert '], name="tiny")\n' in model.to_keras_code("sequential")


def test_codegen_functional_classic_model() -> None:
    assert classic().to_keras_code("functional") == (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        "inputs = keras.Input(shape=(3,))\n"
        'dense = layers.Dense(4, activation="relu")(inputs)\n'
        "dense_1 = layers.Dense(4)(dense)\n"
        "dense_2 = layers.Dense(1)(dense_1)\n"
        "model = keras.Model(inputs=inputs, outputs=dense_2)\n"
        "model.summary()\n")


def test_codegen_functional_variables_follow_given_names() -> None:
    model = Model([{"type": "Dense", "units": 4, "name": "hidden"},
                   {"type": "Dense", "units": 1, "name": "out-put"}], input_shape=(3,))
    code = model.to_keras_code("functional")
    assert 'hidden = layers.Dense(4, name="hidden")(inputs)\n' in code
    assert 'out_put = layers.Dense(1, name="out-put")(hidden)\n' in code
    assert "outputs=out_put)" in code


def test_codegen_functional_without_layers_outputs_the_input() -> None:
    code = Model(input_shape=(3,)).to_keras_code("functional")
    assert "model = keras.Model(inputs=inputs, outputs=inputs)\n" in code


def test_codegen_variable_name_avoids_reserved_and_taken_names() -> None:
    taken = {"inputs"}
    assert variable_name("inputs", taken) == "inputs_out"
    assert variable_name("model", taken) == "model_out"
    assert variable_name("class", taken) == "class_out"
    assert variable_name("3d", taken) == "_3d"
    assert variable_name("_3d", taken) == "_3d_1"


def test_codegen_legacy_one_dimensional_input_uses_input_dim() -> None:
    assert classic().to_keras_code("legacy") == (
        "from keras.models import Sequential\n"
        "from keras.layers import Dense\n"
        "\n"
        "model = Sequential()\n"
        'model.add(Dense(4, activation="relu", input_dim=3))\n'
        "model.add(Dense(4))\n"
        "model.add(Dense(1))\n"
        "model.summary()\n")


def test_codegen_legacy_multi_dimensional_input_uses_input_shape() -> None:
    model = Model([{"type": "Flatten"}, {"type": "Dense", "units": 2}], input_shape=(5, None))
    code = model.to_keras_code("legacy")
    assert "model.add(Flatten(input_shape=(5, None)))\n" in code
    assert "from keras.layers import Flatten, Dense\n" in code


def test_codegen_legacy_unknown_1d_size_uses_input_shape() -> None:
    model = Model([{"type": "Dense", "units": 2}], input_shape=(None,))
    assert "model.add(Dense(2, input_shape=(None,)))\n" in model.to_keras_code("legacy")


def test_codegen_legacy_fixed_batch_builds_the_model() -> None:
    code = classic(batch_size=30).to_keras_code("legacy")
    assert 'model.add(Dense(4, activation="relu"))\n' in code
    assert "input_dim=" not in code and "input_shape=" not in code
    assert code.endswith("model.build((30, 3))\nmodel.summary()\n")


def test_codegen_legacy_int32_input_starts_with_input_layer() -> None:
    model = Model([{"type": "Dense", "units": 2}], input_shape=(4,), batch_size=8,
                  input_dtype="int32")
    code = model.to_keras_code("legacy")
    assert 'model.add(InputLayer(input_shape=(4,), batch_size=8, dtype="int32"))\n' in code
    assert "model.add(Dense(2))\n" in code
    assert "from keras.layers import InputLayer, Dense\n" in code


def test_codegen_legacy_without_layers_uses_input_layer() -> None:
    code = Model(input_shape=(3,)).to_keras_code("legacy")
    assert "from keras.layers import InputLayer\n" in code
    assert "model.add(InputLayer(input_shape=(3,)))\n" in code


def test_codegen_legacy_first_layer_with_own_input_dim_gets_input_shape() -> None:
    model = Model([{"type": "Embedding", "input_dim": 100, "output_dim": 8}],
                  input_shape=(10,))
    assert "model.add(Embedding(100, 8, input_shape=(10,)))\n" in model.to_keras_code("legacy")


def test_codegen_legacy_model_name() -> None:
    assert 'model = Sequential(name="tiny")\n' in classic(name="tiny").to_keras_code("legacy")


def test_codegen_leading_required_arguments_are_positional() -> None:
    model = Model([{"type": "Conv2D", "filters": 8, "kernel_size": [3, 3], "strides": 2,
                    "padding": "same"}], input_shape=(28, 28, 1))
    code = model.to_keras_code("sequential")
    assert '    layers.Conv2D(8, (3, 3), strides=2, padding="same"),\n' in code


def test_codegen_positional_count_is_the_leading_required_run() -> None:
    assert positional_count(LAYER_TYPES["Dense"]) == 1
    assert positional_count(LAYER_TYPES["Flatten"]) == 0
    for cls in LAYER_TYPES.values():
        n = positional_count(cls)
        assert all(p.required for p in cls.params[:n])
        assert n == len(cls.params) or not cls.params[n].required


def test_codegen_only_given_arguments_are_written() -> None:
    model = Model([{"type": "Dense", "units": 4, "use_bias": True}], input_shape=(3,))
    code = model.to_keras_code("sequential")
    assert "layers.Dense(4, use_bias=True)" in code
    assert "activation" not in code


def test_codegen_name_and_trainable_are_keywords() -> None:
    model = Model([{"type": "Dense", "units": 4, "name": "hidden", "trainable": False}],
                  input_shape=(3,))
    assert 'layers.Dense(4, trainable=False, name="hidden")' in model.to_keras_code()


def test_codegen_wrapped_layer_is_nested() -> None:
    model = Model([{"type": "Bidirectional", "merge_mode": "sum",
                    "layer": {"type": "LSTM", "units": 16, "return_sequences": True,
                              "name": "inner"}}], input_shape=(10, 3))
    assert ('layers.Bidirectional(layers.LSTM(16, return_sequences=True, name="inner"), '
            'merge_mode="sum")') in model.to_keras_code("sequential")
    legacy = model.to_keras_code("legacy")
    assert "from keras.layers import LSTM, Bidirectional\n" in legacy
    assert ('model.add(Bidirectional(LSTM(16, return_sequences=True, name="inner"), '
            'merge_mode="sum", input_shape=(10, 3)))') in legacy


def test_codegen_invalid_model_is_still_exported() -> None:
    model = Model([{"type": "Dense", "units": 4}], input_shape=(3, 4, 5, 6))
    model.add("Conv1D", filters=2, kernel_size=9)
    assert model.analyze().error is not None
    assert "layers.Conv1D(2, 9)" in model.to_keras_code("functional")


@pytest.mark.parametrize("style", STYLES)
def test_codegen_output_is_python(style: str) -> None:
    model = Model([{"type": "Dense", "units": 4, "name": 'quote"d'}], input_shape=(3,),
                  batch_size=2, input_dtype="int32", name="it's")
    ast.parse(model.to_keras_code(style))


def test_codegen_unknown_style_raises_shape_error() -> None:
    with pytest.raises(ShapeError, match="unknown code style 'keras2'") as info:
        classic().to_keras_code("keras2")
    assert info.value.argument == "style"
    assert "'sequential', 'functional', 'legacy'" in str(info.value)
    assert "「" not in info.value.message("ja") and "スタイル" in info.value.message("ja")
