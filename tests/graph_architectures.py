"""A seeded generator of random functional (graph) specs, for the comparison with Keras.

Each graph has 1–3 named or automatically named inputs (vectors, sequences, images),
branches (one tensor feeding 2–3 layers), merges (Concatenate on a random axis, the
element-wise Add/Subtract/Multiply/Average/Maximum/Minimum, Dot on chosen axes), residual
connections, shared layers (``{"shares": X}``: a layer called again, e.g. the two towers
of a siamese network) and one or several outputs (the default: the tensors no layer uses,
or an explicit ``outputs`` list). About one graph in three carries a deliberate mistake:
Add of different sizes, Concatenate on the wrong axis, a shared layer called on an input
of another size or rank, Dot with axes of different sizes, Subtract of three tensors, …

Single-tensor layers come from the Sequential generator's recipes (``architectures.py``),
so the whole catalogue appears inside graphs. Like that generator, this one follows the
tensors with shapewidget's engine only to *guide* its choices: it never filters on
shapewidget's verdict, so a wrong shape or rejection still reaches the Keras comparison.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from architectures import Ctx, _pick, catalogue_recipes

from shapewidget.errors import ShapeError
from shapewidget.layers import Layer
from shapewidget.layers.shared import SharedLayer
from shapewidget.model import auto_names
from shapewidget.spec import layer_from_spec

Shape = tuple[int | None, ...]
LayerSpec = dict[str, Any]

INVALID_FRACTION = 0.3
ELEMENTWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")
MERGES = (*ELEMENTWISE, "Concatenate", "Dot")
INPUT_NAMES = ("image", "meta", "text", "seq", "left", "right", "query", "x")
UNITS = (2, 3, 4, 5, 6, 8, 16)

# Single-tensor layers for chains and branches: the Sequential recipes, minus those that
# need a whole model to themselves (Embedding wants an int input it starts from).
RECIPES = [r for r in catalogue_recipes() if r[0] not in ("Embedding",)]


@dataclass
class GraphArchitecture:
    """One generated functional model: its spec, what it was meant to be, and what it
    contains (``branch``, ``shared``, ``merge:Add``, ``multi_input``, ``multi_output``…)."""

    spec: dict[str, Any]
    intent: str  # "valid" or the name of the deliberate mistake
    features: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        merges = sorted(f.split(":")[1] for f in self.features if f.startswith("merge:"))
        parts = [self.intent, f"{len(self.spec['inputs'])}in", *merges]
        if "shared" in self.features:
            parts.append("shared")
        return "-".join(parts)


class Builder:
    """The graph so far: inputs, entries and the shape of every working tensor."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.inputs: list[dict[str, Any]] = []
        self.input_names: list[str] = []
        self.layers: list[LayerSpec] = []
        self.names: list[str] = []
        self.shapes: dict[str, Shape] = {}  # tensors shapewidget computes (guidance)
        self.used: set[str] = set()
        self.objects: list[Layer | None] = []  # each entry's layer (the target's if shared)
        self.first_in: dict[int, tuple[Shape, ...]] = {}  # a layer's first call's inputs
        self.first_weights: dict[int, Any] = {}
        self.features: set[str] = set()

    # --- entries ---------------------------------------------------------------------
    def add(self, spec: LayerSpec, inbound: list[str], *, name: str | None = None) -> str:
        """Append an entry called on ``inbound``; its (possibly automatic) name."""
        spec = dict(spec)
        if name is not None:
            spec["name"] = name
        elif self.rng.random() < 0.1 and "shares" not in spec:
            spec["name"] = f"{spec['type'].lower()}_{len(self.layers)}_named"
        previous = self.names[-1] if self.layers else self.input_names[0]
        if inbound == [previous] and self.rng.random() < 0.3:
            pass  # no inbound: the previous entry's output (the first input for entry 0)
        else:
            spec["inbound"] = list(inbound)
        if "shares" not in spec and self.rng.random() < 0.05:
            spec["trainable"] = False
        index = len(self.layers)
        self.layers.append(spec)
        self.names = auto_names([_named(s, k) for k, s in enumerate(self.layers)])
        own = self.names[index]
        self.used.update(inbound)
        in_shapes = tuple(self.shapes.get(t) for t in inbound)
        target = self.entry_index(spec["shares"]) if "shares" in spec else index
        layer = self.objects[target] if "shares" in spec and target is not None \
            else _layer(spec)
        self.objects.append(layer)
        if layer is None or target is None or any(s is None for s in in_shapes):
            return own
        shapes: tuple[Shape, ...] = tuple(s for s in in_shapes if s is not None)
        try:
            out = layer.evaluate_inputs(shapes)
        except (ShapeError, Exception):  # refused (or a bug: Keras's verdict will show)
            return own
        if target != index and out.weights != self.first_weights.get(target):
            return own  # a shared call that does not fit the layer's weights
        self.first_in.setdefault(index, shapes)
        self.first_weights.setdefault(index, out.weights)
        # Only plain tensors are built on (not a list of tensors, nor an empty axis).
        if isinstance(out.output_shape, tuple) and all(
                d is None or (isinstance(d, int) and d > 0) for d in out.output_shape):
            self.shapes[own] = out.output_shape
        return own

    def entry_index(self, name: str) -> int | None:
        return self.names.index(name) if name in self.names else None

    def tensors(self, rank: int | None = None, *, open_first: bool = True) -> list[str]:
        """Working tensors (of ``rank`` with the batch axis), not yet used ones first."""
        found = [t for t, s in self.shapes.items() if rank is None or len(s) == rank]
        if open_first:
            fresh = [t for t in found if t not in self.used]
            if fresh and self.rng.random() < 0.75:
                return fresh
        return found

    def pick(self, rank: int | None = None) -> str | None:
        options = self.tensors(rank)
        return self.rng.choice(options) if options else None

    # --- building blocks -------------------------------------------------------------
    def chain(self, tensor: str, *, name: str | None = None) -> str | None:
        """One single-tensor layer (from the Sequential recipes) on ``tensor``."""
        shape = self.shapes[tensor]
        ctx = Ctx(self.rng, "channels_last", shape[0], specs=[{"type": "Flatten"}])
        layer = _pick(ctx, shape, RECIPES, self.rng.randint(1, 5))
        if layer is None:
            return None
        return self.add(_stateless(layer), [tensor], name=name)

    def to_units(self, tensor: str, units: int) -> str:
        """``tensor`` brought to ``(batch, units)``: Flatten or global pooling, then Dense
        (just the Dense on a tensor shapewidget refused: Keras says where it breaks)."""
        shape = self.shapes.get(tensor, ())
        if len(shape) > 2:
            if len(shape) in (3, 4) and self.rng.random() < 0.5:
                kind = self.rng.choice(["Average", "Max"])
                tensor = self.add({"type": f"Global{kind}Pooling{len(shape) - 2}D"},
                                  [tensor])
            else:
                tensor = self.add({"type": "Flatten"}, [tensor])
        return self.add({"type": "Dense", "units": units}, [tensor])

    def last_to(self, tensor: str, units: int) -> str:
        """``tensor`` with its last axis made ``units`` (a Dense; the rank is kept)."""
        return self.add({"type": "Dense", "units": units}, [tensor])


