"""Regularisation and noise layers: SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
AlphaDropout, ActivityRegularization (Dropout lives with the core layers).

None of them changes the shape or has weights; they act while training only.

Keras facts mirrored here (checked against Keras 3.15): rates and ``stddev`` must lie in
[0, 1] (refused when constructed); the spatial dropouts need exactly 3, 4 or 5 axes and
take no ``**kwargs`` (``trainable=`` is refused); ActivityRegularization refuses a
negative ``l1`` or ``l2``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    FloatParam,
    NoiseShapeParam,
    NumberParam,
    data_format_param,
    seed_param,
)
from ..shapes import Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, reject, require_rank

register("spatial_dropout.explain",
         "{type} drops whole feature maps while training: with probability {rate} every "
         "value of one channel is set to zero (the mask has shape {mask}); the shape "
         "stays {out} and it has no weights.",
         "{type} は学習中に特徴マップを丸ごと落とします。確率 {rate} で一つのチャンネルの値を"
         "すべて 0 にします（マスクの形は {mask}）。形は {out} のままで、重みはありません。")
register("spatial_dropout.no_trainable",
         "{type} takes only rate, data_format, seed, name and dtype; received "
         "`{argument}`.",
         "{type} が受け取るのは rate、data_format、seed、name、dtype だけですが、"
         "`{argument}` を受け取りました。")
register("spatial_dropout.fix.no_trainable",
         "remove `{argument}` (the layer has no weights to freeze).",
         "`{argument}` を外します（このレイヤーには固定する重みがありません）。")
register("gaussian_noise.explain",
         "GaussianNoise adds random noise with standard deviation {stddev} to every value "
         "while training; the shape stays {out} and it has no weights.",
         "GaussianNoise は学習中にすべての値へ標準偏差 {stddev} のランダムなノイズを加えます。"
         "形は {out} のままで、重みはありません。")
register("gaussian_dropout.explain",
         "GaussianDropout multiplies every value by random noise around 1 while training "
         "(rate {rate}); the shape stays {out} and it has no weights.",
         "GaussianDropout は学習中にすべての値へ 1 を中心とするランダムなノイズを掛けます"
         "（rate {rate}）。形は {out} のままで、重みはありません。")
register("alpha_dropout.explain",
         "AlphaDropout sets a fraction {rate} of the values to SELU's negative saturation "
         "value while training, keeping the mean and variance (for selu networks); the "
         "shape stays {out} and it has no weights.",
         "AlphaDropout は学習中に値の {rate} の割合を SELU の負の飽和値にし、平均と分散を"
         "保ちます（selu のネットワーク用）。形は {out} のままで、重みはありません。")
register("activity_regularization.explain",
         "ActivityRegularization passes its input through unchanged ({out}) and adds "
         "{l1}·Σ|x| + {l2}·Σx² of it to the loss; no weights.",
         "ActivityRegularization は入力をそのまま通し（{out}）、その {l1}·Σ|x| + {l2}·Σx² を"
         "損失に加えます。重みはありません。")
register("activity_regularization.negative",
         "`{arg}` must be a non-negative number; received {arg}={value}.",
         "`{arg}` は 0 以上の数でなければなりませんが、{arg}={value} を受け取り"
         "ました。")
register("activity_regularization.fix.negative", "use 0 or a positive factor.",
         "0 か正の係数を使います。")

_new = tuple.__new__


def _rate_param(help: str = "fraction of values dropped, from 0 to 1") -> FloatParam:
    return FloatParam("rate", REQUIRED, help, affects_shape=False)


class SpatialDropout(Layer):
    """Drops whole channels (feature maps) while training."""
    drawing: ClassVar[dict[str, str]] = {"args": "rate", "mark": "dropout"}

    family = "regularization"
    spatial_rank: ClassVar[int] = 1
    rank_fixed_when_built = True
    takes_input_shape: ClassVar[bool] = False
    """Keras's ``__init__`` has no ``**kwargs``: exported code puts the input shape on an
    ``InputLayer`` (read by the code export)."""

    def check_args(self) -> None:
        if "trainable" in self.args:  # Keras's __init__ has no **kwargs
            raise ShapeError(Msg("spatial_dropout.no_trainable", {
                "type": self.type_name(), "argument": "trainable"}),
                fix=Msg("spatial_dropout.fix.no_trainable", {"argument": "trainable"}),
                argument="trainable", layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        rank = self.spatial_rank + 2
        first = str(self._values.get("data_format") or "").lower() == "channels_first"
        labels = {1: "steps", 2: "H, W", 3: "D, H, W"}[self.spatial_rank]
        layout = f"batch, channels, {labels}" if first else f"batch, {labels}, channels"
        require_rank(input_shape, rank, layout)
        ones = (1,) * self.spatial_rank
        if first:
            mask = (input_shape[0], input_shape[1], *ones)
        else:
            mask = (input_shape[0], *ones, input_shape[-1])
        return _new(Computed, (input_shape, (), (Msg("spatial_dropout.explain", {
            "type": self.type_name(), "rate": self._values["rate"],
            "mask": format_shape(mask), "out": format_shape(input_shape)}),)))


class SpatialDropout1D(SpatialDropout):
    """Drops whole channels of sequences ``(batch, steps, channels)``."""

    help = "drops entire channels of a sequence while training; same shape"
    spatial_rank = 1
    params = (_rate_param("fraction of channels dropped, from 0 to 1"), seed_param())


class SpatialDropout2D(SpatialDropout):
    """Drops whole feature maps of images."""

    help = "drops entire feature maps of an image while training; same shape"
    spatial_rank = 2
    params = (_rate_param("fraction of feature maps dropped, from 0 to 1"),
              data_format_param(), seed_param())


class SpatialDropout3D(SpatialDropout):
    """Drops whole feature maps of volumes."""

    help = "drops entire feature maps of a volume while training; same shape"
    spatial_rank = 3
    params = (_rate_param("fraction of feature maps dropped, from 0 to 1"),
              data_format_param(), seed_param())


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise while training."""

    family = "regularization"
    help = "adds random noise (stddev) while training; same shape"
    params = (FloatParam("stddev", REQUIRED, "standard deviation of the noise, from 0 to 1",
                         affects_shape=False),
              seed_param())

    def compute(self, input_shape: Shape) -> Computed:
        return _new(Computed, (input_shape, (), (Msg("gaussian_noise.explain", {
            "stddev": self._values["stddev"], "out": format_shape(input_shape)}),)))


