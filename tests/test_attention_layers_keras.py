"""Attention layers against real Keras: MultiHeadAttention, GroupQueryAttention, Attention,
AdditiveAttention in functional specs (``inbound: [query, value]`` or
``[query, value, key]``), generated over many argument combinations and input shapes,
refusals included, plus the code export run in Keras and the notes' arithmetic.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from typing import Any

import pytest
from keras_reference import assert_matches_keras, keras_reference, shapewidget_reference

from shapewidget import Model, ShapeError
from shapewidget.layers import LAYER_TYPES

os.environ.setdefault("KERAS_BACKEND", "jax")

pytestmark = pytest.mark.keras

Spec = dict[str, Any]


def _spec(layer: Spec, *shapes: list[int | None], names: tuple[str, ...] = ("q", "v", "k"),
          inbound: list[str] | None = None) -> Spec:
    """One attention layer called on model inputs ``q``, ``v`` (and ``k``)."""
    inputs = [{"name": n, "shape": list(s)} for n, s in zip(names, shapes, strict=False)]
    used = inbound if inbound is not None else [e["name"] for e in inputs]
    return {"inputs": inputs, "layers": [{**layer, "inbound": used}]}


def _mha_case(rng: random.Random) -> Spec:
    rank = rng.choice((2, 3, 3, 3, 4))  # query rank without batch
    tq = [rng.choice((1, 3, 5, None)) for _ in range(rank - 1)]
    vrank = rank if rng.random() < 0.8 else rng.choice((2, 3, 4))  # value of another rank
    tv = [rng.choice((2, 4, None)) for _ in range(vrank - 1)]
    dq, dv, dk = rng.choice((4, 6, 8)), rng.choice((3, 4, 8)), rng.choice((2, 4, 8))
    layer: Spec = {"type": "MultiHeadAttention", "num_heads": rng.choice((1, 2, 4)),
                   "key_dim": rng.choice((1, 2, 3, 8))}
    if rng.random() < 0.4:
        layer["value_dim"] = rng.choice((1, 5))
    if rng.random() < 0.3:
        layer["use_bias"] = False
    if rng.random() < 0.4:
        layer["output_shape"] = rng.choice((7, [2, 3], [5]))
    if rank == 4 and rng.random() < 0.7:
        layer["attention_axes"] = rng.choice((1, 2, [1, 2], -1, [2]))
    elif rng.random() < 0.15:  # any axis, some outside the projected value
        layer["attention_axes"] = rng.choice((-8, -3, 0, 3, 5, [1, 4]))
    if rng.random() < 0.15:
        layer["use_gate"] = True
    if rng.random() < 0.15:
        layer["trainable"] = False
    if rng.random() < 0.2:
        layer["dropout"] = 0.1
    with_key = rng.random() < 0.4
    shapes: list[list[int | None]] = [[*tq, dq], [*tv, dv]]
    if with_key:
        mismatch = rng.random() < 0.25
        shapes.append([*(t if not mismatch else 9 for t in tv), dk])
    return _spec(layer, *shapes)


MHA_CASES = [_mha_case(random.Random(seed)) for seed in range(100)]


@pytest.mark.parametrize("spec", MHA_CASES, ids=lambda s: str(s["layers"][0]))
def test_multi_head_attention_generated_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


def test_multi_head_attention_generated_cases_cover_both_outcomes() -> None:
    refused = [shapewidget_reference(s).error is not None for s in MHA_CASES]
    assert 5 <= sum(refused) <= 50


MHA_REFUSALS = [
    # value and key differ on the length axis
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [5, 4], [7, 4],
          [8, 4]),
    # unknown feature sizes: query, then key, then value
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [5, None], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [5, 4], [7, 4],
          [7, None]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [5, 4], [7, None]),
    # attention_axes outside the projected value (rank 5 here)
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3, "attention_axes": 5},
          [4, 5, 6], [4, 5, 6]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
           "attention_axes": -10}, [4, 5, 6], [4, 5, 6]),
    # constructor refusals
    _spec({"type": "MultiHeadAttention", "num_heads": 0, "key_dim": 3}, [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 0}, [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3, "value_dim": 0},
          [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3, "dropout": 1.5},
          [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3, "dropout": 0.1,
           "flash_attention": True}, [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
           "attention_axes": "x"}, [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
           "sliding_window": 0}, [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
           "output_shape": -1}, [5, 4], [7, 4]),
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
           "output_shape": [4, -2]}, [5, 4], [7, 4]),
    # one tensor: Keras's call misses `value`
    _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [5, 4],
          names=("q",)),
]


@pytest.mark.parametrize("spec", MHA_REFUSALS, ids=lambda s: str(s["layers"][0]))
def test_multi_head_attention_refusals_match_keras(spec: Spec) -> None:
    ref = assert_matches_keras(spec)
    assert ref.error is not None


def test_multi_head_attention_accepts_what_keras_accepts() -> None:
    # different ranks and lengths for query and value, rank-2 inputs, attention_axes=-9
    for spec in (
        _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [3, 5, 16],
              [7, 12]),
        _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, [16], [12]),
        _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
               "attention_axes": -9}, [4, 5, 16], [4, 5, 12]),
        # a false output_shape is None for Keras: the query's feature size
        _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
               "output_shape": 0}, [5, 16], [7, 12]),
        _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
               "output_shape": []}, [5, 16], [7, 12]),
        # value of a higher rank than the query, attention over its two middle axes
        _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
               "attention_axes": [1, 2]}, [5, 16], [4, 7, 12]),
    ):
        assert assert_matches_keras(spec).error is None


def test_multi_head_attention_in_sequential_refused_like_keras() -> None:
    spec = {"input_shape": [20, 16], "batch_size": None,
            "layers": [{"type": "Dense", "units": 8},
                       {"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 4}]}
    ref = assert_matches_keras(spec)
    assert ref.error_index == 1
    error = Model.from_spec(spec).analyze().error
    assert error is not None and error.problem.key == "attention.needs_query_value"
    assert error.message("ja") and error.fix is not None


def test_multi_head_attention_self_attention_block_matches_keras() -> None:
    # a transformer encoder block: attention, residual Add, LayerNormalization, FFN
    spec = {"inputs": [{"name": "x", "shape": [20, 32]}], "layers": [
        {"type": "MultiHeadAttention", "name": "mha", "num_heads": 4, "key_dim": 8,
         "inbound": ["x", "x"]},
        {"type": "Add", "name": "res", "inbound": ["x", "mha"]},
        {"type": "LayerNormalization", "name": "norm", "inbound": ["res"]},
        {"type": "Dense", "name": "ffn", "units": 64, "activation": "relu",
         "inbound": ["norm"]},
        {"type": "Dense", "name": "back", "units": 32, "inbound": ["ffn"]}]}
    ref = assert_matches_keras(spec)
    assert ref.totals is not None and ref.totals[0] == ref.totals[2]


def test_multi_head_attention_parameter_note_shows_arithmetic() -> None:
    spec = _spec({"type": "MultiHeadAttention", "num_heads": 8, "key_dim": 64},
                 [20, 512], [20, 512], names=("x", "y"), inbound=["x", "x"])
    spec["inputs"] = spec["inputs"][:1]
    ref = assert_matches_keras(spec)
    count = ref.rows[0].trainable_params
    text = Model.from_spec(spec).explain(0)
    assert f"{count:,}" in text  # 1,050,624
    assert "3·(512·8·64 + 8·64) + (8·64·512 + 512)" in text
    assert "the query's feature size 512" in text
    ja = Model.from_spec(spec).explain(0, "ja")
    assert f"{count:,}" in ja and "query の特徴量のサイズ 512" in ja


def test_multi_head_attention_note_explains_output_shape_and_mixed_sizes() -> None:
    spec = _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
                  "value_dim": 4, "output_shape": [2, 3]}, [20, 16], [7, 12], [7, 5])
    ref = assert_matches_keras(spec)
    text = Model.from_spec(spec).explain(0)
    assert "output_shape=(2, 3) replaces the query's last axis" in text
    # query 16·2·3 + 2·3, key 5·2·3 + 2·3, value 12·2·4 + 2·4, output 2·4·6 + 6
    assert "16·2·3 + 2·3 = 102" in text and "2·4·6 + 6 = 54" in text
    assert f"total {ref.rows[0].trainable_params:,}" in text


def _attention_case(rng: random.Random) -> Spec:
    type_name = rng.choice(("Attention", "AdditiveAttention"))
    layer: Spec = {"type": type_name}
    if rng.random() < 0.5:
        layer["use_scale"] = rng.random() < 0.5
    if type_name == "Attention" and rng.random() < 0.4:
        layer["score_mode"] = "concat"
    if rng.random() < 0.2:
        layer["dropout"] = 0.2
    if rng.random() < 0.15:
        layer["trainable"] = False
    rank = rng.choice((2, 3, 3, 4))
    q = [*(rng.choice((3, 5, None)) for _ in range(rank - 1)), rng.choice((4, 8, None))]
    v = [*(rng.choice((2, 6, None)) for _ in range(rank - 1)), rng.choice((4, 6))]
    shapes = [q, v]
    count = rng.choice((1, 2, 2, 3))
    if count == 3:
        shapes.append([*v[:-1], rng.choice((4, 6))])
    return _spec(layer, *shapes[:count])


ATTENTION_CASES = [_attention_case(random.Random(100 + seed)) for seed in range(40)]


@pytest.mark.parametrize("spec", ATTENTION_CASES, ids=lambda s: str(s["layers"][0]))
def test_attention_generated_match_keras(spec: Spec) -> None:
    assert_matches_keras(spec)


@pytest.mark.parametrize("type_name", ["Attention", "AdditiveAttention"])
def test_attention_in_sequential_refused_like_keras(type_name: str) -> None:
    spec = {"input_shape": [5, 4], "batch_size": None, "layers": [{"type": type_name}]}
    assert assert_matches_keras(spec).error_index == 0


def test_attention_bad_score_mode_refused_like_keras() -> None:
    spec = _spec({"type": "Attention", "score_mode": "add"}, [5, 4], [7, 4])
    assert assert_matches_keras(spec).error_index == 0


def _without_class(spec: Spec) -> None:
    """GroupQueryAttention: Keras's class is ``GroupedQueryAttention`` (shapewidget's rows
    use the API name); everything else must agree."""
    ref = keras_reference(spec)
    ours = shapewidget_reference(spec)
    assert ours.error_index == ref.error_index, (ref.error, ours.error)
    assert (ours.error is None) == (ref.error is None), (ref.error, ours.error)
    assert [replace(r, class_name="") for r in ours.rows] == \
        [replace(r, class_name="") for r in ref.rows]
    assert ours.totals == ref.totals
    assert all(r.class_name == "GroupedQueryAttention" for r in ref.rows)


def _gqa_case(rng: random.Random) -> Spec:
    kv = rng.choice((1, 2, 4))
    layer: Spec = {"type": "GroupQueryAttention", "head_dim": rng.choice((2, 4)),
                   "num_query_heads": kv * rng.choice((1, 2)) if rng.random() < 0.85
                   else 3, "num_key_value_heads": kv}
    if rng.random() < 0.3:
        layer["use_bias"] = False
    if rng.random() < 0.2:
        layer["use_gate"] = True
    d = rng.choice((8, 16))
    tq, tv = rng.choice((5, None)), rng.choice((7, None))
    shapes: list[list[int | None]] = [[tq, d], [tv, d if rng.random() < 0.8 else 12]]
    if rng.random() < 0.4:
        shapes.append([tv if rng.random() < 0.8 else 9, rng.choice((3, 8))])
    return _spec(layer, *shapes)


GQA_CASES = [_gqa_case(random.Random(200 + seed)) for seed in range(25)]


@pytest.mark.parametrize("spec", GQA_CASES, ids=lambda s: str(s["layers"][0]))
def test_group_query_attention_generated_match_keras(spec: Spec) -> None:
    _without_class(spec)


def test_group_query_attention_divisibility_refused_like_keras() -> None:
    spec = _spec({"type": "GroupQueryAttention", "head_dim": 4, "num_query_heads": 6,
                  "num_key_value_heads": 4}, [5, 8], [7, 8])
    _without_class(spec)
    with pytest.raises(ShapeError) as caught:
        Model.from_spec(spec)
    assert caught.value.argument == "num_key_value_heads"
    assert caught.value.message("ja") and caught.value.fix is not None


def test_group_query_attention_automatic_name_is_keras_s() -> None:
    spec = _spec({"type": "GroupQueryAttention", "head_dim": 4, "num_query_heads": 4,
                  "num_key_value_heads": 2}, [5, 8], [7, 8])
    assert Model.from_spec(spec).layer_names == [keras_reference(spec).rows[0].name]


def test_attention_exported_code_runs_in_keras() -> None:
    from test_codegen_functional_keras import differences

    spec = {"inputs": [{"name": "q", "shape": [20, 16]}, {"name": "v", "shape": [7, 12]},
                       {"name": "k", "shape": [7, 5]}], "layers": [
        {"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3, "value_dim": 4,
         "output_shape": [2, 3], "inbound": ["q", "v", "k"]},
        {"type": "MultiHeadAttention", "num_heads": 4, "key_dim": 2, "inbound": ["q", "q"]},
        {"type": "Attention", "use_scale": True, "inbound": ["q", "v"]},
        {"type": "AdditiveAttention", "inbound": ["q", "v", "k"]}]}
    model = Model.from_spec(spec)
    code = model.to_keras_code("functional")
    assert "(q, v, k)\n" in code and "(q, q)\n" in code and "([q, v])\n" in code
    assert differences(model) == []


def test_attention_spec_round_trip_keeps_inbound_order() -> None:
    spec = _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
                  "attention_axes": [1, 2], "output_shape": 7}, [4, 5, 6], [4, 5, 3],
                 [4, 5, 2])
    again = Model.from_spec(Model.from_spec(spec).to_spec())
    assert again.to_spec() == Model.from_spec(spec).to_spec()
    layer = again.layers[0]
    assert layer.inbound == ("q", "v", "k")
    assert layer.value("attention_axes") == (1, 2)


def test_attention_model_draw_does_not_crash() -> None:
    spec = {"inputs": [{"name": "x", "shape": [20, 32]}], "layers": [
        {"type": "MultiHeadAttention", "name": "mha", "num_heads": 4, "key_dim": 8,
         "inbound": ["x", "x"]},
        {"type": "Attention", "name": "att", "inbound": ["x", "mha"]},
        {"type": "Add", "name": "res", "inbound": ["x", "att"]}]}
    import matplotlib.pyplot as plt

    fig = Model.from_spec(spec).draw()
    assert fig is not None
    plt.close("all")


def test_attention_every_type_is_declared() -> None:
    for name in ("MultiHeadAttention", "GroupQueryAttention", "Attention",
                 "AdditiveAttention"):
        assert LAYER_TYPES[name].family == "attention"


def test_attention_live_model_import_declares_the_layers() -> None:
    import keras

    keras.backend.clear_session(free_memory=False)
    x = keras.Input((20, 16), name="x")
    v = keras.Input((7, 12), name="v")
    cross = keras.layers.MultiHeadAttention(2, 4, value_dim=3, output_shape=(2, 5))(x, v, v)
    self_att = keras.layers.MultiHeadAttention(2, 4)(x, x)
    out = keras.layers.Attention()([x, self_att])
    kmodel = keras.Model([x, v], [cross, out])
    model = Model.from_keras(kmodel)
    spec = model.to_spec()
    assert [e["type"] for e in spec["layers"]] == ["MultiHeadAttention",
                                                   "MultiHeadAttention", "Attention"]
    assert spec["layers"][0]["inbound"] == ["x", "v", "v"]
    assert spec["layers"][1]["inbound"] == ["x", "x"]
    assert model.summary().total_params == kmodel.count_params()


def _problem(spec: Spec) -> ShapeError | None:
    try:
        return Model.from_spec(spec).analyze().error
    except ShapeError as err:
        return err


@pytest.mark.parametrize("spec", MHA_REFUSALS + [s for s in GQA_CASES + ATTENTION_CASES
                                                 if _problem(s) is not None],
                         ids=lambda s: str(s["layers"][0]))
def test_attention_refusal_reads_in_both_languages_with_a_fix(spec: Spec) -> None:
    error = _problem(spec)
    assert error is not None
    assert error.message("en") != error.message("ja")
    if error.problem.key.startswith("attention."):  # the attention layers' own checks
        assert error.fix is not None and error.fix.render("ja")


def test_attention_notes_read_in_both_languages() -> None:
    for spec in MHA_CASES + GQA_CASES + ATTENTION_CASES:
        if _problem(spec) is None:
            model = Model.from_spec(spec)
            assert model.explain(0, "en") and model.explain(0, "ja")
            assert model.explain(0, "en") != model.explain(0, "ja")


def test_multi_head_attention_gate_note_counts_every_weight() -> None:
    spec = _spec({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3,
                  "value_dim": 4, "use_gate": True}, [20, 16], [7, 12])
    ref = assert_matches_keras(spec)
    text = Model.from_spec(spec).explain(0)
    assert f"{ref.rows[0].trainable_params:,} in all" in text
    assert "query/bias, key/kernel, key/bias, gate/kernel, gate/bias, value/kernel" in text
