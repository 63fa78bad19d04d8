"""Every user-facing template exists in English and Japanese."""

from __future__ import annotations

import re

import shapewidget.codegen
import shapewidget.codeparse
import shapewidget.keras_import
import shapewidget.layers  # importing these registers their messages
import shapewidget.model
import shapewidget.render
import shapewidget.widget  # noqa: F401
from shapewidget.text import TEMPLATES, Msg

_LETTERS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")  # two words: prose, not a name
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _prose(template: str) -> bool:
    """Whether a template has words to translate (not only fields, code and symbols)."""
    stripped = re.sub(r"\{[^}]*\}|`[^`]*`|\"[^\"]*\"", "", template)
    return bool(_LETTERS.search(stripped))


def test_text_every_prose_template_has_japanese() -> None:
    missing = [key for key, t in TEMPLATES.items()
               if _prose(t["en"]) and not _JAPANESE.search(t["ja"])]
    assert missing == []


def test_text_japanese_uses_the_same_fields() -> None:
    fields = re.compile(r"\{(\w+)")
    differ = []
    for key, t in TEMPLATES.items():
        english = set(fields.findall(t["en"]))
        # A Japanese template may take a pre-translated variant of a field: {where_ja}.
        japanese = {f.removesuffix("_ja") for f in fields.findall(t["ja"])}
        if not japanese <= english | {f for f in japanese if f + "_ja" in t["ja"]}:
            differ.append(key)
    assert differ == []


def test_text_msg_renders_nested_message_in_its_language() -> None:
    outer = Msg("param.received", {"expected": Msg("param.expected.bool"), "received": "1"})
    assert "True か False" in outer.render("ja")


def test_text_japanese_summary_table_lines_have_equal_width() -> None:
    from shapewidget import Model
    from shapewidget.summary import display_width

    model = Model(input_shape=(4, 10), layers=[{"type": "Dense", "units": 5}])
    table = [ln for ln in model.analyze().to_text("ja").splitlines() if ln[0] in "┏┃┡│└"]
    assert len({display_width(ln) for ln in table}) == 1


def test_text_note_is_a_msg_equal_to_the_constructed_one() -> None:
    from shapewidget.text import note

    made = note("layer.frozen", {"count": "1,234"})
    assert type(made) is Msg
    assert made == Msg("layer.frozen", {"count": "1,234"})
    assert made.key == "layer.frozen" and made.render("ja") == Msg(*made).render("ja")


def test_text_lazy_value_is_worked_out_when_rendered() -> None:
    from shapewidget.text import Lazy

    calls: list[int] = []

    def total(n: int) -> str:
        calls.append(n)
        return f"{n:,}"

    message = Msg("layer.frozen", {"count": Lazy(total, (1234,))})
    assert calls == []
    assert message.render("en") == Msg("layer.frozen", {"count": "1,234"}).render("en")
    assert "1,234" in message.render("ja")
    assert calls == [1234, 1234]
    assert Lazy(total, (1,)) == Lazy(total, (1,)) != Lazy(total, (2,))