def _stateless(spec: LayerSpec) -> LayerSpec:
    """The layer without ``stateful`` (covered by the Sequential comparison; Keras cannot
    build a stateful RNN in the fast StatelessScope)."""
    out = {k: v for k, v in spec.items() if k != "stateful"}
    for key in ("layer", "backward_layer"):
        if isinstance(out.get(key), dict):
            out[key] = _stateless(out[key])
    return out


def _named(spec: LayerSpec, index: int) -> Layer:
    """The entry as a layer, for its automatic name (a placeholder if it cannot be built)."""
    try:
        return layer_from_spec(spec)
    except ShapeError:
        return SharedLayer("?", name=spec.get("name") or f"unbuilt_{index}")


def _layer(spec: LayerSpec) -> Layer | None:
    if "shares" in spec:
        return None
    try:
        return layer_from_spec(spec)
    except ShapeError:
        return None


# --- inputs -------------------------------------------------------------------------------
def random_inputs(b: Builder) -> None:
    rng = b.rng
    count = rng.choices([1, 2, 3], weights=[0.3, 0.45, 0.25])[0]
    batch = rng.choice([2, 4, 8]) if rng.random() < 0.15 else None
    names = rng.sample(INPUT_NAMES, count)
    twin = count > 1 and rng.random() < 0.3  # two inputs of one shape (siamese)
    shapes: list[list[int | None]] = []
    for k in range(count):
        if twin and k == 1:
            shapes.append(list(shapes[0]))
            continue
        kind = rng.choices(["vector", "sequence", "image", "cube"],
                           weights=[0.4, 0.25, 0.25, 0.1])[0]
        if kind == "vector":
            shape: list[int | None] = [rng.choice([2, 3, 4, 5, 8, 10])]
        elif kind == "sequence":
            steps = None if rng.random() < 0.25 else rng.randint(2, 12)
            shape = [steps, rng.randint(1, 8)]
        elif kind == "image":
            side = rng.choice([4, 6, 8, 12, 16])
            shape = [side, side if rng.random() < 0.7 else rng.choice([4, 8, 10]),
                     rng.choice([1, 3])]
        else:
            shape = [rng.randint(1, 4), rng.randint(2, 5), rng.randint(1, 6)]
        shapes.append(shape)
    for k, shape in enumerate(shapes):
        entry: dict[str, Any] = {}
        if rng.random() < 0.75:
            entry["name"] = names[k]
        entry["shape"] = shape
        entry["batch_size"] = batch
        b.inputs.append(entry)
    given = [e.get("name") for e in b.inputs]
    n = 0
    for name in given:
        if name is None:
            name = "input_layer" if n == 0 else f"input_layer_{n}"
            n += 1
        b.input_names.append(name)
    for name, entry in zip(b.input_names, b.inputs, strict=True):
        b.shapes[name] = (entry["batch_size"], *entry["shape"])
    if count > 1:
        b.features.add("multi_input")


