"""Every label, message and explanation in English and Japanese."""

from __future__ import annotations

import re
import string

from shapewidget.text import TEMPLATES
from shapewidget.widget import ShapeWidget
from shapewidget.widget.strings import KEYS

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Keys whose text is code or a symbol in both languages.
SAME = {"widget.input.shape", "widget.input.dtype", "widget.layer.name", "widget.layer.out",
        "widget.family", "widget.status.invalid", "widget.code.sequential",
        "widget.code.functional", "widget.paste.placeholder", "widget.explain.layer"}


def test_every_widget_string_has_japanese_text() -> None:
    missing = [k for k in KEYS if k not in SAME and not JAPANESE.search(TEMPLATES[k]["ja"])]
    assert missing == []


def test_japanese_widget_labels_and_status() -> None:
    w = ShapeWidget(lang="ja")
    w.tabs.selected_index = 1
    assert w.tabs.titles == ("図", "形の表", "Keras のコード", "説明")
    assert w.status_text.startswith("✓ レイヤー 3 個")
    assert w.add_button.description == "追加"
    assert "Keras は入力を" in w.input_info.value


def test_japanese_error_message_in_status() -> None:
    w = ShapeWidget(lang="ja")
    w.tabs.selected_index = 1
    w.rows[0].controls["units"].widget.value = 0
    assert "レイヤー 0 'dense' (Dense)" in w.status_text
    assert "を受け取りました" in w.status_text


def test_switching_language_rebuilds_labels_and_keeps_model() -> None:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    w.model.set_arg(0, "units", 6)
    w.lang = "ja"
    assert w.add_button.description == "追加"
    assert w.model.layers[0].units == 6
    assert w.rows[0].controls["units"].widget.value == 6


def test_every_widget_string_renders_with_same_fields_in_both_languages() -> None:
    for key in KEYS:
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(TEMPLATES[key][lang]) if f}
                  for lang in ("en", "ja")}
        assert fields["en"] == fields["ja"], key
        values = dict.fromkeys(fields["en"], "x")
        for lang in ("en", "ja"):
            TEMPLATES[key][lang].format(**values)
