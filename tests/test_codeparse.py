"""Reading pasted Keras code (shapewidget.codeparse): spellings, errors with their line,
and that nothing is ever executed."""

from __future__ import annotations

from pathlib import Path

import pytest

from shapewidget import Model, ShapeError
from shapewidget.codeparse import from_keras_code
from shapewidget.layers import LAYER_TYPES

SEQUENTIAL_CLASSIC = """
model = Sequential()
model.add(Dense(units=4, input_shape=(3,)))
model.add(Dense(units=4))
model.add(Dense(units=1))
"""

FUNCTIONAL_CLASSIC = """
inpTensor = Input((3,))
hidden1Out = Dense(units=4)(inpTensor)
hidden2Out = Dense(units=4)(hidden1Out)
finalOut = Dense(units=1)(hidden2Out)
model = Model(inpTensor, finalOut)
"""

DENSE_341 = {"input_shape": [3], "batch_size": None, "input_dtype": "float32",
             "layers": [{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4},
                        {"type": "Dense", "units": 1}]}


def spec_of(source: str) -> dict[str, object]:
    return from_keras_code(source).to_spec()


def error_of(source: str) -> ShapeError:
    with pytest.raises(ShapeError) as info:
        from_keras_code(source)
    return info.value


@pytest.mark.parametrize("source", [SEQUENTIAL_CLASSIC, FUNCTIONAL_CLASSIC])
def test_codeparse_classic_examples_give_keras_shapes_and_counts(source: str) -> None:
    rows = Model.from_keras_code(source).summary().rows
    assert [r.output_shape for r in rows] == [(None, 4), (None, 4), (None, 1)]
    assert [r.trainable_params for r in rows] == [16, 20, 5]


@pytest.mark.parametrize("source", [SEQUENTIAL_CLASSIC, FUNCTIONAL_CLASSIC])
def test_codeparse_classic_examples_give_the_spec(source: str) -> None:
    assert spec_of(source) == DENSE_341


@pytest.mark.parametrize("sequential", ["Sequential", "keras.Sequential",
                                        "keras.models.Sequential", "tf.keras.Sequential",
                                        "tf.keras.models.Sequential", "models.Sequential"])
def test_codeparse_sequential_spellings(sequential: str) -> None:
    source = (f"model = {sequential}([\n    Input(shape=(3,)),\n    Dense(4),\n"
              "    Dense(4),\n    Dense(1),\n])\n")
    assert spec_of(source) == DENSE_341


@pytest.mark.parametrize("first", [
    "Input((3,))", "keras.Input(shape=(3,))", "layers.Input(shape=(3,))",
    "keras.layers.Input((3,))", "InputLayer(shape=(3,))", "layers.InputLayer(input_shape=(3,))",
    "keras.layers.InputLayer(batch_input_shape=(None, 3))", "keras.Input(batch_shape=(None, 3))",
])
def test_codeparse_input_spellings_in_sequential(first: str) -> None:
    source = f"model = keras.Sequential([{first}, layers.Dense(4), layers.Dense(4), " \
             "layers.Dense(1)])"
    assert spec_of(source) == DENSE_341


@pytest.mark.parametrize("dense", ["Dense", "layers.Dense", "keras.layers.Dense",
                                   "tf.keras.layers.Dense", "tensorflow.keras.layers.Dense"])
def test_codeparse_layer_path_spellings(dense: str) -> None:
    source = (f"model = Sequential([{dense}(4, input_shape=(3,)), {dense}(4), {dense}(1)])")
    assert spec_of(source) == DENSE_341


@pytest.mark.parametrize("imports", [
    "from keras.layers import Dense\nfrom keras.models import Sequential",
    "from keras.layers import *\nfrom keras.models import *",
    "from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.models import Sequential",
    "from tensorflow.keras.layers import Dense as D\nfrom tensorflow import keras\n"
    "Sequential = keras.Sequential",
])
def test_codeparse_import_spellings(imports: str) -> None:
    dense = "D" if " as D" in imports else "Dense"
    source = (f"{imports}\nmodel = Sequential()\nmodel.add({dense}(4, input_shape=(3,)))\n"
              f"model.add({dense}(4))\nmodel.add({dense}(1))\n")
    if "Sequential = keras.Sequential" in source:
        source = source.replace("Sequential = keras.Sequential\n", "").replace(
            "model = Sequential()", "model = keras.Sequential()")
    assert spec_of(source) == DENSE_341


