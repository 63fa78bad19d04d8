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
