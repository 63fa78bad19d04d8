"""Artists that draw many layers' worth of one kind of shape in one draw call.

Every Artist costs matplotlib time to build and to draw, whatever it holds, so the
drawing gathers all weight lines of one style (all layers) into one line collection, all
neurons of one style into one stamped-circle collection and all value cells of one style
into one polygon collection. Each layer's share stays addressable as a :class:`Part`
(``artist.parts``), with the id and accessors its own artist used to have, for tests and
tools.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

# A circle as a 48-sided polygon: identical to a Bézier circle at neuron sizes, and
# matplotlib measures a polygon's extent from its corners instead of solving for the
# extrema of every curve segment (which made each neuron column cost ~1 ms to draw).
_T = np.linspace(0, 2 * np.pi, 49)
CIRCLE = Path(np.column_stack([np.cos(_T), np.sin(_T)]), closed=True, readonly=True)


class Part:
    """One layer's share of a merged artist: its id and its geometry (data units)."""

    def __init__(self, gid: str, geometry: Any) -> None:
        self._gid = gid
        self.geometry = geometry

    def get_gid(self) -> str:
        return self._gid

    def get_offsets(self) -> np.ndarray:
        """Centres of the circles (neurons)."""
        return np.asarray(self.geometry, dtype=float).reshape(-1, 2)

    def get_segments(self) -> list[np.ndarray]:
        """Line segments, each a 2×2 array."""
        return [np.asarray(s, dtype=float) for s in self.geometry]

    def get_paths(self) -> list[Path]:
        """Polygons (value cells)."""
        return [Path(np.asarray(p, dtype=float), closed=True) for p in self.geometry]

    def __repr__(self) -> str:
        return f"Part({self._gid!r})"


def _plain_agg(coll: Any, renderer: Any) -> bool:
    """Whether ``coll`` can be drawn by its one Agg call alone (what ``Collection.draw``
    ends in): an Agg renderer, and none of what the full draw also handles (clipping,
    rasterising, filters, path effects, sketching, hatching, colour mapping, units,
    dash gap colours). Skips ~0.2 ms of Python setup per artist and redraw."""
    from matplotlib.backends.backend_agg import RendererAgg

    return (type(renderer) is RendererAgg and coll.get_visible()
            and not coll.get_clip_on() and not coll.get_rasterized()
            and coll.get_agg_filter() is None and not coll.get_path_effects()
            and coll.get_sketch_params() is None and not coll.get_hatch()
            and coll.get_array() is None and getattr(coll, "_gapcolor", None) is None
            and not coll.have_units())


def _has_offsets(coll: Any) -> bool:
    """(``Collection.draw`` draws nothing without offsets.)"""
    return len(coll.get_offsets()) > 0


def _draw_collection(coll: Any, renderer: Any) -> None:
    """``Collection.draw``'s own ``draw_path_collection`` call, for a :func:`_plain_agg`
    collection (the same arguments, so the same pixels)."""
    transform, offset_trf, offsets, paths = coll._prepare_points()
    gc = renderer.new_gc()
    gc.set_snap(coll.get_snap())
    if coll._joinstyle:
        gc.set_joinstyle(coll._joinstyle)
    if coll._capstyle:
        gc.set_capstyle(coll._capstyle)
    # (matplotlib ≥ 3.10 passes the hatch colours too; nothing here is hatched)
    hatch = ({"hatchcolors": coll.get_hatchcolor()} if hasattr(coll, "get_hatchcolor")
             else {})
    renderer.draw_path_collection(
        gc, transform.frozen(), paths, coll.get_transforms(), offsets, offset_trf,
        coll.get_facecolor(), coll.get_edgecolor(), coll._linewidths, coll._linestyles,
        coll._antialiaseds, coll._urls, "screen", **hatch)
    gc.restore()
    coll.stale = False


class LineSet(LineCollection):
    """Straight segments of one style from any number of layers: one collection.

    (One compound path would be a single draw call too, but Agg strokes a path of many
    crossing subpaths several times slower than the same segments drawn one by one.)
    """

    def __init__(self, parts: list[Part], **kwargs: Any) -> None:
        super().__init__([], **kwargs)
        self.parts: list[Part] = []
        self._unbuilt = False
        self.reuse(parts)

    def reuse(self, parts: list[Part]) -> None:
        """Hold ``parts`` instead of the current segments (same style): a redraw
        updates the artist it already has instead of building a new one. Their paths
        are made when first read (Agg draws them; the SVG writer reads ``parts``)."""
        self.parts = parts
        self._unbuilt = True
        self.stale = True

    def segment_array(self) -> np.ndarray:
        """The parts' segments as one (N, 2, 2) array (data units)."""
        segs = [np.asarray(p.geometry, dtype=float).reshape(-1, 2, 2)
                for p in self.parts if len(p.geometry)]
        return np.concatenate(segs) if segs else np.zeros((0, 2, 2))

    def get_paths(self) -> Any:
        if self._unbuilt:
            self._unbuilt = False
            self.set_segments(self.segment_array())
        return super().get_paths()

    def get_segments(self) -> Any:
        self.get_paths()
        return super().get_segments()

    def set_segments(self, segments: Any) -> None:
        """Like ``LineCollection.set_segments`` for an (N, 2, 2) array, without
        validating every 2-point path again (a thousand weight lines: ~10 ms less)."""
        fast = getattr(Path, "_fast_from_codes_and_verts", None)
        arr = np.asarray(segments, dtype=float) if segments is not None else None
        if fast is None or arr is None or arr.ndim != 3:
            super().set_segments(segments)
            return
        self._unbuilt = False
        if not len(arr):
            self._paths = []
        else:
            # the first path reads its settings from rcParams; the others copy them
            # (one rcParams lookup per segment cost more than the rest of the drawing)
            first = fast(arr[0], None)
            self._paths = [first, *(fast(seg, None, internals_from=first) for seg in arr[1:])]
        self.stale = True

    def draw(self, renderer: Any) -> None:
        if _plain_agg(self, renderer) and _has_offsets(self):
            _draw_collection(self, renderer)
        else:
            super().draw(renderer)


