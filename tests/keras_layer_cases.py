"""Keras's own layer tests as cases: the ``run_layer_test`` calls of the
``keras/src/layers/**/*_test.py`` files shipped in the Keras wheel, read (never run) from
their syntax tree.

A call gives a layer class, its ``init_kwargs`` and an ``input_shape`` (batch included),
and sometimes ``expected_output_shape`` and the expected numbers of trainable and
non-trainable weights; inside ``with self.assertRaises…`` it is a refusal. Values are
literals, or names bound by the test's ``@parameterized.parameters`` /
``named_parameters`` decorator (literal too); calls with anything else are skipped.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")


@dataclass(frozen=True)
class LayerCase:
    file: str
    test: str
    type_name: str
    init_kwargs: dict[str, Any]
    input_shape: tuple[Any, ...]
    expected_output_shape: tuple[Any, ...] | None
    trainable_weights: int | None
    non_trainable_weights: int | None
    refused: bool

    @property
    def id(self) -> str:
        return f"{self.file}::{self.test}::{self.type_name}"


class _Unknown(Exception):
    pass


def _value(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_value(e, env) for e in node.elts)
    if isinstance(node, ast.List):
        return [_value(e, env) for e in node.elts]
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _Unknown
        return {_value(k, env): _value(v, env) for k, v in zip(node.keys, node.values,
                                                               strict=True)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_value(node.operand, env)
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        if node.id in ("None", "True", "False"):
            return {"None": None, "True": True, "False": False}[node.id]
    raise _Unknown


def _param_sets(func: ast.FunctionDef) -> list[dict[str, Any]]:
    """One binding of the test's arguments per parameter set (``[{}]`` if none)."""
    names = [a.arg for a in func.args.args[1:]]
    for deco in func.decorator_list:
        if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)
                and deco.func.attr in ("parameters", "named_parameters")):
            continue
        out = []
        for arg in deco.args:
            try:
                value = _value(arg, {})
            except _Unknown:
                continue
            if isinstance(value, dict):
                out.append({k: v for k, v in value.items() if k != "testcase_name"})
            elif isinstance(value, tuple | list):
                items = list(value)
                if deco.func.attr == "named_parameters" and items and isinstance(items[0],
                                                                                 str):
                    items = items[1:]
                out.append(dict(zip(names, items, strict=False)))
            else:
                out.append(dict(zip(names, [value], strict=False)))
        return out
    return [{}]


def _calls(body: list[ast.stmt], refused: bool) -> list[tuple[ast.Call, bool]]:
    found: list[tuple[ast.Call, bool]] = []
    for stmt in body:
        if isinstance(stmt, ast.With):
            raises = any(isinstance(i.context_expr, ast.Call)
                         and isinstance(i.context_expr.func, ast.Attribute)
                         and i.context_expr.func.attr.startswith("assertRaises")
                         for i in stmt.items)
            found += _calls(stmt.body, refused or raises)
            continue
        for node in ast.walk(stmt):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "run_layer_test"):
                found.append((node, refused))
    return found


def layer_cases(types: set[str] | None = None) -> tuple[list[LayerCase], int]:
    """(cases that could be read, number of run_layer_test calls skipped) for the layer
    classes named in ``types`` (all when None)."""
    import keras

    root = Path(keras.__file__).parent / "src" / "layers"
    cases: list[LayerCase] = []
    skipped = 0
    for path in sorted(root.rglob("*_test.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef) or not func.name.startswith("test"):
                continue
            for call, refused in _calls(func.body, False):
                if not call.args or not isinstance(call.args[0], ast.Attribute | ast.Name):
                    continue
                first = call.args[0]
                type_name = first.attr if isinstance(first, ast.Attribute) else first.id
                if types is not None and type_name not in types:
                    continue
                for env in _param_sets(func):
                    kw = {k.arg: k.value for k in call.keywords if k.arg}
                    try:
                        init = _value(kw["init_kwargs"], env) if "init_kwargs" in kw else {}
                        shape = _value(kw["input_shape"], env)
                        out = (_value(kw["expected_output_shape"], env)
                               if "expected_output_shape" in kw else None)
                        tw = (_value(kw["expected_num_trainable_weights"], env)
                              if "expected_num_trainable_weights" in kw else None)
                        nw = (_value(kw["expected_num_non_trainable_weights"], env)
                              if "expected_num_non_trainable_weights" in kw else None)
                    except (_Unknown, KeyError):
                        skipped += 1
                        continue
                    if not isinstance(shape, tuple) or not isinstance(init, dict) or any(
                            k.arg == "input_data" or k.arg == "input_dtype"
                            for k in call.keywords):
                        skipped += 1
                        continue
                    cases.append(LayerCase(str(path.relative_to(root)), func.name,
                                           type_name, init, shape,
                                           None if out is None else tuple(out), tw, nw,
                                           refused))
    return cases, skipped