def test_codeparse_module_alias() -> None:
    source = ("from tensorflow.keras import layers as L\nimport tensorflow as tf\n"
              "m = tf.keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(4), L.Dense(1)])")
    assert spec_of(source) == DENSE_341


def test_codeparse_input_dim_is_a_1d_input_shape() -> None:
    source = "model = Sequential([Dense(4, input_dim=3), Dense(4), Dense(1)])"
    assert spec_of(source) == DENSE_341


def test_codeparse_batch_size_on_first_layer() -> None:
    spec = spec_of("m = Sequential([Dense(4, input_shape=(3,), batch_size=30)])")
    assert (spec["input_shape"], spec["batch_size"]) == ([3], 30)


def test_codeparse_batch_input_shape_on_first_layer() -> None:
    spec = spec_of("m = Sequential([Dense(4, batch_input_shape=(30, 5, 3))])")
    assert (spec["input_shape"], spec["batch_size"]) == ([5, 3], 30)


def test_codeparse_batch_shape_on_input() -> None:
    spec = spec_of("x = keras.Input(batch_shape=(8, 3))\ny = layers.Dense(2)(x)\n"
                   "m = keras.Model(x, y)")
    assert (spec["input_shape"], spec["batch_size"]) == ([3], 8)


def test_codeparse_model_build_fixes_the_batch() -> None:
    spec = spec_of("model = Sequential()\nmodel.add(Dense(4))\nmodel.build((30, 3))\n")
    assert (spec["input_shape"], spec["batch_size"]) == ([3], 30)


def test_codeparse_input_dtype() -> None:
    spec = spec_of("x = keras.Input(shape=(10,), dtype='int32')\n"
                   "y = layers.Embedding(100, 8)(x)\nm = keras.Model(x, y)")
    assert spec["input_dtype"] == "int32"


def test_codeparse_dtype_attribute_is_read_as_its_name() -> None:
    spec = spec_of("x = tf.keras.Input(shape=(10,), dtype=tf.int32)\n"
                   "m = tf.keras.Model(x, tf.keras.layers.Embedding(100, 8)(x))")
    assert spec["input_dtype"] == "int32"


def test_codeparse_positional_arguments_follow_the_declaration_order() -> None:
    spec = spec_of("m = Sequential([Input((28, 28, 1)), Conv2D(8, (3, 3), 2, 'same')])")
    assert spec["layers"] == [{"type": "Conv2D", "filters": 8, "kernel_size": [3, 3],
                               "strides": 2, "padding": "same"}]


def test_codeparse_keyword_arguments() -> None:
    spec = spec_of("m = Sequential([Input((3,)), Dense(units=4, activation='relu', "
                   "use_bias=False)])")
    assert spec["layers"] == [{"type": "Dense", "units": 4, "activation": "relu",
                               "use_bias": False}]


def test_codeparse_names_of_layers_and_model() -> None:
    spec = spec_of("m = Sequential([Input((3,)), Dense(4, name='hidden')], name='tiny')")
    assert spec["layers"] == [{"type": "Dense", "units": 4, "name": "hidden"}]
    assert spec["name"] == "tiny"


def test_codeparse_functional_keywords_and_reassigned_variable() -> None:
    source = ("inputs = keras.Input(shape=(3,))\nx = layers.Dense(4)(inputs)\n"
              "x = layers.Dense(4)(x)\noutputs = layers.Dense(1)(x)\n"
              "model = keras.Model(inputs=inputs, outputs=outputs, name='net')\n")
    spec = spec_of(source)
    assert spec["layers"] == DENSE_341["layers"]
    assert spec["name"] == "net"


def test_codeparse_functional_nested_calls() -> None:
    source = "i = Input((3,))\nm = Model(i, Dense(1)(Dense(4)(Dense(4)(i))))"
    assert spec_of(source) == DENSE_341


def test_codeparse_functional_single_element_lists() -> None:
    source = "i = Input((3,))\no = Dense(1)(Dense(4)(Dense(4)(i)))\nm = Model([i], [o])"
    assert spec_of(source) == DENSE_341


def test_codeparse_functional_without_model_call_uses_last_tensor() -> None:
    source = "i = Input((3,))\nh = Dense(4)(i)\nh = Dense(4)(h)\nDense(1)(h)\n"
    assert spec_of(source) == DENSE_341


