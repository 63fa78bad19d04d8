"""Parameter declarations: one per constructor argument of a layer type.

A declaration knows its name, default, allowed values and one-line help, and it
validates what a person typed (raising :class:`ShapeError` naming the argument, what
was expected and what was received). The same declarations drive the widget's
controls, the JSON spec, the Keras code export and the docs.
"""

from __future__ import annotations

import difflib
import json
import math
import reprlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from .errors import ShapeError
from .text import Msg, int_text, register

REQUIRED: Any = object()
"""Default of a parameter that has no default (like ``units`` of ``Dense``)."""

register("param.received", "expected {expected}, received {received}.",
         "{expected} が必要ですが、{received} を受け取りました。")
register("param.missing", "this argument is required ({expected}).",
         "この引数は必須です（{expected}）。")
register("param.expected.int", "an integer", "整数")
register("param.expected.int_min", "an integer >= {min}", "{min} 以上の整数")
register("param.expected.int_range", "an integer from {min} to {max}", "{min} から {max} までの整数")
register("param.expected.float", "a number from {min} to {max}", "{min} から {max} までの数")
register("param.expected.bool", "True or False", "True か False")
register("param.expected.choice", "one of {choices}", "{choices} のいずれか")
register("param.expected.tuple", "an integer >= {min} or a tuple of {rank} such integers",
         "{min} 以上の整数、またはそのような整数 {rank} 個のタプル")
register("param.expected.tuple_only", "a tuple of {rank} integers >= {min}",
         "{min} 以上の整数 {rank} 個のタプル")
register("param.expected.json", "a string, number, list, dict or None",
         "文字列・数値・リスト・辞書・None のいずれか")
register("param.fix.tuple_comma", "write ({value},) with a comma: (3) is just the int 3.",
         "カンマを付けて ({value},) と書きます。(3) はただの整数 3 です。")
register("param.fix.not_bool", "write {value} without quotes: True or False.",
         "引用符を付けずに True か False と書きます。")
register("param.fix.unquote", "write {value} without quotes.",
         "引用符を付けずに {value} と書きます。")
register("param.fix.quote", "put the value in quotes, e.g. \"{value}\".",
         "値を引用符で囲みます（例: \"{value}\"）。")
register("param.fix.did_you_mean", "did you mean \"{suggestion}\"?",
         "\"{suggestion}\" のことですか？")


MAX_SIZE = 2**63 - 1
"""The largest size (and the largest integer argument) shapewidget takes: a tensor axis
is indexed by an int64 in every Keras backend. Keras builds larger shapes symbolically,
but no backend can make the tensor or its weights."""

MAX_DEPTH = 64
"""How deeply values may nest: a wrapper in a wrapper … (``TimeDistributed`` of
``TimeDistributed`` needs one more input axis per level), or lists and dicts in an
argument. Deeper nesting is refused rather than left to Python's recursion limit."""

class _Describer(reprlib.Repr):
    """``repr`` bounded in depth, length and digits (a received value can be anything)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 6
        self.maxtuple = self.maxlist = self.maxdict = self.maxset = 24
        self.maxfrozenset = self.maxdeque = self.maxarray = 24
        self.maxstring = self.maxother = 300
        self.maxlong = 300

    def repr_int(self, x: int, level: int) -> str:
        return int_text(x, grouped=False) if x.bit_length() > 1000 else repr(x)


_describer = _Describer()


def describe(value: Any) -> str:
    """A received value as a person should see it: ``-3 (int)``, ``'3' (str)`` (bounded:
    a huge or deeply nested value is shortened, never fails)."""
    try:
        text = _describer.repr(value)
    except Exception:  # a value whose own repr fails
        text = f"<{type(value).__name__}>"
    return f"{text} ({type(value).__name__})"


register("param.too_large",
         "the integer {received} is larger than any tensor size a backend can hold "
         "(2**63 - 1 = 9,223,372,036,854,775,807).",
         "整数 {received} はバックエンドが扱えるテンソルのサイズ（2**63 - 1 = "
         "9,223,372,036,854,775,807）より大きいです。")
register("param.fix.too_large", "use a realistic size.", "現実的なサイズを使います。")
register("param.too_deep",
         "the value nests more than {limit} levels deep.",
         "値の入れ子が {limit} 段を超えています。")


def oversized_int(value: Any) -> int | None:
    """The first integer in ``value`` (ints, lists, tuples, dicts, nested) beyond
    ``±MAX_SIZE``, or ``None``. Walks iteratively; nesting is bounded by the caller."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, int) and not isinstance(item, bool):
            if not -MAX_SIZE <= item <= MAX_SIZE:
                return item
        elif isinstance(item, list | tuple):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
    return None


