"""ReversibleEmbedding: an Embedding whose table can also be used backwards (vectors →
scores over the vocabulary), as language models tie their input and output embeddings.

Keras facts mirrored here (checked against Keras 3.15): called forwards (as every
Sequential or functional call in a spec is) it is an Embedding: ``input + (output_dim,)``;
``tie_weights=False`` adds a ``reverse_embeddings`` table ``(output_dim, input_dim)`` after
the Embedding's own weights (and its LoRA matrices); the other arguments are Embedding's,
``lora_rank`` and the rest taken as keywords.
"""

from __future__ import annotations

from typing import ClassVar

from ..errors import ShapeError
from ..params import BoolParam, JsonParam, NumberParam
from ..shapes import Shape
from ..text import Msg, register
from .base import Computed, Layer, Weight, reject
from .embedding import Embedding

register("reversible_embedding.reverse",
         "tie_weights=False: a separate reverse_embeddings table ({output_dim}, "
         "{input_dim}) = {total} parameters turns vectors back into scores over the "
         "{input_dim} tokens (call with reverse=True).",
         "tie_weights=False: 別の reverse_embeddings 表 ({output_dim}, {input_dim}) = "
         "パラメータ {total} 個が、ベクトルを {input_dim} 個のトークンのスコアに戻します"
         "（reverse=True で呼び出し）。")
register("reversible_embedding.tied",
         "tie_weights=True: called with reverse=True, the same table (transposed) turns "
         "vectors back into scores over the {input_dim} tokens; no extra weights.",
         "tie_weights=True: reverse=True で呼ぶと、同じ表（転置）がベクトルを {input_dim} 個の"
         "トークンのスコアに戻します。追加の重みはありません。")

register("reversible_embedding.lora_untied",
         "Keras cannot build lora_rank together with tie_weights=False: LoRA locks the "
         "layer's weights before the reverse_embeddings table is added.",
         "Keras は lora_rank と tie_weights=False を同時には構築できません。LoRA が "
         "reverse_embeddings の表を加える前にレイヤーの重みを固定してしまいます。")
register("reversible_embedding.fix.lora_untied",
         "use tie_weights=True with lora_rank, or leave lora_rank out.",
         "lora_rank には tie_weights=True を使うか、lora_rank を外します。")

_BASE = {p.name: p for p in Embedding.params}


class ReversibleEmbedding(Layer):
    """An Embedding that can also map vectors back to vocabulary scores."""

    family = "embedding"
    drawing: ClassVar[dict[str, str]] = dict(Embedding.drawing)
    kernel_weight = "embeddings"  # what SpectralNormalization normalizes

    help = ("an Embedding whose table also maps vectors back to vocabulary scores "
            "(tie_weights=False: a second table)")
    keyword_only: ClassVar[tuple[str, ...]] = ("weights", "lora_rank", "lora_alpha", "quantization_config",
                    "input_length")
    params = (
        _BASE["input_dim"], _BASE["output_dim"],
        BoolParam("tie_weights", True, "use the same table backwards (False: a second "
                  "table (output_dim, input_dim))"),
        _BASE["embeddings_initializer"], _BASE["embeddings_regularizer"],
        _BASE["embeddings_constraint"], _BASE["mask_zero"],
        JsonParam("reverse_dtype", None, "dtype of the reverse computation; does not change "
                  "any shape"),
        NumberParam("logit_soft_cap", None, "caps the reverse scores (None: no cap)",
                    allow_none=True),
        _BASE["weights"], _BASE["lora_rank"], _BASE["lora_alpha"],
        _BASE["quantization_config"], _BASE["input_length"],
    )

    def check_args(self) -> None:
        self._embedding()  # Embedding's own checks (weights=…)

    def _embedding(self) -> Embedding:
        own = ("tie_weights", "reverse_dtype", "logit_soft_cap", "trainable")
        try:
            return Embedding(**{k: v for k, v in self.args.items() if k not in own})
        except ShapeError as err:
            raise err.located(layer_type=self.type_name(), layer_name=self.name) from None

    def compute(self, input_shape: Shape) -> Computed:
        out = self._embedding().compute(input_shape)
        input_dim: int = self._values["input_dim"]
        output_dim: int = self._values["output_dim"]
        if self._values["tie_weights"]:
            return Computed(out.output_shape, out.weights, (*out.notes, Msg(
                "reversible_embedding.tied", {"input_dim": f"{input_dim:,}"})))
        if self._values["lora_rank"]:
            raise reject("reversible_embedding.lora_untied", argument="lora_rank",
                         fix=Msg("reversible_embedding.fix.lora_untied"))
        reverse = Weight("reverse_embeddings", (output_dim, input_dim))
        return Computed(out.output_shape, (*out.weights, reverse), (*out.notes, Msg(
            "reversible_embedding.reverse", {"input_dim": input_dim, "output_dim": output_dim,
                                             "total": f"{input_dim * output_dim:,}"})))


LAYERS: tuple[type[Layer], ...] = (ReversibleEmbedding,)