class GaussianDropout(Layer):
    """Multiplies by 1-centred Gaussian noise while training."""
    drawing: ClassVar[dict[str, str]] = {"args": "rate", "mark": "dropout"}

    family = "regularization"
    help = "multiplies by random noise around 1 while training; same shape"
    params = (_rate_param("drop probability, from 0 to 1 (noise stddev √(rate/(1−rate)))"),
              seed_param())

    def compute(self, input_shape: Shape) -> Computed:
        return _new(Computed, (input_shape, (), (Msg("gaussian_dropout.explain", {
            "rate": self._values["rate"], "out": format_shape(input_shape)}),)))


class AlphaDropout(Layer):
    """Dropout that keeps the mean and variance of its inputs (for SELU)."""
    drawing: ClassVar[dict[str, str]] = {"args": "rate", "mark": "dropout"}

    family = "regularization"
    help = "dropout for selu networks (keeps mean and variance); same shape"
    params = (_rate_param(),
              NoiseShapeParam("noise_shape", None, "shape of the dropout mask (None: the "
                              "input's)"),
              seed_param())

    def compute(self, input_shape: Shape) -> Computed:
        return _new(Computed, (input_shape, (), (Msg("alpha_dropout.explain", {
            "rate": self._values["rate"], "out": format_shape(input_shape)}),)))


class ActivityRegularization(Layer):
    """Adds an L1/L2 penalty on its input to the loss; passes the input through."""

    family = "regularization"
    help = "adds l1·Σ|x| + l2·Σx² of its input to the loss; same shape"
    params = (NumberParam("l1", 0.0, "L1 factor (>= 0)"),
              NumberParam("l2", 0.0, "L2 factor (>= 0)"))

    def check_args(self) -> None:
        for name in ("l1", "l2"):
            value: Any = self._values[name]
            if value < 0:
                raise reject("activity_regularization.negative", argument=name, arg=name, value=value,
                             fix=Msg("activity_regularization.fix.negative")
                             ).located(layer_type=self.type_name(), layer_name=self.name)

    def compute(self, input_shape: Shape) -> Computed:
        return _new(Computed, (input_shape, (), (Msg("activity_regularization.explain", {
            "l1": self._values["l1"], "l2": self._values["l2"],
            "out": format_shape(input_shape)}),)))


LAYERS: tuple[type[Layer], ...] = (SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
                                   GaussianNoise, GaussianDropout, AlphaDropout,
                                   ActivityRegularization)
