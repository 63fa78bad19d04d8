"""The one exception a person sees: :class:`ShapeError`."""

from __future__ import annotations

from typing import Any

from .text import Lang, Msg, register

register(
    "error.where.layer",
    "Layer {index} '{name}' ({type})",
    "レイヤー {index} '{name}' ({type})",
)
register("error.where.layer_unnamed", "Layer {index} ({type})", "レイヤー {index} ({type})")
register("error.where.input", "The input", "入力")
register("error.where.named", "'{name}'", "'{name}'")
register("error.where.line", "Line {line}", "{line} 行目")
register("error.argument", "argument `{argument}`", "引数 `{argument}`")
register("error.fix", "Fix: {fix}", "修正: {fix}")


class ShapeError(ValueError):
    """A model that Keras would reject, or a value a person typed wrong.

    Attributes name where it happened (``layer_index`` 0-based into the layers,
    ``layer_name``, ``argument``, ``line`` for pasted code) and carry the parts of the
    message (``problem``, ``fix``) so front-ends can show them in either language.
    """

    def __init__(
        self,
        problem: Msg,
        *,
        fix: Msg | None = None,
        layer_index: int | None = None,
        layer_name: str | None = None,
        layer_type: str | None = None,
        argument: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.layer_index = layer_index
        self.layer_name = layer_name
        self.layer_type = layer_type
        self.argument = argument
        self.line = line
        super().__init__(self.message("en"))

    def located(self, **where: Any) -> ShapeError:
        """A copy with location fields filled in (those already set are kept)."""
        def pick(key: str) -> Any:
            own = getattr(self, key)
            return where.get(key) if own is None else own

        return ShapeError(self.problem, fix=self.fix, layer_index=pick("layer_index"),
                          layer_name=pick("layer_name"), layer_type=pick("layer_type"),
                          argument=pick("argument"), line=pick("line"))

    def message(self, lang: Lang = "en") -> str:
        """The whole message: where, which argument, what was wrong, and the fix."""
        parts: list[str] = []
        where = ""
        if self.line is not None:
            where = Msg("error.where.line", {"line": self.line}).render(lang)
        if self.layer_index is None and self.layer_type is None and self.layer_name:
            named = Msg("error.where.named", {"name": self.layer_name}).render(lang)
            where = f"{where}, {named}" if where else named
        elif self.layer_index is not None or self.layer_name is not None:
            layer = Msg(
                "error.where.layer" if self.layer_name else "error.where.layer_unnamed",
                {
                    "index": "?" if self.layer_index is None else self.layer_index,
                    "name": self.layer_name or "?",
                    "type": self.layer_type or "?",
                },
            ).render(lang)
            where = f"{where}, {layer}" if where else layer
        elif self.layer_type is not None:
            layer = self.layer_type
            where = f"{where}, {layer}" if where else layer
        if self.argument is not None:
            arg = Msg("error.argument", {"argument": self.argument}).render(lang)
            where = f"{where}, {arg}" if where else arg
        if where:
            parts.append(where + ":")
        parts.append(self.problem.render(lang))
        if self.fix is not None:
            parts.append(Msg("error.fix", {"fix": self.fix.render(lang)}).render(lang))
        # Printable whatever it quotes: a lone surrogate (from JSON "\ud800") is escaped.
        return " ".join(parts).encode("utf-8", "backslashreplace").decode("utf-8")
