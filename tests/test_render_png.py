"""PNG bytes: the widget's encoder and the notebook display's panel."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from render_helpers import seed_model

from shapewidget.render.export import encode_png


def test_encode_png_round_trips_the_pixels() -> None:
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    image = Image.open(io.BytesIO(encode_png(rgba)))
    assert image.mode == "RGB" and np.array_equal(np.asarray(image), rgba[..., :3])


def test_repr_png_panel_has_transparent_corners_and_opaque_middle() -> None:
    pixels = np.asarray(Image.open(io.BytesIO(seed_model()._repr_png_())).convert("RGBA"))
    h, w = pixels.shape[:2]
    assert pixels[0, 0, 3] == 0 and pixels[-1, -1, 3] == 0  # a dark page shows through
    assert pixels[h // 2, w // 2, 3] == 255 and pixels[2, w // 2, 3] == 255


def test_save_figure_png_keeps_an_opaque_background(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "net.png"
    seed_model().save_figure(path, dpi=50)
    pixels = np.asarray(Image.open(path).convert("RGBA"))
    assert pixels[0, 0, 3] == 255
