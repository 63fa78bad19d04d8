"""The ``dtype=`` argument every Keras layer takes: a dtype policy.

Keras facts mirrored here (checked against Keras 3.15, ``keras.dtype_policies.get``): a
policy is the name of a dtype (``"float16"``, ``"int32"``, ``"int"``, …) or one of the
mixed policies ``"mixed_float16"`` and ``"mixed_bfloat16"`` (computations in 16 bits,
weights in float32), or its config dict. None of them changes a shape or a weight. A name
that starts with a quantization mode (``int8``, ``int4``, ``float8``, ``gptq``, ``awq``)
is read as a quantized policy ``<mode>_from_<policy>`` — so ``"int8"`` and
``"float8_e4m3fn"`` alone are refused. A quantized policy makes Keras create other weights
(an int8 kernel and its scale, …) where the layer supports quantization; shapewidget does
not model those and refuses the policy by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ShapeError
from ..params import ChoiceParam, describe, to_code
from ..text import Msg, register

register("param.expected.dtype",
         "a dtype policy: a dtype name such as \"float32\" or \"float16\", or "
         "\"mixed_float16\" / \"mixed_bfloat16\"",
         "dtype ポリシー: \"float32\" や \"float16\" のような dtype 名、または "
         "\"mixed_float16\" / \"mixed_bfloat16\"")
register("dtype.quantized",
         "dtype={policy} is a quantized policy: Keras then creates quantized weights (such "
         "as an int8 kernel with a kernel_scale), which shapewidget does not model.",
         "dtype={policy} は量子化のポリシーです。Keras はそのとき量子化した重み（int8 の "
         "kernel と kernel_scale など）を作りますが、shapewidget はそれを扱いません。")
register("dtype.fix.quantized",
         "build the model with the policy after \"_from_\" ({source}) and quantize it later "
         "with model.quantize(\"{mode}\").",
         "\"_from_\" の後のポリシー（{source}）でモデルを作り、後で "
         "model.quantize(\"{mode}\") で量子化します。")
register("dtype.fix.quantized_form",
         "a name starting with {mode} is read as a quantized policy \"{mode}_from_float32\"; "
         "for plain weights use \"float32\", \"float16\" or \"bfloat16\".",
         "{mode} で始まる名前は量子化のポリシー \"{mode}_from_float32\" として読まれます。"
         "普通の重みには \"float32\"、\"float16\"、\"bfloat16\" を使います。")

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")
"""Keras's ``dtype_policies.QUANTIZATION_MODES``: prefixes of the quantized policies."""

PLAIN_DTYPES = ("float32", "float16", "bfloat16", "float64", "uint8", "uint16", "uint32",
                "uint64", "int16", "int32", "int64", "bool", "string", "complex64",
                "complex128", "int")
"""Keras's allowed dtype names that are not read as quantization modes (``"int"`` is
int32 on JAX)."""

MIXED = ("mixed_float16", "mixed_bfloat16")

_POLICY_CLASSES = ("DTypePolicy", "FloatDTypePolicy")


@dataclass(frozen=True)
class DTypeParam(ChoiceParam):
    """``dtype``: a plain or mixed dtype policy, kept as its name; a policy's config
    dict (as ``get_config`` gives it) is read as its name."""

    affects_shape: bool = False

    def expected(self) -> Msg:
        return Msg("param.expected.dtype")

    def validate(self, value: Any) -> Any:
        if (isinstance(value, dict) and value.get("class_name") in _POLICY_CLASSES
                and isinstance(value.get("config"), dict)):
            value = value["config"].get("name")
        if value is None or value in PLAIN_DTYPES or value in MIXED:
            return value
        if isinstance(value, str) and value.startswith(QUANTIZATION_MODES):
            mode, sep, source = value.partition("_from_")
            if sep and (source in PLAIN_DTYPES or source in MIXED):
                raise ShapeError(Msg("dtype.quantized", {"policy": to_code(value)}),
                                 fix=Msg("dtype.fix.quantized", {"source": to_code(source),
                                                                 "mode": mode}),
                                 argument=self.name)
            prefix = next(m for m in QUANTIZATION_MODES if value.startswith(m))
            raise ShapeError(Msg("param.received", {"expected": self.expected(),
                                                    "received": describe(value)}),
                             fix=Msg("dtype.fix.quantized_form", {"mode": prefix}),
                             argument=self.name)
        return super().validate(value)


DTYPE = DTypeParam("dtype", None, "the dtype policy of the layer's computations and "
                   "weights (None: float32); does not change any shape",
                   choices=(None, *PLAIN_DTYPES[:4], *MIXED, *PLAIN_DTYPES[4:]))
"""The ``dtype`` argument, declared once for every layer type (see ``base.Layer``)."""
