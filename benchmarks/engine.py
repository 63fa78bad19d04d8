"""How fast is the shape engine? Summaries of 3-, 20- and 100-layer models against
building the same models in Keras 3 (JAX backend), in the same run.

    python benchmarks/engine.py [--repeats N] [--profile]

A layer remembers its result per input shape (layers are immutable: an edit makes a new
layer), so the engine is timed twice:

- cold: ``compute_summary`` on freshly built layers, nothing remembered (the first
  summary of a model, e.g. after pasting code);
- warm: the live case, one argument of the layer nearest the middle of the model edited
  (a Conv2D's ``filters`` or a Dense's ``units`` set to a value not seen before), then
  ``compute_summary`` on the new layer list: the edited layer and the layers whose input
  shape the edit changed are computed, the others are remembered.

A summary row's explanation (its notes) is worked out when it is first read, not while
the summary is computed, for most layer types (the rows of the same model still compare
equal, the text is the same): the cold figure is the summary without reading them. So
that the cost moved out of it stays in view, the 100-layer model is also timed cold
*then* every row's explanation rendered (English), as a table showing all explanations
would; that figure is printed for information, it has no target.

Also printed: the whole path from the JSON spec (``Model.from_spec(spec).summary()``:
argument validation, names and summary, cold), Keras's time to build the same
``Sequential`` model (``StatelessScope``, no weights filled), and the ratios of Keras's
time to the cold and the warm figure. Targets: at least 100x faster than Keras, under
1 ms for 100 layers; each is reported for the cold and the warm figure, and the exit
status is 0 only when both figures meet every target.
Times are CPU time of this process (``time.process_time``, all threads, JAX's included),
medians of many repeats, so that other load on a shared machine counts less (it still
slows everything, Keras included: the ratios are steadier than the absolute times).
Layers are built outside the timed part. Keras is optional: without it only
shapewidget's times are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import itertools
import os
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from shapewidget import Model  # noqa: E402
from shapewidget.layers import Layer  # noqa: E402
from shapewidget.model import compute_summary  # noqa: E402
from shapewidget.shapes import Shape  # noqa: E402
from shapewidget.spec import layer_from_spec  # noqa: E402
from shapewidget.summary import Summary  # noqa: E402

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
    return median_time_prepared(lambda: None, lambda _: fn(), repeats, min_batch_s)


def median_time_prepared(prepare: Callable[[], Any], run: Callable[[Any], Any],
                         repeats: int, min_batch_s: float = 0.02) -> float:
    """:func:`median_time` of ``run(x)``, each call with its own ``x = prepare()`` made
    while the clock is stopped (e.g. fresh layers that nothing has been remembered on).
    One input at a time, so that prepared objects do not pile up (a heap grown only for
    the benchmark would make the garbage collector's passes longer)."""
    clock = time.process_time
    run(prepare())  # warm up
    x = prepare()
    start = clock()
    run(x)
    once = clock() - start
    number = max(1, int(min_batch_s / max(once, 1e-7)))
    samples = []
    for _ in range(repeats):
        total = 0.0
        for _ in range(number):
            x = prepare()
            start = clock()
            run(x)
            total += clock() - start
        samples.append(total / number)
    return statistics.median(samples)


def summarise(layers: Sequence[Layer], names: Sequence[str], shape: Shape) -> Summary:
    result = compute_summary(layers, names, shape)
    assert result.error is None
    return result


def from_spec(spec: dict[str, Any]) -> Summary:
    """The whole path from a spec: validate arguments, name layers, summarise."""
    return Model.from_spec(spec).summary()


def fresh_layers(spec: dict[str, Any]) -> list[Layer]:
    """The model's layers, built anew from the spec: nothing remembered on them."""
    return [layer_from_spec(layer, i) for i, layer in enumerate(spec["layers"])]


def cold_time(spec: dict[str, Any], repeats: int) -> float:
    """``compute_summary`` on layers built from the spec just before, nothing remembered."""
    model = Model.from_spec(spec)
    names, shape = model.layer_names, model.batch_input_shape
    return median_time_prepared(lambda: fresh_layers(spec),
                                lambda layers: summarise(layers, names, shape), repeats)


def explained_time(spec: dict[str, Any], repeats: int) -> float:
    """:func:`cold_time`, then every row's explanation rendered (in English)."""
    model = Model.from_spec(spec)
    names, shape = model.layer_names, model.batch_input_shape

    def run(layers: list[Layer]) -> list[str]:
        return [row.explain("en") for row in summarise(layers, names, shape)]

    return median_time_prepared(lambda: fresh_layers(spec), run, repeats)


def edit_position(layers: Sequence[Layer]) -> tuple[int, str]:
    """The Conv2D or Dense nearest the middle of the model, and the argument to edit."""
    middle = (len(layers) - 1) / 2
    found = [(abs(i - middle), i) for i, layer in enumerate(layers)
             if layer.type_name() in ("Conv2D", "Dense")]
    index = min(found)[1]
    return index, "filters" if layers[index].type_name() == "Conv2D" else "units"


def edits(layers: list[Layer]) -> Callable[[], list[Layer]]:
    """Each call: the layer list with the middle layer's argument set to a new value."""
    index, argument = edit_position(layers)
    values = itertools.count(layers[index].value(argument) + 1)

    def edited() -> list[Layer]:
        new = layers[index].with_args(**{argument: next(values)})
        return [*layers[:index], new, *layers[index + 1:]]

    return edited


def warm_time(spec: dict[str, Any], repeats: int) -> float:
    """The live case: one argument of the middle layer edited (to a value not seen before),
    then ``compute_summary`` on the new list; the unchanged layers remember their results."""
    model = Model.from_spec(spec)
    layers, names, shape = fresh_layers(spec), model.layer_names, model.batch_input_shape
    summarise(layers, names, shape)  # the model as shown before the edit
    return median_time_prepared(edits(layers), lambda new: summarise(new, names, shape),
                                repeats)


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


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=31,
                        help="timed batches per measurement (median reported)")
    parser.add_argument("--keras-repeats", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the 100-layer summary, cold and warm, and print the "
                             "top functions")
    args = parser.parse_args(argv)

    print(f"{'model':<11} {'cold':>11} {'warm':>11} {'from spec':>11} {'keras':>11} "
          f"{'keras/cold':>11} {'keras/warm':>11}")
    met = {"cold": True, "warm": True}
    for label, make in MODELS.items():
        spec = make()
        times = {"cold": cold_time(spec, args.repeats), "warm": warm_time(spec, args.repeats)}
        whole = median_time(functools.partial(from_spec, spec), args.repeats)
        row = f"{label:<11} {fmt(times['cold'])} {fmt(times['warm'])} {fmt(whole)}"
        keras_run = keras_call(spec)
        if keras_run is None:
            print(f"{row} {'(no keras)':>11}")
        else:
            check_same(spec, keras_run)
            keras_t = median_time(keras_run, args.keras_repeats, min_batch_s=0.0)
            ratios = {kind: keras_t / t for kind, t in times.items()}
            print(f"{row} {fmt(keras_t)} {ratios['cold']:10.0f}x {ratios['warm']:10.0f}x")
            print(f"{'':<11} {TARGET_RATIO:.0f}x faster than Keras: " + ", ".join(
                f"{kind} {verdict(r >= TARGET_RATIO)}" for kind, r in ratios.items()))
            for kind, r in ratios.items():
                met[kind] &= r >= TARGET_RATIO
        if label == "100 layers":
            print(f"{'':<11} under {TARGET_100_LAYERS_S * 1e3:.0f} ms: " + ", ".join(
                f"{kind} {verdict(t < TARGET_100_LAYERS_S)}" for kind, t in times.items()))
            for kind, t in times.items():
                met[kind] &= t < TARGET_100_LAYERS_S
            print(f"{'':<11} for information: cold, then every row's explanation rendered "
                  f"(en): {fmt(explained_time(spec, args.repeats)).strip()}")
    print(f"targets (at least {TARGET_RATIO:.0f}x faster than Keras, under "
          f"{TARGET_100_LAYERS_S * 1e3:.0f} ms for 100 layers): "
          f"warm (one edit, the live case) {verdict(met['warm'])}; "
          f"cold (fresh layers, nothing remembered) {verdict(met['cold'])}; "
          "run with --profile to see where the time goes")
    if args.profile:
        profile_100()
    return 0 if all(met.values()) else 1


def profile_100(calls: int = 200) -> None:
    spec = model_100()
    model = Model.from_spec(spec)
    layers, names, shape = fresh_layers(spec), model.layer_names, model.batch_input_shape
    summarise(layers, names, shape)
    edited = edits(layers)
    for title, lists in (("cold", [fresh_layers(spec) for _ in range(calls)]),
                         ("warm (one edit)", [edited() for _ in range(calls)])):
        print(f"\n--- profile: compute_summary, {title}, 100 layers, {calls} calls ---")
        profile = cProfile.Profile()
        profile.enable()
        for new in lists:
            summarise(new, names, shape)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    raise SystemExit(main())
