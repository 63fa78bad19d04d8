"""The widget's modules import one way: app.py on top, the rows and helpers below it.

Read from the source (every ``import``, under ``TYPE_CHECKING`` and inside functions
too), so a circle cannot hide behind a lazy or type-only import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import shapewidget.widget

WIDGET = Path(shapewidget.widget.__file__).parent


def widget_imports() -> dict[str, set[str]]:
    """module name (``app``, ``controls``, ...) → the widget modules it imports."""
    names = {p.stem for p in WIDGET.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in WIDGET.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module is None:
                    found |= {a.name for a in node.names if a.name in names}
                else:
                    found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module and (
                    node.module.startswith("shapewidget.widget.")):
                found.add(node.module.split(".")[2])
        graph[path.stem] = found & names
    return graph


def test_widget_imports_nothing_below_app_imports_app() -> None:
    importers = sorted(m for m, deps in widget_imports().items() if "app" in deps)
    assert importers == ["__init__"]


def test_widget_imports_have_no_circle() -> None:
    graph = widget_imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import circle: " + " → ".join((*path, module))
        if module in done:
            return
        for dep in sorted(graph.get(module, ())):
            visit(dep, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
