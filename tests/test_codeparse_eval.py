"""The evaluator of pasted code (shapewidget.codeparse): the model-building subset of
Python read over safe values, compared with the same code run in real Keras; what it
cannot know refused with the line; budgets on steps, sizes and depth."""

from __future__ import annotations

from pathlib import Path

import pytest
from code_keras import assert_code_matches_keras

from shapewidget import ShapeError
from shapewidget.codeparse import MAX_SOURCE, from_keras_code

HEAD = "import keras\nfrom keras import layers\n"


def error_of(source: str) -> ShapeError:
    with pytest.raises(ShapeError) as info:
        from_keras_code(source)
    return info.value


# --- values and arithmetic ------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "n = 7 * 7 * 64 // 64 % 50\nm = keras.Sequential([keras.Input((n,)), layers.Dense(n)])",
    "rate = 1.0 / 4\nm = keras.Sequential([keras.Input((3,)), layers.Dropout(rate), "
    "layers.Dense(2 ** 3 - abs(-1))])",
    "img_size = (8, 8)\nm = keras.Sequential([keras.Input(img_size + (3,)), "
    "layers.Conv2D(4, 3)])",
    "shape = (8, 8)\nm = keras.Sequential([keras.Input((*shape, 1)), layers.Flatten()])",
    "sizes = [16, 8, 4, 2]\nm = keras.Sequential([keras.Input((sizes[0],)), "
    "*[layers.Dense(u) for u in sizes[1:-1]], layers.Dense(sizes[-1])])",
    "u = {'hidden': [4, 5]}\nm = keras.Sequential([keras.Input((len(u['hidden']),)), "
    "layers.Dense(max(u['hidden']) + min(3, 9) + int(2.7) + round(1.6) + sum([1, 2]))])",
    "m = keras.Sequential([keras.Input((3,))] + [layers.Dense(n * k) for k, n in "
    "enumerate(list(tuple(range(1, 4))), start=1) if k != 2])",
    "pairs = list(zip([4, 2], ['relu', 'tanh']))\nm = keras.Sequential([keras.Input((3,))])\n"
    "for units, act in pairs:\n    m.add(layers.Dense(units, activation=act))",
    "m = keras.Sequential([keras.Input((3,))])\nfor i in range(3):\n"
    "    if i % 2 == 0:\n        m.add(layers.Dense(4, name=f'dense_even_{i}'))\n"
    "    else:\n        m.add(layers.Dropout(0.1))",
], ids=["int-ops", "float-ops", "tuple-concat", "star-tuple", "index-slice-starred",
        "builtins", "comprehension-enumerate", "for-zip", "for-if-fstring"])