def check_size(value: Any, argument: str | None) -> None:
    """Refuse an integer beyond ``±MAX_SIZE`` anywhere in ``value``."""
    found = oversized_int(value)
    if found is not None:
        raise ShapeError(Msg("param.too_large", {"received": int_text(abs(found))}),
                         fix=Msg("param.fix.too_large"), argument=argument)


def to_json(value: Any) -> Any:
    """Tuples become lists, recursively (the spec's form of a tuple)."""
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def to_code(value: Any) -> str:
    """A Python literal for ``value``, with tuples as tuples and strings in double quotes
    (NaN and infinities as ``float("nan")``, ``float("inf")``: runnable Python)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # escapes quotes and control chars
    if isinstance(value, tuple | list):
        items = [to_code(v) for v in value]
        if isinstance(value, tuple):
            return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{to_code(k)}: {to_code(v)}" for k, v in value.items()) + "}"
    return repr(value)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Param:
    """One constructor argument of a layer type."""

    name: str
    default: Any
    help: str = ""
    affects_shape: bool = True
    widget: ClassVar[str] = "text"

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def expected(self) -> Msg:
        return Msg("param.expected.json")

    def validate(self, value: Any) -> Any:
        """Return the value in its canonical form, or raise :class:`ShapeError`."""
        return value

    def fail(self, value: Any, fix: Msg | None = None) -> ShapeError:
        return ShapeError(
            Msg("param.received", {"expected": self.expected(), "received": describe(value)}),
            fix=fix,
            argument=self.name,
        )

    def to_json(self, value: Any) -> Any:
        return to_json(value)

    def to_code(self, value: Any) -> str:
        return to_code(value)

    def from_json(self, value: Any) -> Any:
        return self.validate(value)


@dataclass(frozen=True)
class IntParam(Param):
    """A whole number, e.g. ``units``; ``min``/``max`` bound it."""

    min: int | None = 1
    max: int | None = None
    allow_none: bool = False
    widget: ClassVar[str] = "int"

    def expected(self) -> Msg:
        if self.min is not None and self.max is not None:
            return Msg("param.expected.int_range", {"min": self.min, "max": self.max})
        if self.min is not None:
            return Msg("param.expected.int_min", {"min": self.min})
        return Msg("param.expected.int")

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_none:
            return None
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            raise self.fail(value, Msg("param.fix.unquote", {"value": value.strip()}))
        if not is_int(value):
            raise self.fail(value)
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            raise self.fail(value)
        return value


@dataclass(frozen=True)
class FloatParam(Param):
    """A number in ``[min, max]``, e.g. a dropout rate."""

    min: float = 0.0
    max: float = 1.0
    widget: ClassVar[str] = "float"

    def expected(self) -> Msg:
        return Msg("param.expected.float", {"min": self.min, "max": self.max})

    def validate(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(value)
        if not self.min <= value <= self.max:
            raise self.fail(value)
        return value


@dataclass(frozen=True)
class BoolParam(Param):
    """``True`` or ``False``, e.g. ``use_bias``."""

    widget: ClassVar[str] = "bool"

    def expected(self) -> Msg:
        return Msg("param.expected.bool")

    def validate(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            raise self.fail(value, Msg("param.fix.not_bool",
                                       {"value": value.strip().capitalize()}))
        raise self.fail(value)


@dataclass(frozen=True)
class ChoiceParam(Param):
    """One of a fixed set of values, e.g. ``padding``; ``None`` may be one of them."""

    choices: tuple[Any, ...] = ()
    widget: ClassVar[str] = "choice"

    def expected(self) -> Msg:
        return Msg("param.expected.choice", {"choices": ", ".join(map(repr, self.choices))})

    def validate(self, value: Any) -> Any:
        if value in self.choices and type(value) in {type(c) for c in self.choices}:
            return value
        fix = None
        if isinstance(value, str):
            low = value.strip().lower()
            close = [c for c in self.choices if isinstance(c, str) and c.lower() == low]
            if not close:
                close = [c for c in self.choices if isinstance(c, str) and low and
                         (c.startswith(low) or low.startswith(c))]
            if close:
                fix = Msg("param.fix.did_you_mean", {"suggestion": close[0]})
        raise self.fail(value, fix)


@dataclass(frozen=True)
class IntTupleParam(Param):
    """An int or a tuple of ``rank`` ints, e.g. ``kernel_size``; kept as given.

    Use :meth:`expand` to get the full tuple. ``allow_int=False`` demands a tuple.
    """

    rank: int = 2
    min: int = 1
    allow_int: bool = True
    allow_none: bool = False
    widget: ClassVar[str] = "int_tuple"

    def expected(self) -> Msg:
        if self.allow_int:
            return Msg("param.expected.tuple", {"min": self.min, "rank": self.rank})
        return Msg("param.expected.tuple_only", {"min": self.min, "rank": self.rank})

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_none:
            return None
        if is_int(value):
            if self.allow_int and value >= self.min:
                return value
            fix = (Msg("param.fix.tuple_comma", {"value": value})
                   if not self.allow_int and self.rank == 1 else None)
            raise self.fail(value, fix)
        if isinstance(value, Sequence) and not isinstance(value, str):
            items = tuple(value)
            if len(items) == self.rank and all(is_int(v) and v >= self.min for v in items):
                return items
        raise self.fail(value)

    def expand(self, value: Any) -> tuple[int, ...]:
        if is_int(value):
            return (value,) * self.rank
        return tuple(value)

    def from_json(self, value: Any) -> Any:
        return self.validate(value)


# Names Keras 3's `initializers.get`, `regularizers.get` and `constraints.get` accept,
# keyed by the argument's suffix (`kernel_initializer` → "initializer").
KERAS_OBJECT_NAMES: dict[str, frozenset[str]] = {
    "initializer": frozenset((
        "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
        "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones",
        "Orthogonal", "OrthogonalInitializer", "RandomNormal", "RandomUniform", "STFT",
        "STFTInitializer", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
        "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
        "initializer", "lecun_normal", "lecun_uniform", "normal", "one", "ones",
        "orthogonal", "random_normal", "random_uniform", "stft", "truncated_normal",
        "uniform", "variance_scaling", "zero", "zeros")),
    "regularizer": frozenset((
        "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "l1", "l1l2", "l2",
        "orthogonal_regularizer", "regularizer")),
    "constraint": frozenset((
        "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "constraint",
        "max_norm", "min_max_norm", "non_neg", "unit_norm")),
}

register("param.expected.keras_object", "a Keras {kind} name such as \"{example}\", a "
         "config dict, or None",
         "\"{example}\" のような Keras の {kind} 名、設定の dict、または None")


@dataclass(frozen=True)
class JsonParam(Param):
    """A value that does not change shapes and is only carried along (initializers,
    regularizers, constraints): a string, number, list, dict or ``None``.

    For ``*_initializer``, ``*_regularizer`` and ``*_constraint`` arguments a string must
    be a name Keras knows, as Keras refuses the layer otherwise.
    """

    affects_shape: bool = False

    def _keras_kind(self) -> str | None:
        kind = self.name.rsplit("_", 1)[-1]
        return kind if kind in KERAS_OBJECT_NAMES else None

    def expected(self) -> Msg:
        kind = self._keras_kind()
        if kind is None:
            return Msg("param.expected.json")
        example = {"initializer": "glorot_uniform", "regularizer": "l2",
                   "constraint": "non_neg"}[kind]
        return Msg("param.expected.keras_object", {"kind": kind, "example": example})

    def validate(self, value: Any) -> Any:
        kind = self._keras_kind()
        if kind is not None and isinstance(value, str):
            if value in KERAS_OBJECT_NAMES[kind]:
                return value
            close = difflib.get_close_matches(value, sorted(KERAS_OBJECT_NAMES[kind]), n=1)
            raise self.fail(value, Msg("param.fix.did_you_mean", {"suggestion": close[0]})
                            if close else None)
        if kind is not None and isinstance(value, int | float | bool):
            raise self.fail(value)
        try:
            return json_value(value)
        except TypeError:
            raise self.fail(value) from None


def json_value(value: Any, depth: int = 0) -> Any:
    """``value`` if it is JSON-like (lists kept as tuples); ``TypeError`` otherwise (also
    for nesting deeper than :data:`MAX_DEPTH`)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if depth >= MAX_DEPTH:
        raise TypeError("nested too deeply")
    if isinstance(value, list | tuple):
        return tuple(json_value(v, depth + 1) for v in value)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: json_value(v, depth + 1) for k, v in value.items()}
    raise TypeError(type(value).__name__)


