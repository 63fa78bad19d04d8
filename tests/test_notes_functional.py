"""Model-level notes for learners: what a functional graph adds, and the Sequential pointer."""

from __future__ import annotations

import re

from render_helpers import seed_model
from test_summary_text import issue_model

from shapewidget import Model
from shapewidget.render.notes import model_notes


def siamese() -> Model:
    return Model([{"type": "Dense", "units": 4, "name": "encoder", "inbound": ["left"]},
                  {"shares": "encoder", "name": "encoder_again", "inbound": ["right"]},
                  {"type": "Subtract", "name": "difference",
                   "inbound": ["encoder", "encoder_again"]},
                  {"type": "Dense", "units": 1, "name": "similarity",
                   "inbound": ["difference"]}],
                 inputs=[{"name": "left", "shape": [10]}, {"name": "right", "shape": [10]}])


def chain() -> Model:
    return Model([{"type": "Dense", "units": 4, "name": "hidden", "inbound": ["x"]},
                  {"type": "Dense", "units": 1, "name": "out", "inbound": ["hidden"]}],
                 inputs=[{"name": "x", "shape": [3]}])


def note_with(notes: list[str], start: str) -> str:
    found = [n for n in notes if n.startswith(start)]
    assert len(found) == 1, notes
    return found[0]


def test_notes_functional_inputs_are_tensors_made_by_keras_input() -> None:
    note = model_notes(issue_model().summary())[0]
    assert note.startswith("The inputs image (None, 32, 32, 3) and meta (None, 5) are not "
                           "layers: keras.Input(...)")


def test_notes_functional_input_shape_leaves_batch_out_and_needs_comma() -> None:
    notes = model_notes(issue_model().summary())
    assert "keras.Input(shape=(32, 32, 3)) describes one sample" in " ".join(notes)
    assert note_with(notes, "shape=(5,) needs its comma").endswith("keras.Input refuses it.")
    assert not any("input_dim" in n or "input_shape=" in n for n in notes)


def test_notes_functional_branch_names_tensor_and_readers() -> None:
    note = note_with(model_notes(issue_model().summary()), "A branch")
    assert "joined (None, 7205) → score, kind and kind_again" in note


def test_notes_functional_concatenate_names_its_axis_and_shapes() -> None:
    note = note_with(model_notes(issue_model().summary()),
                     "A merge needs compatible shapes. joined")
    assert "joins (None, 7200) and (None, 5) along axis -1" in note
    assert "every other axis must have the same size" in note and "(None, 7205)" in note


def test_notes_functional_elementwise_merge_needs_the_same_shape() -> None:
    note = note_with(model_notes(siamese().summary()), "A merge needs compatible shapes.")
    assert "difference (Subtract) combines (None, 4) and (None, 4) value by value" in note
    assert "the shapes must be the same" in note


def test_notes_functional_dot_names_its_axes() -> None:
    model = Model([{"type": "Dot", "axes": 1, "name": "score", "inbound": ["a", "b"]}],
                  inputs=[{"name": "a", "shape": [4]}, {"name": "b", "shape": [4]}])
    note = note_with(model_notes(model.summary()), "A merge needs compatible shapes.")
    assert "score (Dot, axes=1) multiplies (None, 4) and (None, 4) along those axes" in note
    assert note.endswith("→ (None, 1).")


def test_notes_functional_shared_layer_has_one_set_of_weights() -> None:
    note = note_with(model_notes(siamese().summary()), "A shared layer")
    assert "encoder_again is encoder called again (encoder[1]" in note
    assert "one set of weights (kernel (10, 4), bias (4,)), counted once" in note


def test_notes_functional_several_inputs_and_outputs() -> None:
    notes = model_notes(issue_model().summary())
    assert "keras.Model(inputs=[image, meta], …)" in note_with(notes, "Several inputs")
    assert "outputs=[score, both]" in note_with(notes, "Several outputs")


def test_notes_functional_single_input_and_output_get_no_several_notes() -> None:
    notes = model_notes(chain().summary())
    assert not any(n.startswith(("Several", "A branch", "A merge", "A shared")) for n in notes)


def test_notes_functional_chain_says_sequential_could_write_it() -> None:
    assert any("keras.Sequential could write it too" in n for n in model_notes(chain().summary()))
    assert not any("keras.Sequential could" in n for n in model_notes(siamese().summary()))


def test_notes_sequential_points_to_the_functional_api() -> None:
    note = model_notes(seed_model().summary())[-1]
    assert note.startswith("The same chain can be written with the functional API: inputs = "
                           "keras.Input(shape=(3,))")
    assert 'model.to_keras_code("functional")' in note


def test_notes_sequential_without_layers_has_no_functional_pointer() -> None:
    notes = model_notes(Model([], input_shape=(3,)).analyze())
    assert not any("functional API" in n for n in notes)


def test_notes_functional_japanese() -> None:
    notes = model_notes(issue_model().summary(), "ja")
    joined = " ".join(notes)
    for word in ("分岐", "結合には形の互換性", "共有レイヤー", "複数の入力", "複数の出力"):
        assert word in joined
    assert all(re.search(r"[\u3040-\u30ff]", n) for n in notes)


def test_notes_method_for_functional_model_in_both_languages() -> None:
    model = siamese()
    assert model.notes() == model_notes(model.summary())
    assert any("共有レイヤー" in n for n in model.notes("ja"))
