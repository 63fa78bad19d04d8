"""What the drawing says about each layer: kinds of glyph and label text (no matplotlib).

Everything here reads :class:`~shapewidget.summary.SummaryRow` objects only.
"""

from __future__ import annotations

from typing import Any

from ..layers import LAYER_TYPES
from ..layers.base import to_snake_case
from ..params import REQUIRED
from ..shapes import Shape, format_shape
from ..summary import SummaryRow
from ..text import Lang, Msg, register

register("draw.input", "Input", "入力")
register("draw.input.sub", "a tensor, not a layer", "レイヤーではなくテンソル")
register("draw.more", "⋯ {n} more", "⋯ ほか {n} 個")
register("draw.unknown_size", "size unknown", "サイズ不明")
register("draw.units", "units={units}", "units={units}")
register("draw.filters", "{filters} filters {kernel}", "フィルター {filters} 個 {kernel}")
register("draw.depthwise", "depthwise {kernel}", "深さ方向 {kernel}")
register("draw.stride", "stride {stride}", "ストライド {stride}")
register("draw.pool", "pool {pool}", "プーリング {pool}")
register("draw.global_pool", "global {op}", "全体で {op}")
register("draw.op.max", "max", "最大値")
register("draw.op.average", "average", "平均")
register("draw.rate", "rate={rate}", "rate={rate}")
register("draw.embedding", "{vocab} words → {dim}", "語彙 {vocab} → {dim}")
register("draw.target", "to {target}", "→ {target}")
register("draw.last_step", "keeps the last step only", "最後のステップだけ残す")
register("draw.all_steps", "outputs all {n} steps", "全 {n} ステップを出力")
register("draw.time", "{n} time steps →", "時間ステップ {n} 個 →")
register("draw.broken", "✗ breaks here", "✗ ここでエラー")
register("draw.from", "↪ from {name}", "↪ {name} から")
register("draw.each_position", "at each of {n} positions", "{n} か所それぞれで")
register("draw.values", "{n} values", "値 {n} 個")
register("draw.error", "Error: {message}", "エラー: {message}")

SHORT_WEIGHT_NAMES = {
    "kernel": "W", "recurrent_kernel": "U", "bias": "b", "depthwise_kernel": "Wd",
    "pointwise_kernel": "Wp", "embeddings": "E", "gamma": "γ", "beta": "β",
    "moving_mean": "μ", "moving_variance": "σ²",
}


def family_of(class_name: str) -> str:
    """The catalogue family of a Keras class name (``core`` if unknown)."""
    cls = LAYER_TYPES.get(class_name)
    return cls.family if cls is not None else "core"


def drawing_of(class_name: str) -> dict[str, str]:
    """What the layer type's declaration says about drawing it (``Layer.drawing``);
    empty for a type the catalogue does not declare (drawn by its shapes alone)."""
    cls = LAYER_TYPES.get(class_name)
    found = getattr(cls, "drawing", None) if cls is not None else None
    return found if isinstance(found, dict) else {}


def drawn_as_neurons(row: SummaryRow) -> bool:
    """Whether the layer's values are drawn as neurons (Dense, recurrent layers, a
    wrapper around a layer with a kernel)."""
    glyph = drawing_of(row.class_name).get("glyph")
    return glyph == "neurons" or (glyph == "neurons-with-kernel"
                                  and has_weight(row, "kernel"))


def drops_values(row: SummaryRow | None) -> bool:
    """Dropout and its kin: some values are zeroed (drawn crossed out)."""
    return row is not None and drawing_of(row.class_name).get("mark") == "dropout"


def arg(row: SummaryRow, key: str, default: Any = None) -> Any:
    """An argument as given, else the declared default, else ``default``."""
    if key in row.args:
        return row.args[key]
    cls = LAYER_TYPES.get(row.class_name)
    if cls is not None:
        try:
            value = cls.param(key).default
        except KeyError:
            return default
        return default if value is REQUIRED else value
    return default


def times(values: tuple[Any, ...] | list[Any]) -> str:
    """``3×3`` for (3, 3)."""
    return "×".join("?" if v is None else str(v) for v in values)


def as_tuple(value: Any, rank: int) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if isinstance(value, list | tuple):
        return tuple(int(v) for v in value)
    return ()


def channels_first(row: SummaryRow) -> bool:
    return bool(arg(row, "data_format") == "channels_first")


def kernel_window(row: SummaryRow) -> tuple[int, ...]:
    """The spatial size of a conv kernel or pooling window, e.g. ``(3, 3)``."""
    for w in row.weights:
        if w.name in ("kernel", "depthwise_kernel") and len(w.shape) >= 3:
            return tuple(w.shape[:-2])
    rank = max(len(row.input_shape) - 2, 1)
    for key in ("pool_size", "kernel_size"):
        value = as_tuple(arg(row, key), rank)
        if value:
            return value
    return ()


