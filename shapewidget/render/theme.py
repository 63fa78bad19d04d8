"""Colours, sizes and fonts of the drawing: light, dark and projector themes.

Plain data (no matplotlib import). The palette is Okabe–Ito, which stays distinct for
the common kinds of colour blindness; colour is never the only cue (every kind of
layer also has its own shape).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}


@dataclass(frozen=True)
class Theme:
    """Everything the drawing needs to know about looks; sizes in points."""

    name: str
    background: str
    foreground: str
    muted: str
    line: str
    line_alpha: float
    line_width: float
    edge_width: float
    highlight: str
    highlight_alpha: float
    error: str
    font_size: float
    # fills by role: the input tensor, neurons, values, blocks per family
    tensor: str = OKABE_ITO["orange"]
    neuron: str = OKABE_ITO["sky"]
    neuron_edge: str = OKABE_ITO["blue"]
    recurrent: str = OKABE_ITO["green"]
    conv: str = OKABE_ITO["green"]
    pooling: str = OKABE_ITO["purple"]
    normalization: str = OKABE_ITO["yellow"]
    embedding: str = OKABE_ITO["purple"]
    plain: str = "#BBBBBB"
    edge: str = "#333333"

    @property
    def small(self) -> float:
        return self.font_size * 0.88

    def fill(self, family: str) -> str:
        return {
            "input": self.tensor, "core": self.neuron, "conv": self.conv,
            "pooling": self.pooling, "normalization": self.normalization,
            "embedding": self.embedding, "recurrent": self.recurrent,
            "wrapper": self.recurrent,
        }.get(family, self.plain)


LIGHT = Theme(
    name="light", background="#FFFFFF", foreground="#1A1A1A", muted="#555555",
    line="#4D4D4D", line_alpha=0.55, line_width=0.8, edge_width=1.0,
    highlight=OKABE_ITO["yellow"], highlight_alpha=0.45, error=OKABE_ITO["vermillion"],
    font_size=10.0,
)

DARK = replace(
    LIGHT, name="dark", background="#1E1E1E", foreground="#EEEEEE", muted="#B3B3B3",
    line="#C8C8C8", line_alpha=0.5, highlight="#8A7F00", highlight_alpha=0.55,
    plain="#8C8C8C", edge="#E0E0E0",
)

PROJECTOR = replace(
    LIGHT, name="projector", foreground="#000000", muted="#333333", line="#333333",
    line_alpha=0.5, line_width=1.3, edge_width=1.8, font_size=14.0, edge="#000000",
)

THEMES: dict[str, Theme] = {t.name: t for t in (LIGHT, DARK, PROJECTOR)}


def get_theme(theme: str | Theme) -> Theme:
    """A theme by name (``light``, ``dark``, ``projector``) or the theme itself."""
    if isinstance(theme, Theme):
        return theme
    try:
        return THEMES[theme]
    except KeyError:
        raise ValueError(f"unknown theme {theme!r}; expected one of "
                         f"{', '.join(THEMES)}") from None
