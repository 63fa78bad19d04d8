"""A seeded generator of random Sequential architectures, for the comparison with Keras.

Each architecture is a shapewidget spec (a plain JSON-like dict) plus the intent it was
generated with: ``"valid"`` or the name of the deliberate mistake (about one model in
six), the mistakes people learning Keras make: a kernel larger than its input, Reshape to
a different element count, an RNN given a 2-D input, Dense after Flatten of an unknown
size, Conv2D on a rank-3 input, pooling too large, a stateful RNN without a fixed batch,
duplicate layer names, …

Only layer types present in :data:`shapewidget.layers.LAYER_TYPES` at run time are used.
Known types have a *recipe* choosing shape-critical arguments that fit the current tensor
(kernel sizes no larger than the input, a Reshape target with the same element count, …);
every other argument is drawn from the layer's own parameter declarations (a choice from
``ChoiceParam.choices``, a bool, a number in range), so new layers and new arguments are
covered with no extra code here. Types without a recipe are still generated now and then,
with every argument drawn from their declarations.

The generator follows the tensor through the model with shapewidget's own engine, but
only to *guide* the choices: it never retries or filters on shapewidget's verdict, so a
wrong shape or a wrong rejection there still reaches the comparison with Keras.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from shapewidget.errors import ShapeError
from shapewidget.layers import LAYER_TYPES
from shapewidget.model import auto_names
from shapewidget.params import (
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    IntTupleParam,
    Param,
)
from shapewidget.spec import layer_from_spec

Shape = tuple[int | None, ...]
LayerSpec = dict[str, Any]

INVALID_FRACTION = 1 / 6

# Arguments never drawn at random from a declaration: a recipe sets them (they decide
# whether the layer fits its input) or they change what a layer returns (return_state,
# merge_mode=None give a list of tensors, not one), or that only another backend
# accepts (synchronized=True is for TensorFlow).
NOT_DRAWN = frozenset({
    "data_format", "padding", "strides", "dilation_rate", "kernel_size", "pool_size",
    "groups", "output_padding", "filters", "units", "stateful", "return_state",
    "merge_mode", "dtype", "sparse", "axis", "dims", "target_shape", "cropping", "size",
    "n", "layer", "backward_layer", "input_dim", "output_dim", "depth_multiplier",
    "input_length", "seed", "noise_shape", "lora_alpha", "quantization_config",
    "synchronized",
})


@dataclass
class Architecture:
    """One generated model: its spec and what the generator meant it to be."""

    spec: dict[str, Any]
    intent: str  # "valid" or the name of the deliberate mistake

    @property
    def types(self) -> list[str]:
        return [layer["type"] for layer in self.spec["layers"]]


@dataclass
class Ctx:
    """What a recipe knows: the random source, the model's choices and the tensor so far."""

    rng: random.Random
    data_format: str = "channels_last"
    batch_size: int | None = None
    specs: list[LayerSpec] = field(default_factory=list)

    def has(self, type_name: str, *args: str) -> bool:
        """Is the type in the catalogue, declaring these arguments?"""
        cls = LAYER_TYPES.get(type_name)
        return cls is not None and all(a in cls._by_name for a in args)

    def maybe(self, layer: LayerSpec, key: str, value: Any) -> None:
        """Set an argument if the layer type declares it (a recipe's optional choice)."""
        if self.has(layer["type"], key):
            layer[key] = value


Recipe = Callable[[Ctx, Shape], LayerSpec | None]


# --- small helpers ------------------------------------------------------------------
def spatial(shape: Shape, data_format: str) -> tuple[list[int], int]:
    """Indices of the spatial axes and of the channel axis (batch axis included)."""
    if data_format == "channels_first":
        return list(range(2, len(shape))), 1
    return list(range(1, len(shape) - 1)), len(shape) - 1


def count(shape: Shape) -> int | None:
    n = 1
    for d in shape[1:]:
        if d is None:
            return None
        n *= d
    return n


def as_tuple_arg(ctx: Ctx, values: list[int]) -> int | list[int]:
    """An int when every axis has the same value (sometimes), else a list."""
    if len(set(values)) == 1 and ctx.rng.random() < 0.6:
        return values[0]
    return values


def draw(rng: random.Random, param: Param) -> Any:
    """A value for ``param`` drawn from its declaration (``...`` when none can be)."""
    if isinstance(param, ChoiceParam):
        return rng.choice(param.choices) if param.choices else ...
    if isinstance(param, BoolParam):
        return rng.random() < 0.5
    if isinstance(param, FloatParam):
        lo, hi = param.min, param.max
        if not (math.isfinite(lo) and math.isfinite(hi)):
            lo, hi = max(lo, 0.0), min(hi, 1.0)
        return round(lo + (hi - lo) * rng.choice([0.0, 0.1, 0.2, 0.5, 0.9]), 3)
    if isinstance(param, IntParam):
        lo = param.min if param.min is not None else 0
        hi = lo + 4 if param.max is None else min(param.max, lo + 4)
        return rng.randint(lo, hi)
    if isinstance(param, IntTupleParam):
        values = [rng.randint(param.min, param.min + 2) for _ in range(param.rank)]
        if param.allow_int and rng.random() < 0.5:
            return values[0]
        return values
    return ...


