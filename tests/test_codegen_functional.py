"""Keras code for functional models (shapewidget.codegen, style="functional"): the text
written for graphs, and the Sequential styles refusing what branches.

Also home of :func:`random_graph_spec`, the small seeded generator of functional specs
the Keras, round-trip and import tests share. Running the code in real Keras is tested in
test_codegen_functional_keras.py.
"""

from __future__ import annotations

import ast
import random
from typing import Any

import pytest
from graph_examples import ISSUE_SPEC

from shapewidget import Model, ShapeError
from shapewidget.codegen import tensor_variables, to_keras_code


def functional(spec: dict[str, Any]) -> str:
    return to_keras_code(Model.from_spec(spec), "functional")


def two_towers(**extra: Any) -> dict[str, Any]:
    """Two inputs, one Dense each, added: the smallest model with every graph feature
    but a shared layer."""
    return {"inputs": [{"name": "left", "shape": [4]}, {"name": "right", "shape": [4]}],
            "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": ["left"]},
                       {"type": "Dense", "units": 2, "name": "b", "inbound": ["right"]},
                       {"type": "Add", "name": "sum", "inbound": ["a", "b"]}], **extra}


# --- the functional style ---------------------------------------------------------------

def test_codegen_functional_issue_example() -> None:
    assert functional(ISSUE_SPEC) == (
        "import keras\n"
        "from keras import layers\n"
        "\n"
        'image = keras.Input(shape=(32, 32, 3), name="image")\n'
        'meta = keras.Input(shape=(5,), name="meta")\n'
        'conv = layers.Conv2D(8, 3, name="conv")(image)\n'
        'flat = layers.Flatten(name="flat")(conv)\n'
        'joined = layers.Concatenate(axis=-1, name="joined")([flat, meta])\n'
        'score = layers.Dense(1, name="score")(joined)\n'
        'kind_layer = layers.Dense(3, name="kind")\n'
        "kind = kind_layer(joined)\n"
        "kind_again = kind_layer(joined)\n"
        "model = keras.Model(inputs=[image, meta], outputs=[score, kind, kind_again])\n"
        "model.summary()\n")


def test_codegen_functional_single_input_and_output_without_lists() -> None:
    code = functional({"inputs": [{"name": "pixels", "shape": [3]}],
                       "layers": [{"type": "Dense", "units": 2, "name": "out",
                                   "inbound": ["pixels"]}]})
    assert 'pixels = keras.Input(shape=(3,), name="pixels")\n' in code
    assert "model = keras.Model(inputs=pixels, outputs=out)\n" in code


def test_codegen_functional_input_batch_dtype_and_name() -> None:
    code = functional({"inputs": [{"name": "ids", "shape": [10], "batch_size": 8,
                                   "dtype": "int32"}, {"name": "x", "shape": [2]}],
                       "layers": [{"type": "Embedding", "input_dim": 50, "output_dim": 2,
                                   "inbound": ["ids"]},
                                  {"type": "Flatten", "inbound": ["embedding"]},
                                  {"type": "Concatenate", "inbound": ["flatten", "x"]}]})
    assert 'ids = keras.Input(shape=(10,), batch_size=8, dtype="int32", name="ids")\n' in code


def test_codegen_functional_unnamed_inputs_take_keras_automatic_names() -> None:
    code = functional({"inputs": [{"shape": [4]}, {"shape": [4]}],
                       "layers": [{"type": "Add", "inbound": ["input_layer",
                                                              "input_layer_1"]}]})
    assert "input_layer = keras.Input(shape=(4,))\n" in code
    assert "input_layer_1 = keras.Input(shape=(4,))\n" in code
    assert "add = layers.Add()([input_layer, input_layer_1])\n" in code
    assert "model = keras.Model(inputs=[input_layer, input_layer_1], outputs=add)\n" in code


def test_codegen_functional_merge_is_called_on_a_list() -> None:
    code = functional(two_towers())
    assert 'sum = layers.Add(name="sum")([a, b])\n' in code


def test_codegen_functional_merge_of_one_tensor_is_still_a_list() -> None:
    code = functional({"inputs": [{"name": "x", "shape": [4]}],
                       "layers": [{"type": "Concatenate", "name": "c", "inbound": ["x"]}]})
    assert 'c = layers.Concatenate(name="c")([x])\n' in code


