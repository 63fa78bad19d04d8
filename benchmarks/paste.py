"""Paste time of ``from_keras_code`` against source size: it must stay linear.

Three kinds of source at 10, 40 and 160 KB: lines of ``x = foo()`` (code that does not
build the model, each line an unknown value — issue 11 found 10 s for 20 KB and 39 s for
40 KB), a long functional model (one layer per line), and a tutorial-style file (helper
functions, loops, shape reads) repeated. Prints seconds per size and the time ratio of each
step (4× the source should take about 4× the time), and the 200 KB refusal.

Run: ``python benchmarks/paste.py``
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from shapewidget import ShapeError
from shapewidget.codeparse import MAX_SOURCE, from_keras_code

SIZES_KB = (10, 40, 160)
MODEL = ("import keras\nfrom keras import layers\n"
         "model = keras.Sequential([keras.Input((3,)), layers.Dense(4)])\n")
TUTORIAL_BLOCK = '''
def conv_block_{k}(x, filters, kernel_size=3, pool=True):
    x = layers.Conv2D(filters, kernel_size, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    if pool:
        x = layers.MaxPooling2D()(x)
    return x


def make_model_{k}(input_shape=(32, 32) + (3,), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for i, f in enumerate([16, 32, 64]):
        x = conv_block_{k}(x, f, pool=i < 2)
    x = layers.Reshape((x.shape[1] * x.shape[2], x.shape[-1]))(x)
    x = layers.GlobalAveragePooling1D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = make_model_{k}(num_classes={k} % 7 + 2)
model.summary()
'''


def unknown_calls(size: int) -> str:
    lines, total, k = [], len(MODEL), 0
    while total < size:
        line = f"x{k} = foo()\n"
        lines.append(line)
        total += len(line)
        k += 1
    return "".join(lines) + MODEL


def long_model(size: int) -> str:
    head = "import keras\nfrom keras import layers\nx = keras.Input((8,))\ni = x\n"
    lines, total = [head], len(head)
    tail = "model = keras.Model(i, x)\n"
    while total < size - len(tail):
        line = "x = layers.Dense(8)(x)\n"
        lines.append(line)
        total += len(line)
    return "".join(lines) + tail


def tutorial(size: int) -> str:
    parts, total, k = ["import keras\nfrom keras import layers\n"], 0, 0
    while total < size:
        block = TUTORIAL_BLOCK.format(k=k)
        parts.append(block)
        total += len(block)
        k += 1
    return "".join(parts)


def seconds(source: str) -> float:
    start = time.perf_counter()
    from_keras_code(source)
    return time.perf_counter() - start


def report(name: str, make: Callable[[int], str]) -> None:
    times = []
    for kb in SIZES_KB:
        source = make(kb * 1000)
        times.append(min(seconds(source) for _ in range(2)))
    cells = "  ".join(f"{kb:>3} KB {t:6.3f} s" for kb, t in zip(SIZES_KB, times, strict=True))
    ratios = "  ".join(f"{b / a:4.1f}×" for a, b in itertools.pairwise(times))
    print(f"{name:<22} {cells}   ratio per 4× size: {ratios}")


def main() -> None:
    from_keras_code(MODEL)  # imports and first-call costs out of the figures
    report("x = foo() lines", unknown_calls)
    report("functional layers", long_model)
    report("tutorial functions", tutorial)
    start = time.perf_counter()
    try:
        from_keras_code("x = 1\n" * (MAX_SOURCE // 6 + 1))
    except ShapeError as err:
        print(f"over {MAX_SOURCE:,} characters: refused in "
              f"{time.perf_counter() - start:.4f} s: {err}")


if __name__ == "__main__":
    main()
