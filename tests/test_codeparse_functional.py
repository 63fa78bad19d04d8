"""Reading functional Keras code (shapewidget.codeparse) into a graph spec: several
inputs, branches, merges, shared layers, several outputs — and the errors, with their
line. The code is read with ``ast`` only, never run."""

from __future__ import annotations

from typing import Any

import pytest

from shapewidget import Model, ShapeError
from shapewidget.codeparse import from_keras_code

IMPORTS = "import keras\nfrom keras import layers\n"


def spec_of(source: str) -> dict[str, Any]:
    return from_keras_code(source).to_spec()


def error_of(source: str) -> ShapeError:
    with pytest.raises(ShapeError) as info:
        from_keras_code(source)
    return info.value


def inputs(*entries: tuple[str | None, list[int]]) -> list[dict[str, Any]]:
    out = []
    for name, shape in entries:
        entry: dict[str, Any] = {} if name is None else {"name": name}
        entry.update(shape=shape, batch_size=None)
        out.append(entry)
    return out


BRANCHING = IMPORTS + """
image = keras.Input(shape=(32, 32, 3), name="image")
meta = keras.Input(shape=(5,), name="meta")
x = layers.Conv2D(8, 3, activation="relu")(image)
x = layers.Flatten()(x)
joined = layers.Concatenate(name="joined")([x, meta])
score = layers.Dense(1, name="score")(joined)
kind = layers.Dense(3, activation="softmax", name="kind")(joined)
model = keras.Model(inputs=[image, meta], outputs=[score, kind], name="two_heads")
"""


def test_codeparse_functional_branching_model_gives_the_graph() -> None:
    assert spec_of(BRANCHING) == {
        "inputs": inputs(("image", [32, 32, 3]), ("meta", [5])),
        "layers": [
            {"type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu",
             "inbound": ["image"]},
            {"type": "Flatten", "inbound": ["conv2d"]},
            {"type": "Concatenate", "name": "joined", "inbound": ["flatten", "meta"]},
            {"type": "Dense", "name": "score", "units": 1, "inbound": ["joined"]},
            {"type": "Dense", "name": "kind", "units": 3, "activation": "softmax",
             "inbound": ["joined"]}],
        "outputs": ["score", "kind"],
        "name": "two_heads"}


def test_codeparse_functional_branching_model_has_keras_shapes() -> None:
    summary = Model.from_keras_code(BRANCHING).summary()
    assert [r.output_shape for r in summary.rows] == [
        (None, 30, 30, 8), (None, 7200), (None, 7205), (None, 1), (None, 3)]
    assert summary.total_params == 224 + 7206 + 21618


@pytest.mark.parametrize("make_input", [
    "keras.Input", "Input", "layers.Input", "keras.layers.Input", "tf.keras.Input",
    "tf.keras.layers.Input"])
def test_codeparse_functional_input_spellings(make_input: str) -> None:
    source = (f"import tensorflow as tf\nfrom keras.layers import Input, Dense, Add\n"
              f"a = {make_input}(shape=(4,), name='a')\nb = {make_input}((4,))\n"
              f"s = Add()([Dense(2)(a), Dense(2)(b)])\nm = keras.Model([a, b], s)")
    assert spec_of(source)["inputs"] == inputs(("a", [4]), (None, [4]))


@pytest.mark.parametrize("make_model", [
    "keras.Model(inputs=[a, b], outputs=[s])", "keras.Model([a, b], s)",
    "Model(inputs=(a, b), outputs=s)", "tf.keras.Model([a, b], [s])",
    "keras.models.Model(inputs=[a, b], outputs=s)"])
def test_codeparse_functional_model_spellings(make_model: str) -> None:
    source = (f"import tensorflow as tf\nfrom keras.models import Model\n"
              f"a = keras.Input((4,), name='a')\nb = keras.Input((4,), name='b')\n"
              f"s = layers.Add(name='s')([a, b])\nm = {make_model}")
    assert spec_of(source) == {"inputs": inputs(("a", [4]), ("b", [4])),
                               "layers": [{"type": "Add", "name": "s",
                                           "inbound": ["a", "b"]}],
                               "outputs": ["s"]}


def test_codeparse_functional_unnamed_inputs_are_keras_automatic_names() -> None:
    source = ("a = Input((4,))\nb = Input((4,))\nc = Input((4,))\n"
              "m = Model([a, b, c], layers.Add()([a, b, c]))")
    spec = spec_of(source)
    assert spec["inputs"] == inputs((None, [4]), (None, [4]), (None, [4]))
    assert spec["layers"] == [{"type": "Add",
                               "inbound": ["input_layer", "input_layer_1", "input_layer_2"]}]


def test_codeparse_functional_branch_from_one_tensor() -> None:
    source = ("x = Input((3,))\nh = Dense(4)(x)\na = Dense(2)(h)\nb = Dense(5)(h)\n"
              "m = Model(x, [a, b])")
    spec = spec_of(source)
    assert [layer["inbound"] for layer in spec["layers"]] == [
        ["input_layer"], ["dense"], ["dense"]]
    assert spec["outputs"] == ["dense_1", "dense_2"]