def test_codegen_functional_branch_uses_a_tensor_twice() -> None:
    code = functional({"inputs": [{"name": "x", "shape": [4]}],
                       "layers": [{"type": "Dense", "units": 2, "inbound": ["x"]},
                                  {"type": "Dense", "units": 3, "inbound": ["x"]}]})
    assert "dense = layers.Dense(2)(x)\n" in code
    assert "dense_1 = layers.Dense(3)(x)\n" in code
    assert "outputs=[dense, dense_1])\n" in code


def test_codegen_functional_shared_layer_is_held_in_a_variable() -> None:
    code = functional({"inputs": [{"name": "a", "shape": [4]}, {"name": "b", "shape": [4]}],
                       "layers": [{"type": "Dense", "units": 2, "inbound": ["a"]},
                                  {"shares": "dense", "inbound": ["b"]},
                                  {"shares": "dense_reuse_1", "name": "third",
                                   "inbound": ["a"]}]})
    assert ("dense_layer = layers.Dense(2)\n"
            "dense = dense_layer(a)\n"
            "dense_reuse_1 = dense_layer(b)\n"
            "third = dense_layer(a)\n") in code
    assert "outputs=[dense, dense_reuse_1, third])\n" in code


def test_codegen_functional_entries_in_dependency_order() -> None:
    code = functional({"inputs": [{"name": "x", "shape": [4]}],
                       "layers": [{"type": "Dense", "units": 1, "name": "head",
                                   "inbound": ["body"]},
                                  {"type": "Dense", "units": 3, "name": "body",
                                   "inbound": ["x"]}]})
    assert code.index("body = layers") < code.index("head = layers")


def test_codegen_functional_reordered_layers_keep_their_automatic_names() -> None:
    model = Model.from_spec({"inputs": [{"name": "x", "shape": [4]}],
                             "layers": [{"type": "Dense", "units": 1, "inbound": ["dense_1"]},
                                        {"type": "Dense", "units": 3, "inbound": ["x"]}]})
    assert model.layer_names == ["dense", "dense_1"]
    code = to_keras_code(model, "functional")
    assert 'dense_1 = layers.Dense(3, name="dense_1")(x)\n' in code
    assert 'dense = layers.Dense(1, name="dense")(dense_1)\n' in code


def test_codegen_functional_default_outputs_are_the_unused_tensors() -> None:
    code = functional(two_towers(layers=[
        {"type": "Dense", "units": 2, "name": "a", "inbound": ["left"]},
        {"type": "Dense", "units": 2, "name": "b", "inbound": ["right"]},
        {"type": "Dense", "units": 2, "name": "c", "inbound": ["a"]}]))
    assert "outputs=[b, c])\n" in code


def test_codegen_functional_marked_outputs_in_their_order() -> None:
    code = functional(two_towers(outputs=["sum", "a"]))
    assert "outputs=[sum, a])\n" in code


def test_codegen_functional_variables_are_valid_and_unique() -> None:
    model = Model.from_spec({
        "inputs": [{"name": "in-put", "shape": [4]}, {"name": "model", "shape": [4]}],
        "layers": [{"type": "Dense", "units": 4, "name": "in_put", "inbound": ["in-put"]},
                   {"type": "Add", "name": "class", "inbound": ["in_put", "model"]}]})
    variables = tensor_variables(model)
    assert variables == {"in-put": "in_put", "model": "model_out", "in_put": "in_put_1",
                         "class": "class_out"}
    code = to_keras_code(model, "functional")
    assert 'class_out = layers.Add(name="class")([in_put_1, model_out])\n' in code
    ast.parse(code)


def test_codegen_functional_model_name() -> None:
    code = functional(two_towers(name="towers"))
    assert 'outputs=sum, name="towers")\n' in code


def test_codegen_functional_invalid_graph_is_still_python() -> None:
    for layers in ([{"type": "Dense", "units": 2, "name": "a", "inbound": ["b"]},
                    {"type": "Dense", "units": 2, "name": "b", "inbound": ["a"]}],
                   [{"type": "Dense", "units": 2, "inbound": ["nowhere"]},
                    {"shares": "missing", "inbound": ["x"]}]):
        model = Model.from_spec({"inputs": [{"name": "x", "shape": [4]}], "layers": layers})
        assert model.analyze().error is not None
        ast.parse(to_keras_code(model, "functional"))