def test_codeparse_layer_in_a_variable_added_and_called() -> None:
    added = "d = Dense(4, input_shape=(3,))\nm = Sequential()\nm.add(d)\nm.add(Dense(4))\n" \
            "m.add(Dense(1))"
    called = "d = Dense(4)\ni = Input((3,))\nm = Model(i, Dense(1)(Dense(4)(d(i))))"
    assert spec_of(added) == DENSE_341
    assert spec_of(called) == DENSE_341


def test_codeparse_layer_list_in_a_variable() -> None:
    source = "stack = [Dense(4, input_shape=(3,)), Dense(4), Dense(1)]\nm = Sequential(stack)"
    assert spec_of(source) == DENSE_341


def test_codeparse_constant_variables_are_read() -> None:
    source = "n_in = (3,)\nhidden = 4\nm = Sequential([Input(n_in), Dense(hidden), " \
             "Dense(hidden), Dense(1)])"
    assert spec_of(source) == DENSE_341


def test_codeparse_activation_functions_are_read_as_names() -> None:
    spec = spec_of("m = Sequential([Input((3,)), Dense(4, activation=tf.nn.relu), "
                   "Dense(1, activation=keras.activations.sigmoid)])")
    assert [lay.get("activation") for lay in spec["layers"]] == ["relu", "sigmoid"]  # type: ignore[attr-defined, union-attr]


def test_codeparse_wrapped_layers_are_nested() -> None:
    source = ("inner = LSTM(8, return_sequences=True)\n"
              "m = Sequential([Input((10, 3)), Bidirectional(inner, merge_mode='sum'), "
              "TimeDistributed(Dense(2, name='td'))])")
    assert spec_of(source)["layers"] == [
        {"type": "Bidirectional", "merge_mode": "sum",
         "layer": {"type": "LSTM", "units": 8, "return_sequences": True}},
        {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 2, "name": "td"}}]


def test_codeparse_training_lines_and_imports_are_ignored() -> None:
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "x_train = np.random.rand(30, 3)\n" + SEQUENTIAL_CLASSIC +
              "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='mse')\n"
              "history = model.fit(x_train, np.zeros(30), epochs=3)\n"
              "model.summary()\nprint(model.predict(x_train))\n")
    assert spec_of(source) == DENSE_341


def test_codeparse_add_without_sequential_line() -> None:
    source = "model.add(Dense(4, input_shape=(3,)))\nmodel.add(Dense(4))\nmodel.add(Dense(1))"
    assert spec_of(source) == DENSE_341


def test_codeparse_pop_removes_the_last_layer() -> None:
    assert spec_of(SEQUENTIAL_CLASSIC + "model.add(Dense(9))\nmodel.pop()\n") == DENSE_341


def test_codeparse_with_block_is_read() -> None:
    source = "with strategy.scope():\n" + "".join(
        f"    {line}\n" for line in SEQUENTIAL_CLASSIC.strip().splitlines())
    assert spec_of(source) == DENSE_341


def test_codeparse_model_built_in_a_function() -> None:
    source = "def build_model():\n" + "".join(
        f"    {line}\n" for line in SEQUENTIAL_CLASSIC.strip().splitlines()) + \
        "    return model\n\nmodel = build_model()\n"
    assert spec_of(source) == DENSE_341


def test_codeparse_last_model_is_returned() -> None:
    source = "a = Sequential([Input((5,)), Dense(2)])\n" + SEQUENTIAL_CLASSIC
    assert spec_of(source) == DENSE_341


def test_codeparse_layer_dtype_argument_is_read_or_dropped() -> None:
    spec = spec_of("m = Sequential([Input((3,)), Dense(4, dtype='float32')])")
    declared = "dtype" in {p.name for p in LAYER_TYPES["Dense"].all_params()}
    expected = {"type": "Dense", "units": 4, **({"dtype": "float32"} if declared else {})}
    assert spec["layers"] == [expected]


# --- errors, each with its line -------------------------------------------------------

def test_codeparse_input_shape_int_explains_the_missing_comma() -> None:
    err = error_of("model = Sequential()\nmodel.add(Dense(4, input_shape=(3)))\n")
    assert err.line == 2
    assert err.argument == "input_shape"
    assert "`input_shape=(3)` is the int 3, not a tuple" in str(err)
    assert "write `input_shape=(3,)` with a comma, or `input_dim=3`" in str(err)
    assert "(3)" in err.message("ja") and "整数 3" in err.message("ja")