# Every activation name Keras 3's `keras.activations.get` accepts.
ACTIVATIONS: tuple[str | None, ...] = (
    None, "linear", "relu", "sigmoid", "softmax", "tanh", "elu", "selu", "softplus",
    "softsign", "swish", "silu", "gelu", "exponential", "hard_sigmoid", "hard_silu",
    "hard_swish", "leaky_relu", "relu6", "log_softmax", "mish", "celu", "glu",
    "log_sigmoid", "hard_tanh", "sparse_plus", "soft_shrink", "hard_shrink",
    "tanh_shrink", "squareplus", "sparsemax", "sparse_sigmoid", "threshold",
)


def activation_param(default: str | None = None, name: str = "activation") -> ChoiceParam:
    return ChoiceParam(name, default, "the function applied to each output value "
                       "(does not change the shape)", affects_shape=False, choices=ACTIVATIONS)


def carried(*names: str) -> tuple[JsonParam, ...]:
    """Arguments kept and round-tripped that never change a shape (initializers, …)."""
    return tuple(JsonParam(n, None, "kept as given; does not change any shape") for n in names)


# --- Parameter kinds for reshaping, normalization and embedding layers ---------------

register("param.expected.number", "a number", "数")
register("param.expected.number_or_none", "a number or None", "数または None")
register("param.expected.string", "a string such as {examples}", "{examples} のような文字列")
register("param.expected.target_shape",
         "a tuple of sizes >= 0, with at most one -1 for a size to infer",
         "0 以上のサイズのタプル（推定させるサイズに -1 を一つまで）")
