"""A scene as matplotlib artists, through matplotlib's public API.

For ``draw()`` (a Figure), ``save_figure`` (PNG, SVG with real text, PDF) and ipympl.
Each group of shapes of one style (:meth:`.scene.Scene.groups`) becomes one collection
(``LineCollection``, ``EllipseCollection``, ``PolyCollection``) or a few patches, in the
order the SVG writer writes them. Labels are Text artists, or with ``text_as_paths`` one
``PathPatch`` of glyph outlines per colour (:mod:`.textpaths`, the outlines the SVG
writer uses: the same picture in both).

The axes spans the figure, one data unit is one inch, so circles stay round and text
sizes in points can be measured against the layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import numpy as np
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.collections import EllipseCollection, LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle

from . import textpaths
from .scene import Scene, Shape, Style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

AXES_GID = "shapewidget-drawing"
LABEL_Z = 6.0
# the scene each Figure last showed (see scene_of)
_SCENES: WeakKeyDictionary[Figure, Scene] = WeakKeyDictionary()


def scene_of(fig: Figure) -> Scene | None:
    """The scene last drawn on ``fig`` by :func:`render` (``None`` if none was)."""
    return _SCENES.get(fig)


def _linestyle(style: Style) -> str:
    return "dashed" if style.ls == "--" else "solid"


def _lines(ax: Axes, style: Style, shapes: list[Shape], s: float) -> Any:
    segs: list[Any] = []
    for shape in shapes:
        segs.extend(np.asarray(line, dtype=float) for line in shape.geometry)
    extra = {"capstyle": "round", "joinstyle": "round"} if style.round_caps else {}
    return LineCollection(segs, colors=style.edge, linewidths=style.lw * s,
                          alpha=style.alpha, linestyles=_linestyle(style), zorder=style.z,
                          **extra)


def _circles(ax: Axes, style: Style, shapes: list[Shape], s: float) -> Any:
    centres = np.concatenate([np.asarray(sh.geometry, dtype=float).reshape(-1, 2)
                              for sh in shapes])
    sizes = np.concatenate([np.full(len(np.asarray(sh.geometry).reshape(-1, 2)),
                                    2 * sh.radius) for sh in shapes])
    return EllipseCollection(sizes, sizes, np.zeros(len(sizes)), units="xy",
                             offsets=centres, offset_transform=ax.transData,
                             facecolors=style.fill, edgecolors=style.edge,
                             linewidths=style.lw * s, alpha=style.alpha,
                             linestyles=_linestyle(style), zorder=style.z)


def _polygons(ax: Axes, style: Style, shapes: list[Shape], s: float) -> Any:
    polys: list[Any] = []
    faces: list[Any] = []
    for shape in shapes:
        polys.extend(shape.geometry)
        if shape.faces is not None:
            faces.extend(shape.faces)
    return PolyCollection(polys, facecolors=faces if style.fill == "each" else style.fill,
                          edgecolors=style.edge, linewidths=style.lw * s, alpha=style.alpha,
                          linestyles=_linestyle(style), zorder=style.z)


def _boxes(style: Style, shape: Shape, s: float) -> list[Any]:
    out: list[Any] = []
    for x, y, w, h in shape.geometry:
        common: dict[str, Any] = {"facecolor": style.fill, "edgecolor": style.edge, "linewidth": style.lw * s,
                  "alpha": style.alpha, "linestyle": _linestyle(style), "zorder": style.z}
        if shape.radius > 0:
            r = min(shape.radius, w / 2, h / 2)
            patch: Any = FancyBboxPatch((x, y), w, h,
                                        boxstyle=f"round,pad=0.0,rounding_size={r}", **common)
        else:
            patch = Rectangle((x, y), w, h, **common)
        patch.set_gid(shape.gid)
        out.append(patch)
    return out


def _add(ax: Axes, artist: Any, gid: str) -> None:
    artist.set_gid(gid)
    artist.set_clip_on(False)
    ax.add_artist(artist)  # the layout sets the limits: nothing to measure


def paint(scene: Scene, ax: Axes, scale: float = 1.0, text_as_paths: bool = True) -> None:
    """Add ``scene``'s artists to ``ax`` (data units: inches of the scene)."""
    if scene.panel and scale == 1.0:
        inset = 0.01
        card = FancyBboxPatch((inset, inset), scene.width - 2 * inset,
                              scene.height - 2 * inset,
                              boxstyle=f"round,pad=0.0,rounding_size={scene.panel_rounding}",
                              facecolor=scene.background, edgecolor="none", zorder=-1)
        _add(ax, card, "panel")
    for kind, style, shapes in scene.groups():
        if kind == "lines":
            _add(ax, _lines(ax, style, shapes, scale), "lines")
        elif kind == "circles":
            _add(ax, _circles(ax, style, shapes, scale), "neurons")
        elif kind == "polygons":
            _add(ax, _polygons(ax, style, shapes, scale), "cells")
        else:
            for shape in shapes:
                for patch in _boxes(style, shape, scale):
                    _add(ax, patch, shape.gid)
    for colour, labels in scene.labels_by_colour().items():
        if text_as_paths:
            path = textpaths.labels_path(labels)
            if path is not None:
                patch = PathPatch(path, facecolor=colour, edgecolor="none", linewidth=0,
                                  zorder=LABEL_Z)
                _add(ax, patch, "labels")
            continue
        for lab in labels:
            art = ax.text(lab.x, lab.y, lab.text, fontsize=lab.size * scale,
                          family=list(lab.family), weight=lab.weight, style=lab.style,
                          ha=lab.ha, va=lab.va, color=colour, zorder=LABEL_Z, clip_on=False)
            art.set_gid(lab.gid)


