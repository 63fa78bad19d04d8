"""Image preprocessing and augmentation layers: Rescaling, Resizing, CenterCrop,
RandomCrop, RandomFlip, RandomRotation, … (``keras.layers``, Keras 3.15).

Keras facts mirrored here (checked against Keras 3.15 by tests/test_image_preprocessing_keras.py):

- None of these layers has weights.
- In a model (a symbolic call) every augmentation returns its input's shape, whatever the
  rank: the random change happens only on data, while training. Only Resizing,
  CenterCrop and RandomCrop change the shape, and RandomColorDegeneration checks it.
- Resizing and CenterCrop read a rank-4 input as a batch ``(batch, H, W, C)`` and any
  other rank as one image ``(H, W, C)``: the first two axes of a rank-3 input (the batch
  axis included) become height and width. RandomCrop writes height and width at axes
  -3 and -2 (``channels_first``: -2 and -1) whatever the rank.
- Each ``factor`` is checked in the constructor, each layer its own way (see
  :class:`FactorParam`); ``value_range`` must be a pair for some layers only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ShapeError
from ..params import (
    REQUIRED,
    BoolParam,
    ChoiceParam,
    IntParam,
    JsonParam,
    Param,
    data_format_param,
    is_int,
)
from ..shapes import Shape, format_shape
from ..text import Msg, register
from .base import Computed, Layer, reject

register("param.expected.factor",
         "a number from {min} to {max}, or a pair (low, high) of numbers",
         "{min} から {max} までの数、または数の組 (low, high)")
register("param.expected.factor_number", "a number from {min} to {max}",
         "{min} から {max} までの数")
register("param.expected.factor_open", "a number greater than {min} and at most {max}, or "
         "a pair (low, high) of such numbers",
         "{min} より大きく {max} 以下の数、またはそのような数の組 (low, high)")
register("param.expected.value_range", "a pair (low, high) of numbers, e.g. (0, 255)",
         "(0, 255) のような数の組 (low, high)")
register("param.expected.seed", "an integer or None", "整数または None")
register("param.expected.image_size", "an integer >= 0 or None", "0 以上の整数または None")
register("image.same_shape",
         "{type} changes the values of each image (randomly, and only while training), "
         "not the shape: {out}. It has no weights; when the model is used for predictions "
         "it passes the images through unchanged.",
         "{type} は各画像の値を（ランダムに、学習中だけ）変えますが、形は変えません: {out}。"
         "重みはなく、予測に使うときは画像をそのまま通します。")
register("image.same_shape.fixed",
         "{type} changes the values of each image, not the shape: {out}. It has no weights.",
         "{type} は各画像の値を変えますが、形は変えません: {out}。重みはありません。")
register("rescaling.explain",
         "Rescaling multiplies every value by {scale} and adds {offset} (e.g. 1/255 maps "
         "pixels 0…255 to 0…1); the shape stays {out} and it has no weights.",
         "Rescaling はすべての値に {scale} を掛けて {offset} を足します（例: 1/255 で画素値 "
         "0…255 を 0…1 に）。形は {out} のままで、重みはありません。")
register("resize.explain",
         "{type} makes every image {height}×{width}: axes {axes} of {inp} become {height} "
         "and {width} → {out}. It has no weights.",
         "{type} はすべての画像を {height}×{width} にします: {inp} の軸 {axes} が {height} と "
         "{width} になります → {out}。重みはありません。")
register("resize.unbatched",
         "The input has rank {rank}, not 4, so Keras reads it as one image without a batch "
         "axis: the first axes are taken as height and width, the batch axis too. For a "
         "batch of images give each sample (height, width, channels), e.g. "
         "input_shape=(32, 32, 3).",
         "入力のランクが 4 ではなく {rank} なので、Keras はバッチ軸のない 1 枚の画像として"
         "読みます。先頭の軸（バッチ軸も）が高さと幅とみなされます。画像のバッチにするには、"
         "各サンプルを (高さ, 幅, チャネル)（例: input_shape=(32, 32, 3)）にします。")
register("random_crop.explain",
         "RandomCrop cuts a random {height}×{width} window out of each image while training "
         "(the centre one otherwise): axes {axes} of {inp} become {height} and {width} → "
         "{out}. It has no weights.",
         "RandomCrop は学習中、各画像からランダムな {height}×{width} の窓を切り出します"
         "（それ以外は中央の窓）: {inp} の軸 {axes} が {height} と {width} になります → "
         "{out}。重みはありません。")
register("equalization.cycle",
         "Keras 3.15 cannot build a model that holds Equalization: called on a symbolic "
         "tensor it returns that very tensor, and the model is refused (\"… from operation "
         "'equalization' is part of a cycle\"), with or without TensorFlow.",
         "Keras 3.15 は Equalization を含むモデルを構築できません。シンボリックなテンソルに"
         "呼ぶと受け取ったテンソルそのものを返し、モデルは拒否されます（\"… from operation "
         "'equalization' is part of a cycle\"）。TensorFlow の有無に関係ありません。")
register("equalization.fix",
         "apply it to the data before the model (dataset.map(Equalization())), or use "
         "AutoContrast in the model.",
         "モデルの前でデータに適用する（dataset.map(Equalization())）か、モデルの中では "
         "AutoContrast を使います。")
register("image.rank_too_low",
         "{type} needs an image axis at {axis} for {which}, but the input {shape} has "
         "rank {rank}.",
         "{type} は {which} のために軸 {axis} を必要としますが、入力 {shape} のランクは "
         "{rank} です。")
register("image.fix.rank",
         "give the input a height, width and channels axis, e.g. input_shape=(32, 32, 3).",
         "入力に高さ・幅・チャネルの軸を与えます（例: input_shape=(32, 32, 3)）。")
register("center_crop.rank",
         "CenterCrop needs an image (height, width, channels) or a batch of them: an input "
         "of rank 3 or 4, received {shape} of rank {rank}.",
         "CenterCrop には画像 (高さ, 幅, チャネル) またはそのバッチ、つまりランク 3 か 4 の"
         "入力が必要ですが、ランク {rank} の {shape} を受け取りました。")
register("color_degeneration.rank",
         "{type} needs an image (height, width, channels) or a batch of them: an input of "
         "rank 3 or 4, received {shape} of rank {rank}.",
         "{type} には画像 (高さ, 幅, チャネル) またはそのバッチ、つまりランク 3 か 4 の入力"
         "が必要ですが、ランク {rank} の {shape} を受け取りました。")
register("color_degeneration.channels",
         "{type} works on RGB images: 3 channels, received {channels} channels in {shape}.",
         "{type} は RGB 画像（3 チャネル）に働きますが、{shape} のチャネル数は {channels} "
         "です。")
register("color_degeneration.fix.channels",
         "give the images 3 channels (RGB), e.g. input_shape=(32, 32, 3).",
         "画像を 3 チャネル（RGB）にします（例: input_shape=(32, 32, 3)）。")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float)  # bool too: Keras takes True as 1


@dataclass(frozen=True)
class FactorParam(Param):
    """A random-strength ``factor``: a number or a pair ``(low, high)``, checked by Keras
    in the constructor against ``[lo, hi]``, each layer its own way (``rule``):

    - ``"base"``: a number must lie in ``[lo, hi]``; a pair is refused only when its first
      number is above ``hi`` or its second below ``lo`` (Keras's base image layer);
    - ``"each"``: every number must lie in ``[lo, hi]``;
    - ``"each_open"``: every number must lie in ``(lo, hi]`` (RandomZoom);
    - ``"number"``: a number in ``[lo, hi]``, no pair (RandomGrayscale).
    """

    lo: float = -1.0
    hi: float = 1.0
    rule: str = "base"
    allow_none: bool = False
    affects_shape: bool = False
    widget: ClassVar[str] = "text"

    def expected(self) -> Msg:
        values = {"min": self.lo, "max": self.hi}
        if self.rule == "number":
            return Msg("param.expected.factor_number", values)
        if self.rule == "each_open":
            return Msg("param.expected.factor_open", values)
        return Msg("param.expected.factor", values)

    def _in(self, x: Any) -> bool:
        if self.rule == "each_open":
            return bool(self.lo < x <= self.hi)
        return bool(self.lo <= x <= self.hi)

    def validate(self, value: Any) -> Any:
        if value is None and self.allow_none:
            return None
        if _is_number(value):
            if self._in(value):
                return value
            raise self.fail(value)
        if (self.rule != "number" and isinstance(value, Sequence)
                and not isinstance(value, str)):
            items = tuple(value)
            if len(items) == 2 and all(_is_number(v) for v in items):
                if self.rule == "base":
                    if not (items[0] > self.hi or items[1] < self.lo):
                        return items
                elif all(self._in(v) for v in items):
                    return items
        raise self.fail(value)


@dataclass(frozen=True)
class ValueRangeParam(Param):
    """``value_range``: the range of the pixel values, ``(low, high)``; ``checked``: Keras
    refuses anything but a pair (for other layers it is only kept)."""

    checked: bool = True
    affects_shape: bool = False
    widget: ClassVar[str] = "text"

    def expected(self) -> Msg:
        return Msg("param.expected.value_range")

    def validate(self, value: Any) -> Any:
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            return tuple(value)
        if self.checked:
            raise self.fail(value)
        return JsonParam(self.name, None).validate(value)


@dataclass(frozen=True)
class SeedParam(Param):
    """``seed`` of a random layer: any integer (Keras's SeedGenerator) or ``None``."""

    affects_shape: bool = False
    widget: ClassVar[str] = "int"

    def expected(self) -> Msg:
        return Msg("param.expected.seed")

    def validate(self, value: Any) -> Any:
        if value is None or is_int(value):
            return value
        raise self.fail(value)


FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _kept(name: str, default: Any, help: str = "kept as given; does not change any "
          "shape") -> JsonParam:
    return JsonParam(name, default, help)


def _seed() -> SeedParam:
    return SeedParam("seed", None, "random seed (an integer, or None)")


def _value_range(checked: bool) -> ValueRangeParam:
    return ValueRangeParam("value_range", (0, 255), "the range of the pixel values, "
                           "(low, high); does not change the shape", checked=checked)


def _fill_mode(default: str = "reflect") -> ChoiceParam:
    return ChoiceParam("fill_mode", default, "how points outside the image are filled",
                       affects_shape=False, choices=FILL_MODES)


def _interpolation(default: str = "bilinear") -> ChoiceParam:
    return ChoiceParam("interpolation", default, "how new pixel values are computed",
                       affects_shape=False, choices=INTERPOLATIONS)


def _fill_value() -> JsonParam:
    return _kept("fill_value", 0.0, "the value of filled points (fill_mode=\"constant\")")


def _factor(name: str = "factor", default: Any = REQUIRED, lo: float = -1.0,
            hi: float = 1.0, rule: str = "base", allow_none: bool = False,
            help: str = "how strong the random change is: a number or a range (low, "
            "high)") -> FactorParam:
    return FactorParam(name, default, help, lo=lo, hi=hi, rule=rule, allow_none=allow_none)


def _image_size(name: str) -> IntParam:
    return IntParam(name, REQUIRED, f"the {name} of the output images (pixels)", min=0,
                    allow_none=True)


class ImageLayer(Layer):
    """What the image layers share: no weights, and the output is the input's shape
    unless :meth:`output_shape` says otherwise."""

    family = "preprocessing"
    augments: ClassVar[bool] = True
    """True for random augmentations (active only while training)."""

    def output_shape(self, input_shape: Shape) -> tuple[Shape, Msg]:
        key = "image.same_shape" if self.augments else "image.same_shape.fixed"
        return input_shape, Msg(key, {"type": self.type_name(), "out": input_shape})

    def compute(self, input_shape: Shape) -> Computed:
        out, note = self.output_shape(input_shape)
        return Computed(out, (), (note,))

    def channels_first(self) -> bool:
        fmt = self._values.get("data_format")
        return isinstance(fmt, str) and fmt.lower() == "channels_first"


def _set_axes(layer: ImageLayer, input_shape: Shape, axes: tuple[int, int]
              ) -> tuple[Shape, tuple[int, int]]:
    """``input_shape`` with the height and width written at ``axes`` (as Keras writes a
    list: an axis out of range is refused)."""
    shape = list(input_shape)
    rank = len(shape)
    for axis, argument in zip(axes, ("height", "width"), strict=True):
        if not -rank <= axis < rank:
            raise reject("image.rank_too_low", argument=argument, which=argument,
                         type=layer.type_name(),
                         axis=axis, shape=format_shape(input_shape), rank=rank,
                         fix=Msg("image.fix.rank"))
        shape[axis] = layer.value(argument)
    return tuple(shape), axes


class _ResizeBase(ImageLayer):
    augments = False
    explain_key: ClassVar[str] = "resize.explain"

    def axes(self, input_shape: Shape) -> tuple[int, int]:
        first = self.channels_first()
        if len(input_shape) == 4:
            return (2, 3) if first else (1, 2)
        return (1, 2) if first else (0, 1)

    def check_rank(self, input_shape: Shape) -> None:
        """Reject input ranks Keras refuses before it writes the axes."""

    def output_shape(self, input_shape: Shape) -> tuple[Shape, Msg]:
        self.check_rank(input_shape)
        out, axes = _set_axes(self, input_shape, self.axes(input_shape))
        return out, Msg(self.explain_key, {
            "type": self.type_name(), "height": self._fmt("height"),
            "width": self._fmt("width"), "axes": f"{axes[0]}, {axes[1]}",
            "inp": input_shape, "out": out})

    def _fmt(self, key: str) -> str:
        value = self.value(key)
        return "?" if value is None else str(value)

    def compute(self, input_shape: Shape) -> Computed:
        out, note = self.output_shape(input_shape)
        notes = [note]
        if len(input_shape) != 4 and self.explain_key == "resize.explain":
            notes.append(Msg("resize.unbatched", {"rank": len(input_shape)}))
        return Computed(out, (), tuple(notes))


class Rescaling(ImageLayer):
    """Multiplies every value by ``scale`` and adds ``offset``."""

    help = "multiplies every value by scale and adds offset, e.g. scale=1/255"
    augments = False
    params = (
        _kept("scale", REQUIRED, "the factor every value is multiplied by, e.g. 1/255"),
        _kept("offset", 0.0, "the value added after scaling"),
    )

    def output_shape(self, input_shape: Shape) -> tuple[Shape, Msg]:
        return input_shape, Msg("rescaling.explain", {
            "scale": self.scale, "offset": self.offset, "out": input_shape})


class Resizing(_ResizeBase):
    """Resizes every image to ``height``×``width``."""

    help = "resizes every image to height×width"
    params = (
        _image_size("height"),
        _image_size("width"),
        _kept("interpolation", "bilinear", "how new pixel values are computed"),
        BoolParam("crop_to_aspect_ratio", False, "crop to keep the aspect ratio",
                  affects_shape=False),
        BoolParam("pad_to_aspect_ratio", False, "pad to keep the aspect ratio",
                  affects_shape=False),
        _kept("fill_mode", "constant", "how padding is filled"),
        _fill_value(),
        _kept("antialias", False, "smooth when shrinking"),
        data_format_param(),
    )


class CenterCrop(_ResizeBase):
    """Cuts the central ``height``×``width`` window out of every image."""

    help = "keeps the central height×width window of every image"
    params = (_image_size("height"), _image_size("width"), data_format_param())

    def check_rank(self, input_shape: Shape) -> None:
        if len(input_shape) not in (3, 4):
            raise reject("center_crop.rank", shape=format_shape(input_shape),
                         rank=len(input_shape), fix=Msg("image.fix.rank"))


class RandomCrop(_ResizeBase):
    """Cuts a random ``height``×``width`` window out of every image while training."""

    help = "cuts a random height×width window out of every image"
    explain_key = "random_crop.explain"
    params = (_image_size("height"), _image_size("width"), _seed(), data_format_param())

    def axes(self, input_shape: Shape) -> tuple[int, int]:
        return (-2, -1) if self.channels_first() else (-3, -2)


class RandomFlip(ImageLayer):
    help = "flips images horizontally and/or vertically at random"
    params = (_kept("mode", "horizontal_and_vertical", "\"horizontal\", \"vertical\" or "
                    "\"horizontal_and_vertical\""), _seed(), data_format_param())


class RandomRotation(ImageLayer):
    help = "rotates images by a random angle (factor × 360°)"
    params = (_factor(allow_none=True, help="the largest rotation, as a fraction of a "
                      "full turn, or a range (low, high)"),
              _fill_mode(), _interpolation(), _seed(), _fill_value(), data_format_param())


class RandomZoom(ImageLayer):
    help = "zooms images in or out at random"
    params = (_factor("height_factor", rule="each_open"),
              _factor("width_factor", None, rule="each_open", allow_none=True),
              _fill_mode(), _interpolation(), _seed(), _fill_value(), data_format_param())


class RandomTranslation(ImageLayer):
    help = "shifts images up/down and left/right at random"
    params = (_factor("height_factor", rule="each"), _factor("width_factor", rule="each"),
              _fill_mode(), _interpolation(), _seed(), _fill_value(), data_format_param())


class RandomContrast(ImageLayer):
    help = "changes the contrast of images at random"
    keyword_only = ("data_format",)  # read from **kwargs by the base image layer
    params = (_factor(lo=0.0), _value_range(False), _seed(), data_format_param())


class RandomBrightness(ImageLayer):
    help = "changes the brightness of images at random"
    keyword_only = ("data_format",)  # read from **kwargs by the base image layer
    params = (_factor(allow_none=True), _value_range(True), _seed(), data_format_param())


class RandomColorDegeneration(ImageLayer):
    """Blends RGB images with their grayscale version; Keras checks rank and channels."""

    help = "washes the colours of RGB images out at random"
    params = (_factor(), _value_range(True), data_format_param(), _seed())

    def output_shape(self, input_shape: Shape) -> tuple[Shape, Msg]:
        if len(input_shape) not in (3, 4):
            raise reject("color_degeneration.rank", type=self.type_name(),
                         shape=format_shape(input_shape), rank=len(input_shape),
                         fix=Msg("image.fix.rank"))
        channels = input_shape[-3 if self.channels_first() else -1]
        if channels is not None and channels != 3:
            raise reject("color_degeneration.channels", type=self.type_name(),
                         channels=channels, shape=format_shape(input_shape),
                         fix=Msg("color_degeneration.fix.channels"))
        return super().output_shape(input_shape)


class RandomColorJitter(ImageLayer):
    help = "changes brightness, contrast, saturation and hue at random"
    params = (
        _value_range(False),
        _factor("brightness_factor", None, allow_none=True),
        _factor("contrast_factor", None, lo=0.0, allow_none=True),
        _factor("saturation_factor", None, allow_none=True),
        _factor("hue_factor", None, lo=0.0, allow_none=True),
        _seed(), data_format_param(),
    )

    def check_args(self) -> None:
        # RandomBrightness and RandomSaturation, made for these factors, check the range.
        if (self.brightness_factor is not None or self.saturation_factor is not None):
            checked = ValueRangeParam("value_range", (0, 255))
            try:
                checked.validate(self.value_range)
            except ShapeError as err:
                raise err.located(layer_type=self.type_name(), layer_name=self.name) from None

    def inner_layers(self) -> tuple[Layer, ...]:
        made = {"brightness_factor": "RandomBrightness", "contrast_factor": "RandomContrast",
                "saturation_factor": "RandomSaturation", "hue_factor": "RandomHue"}
        return _helpers(*(cls for key, cls in made.items() if self.value(key) is not None))


class RandomElasticTransform(ImageLayer):
    help = "distorts images with a random elastic deformation"
    params = (_factor(default=1.0, lo=0.0), _kept("scale", 1.0), _interpolation(),
              _fill_mode(), _fill_value(), _value_range(False), _seed(),
              data_format_param())


class RandomErasing(ImageLayer):
    help = "erases a random rectangle of each image"
    params = (_factor(default=1.0, lo=0.0),
              _factor("scale", (0.02, 0.33), lo=0.0, help="the erased area, as a fraction "
                      "of the image, or a range (low, high)"),
              _kept("fill_value", None), _value_range(False), _seed(), data_format_param())


class RandomGaussianBlur(ImageLayer):
    help = "blurs images with a random Gaussian kernel"
    params = (_factor(default=1.0, lo=0.0), _kept("kernel_size", 3, "size of the blur "
              "kernel"), _kept("sigma", 1.0, "spread of the blur"), _value_range(False),
              data_format_param(), _seed())


class RandomGrayscale(ImageLayer):
    help = "turns images to grayscale at random (the channels stay)"
    params = (_factor(default=0.5, lo=0.0, rule="number", help="the probability of "
                      "turning an image to grayscale"), data_format_param(), _seed())


class RandomHue(ImageLayer):
    help = "shifts the hue of images at random"
    params = (_factor(lo=0.0), _value_range(False), data_format_param(), _seed())


class RandomInvert(ImageLayer):
    help = "inverts the pixel values of images at random"
    params = (_factor(default=1.0, lo=0.0), _value_range(False), _seed(),
              data_format_param())


class RandomPerspective(ImageLayer):
    help = "applies a random perspective distortion"
    params = (_factor(default=1.0, lo=0.0), _kept("scale", 1.0), _interpolation(),
              _fill_value(), _seed(), data_format_param())


class RandomPosterization(ImageLayer):
    help = "reduces the bits per colour channel at random"
    params = (_factor(lo=1.0, hi=8.0, help="bits kept per channel: a number from 1 to 8 "
                      "or a range (low, high)"), _value_range(True), data_format_param(),
              _seed())


class RandomSaturation(ImageLayer):
    help = "changes the saturation of images at random"
    params = (_factor(), _value_range(True), data_format_param(), _seed())


class RandomSharpness(ImageLayer):
    help = "changes the sharpness of images at random"
    params = (_factor(lo=0.0), _value_range(True), data_format_param(), _seed())


class RandomShear(ImageLayer):
    help = "shears images at random"
    params = (_factor("x_factor", 0.0, lo=0.0, rule="each"),
              _factor("y_factor", 0.0, lo=0.0, rule="each"),
              _interpolation(), _fill_mode(), _fill_value(), data_format_param(), _seed())


def _helpers(*names: str) -> tuple[Layer, ...]:
    """The layers RandAugment, AugMix and RandomColorJitter make in their constructors
    (Keras names them, so they count for the automatic names of later layers)."""
    needs = {"RandomTranslation": (0.0, 0.0), "RandomPosterization": (1,)}
    found = {cls.__name__: cls for cls in LAYERS}
    return tuple(found[n](*needs.get(n, (0.0,) if found[n].params[0].required else ()))
                 for n in names)


class AugMix(ImageLayer):
    help = "mixes several random augmentation chains of each image"

    def inner_layers(self) -> tuple[Layer, ...]:
        extra = (("RandomBrightness", "RandomColorDegeneration", "RandomContrast",
                  "RandomSharpness") if self.all_ops else ())
        return _helpers("RandomShear", "RandomTranslation", "RandomRotation",
                        "Solarization", "RandomPosterization", "AutoContrast",
                        "Equalization", *extra)

    params = (_value_range(True), _kept("num_chains", 3), _kept("chain_depth", 3),
              _factor(default=0.3, lo=0.0, rule="each"), _kept("alpha", 1.0),
              _kept("all_ops", True), _interpolation(), _seed(), data_format_param())


class AutoContrast(ImageLayer):
    help = "stretches each image's values to the full value range"
    augments = False
    keyword_only = ("data_format",)  # read from **kwargs by the base image layer
    params = (_value_range(True), data_format_param())


class ContrastLimitedAdaptiveHistogramEqualization(ImageLayer):
    help = "equalizes the histogram of each image tile by tile (CLAHE)"
    augments = False
    params = (_value_range(False), _kept("clip_limit", 4.0), _kept("tile_grid_size", (8, 8)),
              data_format_param())


class CutMix(ImageLayer):
    help = "pastes a patch of another image of the batch into each image"
    params = (_factor(default=1.0, lo=0.0), _seed(), data_format_param())


class Equalization(ImageLayer):
    """Keras 3.15's Equalization returns the symbolic tensor it is called on, so Keras
    refuses every model that holds it ("… is part of a cycle"): refused the same way."""

    help = "equalizes the histogram of each image (Keras cannot build a model holding it)"
    augments = False
    params = (_value_range(True), _kept("bins", 256), data_format_param())

    def output_shape(self, input_shape: Shape) -> tuple[Shape, Msg]:
        raise reject("equalization.cycle", fix=Msg("equalization.fix"))


class MixUp(ImageLayer):
    help = "blends each image with another image of the batch"
    params = (_kept("alpha", 0.2), data_format_param(), _seed())


class RandAugment(ImageLayer):
    help = "applies num_ops random augmentations to each image"

    def inner_layers(self) -> tuple[Layer, ...]:
        return _helpers("RandomShear", "RandomTranslation", "RandomRotation",
                        "RandomBrightness", "RandomColorDegeneration", "RandomContrast",
                        "RandomSharpness", "Solarization", "RandomPosterization",
                        "AutoContrast", "Equalization")

    params = (_value_range(True), _kept("num_ops", 2),
              _factor(default=0.5, lo=0.0, rule="each"), _interpolation(), _seed(),
              data_format_param())


class Solarization(ImageLayer):
    help = "inverts the pixels above a threshold"
    keyword_only = ("data_format",)  # read from **kwargs by the base image layer
    params = (_factor("addition_factor", 0.0, lo=0.0, rule="each"),
              _factor("threshold_factor", 0.0, lo=0.0, rule="each"),
              _value_range(True), _seed(), data_format_param())


class MaxNumBoundingBoxes(ImageLayer):
    help = "pads or cuts the bounding boxes to max_number (images pass through)"
    augments = False
    keyword_only = ("data_format",)  # read from **kwargs by the base image layer
    params = (IntParam("max_number", REQUIRED, "the number of boxes kept",
                       affects_shape=False, min=None),
              _kept("fill_value", -1), data_format_param())


LAYERS: tuple[type[Layer], ...] = (
    Rescaling, Resizing, CenterCrop, RandomCrop, RandomFlip, RandomRotation, RandomZoom,
    RandomTranslation, RandomContrast, RandomBrightness, RandomColorDegeneration,
    RandomColorJitter, RandomElasticTransform, RandomErasing, RandomGaussianBlur,
    RandomGrayscale, RandomHue, RandomInvert, RandomPerspective, RandomPosterization,
    RandomSaturation, RandomSharpness, RandomShear, AugMix, AutoContrast,
    ContrastLimitedAdaptiveHistogramEqualization, CutMix, Equalization, MixUp, RandAugment,
    Solarization, MaxNumBoundingBoxes,
)