def test_codeparse_eval_values_match_keras(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_code_matches_keras(HEAD + body, monkeypatch)


def test_codeparse_eval_helper_blocks_and_defaults_match_keras(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "def conv_block(x, filters, kernel_size=3, *, pool=True):\n"
        "    x = layers.Conv2D(filters, kernel_size, padding='same')(x)\n"
        "    x = layers.BatchNormalization()(x)\n"
        "    return layers.MaxPooling2D()(x) if pool else x\n"
        "def make_model(input_shape=(32, 32) + (3,), num_classes=2):\n"
        "    inputs = keras.Input(shape=input_shape)\n"
        "    x = inputs\n"
        "    for i, f in enumerate([8, 16, 32]):\n"
        "        x = conv_block(x, f, pool=i < 2)\n"
        "    x = layers.Reshape((x.shape[1] * x.shape[2], x.shape[-1]))(x)\n"
        "    x = layers.GlobalAveragePooling1D()(x)\n"
        "    units = 1 if num_classes == 2 else num_classes\n"
        "    return keras.Model(inputs, layers.Dense(units)(x))\n"
        "model = make_model(num_classes=5)\n")
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_function_returning_layers_and_lists_matches_keras(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "def head(n):\n    return [layers.Dense(n), layers.Dropout(0.5)]\n"
        "def final():\n    return layers.Dense(1, activation='sigmoid')\n"
        "model = keras.Sequential([keras.Input((6,)), *head(4), final()])\n")
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_function_called_twice_returns_the_model_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "def build(width):\n"
        "    return keras.Sequential([keras.Input((3,)), layers.Dense(width)])\n"
        "model = build(4)\nother = build(9)\n")
    assert from_keras_code(source).output_shape == (None, 4)
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_shape_reads_keep_none(monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "inputs = keras.Input(shape=(None, 6))\n"
        "steps, features = inputs.shape[1], int(inputs.shape[-1])\n"
        "x = layers.Dense(features * 2)(inputs)\n"
        "x = layers.Reshape((-1, x.shape[-1] // 2, 2))(x) if steps is None else x\n"
        "model = keras.Model(inputs, x)\n")
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_model_attributes_match_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "i = keras.Input((5,))\nbase = keras.Model(i, layers.Dense(3)(layers.Dense(4)(i)))\n"
        "x = layers.Dense(base.layers[1].units + base.output.shape[-1])(base.output)\n"
        "model = keras.Model(base.inputs, x)\n")
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_shared_layers_in_a_list_match_keras(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "shared = [layers.Dense(4), layers.Dense(2)]\n"
        "a, b = keras.Input((3,)), keras.Input((3,))\n"
        "outs = []\n"
        "for t in (a, b):\n"
        "    for layer in shared:\n"
        "        t = layer(t)\n"
        "    outs.append(t)\n"
        "model = keras.Model([a, b], layers.concatenate(outs))\n")
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_nested_functional_model_is_inlined(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + (
        "i = keras.Input((4,))\nblock = keras.Model(i, layers.Dense(3)(layers.Dense(5)(i)))\n"
        "x = keras.Input((4,))\nmodel = keras.Model(x, layers.Dense(1)(block(x)))\n")
    assert [r.class_name for r in from_keras_code(source).summary().rows] == ["Dense"] * 3
    assert_code_matches_keras(source, monkeypatch)


@pytest.mark.parametrize("imports,dense", [
    ("from keras import layers as L\n", "L.Dense"),
    ("from keras.layers import *\n", "Dense"),
    ("import tensorflow as tf\n", "tf.keras.layers.Dense"),
    ("from tensorflow.keras import layers\n", "layers.Dense"),
])
def test_codeparse_eval_import_styles(imports: str, dense: str) -> None:
    model = from_keras_code(imports + f"import keras\nm = keras.Sequential([keras.Input((3,)), "
                            f"{dense}(4)])")
    assert model.output_shape == (None, 4)


def test_codeparse_eval_keras_aliases_match_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + ("model = keras.Sequential([keras.Input((16, 16, 3)), "
                     "layers.Convolution2D(4, 3), layers.MaxPool2D(), "
                     "layers.GlobalAvgPool2D()])\n")
    assert_code_matches_keras(source, monkeypatch)


# --- model statements -------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "_ = model.add(layers.Dense(8))",
    "print(model.add(layers.Dense(8)))",
    "def grow(m):\n    m.add(layers.Dense(8))\ngrow(model)",
])
def test_codeparse_eval_every_form_of_add_is_honoured(statement: str) -> None:
    source = HEAD + "model = keras.Sequential([keras.Input((3,))])\n" + statement + "\n"
    assert from_keras_code(source).output_shape == (None, 8)


