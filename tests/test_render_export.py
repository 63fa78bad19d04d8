"""Static output: image files, the notebook's rich display, and lazy imports."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from render_helpers import seed_model

from shapewidget.render.export import figure_bytes


def test_repr_png_is_not_blank() -> None:
    png = seed_model()._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = imread(io.BytesIO(png))
    assert pixels.shape[0] > 100 and pixels.shape[1] > 200
    assert float(np.std(pixels[..., :3])) > 0.05  # something drawn on the white
    assert (pixels[..., :3] < 0.5).any()  # dark text


def test_repr_svg_parses_and_has_size() -> None:
    svg = seed_model()._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("width", "").endswith("pt")


def test_repr_html_has_drawing_and_table() -> None:
    html = seed_model()._repr_html_()
    assert html.count("<svg") == 1 and "shapewidget-table" in html
    assert "<?xml" not in html
    assert "not a layer" in html


def test_save_figure_writes_each_format(tmp_path: Path) -> None:
    m = seed_model()
    m.save_figure(tmp_path / "net.png", dpi=72)
    m.save_figure(tmp_path / "net.svg", theme="dark")
    m.save_figure(tmp_path / "net.pdf", theme="projector")
    assert (tmp_path / "net.png").read_bytes()[:4] == b"\x89PNG"
    ET.parse(tmp_path / "net.svg")
    assert (tmp_path / "net.pdf").read_bytes()[:5] == b"%PDF-"


def test_save_figure_dpi_sets_pixel_size(tmp_path: Path) -> None:
    m = seed_model()
    m.save_figure(tmp_path / "a.png", dpi=50)
    m.save_figure(tmp_path / "b.png", dpi=100)
    a, b = imread(tmp_path / "a.png"), imread(tmp_path / "b.png")
    assert abs(b.shape[1] - 2 * a.shape[1]) <= 2


def test_save_figure_unknown_extension_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        seed_model().save_figure(tmp_path / "net.gif")


def test_svg_output_is_reproducible() -> None:
    summary = seed_model().summary()
    assert figure_bytes(summary, "svg") == figure_bytes(summary, "svg")


def test_import_shapewidget_loads_no_matplotlib_or_ipywidgets() -> None:
    code = ("import sys, shapewidget, shapewidget.render; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_repr_png_reused_figure_leaves_nothing_behind() -> None:
    from render_helpers import long_model

    first = seed_model()._repr_png_()
    long_model(20)._repr_png_()
    seed_model(batch_size=2)._repr_svg_()
    assert seed_model()._repr_png_() == first


def test_save_figure_svg_has_real_editable_text(tmp_path: Path) -> None:
    seed_model().save_figure(tmp_path / "net.svg")
    root = ET.parse(tmp_path / "net.svg").getroot()
    words = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Input", "dense_1", "(None, 4)"} <= words