def test_codeparse_input_positional_shape_int_shows_what_was_typed() -> None:
    err = error_of("x = Input(( 3 ))\ny = Dense(1)(x)\nm = Model(x, y)")
    assert err.line == 1
    assert err.argument == "shape"
    assert "`shape=( 3 )` is the int 3" in str(err)
    assert "write `shape=(3,)` with a comma" in str(err)


def test_codeparse_batch_input_shape_int_suggests_the_batch_axis() -> None:
    err = error_of("m = Sequential([\n  Dense(4, batch_input_shape=(30))])")
    assert err.line == 2
    assert "`batch_input_shape=(None, 30)`" in str(err)


def test_codeparse_bad_input_dim_names_its_line() -> None:
    err = error_of("m = Sequential()\nm.add(Dense(4,\n  input_dim=0))")
    assert (err.line, err.argument) == (3, "input_dim")


def test_codeparse_bad_input_dtype_names_its_line() -> None:
    err = error_of("x = Input((3,),\n dtype='float33')\nm = Model(x, Dense(1)(x))")
    assert (err.line, err.argument) == (2, "dtype")


def test_codeparse_syntax_error_names_the_line() -> None:
    err = error_of("model = Sequential()\nmodel.add(Dense(4)\n\nx = 1 +\n")
    assert err.line is not None and err.line >= 2
    assert "not valid Python" in str(err)


def test_codeparse_unknown_variable_names_the_line() -> None:
    err = error_of("m = Sequential()\nm.add(Input((3,)))\nm.add(Dense(n_units))")
    assert err.line == 3
    assert "`n_units`" in str(err)


def test_codeparse_variable_from_an_unknown_call_is_not_read() -> None:
    err = error_of("n = int(input())\nm = Sequential([Input((3,)), Dense(n)])")
    assert err.line == 1
    assert "`input`" in str(err)


def test_codeparse_non_literal_argument_names_the_line() -> None:
    err = error_of("m = Sequential([\n  Input((3,)),\n  Dense(units=np.int64(4)),\n])")
    assert err.line == 3
    assert "cannot read `np.int64(4)`" in str(err)


def test_codeparse_unknown_layer_type_suggests_a_close_one() -> None:
    err = error_of("m = Sequential([Input((3,)),\n  layers.Dens(4)])")
    assert err.line == 2
    assert "unknown layer type `Dens`" in str(err)
    assert "`Dense`" in str(err)


def test_codeparse_layer_argument_error_keeps_index_name_argument_and_line() -> None:
    err = error_of("m = Sequential([\n  Input((3,)),\n  Dense(4),\n  Dense(\n"
                   "    units='4'),\n])")
    assert (err.line, err.layer_index, err.layer_name, err.argument) == (5, 1, "dense_1",
                                                                         "units")
    assert "write 4 without quotes" in str(err)


def test_codeparse_layer_argument_error_uses_the_given_name() -> None:
    err = error_of("m = Sequential([Input((3,)), Dense(0, name='hidden')])")
    assert (err.layer_index, err.layer_name, err.argument, err.line) == (0, "hidden",
                                                                         "units", 1)


def test_codeparse_unknown_argument_names_its_line() -> None:
    err = error_of("m = Sequential([Input((3,)),\n Dense(4,\n   unit=4)])")
    assert (err.line, err.argument, err.layer_index) == (3, "unit", 0)


def test_codeparse_too_many_positional_arguments() -> None:
    err = error_of("m = Sequential([Input((3,)),\n Dropout(0.5, None, 1, 2)])")
    assert (err.line, err.layer_index) == (2, 0)
    assert "at most 3 positional" in str(err)


def test_codeparse_wrapped_layer_error_names_the_inner_argument() -> None:
    err = error_of("m = Sequential([Input((10, 3)), Bidirectional(\n  LSTM(\n    units=0))])")
    assert (err.line, err.layer_index, err.argument) == (3, 0, "layer.units")


def test_codeparse_sequential_layer_added_twice_suggests_a_shared_layer() -> None:
    err = error_of("d = Dense(3)\nm = Sequential([Input((3,)), d,\n d])")
    assert err.line == 3
    assert "added to this Sequential model twice" in str(err)
    assert "shared = Dense(4)" in str(err)