def test_codegen_functional_chain_model_code_is_unchanged() -> None:
    model = Model([{"type": "Dense", "units": 4}, {"type": "Add"}], input_shape=(3,))
    assert not model.functional
    code = to_keras_code(model, "functional")
    assert "inputs = keras.Input(shape=(3,))\n" in code
    assert "add = layers.Add()(dense)\n" in code
    assert "model = keras.Model(inputs=inputs, outputs=add)\n" in code


# --- the Sequential styles --------------------------------------------------------------

def test_codegen_functional_chain_with_named_input_in_sequential_styles() -> None:
    model = Model.from_spec({"inputs": [{"name": "pixels", "shape": [3]}],
                             "layers": [{"type": "Dense", "units": 2, "name": "d",
                                         "inbound": ["pixels"]},
                                        {"type": "Dense", "units": 1, "inbound": ["d"]}],
                             "outputs": ["dense"]})
    assert '    keras.Input(shape=(3,), name="pixels"),\n' in to_keras_code(model, "sequential")
    legacy = to_keras_code(model, "legacy")
    assert 'model.add(InputLayer(input_shape=(3,), name="pixels"))\n' in legacy
    assert 'model.add(Dense(2, name="d"))\n' in legacy


REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("inputs", two_towers(), "it has 2 inputs"),
    ("outputs", {"inputs": [{"name": "x", "shape": [4]}],
                 "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": ["x"]},
                            {"type": "Dense", "units": 2, "name": "b", "inbound": ["a"]}],
                 "outputs": ["a", "b"]}, "it has 2 outputs"),
    ("branch", {"inputs": [{"name": "x", "shape": [4]}],
                "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": ["x"]},
                           {"type": "Dense", "units": 2, "name": "b", "inbound": ["x"]},
                           {"type": "Add", "name": "s", "inbound": ["a", "b"]}]},
     "'b' is called on x, not on the output of the entry before it ('a')"),
    ("merge", {"inputs": [{"name": "x", "shape": [4]}],
               "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": ["x"]},
                          {"type": "Concatenate", "name": "c", "inbound": ["a"]}]},
     "'c' (Concatenate) merges a list of tensors"),
    ("shared", {"inputs": [{"name": "x", "shape": [4]}],
                "layers": [{"type": "Dense", "units": 4, "name": "a", "inbound": ["x"]},
                           {"shares": "a", "name": "again", "inbound": ["a"]}]},
     "'again' calls the layer 'a' a second time (a shared layer)"),
    ("output", {"inputs": [{"name": "x", "shape": [4]}],
                "layers": [{"type": "Dense", "units": 2, "name": "a", "inbound": ["x"]}],
                "outputs": ["x"]}, "its output is 'x', not the last layer 'a'"),
]