# --- steps (valid) ------------------------------------------------------------------------
Step = Callable[[Builder], bool]


def step_chain(b: Builder) -> bool:
    tensor = b.pick()
    return tensor is not None and b.chain(tensor) is not None


def step_branch(b: Builder) -> bool:
    tensor = b.pick()
    if tensor is None:
        return False
    made = [b.chain(tensor) for _ in range(b.rng.randint(2, 3))]
    if sum(m is not None for m in made) >= 2:
        b.features.add("branch")
        return True
    return False


def _elementwise_inputs(b: Builder, count: int) -> list[str] | None:
    """``count`` tensors of one shape: existing twins, a residual pair, or Dense heads."""
    rng = b.rng
    by_shape: dict[Shape, list[str]] = {}
    for t in b.tensors(open_first=False):
        by_shape.setdefault(b.shapes[t], []).append(t)
    twins = [ts for s, ts in by_shape.items() if len(ts) >= count and None not in s[1:]]
    roll = rng.random()
    if twins and roll < 0.3:
        return rng.sample(rng.choice(twins), count)
    if roll < 0.6:  # residual: x and a layer of the same shape on x
        x = b.pick()
        if x is None:
            return None
        shape = b.shapes[x]
        if len(shape) < 2 or shape[-1] is None:
            return None
        branch = [x]
        for _ in range(count - 1):
            branch.append(b.last_to(x, shape[-1]))
        b.features.add("residual")
        return branch
    units = rng.choice(UNITS)
    sources = [b.pick() for _ in range(count)]
    if any(s is None for s in sources):
        return None
    return [b.to_units(s, units) for s in sources if s is not None]


def step_elementwise(b: Builder) -> bool:
    rng = b.rng
    kind = rng.choice(ELEMENTWISE)
    count = 2 if kind == "Subtract" else rng.choices([1, 2, 3], weights=[0.05, 0.7, 0.25])[0]
    tensors = _elementwise_inputs(b, count)
    if not tensors:
        return False
    if rng.random() < 0.1 and len(tensors) >= 2:  # a size of 1 broadcasts
        tensors[0] = b.to_units(tensors[0], 1) if kind != "Subtract" else tensors[0]
    b.add({"type": kind}, tensors)
    b.features.add(f"merge:{kind}")
    return True


def step_concatenate(b: Builder) -> bool:
    rng = b.rng
    roll = rng.random()
    if roll < 0.4:  # vectors: always along the last axis
        sources = [b.pick() for _ in range(rng.randint(2, 3))]
        if any(s is None for s in sources):
            return False
        tensors = [t if len(b.shapes[t]) == 2 and b.shapes[t][-1] is not None
                   else b.to_units(t, rng.choice(UNITS)) for t in sources if t is not None]
        axis = rng.choice([-1, 1])
    else:  # one tensor, branches changing only its last axis (or its first axis)
        x = b.pick()
        if x is None or len(b.shapes[x]) < 3:
            x = b.pick(3) or b.pick(4)
        if x is None:
            return False
        shape = b.shapes[x]
        tensors = [b.last_to(x, rng.choice(UNITS)) for _ in range(rng.randint(2, 3))]
        axis = rng.choice([-1, len(shape) - 1])
        if rng.random() < 0.3:  # same last axis: join along another one
            units = rng.choice(UNITS)
            tensors = [b.last_to(x, units) for _ in range(2)]
            axis = rng.choice([1, 1 - len(shape), *range(1, len(shape))])
    b.add({"type": "Concatenate", "axis": axis}, tensors)
    b.features.add("merge:Concatenate")
    return True


