"""The model: an input tensor and an ordered list of layers, as a traitlets object.

No ipywidgets, no matplotlib: usable in a plain script. Views observe its traits
(``layers``, ``input_shape``, ``batch_size``, ``input_dtype``) and read
:meth:`Model.analyze` for summary rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import traitlets

from . import spec as spec_module
from .errors import ShapeError
from .graph import INPUT_LAYER_NAME, auto_input_names, compute_summary
from .layers import LAYER_TYPES, Layer
from .layers.shared import SharedLayer
from .naming import auto_names, name_problem, numbered
from .params import check_size, describe, is_int
from .shapes import Shape
from .summary import InputTensor, Summary
from .text import Msg, register

register("input.int_not_tuple",
         "expected a tuple of sizes such as ({value},), received the int {value}.",
         "({value},) のようなサイズのタプルが必要ですが、整数 {value} を受け取りました。")
register("input.fix.comma",
         "write ({value},) with a comma: (3) is just the int 3 in Python; or use "
         "input_dim={value}.",
         "カンマを付けて ({value},) と書きます。Python では (3) はただの整数 3 です。"
         "input_dim={value} も使えます。")
register("input.bad_shape",
         "expected a tuple of positive sizes or None (without the batch axis), received "
         "{received}.",
         "正のサイズか None のタプル（バッチ軸なし）が必要ですが、{received} を受け取りました。")
register("input.fix.batch_axis",
         "leave the batch axis out: input_shape describes one sample.",
         "バッチ軸は書きません。input_shape は 1 サンプルの形です。")
register("input.bad_batch", "expected None or a positive integer, received {received}.",
         "None か正の整数が必要ですが、{received} を受け取りました。")
register("input.bad_dtype", "expected a dtype Keras knows ({expected}), received {received}.",
         "Keras が知っている dtype（{expected}）が必要ですが、{received} を受け取りました。")
register("input.too_many_axes",
         "expected at most {limit} axes (numpy and JAX arrays have at most {limit}), "
         "received {rank}.",
         "軸は {limit} 個までです（numpy と JAX の配列は最大 {limit} 軸）が、{rank} 個を"
         "受け取りました。")
register("input.bad_dim", "expected a positive integer (the size of a 1-D input), "
         "received {received}.",
         "正の整数（1 次元の入力のサイズ）が必要ですが、{received} を受け取りました。")
register("input.conflict", "give only one of input_shape, input_dim and batch_shape.",
         "input_shape、input_dim、batch_shape のうち一つだけを指定してください。")
register("model.bad_index", "there is no layer {index} (the model has {count}).",
         "レイヤー {index} はありません（モデルには {count} 個あります）。")
register("model.bad_input_index", "there is no input {index} (the model has {count}).",
         "入力 {index} はありません（モデルには {count} 個あります）。")
register("model.last_input", "a model needs at least one input.",
         "モデルには少なくとも一つの入力が必要です。")
register("spec.inputs_conflict",
         "give the inputs either as `inputs` or as input_shape/input_dim/batch_shape, "
         "not both.",
         "入力は `inputs` か input_shape/input_dim/batch_shape のどちらか一方で指定します。")
register("spec.bad_inputs",
         "`inputs` must be a non-empty list of objects such as {{\"name\": \"image\", "
         "\"shape\": [32, 32, 3]}}, received {received}.",
         "`inputs` は {{\"name\": \"image\", \"shape\": [32, 32, 3]}} のようなオブジェクトの"
         "空でないリストでなければなりませんが、{received} を受け取りました。")
register("spec.unknown_input_key", "unknown input key `{key}`; expected {expected}.",
         "不明な入力のキー `{key}` です。{expected} のいずれかが必要です。")
register("spec.bad_outputs",
         "`outputs` must be a list of tensor names, received {received}.",
         "`outputs` はテンソル名のリストでなければなりませんが、{received} を受け取りました。")
register("model.bad_trainable", "expected True or False, received {received}.",
         "True か False が必要ですが、{received} を受け取りました。")
register("model.frozen",
         "model.trainable = False freezes every layer: these {count} parameters are "
         "non-trainable.",
         "model.trainable = False はすべてのレイヤーを固定します。この {count} 個の"
         "パラメータは学習しません。")
register("model.bad_layer",
         "expected a layer, a spec dict or a layer type name, received {received}.",
         "レイヤー、spec の dict、またはレイヤーの型名が必要ですが、{received} を受け取りました。")

DTYPES = ("float32", "int32", "int64", "int8", "int16", "uint8", "uint16", "uint32",
          "uint64", "float16", "bfloat16", "float64", "float8_e4m3fn", "float8_e5m2", "bool",
          "string", "complex64", "complex128")
"""Every dtype ``keras.Input`` accepts (Keras 3's ``ALLOWED_DTYPES``), the usual first."""
MAX_RANK = 64
"""The most axes an input may have (numpy 2 and JAX arrays hold at most 64)."""
LayerLike = Layer | dict[str, Any] | str


class ModelInput(NamedTuple):
    """A model input beyond the first (the first lives in the model's input traits)."""

    name: str | None
    shape: tuple[int | None, ...]
    batch_size: int | None = None
    dtype: str = "float32"


def parse_input_shape(value: Any) -> tuple[int | None, ...]:
    """Validate ``input_shape`` (no batch axis); an int gets the ``(3,)`` suggestion."""
    if is_int(value):
        raise ShapeError(Msg("input.int_not_tuple", {"value": value}),
                         fix=Msg("input.fix.comma", {"value": value}), argument="input_shape")
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = tuple(value)
        if all(d is None or (is_int(d) and d >= 0) for d in items):
            if len(items) > MAX_RANK:
                raise ShapeError(Msg("input.too_many_axes", {"limit": MAX_RANK,
                                                             "rank": len(items)}),
                                 argument="input_shape")
            check_size(items, "input_shape")
            return items
    raise ShapeError(Msg("input.bad_shape", {"received": describe(value)}),
                     argument="input_shape")


def parse_batch_size(value: Any) -> int | None:
    if value is None or (is_int(value) and value >= 1):
        check_size(value, "batch_size")
        return value  # type: ignore[no-any-return]
    raise ShapeError(Msg("input.bad_batch", {"received": describe(value)}),
                     argument="batch_size")


def parse_input_dim(value: Any) -> tuple[int]:
    if is_int(value) and value >= 1:
        check_size(value, "input_dim")
        return (value,)
    raise ShapeError(Msg("input.bad_dim", {"received": describe(value)}), argument="input_dim")


def resolve_input(input_shape: Any = None, input_dim: Any = None, batch_size: Any = None,
                  batch_shape: Any = None) -> tuple[tuple[int | None, ...], int | None]:
    """The Keras spellings of an input, reduced to (shape without batch, batch size)."""
    given = [v is not None for v in (input_shape, input_dim, batch_shape)]
    if sum(given) > 1:
        raise ShapeError(Msg("input.conflict"), argument="input_shape")
    if batch_shape is not None:
        if is_int(batch_shape) or not isinstance(batch_shape, Sequence) or not batch_shape:
            raise ShapeError(Msg("input.bad_shape", {"received": describe(batch_shape)}),
                             argument="batch_shape")
        items = tuple(batch_shape)
        return parse_input_shape(items[1:]), parse_batch_size(items[0])
    if input_dim is not None:
        shape: tuple[int | None, ...] = parse_input_dim(input_dim)
    else:
        shape = parse_input_shape(input_shape if input_shape is not None else ())
    return shape, parse_batch_size(batch_size)


def parse_dtype(value: Any) -> str:
    if isinstance(value, str) and value in DTYPES:
        return value
    raise ShapeError(Msg("input.bad_dtype", {"received": describe(value),
                                             "expected": ", ".join(DTYPES)}),
                     argument="input_dtype")


def check_name(name: Any, argument: str) -> None:
    """Refuse a model or input name Keras refuses (``"/"``), or no text can hold."""
    problem = name_problem(name)
    if problem is not None:
        raise ShapeError(problem, argument=argument)


def parse_input_entry(entry: Any) -> ModelInput:
    """One entry of a functional spec's ``inputs``: ``{"name", "shape", "batch_size",
    "batch_shape", "dtype"}`` (or a :class:`ModelInput`)."""
    if isinstance(entry, ModelInput):
        entry = entry._asdict()
    if not isinstance(entry, dict):
        raise ShapeError(Msg("spec.bad_inputs", {"received": describe(entry)}),
                         argument="inputs")
    from .spec import INPUT_KEYS

    for key in entry:
        if key not in INPUT_KEYS:
            raise ShapeError(Msg("spec.unknown_input_key", {
                "key": key, "expected": ", ".join(INPUT_KEYS)}), argument=f"inputs.{key}")
    name = entry.get("name")
    if name is not None and (not isinstance(name, str) or not name):
        raise ShapeError(Msg("model.bad_name", {"received": describe(name)}),
                         argument="inputs.name")
    if name is not None:
        check_name(name, "inputs.name")
    try:
        given_shape = entry.get("shape")
        if given_shape is None and entry.get("batch_shape") is None:
            given_shape = ()  # a scalar per sample
        shape, batch = resolve_input(given_shape, None, entry.get("batch_size"),
                                     entry.get("batch_shape"))
        dtype = parse_dtype(entry.get("dtype", "float32"))
    except ShapeError as err:
        key = "shape" if err.argument in ("input_shape", "input_dim") else err.argument
        raise ShapeError(err.problem, fix=err.fix, argument=f"inputs.{key}",
                         layer_name=name) from None
    return ModelInput(name, shape, batch, dtype)


def parse_inputs(value: Any) -> list[ModelInput]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ShapeError(Msg("spec.bad_inputs", {"received": describe(value)}),
                         argument="inputs")
    return [parse_input_entry(v) for v in value]


def parse_outputs(value: Any) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if isinstance(items, (list, tuple)) and all(isinstance(v, str) and v for v in items):
        return list(items)
    raise ShapeError(Msg("spec.bad_outputs", {"received": describe(value)}),
                     argument="outputs")


def make_layer(layer: LayerLike, index: int | None = None, **kwargs: Any) -> Layer:
    """A :class:`Layer` from a layer, a spec dict, or a type name plus arguments."""
    if isinstance(layer, Layer):
        return layer
    if isinstance(layer, dict):
        return spec_module.layer_from_spec(layer, index)
    if isinstance(layer, str):
        return spec_module.layer_from_spec({"type": layer, **kwargs}, index)
    raise ShapeError(Msg("model.bad_layer", {"received": describe(layer)}), layer_index=index)


def _frozen(summary: Summary) -> Summary:
    """``summary`` with every weight non-trainable (``model.trainable = False``: Keras
    sets it on every layer, wrapped ones included)."""
    rows = []
    for row in summary.rows:
        if row.weights and row.shares is None:
            weights = tuple(w._replace(trainable=False) for w in row.weights)
            row = row._replace(weights=weights, trainable_params=0,
                               non_trainable_params=row.params,
                               notes=(*row.notes, Msg("model.frozen",
                                                      {"count": f"{row.params:,}"})))
        rows.append(row)
    return dataclasses.replace(summary, rows=tuple(rows))


class Model(traitlets.HasTraits):
    """A Keras-style model: the input tensor's shape and an ordered list of layers.

    >>> m = Model(input_shape=(3,), layers=[{"type": "Dense", "units": 4}])
    >>> m.summary()[0].output_shape
    (None, 4)
    """

    input_shape = traitlets.Tuple(help="shape of one sample, batch axis left out")
    batch_size = traitlets.Int(None, allow_none=True, help="fixed batch size, or None")
    input_dtype = traitlets.Enum(DTYPES, default_value="float32")
    layers = traitlets.List(traitlets.Instance(Layer), help="the layers, in order")
    name = traitlets.Unicode("sequential")
    input_name = traitlets.Unicode(None, allow_none=True,
                                   help="the first input's name (None: Keras's automatic one)")
    extra_inputs = traitlets.List(traitlets.Instance(ModelInput),
                                  help="inputs after the first (functional models)")
    outputs = traitlets.List(traitlets.Unicode(),
                             help="output tensor names; empty: the tensors no layer uses")
    trainable = traitlets.Bool(True, help="False: every weight is non-trainable, as "
                               "model.trainable = False in Keras")

    def __init__(
        self,
        layers: Iterable[LayerLike] = (),
        *,
        input_shape: Any = None,
        input_dim: Any = None,
        batch_size: Any = None,
        batch_shape: Any = None,
        input_dtype: str = "float32",
        name: str = "sequential",
        inputs: Sequence[Any] | None = None,
        outputs: Sequence[str] | str | None = None,
        trainable: Any = True,
    ) -> None:
        if inputs is not None:
            if any(v is not None for v in (input_shape, input_dim, batch_size, batch_shape)):
                raise ShapeError(Msg("spec.inputs_conflict"), argument="inputs")
            parsed = parse_inputs(inputs)
            first, extra = parsed[0], parsed[1:]
            shape, batch, input_dtype, first_name = (first.shape, first.batch_size,
                                                     first.dtype, first.name)
        else:
            shape, batch = resolve_input(input_shape, input_dim, batch_size, batch_shape)
            input_dtype = parse_dtype(input_dtype)
            extra, first_name = [], None
        built = [make_layer(layer, i) for i, layer in enumerate(layers)]
        check_name(name, "name")
        if not isinstance(trainable, bool):
            raise ShapeError(Msg("model.bad_trainable", {"received": describe(trainable)}),
                             argument="trainable")
        super().__init__(input_shape=shape, batch_size=batch, input_dtype=input_dtype,
                         layers=built, name=name, input_name=first_name,
                         extra_inputs=list(extra), outputs=parse_outputs(outputs),
                         trainable=trainable)
        self._cache: Summary | None = None
        self.observe(self._invalidate, names=["input_shape", "batch_size", "input_dtype",
                                              "layers", "name", "input_name",
                                              "extra_inputs", "outputs", "trainable"])

    def _invalidate(self, change: Any = None) -> None:
        self._cache = None

    # --- input -------------------------------------------------------------------
    def set_input(self, shape: Any = None, *, batch_size: Any = ..., dtype: str | None = None,
                  input_dim: Any = None, batch_shape: Any = None, index: int = 0,
                  name: Any = ...) -> None:
        """Change input ``index`` (0: the first); arguments left out keep their value."""
        i = self._check_input_index(index)
        current = self.model_inputs[i]
        if shape is None and input_dim is None and batch_shape is None:
            new_shape = current.shape
            new_batch = current.batch_size if batch_size is ... else parse_batch_size(
                batch_size)
        else:
            new_shape, new_batch = resolve_input(shape, input_dim,
                                                 None if batch_size is ... else batch_size,
                                                 batch_shape)
            if batch_size is ... and batch_shape is None:
                new_batch = current.batch_size
        new_dtype = current.dtype if dtype is None else parse_dtype(dtype)
        new_name = current.name
        if name is not ...:
            new_name = parse_input_entry({"name": name}).name
        if i > 0:
            extra = list(self.extra_inputs)
            extra[i - 1] = ModelInput(new_name, new_shape, new_batch, new_dtype)
            with self.hold_trait_notifications():
                if new_name != current.name and None not in (current.name, new_name):
                    self._rename_references(str(current.name), str(new_name))
                self.extra_inputs = extra
            return
        with self.hold_trait_notifications():
            if new_name != current.name and None not in (current.name, new_name):
                self._rename_references(str(current.name), str(new_name))
            self.input_shape = new_shape
            self.batch_size = new_batch
            self.input_dtype = new_dtype
            self.input_name = new_name

    @property
    def model_inputs(self) -> list[ModelInput]:
        """Every input as given (names ``None`` where Keras names it automatically)."""
        first = ModelInput(self.input_name, tuple(self.input_shape), self.batch_size,
                           self.input_dtype)
        return [first, *self.extra_inputs]

    @property
    def input_names(self) -> list[str]:
        """Each input's name: the given one, or Keras's ``input_layer``, ``input_layer_1``…"""
        return auto_input_names([m.name for m in self.model_inputs])

    @property
    def inputs(self) -> list[InputTensor]:
        """Every input as a tensor: name, shape as Keras prints it, dtype."""
        return [InputTensor(n, (m.batch_size, *m.shape), m.dtype)
                for n, m in zip(self.input_names, self.model_inputs, strict=True)]

    def _check_input_index(self, index: int) -> int:
        count = 1 + len(self.extra_inputs)
        i = index + count if is_int(index) and index < 0 else index
        if not is_int(index) or not 0 <= i < count:
            raise ShapeError(Msg("model.bad_input_index", {"index": index, "count": count}),
                             argument="inputs")
        return i

    def add_input(self, shape: Any = None, *, name: str | None = None, batch_size: Any = None,
                  dtype: str = "float32", input_dim: Any = None,
                  batch_shape: Any = None) -> str:
        """Add a model input (a functional model); returns its name."""
        new_shape, batch = resolve_input(shape, input_dim, batch_size, batch_shape)
        entry = parse_input_entry({"name": name, "dtype": dtype})
        with self.hold_trait_notifications():
            self._freeze_names()
            names = set(self.input_names) | set(self.layer_names)
            given = entry.name
            if given is None:
                n = len(self.model_inputs)
                given = INPUT_LAYER_NAME if n == 0 else f"{INPUT_LAYER_NAME}_{n}"
                while given in names:
                    n += 1
                    given = f"{INPUT_LAYER_NAME}_{n}"
            self.extra_inputs = [*self.extra_inputs,
                                 ModelInput(given, new_shape, batch, entry.dtype)]
        return given

    def remove_input(self, index: int) -> ModelInput:
        """Remove input ``index``; layers called on it then report an unknown tensor."""
        i = self._check_input_index(index)
        if not self.extra_inputs:
            raise ShapeError(Msg("model.last_input"), argument="inputs")
        with self.hold_trait_notifications():
            self._freeze_names()
            old = self.model_inputs[i]
            if i == 0:
                first, *rest = self.extra_inputs
                self.input_shape, self.batch_size = first.shape, first.batch_size
                self.input_dtype, self.input_name = first.dtype, first.name
                self.extra_inputs = rest
            else:
                self.extra_inputs = [m for k, m in enumerate(self.extra_inputs) if k != i - 1]
            if old.name in self.outputs:
                self.outputs = [o for o in self.outputs if o != old.name]
        return old

    @property
    def batch_input_shape(self) -> Shape:
        """The input shape as Keras prints it, batch axis first: ``(None, 3)``."""
        return (self.batch_size, *self.input_shape)

    # --- layers ------------------------------------------------------------------
    def _check_index(self, index: int, *, allow_end: bool = False) -> int:
        count = len(self.layers)
        top = count if allow_end else count - 1
        i = index + count if index < 0 else index
        if not is_int(index) or not 0 <= i <= top:
            raise ShapeError(Msg("model.bad_index", {"index": index, "count": count}))
        return i

    def add(self, layer: LayerLike, **kwargs: Any) -> Layer:
        """Append a layer (a :class:`Layer`, a spec dict, or a type name and arguments)."""
        return self.insert(len(self.layers), layer, **kwargs)

    def insert(self, index: int, layer: LayerLike, **kwargs: Any) -> Layer:
        """Insert a layer; in a functional model it gets a fixed name at once, so the
        names other layers are connected by do not shift."""
        i = self._check_index(index, allow_end=True)
        new = make_layer(layer, i, **kwargs)
        if self.functional or new.inbound is not None or isinstance(new, SharedLayer):
            with self.hold_trait_notifications():
                self._freeze_names()
                if new.name is None:
                    new = new.renamed(self._fresh_name(new))
                self.layers = [*self.layers[:i], new, *self.layers[i:]]
            return new
        self.layers = [*self.layers[:i], new, *self.layers[i:]]
        return new

    def remove(self, index: int) -> Layer:
        i = self._check_index(index)
        old: Layer = self.layers[i]
        self.layers = [*self.layers[:i], *self.layers[i + 1:]]
        return old

    def move(self, index: int, new_index: int) -> None:
        i = self._check_index(index)
        j = self._check_index(new_index)
        layers = list(self.layers)
        layers.insert(j, layers.pop(i))
        self.layers = layers

    def replace(self, index: int, layer: LayerLike, **kwargs: Any) -> Layer:
        i = self._check_index(index)
        new = make_layer(layer, i, **kwargs)
        self.layers = [*self.layers[:i], new, *self.layers[i + 1:]]
        return new

    def set_arg(self, index: int, argument: str, value: Any) -> Layer:
        """Set one argument of layer ``index`` (validated; errors name layer and argument).

        ``name`` renames the layer (and the references to it in a functional model);
        ``inbound`` connects it to other tensors.
        """
        i = self._check_index(index)
        layer = self.layers[i]
        try:
            if argument == "inbound":
                from .spec import parse_inbound

                connected: Layer = self.replace(i, layer.connected(parse_inbound(value)))
                return connected
            new = layer.renamed(value) if argument == "name" else layer.with_args(
                **{argument: value})
        except ShapeError as err:
            raise err.located(layer_index=i, layer_name=self.layer_names[i]) from None
        if argument == "name" and self.functional:
            old_name = self.layer_names[i]
            with self.hold_trait_notifications():
                self._freeze_names()
                renamed: Layer = self.layers[i].renamed(value)
                self.replace(i, renamed)
                # value None: the layer takes its automatic name, and so do references
                self._rename_references(old_name, self.layer_names[i])
            return renamed
        return self.replace(i, new)

    def connect(self, index: int, inbound: Sequence[str] | str | None) -> Layer:
        """Call layer ``index`` on other tensors (names of inputs or layers; ``None``:
        the previous layer's output)."""
        with self.hold_trait_notifications():
            if inbound is not None:
                self._freeze_names()
            return self.set_arg(index, "inbound", inbound)

    def share(self, target: str, inbound: Sequence[str] | str, *, name: str | None = None,
              index: int | None = None) -> Layer:
        """Call the layer named ``target`` again on ``inbound`` (a shared layer)."""
        from .spec import parse_inbound

        layer = SharedLayer(target, name=name, inbound=parse_inbound(inbound))
        return self.insert(len(self.layers) if index is None else index, layer)

    def set_outputs(self, names: Sequence[str] | str | None) -> None:
        """Mark the model's outputs (empty or ``None``: the tensors no layer uses)."""
        outputs = parse_outputs(names)
        with self.hold_trait_notifications():
            if outputs:
                self._freeze_names()
            self.outputs = outputs

    @property
    def functional(self) -> bool:
        """True when the model is a graph: named or several inputs, layers connected
        by ``inbound``, shared layers or explicit outputs."""
        return bool(self.extra_inputs or self.input_name is not None or self.outputs
                    or any(layer.inbound is not None or isinstance(layer, SharedLayer)
                           for layer in self.layers))

    def _freeze_names(self) -> None:
        """Give every layer and input its current (possibly automatic) name for good, so
        that inserting or removing layers cannot shift the names tensors are called by."""
        names = self.layer_names
        if any(layer.name is None for layer in self.layers):
            self.layers = [layer if layer.name is not None else layer.renamed(n)
                           for layer, n in zip(self.layers, names, strict=True)]
        if self.input_name is None:
            self.input_name = self.input_names[0]
        if any(m.name is None for m in self.extra_inputs):
            self.extra_inputs = [m._replace(name=n) for m, n in
                                 zip(self.extra_inputs, self.input_names[1:], strict=True)]

    def _fresh_name(self, layer: Layer) -> str:
        """The first of Keras's automatic names for ``layer`` that no tensor has yet."""
        taken = {*self.layer_names, *self.input_names}
        if isinstance(layer, SharedLayer):
            candidates = (layer.auto_name(n) for n in range(1, len(taken) + 2))
        else:
            prefix = layer.auto_name_prefix()
            candidates = (numbered(prefix, n) for n in range(len(taken) + 1))
        return next(c for c in candidates if c not in taken)

    def _rename_references(self, old: str, new: str) -> None:
        """Point inbound lists, shared layers and outputs at a renamed tensor."""
        def fix(layer: Layer) -> Layer:
            if isinstance(layer, SharedLayer) and layer.shares == old:
                layer = layer.sharing(new)
            if layer.inbound is not None and old in layer.inbound:
                layer = layer.connected(tuple(new if t == old else t for t in layer.inbound))
            return layer

        self.layers = [fix(layer) for layer in self.layers]
        self.outputs = [new if o == old else o for o in self.outputs]

    def clear(self) -> None:
        self.layers = []

    @property
    def layer_names(self) -> list[str]:
        """Each layer's name: the given one, or Keras's automatic one."""
        return auto_names(self.layers)

    def layer_index(self, name: str) -> int:
        return self.layer_names.index(name)

    # --- shapes ------------------------------------------------------------------
    def analyze(self) -> Summary:
        """Rows for every layer up to the first one Keras would reject (see ``.error``)."""
        if self._cache is not None:
            return self._cache
        functional = self.functional
        name = "functional" if functional and self.name == "sequential" else self.name
        result = compute_summary(self.layers, self.layer_names, self.batch_input_shape,
                                 self.input_dtype, name, self.inputs, self.outputs, functional)
        if not self.trainable:
            result = _frozen(result)
        self._cache = result
        return result

    def summary(self) -> Summary:
        """All rows and totals; raises :class:`ShapeError` at the first bad layer."""
        result = self.analyze()
        if result.error is not None:
            raise result.error
        return result

    @property
    def output_shape(self) -> Shape:
        return self.summary().output_shape

    def explain(self, index: int, lang: str = "en") -> str:
        """The plain-language derivation of layer ``index``'s shapes and counts."""
        row = self.summary()[self._check_index(index)]
        return row.explain("ja" if lang == "ja" else "en")

    # --- spec and code -----------------------------------------------------------
    @classmethod
    def from_spec(cls, spec: Any) -> Model:
        """A model from its JSON spec (see the README for the format)."""
        if not isinstance(spec, dict):
            raise ShapeError(Msg("spec.not_object", {"received": describe(spec)}))
        for key in spec:
            if key not in spec_module.MODEL_KEYS:
                raise ShapeError(Msg("spec.unknown_key", {
                    "key": key, "expected": ", ".join(spec_module.MODEL_KEYS)}), argument=key)
        layers = spec.get("layers", [])
        if not isinstance(layers, list):
            raise ShapeError(Msg("spec.layers_not_list", {"received": describe(layers)}),
                             argument="layers")
        built = [spec_module.layer_from_spec(s, i) for i, s in enumerate(layers)]
        trainable = spec.get("trainable", True)
        if "inputs" in spec:
            if any(k in spec for k in ("input_shape", "input_dim", "batch_size", "batch_shape",
                                       "input_dtype")):
                raise ShapeError(Msg("spec.inputs_conflict"), argument="inputs")
            return cls(built, inputs=spec["inputs"], outputs=spec.get("outputs"),
                       name=spec.get("name", "sequential"), trainable=trainable)
        return cls(built, input_shape=spec.get("input_shape"), input_dim=spec.get("input_dim"),
                   batch_size=spec.get("batch_size"), batch_shape=spec.get("batch_shape"),
                   input_dtype=spec.get("input_dtype", "float32"),
                   name=spec.get("name", "sequential"), outputs=spec.get("outputs"),
                   trainable=trainable)

    def to_spec(self) -> dict[str, Any]:
        """The JSON spec; ``Model.from_spec(m.to_spec())`` is the same model."""
        layers = [spec_module.layer_to_spec(layer) for layer in self.layers]
        if self.functional:
            inputs = []
            for m in self.model_inputs:
                entry: dict[str, Any] = {} if m.name is None else {"name": m.name}
                entry.update(shape=list(m.shape), batch_size=m.batch_size)
                if m.dtype != "float32":
                    entry["dtype"] = m.dtype
                inputs.append(entry)
            out: dict[str, Any] = {"inputs": inputs, "layers": layers}
            if self.outputs:
                out["outputs"] = list(self.outputs)
        else:
            out = {
                "input_shape": list(self.input_shape),
                "batch_size": self.batch_size,
                "input_dtype": self.input_dtype,
                "layers": layers,
            }
        if self.name != "sequential":
            out["name"] = self.name
        if not self.trainable:
            out["trainable"] = False
        return out

    def copy(self) -> Model:
        return Model.from_spec(self.to_spec())

    def to_keras_code(self, style: str = "sequential") -> str:
        """Runnable Keras 3 source for this model: ``sequential``, ``functional`` or
        ``legacy`` style."""
        from .codegen import to_keras_code

        code: str = to_keras_code(self, style)
        return code

    @classmethod
    def from_keras_code(cls, source: str) -> Model:
        """Read pasted Keras code with :mod:`ast`; nothing is executed."""
        from .codeparse import from_keras_code

        model: Model = from_keras_code(source)
        return model

    @classmethod
    def from_keras(cls, keras_model: Any) -> Model:
        """The same model from a live Keras model object (needs keras installed)."""
        from .keras_import import from_keras

        model: Model = from_keras(keras_model)
        return model

    # --- display -----------------------------------------------------------------
    def __str__(self) -> str:
        return self.analyze().to_text()

    def __repr__(self) -> str:
        frozen = "" if self.trainable else ", trainable=False"
        return (f"Model(input_shape={self.input_shape!r}, batch_size={self.batch_size!r}, "
                f"layers={self.layers!r}{frozen})")

    def draw(self, ax: Any = None, **options: Any) -> Any:
        """The network drawing as a matplotlib Figure (drawn on ``ax`` if given).

        Options: ``theme`` (light, dark, projector), ``show_bias``, ``show_weight_shapes``,
        ``highlight`` (index or name), ``lang`` (en, ja). See :mod:`shapewidget.render`.
        """
        from .render import draw

        return draw(self.analyze(), ax, **options)

    def save_figure(self, path: Any, dpi: float = 150, theme: str = "light",
                    **options: Any) -> None:
        """Write the drawing to ``path``: PNG, SVG or PDF by the extension."""
        from .render.export import save_figure

        save_figure(self.analyze(), path, dpi=dpi, theme=theme, **options)

    def to_html(self, lang: str = "en", **options: Any) -> str:
        """The shape table as HTML (follows JupyterLab's light and dark themes)."""
        from .render import to_html

        return to_html(self.analyze(), "ja" if lang == "ja" else "en", **options)

    def notes(self, lang: str = "en") -> list[str]:
        """Model-level notes for learners: the input is not a layer, the batch axis,
        ``input_dim``, and how many values a shape holds."""
        from .render.notes import model_notes

        return model_notes(self.analyze(), "ja" if lang == "ja" else "en")

    def _repr_html_(self) -> str:
        from .render.export import repr_html

        return repr_html(self.analyze())

    def _repr_png_(self) -> bytes:
        from .render.export import figure_bytes

        return figure_bytes(self.analyze(), "png")

    def _repr_svg_(self) -> str:
        from .render.export import display_bundle

        svg: str = display_bundle(self.analyze(), include={"image/svg+xml"})["image/svg+xml"]
        return svg

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """HTML, SVG and PNG from one drawing (Jupyter asks for all of them at once)."""
        from .render.export import display_bundle

        bundle = display_bundle(self.analyze(), include=include, exclude=exclude)
        if not (include and "text/plain" not in include) and not (
                exclude and "text/plain" in exclude):
            bundle["text/plain"] = repr(self)
        return bundle

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Model) and other.to_spec() == self.to_spec()

    __hash__ = None  # type: ignore[assignment]


__all__ = ["LAYER_TYPES", "Model", "ModelInput", "auto_names", "compute_summary"]
