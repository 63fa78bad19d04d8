"""The base of the layer catalogue: one small declarative class per Keras layer type.

A subclass declares ``params`` (in the order of Keras's constructor, so positional
arguments map as in Keras) and implements :meth:`Layer.compute`, which turns an input
shape (batch axis included) into the output shape, the weights in Keras's order and
a plain-language derivation. Instances are immutable: editing makes a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import prod
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..errors import ShapeError
from ..naming import surrogate_problem
from ..naming import to_snake_case as to_snake_case  # re-exported: its old home
from ..params import MAX_DEPTH, BoolParam, Param, check_size, describe
from ..shapes import Shape, format_shape
from ..text import LazyNotes, Msg, register
from .dtype import DTYPE

register("layer.unknown_argument", "{type} has no argument `{argument}`.",
         "{type} に引数 `{argument}` はありません。")
register("layer.fix.did_you_mean_arg", "did you mean `{suggestion}`?",
         "`{suggestion}` のことですか？")
register("layer.too_many_positional",
         "{type} takes at most {count} positional arguments, received {received}.",
         "{type} の位置引数は最大 {count} 個ですが、{received} 個を受け取りました。")
register("layer.duplicate_argument", "`{argument}` is given twice.",
         "`{argument}` が二度指定されています。")
register("layer.expected_rank",
         "expected an input of rank {expected} ({layout}), received {shape} of rank {rank}.",
         "ランク {expected}（{layout}）の入力が必要ですが、ランク {rank} の {shape} を受け取りました。")
register("layer.expected_min_rank",
         "expected an input of rank {expected} or more ({layout}), received {shape} "
         "of rank {rank}.",
         "ランク {expected} 以上（{layout}）の入力が必要ですが、ランク {rank} の {shape} "
         "を受け取りました。")
register("layer.unknown_last_axis",
         "the last axis of the input {shape} has an unknown size, so the weights "
         "cannot be created.",
         "入力 {shape} の最後の軸のサイズが不明なため、重みを作れません。")
register("layer.one_input",
         "{type} takes one input tensor, received a list of {count}.",
         "{type} が受け取る入力テンソルは一つですが、{count} 個のリストを受け取りました。")
register("layer.fix.merge_first",
         "merge the tensors first (Concatenate, Add, …), then call {type} on the result.",
         "先にテンソルを結合（Concatenate、Add など）してから {type} を呼び出します。")
register("layer.frozen", "trainable=False: all {count} parameters are frozen (non-trainable).",
         "trainable=False: {count} 個のパラメータはすべて固定（学習しない）です。")

MEMO_SHAPES = 8
"""Input shapes whose results a layer remembers (see :meth:`Layer.evaluate`)."""

_TRAINABLE = BoolParam("trainable", True, "False freezes every weight of the layer",
                       affects_shape=False)


class Weight(NamedTuple):
    """One weight variable as Keras creates it: ``kernel (3, 4)``, trainable or not."""

    name: str
    shape: tuple[int, ...]
    trainable: bool = True

    @property
    def size(self) -> int:
        return prod(self.shape)


class Computed(NamedTuple):
    """What a layer does to one input shape."""

    output_shape: Shape
    weights: tuple[Weight, ...] = ()
    notes: Sequence[Msg] = ()
    """A tuple, or :class:`~shapewidget.text.LazyNotes` that read as one."""


_tuple_new = tuple.__new__


def weight(name: str, shape: tuple[int, ...], trainable: bool = True) -> Weight:
    """``Weight(name, shape, trainable)``, faster (no named tuple constructor call)."""
    return _tuple_new(Weight, (name, shape, trainable))


def computed(output_shape: Shape, weights: tuple[Weight, ...],
             notes: Sequence[Msg]) -> Computed:
    """``Computed(output_shape, weights, notes)``, faster (see :func:`weight`)."""
    return _tuple_new(Computed, (output_shape, weights, notes))


def _stand_in_notes(cls: type[Layer], values: dict[str, Any], args: dict[str, Any],
                    name: str | None, inbound: tuple[str, ...] | None,
                    fn: Callable[..., Sequence[Msg]], fn_args: tuple[Any, ...]
                    ) -> Sequence[Msg]:
    """``fn(layer, *fn_args)`` on a stand-in of the layer: the same class and arguments,
    nothing remembered (see :meth:`Layer.deferred_notes`)."""
    layer = object.__new__(cls)
    layer._values = values
    layer.args = args
    layer.name = name
    layer.inbound = inbound
    layer._memo = {}
    return fn(layer, *fn_args)


class _ArgumentView:
    """Class attribute that reads one argument: ``layer.units`` is ``layer.value("units")``."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        return obj._values[self.key]


