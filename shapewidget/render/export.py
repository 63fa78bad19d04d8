"""Static output: files for slides (PNG, SVG, PDF) and the notebook's rich display.

Every figure is a plain :class:`matplotlib.figure.Figure` with its own Agg canvas: no
pyplot, so nothing leaks into pyplot's global state and no GUI backend is needed.
"""

from __future__ import annotations

import io
import os
import struct
import threading
import zlib
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from ..summary import Summary
from ..text import Lang
from .drawing import draw, scene
from .scene import Scene
from .scene_mpl import rasterize
from .scene_svg import scene_svg
from .table import to_html

FORMATS = ("png", "svg", "pdf")
# zlib level 1: these flat-colour drawings compress about as well as at the default level
PNG_OPTIONS = {"compress_level": 1}
_local = threading.local()


def _scratch_figure() -> Figure:
    """A Figure kept per thread for file output: redrawing into it skips building a new
    Figure and Axes each time (the drawing code empties it first)."""
    fig = getattr(_local, "figure", None)
    if fig is None:
        fig = Figure()
        FigureCanvasAgg(fig)
        _local.figure = fig
    return fig


def encode_png(rgba: Any, level: int = 1, alpha: bool = False) -> bytes:
    """An RGBA pixel array (``canvas.buffer_rgba()``) as PNG bytes: RGB when the
    picture is opaque (``alpha=False``), RGBA otherwise.

    Rows unfiltered (filter type 0) and deflated at zlib level ``level``: these
    flat-colour drawings compress about as well so, several times faster than Pillow's
    encoder, which tries every filter on every row (the PNG goes with every display).
    """
    import numpy as np

    pixels = np.ascontiguousarray(np.asarray(rgba)[..., :4 if alpha else 3])
    h, w, channels = pixels.shape
    rows = np.zeros((h, 1 + w * channels), dtype=np.uint8)  # each row: its filter, 0
    rows[:, 1:] = pixels.reshape(h, w * channels)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(
            ">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + chunk(b"IEND", b""))


def png_bytes(fig: Figure, dpi: float) -> bytes:
    """``fig`` rasterised at ``dpi`` as PNG bytes (transparent where its background
    is); the benchmarks encode their empty-figure baseline with this same call."""
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    canvas = rasterize(fig)
    opaque = to_rgba(fig.get_facecolor())[3] >= 1.0
    return encode_png(canvas.buffer_rgba(), alpha=not opaque)


def format_of(path: str | os.PathLike[str]) -> str:
    ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise ValueError(f"cannot tell the format of {os.fspath(path)!r}: use a .png, .svg "
                         f"or .pdf file name")
    return ext


def save_figure(summary: Summary, path: str | os.PathLike[str], *, dpi: float = 150,
                theme: str = "light", **options: Any) -> None:
    """Write the drawing to ``path``; the extension (.png, .svg, .pdf) picks the format."""
    fmt = format_of(path)
    options.setdefault("text_as_paths", fmt == "png")
    fig = draw(summary, fig=_scratch_figure(), theme=theme, **options)
    # SVG and PDF with real, editable text (a font stack in SVG, embedded fonts in PDF)
    with rc_context({"svg.hashsalt": "shapewidget", "svg.fonttype": "none"}):
        fig.savefig(path, format=fmt, dpi=dpi, facecolor=fig.get_facecolor(),
                    **savefig_options(fmt))


def savefig_options(fmt: str) -> dict[str, Any]:
    """savefig options by format (the benchmarks encode their baseline with these)."""
    if fmt == "png":
        return {"metadata": _metadata(fmt), "pil_kwargs": dict(PNG_OPTIONS)}
    return {"metadata": _metadata(fmt)}


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date: the same model gives the same file (diffable, cacheable).
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


def figure_bytes(summary: Summary, fmt: str = "png", *, dpi: float = 100,
                 **options: Any) -> bytes:
    """The drawing encoded as PNG, SVG or PDF bytes, for the notebook's rich display.

    By default (``panel=True``) the drawing sits on a rounded panel of the theme's
    background with transparent corners: the same picture in JupyterLab's light theme,
    an intentional light card instead of a glaring rectangle in its dark theme.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    options.setdefault("text_as_paths", fmt == "png")
    options.setdefault("panel", True)
    fig = draw(summary, fig=_scratch_figure(), **options)
    if fmt == "png":
        return png_bytes(fig, dpi)
    buf = io.BytesIO()
    with rc_context({"svg.hashsalt": "shapewidget"}):
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor=fig.get_facecolor(),
                    **savefig_options(fmt))
    return buf.getvalue()


INLINE_STYLE = "max-width:100%;height:auto;margin-bottom:0.5em"
DISPLAY_DPI = 100


def _display_scene(summary: Summary, **options: Any) -> Scene:
    options.setdefault("panel", True)
    options.pop("text_as_paths", None)
    return scene(summary, **options)


def inline_svg(summary: Summary, **options: Any) -> str:
    """The drawing as an ``<svg>`` element to put inside HTML (no XML prologue).

    Written from the drawing's scene (:mod:`.scene_svg`: labels as glyph outlines, so
    the picture does not depend on the reader's fonts; their words kept as
    ``aria-label``). It scales down with a narrow notebook column.
    """
    return scene_svg(_display_scene(summary, **options), DISPLAY_DPI, points=True,
                     style=INLINE_STYLE)


def repr_html(summary: Summary, lang: Lang = "en", **options: Any) -> str:
    """What a notebook shows for a model: the drawing above the shape table."""
    drawing = inline_svg(summary, lang=lang, **options)
    return (f'<div class="shapewidget-model">{drawing}{to_html(summary, lang)}</div>')


def display_bundle(summary: Summary, lang: Lang = "en",
                   include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """Every form a notebook stores for a model (HTML, SVG, PNG), from one scene.

    Jupyter asks an object for all of its representations at once; laid out once and
    written three ways.
    """
    wanted = [m for m in ("text/html", "image/svg+xml", "image/png")
              if (not include or m in include) and not (exclude and m in exclude)]
    if not wanted:
        return {}
    sc = _display_scene(summary, lang=lang)
    bundle: dict[str, Any] = {}
    if "image/svg+xml" in wanted:
        bundle["image/svg+xml"] = scene_svg(sc, DISPLAY_DPI, points=True)
    if "text/html" in wanted:
        drawing = scene_svg(sc, DISPLAY_DPI, points=True, style=INLINE_STYLE)
        bundle["text/html"] = (f'<div class="shapewidget-model">{drawing}'
                               f'{to_html(summary, lang)}</div>')
    if "image/png" in wanted:
        from .scene_mpl import render

        fig = render(sc, fig=_scratch_figure(), text_as_paths=True)
        bundle["image/png"] = png_bytes(fig, DISPLAY_DPI)
    return bundle
