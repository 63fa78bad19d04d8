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
    if any(d is None for d in shape):
        return None
    return math.prod(d for d in shape if d is not None)


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
