"""Shape maths: pure functions over shape tuples, ``None`` meaning an unknown size.

Mirrors Keras 3's ``keras/src/ops/operation_utils.py`` and ``conv_utils``.
"""

from __future__ import annotations

import math

Dim = int | None
Shape = tuple[Dim, ...]


def format_shape(shape: Shape) -> str:
    """A shape as Keras prints it: ``(None, 4)``, ``(30, 48, 48, 8)``, ``(None,)``."""
    return str(tuple(shape))


def num_values(shape: Shape) -> int | None:
    """How many numbers a tensor of this shape holds; ``None`` if a size is unknown."""
    if None in shape:
        return None
    return math.prod(shape)  # type: ignore[arg-type]  # no None: checked above


def product_expression(shape: Shape) -> str:
    """``"30·4·10"`` for (30, 4, 10); ``"1"`` for ()."""
    return "·".join("?" if d is None else str(d) for d in shape) or "1"


def conv_output_length(
    length: Dim, kernel: int, stride: int, padding: str, dilation: int = 1
) -> Dim:
    """One spatial axis of a convolution (``compute_conv_output_shape``).

    ``padding`` is ``valid``, ``same`` or ``causal``; the result may be zero or negative
    for ``valid``, which Keras rejects (the caller decides what to say).
    """
    if length is None:
        return None
    if padding == "valid":
        return (length - dilation * (kernel - 1) - 1) // stride + 1
    return (length - 1) // stride + 1


def pool_output_length(length: Dim, pool: int, stride: int, padding: str) -> Dim:
    """One spatial axis of a pooling layer (``compute_pooling_output_shape``)."""
    if length is None:
        return None
    if padding == "valid":
        return (length - pool) // stride + 1
    return (length - 1) // stride + 1