def test_codeparse_functional_reassigned_variable_makes_new_entries() -> None:
    source = ("x = Input((3,), name='x')\ny = x\ny = Dense(4)(y)\ny = Dense(4)(y)\n"
              "out = Add()([x, Dense(3)(y)])\nm = Model(x, out)")
    spec = spec_of(source)
    assert [(layer["type"], layer["inbound"]) for layer in spec["layers"]] == [
        ("Dense", ["x"]), ("Dense", ["dense"]), ("Dense", ["dense_1"]),
        ("Add", ["x", "dense_2"])]


def test_codeparse_functional_shared_layer_second_call_shares_the_first() -> None:
    source = ("x = Input((4,), name='x')\ny = Input((4,), name='y')\nshared = Dense(4)\n"
              "a = shared(x)\nb = shared(y)\nm = Model([x, y], [a, b])")
    spec = spec_of(source)
    assert spec["layers"] == [{"type": "Dense", "units": 4, "inbound": ["x"]},
                              {"name": "b", "shares": "dense", "inbound": ["y"]}]
    assert spec["outputs"] == ["dense", "b"]
    summary = Model.from_spec(spec).summary()
    assert summary.total_params == 20
    assert summary.rows[1].shares == "dense"


def test_codeparse_functional_shared_layer_named_by_keras_name() -> None:
    source = ("x = Input((4,))\nshared = layers.Dense(4, name='tower')\n"
              "h = shared(x)\nh = shared(h)\nh = shared(h)\nm = Model(x, h)")
    spec = spec_of(source)
    assert spec["layers"] == [
        {"type": "Dense", "name": "tower", "units": 4, "inbound": ["input_layer"]},
        {"name": "h", "shares": "tower", "inbound": ["tower"]},
        {"shares": "tower", "inbound": ["h"]}]
    assert Model.from_spec(spec).layer_names == ["tower", "h", "tower_reuse_1"]


def test_codeparse_functional_shared_call_variable_taken_gets_automatic_name() -> None:
    source = ("x = Input((4,), name='x')\nd = Dense(4, name='x2')\nx2 = d(x)\n"
              "dense = Dense(4)(x2)\nx = d(dense)\nm = Model(inputs=[x2], outputs=[x])")
    with pytest.raises(ShapeError, match="output of a layer"):
        from_keras_code(source)
    source = source.replace("inputs=[x2]", "inputs=[i]").replace(
        "x = Input((4,), name='x')\n", "i = Input((4,), name='x')\nx = i\n")
    spec = spec_of(source)
    assert spec["layers"][2] == {"shares": "x2", "inbound": ["dense"]}


def test_codeparse_functional_nested_calls() -> None:
    source = ("a = Input((2,), name='a')\nb = Input((3,), name='b')\n"
              "m = Model([a, b], Dense(1)(layers.Concatenate()([a, Dense(4)(b)])))")
    spec = spec_of(source)
    assert [(layer["type"], layer["inbound"]) for layer in spec["layers"]] == [
        ("Dense", ["b"]), ("Concatenate", ["a", "dense"]), ("Dense", ["concatenate"])]


@pytest.mark.parametrize(("call", "layer"), [
    ("layers.concatenate([a, b], axis=1)", {"type": "Concatenate", "axis": 1}),
    ("layers.add([a, b])", {"type": "Add"}),
    ("keras.layers.dot([a, b], axes=1, normalize=True)",
     {"type": "Dot", "axes": 1, "normalize": True}),
    ("layers.Average()((a, b))", {"type": "Average"}),
])
def test_codeparse_functional_merge_spellings(call: str, layer: dict[str, Any]) -> None:
    source = f"a = Input((4,), name='a')\nb = Input((4,), name='b')\nm = Model([a, b], {call})"
    assert spec_of(source)["layers"] == [{**layer, "inbound": ["a", "b"]}]


def test_codeparse_functional_layers_not_leading_to_outputs_are_left_out() -> None:
    source = ("x = Input((3,), name='x')\nunused = Dense(7)(x)\nh = Dense(4)(x)\n"
              "m = Model(x, h)")
    assert spec_of(source)["layers"] == [{"type": "Dense", "units": 4, "inbound": ["x"]}]


def test_codeparse_functional_output_may_be_an_input() -> None:
    source = "a = Input((3,), name='a')\nb = Input((3,), name='b')\nm = Model([a, b], [a, b])"
    assert spec_of(source) == {"inputs": inputs(("a", [3]), ("b", [3])), "layers": [],
                               "outputs": ["a", "b"]}


def test_codeparse_functional_chain_with_named_input_is_a_graph() -> None:
    source = "x = Input((3,), name='pixels')\nm = Model(x, Dense(1)(Dense(4)(x)))"
    spec = spec_of(source)
    assert spec["inputs"] == inputs(("pixels", [3]))
    assert spec["layers"][1]["inbound"] == ["dense"]