register("param.expected.axis", "an integer axis", "整数の軸")
register("param.expected.axes", "an integer axis or a list of integer axes",
         "整数の軸、または整数の軸のリスト")
register("param.expected.int_list", "a tuple of integers", "整数のタプル")
register("param.expected.pairs1",
         "an integer >= 0 or a tuple of 2 such integers (before, after)",
         "0 以上の整数、またはそのような整数 2 個のタプル（前, 後）")
register("param.expected.pairs2",
         "an integer, a tuple of 2 integers >= 0 (height, width), or a tuple of 2 pairs "
         "((top, bottom), (left, right))",
         "整数、0 以上の整数 2 個のタプル（高さ, 幅）、または 2 組のペア "
         "((上, 下), (左, 右)) のタプル")
register("param.expected.pairs2_min",
         "an integer >= 0, a tuple of 2 integers >= 0 (height, width), or a tuple of 2 "
         "pairs ((top, bottom), (left, right))",
         "0 以上の整数、0 以上の整数 2 個のタプル（高さ, 幅）、または 2 組のペア "
         "((上, 下), (左, 右)) のタプル")
register("param.target_shape.two_unknown",
         "at most one size may be -1 (the size to infer), received {received}.",
         "-1（推定させるサイズ）は一つまでですが、{received} を受け取りました。")
register("param.fix.one_minus_one", "keep one -1 and write the other sizes out.",
         "-1 は一つだけにして、他のサイズは数で書きます。")
