"""``Summary.to_text()``: Keras's ``model.summary()`` layout, Sequential and functional."""

from __future__ import annotations

from typing import Any

from render_helpers import seed_model

from shapewidget import Model
from shapewidget.summary import display_width


def issue_model(**changes: Any) -> Model:
    """The example of issue 4: two inputs, a merge, two heads, a second call of ``kind``."""
    spec: dict[str, Any] = {
        "inputs": [{"name": "image", "shape": [32, 32, 3]}, {"name": "meta", "shape": [5]}],
        "layers": [
            {"name": "conv", "type": "Conv2D", "filters": 8, "kernel_size": 3,
             "inbound": ["image"]},
            {"name": "flat", "type": "Flatten", "inbound": ["conv"]},
            {"name": "joined", "type": "Concatenate", "axis": -1, "inbound": ["flat", "meta"]},
            {"name": "score", "type": "Dense", "units": 1, "inbound": ["joined"]},
            {"name": "kind", "type": "Dense", "units": 3, "inbound": ["joined"]},
            {"name": "kind_again", "shares": "kind", "inbound": ["joined"]},
            {"name": "both", "type": "Add", "inbound": ["kind", "kind_again"]},
        ],
        "outputs": ["score", "both"],
    }
    spec.update(changes)
    return Model.from_spec(spec)


def body(text: str) -> list[list[str]]:
    """The table's body rows, as lists of stripped cells."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines()
            if line.startswith("│")]


def test_summary_text_sequential_keeps_keras_sequential_layout() -> None:
    text = seed_model().analyze().to_text()
    assert text.splitlines()[:2] == ['Model: "sequential"',
                                     "input: (None, 3)  (a tensor, not a layer)"]
    assert "Connected to" not in text and "InputLayer" not in text
    assert body(text) == [["dense (Dense)", "(None, 4)", "16"], ["dense_1 (Dense)", "(None, 4)",
                                                                 "20"],
                          ["dense_2 (Dense)", "(None, 1)", "5"]]


def test_summary_text_functional_has_connected_to_column() -> None:
    text = issue_model().analyze().to_text()
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "Layer (type)", "Output Shape", "Param #", "Connected to"]


def test_summary_text_functional_lists_inputs_first_as_input_layers() -> None:
    rows = body(issue_model().analyze().to_text())
    assert rows[:2] == [["image (InputLayer)", "(None, 32, 32, 3)", "0", "-"],
                        ["meta (InputLayer)", "(None, 5)", "0", "-"]]
    assert rows[2][0] == "conv (Conv2D)"


def test_summary_text_functional_connections_name_calls_as_keras_does() -> None:
    rows = {r[0].split(" ")[0]: r for r in body(issue_model().analyze().to_text())}
    assert rows["conv"][3] == "image[0][0]"
    assert rows["joined"][3] == "flat[0][0], meta[0][0]"
    assert rows["both"][3] == "kind[0][0], kind[1][0]"  # kind_again is kind's second call


def test_summary_text_functional_marks_outputs_only() -> None:
    rows = body(issue_model().analyze().to_text())
    marked = [r[0] for r in rows if "→ output" in r[0]]
    assert marked == ["score (Dense) → output", "both (Add) → output"]


def test_summary_text_shared_call_names_its_layer_and_adds_no_params() -> None:
    rows = body(issue_model().analyze().to_text())
    again = next(r for r in rows if r[0].startswith("kind_again"))
    assert again[0] == "kind_again (Dense) shares kind" and again[2] == "0"


def test_summary_text_functional_totals_count_shared_weights_once() -> None:
    text = issue_model().analyze().to_text()
    # conv 3·3·3·8 + 8 = 224, score 7205·1 + 1 = 7206, kind 7205·3 + 3 = 21618 (Keras: 29,048)
    assert " Total params: 29,048 (113.47 KB)" in text.splitlines()


def test_summary_text_functional_japanese_lines_have_equal_width() -> None:
    text = issue_model().analyze().to_text("ja")
    assert "接続元" in text and "→ 出力" in text and "kind と共有" in text
    table = [ln for ln in text.splitlines() if ln[0] in "┏┃┡│└"]
    assert len({display_width(ln) for ln in table}) == 1


def test_summary_text_functional_error_keeps_rows_before() -> None:
    model = issue_model()
    model.replace(2, {"name": "joined", "type": "Add", "inbound": ["flat", "meta"]})
    text = model.analyze().to_text()
    assert "flat (Flatten)" in text and "joined" not in text.split("└")[0]
    assert "Error: " in text and "(None, 7200) and (None, 5)" in text


def test_summary_text_model_input_used_as_output_is_marked() -> None:
    model = Model([{"type": "Dense", "units": 2, "name": "d", "inbound": ["x"]}],
                  inputs=[{"name": "x", "shape": [3]}], outputs=["d", "x"])
    rows = body(model.analyze().to_text())
    assert rows[0][0] == "x (InputLayer) → output"
