"""The layer reference (docs/layers.md), generated from the catalogue's declarations.

Run ``python -m shapewidget.docs > docs/layers.md`` after changing a layer declaration;
a test checks the committed file is current.
"""

from __future__ import annotations

from .layers import CATALOGUE, FAMILIES, Layer
from .params import ChoiceParam, IntParam, IntTupleParam, Param, to_code


def _allowed(param: Param) -> str:
    if isinstance(param, ChoiceParam):
        shown = ", ".join(to_code(c) for c in param.choices[:8])
        more = len(param.choices) - 8
        return shown + (f", … ({len(param.choices)} in all)" if more > 0 else "")
    if isinstance(param, IntTupleParam):
        form = "int or " if param.allow_int else ""
        return f"{form}tuple of {param.rank} ints ≥ {param.min}"
    if isinstance(param, IntParam):
        low = "" if param.min is None else f" ≥ {param.min}"
        high = "" if param.max is None else f" ≤ {param.max}"
        return f"int{low}{high}" + (" or None" if param.allow_none else "")
    return param.expected().render("en")


def layer_section(cls: type[Layer]) -> str:
    lines = [f"### {cls.type_name()}", "", (cls.help or (cls.__doc__ or "").strip()), "",
             "| argument | default | allowed | changes shapes | what it does |",
             "|---|---|---|---|---|"]
    for p in cls.all_params():
        default = "required" if p.required else f"`{to_code(p.default)}`"
        lines.append(f"| `{p.name}` | {default} | {_allowed(p)} | "
                     f"{'yes' if p.affects_shape else 'no'} | {p.help} |")
    return "\n".join(lines)


def layer_reference_markdown() -> str:
    """Markdown describing every layer type and its arguments, by family."""
    out = ["# Layer reference", "",
           "Generated from shapewidget's layer declarations (`python -m shapewidget.docs`). "
           "Argument names, defaults and order are Keras 3's.", ""]
    for family in FAMILIES:
        members = [c for c in CATALOGUE if c.family == family]
        if not members:
            continue
        out += [f"## {family.capitalize()}", ""]
        for cls in members:
            out += [layer_section(cls), ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(layer_reference_markdown(), end="")
