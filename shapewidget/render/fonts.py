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


@lru_cache(maxsize=64)
def has_weight(name: str, weight: str) -> bool:
    """Whether an installed face of family ``name`` has ``weight`` (``bold``, …)."""
    from matplotlib import font_manager

    def level(w: str | int) -> int:
        return int(font_manager.weight_dict.get(w, w)) if not isinstance(w, int) else w

    want = level(weight)
    return any(f.name == name and level(f.weight) == want
               for f in font_manager.fontManager.ttflist)


def family_for(text: str, lang: str, weight: str) -> tuple[list[str], str]:
    """Font families and a weight for ``text`` that the installed fonts really have.

    Asking matplotlib for a weight a family lacks (IPAexGothic has no bold) makes it log
    "findfont: Failed to find font weight bold…" on every new label. A bold label in a
    Latin script keeps its bold with the families that have it; a label that needs the
    Japanese font is drawn in that font's own weight.
    """
    fonts = font_family(lang)
    if weight == "normal" or all(has_weight(f, weight) for f in fonts):
        return fonts, weight
    with_weight = [f for f in fonts if has_weight(f, weight)]
    if with_weight and all(ord(ch) < 0x2E80 for ch in text):  # below the CJK blocks
        return with_weight, weight
    return fonts, "normal"