def deconv_output_length(
    length: Dim,
    kernel: int,
    stride: int,
    padding: str,
    output_padding: int | None = None,
    dilation: int = 1,
) -> Dim:
    """One spatial axis of a transposed convolution (``conv_utils.deconv_output_length``)."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


# --- Reshaping and normalization ---------------------------------------------------


def spatial_axes(rank: int, channels_first: bool = False) -> tuple[int, ...]:
    """Indices of the spatial axes of a ``rank``-D tensor, batch axis included:
    ``(1, 2)`` for ``(batch, H, W, C)``, ``(2, 3)`` for ``(batch, C, H, W)``."""
    start = 2 if channels_first else 1
    return tuple(range(start, start + rank - 2))


def resolve_reshape(dims: Shape, target: Shape) -> Shape | None:
    """The shape ``dims`` takes when reshaped to ``target`` (``compute_reshape_output_shape``).

    ``-1`` in ``target`` becomes the inferred size. As in Keras, nothing is checked when
    a size in ``dims`` or ``target`` is unknown (the ``-1`` becomes ``None``). Returns
    ``None`` when the number of values cannot be kept.
    """
    if None in dims or None in target:
        return tuple(None if d == -1 else d for d in target)
    total = math.prod(d for d in dims if d is not None)
    if -1 not in target:
        return target if math.prod(d for d in target if d is not None) == total else None
    known = math.prod(d for d in target if d is not None and d != -1)
    if known == 0 or total % known:
        return None
    return tuple(total // known if d == -1 else d for d in target)


def normalize_axis(axis: int, rank: int) -> int | None:
    """``axis`` as a non-negative index into a ``rank``-D shape; ``None`` if out of range."""
    if -rank <= axis < rank:
        return axis % rank
    return None


# --- Convolution and pooling ------------------------------------------------------


def dilated_span(kernel: int, dilation: int = 1) -> int:
    """How many input positions a dilated kernel covers: ``dilation·(kernel − 1) + 1``."""
    return dilation * (kernel - 1) + 1


def span_expression(kernel: int, dilation: int) -> str:
    """``"2·(3 − 1) + 1 = 5"``: the positions a kernel of 3 dilated by 2 covers."""
    return f"{dilation}·({kernel} − 1) + 1 = {dilated_span(kernel, dilation)}"


def conv_length_expression(
    length: Dim, kernel: int, stride: int, padding: str, dilation: int = 1
) -> str:
    """The arithmetic of :func:`conv_output_length` (and of pooling, ``dilation=1``).

    ``"(50 − 3) / 1 + 1 = 48"``, ``"⌊(50 − 3) / 2⌋ + 1 = 24"`` (floor where the division
    is not exact), ``"⌈50 / 3⌉ = 17"`` for ``same``/``causal``; ``"None"`` when unknown.
    The kernel is shown as the positions it spans (its dilated size).
    """
    return conv_length(length, kernel, stride, padding, dilation)[1]


def conv_length(
    length: Dim, kernel: int, stride: int, padding: str, dilation: int = 1
) -> tuple[Dim, str]:
    """:func:`conv_output_length` and its arithmetic (:func:`conv_length_expression`)
    at once: ``(48, "(50 − 3) / 1 + 1 = 48")``, ``(None, "None")`` when unknown."""
    if length is None:
        return None, "None"
    if padding == "valid":
        span = dilation * (kernel - 1) + 1
        out = (length - span) // stride + 1
        if (length - span) % stride == 0:
            return out, f"({length} − {span}) / {stride} + 1 = {out}"
        return out, f"⌊({length} − {span}) / {stride}⌋ + 1 = {out}"
    out = (length - 1) // stride + 1
    if length % stride == 0:
        return out, f"{length} / {stride} = {out}"
    return out, f"⌈{length} / {stride}⌉ = {out}"


def deconv_length_expression(
    length: Dim,
    kernel: int,
    stride: int,
    padding: str,
    output_padding: int | None = None,
    dilation: int = 1,
) -> str:
    """The arithmetic of :func:`deconv_output_length`, in Keras's own form.

    ``output_padding=None``: ``"(8 − 1) × 2 + max(3, 2) = 17"`` (valid),
    ``"8 × 2 = 16"`` (same). Given: ``"(8 − 1) × 2 + 3 + 1 = 18"`` (valid),
    ``"(8 − 1) × 2 + (3 mod 2) + 1 = 16"`` (same). ``"None"`` when unknown.
    """
    if length is None:
        return "None"
    out = deconv_output_length(length, kernel, stride, padding, output_padding, dilation)
    span = dilated_span(kernel, dilation)
    if output_padding is None:
        if padding == "valid":
            return f"({length} − 1) × {stride} + max({span}, {stride}) = {out}"
        return f"{length} × {stride} = {out}"
    if padding == "valid":
        return f"({length} − 1) × {stride} + {span} + {output_padding} = {out}"
    return f"({length} − 1) × {stride} + ({span} mod 2) + {output_padding} = {out}"


# --- Recurrent layers and wrappers ---------------------------------------------------


def rnn_output_shape(input_shape: Shape, units: int, return_sequences: bool) -> Shape:
    """A recurrent layer's output for ``(batch, steps, features)``: ``(batch, steps, units)``
    with ``return_sequences``, else ``(batch, units)`` (only the last step is kept)."""
    if return_sequences:
        return (input_shape[0], input_shape[1], units)
    return (input_shape[0], units)


def time_step_shape(input_shape: Shape) -> Shape:
    """What a layer wrapped in ``TimeDistributed`` sees: the input without axis 1 (time)."""
    return (input_shape[0], *input_shape[2:])


def with_time_axis(step_output: Shape, steps: Dim) -> Shape:
    """``TimeDistributed``'s output: the wrapped layer's output with the time axis put back."""
    return (step_output[0], steps, *step_output[1:])


def bidirectional_merge_shape(shape: Shape, merge_mode: str) -> Shape:
    """The merged output of a ``Bidirectional`` layer, from the forward layer's output
    (as Keras computes it): ``concat`` doubles the last axis, ``sum``/``mul``/``ave`` keep
    the shape."""
    if merge_mode == "concat":
        last = shape[-1]
        return (*shape[:-1], None if last is None else 2 * last)
    return shape
