"""The paste box: Keras code replaces the model (parsed, never executed)."""

from __future__ import annotations

from shapewidget.widget import ShapeWidget

CODE = """
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(5, activation="relu"),
    layers.Dense(2),
])
"""


def widget() -> ShapeWidget:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    return w


def test_paste_button_replaces_model_in_place() -> None:
    w = widget()
    model = w.model
    w.paste_text.value = CODE
    w.paste_button.click()
    assert w.model is model
    assert model.input_shape == (8,)
    assert [la.units for la in model.layers] == [5, 2]
    assert len(w.rows) == 2
    assert "2 layers" in w.paste_message.value


def test_paste_is_undoable() -> None:
    w = widget()
    before = w.model.to_spec()
    w.paste(CODE)
    w.undo()
    assert w.model.to_spec() == before


def test_paste_syntax_error_names_line_and_keeps_model() -> None:
    w = widget()
    before = w.model.to_spec()
    w.paste_text.value = "model = keras.Sequential([layers.Dense(])"
    w.paste_button.click()
    assert w.model.to_spec() == before
    assert "Line 1" in w.paste_message.value
    assert "Line 1" in w.status_text
    assert w.last_internal_error is None


def test_paste_empty_code_says_so() -> None:
    w = widget()
    w.paste_button.click()
    assert "no code" in w.paste_message.value


def test_paste_never_executes_code(tmp_path: object) -> None:
    w = widget()
    w.paste("import os\nos.system('touch /tmp/sw_pwned')\nmodel = keras.Sequential([])")
    import os

    assert not os.path.exists("/tmp/sw_pwned")
