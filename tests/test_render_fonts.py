"""Fonts: Japanese labels without matplotlib's font warnings."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from render_helpers import dense_model

from shapewidget.render import textpaths
from shapewidget.render.fonts import family_for, font_family, japanese_font

needs_japanese = pytest.mark.skipif(japanese_font() is None,
                                    reason="no Japanese font installed")


def _forget_font_lookups() -> None:
    """matplotlib logs a missing weight once per lookup: start from empty caches."""
    from matplotlib.font_manager import fontManager

    cached = getattr(fontManager, "_findfont_cached", None)
    if cached is not None:
        cached.cache_clear()
    textpaths.clear_caches()


@needs_japanese
@pytest.mark.parametrize("name", ["net.png", "net.svg"])
def test_save_figure_japanese_logs_no_font_warning(
        name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _forget_font_lookups()
    with caplog.at_level(logging.INFO, logger="matplotlib"):
        dense_model(511).save_figure(tmp_path / name, lang="ja")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []


@needs_japanese
def test_family_for_bold_japanese_text_uses_the_fonts_own_weight() -> None:
    assert family_for("入力", "ja", "bold") == (font_family("ja"), "normal")
    assert family_for("dense_1", "ja", "bold") == (["DejaVu Sans"], "bold")
