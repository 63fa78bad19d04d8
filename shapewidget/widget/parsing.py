"""Reading what a person typed into the widget's text fields (no ipywidgets here)."""

from __future__ import annotations

import ast
import re
from typing import Any

from ..errors import ShapeError
from ..model import parse_batch_size, parse_input_shape
from ..params import IntParam, Param, describe, is_int, to_code
from ..text import Msg
from . import strings  # noqa: F401  (registers the widget's messages)

MAX_TEXT = 500
_SEPARATORS = re.compile(r"[\s,×*]+|(?<=\d)[xX](?=\d)")
_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() also takes "²", which int() refuses


class _Default:
    """Marker: the field was left empty, so the argument goes back to its default."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()


def _check_length(text: str, argument: str) -> None:
    """Refuse text past :data:`MAX_TEXT` characters (no field needs more; a 5,000-digit
    number would pass Python's limit for reading integers)."""
    if len(text) > MAX_TEXT:
        raise ShapeError(Msg("widget.err.too_long", {"n": len(text)}), argument=argument)


def _literal(text: str, argument: str) -> Any:
    _check_length(text, argument)
    return ast.literal_eval(text)


def parse_shape_text(text: str) -> tuple[int | None, ...]:
    """``50, 50, 3`` / ``(50, 50, 3)`` / ``[50, 50, 3]`` / ``3`` → a shape; ``(3)`` is refused.

    Raises :class:`ShapeError` (argument ``input_shape``) with a suggested fix.
    """
    s = text.strip()
    if not s:
        raise ShapeError(Msg("widget.err.empty_shape"), fix=Msg("widget.fix.shape_example"),
                         argument="input_shape")
    _check_length(s, "input_shape")
    try:
        value = _literal(s, "input_shape")
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        tokens = [tok for tok in _SEPARATORS.split(s.strip("()[] ")) if tok]
        if tokens and all(_DIGITS.fullmatch(tok) or tok == "None" for tok in tokens):
            return parse_input_shape(tuple(None if tok == "None" else int(tok)
                                           for tok in tokens))
        raise ShapeError(Msg("input.bad_shape", {"received": repr(s)}),
                         fix=Msg("widget.fix.shape_example"), argument="input_shape") from None
    if is_int(value):
        if s.startswith("("):
            raise ShapeError(Msg("widget.err.paren_int", {"value": value}),
                             fix=Msg("input.fix.comma", {"value": value}),
                             argument="input_shape")
        value = (value,)
    if isinstance(value, list):
        value = tuple(value)
    try:
        return parse_input_shape(value)
    except ShapeError as err:
        raise ShapeError(err.problem, fix=err.fix or Msg("widget.fix.shape_example"),
                         argument="input_shape") from None


def format_shape_text(shape: tuple[int | None, ...]) -> str:
    """The text the shape field shows for a shape: ``50, 50, 3``; ``3,`` for one axis."""
    if len(shape) == 1:
        return f"{shape[0]},"
    return ", ".join(str(d) for d in shape)


def parse_batch_text(text: str) -> int | None:
    """Empty or ``None`` → no fixed batch; a positive integer → that batch size."""
    s = text.strip()
    if s in ("", "None", "none"):
        return None
    _check_length(s, "batch_size")
    if _DIGITS.fullmatch(s):
        return parse_batch_size(int(s))
    raise ShapeError(Msg("input.bad_batch", {"received": repr(s)}), argument="batch_size")


def parse_param_text(param: Param, text: str) -> Any:
    """A value typed into a text field for ``param``; empty text means the default.

    Python literals are read with :func:`ast.literal_eval` (nothing is executed); a bare
    word such as ``glorot_uniform`` is taken as a string.
    """
    s = text.strip()
    if not s:
        if param.required:
            raise ShapeError(Msg("param.missing", {"expected": param.expected().render()}),
                             argument=param.name)
        return DEFAULT
    _check_length(s, param.name)
    try:
        value = _literal(s, param.name)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        if param.widget == "layer" or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", s):
            fix = (Msg("widget.fix.layer_spec") if param.widget == "layer"
                   else Msg("param.fix.quote", {"value": s}))
            raise ShapeError(Msg("widget.err.unreadable", {"received": repr(s)}), fix=fix,
                             argument=param.name) from None
        value = s
    if isinstance(value, list) and param.widget == "int_tuple":
        value = tuple(value)
    return param.validate(value)


def format_param_text(param: Param, value: Any) -> str:
    """What a text field shows for an argument's value: a Python literal that reads back
    (a wrapped layer as its spec dict, ``{"type": "LSTM", "units": 8}``)."""
    if param.widget == "layer" and value is not None:
        return to_code(param.to_json(value))
    return to_code(value)


def suggested_value(param: Param, sample_values: int | None = None) -> Any:
    """A reasonable value for a required argument of a freshly added layer."""
    candidates: list[Any] = []
    known: dict[str, list[Any]] = {
        "units": [4], "filters": [8], "kernel_size": [3], "rate": [0.5],
        "activation": ["relu"], "input_dim": [1000], "output_dim": [8], "pool_size": [2],
        "size": [2], "n": [2], "cropping": [1], "padding": [1], "dims": [(2, 1)],
        "axis": [-1], "axes": [-1], "layer": [{"type": "LSTM", "units": 8}],
        "equation": ["ab,bc->ac"], "output_shape": [4],  # EinsumDense as a Dense
        "function": ["lambda x: x"], "scale": [0.5], "num_bins": [4], "num_tokens": [10],
        "factor": [0.1, (0.1, 0.2), 2.0, (2.0, 4.0)], "height_factor": [0.1],
        "width_factor": [0.1],
        "cell": [{"type": "LSTMCell", "units": 8}],
        "cells": [[{"type": "LSTMCell", "units": 8}]],
        "layers": [[{"type": "RandomFlip"}]],
    }
    candidates += known.get(param.name, [])
    if param.name == "target_shape" and sample_values:
        candidates.append((sample_values,))
    kind = param.widget
    if kind == "int":
        low = getattr(param, "min", 1)
        candidates += [max(4, low if isinstance(low, int) else 1), low]
    elif kind == "float":
        candidates.append((getattr(param, "min", 0.0) + getattr(param, "max", 1.0)) / 2)
    elif kind == "bool":
        candidates.append(False)
    elif kind == "choice":
        candidates += [c for c in getattr(param, "choices", ()) if c is not None]
    elif kind == "int_tuple":
        rank = getattr(param, "rank", 1)
        candidates += [2, (2,) * rank, (1,) * rank]
    for value in candidates:
        try:
            return param.validate(value)
        except ShapeError:
            continue
    return param.default


def is_int_param(param: Param) -> bool:
    return isinstance(param, IntParam) and not param.allow_none


__all__ = ["DEFAULT", "describe", "format_param_text", "format_shape_text",
           "parse_batch_text", "parse_param_text", "parse_shape_text", "suggested_value"]
