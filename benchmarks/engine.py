"""How fast is the shape engine? Summaries of 3-, 20- and 100-layer models against
building the same models in Keras 3 (JAX backend), in the same run.

    python benchmarks/engine.py [--repeats N] [--profile]

Prints, per model: shapewidget's time to compute the summary from already-built layers
(``compute_summary``, no cache), the time of the whole path from the JSON spec
(``Model.from_spec(spec).summary()``: argument validation, names and summary), Keras's
time to build the same ``Sequential`` model (``StatelessScope``, no weights filled), and
the ratios. Targets: at least 100x faster than Keras, under 1 ms for 100 layers.
Times are CPU time of this process (``time.process_time``, all threads, JAX's included),
medians of many repeats, so that other load on a shared machine counts less.
Keras is optional: without it only shapewidget's times are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from shapewidget import Model  # noqa: E402
from shapewidget.model import compute_summary  # noqa: E402

TARGET_RATIO = 100.0
TARGET_100_LAYERS_S = 1e-3


def model_3() -> dict[str, Any]:
    """The classic tutorial network."""
    return {"input_shape": [3], "batch_size": None, "input_dtype": "float32",
            "layers": [{"type": "Dense", "units": 4, "activation": "relu"},
                       {"type": "Dense", "units": 4, "activation": "relu"},
                       {"type": "Dense", "units": 1}]}


def model_20() -> dict[str, Any]:
    """A small image classifier: four conv blocks, then a dense head."""
    layers: list[dict[str, Any]] = []
    for filters in (16, 32, 64, 64):
        layers += [{"type": "Conv2D", "filters": filters, "kernel_size": 3, "padding": "same"},
                   {"type": "BatchNormalization"},
                   {"type": "Activation", "activation": "relu"},
                   {"type": "MaxPooling2D", "pool_size": 2}]
    layers += [{"type": "Flatten"}, {"type": "Dense", "units": 128, "activation": "relu"},
               {"type": "Dropout", "rate": 0.5}, {"type": "Dense", "units": 10}]
    return {"input_shape": [64, 64, 3], "batch_size": None, "input_dtype": "float32",
            "layers": layers}


def model_100() -> dict[str, Any]:
    """A deep stack: 24 conv blocks (conv, norm, activation, dropout), then a head."""
    layers: list[dict[str, Any]] = []
    for i in range(24):
        layers += [{"type": "Conv2D", "filters": 8 + 8 * (i % 4), "kernel_size": [3, 3],
                    "padding": "same", "use_bias": False},
                   {"type": "BatchNormalization"},
                   {"type": "Activation", "activation": "relu"},
                   {"type": "Dropout", "rate": 0.1}]
    layers += [{"type": "GlobalAveragePooling2D"},
               {"type": "Dense", "units": 64, "activation": "relu"},
               {"type": "Dropout", "rate": 0.2}, {"type": "Dense", "units": 10}]
    return {"input_shape": [32, 32, 3], "batch_size": None, "input_dtype": "float32",
            "layers": layers}


MODELS: dict[str, Callable[[], dict[str, Any]]] = {
    "3 layers": model_3, "20 layers": model_20, "100 layers": model_100}


def median_time(fn: Callable[[], Any], repeats: int, min_batch_s: float = 0.02) -> float:
    """Median over ``repeats`` batches of the time of one call (batches of many calls
    when one call is too short to time)."""
    clock = time.process_time
    fn()  # warm up
    start = clock()
    fn()
    once = clock() - start
    number = max(1, int(min_batch_s / max(once, 1e-7)))
    samples = []
    for _ in range(repeats):
        start = clock()
        for _ in range(number):
            fn()
        samples.append((clock() - start) / number)
    return statistics.median(samples)


def engine_call(spec: dict[str, Any]) -> Callable[[], Any]:
    """``compute_summary`` on the model's built layers: the shape engine, uncached."""
    model = Model.from_spec(spec)
    layers, names, shape = model.layers, model.layer_names, model.batch_input_shape

    def run() -> Any:
        result = compute_summary(layers, names, shape)
        assert result.error is None
        return result

    return run


def spec_call(spec: dict[str, Any]) -> Callable[[], Any]:
    """The whole path from a spec: validate arguments, name layers, summarise."""
    def run() -> Any:
        return Model.from_spec(spec).summary()

    return run


def keras_call(spec: dict[str, Any]) -> Callable[[], Any] | None:
    try:
        import keras
    except ImportError:
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from keras_reference import keras_layer

    def run() -> Any:
        keras.backend.clear_session(free_memory=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with keras.StatelessScope(initialize_variables=False):
                model = keras.Sequential(
                    [keras.Input(shape=tuple(spec["input_shape"]),
                                 batch_size=spec["batch_size"])]
                    + [keras_layer(layer) for layer in spec["layers"]])
                return model.output_shape, model.count_params()

    return run


def check_same(spec: dict[str, Any], keras_run: Callable[[], Any]) -> None:
    """The benchmark models must mean the same thing in both."""
    shape, params = keras_run()
    ours = Model.from_spec(spec).summary()
    assert tuple(shape) == ours.output_shape, (shape, ours.output_shape)
    assert params == ours.total_params, (params, ours.total_params)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.2f} s "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=31,
                        help="timed batches per measurement (median reported)")
    parser.add_argument("--keras-repeats", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the 100-layer summary and print the top functions")
    args = parser.parse_args(argv)

    print(f"{'model':<11} {'engine':>11} {'from spec':>11} {'keras':>11} "
          f"{'keras/engine':>13} {'keras/spec':>11}")
    ok = True
    for label, make in MODELS.items():
        spec = make()
        engine = median_time(engine_call(spec), args.repeats)
        whole = median_time(spec_call(spec), args.repeats)
        keras_run = keras_call(spec)
        if keras_run is None:
            print(f"{label:<11} {fmt(engine)} {fmt(whole)} {'(no keras)':>11}")
            continue
        check_same(spec, keras_run)
        keras_t = median_time(keras_run, args.keras_repeats, min_batch_s=0.0)
        print(f"{label:<11} {fmt(engine)} {fmt(whole)} {fmt(keras_t)} "
              f"{keras_t / engine:12.0f}x {keras_t / whole:10.0f}x")
        fast = keras_t / engine >= TARGET_RATIO
        print(f"{'':<11} {TARGET_RATIO:.0f}x faster than Keras: {'met' if fast else 'MISSED'}")
        ok &= fast
        if label == "100 layers":
            quick = engine < TARGET_100_LAYERS_S
            print(f"{'':<11} under {TARGET_100_LAYERS_S * 1e3:.0f} ms: "
                  f"{'met' if quick else 'MISSED'}")
            ok &= quick
    print(f"targets (on the engine, compute_summary): {'met' if ok else 'MISSED'}; "
          f"run with --profile to see where the time goes")
    if args.profile:
        spec = model_100()
        for title, run in (("compute_summary", engine_call(spec)),
                           ("Model.from_spec(spec).summary()", spec_call(spec))):
            print(f"\n--- profile: {title}, 100 layers, 200 calls ---")
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(200):
                run()
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