def step_dot(b: Builder) -> bool:
    rng = b.rng
    args: dict[str, Any] = {}
    if rng.random() < 0.25:
        args["normalize"] = True
    if rng.random() < 0.6:  # two vectors of one size
        units = rng.choice(UNITS)
        a, c = b.pick(), b.pick()
        if a is None or c is None:
            return False
        tensors = [b.to_units(a, units), b.to_units(c, units)]
        args["axes"] = rng.choice([1, -1, [1, 1], [-1, 1]])
    else:  # two sequences: (b, n, d)·(b, m, d) over d, or over a shared step count
        x = b.pick(3)
        if x is None:
            return False
        shape = b.shapes[x]
        d = rng.choice(UNITS)
        first, second = b.last_to(x, d), b.last_to(x, rng.choice(UNITS))
        if rng.random() < 0.5 and shape[1] is not None:
            tensors, args["axes"] = [first, second], [1, 1]
        else:
            tensors, args["axes"] = [first, b.last_to(x, d)], rng.choice([2, -1, [2, 2]])
    b.add({"type": "Dot", **args}, tensors)
    b.features.add("merge:Dot")
    return True


SHAREABLE = ("Dense", "Conv1D", "Conv2D", "LSTM", "GRU", "SimpleRNN", "BatchNormalization",
             "LayerNormalization", "Flatten", "Dropout", "Activation", "MaxPooling2D",
             "GlobalAveragePooling1D", "GlobalAveragePooling2D", "SeparableConv2D",
             "DepthwiseConv2D", "Conv2DTranspose", "TimeDistributed", "Bidirectional")


def _shareable(b: Builder) -> list[int]:
    return [i for i, s in enumerate(b.layers)
            if "shares" not in s and s["type"] in SHAREABLE and i in b.first_in
            and len(b.first_in[i]) == 1]


def step_share(b: Builder) -> bool:
    """Call an earlier layer again: on a tensor of its first input's shape (a twin input,
    or a Dense bringing another tensor to the right size)."""
    rng = b.rng
    options = _shareable(b)
    if not options:
        # Make one: a Dense tower on a tensor, to share below.
        x = b.pick()
        if x is None or len(b.shapes[x]) < 2 or b.shapes[x][-1] is None:
            return False
        b.last_to(x, rng.choice(UNITS))
        options = _shareable(b)
        if not options:
            return False
    target = rng.choice(options)
    wanted = b.first_in[target][0]
    same = [t for t, s in b.shapes.items() if s == wanted and t != b.names[target]]
    # An unknown size where the built layer knows it (Flatten of a sequence of unknown
    # length): Keras accepts that call, the data must fit when the model runs.
    unknown = [t for t, s in b.shapes.items() if len(s) == len(wanted) and s[-1] is None]
    if not unknown and len(wanted) == 2 and rng.random() < 0.3:
        sequences = [t for t, s in b.shapes.items() if len(s) == 3 and s[1] is None]
        if sequences:
            unknown = [b.add({"type": "Flatten"}, [rng.choice(sequences)])]
    if unknown and rng.random() < 0.5:
        b.add({"shares": b.names[target]}, [rng.choice(unknown)])
        b.features.add("shared")
        b.features.add("shared_unknown_size")
        return True
    if same and rng.random() < 0.7:
        tensor = rng.choice(same)
    else:
        sources = [t for t, s in b.shapes.items() if len(s) == len(wanted)
                   and s[1:-1] == wanted[1:-1] and s[-1] is not None]
        if not sources or wanted[-1] is None:
            return False
        tensor = b.last_to(rng.choice(sources), wanted[-1])
    b.add({"shares": b.names[target]}, [tensor])
    b.features.add("shared")
    return True


STEPS: list[tuple[Step, float]] = [
    (step_chain, 3.0), (step_branch, 1.0), (step_elementwise, 1.5),
    (step_concatenate, 1.5), (step_dot, 0.7), (step_share, 1.2),
]