@pytest.mark.parametrize("style", ["sequential", "legacy"])
@pytest.mark.parametrize(("case", "spec", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_codegen_sequential_styles_refuse_branching(style: str, case: str,
                                                   spec: dict[str, Any], reason: str) -> None:
    with pytest.raises(ShapeError) as info:
        to_keras_code(Model.from_spec(spec), style)
    err = info.value
    assert err.argument == "style"
    assert f'style="{style}" writes one chain of layers, but this model branches' in str(err)
    assert reason in str(err)
    assert 'use style="functional"' in str(err)
    assert "分岐" in err.message("ja") and 'style="functional"' in err.message("ja")


def test_codegen_functional_style_writes_every_refused_model() -> None:
    for _, spec, _ in REFUSED:
        ast.parse(functional(spec))


# --- a small generator of functional specs, shared with the other tests -----------------

SHAPES: list[tuple[int, ...]] = [(6,), (4,), (5, 4), (3, 4, 2)]


def random_graph_spec(rng: random.Random, names: bool = True) -> dict[str, Any]:
    """A valid functional spec: 1–3 inputs, branches, merges (Concatenate and the
    element-wise ones on equal shapes), shared Dense layers called on a tensor like their
    first input, Flatten and Dropout; entries in dependency order with explicit inbound.
    ``names``: every input and layer named (outputs always marked), else automatic
    names and, half the time, the default outputs."""
    count = rng.randint(1, 3)
    tensors: list[tuple[str, tuple[int, ...]]] = []
    inputs: list[dict[str, Any]] = []
    for k in range(count):
        shape = rng.choice(SHAPES)
        name = f"in_{k}" if names else ("input_layer" if k == 0 else f"input_layer_{k}")
        entry: dict[str, Any] = {"shape": list(shape)}
        if names:
            entry["name"] = name
        if rng.random() < 0.2:
            entry["batch_size"] = 2
        inputs.append(entry)
        tensors.append((name, shape))
    layers: list[dict[str, Any]] = []
    used: set[str] = set()
    dense_first: dict[str, tuple[int, ...]] = {}  # a Dense layer -> its first input shape
    counters: dict[str, int] = {}
    reuses: dict[str, int] = {}

    def add(spec: dict[str, Any], inbound: list[str], shape: tuple[int, ...]) -> str:
        kind = spec.get("type", "")
        if names:
            name = f"l{len(layers)}"
            spec["name"] = name
        elif "shares" in spec:
            reuses[spec["shares"]] = reuses.get(spec["shares"], 0) + 1
            name = f"{spec['shares']}_reuse_{reuses[spec['shares']]}"
        else:
            stem = kind.lower()
            n = counters.get(stem, 0)
            counters[stem] = n + 1
            name = stem if n == 0 else f"{stem}_{n}"
        layers.append({**spec, "inbound": inbound})
        used.update(inbound)
        tensors.append((name, shape))
        return name

    for _ in range(rng.randint(2, 7)):
        op = rng.choice(["dense", "dense", "flatten", "dropout", "merge", "concat", "share"])
        name, shape = rng.choice(tensors)
        if op == "dense":
            units = rng.choice([2, 3, 4])
            new = add({"type": "Dense", "units": units}, [name], (*shape[:-1], units))
            dense_first[new] = shape
        elif op == "flatten" and len(shape) > 1:
            size = 1
            for d in shape:
                size *= d
            add({"type": "Flatten"}, [name], (size,))
        elif op == "dropout":
            add({"type": "Dropout", "rate": 0.5}, [name], shape)
        elif op == "merge":
            same = [t for t, s in tensors if s == shape and t != name]
            if same:
                kind = rng.choice(["Add", "Multiply", "Average", "Maximum", "Minimum",
                                   "Subtract"])
                partners = rng.sample(same, 1 if kind == "Subtract" else
                                      rng.randint(1, min(2, len(same))))
                add({"type": kind}, [name, *partners], shape)
        elif op == "concat":
            fits = [(t, s) for t, s in tensors if len(s) == len(shape)
                    and s[:-1] == shape[:-1] and t != name]
            if fits:
                other, other_shape = rng.choice(fits)
                add({"type": "Concatenate"}, [name, other],
                    (*shape[:-1], shape[-1] + other_shape[-1]))
        elif op == "share" and dense_first:
            target = rng.choice(sorted(dense_first))
            first = dense_first[target]
            fits = [t for t, s in tensors if s == first]
            units = next(s for t, s in tensors if t == target)[-1]
            add({"shares": target}, [rng.choice(fits)], (*first[:-1], units))
    for name, shape in tensors[:count]:
        if name not in used:  # every input feeds a layer
            add({"type": "Dense", "units": 2}, [name], (*shape[:-1], 2))
    spec: dict[str, Any] = {"inputs": inputs, "layers": layers}
    dangling = [t for t, _ in tensors[count:] if t not in used]
    if names or rng.random() < 0.5:
        extra = [t for t, _ in tensors[count:] if t in used]
        outputs = dangling + rng.sample(extra, min(len(extra), rng.randint(0, 1)))
        rng.shuffle(outputs)
        spec["outputs"] = outputs
    if names and rng.random() < 0.3:
        spec["name"] = "graph"
    return spec


def test_codegen_functional_generated_specs_are_valid_graphs() -> None:
    rng = random.Random(7)
    features: set[str] = set()
    for _ in range(60):
        for names in (True, False):
            spec = random_graph_spec(rng, names)
            model = Model.from_spec(spec)
            assert model.analyze().error is None, (spec, model.analyze().error)
            assert model.functional
            features.update(layer.get("type", "shared") for layer in spec["layers"])
            if len(spec["inputs"]) > 1:
                features.add("inputs")
            if len(model.analyze().outputs) > 1:
                features.add("outputs")
    assert {"Add", "Concatenate", "shared", "Flatten", "inputs", "outputs"} <= features
