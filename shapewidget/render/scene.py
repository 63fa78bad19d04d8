"""The drawing as a plain scene: shapes, lines and labels in inches, each tagged with its layer.

The layouts (:mod:`.drawing`, :mod:`.graph_drawing`) build a :class:`Scene` once per
model change; renderers draw it: :mod:`.scene_svg` writes SVG for the widget and the
notebook, :mod:`.scene_mpl` makes matplotlib artists through matplotlib's public API for
``draw()``, ``save_figure`` and ipympl. Nothing here imports matplotlib.

Coordinates are inches with ``y`` upwards (0 at the bottom), line widths and font sizes
are points. Shapes of one :class:`Style` are drawn together, in the order of
:meth:`Scene.groups`, which both renderers follow, so that their pictures agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Point = tuple[float, float]
Kind = Literal["lines", "circles", "polygons", "boxes"]


@dataclass(frozen=True)
class Style:
    """How a shape is painted. ``fill``: a colour, ``"none"``, or ``"each"`` (the shape's
    own ``faces``); ``ls``: ``"-"`` or ``"--"``; ``z``: drawing order (higher on top)."""

    fill: str = "none"
    edge: str = "none"
    lw: float = 0.0
    alpha: float = 1.0
    ls: str = "-"
    z: float = 1.0
    round_caps: bool = False


@dataclass
class Shape:
    """Geometry of one kind for one part of the drawing (``gid``), tagged with ``layer``.

    - ``lines``: ``geometry`` is a list of polylines (each a sequence of points);
    - ``circles``: centres, all of radius ``radius``;
    - ``polygons``: closed vertex lists (``faces``: one fill each when the style says
      ``"each"``);
    - ``boxes``: ``(x, y, w, h)`` rectangles with corners rounded by ``radius``.
    """

    kind: Kind
    gid: str
    style: Style
    geometry: Any
    radius: float = 0.0
    faces: list[Any] | None = None
    layer: str | None = None


@dataclass
class Label:
    """A line or lines of text anchored at ``(x, y)``; ``size`` in points."""

    x: float
    y: float
    text: str
    size: float
    color: str
    gid: str
    family: tuple[str, ...] = ("DejaVu Sans",)
    weight: str = "normal"
    style: str = "normal"
    ha: str = "center"
    va: str = "baseline"
    layer: str | None = None


@dataclass
class Scene:
    """A whole drawing: ``width`` × ``height`` inches on ``background``.

    ``panel``: the figure is transparent and the drawing sits on a rounded panel of the
    background (the notebook display on a dark page reads as a card). ``overview``: the
    drawing is a reduced picture of a model too large to draw in full.
    """

    width: float
    height: float
    background: str
    shapes: list[Shape] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    panel: bool = False
    panel_rounding: float = 0.14

    def groups(self) -> list[tuple[Kind, Style, list[Shape]]]:
        """Shapes gathered by kind and style, in drawing order: by ``z``, then by the
        first appearance of the group (a stable order both renderers follow)."""
        order: dict[tuple[Kind, Style], list[Shape]] = {}
        for shape in self.shapes:
            order.setdefault((shape.kind, shape.style), []).append(shape)
        items = [(kind, style, shapes) for (kind, style), shapes in order.items()]
        return sorted(items, key=lambda item: item[1].z)

    def labels_by_colour(self) -> dict[str, list[Label]]:
        """Labels gathered by colour (drawn after every shape, in this order)."""
        out: dict[str, list[Label]] = {}
        for label in self.labels:
            out.setdefault(label.color, []).append(label)
        return out

    def layers(self) -> set[str]:
        """The layer ids anything in the scene is tagged with."""
        found = {s.layer for s in self.shapes if s.layer is not None}
        return found | {lab.layer for lab in self.labels if lab.layer is not None}


def layer_of(gid: str) -> str | None:
    """The layer a part's id names: ``"neurons:dense_1"`` → ``"dense_1"``,
    ``"edge:a>b"`` → ``"b"``; ``None`` for parts of the whole drawing."""
    if ":" not in gid:
        return None
    name = gid.rsplit(":", 1)[1]
    return name.rsplit(">", 1)[-1] if ">" in name else name