def test_codeparse_functional_chain_with_unnamed_input_stays_sequential() -> None:
    source = "x = Input((3,))\nm = Model(x, Dense(1)(Dense(4)(x)))"
    assert "inputs" not in spec_of(source)


def test_codeparse_functional_without_model_call_uses_every_input_reached() -> None:
    source = ("a = Input((2,), name='a')\nb = Input((2,), name='b')\nunused = Input((9,))\n"
              "layers.Add()([a, b])\n")
    spec = spec_of(source)
    assert spec["inputs"] == inputs(("a", [2]), ("b", [2]))
    assert spec["outputs"] == ["add"]


def test_codeparse_functional_in_a_function() -> None:
    source = ("def build(units=4):\n    a = Input((3,), name='a')\n"
              "    b = Input((3,), name='b')\n    s = Dense(units)(a)\n"
              "    t = Dense(units)(b)\n    return Model([a, b], layers.Add()([s, t]))\n"
              "model = build()\n")
    spec = spec_of(source)
    assert [layer["type"] for layer in spec["layers"]] == ["Dense", "Dense", "Add"]


def test_codeparse_functional_summary_matches_the_code() -> None:
    source = ("left = Input((6,), name='left')\nright = Input((6,), name='right')\n"
              "tower = Dense(3, name='tower')\nl = tower(left)\nr = tower(right)\n"
              "diff = layers.Subtract()([l, r])\nout = Dense(1)(diff)\n"
              "model = keras.Model([left, right], out)\n")
    summary = Model.from_keras_code(source).summary()
    assert [(r.name, r.output_shape, r.trainable_params) for r in summary.rows] == [
        ("tower", (None, 3), 21), ("r", (None, 3), 0), ("subtract", (None, 3), 0),
        ("dense", (None, 1), 4)]


# --- what is refused, with the line ----------------------------------------------------

def test_codeparse_functional_merge_on_one_tensor_names_the_line() -> None:
    err = error_of("a = Input((3,), name='a')\nb = Dense(3)(a)\n"
                   "c = layers.Add()(b)\nm = Model(a, [b, c])")
    assert err.line == 3
    assert "calls the merge layer Add on one tensor" in str(err)
    assert "Add()([a, b])" in str(err)


def test_codeparse_functional_model_input_must_be_an_input_tensor() -> None:
    err = error_of("a = Input((3,))\nh = Dense(3)(a)\nm = Model(inputs=[a,\n h], outputs=h)")
    assert err.line == 4
    assert "`h` is listed in the model's inputs, but it is the output of a layer" in str(err)


def test_codeparse_functional_input_listed_twice() -> None:
    err = error_of("a = Input((3,))\nm = Model([a, a], Dense(1)(a))")
    assert err.line == 2
    assert "listed twice" in str(err)


def test_codeparse_functional_input_not_listed_names_it() -> None:
    err = error_of("a = Input((3,))\nb = Input((2,))\n"
                   "c = layers.Concatenate()([a, b])\nm = Model(a, c)")
    assert err.line == 4
    assert "from the input `Input((2,))` (line 2), which the model's inputs do not list" \
        in str(err)
    assert "inputs=[...]" in str(err)


def test_codeparse_functional_unknown_function_on_tensors_names_the_line() -> None:
    err = error_of("import tensorflow as tf\na = Input((3,))\nb = Input((3,))\n"
                   "c = tf.concat([a, b], 1)\nm = Model([a, b], c)")
    assert err.line == 4
    assert "`tf.concat` computes on tensors" in str(err)


def test_codeparse_functional_list_item_that_is_not_a_tensor() -> None:
    err = error_of("a = Input((3,))\nm = Model(a, layers.Add()([a,\n 3]))")
    assert err.line == 3
    assert "received `3`" in str(err)


def test_codeparse_functional_layer_argument_error_keeps_index_and_line() -> None:
    err = error_of("a = Input((3,), name='a')\nb = Input((3,), name='b')\n"
                   "x = Dense(2)(a)\ny = Dense(\n  units=-1)(b)\nm = Model([a, b], [x, y])")
    assert (err.line, err.layer_index, err.layer_name, err.argument) == (
        5, 1, "dense_1", "units")


def test_codeparse_functional_bad_input_name_names_its_line() -> None:
    err = error_of("a = Input((3,),\n name=3)\nb = Input((3,))\nm = Model([a, b], [a, b])")
    assert (err.line, err.argument) == (2, "name")


def test_codeparse_functional_outputs_as_dict_are_read_in_key_order() -> None:
    model = from_keras_code("a = Input((3,))\nm = Model(a, {'z': Dense(1, name='z')(a), "
                            "'b': Dense(2, name='b')(a)})")
    assert model.summary().outputs == ("b", "z")


def test_codeparse_functional_messages_have_japanese() -> None:
    err = error_of("a = Input((3,))\nb = Input((2,))\nm = Model(a, "
                   "layers.Concatenate()([a, b]))")
    assert "inputs にその入力がありません" in err.message("ja")