# --- mistakes -----------------------------------------------------------------------------
def bad_elementwise(b: Builder) -> bool:
    """Add (or another element-wise merge) of two different sizes."""
    x, y = b.pick(), b.pick()
    if x is None or y is None:
        return False
    m, n = b.rng.sample([2, 3, 4, 5, 8], 2)
    kind = b.rng.choice(ELEMENTWISE)
    b.add({"type": kind}, [b.to_units(x, m), b.to_units(y, n)])
    b.features.add(f"merge:{kind}")
    return True


def bad_concat_axis(b: Builder) -> bool:
    """Concatenate along the last axis of tensors that differ on another axis."""
    rng = b.rng
    axis = rng.choice([-1, 2])
    x = b.pick(3)
    if x is not None and b.shapes[x][1] is not None and rng.random() < 0.5:
        # The same tensor, and a copy with a longer time axis (UpSampling1D stretches it).
        longer = b.add({"type": "UpSampling1D", "size": rng.choice([2, 3])}, [x])
        b.add({"type": "Concatenate", "axis": axis},
              [b.last_to(x, rng.choice(UNITS)), b.last_to(longer, rng.choice(UNITS))])
    else:  # two vectors repeated a different number of times
        x, y = b.pick(), b.pick()
        if x is None or y is None:
            return False
        n1, n2 = rng.sample([2, 3, 4, 5], 2)
        first = b.add({"type": "RepeatVector", "n": n1}, [b.to_units(x, rng.choice(UNITS))])
        second = b.add({"type": "RepeatVector", "n": n2}, [b.to_units(y, rng.choice(UNITS))])
        b.add({"type": "Concatenate", "axis": axis}, [first, second])
    b.features.add("merge:Concatenate")
    return True


def bad_concat_rank(b: Builder) -> bool:
    """Concatenate a vector with a sequence."""
    x, y = b.pick(2), b.pick(3)
    if x is None or y is None:
        return False
    b.add({"type": "Concatenate", "axis": -1}, [x, y])
    b.features.add("merge:Concatenate")
    return True


def bad_shared_size(b: Builder) -> bool:
    """A shared layer called on a tensor whose last axis differs from its first input's."""
    rng = b.rng
    options = [i for i in _shareable(b) if b.layers[i]["type"] in (
        "Dense", "Conv1D", "Conv2D", "LSTM", "GRU", "SimpleRNN", "BatchNormalization",
        "LayerNormalization")]
    if not options:
        x = b.pick()
        if x is None or len(b.shapes[x]) < 2 or b.shapes[x][-1] is None:
            return False
        b.last_to(x, rng.choice(UNITS))
        options = _shareable(b)
        if not options:
            return False
    target = rng.choice(options)
    wanted = b.first_in[target][0]
    if wanted[-1] is None:
        return False
    sources = [t for t, s in b.shapes.items() if len(s) == len(wanted)]
    if not sources:
        return False
    other = rng.choice([u for u in (1, 2, 3, 5, 7, 9) if u != wanted[-1]])
    b.add({"shares": b.names[target]}, [b.last_to(rng.choice(sources), other)])
    b.features.add("shared")
    return True


def bad_shared_rank(b: Builder) -> bool:
    """A shared layer built on one rank called on another (same last axis)."""
    rng = b.rng
    x = b.pick()
    if x is None or len(b.shapes[x]) < 2 or b.shapes[x][-1] is None:
        return False
    kind = rng.choice(["BatchNormalization", "BatchNormalization", "Dense",
                       "LayerNormalization"])
    size = b.shapes[x][-1]
    built = b.add({"type": kind}, [x])
    rank = len(b.shapes[x])
    other = [t for t, s in b.shapes.items() if len(s) != rank and len(s) >= 2
             and s[-1] is not None and t != built]
    if not other:
        return False
    tensor = b.last_to(rng.choice(other), size)
    b.add({"shares": built}, [tensor])
    b.features.add("shared")
    return True


def bad_dot(b: Builder) -> bool:
    """Dot over axes of different sizes."""
    rng = b.rng
    x, y = b.pick(), b.pick()
    if x is None or y is None:
        return False
    m, n = rng.sample([2, 3, 4, 6], 2)
    b.add({"type": "Dot", "axes": rng.choice([1, -1])}, [b.to_units(x, m), b.to_units(y, n)])
    b.features.add("merge:Dot")
    return True


