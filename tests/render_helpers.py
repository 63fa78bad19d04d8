"""Helpers for the renderer tests: models used in several tests and look-ups of the
parts of a drawing's scene (read like the artists they become)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox

from shapewidget import Model
from shapewidget.layers import LAYER_TYPES
from shapewidget.render import textpaths
from shapewidget.render.scene import Label, Shape
from shapewidget.render.scene_mpl import scene_of


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


class ScenePart:
    """A shape or label of a drawing's scene, read like the artist it becomes."""

    def __init__(self, item: Shape | Label, dpi: float = 100.0) -> None:
        self.item = item
        self.dpi = dpi

    def get_gid(self) -> str:
        return self.item.gid

    def get_text(self) -> str:
        return self.item.text if isinstance(self.item, Label) else ""

    def get_fontsize(self) -> float:
        assert isinstance(self.item, Label)
        return self.item.size

    def shape(self) -> Shape:
        assert isinstance(self.item, Shape)
        return self.item

    def get_segments(self) -> list[np.ndarray]:
        return [np.asarray(line, dtype=float) for line in self.shape().geometry]

    def get_offsets(self) -> np.ndarray:
        return np.asarray(self.shape().geometry, dtype=float).reshape(-1, 2)

    def get_paths(self) -> list[Path]:
        return [Path(np.asarray(p, dtype=float), closed=True) for p in self.shape().geometry]

    def get_linestyle(self) -> list[tuple[float, Any]]:
        return [(0.0, (3.7, 1.6) if self.shape().style.ls == "--" else None)]

    def get_facecolor(self) -> Any:
        return to_rgba(self.shape().style.fill)

    def get_facecolors(self) -> list[Any]:
        sh = self.shape()
        if sh.faces is not None:
            return [to_rgba(f) for f in sh.faces]
        return [to_rgba(sh.style.fill)] * len(sh.geometry)

    def get_width(self) -> float:
        return float(self.shape().geometry[0][2])

    def get_bbox(self) -> Bbox:
        x, y, w, h = self.shape().geometry[0]
        return Bbox.from_bounds(x, y, w, h)

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        """A label's box in pixels at the drawing's dpi (from its placed lines)."""
        lab = self.item
        assert isinstance(lab, Label)
        ascent, descent = textpaths.line_box(lab.family, lab.weight, lab.style)
        k = lab.size / 72
        boxes = []
        for line, x, y in textpaths.placed_lines(lab):
            w = textpaths.width_of(line, lab.size, lab.family, lab.weight, lab.style)
            boxes.append(Bbox.from_extents(x, y - descent * k, x + w, y + ascent * k))
        return Bbox.union(boxes).transformed(Affine2D().scale(self.dpi))

    def __repr__(self) -> str:
        return f"ScenePart({self.item.gid!r})"


def scene_parts(fig: Figure) -> list[ScenePart]:
    sc = scene_of(fig)
    assert sc is not None, "not a drawing's figure"
    return [ScenePart(x, fig.dpi) for x in [*sc.shapes, *sc.labels]]


def parts(fig: Figure) -> list[ScenePart]:
    """Every shape and label of the drawing's scene (each tagged with its part id)."""
    return scene_parts(fig)


def by_gid(fig: Figure, prefix: str) -> list[Any]:
    """Parts (and labels) of the drawing whose gid starts with ``prefix``."""
    return [a for a in parts(fig) if (a.get_gid() or "").startswith(prefix)]


def one(fig: Figure, gid: str) -> Any:
    found = [a for a in parts(fig) if a.get_gid() == gid]
    assert len(found) == 1, f"{gid}: {len(found)} parts"
    return found[0]


def labels(fig: Figure) -> list[ScenePart]:
    """Every label drawn."""
    return [p for p in parts(fig) if isinstance(p.item, Label)]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in labels(fig)]