register("param.fix.batch_left_out",
         "leave the batch axis out of target_shape; -1 means \"infer this size\".",
         "target_shape にはバッチ軸を書きません。-1 は「このサイズを推定する」という意味です。")


@dataclass(frozen=True)
class NumberParam(Param):
    """Any real number, e.g. ``epsilon`` or ``momentum`` (kept as given)."""

    allow_none: bool = False
    affects_shape: bool = False
    widget: ClassVar[str] = "float"

    def expected(self) -> Msg:
        return Msg("param.expected.number_or_none" if self.allow_none
                   else "param.expected.number")

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_none:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(value)
        return value


@dataclass(frozen=True)
class CaseChoiceParam(ChoiceParam):
    """A :class:`ChoiceParam` whose strings match in any case, as Keras lower-cases
    them (``"CHANNELS_FIRST"`` works); the value is kept as given."""

    def validate(self, value: Any) -> Any:
        if isinstance(value, str) and value.lower() in self.choices:
            return value
        return super().validate(value)


@dataclass(frozen=True)
class OpenChoiceParam(ChoiceParam):
    """A string Keras takes without checking when the model is built (``choices`` are
    the known values, offered by the widget): any string is kept as given."""

    def expected(self) -> Msg:
        return Msg("param.expected.string",
                   {"examples": ", ".join(repr(c) for c in self.choices[:3])})

    def validate(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        raise self.fail(value)


def data_format_param(help: str = "where the channels axis is: last (batch, …, channels) "
                      "or first (batch, channels, …); None means channels_last") -> Param:
    return CaseChoiceParam("data_format", None, help,
                           choices=(None, "channels_last", "channels_first"))


@dataclass(frozen=True)
class AxisParam(Param):
    """An axis index counting the batch axis (negative counts from the end); with
    ``allow_list`` also a list of them (kept as a tuple)."""

    allow_list: bool = False
    widget: ClassVar[str] = "text"

    def expected(self) -> Msg:
        return Msg("param.expected.axes" if self.allow_list else "param.expected.axis")

    def validate(self, value: Any) -> Any:
        if is_int(value):
            return value
        if (self.allow_list and isinstance(value, Sequence) and not isinstance(value, str)
                and all(is_int(v) for v in value)):
            return tuple(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            raise self.fail(value, Msg("param.fix.unquote", {"value": value.strip()}))
        raise self.fail(value)


@dataclass(frozen=True)
class IntListParam(Param):
    """A tuple of any length of integers, e.g. ``dims`` of ``Permute``."""

    widget: ClassVar[str] = "int_tuple"

    def expected(self) -> Msg:
        return Msg("param.expected.int_list")

    def item_ok(self, item: Any) -> bool:
        return is_int(item)

    def bad_items(self, value: Any, items: tuple[Any, ...]) -> ShapeError:
        return self.fail(value)

    def validate(self, value: Any) -> Any:
        if is_int(value):
            raise self.fail(value, Msg("param.fix.tuple_comma", {"value": value}))
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.fail(value)
        items = tuple(value)
        if not all(self.item_ok(v) for v in items):
            raise self.bad_items(value, items)
        return items


@dataclass(frozen=True)
class TargetShapeParam(IntListParam):
    """A shape without the batch axis, e.g. ``target_shape``: sizes >= 0 or ``None``,
    and at most one ``-1`` (the size Keras infers)."""

    def expected(self) -> Msg:
        return Msg("param.expected.target_shape")

    def item_ok(self, item: Any) -> bool:
        return item is None or (is_int(item) and item >= -1)

    def bad_items(self, value: Any, items: tuple[Any, ...]) -> ShapeError:
        return self.fail(value, Msg("param.fix.batch_left_out")
                         if any(d is None for d in items) else None)

    def validate(self, value: Any) -> Any:
        items: tuple[Any, ...] = super().validate(value)
        if items.count(-1) > 1:
            raise ShapeError(Msg("param.target_shape.two_unknown",
                                 {"received": to_code(items)}),
                             fix=Msg("param.fix.one_minus_one"), argument=self.name)
        return items


@dataclass(frozen=True)
class PairsParam(Param):
    """How much to add or remove at both ends of each spatial axis (``padding`` of
    ``ZeroPadding2D``, ``cropping`` of ``Cropping1D``, …), in Keras's forms.

    ``rank=1``: ``n`` or ``(before, after)``. ``rank=2``: ``n``, ``(h, w)`` or
    ``((top, bottom), (left, right))``; an entry may itself be an int or a pair.
    Every number must be >= 0, except a lone int when ``negative_int`` (Keras's
    ``ZeroPadding2D`` does not check that form). Kept as given; see :meth:`expand`.
    """

    rank: int = 1
    negative_int: bool = False
    widget: ClassVar[str] = "text"

    def expected(self) -> Msg:
        if self.rank == 1:
            return Msg("param.expected.pairs1")
        return Msg("param.expected.pairs2" if self.negative_int else "param.expected.pairs2_min")

    @staticmethod
    def _pair(value: Any) -> tuple[int, int] | None:
        if is_int(value):
            return (value, value) if value >= 0 else None
        if isinstance(value, Sequence) and not isinstance(value, str):
            items = tuple(value)
            if len(items) == 2 and all(is_int(v) and v >= 0 for v in items):
                return (items[0], items[1])
        return None

    def validate(self, value: Any) -> Any:
        if is_int(value) and (value >= 0 or (self.negative_int and self.rank > 1)):
            return value
        if self.rank == 1:
            if not is_int(value) and self._pair(value) is not None:
                return tuple(value)
            raise self.fail(value)
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            parts = tuple(v if is_int(v) else tuple(v) if isinstance(v, Sequence) else v
                          for v in value)
            if all(self._pair(v) is not None for v in parts):
                return parts
        raise self.fail(value)

    def expand(self, value: Any) -> tuple[tuple[int, int], ...]:
        """``((before, after), …)``, one pair per spatial axis."""
        if is_int(value):
            return ((value, value),) * self.rank
        if self.rank == 1:
            return ((value[0], value[1]),)
        pairs = []
        for v in value:
            pairs.append((v, v) if is_int(v) else (v[0], v[1]))
        return tuple(pairs)


@dataclass(frozen=True)
class NoiseShapeParam(Param):
    """``noise_shape`` of Dropout: None, or a tuple of sizes ≥ 1 (None for "as the input")."""

    affects_shape: bool = False

    def expected(self) -> Msg:
        return Msg("param.expected.noise_shape")

    def validate(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Sequence) and not isinstance(value, str):
            items = tuple(value)
            if all(v is None or (is_int(v) and v >= 1) for v in items):
                return items
        raise self.fail(value)


register("param.expected.noise_shape", "None or a tuple of sizes >= 1 (None for an axis "
         "taken from the input)",
         "None、または 1 以上のサイズのタプル（入力から取る軸は None）")


def seed_param(help: str = "random seed (an int >= 0, or None)") -> IntParam:
    return IntParam("seed", None, help, affects_shape=False, min=0, allow_none=True)


# --- Parameter kind for merge layers ----------------------------------------------------

register("param.expected.axis_pair",
         "an integer axis or a pair of integer axes (axis of the first input, axis of "
         "the second)",
         "整数の軸、または整数の軸 2 個の組（一つ目の入力の軸, 二つ目の入力の軸）")


@dataclass(frozen=True)
class AxisPairParam(Param):
    """``axes`` of ``Dot``: one integer axis for both inputs, or a pair ``(a, b)`` (axis
    ``a`` of the first input, ``b`` of the second), counting the batch axis as 0; negative
    axes count from the end. Kept as given (a pair as a tuple)."""

    widget: ClassVar[str] = "int_tuple"

    def expected(self) -> Msg:
        return Msg("param.expected.axis_pair")

    def validate(self, value: Any) -> Any:
        if is_int(value):
            return value
        if isinstance(value, Sequence) and not isinstance(value, str):
            items = tuple(value)
            if len(items) == 2 and all(is_int(v) for v in items):
                return items
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            raise self.fail(value, Msg("param.fix.unquote", {"value": value.strip()}))
        raise self.fail(value)