def bad_subtract_count(b: Builder) -> bool:
    """Subtract of three tensors (it takes exactly two)."""
    units = b.rng.choice(UNITS)
    sources = [b.pick() for _ in range(3)]
    if any(s is None for s in sources):
        return False
    b.add({"type": "Subtract"}, [b.to_units(s, units) for s in sources if s is not None])
    b.features.add("merge:Subtract")
    return True


def bad_list_to_single(b: Builder) -> bool:
    """A single-tensor layer given two tensors."""
    x, y = b.pick(), b.pick()
    if x is None or y is None:
        return False
    layer = b.rng.choice([{"type": "Dense", "units": 4}, {"type": "Flatten"}])
    b.add(layer, [x, y])
    return True


def bad_merge_one_tensor(b: Builder) -> bool:
    """Subtract, or Dot, of a list of one tensor."""
    x = b.pick()
    if x is None:
        return False
    kind = b.rng.choice(["Subtract", "Dot"])
    b.add({"type": kind, **({"axes": -1} if kind == "Dot" else {})}, [x])
    b.features.add(f"merge:{kind}")
    return True


MISTAKES: dict[str, tuple[Step, float]] = {
    "add_sizes": (bad_elementwise, 2.0),
    "concat_axis": (bad_concat_axis, 1.5),
    "concat_rank": (bad_concat_rank, 0.8),
    "shared_size": (bad_shared_size, 2.0),
    "shared_rank": (bad_shared_rank, 1.2),
    "dot_axes": (bad_dot, 1.5),
    "subtract_three": (bad_subtract_count, 0.5),
    "list_to_single_layer": (bad_list_to_single, 0.5),
    "merge_one_tensor": (bad_merge_one_tensor, 0.4),
}
# Two entries of one name (bad_name_of_input, bad_name_twice) are shapewidget's own
# check (see keras_reference.OWN_CHECKS): tested in test_graph.py, not generated here.


def add_mistake(b: Builder) -> str | None:
    options = list(MISTAKES.items())
    while options:
        pick = b.rng.choices(range(len(options)), weights=[w for _, (_, w) in options])[0]
        name, (mistake, _) = options.pop(pick)
        if mistake(b):
            return name
    return None


# --- graphs -------------------------------------------------------------------------------
def random_graph(rng: random.Random) -> GraphArchitecture:
    """One random functional model (valid, or with one deliberate mistake)."""
    b = Builder(rng)
    random_inputs(b)
    # Every input feeds a layer first (an unused input is shapewidget's own check).
    for name in list(b.input_names):
        if b.chain(name) is None:
            b.to_units(name, rng.choice(UNITS))
    length = rng.randint(2, 7)
    invalid = rng.random() < INVALID_FRACTION
    mistake_at = rng.randrange(length) if invalid else length
    intent = "valid"
    for k in range(length):
        if k == mistake_at:
            intent = add_mistake(b) or "valid"
            continue
        steps, weights = zip(*STEPS, strict=True)
        for _ in range(4):  # a step that does not fit now: try another
            if rng.choices(steps, weights=weights)[0](b):
                break
    spec: dict[str, Any] = {"inputs": b.inputs, "layers": b.layers}
    used = {t for s in b.layers for t in _inbound_of(s, b, b.layers.index(s))}
    sinks = [n for n in b.names if n not in used]
    if len(sinks) > 1:
        b.features.add("multi_output")
    if sinks and rng.random() < 0.5:
        outputs = list(sinks)
        rng.shuffle(outputs)
        if rng.random() < 0.25:  # an intermediate tensor (or an input) as an output too
            extra = rng.choice([n for n in (*b.names, *b.input_names) if n not in outputs])
            outputs.insert(rng.randrange(len(outputs) + 1), extra)
        spec["outputs"] = outputs
        b.features.add("explicit_outputs")
    return GraphArchitecture(spec, intent, frozenset(b.features))


def _inbound_of(spec: LayerSpec, b: Builder, index: int) -> list[str]:
    if "inbound" in spec:
        return list(spec["inbound"])
    return [b.names[index - 1] if index else b.input_names[0]]


def graphs(count: int, seed: int = 0) -> Iterator[GraphArchitecture]:
    """``count`` random graphs, the same ones for the same seed and catalogue."""
    rng = random.Random(seed)
    for _ in range(count):
        yield random_graph(random.Random(rng.getrandbits(64)))