@pytest.mark.parametrize("freeze", [
    "model.layers[0].trainable = False",
    "model.trainable = False",
    "for layer in model.layers[:-1]:\n    layer.trainable = False",
])
def test_codeparse_eval_trainable_flags_match_keras(freeze: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + ("model = keras.Sequential([keras.Input((3,)), layers.Dense(4), "
                     "layers.BatchNormalization(), layers.Dense(2)])\n" + freeze + "\n"
                     "model.compile(optimizer='adam', loss='mse')\nmodel.summary()\n")
    assert_code_matches_keras(source, monkeypatch)


def test_codeparse_eval_training_keyword_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    source = HEAD + ("i = keras.Input((3,))\nx = layers.Dropout(0.5)(i, training=False)\n"
                     "model = keras.Model(i, layers.Dense(2)(x))\n")
    assert_code_matches_keras(source, monkeypatch)


@pytest.mark.parametrize("keyword", ["initial_state=[h, h]", "attention_mask=h"])
def test_codeparse_eval_unsupported_call_keyword_names_it(keyword: str) -> None:
    err = error_of(HEAD + "i = keras.Input((5, 3))\nh = layers.Dense(4)(layers.Flatten()(i))\n"
                   f"x = layers.LSTM(4)(i,\n   {keyword})\nmodel = keras.Model(i, x)\n")
    name = keyword.split("=")[0]
    assert (err.line, err.argument) == (6, name)
    assert f"`{keyword}`" in str(err)


def test_codeparse_eval_summary_compile_fit_lines_are_ignored() -> None:
    source = HEAD + ("model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
                     "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='mse')\n"
                     "history = model.fit(x_train, y_train, epochs=3)\nmodel.summary()\n"
                     "print(history.history['loss'])\n")
    assert from_keras_code(source).output_shape == (None, 2)


# --- refusals ---------------------------------------------------------------------------

def test_codeparse_eval_custom_layer_class_is_refused_with_its_line() -> None:
    err = error_of(HEAD + "class Scale(layers.Layer):\n    def call(self, x):\n"
                   "        return x * 2\ni = keras.Input((3,))\nx = Scale()(i)\n")
    assert err.line == 7
    assert "`Scale` is a class defined in the pasted code (line 3)" in str(err)
    assert "Model.from_keras" in str(err)


def test_codeparse_eval_tensor_operator_is_refused_with_the_fix() -> None:
    err = error_of(HEAD + "i = keras.Input((3,))\nx = layers.Dense(3)(i)\ny = x + i\n"
                   "model = keras.Model(i, layers.Dense(1)(y))\n")
    assert err.line == 5
    assert "layers.Add()([a, b])" in str(err)


def test_codeparse_eval_data_dependent_value_names_its_line() -> None:
    err = error_of(HEAD + "vocab = open('vocab.txt').read().split()\n"
                   "model = keras.Sequential([keras.Input((5,)), "
                   "layers.Embedding(len(vocab), 8)])\n")
    assert err.line == 3
    assert "write the value itself" in str(err)


def test_codeparse_eval_unknown_function_parameter_says_so() -> None:
    err = error_of(HEAD + "def make(num_classes):\n    return keras.Sequential("
                   "[keras.Input((3,)), layers.Dense(num_classes)])\n")
    assert "parameter `num_classes` of `make` has no value" in str(err)
    assert "make(num_classes=10)" in str(err)


def test_codeparse_eval_keras_layer_not_supported_yet_is_not_unknown() -> None:
    err = error_of(HEAD + "model = keras.Sequential([keras.Input((3,)),\n"
                   "  layers.FlaxLayer(None)])\n")
    assert err.line == 4
    assert "does not support yet" in str(err)
    assert "Dense," not in str(err)  # no dump of the known names


def test_codeparse_eval_misspelled_layer_gets_a_suggestion_only() -> None:
    err = error_of(HEAD + "model = keras.Sequential([keras.Input((3,)), layers.Foo(3)])\n")
    assert "unknown layer type `Foo`" in str(err)
    assert "Dense," not in str(err)


def test_codeparse_eval_applications_point_to_from_keras() -> None:
    err = error_of(HEAD + "base = keras.applications.ResNet50(weights=None)\n"
                   "model = keras.Model(base.input, layers.Dense(2)(base.output))\n")
    assert err.line == 3
    assert "Model.from_keras(model)" in str(err)


def test_codeparse_eval_adapt_is_refused_as_data_dependent() -> None:
    err = error_of(HEAD + "norm = layers.Normalization()\nnorm.adapt(data)\n"
                   "model = keras.Sequential([keras.Input((3,)), norm])\n")
    assert err.line == 4
    assert "fits the Normalization layer to data" in str(err)


# --- budgets and safety -----------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "[0] * 10**9", "10**10**8", "'a' * 10**10", "2 << 10**9", "list(range(10**9))",
    "[[0] * 10**5 for _ in range(10**5)]", "'{:99999999}'.format(1)", "f'{1:99999999}'",
    "'x'.join(['ab'] * 99999)", "sum([[1]] * 100, [])",
])
def test_codeparse_eval_oversized_values_are_refused(value: str) -> None:
    err = error_of(HEAD + f"n = {value}\nmodel = keras.Sequential([keras.Input((3,)), "
                   "layers.Dense(n)])\n")
    assert err.line == 3


def test_codeparse_eval_endless_loop_is_stopped_by_the_step_budget() -> None:
    err = error_of(HEAD + "model = keras.Sequential([keras.Input((3,))])\n"
                   "for i in range(10**9):\n    pass\n")
    assert err.line == 4
    assert "steps" in str(err)


def test_codeparse_eval_endless_recursion_is_stopped() -> None:
    err = error_of(HEAD + "def f(n):\n    return f(n + 1)\n"
                   "model = keras.Sequential([keras.Input((3,)), layers.Dense(f(1))])\n")
    assert "functions call each other more than" in str(err)


def test_codeparse_eval_deep_expression_is_a_shape_error() -> None:
    with pytest.raises(ShapeError):
        from_keras_code("n = " + "1 + " * 20_000 + "1\n")


