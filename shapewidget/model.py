"""The model: an input tensor and an ordered list of layers, as a traitlets object.

No ipywidgets, no matplotlib: usable in a plain script. Views observe its traits
(``layers``, ``input_shape``, ``batch_size``, ``input_dtype``) and read
:meth:`Model.analyze` for summary rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import traitlets

from . import spec as spec_module
from .errors import ShapeError
from .layers import LAYER_TYPES, Layer
from .params import describe, is_int
from .shapes import Shape
from .summary import Summary, SummaryRow
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
register("input.bad_dtype", "expected \"float32\" or \"int32\", received {received}.",
         "\"float32\" か \"int32\" が必要ですが、{received} を受け取りました。")
register("input.bad_dim", "expected a positive integer (the size of a 1-D input), "
         "received {received}.",
         "正の整数（1 次元の入力のサイズ）が必要ですが、{received} を受け取りました。")
register("input.conflict", "give only one of input_shape, input_dim and batch_shape.",
         "input_shape、input_dim、batch_shape のうち一つだけを指定してください。")
register("model.duplicate_name",
         "the name '{name}' is already used by layer {first}; every layer needs a unique "
         "name.",
         "名前 '{name}' はレイヤー {first} がすでに使っています。レイヤー名は一意でなければなりません。")
register("model.input_name",
         "the name '{name}' is the one Keras gives the model's input (its InputLayer); "
         "every layer needs a unique name.",
         "名前 '{name}' は Keras がモデルの入力（InputLayer）に付ける名前です。"
         "レイヤー名は一意でなければなりません。")
register("model.bad_name",
         "expected a name as a string without \"/\" (Keras refuses \"/\" in names), "
         "received {received}.",
         "\"/\" を含まない文字列の名前が必要です（Keras は名前の \"/\" を受け付けません）が、"
         "{received} を受け取りました。")
register("model.fix.rename", "rename one of them, or leave the name out for an automatic one.",
         "どちらかの名前を変えるか、名前を省略して自動の名前にします。")
register("model.bad_index", "there is no layer {index} (the model has {count}).",
         "レイヤー {index} はありません（モデルには {count} 個あります）。")
register("model.bad_layer",
         "expected a layer, a spec dict or a layer type name, received {received}.",
         "レイヤー、spec の dict、またはレイヤーの型名が必要ですが、{received} を受け取りました。")

DTYPES = ("float32", "int32")
INPUT_LAYER_NAME = "input_layer"
"""Keras's automatic name of a Sequential model's InputLayer: no layer may take it."""
LayerLike = Layer | dict[str, Any] | str


def parse_input_shape(value: Any) -> tuple[int | None, ...]:
    """Validate ``input_shape`` (no batch axis); an int gets the ``(3,)`` suggestion."""
    if is_int(value):
        raise ShapeError(Msg("input.int_not_tuple", {"value": value}),
                         fix=Msg("input.fix.comma", {"value": value}), argument="input_shape")
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = tuple(value)
        if all(d is None or (is_int(d) and d >= 0) for d in items):
            return items
    raise ShapeError(Msg("input.bad_shape", {"received": describe(value)}),
                     argument="input_shape")


def parse_batch_size(value: Any) -> int | None:
    if value is None or (is_int(value) and value >= 1):
        return value  # type: ignore[no-any-return]
    raise ShapeError(Msg("input.bad_batch", {"received": describe(value)}),
                     argument="batch_size")


def parse_input_dim(value: Any) -> tuple[int]:
    if is_int(value) and value >= 1:
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
    if value in DTYPES:
        return value  # type: ignore[no-any-return]
    raise ShapeError(Msg("input.bad_dtype", {"received": describe(value)}),
                     argument="input_dtype")


def make_layer(layer: LayerLike, index: int | None = None, **kwargs: Any) -> Layer:
    """A :class:`Layer` from a layer, a spec dict, or a type name plus arguments."""
    if isinstance(layer, Layer):
        return layer
    if isinstance(layer, dict):
        return spec_module.layer_from_spec(layer, index)
    if isinstance(layer, str):
        return spec_module.layer_from_spec({"type": layer, **kwargs}, index)
    raise ShapeError(Msg("model.bad_layer", {"received": describe(layer)}), layer_index=index)


def auto_names(layers: Iterable[Layer]) -> list[str]:
    """Keras-style names: ``dense``, ``dense_1``, …; wrapped layers count as Keras counts."""
    counters: dict[str, int] = {}

    def name_of(layer: Layer) -> str:
        for inner in layer.inner_layers():
            name_of(inner)
        if layer.name is not None:
            return layer.name
        prefix = layer.auto_name_prefix()
        n = counters.get(prefix, 0)
        counters[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    return [name_of(layer) for layer in layers]


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
    ) -> None:
        shape, batch = resolve_input(input_shape, input_dim, batch_size, batch_shape)
        built = [make_layer(layer, i) for i, layer in enumerate(layers)]
        input_dtype = parse_dtype(input_dtype)
        if not isinstance(name, str) or "/" in name:
            raise ShapeError(Msg("model.bad_name", {"received": describe(name)}),
                             argument="name")
        super().__init__(input_shape=shape, batch_size=batch, input_dtype=input_dtype,
                         layers=built, name=name)
        self._cache: Summary | None = None
        self.observe(self._invalidate, names=["input_shape", "batch_size", "input_dtype",
                                              "layers", "name"])

    def _invalidate(self, change: Any = None) -> None:
        self._cache = None

    # --- input -------------------------------------------------------------------
    def set_input(self, shape: Any = None, *, batch_size: Any = ..., dtype: str | None = None,
                  input_dim: Any = None, batch_shape: Any = None) -> None:
        """Change the input; arguments left out keep their value. One notification each."""
        if shape is None and input_dim is None and batch_shape is None:
            new_shape = self.input_shape
            new_batch = self.batch_size if batch_size is ... else parse_batch_size(batch_size)
        else:
            new_shape, new_batch = resolve_input(shape, input_dim,
                                                 None if batch_size is ... else batch_size,
                                                 batch_shape)
            if batch_size is ... and batch_shape is None:
                new_batch = self.batch_size
        if dtype is not None:
            dtype = parse_dtype(dtype)
        with self.hold_trait_notifications():
            self.input_shape = new_shape
            self.batch_size = new_batch
            if dtype is not None:
                self.input_dtype = dtype

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
        i = self._check_index(index, allow_end=True)
        new = make_layer(layer, i, **kwargs)
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
        """Set one argument of layer ``index`` (validated; errors name layer and argument)."""
        i = self._check_index(index)
        layer = self.layers[i]
        try:
            new = layer.renamed(value) if argument == "name" else layer.with_args(
                **{argument: value})
        except ShapeError as err:
            raise err.located(layer_index=i, layer_name=self.layer_names[i]) from None
        return self.replace(i, new)

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
        result = compute_summary(self.layers, self.layer_names, self.batch_input_shape,
                                 self.input_dtype, self.name)
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
        return cls(built, input_shape=spec.get("input_shape"), input_dim=spec.get("input_dim"),
                   batch_size=spec.get("batch_size"), batch_shape=spec.get("batch_shape"),
                   input_dtype=spec.get("input_dtype", "float32"),
                   name=spec.get("name", "sequential"))

    def to_spec(self) -> dict[str, Any]:
        """The JSON spec; ``Model.from_spec(m.to_spec())`` is the same model."""
        out: dict[str, Any] = {
            "input_shape": list(self.input_shape),
            "batch_size": self.batch_size,
            "input_dtype": self.input_dtype,
            "layers": [spec_module.layer_to_spec(layer) for layer in self.layers],
        }
        if self.name != "sequential":
            out["name"] = self.name
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
        return (f"Model(input_shape={self.input_shape!r}, batch_size={self.batch_size!r}, "
                f"layers={self.layers!r})")

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
        from .render.export import figure_bytes

        return figure_bytes(self.analyze(), "svg").decode("utf-8")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Model) and other.to_spec() == self.to_spec()

    __hash__ = None  # type: ignore[assignment]


def compute_summary(layers: Sequence[Layer], names: Sequence[str], input_shape: Shape,
                    input_dtype: str = "float32", model_name: str = "sequential") -> Summary:
    """Walk the layers from the input; stop at the first one Keras would reject."""
    rows: list[SummaryRow] = []
    shape = input_shape
    seen: dict[str, int] = {}
    error: ShapeError | None = None
    for i, (layer, name) in enumerate(zip(layers, names, strict=True)):
        if "/" in name:  # Keras refuses it when the layer is made
            error = ShapeError(Msg("model.bad_name", {"received": describe(name)}),
                               argument="name", layer_index=i, layer_name=name,
                               layer_type=layer.type_name())
            break
        if name in seen or name == INPUT_LAYER_NAME:
            problem = (Msg("model.input_name", {"name": name}) if name == INPUT_LAYER_NAME
                       else Msg("model.duplicate_name", {"name": name, "first": seen[name]}))
            error = ShapeError(problem, fix=Msg("model.fix.rename"), argument="name",
                               layer_index=i, layer_name=name, layer_type=layer.type_name())
            break
        seen[name] = i
        try:
            out = layer.evaluate(shape)
        except ShapeError as err:
            error = err.located(layer_index=i, layer_name=name, layer_type=layer.type_name())
            break
        trainable = 0
        frozen = 0
        for w in out.weights:
            # Keras: a layer with trainable=False lists no trainable weights, even when a
            # wrapper's variables keep trainable=True (see layers/wrappers.py).
            if w.trainable and layer.trainable:
                trainable += w.size
            else:
                frozen += w.size
        rows.append(SummaryRow(i, name, layer.type_name(), shape, out.output_shape,
                               out.weights, trainable, frozen, out.notes, layer.args))
        shape = out.output_shape
    return Summary(input_shape, input_dtype, tuple(rows), error, model_name)


__all__ = ["LAYER_TYPES", "Model", "compute_summary"]