def extras(ctx: Ctx, layer: LayerSpec, chance: float = 0.25) -> LayerSpec:
    """Draw the arguments a recipe left out from the declarations, now and then."""
    cls = LAYER_TYPES[layer["type"]]
    for param in cls.params:
        if param.name in layer or param.name in NOT_DRAWN or param.required:
            continue
        # Choices, flags and numbers are always safe; whole numbers (lora_rank, …) rarely.
        if isinstance(param, IntParam):
            odds = chance / 5
        elif isinstance(param, ChoiceParam | BoolParam | FloatParam):
            odds = chance
        else:
            continue
        if ctx.rng.random() < odds:
            value = draw(ctx.rng, param)
            if value is not ...:
                layer[param.name] = value
    return layer


# --- recipes: valid layers for the current tensor -----------------------------------
UNITS = [1, 2, 3, 4, 5, 8, 10, 16, 32, 64]


def dense(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) < 2 or shape[-1] is None:
        return None
    return extras(ctx, {"type": "Dense", "units": ctx.rng.choice(UNITS)})


def same_shape(type_name: str) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        cls = LAYER_TYPES[type_name]
        layer: LayerSpec = {"type": type_name}
        for param in cls.params:  # required arguments from the declaration
            if param.required:
                value = draw(ctx.rng, param)
                if value is ...:
                    return None
                layer[param.name] = value
        return extras(ctx, layer)
    return recipe


def flatten(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) < 2:
        return None
    layer: LayerSpec = {"type": "Flatten"}
    if ctx.data_format != "channels_last" or ctx.rng.random() < 0.05:
        ctx.maybe(layer, "data_format", ctx.data_format)
    return layer