def has_weight(row: SummaryRow, name: str) -> bool:
    return any(w.name == name for w in row.weights)


def is_recurrent(row: SummaryRow) -> bool:
    """A layer over time steps (its declaration's ``time``): drawn with a time axis."""
    return drawing_of(row.class_name).get("time") == "recurrent"


def time_steps(row: SummaryRow) -> int | None:
    return row.input_shape[1] if len(row.input_shape) >= 3 else None


def returns_sequences(row: SummaryRow) -> bool:
    return len(row.output_shape) >= 3 and len(row.input_shape) >= 3


def key_args(row: SummaryRow, lang: Lang) -> str:
    """The arguments a learner looks for first: ``units=4``, ``8 filters 3×3``."""
    kind = drawing_of(row.class_name).get("args", "")
    parts: list[str] = []
    if kind == "units" and arg(row, "units") is not None:
        parts.append(Msg("draw.units", {"units": arg(row, "units")}).render(lang))
        act = row.args.get("activation")
        if act:
            parts.append(str(act))
    elif kind in ("filters", "depthwise"):
        window = times(kernel_window(row))
        if kind == "depthwise":
            parts.append(Msg("draw.depthwise", {"kernel": window}).render(lang))
        else:
            parts.append(Msg("draw.filters", {"filters": arg(row, "filters", "?"),
                                              "kernel": window}).render(lang))
        stride = as_tuple(arg(row, "strides", 1), max(len(row.input_shape) - 2, 1))
        if stride and any(s != 1 for s in stride):
            parts.append(Msg("draw.stride", {"stride": times(stride)}).render(lang))
        if arg(row, "padding") == "same":
            parts.append("same")
        act = row.args.get("activation")
        if act:
            parts.append(str(act))
    elif kind in ("global-max", "global-average"):
        op = kind.removeprefix("global-")
        parts.append(Msg("draw.global_pool", {
            "op": Msg(f"draw.op.{op}").render(lang)}).render(lang))
    elif kind == "pool":
        parts.append(Msg("draw.pool", {"pool": times(kernel_window(row))}).render(lang))
    elif kind == "rate":
        parts.append(Msg("draw.rate", {"rate": arg(row, "rate", "?")}).render(lang))
    elif kind == "activation":
        parts.append(str(arg(row, "activation", "")))
    elif kind == "embedding":
        vocab = arg(row, "input_dim", "?")
        parts.append(Msg("draw.embedding", {
            "vocab": f"{vocab:,}" if isinstance(vocab, int) else vocab,
            "dim": arg(row, "output_dim", "?")}).render(lang))
    elif kind == "target":
        target = arg(row, "target_shape")
        if target is not None:
            parts.append(Msg("draw.target", {"target": format_shape(tuple(target))})
                         .render(lang))
    elif kind == "wrapper":
        inner = row.args.get("layer")
        inner_name = getattr(inner, "type_name", None)
        if callable(inner_name):
            label = str(inner_name())
            units = getattr(inner, "args", {}).get("units")
            parts.append(f"{label} units={units}" if units is not None else label)
    elif "keras_shapes" in row.args:  # imported from a live Keras model (layers/opaque.py)
        parts.append(Msg("opaque.label").render(lang))
    return " · ".join(parts)


def subtitle(row: SummaryRow) -> str:
    """The class name, unless the layer's name already says it (``dense_1``)."""
    prefix = to_snake_case(row.class_name)
    return "" if row.name.startswith(prefix) else row.class_name


def block_label(shape: Shape) -> str:
    """``48×48×8``: the axes of one sample, in the data's own order."""
    return times(list(shape[1:]))


def weight_text(row: SummaryRow) -> str:
    """``W (3, 4) + b (4,)``: each weight's short name and shape."""
    parts = [f"{SHORT_WEIGHT_NAMES.get(w.name, w.name)} {format_shape(w.shape)}"
             for w in row.weights]
    return " + ".join(parts)


def with_hidden(note: str, hidden: int | None, lang: Lang) -> str:
    """``note`` after what a column's elided slots hide (``⋯ 56 more``, or ``size
    unknown`` for ``hidden=None``); ``note`` alone when nothing is hidden."""
    if hidden == 0:
        return note
    more = (Msg("draw.unknown_size") if hidden is None
            else Msg("draw.more", {"n": f"{hidden:,}"})).render(lang)
    return f"{more} · {note}" if note else more
