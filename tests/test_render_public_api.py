"""The package reaches matplotlib through its public API only: no private module, no
private attribute of a matplotlib object, no FT2Font, no matplotlib subclass."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import shapewidget

PACKAGE = Path(shapewidget.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _imports(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return out


def _matplotlib_names(tree: ast.AST) -> set[str]:
    """Local names bound to something imported from matplotlib."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names
                      if a.name.startswith("matplotlib")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("matplotlib"):
            names |= {a.asname or a.name for a in node.names}
    return names


def test_package_imports_no_private_matplotlib_module() -> None:
    bad = [f"{p.name}: {name}" for p in SOURCES
           for name in _imports(ast.parse(p.read_text(encoding="utf-8")))
           if name.startswith("matplotlib") and re.search(r"(^|\.)_[a-z]", name)]
    assert bad == []


def test_package_mentions_no_ft2font() -> None:
    assert [p.name for p in SOURCES if "FT2Font" in p.read_text(encoding="utf-8")] == []


def test_package_subclasses_no_matplotlib_class() -> None:
    bad = []
    for p in SOURCES:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        mpl = _matplotlib_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases}
                if bases & mpl or any(b.startswith("matplotlib") for b in bases):
                    bad.append(f"{p.name}: {node.name}")
    assert bad == []


def test_package_reads_no_private_attribute_in_matplotlib_modules() -> None:
    """In every module that imports matplotlib, no ``x._name`` attribute access except
    on the module's own objects (``self``/``cls`` of classes that are not matplotlib's)."""
    bad = []
    for p in SOURCES:
        source = p.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if not _matplotlib_names(tree):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and re.match(r"_[a-z]", node.attr)
                    and not (isinstance(node.value, ast.Name)
                             and node.value.id in ("self", "cls"))):
                bad.append(f"{p.name}: {ast.unparse(node)}")
        # getattr(obj, "_private") is the same access
        bad += [f"{p.name}: {m}" for m in re.findall(r"getattr\([^)]*[\"']_[a-z]\w*", source)]
    assert sorted(bad) == []


def test_render_drawing_and_graph_drawing_import_one_way() -> None:
    graph = (PACKAGE / "render" / "graph_drawing.py").read_text(encoding="utf-8")
    assert not re.search(r"from \.drawing import|import drawing", graph)
