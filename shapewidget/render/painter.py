"""What the Sequential and the graph drawings paint with: one Axes, merged artists.

:class:`Painter` gathers the lines, neurons and value cells of a drawing by style and
draws each style as one artist; labels become one glyph-outline path per colour (or
Text artists). The artists of an Axes' previous drawing are updated rather than rebuilt.
:func:`drawing_axes` finds or makes the Figure and Axes a drawing goes on,
:func:`paint_on_axes` runs a painter on them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, PathPatch
from matplotlib.transforms import TransformedPatchPath

from ..summary import SummaryRow
from ..text import Lang
from . import pathtext
from .fonts import family_for, font_family
from .glyphs import Point, dropout_crosses
from .merged import Cells, Dots, LineSet, Part
from .theme import Theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes

AXES_GID = "shapewidget-drawing"
PANEL_ROUNDING = 0.14  # corner radius of the notebook display's panel (inches)
# Attribute of a drawing Axes holding the merged artists (lines, neurons, cells,
# labels) it last drew, by kind and style: the next drawing on that Axes updates them
# instead of building new ones. (On the Axes itself: they live and die together.)
_KEPT = "_shapewidget_kept"
_NOCLIP = "_shapewidget_noclip"


class Painter:
    """Draws one drawing on one Axes: artists gathered by style, drawn by :meth:`flush`.

    ``radius``: the neurons' radius; ``scale``: line widths relative to the layout's.
    """

    def __init__(self, ax: Axes, theme: Theme, lang: Lang, scale: float, radius: float,
                 highlight: int | None, paths: bool = True) -> None:
        self.ax = ax
        self.t = theme
        self.lang = lang
        self.s = scale
        self.radius = radius
        self.highlight = highlight
        self.paths = paths
        self.family = font_family(lang)
        self.noclip = _noclip(ax)
        self._lines: dict[tuple[Any, ...], list[Part]] = {}
        self._dots: dict[tuple[Any, ...], list[Part]] = {}
        self._cells: dict[tuple[Any, ...], tuple[list[Part], list[Any]]] = {}
        self.pending: dict[str, list[pathtext.LabelRecord]] = {}
        # merged artists of the Axes' previous drawing, by kind and style (reused when
        # the same style comes up again), and those of this drawing
        self.reuse: dict[tuple[Any, ...], Any] = {}
        self.kept: dict[tuple[Any, ...], Any] = {}

    # adding artists --------------------------------------------------------------------
    def _add(self, coll: Any) -> None:
        # Nothing is clipped. One shared clip path (never used) saves Axes.add_* from
        # building a clip box with its transform callbacks for every artist.
        self._unclipped(coll)
        self.ax.add_collection(coll, autolim=False)

    def _add_patch(self, patch: Any) -> None:
        # add_artist, not add_patch: the limits are set by the layout, and add_patch
        # would measure every glyph curve of a label to update them
        self._unclipped(patch)
        self.ax.add_artist(patch)

    def _unclipped(self, artist: Any) -> None:
        """Not clipped (an artist kept from the previous drawing already is)."""
        if artist.get_clip_path() is not self.noclip:
            artist.set_clip_path(self.noclip)
        if artist.get_clip_on():
            artist.set_clip_on(False)

    def _reused(self, key: tuple[Any, ...]) -> Any:
        """The artist of this style from the Axes' previous drawing, if there is one
        (updating it costs far less than building a new collection)."""
        artist = self.reuse.pop(key, None)
        if artist is not None and artist.axes not in (None, self.ax):
            artist = None
        return artist

    def patch(self, gid: str, cls: Any, *args: Any, **kwargs: Any) -> Any:
        """Add ``cls(*args, **kwargs)`` with id ``gid``: the same patch as in the Axes'
        previous drawing when it had one of the same id, class and arguments (a redraw
        builds only what changed)."""
        key = ("patch", gid, cls, _frozen(args), _frozen(sorted(kwargs.items())))
        patch = self._reused(key)
        if patch is None:
            patch = cls(*args, **kwargs)
            patch.set_gid(gid)
        self.kept[key] = patch
        self._add_patch(patch)
        return patch

    def _keep(self, key: tuple[Any, ...], artist: Any, gid: str) -> None:
        """Add a merged artist, kept for the next drawing on this Axes."""
        artist.set_gid(gid)
        self.kept[key] = artist
        self._add(artist)

    # gathering by style ------------------------------------------------------------------
    def lines(self, segs: Any, gid: str, *, color: str, lw: float, zorder: float,
              alpha: float = 1.0, ls: str = "-") -> None:
        """Straight segments, drawn with every other segment of the same style."""
        self._lines.setdefault((color, lw, alpha, ls, zorder), []).append(Part(gid, segs))

    def dots(self, offsets: Any, gid: str, fill: str, edge: str, lw: float, *,
             alpha: float = 1.0, ls: str = "-") -> None:
        """Neurons, drawn with every other neuron of the same style."""
        self._dots.setdefault((fill, edge, lw, alpha, ls), []).append(Part(gid, offsets))

    def cells(self, polys: Any, gid: str, fill: Any, edge: str, lw: float, ls: str, *,
              alpha: float = 1.0, zorder: float = 4) -> None:
        """Value cells or feature-map faces (``fill``: one colour, or one per polygon),
        drawn with every other polygon of the same outline style."""
        faces = [fill] * len(polys) if isinstance(fill, str) else list(fill)
        group = self._cells.setdefault((edge, lw, alpha, ls, zorder), ([], []))
        group[0].append(Part(gid, polys))
        group[1].extend(faces)

    def text(self, x: float, y: float, s: str, *, size: float, gid: str,
             family: str | list[str] | None = None, **kw: Any) -> None:
        """A label; ``size`` in points of the layout. Bold text picks a font with bold
        glyphs for its script unless ``family`` is given."""
        if not s:
            return
        kw.setdefault("color", self.t.foreground)
        kw.setdefault("ha", "center")
        fam = family if family is not None else self.family
        if kw.get("weight", "normal") != "normal" and family is None:
            fam, kw["weight"] = family_for(s, self.lang, kw["weight"])
        if self.paths:
            # sizes in inches of the layout: they scale with the Axes like the glyphs do;
            # gathered per colour and drawn as one path each at the end
            color = kw.pop("color")
            kw.pop("zorder", None)
            # its outline is only worked out if Agg draws it (not for SVG)
            self.pending.setdefault(str(color), []).append(
                pathtext.label(x, y, s, size_pt=size, family=fam, gid=gid, axes=self.ax, **kw))
            return
        art = self.ax.text(x, y, s, fontsize=size * self.s, family=fam, zorder=6,
                           clip_on=False, **kw)
        art.set_gid(gid)

    # shared glyphs -------------------------------------------------------------------------
    def glyph_colours(self, kind: str, family: str) -> tuple[str, str]:
        """Fill and outline of a layer's glyph: plain layers (and their neurons) in
        neutral colours, the others in their family's colour."""
        if kind == "neurons" and family == "core":
            return self.t.neuron, self.t.neuron_edge
        if family in ("core", "shared"):
            return self.t.plain, self.t.edge
        return self.t.fill(family), self.t.edge

    def loop_arrow(self, x: float, top: float, colour: str, size: float, lw: float,
                   gid: str, alpha: float | None = None) -> None:
        """A recurrent layer's loop: an arc over the top neuron, whose top is at ``top``."""
        arrow = FancyArrowPatch((x + self.radius * 0.9, top - 0.02),
                                (x - self.radius * 0.9, top - 0.02),
                                connectionstyle="arc3,rad=1.9", arrowstyle="-|>",
                                mutation_scale=size * self.s, color=colour,
                                linewidth=lw * self.t.edge_width * self.s, alpha=alpha,
                                zorder=5)
        arrow.set_gid(gid)
        self._add_patch(arrow)

    def cross_out(self, row: SummaryRow | None, name: str, centres: list[Point],
                  half: float) -> None:
        """Dropout: every ``1/rate``-th value cell (``half`` its half side) crossed out."""
        segs = dropout_crosses(row, centres, half)
        if segs:
            self.lines(segs, f"dropped:{name}", color=self.t.foreground,
                       lw=self.t.edge_width * self.s, zorder=5)

    def highlight_box(self, x0: float, y0: float, w: float, h: float, name: str) -> None:
        """The highlighted layer's background."""
        self.patch(f"highlight:{name}", FancyBboxPatch, (x0, y0), w, h,
                   boxstyle="round,pad=0.0,rounding_size=0.12", facecolor=self.t.highlight,
                   alpha=self.t.highlight_alpha, edgecolor="none", zorder=0)

    def panel(self, width: float, height: float) -> None:
        """A transparent figure with the drawing on a rounded panel of the background."""
        fig = self.ax.figure
        fig.set_facecolor("none")
        key = ("panel", width, height, self.t.background)
        card = self._reused(key)  # the same panel as last time: kept, not rebuilt
        if card is None:
            inset = 0.01
            box = FancyBboxPatch((inset, inset), width - 2 * inset, height - 2 * inset,
                                 boxstyle=f"round,pad=0.0,rounding_size={PANEL_ROUNDING}")
            # its outline as a plain path, worked out once (FancyBboxPatch works it out
            # again on every draw); the same path and transform, so the same pixels
            card = PathPatch(box.get_path(), facecolor=self.t.background,
                             edgecolor="none", zorder=-1)
            card.set_gid("panel")
        self.kept[key] = card
        self._add_patch(card)

    # drawing the gathered artists ----------------------------------------------------------
    def flush(self) -> None:
        """One artist per style for all the lines, neurons and cells gathered."""
        for style, parts in self._lines.items():
            color, lw, alpha, ls, zorder = style
            key: tuple[Any, ...] = ("lines", *style)
            line_set = self._reused(key)
            if line_set is not None:
                line_set.reuse(parts)
            else:
                line_set = LineSet(parts, colors=color, linewidths=lw, alpha=alpha,
                                   linestyles=ls, zorder=zorder)
            self._keep(key, line_set, "lines")
        for style, parts in self._dots.items():
            fill, edge, lw, alpha, ls = style
            key = ("neurons", self.radius, *style)
            dots = self._reused(key)
            if dots is not None:
                dots.reuse(parts)
            else:
                dots = Dots(self.radius, parts, self.ax, facecolors=fill, edgecolors=edge,
                            linewidths=lw, alpha=alpha, linestyles=ls, zorder=4)
            self._keep(key, dots, "neurons")
        for style, (parts, faces) in self._cells.items():
            edge, lw, alpha, ls, zorder = style
            key = ("cells", *style)
            cells = self._reused(key)
            if cells is not None:
                cells.reuse(parts, faces)
            else:
                cells = Cells(parts, facecolors=faces, edgecolors=edge, linewidths=lw,
                              alpha=alpha, linestyles=ls, zorder=zorder)
            self._keep(key, cells, "cells")

    def flush_labels(self) -> None:
        """The labels gathered: one glyph-outline path per colour."""
        for color, records in self.pending.items():
            key = ("labels", color)
            patch = pathtext.layer(None, records, self._reused(key), facecolor=color,
                                   zorder=6)
            patch.set_gid("labels")
            self.kept[key] = patch
            self._add_patch(patch)