def _settle_axes(ax: Axes, width: float, height: float, background: str,
                 adjustable: Any) -> None:
    ax.set_facecolor(background)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal", adjustable=adjustable)
    ax.set_axis_off()


def _drawing_axes(fig: Figure) -> Axes:
    """The Figure's drawing Axes emptied for a new drawing, or a new one."""
    axes = fig.get_axes()
    if len(axes) == 1 and axes[0].get_gid() == AXES_GID:
        ax = axes[0]
        for artist in [*ax.collections, *ax.patches, *ax.texts, *ax.artists]:
            artist.remove()
        return ax
    fig.clear()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_gid(AXES_GID)
    return ax


def render(scene: Scene, ax: Axes | None = None, fig: Figure | None = None, *,
           text_as_paths: bool = True) -> Figure:
    """Draw ``scene`` and return the Figure.

    ``ax``: on this Axes, cleared (line widths and fonts scaled to fit the drawing in
    it). ``fig``: on this Figure, emptied and resized to the drawing. Neither: a new
    non-interactive Figure with an Agg canvas.
    """
    scale = 1.0
    if ax is None:
        if fig is None:
            fig = Figure(figsize=(scene.width, scene.height))
        if type(fig.canvas) is FigureCanvasBase:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)
        if tuple(fig.get_size_inches()) != (scene.width, scene.height):
            fig.set_size_inches(scene.width, scene.height)
        fig.set_facecolor("none" if scene.panel else scene.background)
        ax = _drawing_axes(fig)
        adjustable = "datalim"
        background = "none"  # the figure's (or the panel's)
    else:
        parent: Any = ax.figure
        root = getattr(parent, "figure", parent)  # a SubFigure's Figure
        assert isinstance(root, Figure)
        fig = root
        ax.clear()
        bbox = ax.get_position()
        scale = min(bbox.width * fig.get_figwidth() / scene.width,
                    bbox.height * fig.get_figheight() / scene.height)
        adjustable = "box"
        background = scene.background
    _settle_axes(ax, scene.width, scene.height, background, adjustable)
    paint(scene, ax, scale, text_as_paths)
    _SCENES[fig] = scene
    return fig


def rasterize(fig: Figure) -> Any:
    """Rasterise ``fig`` on its Agg canvas and return the canvas (``buffer_rgba()``)."""
    canvas: Any = fig.canvas
    canvas.draw()
    return canvas