def test_codeparse_output_from_an_input_not_listed() -> None:
    err = error_of("a = Input((3,))\nb = Input((3,))\nm = Model(a,\n Dense(1)(b))")
    assert err.line == 3
    assert "computed from the input `Input((3,))` (line 2)" in str(err)
    assert "inputs=[...]" in str(err)


def test_codeparse_no_model_found() -> None:
    err = error_of("import keras\nx = 3\n")
    assert "no model found" in str(err)


def test_codeparse_missing_input_shape() -> None:
    err = error_of("import keras\nmodel = keras.Sequential([\n  keras.layers.Dense(4)])")
    assert err.line == 2
    assert "input_shape=(3,)" in str(err)


def test_codeparse_input_after_layers() -> None:
    err = error_of("m = Sequential()\nm.add(Dense(4))\nm.add(Input((3,)))")
    assert err.line == 3
    assert "must come before the layers" in str(err)


def test_codeparse_second_input() -> None:
    err = error_of("m = Sequential([Input((3,)),\n Input((4,)), Dense(1)])")
    assert err.line == 2
    assert "already has an input (line 1)" in str(err)


def test_codeparse_build_conflicting_with_the_input() -> None:
    err = error_of("m = Sequential([Dense(4, input_shape=(3,))])\nm.build((None, 5))")
    assert err.line == 2
    assert "differs from the input already given" in str(err)


def test_codeparse_loop_adding_layers_is_read() -> None:
    spec = spec_of("m = Sequential([Input((3,))])\nfor u in [4, 4, 1]:\n    m.add(Dense(u))")
    assert spec == DENSE_341


def test_codeparse_loop_over_unknown_values_adding_layers_names_the_line() -> None:
    err = error_of("m = Sequential([Input((3,))])\nfor u in sizes():\n    m.add(Dense(u))")
    assert err.line == 2
    assert "`for` loop runs over `sizes()`" in str(err)


def test_codeparse_star_arguments_are_read() -> None:
    spec = spec_of("kw = {'units': 4}\nm = Sequential([Input((3,)),\n Dense(**kw), "
                   "Dense(*[4]), Dense(1)])")
    assert spec == DENSE_341


def test_codeparse_star_arguments_of_unknown_values_name_the_line() -> None:
    err = error_of("m = Sequential([Input((3,)),\n Dense(**kw)])")
    assert err.line == 2
    assert "`kw`" in str(err)


def test_codeparse_nested_model_is_inlined() -> None:
    spec = spec_of("inner = Sequential([Dense(4), Dense(4)])\ni = Input((3,))\n"
                   "m = Model(i, Dense(1)(inner(i)))")
    assert spec == DENSE_341


def test_codeparse_source_must_be_a_string() -> None:
    with pytest.raises(ShapeError, match="Python source code"):
        from_keras_code(b"model = Sequential()")  # type: ignore[arg-type]


def test_codeparse_messages_have_japanese() -> None:
    err = error_of("m = Sequential([Input((3,)), Dens(4)])")
    assert "不明なレイヤーの型" in err.message("ja")


# --- never executed ---------------------------------------------------------------------

def test_codeparse_executes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    sources = [
        f"__import__('os').system('touch {target}')\n" + SEQUENTIAL_CLASSIC.replace(
            "model.add(Dense(units=1))", f"model.add(Dense(units=__import__('os').system("
            f"'touch {target}')))"),
        f"open({str(target)!r}, 'w').write('x')\nm = Sequential([Input((3,)), "
        f"Dense(len(open({str(target)!r}, 'w').write('x')))])",
        f"m = Sequential([Input((3,))])\nm.add(__import__('os').system('touch {target}'))",
        f"import os\nos.system('touch {target}')\nexec('x = 1')\n",
    ]
    for source in sources:
        with pytest.raises(ShapeError):
            from_keras_code(source)
    assert not target.exists()