class Dots(PathCollection):
    """Circles of one radius (data units) centred on data points: the neurons.

    Like ``EllipseCollection(units="xy")``, but the polygonal circle is measured
    cheaply and Agg rasterises it once and stamps it at every centre.
    """

    def __init__(self, radius: float, parts: list[Part], ax: Any, **kwargs: Any) -> None:
        offsets = (np.concatenate([p.get_offsets() for p in parts]) if parts
                   else np.zeros((0, 2)))
        super().__init__([CIRCLE], offsets=offsets, offset_transform=ax.transData, **kwargs)
        self._radius = radius
        self._ax = ax
        self.parts = parts

    def reuse(self, parts: list[Part]) -> None:
        """Hold ``parts`` instead of the current circles (same style and Axes)."""
        self.set_offsets(np.concatenate([p.get_offsets() for p in parts]) if parts
                         else np.zeros((0, 2)))
        self.parts = parts

    def draw(self, renderer: Any) -> None:
        m = self._ax.transData.get_affine().get_matrix().copy()
        m[:2, 2] = 0.0  # the scale of data units in pixels, without the translation
        if not _stamp(self, renderer, m):
            self.set_transform(Affine2D().scale(self._radius) + Affine2D(m))
            super().draw(renderer)


class Cells(PolyCollection):
    """Polygons of one style from several layers (the value cells)."""

    def __init__(self, parts: list[Part], **kwargs: Any) -> None:
        super().__init__(_polygons(parts), **kwargs)
        self.parts = parts

    def reuse(self, parts: list[Part], facecolors: Any) -> None:
        """Hold ``parts`` (filled with ``facecolors``) instead of the current polygons
        (same outline style)."""
        self.set_verts(_polygons(parts))
        self.set_facecolor(facecolors)
        self.parts = parts

    def draw(self, renderer: Any) -> None:
        if _plain_agg(self, renderer) and _has_offsets(self):
            _draw_collection(self, renderer)
        else:
            super().draw(renderer)


def _polygons(parts: list[Part]) -> Any:
    """The parts' polygons: one (N, M, 2) array when they all have M corners (value
    cells, block faces), which ``PolyCollection.set_verts`` turns into paths sharing one
    template (the same paths, without closing each polygon on its own); else a list."""
    polys = [poly for p in parts for poly in p.geometry]
    sizes = {len(poly) for poly in polys}
    if len(sizes) == 1 and sizes != {0}:
        arr = np.asarray(polys, dtype=float)
        if arr.ndim == 3 and arr.shape[2] == 2:
            return arr
    return polys


def _stamp(coll: Any, renderer: Any, m: np.ndarray) -> bool:
    """Draw as ``Collection.draw`` does for one shape of one style, which Agg
    rasterises once and stamps at every centre (``draw_markers``), without its
    Python setup; ``False`` (nothing drawn) when the full draw is needed."""
    edges, faces = coll.get_edgecolor(), coll.get_facecolor()
    if (not _plain_agg(coll, renderer) or not _has_offsets(coll)
            or len(coll._sizes) or len(faces) != 1 or len(edges) != 1
            or len(coll._linewidths) != 1 or len(coll._antialiaseds) != 1
            or len(coll._urls) != 1 or coll._linestyles[0][1] is not None):
        return False
    # the circle's transform as Affine2D().scale(r) + Affine2D(m) freezes it
    shape = Affine2D(m @ np.diag([coll._radius, coll._radius, 1.0]))
    # (Collection.draw stamps only shapes smaller than the figure)
    fig = getattr(coll, "figure", None)
    diameter = 2 * coll._radius * max(abs(m[0, 0]), abs(m[1, 1]))
    offsets = coll.get_offsets()
    offset_trf = coll.get_offset_transform()
    if (fig is None or not (diameter < fig.bbox.width and diameter < fig.bbox.height)
            or not offset_trf.is_affine or isinstance(offsets, np.ma.MaskedArray)):
        return False
    coll.set_transform(shape)  # (what get_transform() reads, as after the full draw)
    coll.update_scalarmappable()
    gc = renderer.new_gc()
    gc.set_snap(coll.get_snap())
    if coll._joinstyle:
        gc.set_joinstyle(coll._joinstyle)
    if coll._capstyle:
        gc.set_capstyle(coll._capstyle)
    gc.set_foreground(tuple(edges[0]), isRGBA=True)
    gc.set_linewidth(coll._linewidths[0])
    gc.set_dashes(*coll._linestyles[0])
    gc.set_antialiased(coll._antialiaseds[0])
    gc.set_url(coll._urls[0])
    renderer.draw_markers(gc, CIRCLE, shape, Path(np.asarray(offsets)), offset_trf,
                          tuple(faces[0]))
    gc.restore()
    coll.stale = False
    return True