def nesting_depth(layer: Layer) -> int:
    """How many layers deep ``layer`` nests: 1 for a plain layer, 2 for a wrapper of one,
    … (iterative; see :data:`~shapewidget.params.MAX_DEPTH`)."""
    deepest = 0
    todo = [(layer, 1)]
    while todo:
        item, depth = todo.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            todo.extend((inner, depth + 1) for inner in item.inner_layers())
    return deepest


def reject(key: str, *, argument: str | None = None, fix: Msg | None = None,
           **values: Any) -> ShapeError:
    """A :class:`ShapeError` for ``compute`` to raise; the model adds the location."""
    return ShapeError(Msg(key, values), fix=fix, argument=argument)


def require_rank(shape: Shape, rank: int, layout: str, *, at_least: bool = False) -> None:
    """Reject an input whose rank (batch axis included) is not ``rank``."""
    if len(shape) == rank or (at_least and len(shape) > rank):
        return
    raise reject("layer.expected_min_rank" if at_least else "layer.expected_rank",
                 expected=rank, layout=layout, shape=format_shape(shape), rank=len(shape))


class Layer:
    """A layer of a model: its type (the subclass) and the arguments a person gave."""

    family: ClassVar[str] = "core"
    params: ClassVar[tuple[Param, ...]] = ()
    help: ClassVar[str] = ""
    keyword_only: ClassVar[tuple[str, ...]] = ()
    """Arguments Keras reads from ``**kwargs`` (never positional), e.g. ``rms_scaling``."""
    rank_fixed_when_built: ClassVar[bool] = False
    """True when Keras's input spec, once built, accepts only the first call's rank
    (matters for a layer called again: a shared layer)."""
    drawing: ClassVar[dict[str, str]] = {}
    """What the drawing needs to know about this layer type (read by
    :mod:`shapewidget.render.labels`): ``glyph`` (``neurons``; ``neurons-with-kernel``
    when it has a kernel; otherwise drawn by its output shape), ``time`` (``recurrent``:
    a time axis and a loop), ``mark`` (``dropout``: values crossed out), ``args`` (which
    arguments label it: ``units``, ``filters``, ``depthwise``, ``pool``, ``global-max``,
    ``global-average``, ``rate``, ``activation``, ``embedding``, ``target``,
    ``wrapper``, ``concat``, ``dot``), ``merge`` (the symbol in a merge's circle;
    ``concat``: a bar of its inputs) and ``inputs`` (``ordered``: the order matters)."""
    takes_list: ClassVar[bool] = False
    """True for merge layers: called on a list of tensors (``Add()([a, b])``)."""
    _by_name: ClassVar[dict[str, Param]]
    _positional: ClassVar[tuple[Param, ...]]
    _defaults: ClassVar[dict[str, Any]]
    _prefix: ClassVar[str]
    _plain_evaluate: ClassVar[bool]
    """True when the class keeps :meth:`evaluate_uncached` as it is here."""
    _type_name: ClassVar[str]
    """:meth:`type_name`, kept (read for every row of every summary)."""

    __slots__ = ("_memo", "_values", "args", "inbound", "name")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = [p.name for p in cls.params]
        if len(set(names)) != len(names):
            raise TypeError(f"{cls.__name__} declares a parameter twice")
        cls._positional = tuple(p for p in cls.params if p.name not in cls.keyword_only)
        cls._by_name = {p.name: p for p in (*cls.params, _TRAINABLE, DTYPE)}
        cls._defaults = {p.name: p.default for p in (*cls.params, _TRAINABLE, DTYPE)}
        cls._prefix = to_snake_case(cls.type_name())
        cls._plain_evaluate = cls.evaluate_uncached is Layer.evaluate_uncached
        cls._type_name = cls.type_name()
        for p in (*cls.params, _TRAINABLE, DTYPE):
            existing = getattr(cls, p.name, None)
            if existing is not None and not isinstance(existing, _ArgumentView):
                raise TypeError(f"{cls.__name__}: argument {p.name!r} clashes with an attribute")
            setattr(cls, p.name, _ArgumentView(p.name))

    def __init__(self, *args: Any, name: str | None = None,
                 inbound: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        if len(args) > len(self._positional):
            raise reject("layer.too_many_positional", type=self.type_name(),
                         count=len(self._positional), received=len(args))
        given: dict[str, Any] = {}
        for param, value in zip(self._positional, args, strict=False):
            given[param.name] = value
        for key, value in kwargs.items():
            if key in given:
                raise reject("layer.duplicate_argument", argument=key)
            given[key] = value
        values: dict[str, Any] = {}
        for key, value in given.items():
            found = self._by_name.get(key)
            if found is None:
                raise self._unknown_argument(key)
            try:
                values[key] = found.validate(value)
                check_size(values[key], key)
            except ShapeError as err:
                raise err.located(layer_type=self.type_name(), layer_name=name) from None
        for param in self.params:
            if param.required and param.name not in values:
                raise ShapeError(Msg("param.missing", {"expected": param.expected()}),
                                 argument=param.name, layer_type=self.type_name(),
                                 layer_name=name)
        if name is not None and (not isinstance(name, str) or not name):
            raise ShapeError(Msg("param.received", {"expected": "a non-empty string",
                                                    "received": describe(name)}),
                             argument="name", layer_type=self.type_name())
        bad_name = surrogate_problem(name)
        if bad_name is not None:
            raise ShapeError(bad_name, fix=Msg("name.fix.surrogate"), argument="name",
                             layer_type=self.type_name())
        self.args: dict[str, Any] = values
        self.name: str | None = name
        self.inbound: tuple[str, ...] | None = inbound
        """Names of the tensors this layer is called on (layers or model inputs);
        ``None``: the previous entry's output, as in a Sequential model."""
        self._values = {**self._defaults, **values}
        self._memo: dict[Shape, Computed] = {}
        self.check_args()

    def _unknown_argument(self, key: str) -> ShapeError:
        import difflib

        close = difflib.get_close_matches(key, list(self._by_name), n=1)
        fix = Msg("layer.fix.did_you_mean_arg", {"suggestion": close[0]}) if close else None
        return ShapeError(Msg("layer.unknown_argument", {"type": self.type_name(),
                                                         "argument": key}),
                          fix=fix, argument=key, layer_type=self.type_name(),
                          layer_name=self.name if hasattr(self, "name") else None)

    def check_args(self) -> None:
        """Cross-argument checks Keras makes in the constructor (override as needed)."""

    # --- reading arguments -------------------------------------------------------
    if TYPE_CHECKING:
        # At run time each argument is a class-level _ArgumentView (``layer.units``).
        def __getattr__(self, key: str) -> Any: ...

    def value(self, key: str) -> Any:
        """The argument's value: as given, or the declared default."""
        return self._values[key]

    @classmethod
    def type_name(cls) -> str:
        """The Keras class name, e.g. ``Conv2D``."""
        return cls.__name__

    @classmethod
    def param(cls, key: str) -> Param:
        return cls._by_name[key]

    @classmethod
    def all_params(cls) -> tuple[Param, ...]:
        """Every declared argument, then ``trainable`` and ``dtype`` (every layer has them)."""
        return (*cls.params, _TRAINABLE, DTYPE)

    @classmethod
    def auto_name_prefix(cls) -> str:
        """Keras's automatic name stem: ``Conv2D`` → ``conv2d``."""
        return cls._prefix

    # --- editing -----------------------------------------------------------------
    def with_args(self, **changes: Any) -> Layer:
        """A new layer with some arguments changed (``None`` values are kept as given)."""
        args = {**self.args, **changes}
        return type(self)(name=self.name, inbound=self.inbound, **args)

    def without_args(self, *keys: str) -> Layer:
        """A new layer with some arguments back at their defaults."""
        args = {k: v for k, v in self.args.items() if k not in keys}
        return type(self)(name=self.name, inbound=self.inbound, **args)

    def renamed(self, name: str | None) -> Layer:
        return type(self)(name=name, inbound=self.inbound, **self.args)

    def connected(self, inbound: tuple[str, ...] | None) -> Layer:
        """The same layer called on other tensors (``None``: the previous entry's output)."""
        return type(self)(name=self.name, inbound=inbound, **self.args)

    def inner_layers(self) -> tuple[Layer, ...]:
        """Layers this one wraps (for wrappers such as ``Bidirectional``)."""
        return ()

    def reused_layer(self) -> str | None:
        """For a second call of a layer (a shared layer): the name of the layer called."""
        return None

    # --- shapes ------------------------------------------------------------------
    def compute(self, input_shape: Shape) -> Computed:
        """Output shape, weights and derivation for ``input_shape`` (batch included).

        Raise :func:`reject` errors for inputs Keras refuses.
        """
        raise NotImplementedError

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        """Output shape, weights and derivation for a list of inputs (merge layers)."""
        raise reject("layer.one_input", type=self.type_name(), count=len(input_shapes),
                     fix=Msg("layer.fix.merge_first", {"type": self.type_name()}))

    def evaluate_inputs(self, input_shapes: tuple[Shape, ...]) -> Computed:
        """:meth:`evaluate` on the shapes of the tensors in ``inbound``: one tensor for
        most layers, a list for merge layers (frozen weights made non-trainable)."""
        if not self.takes_list:
            if len(input_shapes) != 1:
                return self.compute_list(input_shapes)
            return self.evaluate(input_shapes[0])
        return self._frozen(self.compute_list(input_shapes))

    def evaluate(self, input_shape: Shape) -> Computed:
        """:meth:`evaluate_uncached`, remembered per input shape.

        Safe because a layer never changes (an edit makes a new layer): a model
        recomputed after one edit evaluates only the new layer and the layers whose
        input shape it changed. A few shapes are kept per layer.
        """
        memo = self._memo
        try:
            found = memo.get(input_shape)
        except TypeError:  # a list: taken as the tuple it stands for
            return self.evaluate(tuple(input_shape))
        if found is None:
            if self._plain_evaluate:  # evaluate_uncached, inlined (once per layer and shape)
                found = self.compute(input_shape)
                if found[1] and not self._values["trainable"]:
                    found = self._frozen(found)
            else:
                found = self.evaluate_uncached(input_shape)
            if len(memo) >= MEMO_SHAPES:
                memo.clear()
            memo[input_shape] = found
        return found

    def evaluate_uncached(self, input_shape: Shape) -> Computed:
        """:meth:`compute`, with every weight made non-trainable when frozen."""
        return self._frozen(self.compute(input_shape))

    def _frozen(self, out: Computed) -> Computed:
        if self._values["trainable"] or not out.weights:
            return out
        weights = tuple(w._replace(trainable=False) for w in out.weights)
        count = sum(w.size for w in weights)
        return Computed(out.output_shape, weights,
                        (*out.notes, Msg("layer.frozen", {"count": f"{count:,}"})))

    def deferred_notes(self, fn: Callable[..., Sequence[Msg]], *args: Any) -> LazyNotes:
        """Notes worked out when first read: ``fn(layer, *args)`` (see
        :class:`~shapewidget.text.LazyNotes`); for a layer whose notes depend on its
        arguments and ``args`` alone.

        ``fn`` gets a stand-in with the same class and arguments, not the layer itself: the
        layer remembers its results, so holding it would make a reference cycle (freed only
        by the garbage collector) until the notes are read.
        """
        return LazyNotes(_stand_in_notes, (type(self), self._values, self.args, self.name,
                                           self.inbound, fn, args))

    # --- identity ----------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and isinstance(other, Layer)
                and other.args == self.args and other.name == self.name
                and other.inbound == self.inbound)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.name))

    def __repr__(self) -> str:
        from ..params import to_code

        parts = [f"{k}={to_code(v)}" for k, v in self.args.items()]
        if self.name is not None:
            parts.append(f"name={self.name!r}")
        if self.inbound is not None:
            parts.append(f"inbound={list(self.inbound)!r}")
        return f"{self.type_name()}({', '.join(parts)})"

