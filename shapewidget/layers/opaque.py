"""A custom layer — shapes from Keras: a layer shapewidget does not declare, imported
from a live Keras model with the shapes and weights Keras gave it.

:func:`~shapewidget.keras_import.from_keras` makes one for a layer type the catalogue
does not declare (a custom ``Layer`` subclass such as InceptionResNetV2's
``CustomScaleLayer``), for a ``keras.ops`` call on tensors (``x + 3.0``), for a layer
called with more than its input tensors, and for a declared type whose configuration the
catalogue cannot represent. Its arguments are what Keras reported: for every call, the
input shapes and the output shape (``keras_shapes``), and its weights (``keras_weights``:
name, shape, trainable). It is honest about what it knows: given any other input shape
(the input changed in the widget) it refuses, naming the shapes it knows, since only
Keras can say what the layer does then.

Each Keras class name gets its own subclass (:func:`opaque_type`), so the summary lists
the layer under Keras's class name and automatic names follow Keras
(``custom_scale_layer``). These classes are not in the catalogue: a person cannot add one
in the widget or in pasted code, only import one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import JsonParam
from ..shapes import Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject

register("opaque.label", "custom layer — shapes from Keras",
         "カスタムレイヤー — 形は Keras から")
register("opaque.note",
         "{type} is a custom layer — shapes from Keras: shapewidget does not compute this "
         "layer; its output shape {output} and its weights are what Keras gave for the "
         "input {input} when the model was imported.",
         "{type} はカスタムレイヤーです — 形は Keras から: shapewidget はこのレイヤーを計算"
         "しません。出力の形 {output} と重みは、モデルを読み込んだときに Keras が入力 "
         "{input} に対して与えたものです。")
register("opaque.why.custom",
         "Keras class {type} is not one shapewidget declares.",
         "Keras のクラス {type} は shapewidget が宣言していないものです。")
register("opaque.why.operation",
         "{type} is a keras.ops operation applied to tensors (e.g. x + 3.0), not a layer.",
         "{type} はテンソルに適用された keras.ops の演算（x + 3.0 など）で、レイヤーでは"
         "ありません。")
register("opaque.why.call",
         "the layer is called with more than its input tensors ({received}).",
         "このレイヤーは入力テンソル以外の引数（{received}）付きで呼び出されています。")
register("opaque.why.config",
         "shapewidget's {type} cannot represent this layer's configuration ({received}).",
         "shapewidget の {type} ではこのレイヤーの設定（{received}）を表せません。")
register("opaque.why.output",
         "output {index} of the layer '{source}' (Keras returns several tensors).",
         "レイヤー '{source}' の {index} 番目の出力（Keras が複数のテンソルを返します）。")
register("opaque.unknown_input",
         "{type} is a custom layer — shapes from Keras, known only for input {expected}; "
         "received {received}.",
         "{type} はカスタムレイヤー（形は Keras から）で、形がわかるのは入力 {expected} "
         "のときだけですが、{received} を受け取りました。")
register("opaque.no_code",
         "a custom layer — shapes from Keras has no Keras code shapewidget can write: it "
         "was imported from a live Keras model, whose code defines the layer.",
         "カスタムレイヤー（形は Keras から）には、shapewidget が書ける Keras のコードがあり"
         "ません。このレイヤーは Keras のモデルから読み込んだもので、その定義はモデルのコードに"
         "あります。")
register("opaque.fix.no_code",
         "keep the code that built the Keras model (with its custom layer class), or "
         "replace the layer with one shapewidget declares.",
         "Keras のモデルを作ったコード（カスタムレイヤーのクラスを含む）を使うか、このレイヤー"
         "を shapewidget が宣言しているものに置き換えます。")
register("opaque.fix.reimport",
         "change the input back to {expected}, or change it in Keras and re-import the "
         "model (Model.from_keras).",
         "入力を {expected} に戻すか、Keras 側で入力を変えてモデルを読み込み直します"
         "（Model.from_keras）。")

_TYPE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHY = ("custom", "operation", "call", "config", "output")


def _shape(value: Any) -> Shape:
    return tuple(value)


@dataclass(frozen=True)
class KerasRecordParam(JsonParam):
    """What Keras reported about the layer: carried, never written as code."""

    def to_code(self, value: Any) -> str:
        raise ShapeError(Msg("opaque.no_code"), fix=Msg("opaque.fix.no_code"),
                         argument=self.name)


class OpaqueLayer(Layer):
    """A layer whose shapes and weights were read from a live Keras object."""

    family = "custom"
    help = "custom layer — shapes from Keras (imported from a live Keras model)"
    params = (
        KerasRecordParam("keras_shapes", (), "every call Keras made: its input shapes and "
                         "output shape"),
        KerasRecordParam("keras_weights", (), "the weights Keras created: name, shape, "
                         "trainable"),
        KerasRecordParam("keras_why", None, "why the layer is not computed by shapewidget"),
    )
    keras_class: ClassVar[str] = "OpaqueLayer"
    takes_list = True

    @classmethod
    def type_name(cls) -> str:
        return cls.keras_class

    def known_calls(self) -> list[tuple[tuple[Shape, ...], Shape]]:
        """(input shapes, output shape) of every call Keras made."""
        calls = []
        for call in self.value("keras_shapes"):
            inputs = tuple(_shape(s) for s in call["inputs"])
            calls.append((inputs, _shape(call["output"])))
        return calls

    def weights(self) -> tuple[Weight, ...]:
        return tuple(Weight(str(name), tuple(shape), bool(trainable))
                     for name, shape, trainable in self.value("keras_weights"))

    def why(self) -> Msg | None:
        """Why shapewidget does not compute this layer (``None`` if not recorded)."""
        why = self.value("keras_why")
        if not isinstance(why, dict) or why.get("key") not in _WHY:
            return None
        values = {k: v for k, v in why.items() if k != "key"}
        return Msg(f"opaque.why.{why['key']}", {"type": self.type_name(), **values})

    def compute(self, input_shape: Shape) -> Computed:
        return self.compute_list((input_shape,))

    def compute_list(self, input_shapes: tuple[Shape, ...]) -> Computed:
        calls = self.known_calls()
        wanted = tuple(tuple(s) for s in input_shapes)
        for inputs, output in calls:
            if inputs == wanted:
                note = Msg("opaque.note", {
                    "type": self.type_name(), "output": format_shape(output),
                    "input": ", ".join(format_shape(s) for s in inputs)})
                why = self.why()
                return Computed(output, self.weights(), (note,) if why is None
                                else (note, why))
        expected = " or ".join(", ".join(format_shape(s) for s in inputs)
                               for inputs, _ in calls) or "()"
        received = ", ".join(format_shape(s) for s in wanted)
        raise reject("opaque.unknown_input", type=self.type_name(), expected=expected,
                     received=received, fix=Msg("opaque.fix.reimport",
                                                {"expected": expected}))


_TYPES: dict[str, type[OpaqueLayer]] = {}


def opaque_type(keras_class: str) -> type[OpaqueLayer]:
    """The opaque layer class listed as ``keras_class`` (made once per name)."""
    found = _TYPES.get(keras_class)
    if found is not None:
        return found
    if not _TYPE_NAME.match(keras_class):
        keras_class = re.sub(r"\W", "_", keras_class).lstrip("0123456789") or "Custom"
        return opaque_type(keras_class)
    cls = type(keras_class, (OpaqueLayer,), {"keras_class": keras_class, "__slots__": (),
                                             "__module__": __name__})
    _TYPES[keras_class] = cls
    return cls


def is_opaque(layer_or_class: Any) -> bool:
    """True for an opaque layer (or class): a custom layer — shapes from Keras."""
    cls = layer_or_class if isinstance(layer_or_class, type) else type(layer_or_class)
    return issubclass(cls, OpaqueLayer)


LAYERS: tuple[type[Layer], ...] = ()
"""Nothing for the catalogue: opaque layers come only from :func:`from_keras`."""
