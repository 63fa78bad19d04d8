"""Fonts for the drawing: DejaVu Sans, with a Japanese fallback font when one is installed."""

from __future__ import annotations

from functools import lru_cache

JAPANESE_FONTS = (
    "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "IPAPGothic",
    "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", "MS Gothic",
    "TakaoGothic", "VL Gothic", "Source Han Sans JP", "Droid Sans Fallback",
)


@lru_cache(maxsize=1)
def japanese_font() -> str | None:
    """The name of an installed font with Japanese glyphs, or ``None``."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in JAPANESE_FONTS:
        if name in names:
            return name
    return None


def font_family(lang: str) -> list[str]:
    """Font families in fallback order for text in ``lang``."""
    fonts = ["DejaVu Sans"]
    if lang == "ja":
        jp = japanese_font()
        if jp is not None:
            fonts.append(jp)
    return fonts