def test_codeparse_harmless_calls_outside_the_model_are_not_run(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    source = f"open({str(target)!r}, 'w').write('x')\n" + SEQUENTIAL_CLASSIC
    assert spec_of(source) == DENSE_341
    assert not target.exists()


def test_codeparse_functional_argument_error_counts_layers_along_the_chain() -> None:
    err = error_of("i = Input((3,))\nh = Dense(4)(i)\nh = Dense(\n  units=0)(h)\nm = Model(i, h)")
    assert (err.line, err.layer_index, err.layer_name, err.argument) == (4, 1, "dense_1",
                                                                         "units")


def test_codeparse_shape_int_without_parentheses() -> None:
    err = error_of("x = Input(shape=3)\nm = Model(x, Dense(1)(x))")
    assert "`shape=3` is the int 3, not a tuple: a shape is a tuple of sizes" in str(err)
    assert "parentheses" not in str(err)


def test_codeparse_training_loop_is_ignored() -> None:
    source = SEQUENTIAL_CLASSIC + "for epoch in range(3):\n    model.fit(x, y)\n" \
        "if __name__ == '__main__':\n    model.summary()\n"
    assert spec_of(source) == DENSE_341


def test_codeparse_endless_loop_is_refused_at_its_line() -> None:
    err = error_of("i = Input((3,))\nh = i\nwhile True:\n    h = Dense(4)\nm = Model(i, h)")
    assert err.line == 3
    assert "more than 2,000,000 steps" in str(err)


def test_codeparse_deeply_nested_source_is_a_shape_error() -> None:
    with pytest.raises(ShapeError, match="not valid Python"):
        from_keras_code("x = " + "(" * 50_000 + ")" * 50_000)


def test_codeparse_names_with_control_characters_round_trip() -> None:
    model = Model([{"type": "Dense", "units": 2, "name": 'a\nb"\\'}], input_shape=(3,),
                  name="tab\there")
    for style in ("sequential", "functional", "legacy"):
        assert from_keras_code(model.to_keras_code(style)).to_spec() == model.to_spec()


def test_codeparse_names_imported_from_elsewhere_are_not_keras() -> None:
    err = error_of("from mylib import Dense\nm = Sequential([Input((3,)),\n Dense(4)])")
    assert err.line == 3
    assert "cannot read `Dense(4)`" in str(err)


def test_codeparse_initializer_regularizer_and_constraint_calls() -> None:
    spec = spec_of("from keras import regularizers\n"
                   "m = Sequential([Input((3,)), Dense(4,\n"
                   "  kernel_regularizer=regularizers.l2(0.01),\n"
                   "  bias_regularizer=keras.regularizers.L1L2(0.1, l2=0.2),\n"
                   "  kernel_initializer=keras.initializers.RandomNormal(stddev=0.5),\n"
                   "  bias_initializer=tf.keras.initializers.HeNormal(),\n"
                   "  kernel_constraint=keras.constraints.max_norm(max_value=2))])")
    assert spec["layers"] == [{
        "type": "Dense", "units": 4,
        "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": 0.5}},
        "bias_initializer": {"class_name": "HeNormal", "config": {}},
        "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}},
        "bias_regularizer": {"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}},
        "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2}}}]


def test_codeparse_initializer_positional_arguments_ask_for_keywords() -> None:
    err = error_of("m = Sequential([Input((3,)),\n Dense(4, kernel_initializer="
                   "initializers.RandomNormal(0.0, 0.5))])")
    assert err.line == 2
    assert "write them as keywords" in str(err)


def test_codeparse_function_defaults_are_read() -> None:
    source = ("def make(n_in=3, hidden=4, *, out=1):\n"
              "    return Sequential([Dense(hidden, input_dim=n_in), Dense(hidden), "
              "Dense(out)])\n")
    assert spec_of(source) == DENSE_341


def test_codeparse_function_parameter_without_default_names_its_line() -> None:
    source = "def make(units):\n    model = Sequential([Input((3,)), Dense(units)])\n"
    err = error_of(source)
    assert err.line == 1
    assert "`units`" in str(err)


def test_codeparse_keras2_input_length_gives_the_input() -> None:
    source = ("model = Sequential()\nmodel.add(Embedding(20000, 128, input_length=80))\n"
              "model.add(LSTM(128, dropout=0.2, recurrent_dropout=0.2))\n"
              "model.add(Dense(1, activation='sigmoid'))\n")
    model = from_keras_code(source)
    assert model.input_shape == (80,)
    assert model.summary().rows[0].output_shape == (None, 80, 128)


def test_codeparse_build_overrides_input_length() -> None:
    source = ("model = Sequential()\nmodel.add(Embedding(100, 8, input_length=80))\n"
              "model.build((4, 10))\n")
    model = from_keras_code(source)
    assert (model.input_shape, model.batch_size) == ((10,), 4)
    assert model.layers[0].args["input_length"] == 80
