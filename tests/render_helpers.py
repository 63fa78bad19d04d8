"""Helpers for the renderer tests: models used in several tests and artist look-ups."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.render.pathtext import LabelLayer


def seed_model(**kwargs: Any) -> Model:
    return Model([{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4},
                  {"type": "Dense", "units": 1}], input_dim=3, **kwargs)


def dense_model(units: int) -> Model:
    return Model([{"type": "Dense", "units": units}, {"type": "Dense", "units": 2}],
                 input_shape=(3,))


def long_model(n: int = 20) -> Model:
    layers: list[dict[str, Any]] = []
    for i in range(n // 2):
        layers += [{"type": "Dense", "units": 16 + i}, {"type": "Dropout", "rate": 0.25}]
    return Model(layers, input_shape=(8,))


def has(*types: str) -> bool:
    return all(t in LAYER_TYPES for t in types)


def cnn_model(**input_kwargs: Any) -> Model:
    kwargs = input_kwargs or {"input_shape": (50, 50, 3), "batch_size": 30}
    return Model([
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu"},
        {"type": "MaxPooling2D", "pool_size": 2},
        {"type": "Conv2D", "filters": 16, "kernel_size": 3},
        {"type": "MaxPooling2D"},
        {"type": "Flatten"},
        {"type": "Dense", "units": 64, "activation": "relu"},
        {"type": "Dense", "units": 10},
    ], **kwargs)


def parts(fig: Figure) -> list[Any]:
    """Every artist of the drawing, every layer's part of the merged artists (neurons,
    lines, value cells of all layers drawn as one artist per style), and every label."""
    children = fig.axes[0].get_children()
    return [*children, *(p for a in children for p in getattr(a, "parts", ())),
            *labels(fig)]


def by_gid(fig: Figure, prefix: str) -> list[Any]:
    """Artists (and labels) of the drawing whose gid starts with ``prefix``."""
    return [a for a in parts(fig) if (a.get_gid() or "").startswith(prefix)]


def one(fig: Figure, gid: str) -> Any:
    found = [a for a in parts(fig) if a.get_gid() == gid]
    assert len(found) == 1, f"{gid}: {len(found)} artists"
    return found[0]


def labels(fig: Figure) -> list[Any]:
    """Every label drawn: Text artists, or glyph-outline labels (the default)."""
    ax = fig.axes[0]
    return [*ax.texts, *(rec for p in ax.patches if isinstance(p, LabelLayer)
                         for rec in p.labels)]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in labels(fig)]


def text_boxes(fig: Figure) -> list[tuple[str, Any]]:
    """Every visible label and its bounding box in display pixels."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in labels(fig)
            if t.get_text().strip()]


def overlapping_labels(fig: Figure, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap by more than ``tolerance`` pixels each way."""
    boxes = text_boxes(fig)
    bad = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
            h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
            if w > tolerance and h > tolerance:
                bad.append((a, b))
    return bad


def lstm_model(return_sequences: bool = False) -> Model:
    return Model([
        {"type": "Embedding", "input_dim": 1000, "output_dim": 16},
        {"type": "LSTM", "units": 32, "return_sequences": return_sequences},
        {"type": "Dense", "units": 1, "activation": "sigmoid"},
    ], input_shape=(10,))


def labels_over_neurons(fig: Figure) -> list[str]:
    """Labels whose box covers the centre region of a drawn neuron or value cell."""
    boxes = text_boxes(fig)
    ax = fig.axes[0]
    bad = []
    for coll in parts(fig):
        gid = coll.get_gid() or ""
        if not gid.startswith(("neurons:", "values:")):
            continue
        if gid.startswith("neurons:"):
            centres = ax.transData.transform(coll.get_offsets())
        else:
            centres = [ax.transData.transform(p.vertices[:4].mean(axis=0))
                       for p in coll.get_paths()]
        for x, y in centres:
            bad += [f"{text} over {gid}" for text, box in boxes
                    if box.x0 + 1 < x < box.x1 - 1 and box.y0 + 1 < y < box.y1 - 1]
    return bad