def reshape(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    n = count(shape)
    rng = ctx.rng
    if n is None:
        if rng.random() < 0.3:  # Keras does not check a target against unknown sizes
            return {"type": "Reshape", "target_shape": [rng.randint(1, 6), rng.randint(1, 6)]}
        if len(shape) < 2 or shape[-1] is None:
            return None
        return {"type": "Reshape", "target_shape": [-1, shape[-1]]}
    factors = [n]
    for _ in range(rng.randint(0, 2)):
        last = factors[-1]
        divisors = [d for d in range(2, last) if last % d == 0]
        if not divisors:
            break
        d = rng.choice(divisors)
        factors[-1:] = [d, last // d]
    rng.shuffle(factors)
    if rng.random() < 0.3:
        factors[rng.randrange(len(factors))] = -1
    return {"type": "Reshape", "target_shape": factors}


def permute(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) < 3:
        return None
    dims = list(range(1, len(shape)))
    ctx.rng.shuffle(dims)
    return {"type": "Permute", "dims": dims}


def repeat_vector(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) != 2:
        return None
    return {"type": "RepeatVector", "n": ctx.rng.randint(1, 6)}


def conv(type_name: str, n: int) -> Recipe:
    """Conv1D/2D/3D, their Transpose, Separable and Depthwise forms."""
    depthwise = type_name.startswith("DepthwiseConv")
    transpose = "Transpose" in type_name

    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        rng = ctx.rng
        if len(shape) != n + 2:
            return None
        axes, channel = spatial(shape, ctx.data_format)
        channels = shape[channel]
        if channels is None:
            return None
        layer: LayerSpec = {"type": type_name}
        if not depthwise:
            layer["filters"] = rng.choice([1, 2, 3, 4, 8, 16])
        roll = rng.random()
        padding = "same" if roll < 0.35 else "valid"
        if type_name == "Conv1D" and roll > 0.85:
            padding = "causal"
        dilation = 2 if rng.random() < 0.12 else 1
        stride = 1 if dilation > 1 or rng.random() < 0.7 else 2
        if type_name in ("SeparableConv2D", "DepthwiseConv2D") and rng.random() < 0.05:
            dilation = stride = 2  # Keras's own check differs from Conv2D's: let it say
        kernel = []
        for axis in axes:
            size = shape[axis]
            top = 5
            if padding == "valid" and size is not None:
                top = min(top, (size - 1) // dilation + 1)
            kernel.append(rng.randint(1, max(top, 1)))
        layer["kernel_size"] = as_tuple_arg(ctx, kernel)
        if stride != 1 or rng.random() < 0.2:
            layer["strides"] = as_tuple_arg(ctx, [stride] * n)
        if padding != "valid" or rng.random() < 0.3:
            layer["padding"] = padding
        if dilation != 1:
            ctx.maybe(layer, "dilation_rate", dilation)
        if ctx.data_format != "channels_last" or rng.random() < 0.1:
            layer["data_format"] = ctx.data_format
        if (depthwise or type_name == "SeparableConv2D") and rng.random() < 0.4:
            ctx.maybe(layer, "depth_multiplier", rng.randint(1, 3))
        if transpose and stride > 1 and rng.random() < 0.4:
            ctx.maybe(layer, "output_padding", rng.randrange(stride))
        if type_name in ("Conv1D", "Conv2D", "Conv3D") and rng.random() < 0.12:
            divisors = [g for g in range(2, channels + 1) if channels % g == 0]
            if divisors and ctx.has(type_name, "groups"):
                groups = rng.choice(divisors)
                layer["groups"] = groups
                layer["filters"] = groups * rng.randint(1, 3)
        return extras(ctx, layer)

    return recipe


def pooling(type_name: str, n: int) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        rng = ctx.rng
        if len(shape) != n + 2:
            return None
        axes, _ = spatial(shape, ctx.data_format)
        padding = "same" if rng.random() < 0.3 else "valid"
        layer: LayerSpec = {"type": type_name}
        pool = []
        for axis in axes:
            size = shape[axis]
            top = 3 if size is None or padding == "same" else max(1, min(3, size))
            pool.append(rng.randint(1, top))
        if pool != [2] * n or rng.random() < 0.3 or (
                ctx.has(type_name, "pool_size") and
                LAYER_TYPES[type_name].param("pool_size").required):
            layer["pool_size"] = as_tuple_arg(ctx, pool)
        roll = rng.random()
        if roll < 0.3:
            layer["strides"] = as_tuple_arg(ctx, [rng.randint(1, 3)] * n)
        elif roll < 0.4:
            layer["strides"] = None
        if padding != "valid" or rng.random() < 0.3:
            layer["padding"] = padding
        if ctx.data_format != "channels_last" or rng.random() < 0.1:
            layer["data_format"] = ctx.data_format
        return extras(ctx, layer)

    return recipe


def global_pooling(type_name: str, n: int) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        if len(shape) != n + 2:
            return None
        layer: LayerSpec = {"type": type_name}
        if ctx.data_format != "channels_last" or ctx.rng.random() < 0.1:
            layer["data_format"] = ctx.data_format
        return extras(ctx, layer, chance=0.3)

    return recipe


def zero_padding(type_name: str, n: int) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        rng = ctx.rng
        if len(shape) != n + 2:
            return None
        layer: LayerSpec = {"type": type_name}
        roll = rng.random()
        if roll < 0.3:
            layer["padding"] = rng.randint(0, 3)
        elif roll < 0.6 or n == 1:
            layer["padding"] = [rng.randint(0, 3) for _ in range(n)] if n > 1 else \
                [rng.randint(0, 3), rng.randint(0, 3)]
        elif roll < 0.9:
            layer["padding"] = [[rng.randint(0, 2), rng.randint(0, 2)] for _ in range(n)]
        if n > 1 and (ctx.data_format != "channels_last" or rng.random() < 0.1):
            layer["data_format"] = ctx.data_format
        return layer

    return recipe


def cropping(type_name: str, n: int) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        rng = ctx.rng
        if len(shape) != n + 2:
            return None
        axes, _ = spatial(shape, ctx.data_format if n > 1 else "channels_last")
        pairs = []
        for axis in axes:
            size = shape[axis]
            room = 4 if size is None else size - 1  # keep at least one
            a = rng.randint(0, max(0, min(2, room)))
            b = rng.randint(0, max(0, min(2, room - a)))
            pairs.append([a, b])
        layer: LayerSpec = {"type": type_name}
        if n == 1:
            layer["cropping"] = pairs[0]
        elif rng.random() < 0.5:
            layer["cropping"] = pairs
        else:
            sym = [min(a, b) for a, b in pairs]
            layer["cropping"] = as_tuple_arg(ctx, sym)
        if n > 1 and (ctx.data_format != "channels_last" or rng.random() < 0.1):
            layer["data_format"] = ctx.data_format
        return layer

    return recipe


def upsampling(type_name: str, n: int) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        if len(shape) != n + 2:
            return None
        layer: LayerSpec = {"type": type_name}
        if ctx.rng.random() < 0.7:
            layer["size"] = as_tuple_arg(ctx, [ctx.rng.randint(1, 3) for _ in range(n)]) \
                if n > 1 else ctx.rng.randint(1, 3)
        if n > 1 and (ctx.data_format != "channels_last" or ctx.rng.random() < 0.1):
            layer["data_format"] = ctx.data_format
        return extras(ctx, layer)

    return recipe


def batch_norm(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) < 2:
        return None
    layer: LayerSpec = {"type": "BatchNormalization"}
    rank = len(shape)
    axes = [a for a in range(1, rank) if shape[a] is not None]
    if not axes:
        return None
    if ctx.data_format == "channels_first" and rank > 2 and shape[1] is not None:
        layer["axis"] = 1
    elif shape[-1] is None or ctx.rng.random() < 0.25:
        axis = ctx.rng.choice(axes)
        layer["axis"] = axis if ctx.rng.random() < 0.5 else axis - rank
    return extras(ctx, layer)


def layer_norm(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) < 2:
        return None
    rank = len(shape)
    axes = [a for a in range(1, rank) if shape[a] is not None]
    if not axes:
        return None
    layer: LayerSpec = {"type": "LayerNormalization"}
    roll = ctx.rng.random()
    if shape[-1] is None or roll < 0.3:
        chosen = sorted(ctx.rng.sample(axes, ctx.rng.randint(1, len(axes))))
        layer["axis"] = chosen if len(chosen) > 1 or ctx.rng.random() < 0.5 else chosen[0]
    return extras(ctx, layer)


def embedding(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    # Only as the first layer, on the int32 input made for it (see `random_input`).
    if ctx.specs:
        return None
    return extras(ctx, {"type": "Embedding", "input_dim": ctx.rng.choice([5, 10, 50, 1000]),
                        "output_dim": ctx.rng.choice([2, 3, 4, 8, 16])})


RNNS = ("SimpleRNN", "LSTM", "GRU")


def rnn(type_name: str) -> Recipe:
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        if len(shape) != 3 or shape[-1] is None:
            return None
        layer: LayerSpec = {"type": type_name, "units": ctx.rng.choice([1, 2, 4, 8, 16])}
        if ctx.rng.random() < 0.5:
            layer["return_sequences"] = ctx.rng.random() < 0.6
        if ctx.batch_size is not None and ctx.rng.random() < 0.1:
            layer["stateful"] = True
        return extras(ctx, layer)

    return recipe


def bidirectional(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    kinds = [t for t in RNNS if t in LAYER_TYPES]
    if not kinds:
        return None
    inner = rnn(ctx.rng.choice(kinds))(ctx, shape)
    if inner is None:
        return None
    if ctx.rng.random() < 0.7:  # a stateful pair now and then (needs a fixed batch)
        inner.pop("stateful", None)
    inner.pop("go_backwards", None)  # Keras refuses it inside Bidirectional (a mistake below)
    layer: LayerSpec = {"type": "Bidirectional", "layer": inner}
    if ctx.rng.random() < 0.15 and ctx.has("Bidirectional", "backward_layer"):
        backward = rnn(inner["type"])(ctx, shape)
        if backward is not None:
            backward.pop("stateful", None)
            backward["go_backwards"] = True
            # Other units: Keras reports the forward size but runs with another; the
            # wrappers module refuses that on purpose (tests/test_wrappers_keras.py).
            backward["units"] = inner["units"]
            backward["return_sequences"] = inner.get("return_sequences", False)
            if "stateful" in inner:
                backward["stateful"] = inner["stateful"]
            layer["backward_layer"] = backward
    if ctx.rng.random() < 0.6:
        param = LAYER_TYPES["Bidirectional"]._by_name.get("merge_mode")
        modes = [m for m in getattr(param, "choices", ("concat",)) if m is not None]
        layer["merge_mode"] = ctx.rng.choice(modes)
    return extras(ctx, layer)


def time_distributed(ctx: Ctx, shape: Shape) -> LayerSpec | None:
    if len(shape) < 3:
        return None
    inner_shape = (shape[0], *shape[2:])
    options: list[Recipe] = [dense, flatten, same_shape("Dropout")]
    if len(inner_shape) == 4:
        options += [conv("Conv2D", 2), pooling("MaxPooling2D", 2)]
    if len(inner_shape) == 3:
        options += [rnn(t) for t in RNNS if t in LAYER_TYPES]
    ctx.rng.shuffle(options)
    for option in options:
        inner = option(ctx, inner_shape)
        if inner is not None and inner["type"] in LAYER_TYPES:
            return {"type": "TimeDistributed", "layer": inner}
    return None


def generic(type_name: str) -> Recipe:
    """A layer type without a recipe: every required argument from its declaration."""
    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        cls = LAYER_TYPES[type_name]
        layer: LayerSpec = {"type": type_name}
        for param in cls.params:
            if param.required:
                value = draw(ctx.rng, param)
                if value is ...:
                    return None
                layer[param.name] = value
            elif isinstance(param, IntTupleParam | IntParam) and ctx.rng.random() < 0.3:
                layer[param.name] = draw(ctx.rng, param)
        return extras(ctx, layer)

    return recipe


# (recipe, weight) per Keras class name; only those in LAYER_TYPES are used.
RECIPES: dict[str, tuple[Recipe, float]] = {
    "Dense": (dense, 3.0),
    "Activation": (same_shape("Activation"), 0.7),
    "Dropout": (same_shape("Dropout"), 0.7),
    "Flatten": (flatten, 1.0),
    "Reshape": (reshape, 0.7),
    "Permute": (permute, 0.5),
    "RepeatVector": (repeat_vector, 0.6),
    "Conv1D": (conv("Conv1D", 1), 3.0),
    "Conv2D": (conv("Conv2D", 2), 4.0),
    "Conv3D": (conv("Conv3D", 3), 3.0),
    "Conv2DTranspose": (conv("Conv2DTranspose", 2), 1.0),
    "SeparableConv2D": (conv("SeparableConv2D", 2), 1.0),
    "DepthwiseConv2D": (conv("DepthwiseConv2D", 2), 1.0),
    "BatchNormalization": (batch_norm, 1.0),
    "LayerNormalization": (layer_norm, 0.7),
    "Embedding": (embedding, 0.0),  # placed by `random_architecture`
    "SimpleRNN": (rnn("SimpleRNN"), 1.2),
    "LSTM": (rnn("LSTM"), 1.5),
    "GRU": (rnn("GRU"), 1.5),
    "Bidirectional": (bidirectional, 1.5),
    "TimeDistributed": (time_distributed, 1.0),
}
for _n in (1, 2, 3):
    for _kind in ("Max", "Average"):
        RECIPES[f"{_kind}Pooling{_n}D"] = (pooling(f"{_kind}Pooling{_n}D", _n), 1.5)
        RECIPES[f"Global{_kind}Pooling{_n}D"] = (
            global_pooling(f"Global{_kind}Pooling{_n}D", _n), 0.6)
for _name, _n in (("Conv1DTranspose", 1), ("Conv3DTranspose", 3), ("SeparableConv1D", 1),
                 ("DepthwiseConv1D", 1)):
    RECIPES[_name] = (conv(_name, _n), 1.0)
# Never a Sequential model's layer: cells run inside RNN, attention takes several tensors
# (both compared in their own test files), Keras refuses every model holding Equalization.
for _name in ("SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells", "Equalization",
              "MultiHeadAttention", "GroupQueryAttention", "Attention", "AdditiveAttention"):
    RECIPES[_name] = (same_shape(_name), 0.0)


def rank_gated(type_name: str, rank: int, base: Callable[[str], Recipe] | None = None
               ) -> Recipe:
    """``base(type_name)`` (``same_shape``) on inputs of ``rank`` only (SpatialDropout2D:
    rank 4)."""
    inner = (base or same_shape)(type_name)

    def recipe(ctx: Ctx, shape: Shape) -> LayerSpec | None:
        return inner(ctx, shape) if len(shape) == rank else None

    return recipe


for _n in (1, 2, 3):
    RECIPES[f"SpatialDropout{_n}D"] = (rank_gated(f"SpatialDropout{_n}D", _n + 2), 0.5)
    RECIPES[f"ConvLSTM{_n}D"] = (rank_gated(f"ConvLSTM{_n}D", _n + 3, generic), 0.5)
# Valid only with arguments fitted to the input (tested with their own generators): rare
for _name in ("Discretization", "CategoryEncoding", "GroupNormalization", "STFTSpectrogram",
              "CenterCrop", "TextVectorization"):
    RECIPES[_name] = (generic(_name), 0.1)
for _n in (1, 2, 3):
    RECIPES[f"ZeroPadding{_n}D"] = (zero_padding(f"ZeroPadding{_n}D", _n), 0.6)
    RECIPES[f"Cropping{_n}D"] = (cropping(f"Cropping{_n}D", _n), 0.6)
    RECIPES[f"UpSampling{_n}D"] = (upsampling(f"UpSampling{_n}D", _n), 0.6)


def catalogue_recipes() -> list[tuple[str, Recipe, float]]:
    """Recipes for every type in the catalogue now; unknown types get `generic`."""
    out = []
    for type_name, cls in LAYER_TYPES.items():
        if type_name in RECIPES:
            recipe, weight = RECIPES[type_name]
        elif any(p.name == "layer" for p in cls.params):
            continue  # a wrapper nobody taught us to fill
        elif cls.takes_list:
            continue  # merge layers need the functional API: see test_merging_keras.py
        else:
            recipe, weight = generic(type_name), 0.3
        if weight > 0:
            out.append((type_name, recipe, weight))
    return out


# --- deliberate mistakes -------------------------------------------------------------
Mistake = Callable[[Ctx, Shape], list[LayerSpec] | None]


def kernel_too_large(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    n = len(shape) - 2
    type_name = {1: "Conv1D", 2: "Conv2D", 3: "Conv3D"}.get(n)
    if type_name is None or type_name not in LAYER_TYPES:
        return None
    axes, channel = spatial(shape, ctx.data_format)
    sizes = [shape[a] for a in axes]
    if shape[channel] is None or not any(s is not None for s in sizes):
        return None
    kernel = [1 if s is None else s + ctx.rng.randint(1, 2) for s in sizes]
    layer: LayerSpec = {"type": type_name, "filters": 4, "kernel_size": as_tuple_arg(ctx, kernel)}
    if ctx.data_format != "channels_last":
        layer["data_format"] = ctx.data_format
    return [layer]


def pool_too_large(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    n = len(shape) - 2
    type_name = f"{ctx.rng.choice(['Max', 'Average'])}Pooling{n}D"
    if type_name not in LAYER_TYPES:
        return None
    axes, _ = spatial(shape, ctx.data_format)
    sizes = [shape[a] for a in axes]
    if not any(s is not None for s in sizes):
        return None
    pool = [1 if s is None else s + ctx.rng.randint(1, 3) for s in sizes]
    layer: LayerSpec = {"type": type_name, "pool_size": as_tuple_arg(ctx, pool)}
    if ctx.data_format != "channels_last":
        layer["data_format"] = ctx.data_format
    return [layer]


def reshape_count(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    n = count(shape)
    if n is None or "Reshape" not in LAYER_TYPES:
        return None
    roll = ctx.rng.random()
    if roll < 0.4:
        target = [n + 1]
    elif roll < 0.8:
        target = [2, n] if n > 1 else [3]
    else:
        target = [-1, -1]  # two unknown sizes
    return [{"type": "Reshape", "target_shape": target}]


def rnn_on_2d(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    kinds = [t for t in RNNS if t in LAYER_TYPES]
    if len(shape) != 2 or not kinds:
        return None
    return [{"type": ctx.rng.choice(kinds), "units": 4}]


def dense_after_unknown_flatten(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    if len(shape) < 3 or None not in shape[1:] or shape[-1] is None:
        return None
    return [{"type": "Flatten"}, {"type": "Dense", "units": ctx.rng.choice(UNITS)}]


def conv_wrong_rank(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    options = [t for t, n in (("Conv1D", 1), ("Conv2D", 2), ("Conv3D", 3))
               if n + 2 != len(shape) and t in LAYER_TYPES]
    if not options:
        return None
    type_name = "Conv2D" if "Conv2D" in options and len(shape) == 3 else ctx.rng.choice(options)
    return [{"type": type_name, "filters": 8, "kernel_size": 1}]


def stateful_without_batch(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    kinds = [t for t in RNNS if t in LAYER_TYPES]
    if len(shape) != 3 or shape[0] is not None or shape[-1] is None or not kinds:
        return None
    if not ctx.has(kinds[0], "stateful"):
        return None
    return [{"type": ctx.rng.choice(kinds), "units": 3, "stateful": True}]


def duplicate_name(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    if not ctx.specs:
        return None
    try:
        names = auto_names([layer_from_spec(s) for s in ctx.specs])
    except ShapeError:
        return None
    options = [r for t, r, _ in catalogue_recipes() if t in ("Dense", "Dropout", "Activation",
                                                            "Flatten", "BatchNormalization")]
    ctx.rng.shuffle(options)
    for option in options:
        layer = option(ctx, shape)
        if layer is not None:
            # Now and then the name Keras gives the model's InputLayer, or a "/" in it.
            roll = ctx.rng.random()
            layer["name"] = ("input_layer" if roll < 0.15 else "block1/conv" if roll < 0.25
                             else ctx.rng.choice(names))
            return [layer]
    return None


def strides_and_dilation(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    n = len(shape) - 2
    type_name = {1: "Conv1D", 2: "Conv2D", 3: "Conv3D"}.get(n)
    if type_name is None or not ctx.has(type_name, "dilation_rate", "strides"):
        return None
    _, channel = spatial(shape, ctx.data_format)
    if shape[channel] is None:
        return None
    layer: LayerSpec = {"type": type_name, "filters": 2, "kernel_size": 1, "strides": 2,
                        "dilation_rate": 2, "padding": "same"}
    if ctx.data_format != "channels_last":
        layer["data_format"] = ctx.data_format
    return [layer]


def cropping_too_much(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    if len(shape) == 3 and "Cropping1D" in LAYER_TYPES and shape[1] is not None:
        a = ctx.rng.randint(0, shape[1])
        return [{"type": "Cropping1D", "cropping": [a, shape[1] - a + ctx.rng.randint(0, 1)]}]
    if len(shape) == 4 and "Cropping2D" in LAYER_TYPES:
        axes, _ = spatial(shape, ctx.data_format)
        sizes = [shape[a] or 0 for a in axes]
        if 0 in sizes:
            return None
        pick = ctx.rng.randrange(2)
        crop = [[0, 0], [0, 0]]
        crop[pick] = [sizes[pick] // 2, sizes[pick] - sizes[pick] // 2]
        layer: LayerSpec = {"type": "Cropping2D", "cropping": crop}
        if ctx.data_format != "channels_last":
            layer["data_format"] = ctx.data_format
        return [layer]
    return None


def wrong_rank_misc(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    """RepeatVector on a non-2-D tensor, or global pooling of the wrong rank."""
    options: list[LayerSpec] = []
    if len(shape) != 2 and "RepeatVector" in LAYER_TYPES:
        options.append({"type": "RepeatVector", "n": 3})
    for n in (1, 2, 3):
        type_name = f"Global{ctx.rng.choice(['Max', 'Average'])}Pooling{n}D"
        if len(shape) != n + 2 and type_name in LAYER_TYPES:
            options.append({"type": type_name})
    return [ctx.rng.choice(options)] if options else None


def bad_permute(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    if "Permute" not in LAYER_TYPES or len(shape) < 3:
        return None
    rank = len(shape) - 1
    dims = list(range(1, rank + 1))
    # One axis short, or one too many.
    dims = dims[::-1][:-1] or [2] if ctx.rng.random() < 0.5 else [*dims, rank + 1]
    return [{"type": "Permute", "dims": dims}]


def bidirectional_go_backwards(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    """Bidirectional around a layer that already runs backwards: Keras refuses it."""
    if "Bidirectional" not in LAYER_TYPES:
        return None
    layer = bidirectional(ctx, shape)
    if layer is None or not ctx.has(layer["layer"]["type"], "go_backwards"):
        return None
    layer["layer"]["go_backwards"] = True
    return [layer]


def misspelled_initializer(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    """A typo in an initializer's name (``"glorot_unifrom"``): Keras refuses the layer."""
    for recipe in (dense, conv("Conv1D", 1), conv("Conv2D", 2), rnn("LSTM")):
        layer = recipe(ctx, shape)
        if layer is None or layer["type"] not in LAYER_TYPES:
            continue
        keys = [p.name for p in LAYER_TYPES[layer["type"]].params
                if p.name.endswith("_initializer")]
        if keys:
            layer[ctx.rng.choice(keys)] = ctx.rng.choice(
                ["glorot_unifrom", "he_normall", "zero", "Xavier"])
            return [layer]
    return None


def batch_norm_bad_axis(ctx: Ctx, shape: Shape) -> list[LayerSpec] | None:
    if "BatchNormalization" not in LAYER_TYPES or len(shape) < 2:
        return None
    return [{"type": "BatchNormalization", "axis": len(shape) + ctx.rng.randint(0, 1)}]


# name → (mistake, weight): the mistakes learners make most weigh most.
MISTAKES: dict[str, tuple[Mistake, float]] = {
    "kernel_too_large": (kernel_too_large, 3.0),
    "pool_too_large": (pool_too_large, 2.0),
    "reshape_count": (reshape_count, 2.0),
    "rnn_on_2d": (rnn_on_2d, 3.0),
    "dense_after_unknown_flatten": (dense_after_unknown_flatten, 5.0),
    "conv_wrong_rank": (conv_wrong_rank, 2.0),
    "stateful_without_batch": (stateful_without_batch, 2.0),
    "duplicate_name": (duplicate_name, 2.0),
    "strides_and_dilation": (strides_and_dilation, 1.0),
    "cropping_too_much": (cropping_too_much, 1.0),
    "wrong_rank": (wrong_rank_misc, 1.0),
    "bad_permute": (bad_permute, 0.5),
    "batch_norm_bad_axis": (batch_norm_bad_axis, 0.5),
    "bidirectional_go_backwards": (bidirectional_go_backwards, 0.5),
    "misspelled_initializer": (misspelled_initializer, 1.0),
}


# --- models --------------------------------------------------------------------------
def random_input(rng: random.Random, *, embedding: bool) -> tuple[list[int | None], str, str]:
    """(input_shape, dtype, data_format) for a new model."""
    def size(lo: int, hi: int, unknown: float = 0.12) -> int | None:
        return None if rng.random() < unknown else rng.randint(lo, hi)

    if embedding:
        if rng.random() < 0.8:
            return [size(1, 30, 0.25)], "int32", "channels_last"
        return [size(1, 6), size(1, 6)], "int32", "channels_last"
    rank = rng.choices([1, 2, 3, 4], weights=[0.25, 0.3, 0.3, 0.15])[0]
    data_format = "channels_first" if rank >= 3 and rng.random() < 0.15 else "channels_last"
    if rank == 1:
        shape: list[int | None] = [rng.choice([1, 2, 3, 4, 8, 10, 20, 64])]
    elif rank == 2:
        shape = [size(1, 40, 0.2), rng.randint(1, 12)]
    elif rank == 3:
        shape = [size(1, 32), size(1, 32), rng.choice([1, 3, 4])]
    else:
        shape = [size(1, 8), size(2, 10), size(2, 10), rng.choice([1, 2, 3])]
    if data_format == "channels_first":
        shape = [shape[-1], *shape[:-1]]
    # Now and then integer data fed to layers that compute in floats (Keras casts it).
    return shape, "int32" if rng.random() < 0.04 else "float32", data_format


def next_shape(layer: LayerSpec, shape: Shape) -> Shape | None:
    """What shapewidget says the layer makes of ``shape`` (None if it refuses).

    Any other exception is a bug in a layer module: the chain stops here and the
    comparison with Keras shows the failure.
    """
    try:
        return layer_from_spec(layer).evaluate(shape).output_shape
    except (ShapeError, Exception):
        return None


def _pick(ctx: Ctx, shape: Shape, recipes: list[tuple[str, Recipe, float]],
          remaining: int) -> LayerSpec | None:
    candidates: list[tuple[LayerSpec, float]] = []
    for type_name, recipe, weight in recipes:
        layer = recipe(ctx, shape)
        if layer is None:
            continue
        # Near the end of a deep tensor, head for a dense classifier.
        if remaining <= 2 and len(shape) > 2 and type_name in (
                "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
                "GlobalMaxPooling2D", "GlobalAveragePooling3D"):
            weight *= 3
        candidates.append((layer, weight))
    if not candidates:
        return None
    pick = ctx.rng.choices(range(len(candidates)), weights=[w for _, w in candidates])[0]
    return candidates[pick][0]


def decorate(ctx: Ctx, layer: LayerSpec, index: int) -> None:
    """Now and then freeze a layer or give it an explicit (unique) name."""
    if ctx.rng.random() < 0.08:
        layer["trainable"] = False
    if ctx.rng.random() < 0.08:
        layer["name"] = f"my_{layer['type'].lower()}_layer{index}"


def add_mistake(ctx: Ctx, shape: Shape) -> str | None:
    """Append one deliberate mistake that fits ``shape``; its name, or None if none fits."""
    options = [(name, mistake, weight) for name, (mistake, weight) in MISTAKES.items()]
    while options:
        pick = ctx.rng.choices(range(len(options)), weights=[w for *_, w in options])[0]
        name, mistake, _ = options.pop(pick)
        bad = mistake(ctx, shape)
        if bad:
            ctx.specs.extend(bad)
            return name
    return None


def input_mistake(ctx: Ctx, input_shape: list[int | None]
                  ) -> tuple[str | None, list[int | None]]:
    """The batch axis written into ``input_shape`` (``(30, 28, 28, 1)`` for 28×28 images),
    or an unknown feature axis; the first layer then cannot take it."""
    rng = ctx.rng
    rank = len(input_shape)
    conv_type = {2: "Conv1D", 3: "Conv2D"}.get(rank)
    first_format = ctx.data_format == "channels_last"
    if conv_type in LAYER_TYPES and first_format and rng.random() < 0.6:
        ctx.specs.append({"type": conv_type, "filters": 8, "kernel_size": 1})
        return "batch_axis_in_input_shape", [rng.choice([16, 30, 32]), *input_shape]
    options = ["Dense"] + [t for t in ("LSTM", "GRU", "Conv1D") if rank == 2 and t in LAYER_TYPES]
    if rank >= 2:
        layer_type = rng.choice(options)
        layer: LayerSpec = {"type": layer_type}
        if layer_type == "Conv1D":
            layer.update(filters=4, kernel_size=1)
        else:
            layer["units"] = 4
        ctx.specs.append(layer)
        return "unknown_feature_axis", [*input_shape[:-1], None]
    return None, input_shape


def random_architecture(rng: random.Random) -> Architecture:
    """One random Sequential architecture (valid, or with one deliberate mistake)."""
    recipes = catalogue_recipes()
    use_embedding = "Embedding" in LAYER_TYPES and rng.random() < 0.12
    input_shape, dtype, data_format = random_input(rng, embedding=use_embedding)
    batch_size = rng.choice([1, 2, 4, 30, 32]) if rng.random() < 0.2 else None
    ctx = Ctx(rng, data_format, batch_size)
    length = rng.randint(1, 8)
    invalid = rng.random() < INVALID_FRACTION
    mistake_at = rng.randrange(length) if invalid else length
    shape: Shape = (batch_size, *input_shape)
    while len(ctx.specs) < min(length, mistake_at):
        index = len(ctx.specs)
        if index == 0 and use_embedding:
            layer = embedding(ctx, shape)
        else:
            layer = _pick(ctx, shape, recipes, length - index)
        if layer is None:
            break
        decorate(ctx, layer, index)
        ctx.specs.append(layer)
        after = next_shape(layer, shape)
        if after is None:  # shapewidget refuses it: Keras must say whether it is right
            break
        shape = after
    intent = "valid"
    if invalid and not ctx.specs and rng.random() < 0.3:
        # Mistakes in the input itself, fed to a first layer that needs it right.
        name, input_shape = input_mistake(ctx, input_shape)
        if name is not None:
            spec = {"input_shape": input_shape, "batch_size": batch_size,
                    "input_dtype": dtype, "layers": ctx.specs}
            return Architecture(spec, name)
    if invalid:
        name = add_mistake(ctx, shape)
        if name is None:  # nothing fits this tensor: flatten it, then one will
            ctx.specs.append({"type": "Flatten"})
            shape = next_shape(ctx.specs[-1], shape) or (shape[0], None)
            name = add_mistake(ctx, shape)
        intent = name or "valid"
        # A layer or two after the mistake (Keras never gets to them).
        for _ in range(rng.randint(0, 2)):
            extra = _pick(ctx, shape, recipes, 0)
            if extra is not None:
                ctx.specs.append(extra)
    if not ctx.specs:  # nothing fitted the input (rare): a Flatten always does
        ctx.specs.append({"type": "Flatten"})
    spec = {"input_shape": input_shape, "batch_size": batch_size, "input_dtype": dtype,
            "layers": ctx.specs}
    return Architecture(spec, intent)


def architectures(count: int, seed: int = 0) -> Iterator[Architecture]:
    """``count`` random architectures, the same ones for the same seed and catalogue."""
    rng = random.Random(seed)
    for _ in range(count):
        yield random_architecture(random.Random(rng.getrandbits(64)))


__all__ = ["MISTAKES", "RECIPES", "Architecture", "architectures", "draw",
           "random_architecture"]
