"""Is automatic layer naming linear? Times for 1k, 4k and 16k layers, and the ratios.

    python benchmarks/naming.py [--sizes 1000 4000 16000] [--root PATH] [--no-keras]

Keras names a layer it is not given a name for ``dense``, ``dense_1``, … (see
:mod:`shapewidget.naming`). Three places name layers, each timed here on models of
``n`` unnamed layers (Dense, Conv1D and TimeDistributed(Dense), whose inner layer is
counted too):

- ``model``: ``Model.layer_names``, the names every summary and export uses;
- ``paste``: ``Model.from_keras_code`` of functional code, one ``x = layers.Dense(2)(x)``
  line per layer (the whole read, naming included);
- ``readers``: the naming step alone, as the code reader and the Keras import do it:
  each layer named as it is read, after the ones before it (``naming.AutoNamer`` where
  the checkout has it; in older checkouts ``auto_names([*before, layer])[-1]``, what the
  Keras import did);
- ``keras``: ``Model.from_keras`` of a live functional Keras model (the import only; the
  Keras model is built outside the timed part, in a ``StatelessScope``). Needs keras;
  Keras itself fails to build functional models thousands of layers deep
  (RecursionError at 4,000 here), so this one stops early.

Linear work gives a ratio near 4 from one size to the next (quadratic: 16). ``--root``
times another checkout of shapewidget (e.g. an older commit, for before/after figures).
Times are wall-clock seconds of one run each (the sizes are large enough to be steady).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def specs(n: int) -> list[dict[str, Any]]:
    """``n`` unnamed layers that fit a (steps, features) input and keep its rank."""
    kinds: list[dict[str, Any]] = [{"type": "Dense", "units": 4},
             {"type": "Conv1D", "filters": 4, "kernel_size": 1},
             {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}]
    return [kinds[i % 3] for i in range(n)]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_model(n: int) -> float:
    from shapewidget import Model

    model = Model.from_spec({"input_shape": [3, 4], "layers": specs(n)})
    return timed(lambda: model.layer_names)


def bench_readers(n: int) -> float:
    from shapewidget import Model

    layers = list(Model.from_spec({"input_shape": [3, 4], "layers": specs(n)}).layers)
    if not hasattr(layers[0], "reused_layer"):  # an older checkout: readers rescanned
        from shapewidget.model import auto_names

        return timed(lambda: [auto_names(layers[:k + 1])[-1] for k in range(n)])
    from shapewidget.naming import AutoNamer

    def read() -> list[str]:
        namer = AutoNamer()
        return [namer.name(layer) for layer in layers]

    return timed(read)


def bench_paste(n: int) -> float:
    from shapewidget import Model

    lines = ["import keras", "from keras import layers", "",
             "inputs = keras.Input(shape=(3, 4))", "x = inputs"]
    calls = ["layers.Dense(4)", "layers.Conv1D(4, 1)",
             "layers.TimeDistributed(layers.Dense(4))"]
    lines += [f"x = {calls[i % 3]}(x)" for i in range(n)]
    lines.append("model = keras.Model(inputs, x)")
    source = "\n".join(lines) + "\n"
    return timed(lambda: Model.from_keras_code(source))


def bench_keras(n: int) -> float:
    import keras

    from shapewidget import Model

    keras.backend.clear_session()
    with keras.StatelessScope(initialize_variables=False):
        inputs = keras.Input(shape=(3, 4))
        x = inputs
        for i in range(n):
            layer = [lambda: keras.layers.Dense(4), lambda: keras.layers.Conv1D(4, 1),
                     lambda: keras.layers.TimeDistributed(keras.layers.Dense(4))][i % 3]()
            x = layer(x)
        live = keras.Model(inputs, x)
    return timed(lambda: Model.from_keras(live))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the shapewidget checkout to time")
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras import")
    parser.add_argument("--only", choices=["model", "readers", "paste", "keras"], nargs="+")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    benches: dict[str, Callable[[int], float]] = {
        "model": bench_model, "readers": bench_readers, "paste": bench_paste,
        "keras": bench_keras}
    chosen = args.only or [k for k in benches if not (k == "keras" and args.no_keras)]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))  # old readers recursed
    print(f"shapewidget from {args.root}")
    print(f"{'what':<8}" + "".join(f"{n:>12,}" for n in args.sizes) + "   ratios")
    for key in chosen:
        times: list[float] = []
        for n in args.sizes:
            try:
                times.append(benches[key](n))
            except Exception as err:  # e.g. an old version refusing: say so, go on
                print(f"{key:<8} n={n}: {type(err).__name__}: {str(err)[:100]}")
                break
        ratios = [f"{b / a:.1f}" for a, b in itertools.pairwise(times) if a > 0]
        print(f"{key:<8}" + "".join(f"{t:>11.3f}s" for t in times)
              + f"   {' '.join(ratios)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
