"""Imports point one way (issue 12, item 3), read from the source with ``ast`` — every
import, at module level or inside a function:

    front-end (__main__, the package) > widget > render
        > model level (model, spec, graph, summary, codegen, codeparse, keras_import, docs)
        > layer catalogue (layers/) > base (errors, text, shapes, params, naming)

A module imports its own tier or lower, and no group of modules imports itself in a
circle. The one documented exception: ``Model``'s display and conversion methods (inside
``class Model`` in model.py, at function level) may reach the renderers and the code
tools. Imports under ``if TYPE_CHECKING:`` are for annotations only and are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "shapewidget"

BASE = {"shapewidget.errors", "shapewidget.text", "shapewidget.shapes",
        "shapewidget.params", "shapewidget.naming"}
MODEL_LEVEL = {"shapewidget.model", "shapewidget.spec", "shapewidget.graph",
               "shapewidget.summary", "shapewidget.codegen", "shapewidget.codeparse",
               "shapewidget.keras_import", "shapewidget.docs"}
FRONT = {"shapewidget", "shapewidget.__main__"}


def tier(module: str) -> int:
    """0 base, 1 layers, 2 model level, 3 render, 4 widget, 5 front-end."""
    if module in BASE:
        return 0
    if module == "shapewidget.layers" or module.startswith("shapewidget.layers."):
        return 1
    if module in MODEL_LEVEL:
        return 2
    if module == "shapewidget.render" or module.startswith("shapewidget.render."):
        return 3
    if module == "shapewidget.widget" or module.startswith("shapewidget.widget."):
        return 4
    if module in FRONT:
        return 5
    raise AssertionError(f"{module} has no tier: add it to test_import_direction.py")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "TYPE_CHECKING", "typing.TYPE_CHECKING")


class Import:
    """One import of a package module: who imports whom, where, and whether lazily."""

    def __init__(self, source: str, target: str, line: int, function: str | None,
                 owner: str | None) -> None:
        self.source, self.target, self.line = source, target, line
        self.function = function  # the enclosing function, None at module level
        self.owner = owner  # the enclosing class, if any

    @property
    def lazy_model_method(self) -> bool:
        """The documented exception: inside a method of ``class Model``."""
        return (self.source == "shapewidget.model" and self.owner == "Model"
                and self.function is not None)

    def __repr__(self) -> str:
        where = f" in {self.function}()" if self.function else ""
        return f"{self.source}:{self.line}{where} -> {self.target}"


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom
             ) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("shapewidget"):
                yield alias.name
        return
    if node.level:
        base = module.split(".")
        if not is_package:
            base = base[:-1]
        base = base[:len(base) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    if not prefix.startswith("shapewidget"):
        return
    for alias in node.names:
        sub = f"{prefix}.{alias.name}"
        yield sub if sub in MODULES else prefix


def imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Import] = []

    def visit(node: ast.AST, function: str | None, owner: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                out.extend(Import(module, t, child.lineno, function, owner)
                           for t in _targets(module, path.name == "__init__.py", child))
            if isinstance(child, ast.ClassDef):
                visit(child, function, child.name if function is None else owner)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name, owner)
            else:
                visit(child, function, owner)

    visit(tree, None, None)
    return out


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def upward(imports: list[Import]) -> list[Import]:
    return [imp for imp in imports if tier(imp.target) > tier(imp.source)
            and not imp.lazy_model_method]


def cycles(modules: set[str]) -> list[list[str]]:
    """The import circles among ``modules`` (strongly connected groups of 2 or more, or a
    module importing itself), the documented exception left out."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for imp in ALL_IMPORTS:
        if imp.source in modules and imp.target in modules and not imp.lazy_model_method:
            edges[imp.source].add(imp.target)
    # Tarjan's algorithm, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges[node]:
                    found.append(sorted(group))
    return found


def explain(group: list[str]) -> list[Import]:
    members = set(group)
    return [imp for imp in ALL_IMPORTS if imp.source in members and imp.target in members
            and not imp.lazy_model_method]


def test_import_reader_sees_function_level_imports() -> None:
    found = [imp for imp in imports_of("shapewidget.model")
             if imp.target == "shapewidget.codegen"]
    assert found and all(imp.function == "to_keras_code" for imp in found)


def test_every_module_has_a_tier() -> None:
    for module in MODULES:
        tier(module)


@pytest.mark.parametrize("lower", [0, 1, 2, 3, 4])
def test_imports_point_down_from_tier(lower: int) -> None:
    """No module of a tier imports a higher tier (model.py's documented exception aside)."""
    bad = [imp for imp in upward(ALL_IMPORTS) if tier(imp.source) == lower]
    assert not bad, bad


AREAS = {
    "engine": {m for m in MODULES if tier(m) <= 2},
    "render": {m for m in MODULES if tier(m) == 3},
    "widget": {m for m in MODULES if tier(m) == 4},
}


@pytest.mark.parametrize("area", sorted(AREAS))
def test_no_import_circle(area: str) -> None:
    found = cycles(AREAS[area])
    assert not found, [explain(group) for group in found]


def test_no_import_circle_across_the_package() -> None:
    found = cycles(set(MODULES))
    assert not found, [explain(group) for group in found]


def test_only_model_methods_reach_up_lazily() -> None:
    lazy = [imp for imp in ALL_IMPORTS if imp.lazy_model_method and tier(imp.target) > 2]
    assert lazy, "the documented exception is used (draw, to_html, … import render)"
    assert all(imp.function is not None for imp in lazy)