def test_codeparse_eval_wrappers_chained_1000_times_are_refused() -> None:
    lines = ["import keras", "from keras import layers", "w0 = layers.Dense(2)"]
    lines += [f"w{k} = layers.TimeDistributed(w{k - 1})" for k in range(1, 1001)]
    lines.append("model = keras.Sequential([keras.Input((3, 4)), w1000])")
    err = error_of("\n".join(lines))
    assert "wrapped more than" in str(err)


def test_codeparse_eval_over_large_paste_states_the_limit() -> None:
    err = error_of("x = 1\n" * (MAX_SOURCE // 6 + 1))
    assert f"at most {MAX_SOURCE:,}" in str(err)


def test_codeparse_eval_message_shows_code_after_wide_characters() -> None:
    err = error_of("import numpy as np\nw = 'é漢字'; n = np.zeros(3)\n"
                   "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(n)])")
    assert (err.line, "`np.zeros(3)`" in str(err)) == (2, True)


@pytest.mark.parametrize("payload", [
    "().__class__.__bases__[0].__subclasses__()",
    "'{0.__class__}'.format(1)",
    "getattr(keras, 'os')",
    "__import__('os').system('touch {target}')",
    "open('{target}', 'w').write('x')",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(lambda: __import__('os').system('touch {target}'))()",
    "keras.utils.get_file('{target}', 'http://example.com')",
])
def test_codeparse_eval_hostile_values_never_run(payload: str, tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    code = payload.replace("{target}", str(target))
    with pytest.raises(ShapeError):
        from_keras_code(HEAD + f"n = {code}\nmodel = keras.Sequential([keras.Input((3,)), "
                        "layers.Dense(n)])\n")
    assert not target.exists()


def test_codeparse_eval_messages_have_japanese() -> None:
    err = error_of(HEAD + "class Scale(layers.Layer):\n    pass\ni = keras.Input((3,))\n"
                   "x = Scale()(i)\n")
    assert "独自のサブクラス" in err.message("ja")


def test_codeparse_eval_model_called_on_data_is_not_part_of_the_model() -> None:
    source = HEAD + ("model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
                     "preds = model(x_test[:5])\n"
                     "for step, (x, y) in enumerate(dataset):\n"
                     "    logits = model(x, training=True)\n")
    assert from_keras_code(source).output_shape == (None, 2)


def test_codeparse_eval_whole_tutorial_file_reads_its_model() -> None:
    source = HEAD + (
        "import os\nimport tensorflow as tf\n"
        "os.environ['KERAS_BACKEND'] = 'tensorflow'\n"
        "raw_train_ds = keras.utils.text_dataset_from_directory('aclImdb/train', "
        "batch_size=32)\n"
        "for text_batch, label_batch in raw_train_ds.take(1):\n"
        "    for i in range(5):\n        print(text_batch.numpy()[i])\n"
        "def custom_standardization(input_data):\n"
        "    return tf.strings.lower(input_data)\n"
        "vectorize_layer = keras.layers.TextVectorization(\n"
        "    standardize=custom_standardization, max_tokens=20000, output_mode='int',\n"
        "    output_sequence_length=500)\n"
        "vectorize_layer.adapt(raw_train_ds.map(lambda x, y: x))\n"
        "inputs = keras.Input(shape=(None,), dtype='int64')\n"
        "x = layers.Embedding(20000, 128)(inputs)\n"
        "predictions = layers.Dense(1, activation='sigmoid')(layers.GlobalMaxPooling1D()(x))\n"
        "model = keras.Model(inputs, predictions)\n"
        "model.fit(raw_train_ds, epochs=3)\n"
        "inputs = keras.Input(shape=(1,), dtype='string')\n"
        "end_to_end_model = keras.Model(inputs, model(vectorize_layer(inputs)))\n")
    model = from_keras_code(source)
    assert [r.class_name for r in model.summary().rows] == [
        "Embedding", "GlobalMaxPooling1D", "Dense"]


@pytest.mark.parametrize("call", ["mha(x, x)", "mha(query=x, value=x)", "mha(x, x, x)",
                                  "mha(x, x, use_causal_mask=True, attention_mask=None)"])
def test_codeparse_eval_attention_calls_match_keras(call: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert_code_matches_keras(HEAD + "i = keras.Input((6, 8))\nx = layers.Dense(8)(i)\n"
                              "mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)\n"
                              f"y = {call}\nmodel = keras.Model(i, layers.Add()([x, y]))\n",
                              monkeypatch)
