"""What the graph drawing says about inputs, outputs, merges and shared layers (no
matplotlib): texts and the merge glyphs' symbols, read from summary rows."""

from __future__ import annotations

from ..shapes import Shape
from ..summary import SummaryRow
from ..text import Lang, Msg, register
from . import labels as lb
from . import table

register("draw.graph.input", "Input '{name}'", "入力 '{name}'")
register("draw.graph.output", "output", "出力")
register("draw.graph.output_line", "▶ output", "▶ 出力")
register("draw.graph.shares", "shares weights with '{target}'", "'{target}' と重みを共有")
register("draw.graph.joins", "{parts} → {total}", "{parts} → {total}")



def is_merge(row: SummaryRow) -> bool:
    return lb.family_of(row.class_name) == "merging"


def inputs_ordered(row: SummaryRow) -> bool:
    """Whether the inputs enter in their order, first at the top: every layer but a
    merge whose result does not depend on the order (its declaration's ``inputs``)."""
    drawing = lb.drawing_of(row.class_name)
    return "merge" not in drawing or drawing.get("inputs") == "ordered"


def merge_args(row: SummaryRow) -> str:
    """``axis=-1`` for Concatenate, ``axes=1 · normalize`` for Dot, nothing otherwise."""
    kind = lb.drawing_of(row.class_name).get("args")
    if kind == "concat":
        return f"axis={lb.arg(row, 'axis', -1)}"
    if kind == "dot":
        axes = lb.arg(row, "axes", "?")
        text = f"axes={tuple(axes) if isinstance(axes, list) else axes}"
        return text + (" · normalize" if lb.arg(row, "normalize", False) else "")
    return ""


def _axis_size(shape: Shape, axis: int) -> int | None:
    try:
        return shape[axis]
    except IndexError:
        return None


def concat_note(row: SummaryRow) -> str:
    """``7,200 + 5 → 7,205``: the sizes joined along the axis."""
    axis = lb.arg(row, "axis", -1)
    if not isinstance(axis, int) or not row.input_shapes:
        return ""
    sizes = [_axis_size(s, axis) for s in row.input_shapes]
    total = _axis_size(row.output_shape, axis)
    return Msg("draw.graph.joins", {"parts": " + ".join(table.n(n) for n in sizes),
                                    "total": table.n(total)}).render("en")


def input_title(name: str, lang: Lang) -> str:
    return Msg("draw.graph.input", {"name": name}).render(lang)


def shares_text(target: str, lang: Lang) -> str:
    return Msg("draw.graph.shares", {"target": target}).render(lang)