def text_boxes(fig: Figure) -> list[tuple[str, Any]]:
    """Every visible label and its bounding box in display pixels."""
    return [(t.get_text(), t.get_window_extent()) for t in labels(fig)
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
    bad = []
    for coll in parts(fig):
        gid = coll.get_gid() or ""
        if not gid.startswith(("neurons:", "values:")):
            continue
        if gid.startswith("neurons:"):
            centres = coll.get_offsets() * fig.dpi
        else:
            centres = [np.asarray(p.vertices)[:4].mean(axis=0) * fig.dpi for p in coll.get_paths()]
        for x, y in centres:
            bad += [f"{text} over {gid}" for text, box in boxes
                    if box.x0 + 1 < x < box.x1 - 1 and box.y0 + 1 < y < box.y1 - 1]
    return bad


# --- real architectures, as keras.applications builds them ---------------------------
def resnet50_spec(shape: tuple[int, ...] = (224, 224, 3)) -> dict[str, Any]:
    """ResNet50 as a functional spec, named as keras.applications names its layers."""
    L: list[dict[str, Any]] = []

    def add(name: str, type_: str, inbound: str | list[str], **kw: Any) -> str:
        L.append({"name": name, "type": type_, "inbound": [inbound] if isinstance(inbound, str) else inbound, **kw})
        return name
    x = add("conv1_pad", "ZeroPadding2D", "input_layer", padding=3)
    x = add("conv1_conv", "Conv2D", x, filters=64, kernel_size=7, strides=2)
    x = add("conv1_bn", "BatchNormalization", x, axis=3, epsilon=1.001e-5)
    x = add("conv1_relu", "Activation", x, activation="relu")
    x = add("pool1_pad", "ZeroPadding2D", x, padding=1)
    x = add("pool1_pool", "MaxPooling2D", x, pool_size=3, strides=2)
    def block(x: str, filters: int, stride: int, name: str, shortcut: bool) -> str:
        if shortcut:
            s = add(name + "_0_conv", "Conv2D", x, filters=4 * filters, kernel_size=1, strides=stride)
            s = add(name + "_0_bn", "BatchNormalization", s, axis=3, epsilon=1.001e-5)
        else:
            s = x
        y = add(name + "_1_conv", "Conv2D", x, filters=filters, kernel_size=1, strides=stride)
        y = add(name + "_1_bn", "BatchNormalization", y, axis=3, epsilon=1.001e-5)
        y = add(name + "_1_relu", "Activation", y, activation="relu")
        y = add(name + "_2_conv", "Conv2D", y, filters=filters, kernel_size=3, padding="same")
        y = add(name + "_2_bn", "BatchNormalization", y, axis=3, epsilon=1.001e-5)
        y = add(name + "_2_relu", "Activation", y, activation="relu")
        y = add(name + "_3_conv", "Conv2D", y, filters=4 * filters, kernel_size=1)
        y = add(name + "_3_bn", "BatchNormalization", y, axis=3, epsilon=1.001e-5)
        y = add(name + "_add", "Add", [s, y])
        return add(name + "_out", "Activation", y, activation="relu")
    for stage, (filters, blocks, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)], 2):
        x = block(x, filters, stride, f"conv{stage}_block1", True)
        for i in range(2, blocks + 1):
            x = block(x, filters, 1, f"conv{stage}_block{i}", False)
    x = add("avg_pool", "GlobalAveragePooling2D", x)
    add("predictions", "Dense", x, units=1000, activation="softmax")
    return {"inputs": [{"name": "input_layer", "shape": list(shape)}], "layers": L}


def densenet121_spec(shape: tuple[int, ...] = (224, 224, 3)) -> dict[str, Any]:
    """DenseNet121 as a functional spec, named as keras.applications names its layers."""
    L: list[dict[str, Any]] = []

    def add(name: str, type_: str, inbound: str | list[str], **kw: Any) -> str:
        L.append({"name": name, "type": type_, "inbound": [inbound] if isinstance(inbound, str) else inbound, **kw})
        return name
    x = add("zero_padding2d", "ZeroPadding2D", "input_layer", padding=3)
    x = add("conv1_conv", "Conv2D", x, filters=64, kernel_size=7, strides=2, use_bias=False)
    x = add("conv1_bn", "BatchNormalization", x, axis=3, epsilon=1.001e-5)
    x = add("conv1_relu", "Activation", x, activation="relu")
    x = add("zero_padding2d_1", "ZeroPadding2D", x, padding=1)
    x = add("pool1", "MaxPooling2D", x, pool_size=3, strides=2)
    channels = 64
    for stage, blocks in zip(range(2, 6), (6, 12, 24, 16), strict=True):
        for i in range(1, blocks + 1):
            name = f"conv{stage}_block{i}"
            y = add(name + "_0_bn", "BatchNormalization", x, axis=3, epsilon=1.001e-5)
            y = add(name + "_0_relu", "Activation", y, activation="relu")
            y = add(name + "_1_conv", "Conv2D", y, filters=128, kernel_size=1, use_bias=False)
            y = add(name + "_1_bn", "BatchNormalization", y, axis=3, epsilon=1.001e-5)
            y = add(name + "_1_relu", "Activation", y, activation="relu")
            y = add(name + "_2_conv", "Conv2D", y, filters=32, kernel_size=3, padding="same", use_bias=False)
            x = add(name + "_concat", "Concatenate", [x, y], axis=3)
            channels += 32
        if stage < 5:
            name = f"pool{stage}"
            x = add(name + "_bn", "BatchNormalization", x, axis=3, epsilon=1.001e-5)
            x = add(name + "_relu", "Activation", x, activation="relu")
            channels //= 2
            x = add(name + "_conv", "Conv2D", x, filters=channels, kernel_size=1, use_bias=False)
            x = add(name + "_pool", "AveragePooling2D", x, pool_size=2, strides=2)
    x = add("bn", "BatchNormalization", x, axis=3, epsilon=1.001e-5)
    x = add("relu", "Activation", x, activation="relu")
    x = add("avg_pool", "GlobalAveragePooling2D", x)
    add("predictions", "Dense", x, units=1000, activation="softmax")
    return {"inputs": [{"name": "input_layer", "shape": list(shape)}], "layers": L}