def _noclip(ax: Axes) -> TransformedPatchPath:
    """The Axes' shared clip path (see ``Painter._add``), made once per Axes patch."""
    kept = getattr(ax, _NOCLIP, None)
    if kept is None or kept[0] is not ax.patch:
        kept = (ax.patch, TransformedPatchPath(ax.patch))
        setattr(ax, _NOCLIP, kept)
    clip: TransformedPatchPath = kept[1]
    return clip


def _frozen(value: Any) -> Any:
    """``value`` with its lists made tuples (a dictionary key)."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def drawing_axes(ax: Axes | None, fig: Figure | None, width: float, height: float,
                 theme: Theme) -> tuple[Figure, Axes, float]:
    """The Figure and Axes for a ``width`` × ``height`` inches drawing, and its scale.

    ``ax``: that Axes, cleared (the scale fits the drawing in it). ``fig``: its drawing
    Axes emptied, the Figure resized to the drawing. Neither: a new non-interactive Figure.
    """
    scale = 1.0
    if ax is None:
        if fig is None:
            fig = Figure(figsize=(width, height))
        if type(fig.canvas).__name__ == "FigureCanvasBase":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)
        if tuple(fig.get_size_inches()) != (width, height):
            fig.set_size_inches(width, height)
        fig.set_facecolor(theme.background)
        ax = _reusable_axes(fig)
    else:
        parent = ax.figure
        root = getattr(parent, "figure", parent)
        assert isinstance(root, Figure)
        fig = root
        ax.clear()
        bbox = ax.get_position()
        scale = min(bbox.width * fig.get_figwidth() / width,
                    bbox.height * fig.get_figheight() / height)
    _settle_axes(ax, width, height, theme.background,
                 "box" if scale != 1.0 else "datalim")
    return fig, ax, scale


def _settle_axes(ax: Axes, width: float, height: float, background: str,
                 adjustable: Literal["box", "datalim"]) -> None:
    """Limits 0..width × 0..height, equal aspect, no axis, the theme's background: each
    set only when it differs (a redraw of the same size on the same Axes sets nothing;
    set_xlim and set_ylim alone cost more than a small drawing's artists)."""
    if to_rgba(ax.get_facecolor()) != to_rgba(background):
        ax.set_facecolor(background)
    if tuple(ax.get_xlim()) != (0, width):
        ax.set_xlim(0, width)
    if tuple(ax.get_ylim()) != (0, height):
        ax.set_ylim(0, height)
    if ax.get_aspect() != 1.0 or ax.get_adjustable() != adjustable:
        ax.set_aspect("equal", adjustable=adjustable)
    if ax.axison:
        ax.set_axis_off()


def _reusable_axes(fig: Figure) -> Axes:
    """The Figure's drawing Axes emptied for a new drawing (faster than a new Axes)."""
    axes = fig.get_axes()
    if len(axes) == 1 and axes[0].get_gid() == AXES_GID:
        ax = axes[0]
        for artist in [*ax.collections, *ax.patches, *ax.texts]:
            artist.remove()
        return ax
    fig.clear()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_gid(AXES_GID)
    return ax


def paint_on_axes(painter: Painter, draw: Callable[[], None], *, reusable: bool,
                  panel: bool, size: tuple[float, float]) -> None:
    """Run ``draw`` with ``painter``, reusing the Axes' previous artists if ``reusable``
    (and keeping these for the next); ``panel``: on a panel of ``size`` (a whole figure)."""
    if reusable:
        painter.reuse = getattr(painter.ax, _KEPT, None) or {}
    if panel and painter.s == 1.0:
        painter.panel(*size)
    draw()
    setattr(painter.ax, _KEPT, painter.kept if reusable else {})


def rasterize(fig: Figure) -> Any:
    """Rasterise ``fig`` on its Agg canvas and return the canvas (``buffer_rgba()``).

    A drawing's own figure (one drawing Axes, axis off, nothing else on it) is drawn
    straight onto the Agg renderer: the figure's background, then the Axes' artists in
    z-order, as ``canvas.draw()`` does, without the Figure's and Axes' bookkeeping
    around it (sorting all children, title layout, the axis machinery), which cost
    more than drawing a small network. The pixels are the same. Any other figure goes
    through ``canvas.draw()``.
    """
    canvas: Any = fig.canvas
    artists = _lean_artists(fig)
    if artists is None:
        canvas.draw()
        return canvas
    ax = fig.axes[0]
    renderer = canvas.get_renderer()
    canvas.renderer = renderer
    renderer.clear()
    ax.viewLim  # noqa: B018  (settles a pending autoscale, as Axes.draw does)
    ax.apply_aspect()
    if _paints(fig.patch):
        fig.patch.draw(renderer)
    for artist in sorted(artists, key=_zorder):
        artist.draw(renderer)
    ax.stale = False
    fig.stale = False
    return canvas


def _paints(patch: Any) -> bool:
    """Whether drawing ``patch`` changes a pixel: not a transparent, edgeless, unhatched
    background (a panel's figure), which Agg would walk over for nothing."""
    face, edge = patch.get_facecolor(), patch.get_edgecolor()
    return bool(face[3] > 0 or patch.get_hatch()
                or (edge[3] > 0 and patch.get_linewidth() > 0))


def _zorder(artist: Any) -> float:
    return float(artist.get_zorder())


def _lean_artists(fig: Figure) -> list[Any] | None:
    """The artists ``canvas.draw()`` would draw on ``fig``, when ``fig`` is a drawing's
    own figure with nothing that needs the full draw (a layout engine, draw-event
    listeners, rasterised or filtered artists, images, titles, visible axes, further
    Axes or figure-level artists); ``None`` otherwise."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas: Any = fig.canvas
    if (type(canvas) is not FigureCanvasAgg or fig.get_layout_engine() is not None
            or canvas.callbacks.callbacks.get("draw_event")
            or not _plain(fig) or not _plain(fig.patch)):
        return None
    children = fig.get_children()
    axes = fig.axes
    if len(axes) != 1 or len(children) != 2 or children[1] is not axes[0]:
        return None
    ax = axes[0]
    titles = [ax.title, *(getattr(ax, f"_{side}_title", ax.title) for side in ("left", "right"))]
    if (ax.get_gid() != AXES_GID or ax.axison or not _plain(ax)
            or ax.get_axes_locator() is not None or ax.get_rasterization_zorder() is not None
            or any(title.get_text() for title in titles)):
        return None
    skip = {id(a) for a in (ax.patch, ax.xaxis, ax.yaxis, *titles, *ax.spines.values())}
    artists = []
    for artist in ax.get_children():
        if id(artist) in skip or artist.get_animated() or not artist.get_visible():
            continue
        if (not _plain(artist) or isinstance(artist, AxesImage)
                or hasattr(artist, "apply_aspect")):
            return None
        artists.append(artist)
    return artists


def _plain(artist: Any) -> bool:
    """Drawn by its own ``draw`` alone: visible, not rasterised, no Agg filter."""
    return bool(artist.get_visible()) and not artist.get_rasterized() \
        and artist.get_agg_filter() is None
