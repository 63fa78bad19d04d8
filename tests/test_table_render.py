"""The shape table in text, Markdown and HTML, checked against the summary rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from render_helpers import seed_model

from shapewidget import Model
from shapewidget.render import to_html, to_markdown, to_text
from shapewidget.render.notes import model_notes
from shapewidget.render.table import table_data


def wide_model() -> Model:
    return Model([{"type": "Dense", "units": 128}, {"type": "Dense", "units": 128}],
                 input_shape=(4, 10), batch_size=30)


def test_table_data_rows_match_summary_rows() -> None:
    summary = wide_model().summary()
    data = table_data(summary)
    for cells, row in zip(data.rows[1:], summary.rows, strict=True):
        assert cells[1] == f"{row.name} ({row.class_name})"
        assert cells[2] == str(row.input_shape) and cells[3] == str(row.output_shape)
        assert cells[5] == f"{row.trainable_params:,}"
        assert cells[7] == f"{row.values_per_sample:,}"


def test_table_data_first_row_is_the_input_tensor() -> None:
    data = table_data(seed_model().summary())
    assert data.rows[0][1] == "input (tensor, not a layer)" and data.rows[0][3] == "(None, 3)"


def test_table_numbers_use_thousands_separators() -> None:
    text = to_text(wide_model().summary())
    assert "16,512" in text  # 128·128 + 128
    assert "kernel: (128, 128), bias: (128,)" in text


def test_table_totals_row_sums_parameters() -> None:
    summary = wide_model().summary()
    data = table_data(summary)
    assert data.total[5] == f"{summary.trainable_params:,}" == "17,920"
    assert data.total[6] == "0"


def test_table_memory_estimate_for_fixed_batch() -> None:
    summary = wide_model().summary()
    data = table_data(summary)
    # weights 17,920·4 B; activations 30·(40 + 512 + 512)·4 B
    assert "Weights (float32): 70.00 KB" in data.memory
    assert any("batch of 30" in m and "124.69 KB" in m for m in data.memory)


def test_table_memory_per_sample_without_batch_size() -> None:
    data = table_data(seed_model().summary())
    assert any("per sample" in m and "48.00 B" in m for m in data.memory)


def test_table_memory_uses_given_batch_size() -> None:
    data = table_data(seed_model().summary(), batch_size=1000)
    assert any("batch of 1,000" in m and "46.88 KB" in m for m in data.memory)


def test_table_text_explanations_optional() -> None:
    summary = seed_model().summary()
    assert summary[0].explain("en") not in to_text(summary)
    assert summary[0].explain("en") in to_text(summary, explain=True)


def test_table_markdown_has_explanation_column() -> None:
    summary = seed_model().summary()
    md = to_markdown(summary)
    lines = [line for line in md.splitlines() if line.startswith("| 0 ")]
    assert len(lines) == 1 and summary[0].explain("en") in lines[0]
    assert "`(None, 4)`" in lines[0]


def test_table_html_parses_and_each_layer_has_details() -> None:
    html = to_html(seed_model().summary(), css=False)
    root = ET.fromstring(html)
    assert len(root.findall(".//tbody/tr")) == 1 + 3 + 1  # input, layers, total
    assert len(root.findall(".//tbody//details")) == 4


def test_table_html_inherits_theme_colours() -> None:
    html = to_html(seed_model().summary())
    assert "color:inherit" in html and "var(--jp-border-color" in html
    assert "background:#" not in html.replace(" ", "") and "color:#000" not in html


def test_table_html_highlight_marks_row() -> None:
    html = to_html(seed_model().summary(), highlight=1, css=False)
    root = ET.fromstring(html)
    marked = [tr for tr in root.iter("tr") if "sw-highlight" in (tr.get("class") or "")]
    assert len(marked) == 1 and "dense_1 (Dense)" in "".join(marked[0].itertext())


def test_table_html_escapes_layer_names() -> None:
    m = Model([{"type": "Dense", "units": 2, "name": "a<b>"}], input_shape=(3,))
    html = to_html(m.summary(), css=False)
    assert "a&lt;b&gt;" in html and "<b>" not in html


def test_table_broken_model_shows_rows_before_and_error() -> None:
    m = Model([{"type": "Dense", "units": 4}], input_shape=(3,))
    m.layers = [*m.layers, m.layers[0].renamed("dense")]
    summary = m.analyze()
    text = to_text(summary)
    assert "dense (Dense)" in text and "already used" in text
    assert "already used" in to_html(summary)


def test_table_japanese_headers_and_notes() -> None:
    text = to_text(seed_model().summary(), "ja")
    assert "出力の形" in text and "レイヤーではありません" in text
    assert "Output shape" not in text


def test_model_notes_batch_none_and_input_dim() -> None:
    notes = model_notes(seed_model().summary())
    assert any("not a layer" in n for n in notes)
    assert any("None" in n and "batch" in n for n in notes)
    assert any("input_dim=3 is shorthand for input_shape=(3,)" in n for n in notes)


def test_model_notes_count_values_of_a_fixed_batch() -> None:
    notes = model_notes(wide_model().summary())
    assert any("(30, 4, 10) holds 30·4·10 = 1,200 values" in n for n in notes)
    assert any("It is 30" in n for n in notes)


def test_model_notes_japanese() -> None:
    notes = model_notes(wide_model().summary(), "ja")
    assert any("1,200 個の値" in n for n in notes)
    assert all(any(ord(ch) > 0x3000 for ch in n) for n in notes)


def test_model_notes_method_in_both_languages() -> None:
    m = seed_model()
    assert m.notes() == model_notes(m.summary())
    assert any("レイヤーではありません" in n for n in m.notes("ja"))


# --- functional models --------------------------------------------------------------------

def graph_model() -> Model:
    """Two inputs, a merge, two heads and a second call of ``kind`` (issue 4's example)."""
    from test_summary_text import issue_model

    return issue_model()


def test_table_functional_has_connected_to_column() -> None:
    data = table_data(graph_model().summary())
    assert data.headers[:5] == ["#", "Layer (type)", "Connected to", "Input shape",
                                "Output shape"]
    joined = next(r for r in data.rows if r[1] == "joined (Concatenate)")
    assert joined[2] == "flat[0][0], meta[0][0]"


def test_table_functional_lists_each_input_as_an_input_layer() -> None:
    data = table_data(graph_model().summary())
    assert [r[:5] for r in data.rows[:2]] == [
        ["", "image (InputLayer)", "—", "—", "(None, 32, 32, 3)"],
        ["", "meta (InputLayer)", "—", "—", "(None, 5)"]]
    assert [r[6:] for r in data.rows[:2]] == [["0", "0", "3,072"], ["0", "0", "5"]]
    assert data.kinds[:3] == ["input", "input", "layer"]
    assert "keras.Input(shape=(5,), name=\"meta\")" in data.explanations[1]


def test_table_functional_merge_shows_every_input_shape() -> None:
    data = table_data(graph_model().summary())
    k = next(i for i, r in enumerate(data.rows) if r[1] == "joined (Concatenate)")
    assert data.rows[k][3] == "(None, 7200), (None, 5)"
    assert data.pieces[(k, 3)] == ("(None, 7200)", "(None, 5)")


def test_table_functional_second_call_reads_connection_of_that_call() -> None:
    data = table_data(graph_model().summary())
    both = next(r for r in data.rows if r[1].startswith("both (Add)"))
    assert both[2] == "kind[0][0], kind[1][0]"
    again = next(r for r in data.rows if r[1].startswith("kind_again"))
    assert again[5] == "kind's (counted once)" and again[6] == "0"


def test_table_functional_marks_output_rows() -> None:
    data = table_data(graph_model().summary())
    marked = [r[1] for r, kind in zip(data.rows, data.kinds, strict=True) if kind == "output"]
    assert marked == ["score (Dense) → output", "both (Add) → output"]


def test_table_functional_total_counts_shared_weights_once() -> None:
    data = table_data(graph_model().summary())
    # conv 224 + score 7,206 + kind 21,618; kind_again adds none (Keras: 29,048)
    assert data.total[6] == "29,048" and data.total[7] == "0"
    assert data.memory[0] == "29,048 parameters in all"


def test_table_functional_text_puts_each_merge_input_on_its_own_line() -> None:
    lines = to_text(graph_model().summary(), notes=False).splitlines()
    k = next(i for i, line in enumerate(lines) if "joined (Concatenate)" in line)
    assert "flat[0][0]" in lines[k] and "(None, 7200)" in lines[k]
    assert "meta[0][0]" in lines[k + 1] and "(None, 5)" in lines[k + 1]
    assert "joined" not in lines[k + 1]
    assert len({len(line) for line in lines if line[0] in "┏┃┡│├└"}) == 1


def test_table_functional_japanese_text_lines_have_equal_width() -> None:
    from shapewidget.summary import display_width

    text = to_text(graph_model().summary(), "ja", notes=False)
    assert "接続元" in text and "→ 出力" in text and "kind の重み" in text
    table = [line for line in text.splitlines() if line[0] in "┏┃┡│├└"]
    assert len({display_width(line) for line in table}) == 1


def test_table_functional_markdown_codes_connections_and_shapes() -> None:
    md = to_markdown(graph_model().summary())
    row = next(line for line in md.splitlines() if "joined (Concatenate)" in line)
    assert "| `flat[0][0]`, `meta[0][0]` | `(None, 7200)`, `(None, 5)` |" in row


def test_table_functional_html_parses_with_input_and_output_rows() -> None:
    root = ET.fromstring(to_html(graph_model().summary(), css=False))
    rows = root.findall(".//tbody/tr")
    assert len(rows) == 2 + 7 + 1  # inputs, layers, total
    assert [tr.get("class") for tr in rows[:2]] == ["sw-input", "sw-input"]
    outputs = [tr for tr in rows if "sw-output" in (tr.get("class") or "")]
    assert ["→ output" in "".join(tr.itertext()) for tr in outputs] == [True, True]


def test_table_functional_html_merge_cell_lists_each_shape() -> None:
    root = ET.fromstring(to_html(graph_model().summary(), css=False))
    joined = next(tr for tr in root.iter("tr") if "joined (Concatenate)" in "".join(tr.itertext()))
    codes = [c.text for c in joined.iter("code")]
    assert codes == ["flat[0][0]", "meta[0][0]", "(None, 7200)", "(None, 5)", "(None, 7205)"]


def test_table_functional_highlight_marks_layer_index() -> None:
    root = ET.fromstring(to_html(graph_model().summary(), highlight=0, css=False))
    marked = [tr for tr in root.iter("tr") if "sw-highlight" in (tr.get("class") or "")]
    assert len(marked) == 1 and "conv (Conv2D)" in "".join(marked[0].itertext())


def test_table_sequential_has_no_connected_to_column() -> None:
    summary = seed_model().summary()
    data = table_data(summary)
    assert "Connected to" not in data.headers and data.columns[2] == "input"
    assert "Connected to" not in to_html(summary) + to_markdown(summary) + to_text(summary)


def test_table_display_width_counts_wide_characters_twice() -> None:
    from shapewidget.render.table import _display_width

    assert [_display_width(t) for t in ("(None, 4)", "日本語", "a日", "")] == [9, 6, 3, 0]
