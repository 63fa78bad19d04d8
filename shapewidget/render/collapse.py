"""Big models as a chain of units a lecturer can project: repeated blocks collapsed.

A model of many layers is cut where its whole computation passes through one tensor
(the output of a ResNet block, of a DenseNet layer's concatenation): between two such
cuts lies a *segment*, one layer or a block of layers. Then

- consecutive blocks named as one stage of an architecture (``conv2_block1_…``,
  ``conv2_block2_…``, … as ``keras.applications`` names them) become one unit
  ``conv2_block1..3`` ×3;
- consecutive runs of the same segment (same layer types, arguments and output shapes)
  become one unit ×n, period by period (``Dense(16), Dropout`` ×40).

Plain data from summary rows; :mod:`.drawing` draws the units.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..summary import Summary, SummaryRow

COLLAPSE_AT = 30   # layers: smaller models are drawn layer by layer
MAX_PERIOD = 8     # the longest run of segments looked for as a repeated pattern
_STAGE = re.compile(r"^(?P<stage>.+?_block)(?P<n>\d+)_")


@dataclass
class Unit:
    """One column of a collapsed drawing: ``rows`` of the first repeat, ``times`` repeats
    (``first``..``last`` the names of the whole run's first and last layers)."""

    rows: list[SummaryRow]
    times: int = 1
    title: str = ""
    last_row: SummaryRow | None = None
    layers: int = 0          # layers of the whole run
    params: int = 0          # parameters of the whole run

    @property
    def single(self) -> bool:
        return self.times == 1 and len(self.rows) == 1

    @property
    def output(self) -> SummaryRow:
        return self.last_row if self.last_row is not None else self.rows[-1]


def segments(summary: Summary) -> list[list[SummaryRow]] | None:
    """The model's rows cut where everything passes through one tensor, or ``None``
    when the model is not one chain of segments (several inputs or outputs)."""
    rows = list(summary.rows)
    if not rows or len(summary.inputs) > 1 or len(summary.outputs) > 1:
        return None
    if not summary.functional:
        return [[r] for r in rows]
    last_use: dict[str, int] = {}
    for i, r in enumerate(rows):
        for t in r.inbound:
            last_use[t] = i
    for name in summary.outputs:
        last_use[name] = len(rows)
    live = {t.name for t in summary.inputs}
    out: list[list[SummaryRow]] = [[]]
    for i, r in enumerate(rows):
        out[-1].append(r)
        for t in r.inbound:
            if last_use.get(t) == i:
                live.discard(t)
        if last_use.get(r.name, -1) > i:
            live.add(r.name)
        if live == {r.name} and i < len(rows) - 1:
            out.append([])
    return [s for s in out if s]


def _signature(seg: list[SummaryRow]) -> tuple[object, ...]:
    """Equal for segments that compute the same thing on the same shapes."""
    return tuple((r.class_name, repr(sorted(r.args.items())), r.input_shape, r.output_shape,
                  tuple(seg.index(x) for x in seg if x.name in r.inbound)) for r in seg)


def _stage(seg: list[SummaryRow]) -> tuple[str, int] | None:
    """(``conv2_block``, 1) when every layer of ``seg`` is named ``conv2_block1_…``."""
    found = {(m.group("stage"), int(m.group("n"))) if m else None
             for m in (_STAGE.match(r.name) for r in seg)}
    if len(found) != 1:
        return None
    (key,) = found
    return key


def _unit(segs: list[list[SummaryRow]], title: str = "") -> Unit:
    rows = [r for s in segs for r in s]
    if not title:
        title = rows[0].name if len(rows) == 1 else f"{rows[0].name}..{rows[-1].name}"
    return Unit(segs[0], len(segs), title, rows[-1], len(rows), sum(r.params for r in rows))


def _by_stage(segs: list[list[SummaryRow]]) -> list[list[list[SummaryRow]]]:
    """Consecutive segments of one named stage, gathered (each a list of segments): the
    segments of one block first joined (a block's last activation is cut off its
    addition), then the blocks numbered one after another."""
    blocks: list[list[SummaryRow]] = []
    keys: list[tuple[str, int] | None] = []
    for seg in segs:
        key = _stage(seg)
        if key is not None and keys and keys[-1] == key:
            blocks[-1] = blocks[-1] + seg
        else:
            blocks.append(seg)
            keys.append(key)
    runs: list[list[list[SummaryRow]]] = []
    last: tuple[str, int] | None = None
    for seg, key in zip(blocks, keys, strict=True):
        if (key is not None and runs and last is not None and last[0] == key[0]
                and key[1] == last[1] + 1):
            runs[-1].append(seg)
        else:
            runs.append([seg])
        last = key
    return runs


def _by_repeats(segs: list[list[SummaryRow]]) -> list[Unit]:
    """Consecutive repeats of a pattern of up to :data:`MAX_PERIOD` segments, collapsed."""
    sigs = [_signature(s) for s in segs]
    out: list[Unit] = []
    i = 0
    while i < len(segs):
        best_p, best_n = 1, 1
        for p in range(1, min(MAX_PERIOD, (len(segs) - i) // 2) + 1):
            n = 1
            while (i + (n + 1) * p <= len(segs)
                   and sigs[i + n * p:i + (n + 1) * p] == sigs[i:i + p]):
                n += 1
            if n > 1 and n * p > best_n * best_p:
                best_p, best_n = p, n
        if best_n > 1:
            if best_p == 1:
                out.append(_unit(segs[i:i + best_n]))
            else:
                run = segs[i:i + best_p * best_n]
                one = [r for s in run[:best_p] for r in s]
                unit = _unit([one] + [[r for s in run[k:k + best_p] for r in s]
                                      for k in range(best_p, len(run), best_p)])
                out.append(unit)
            i += best_p * best_n
        else:
            out.append(_unit([segs[i]]))
            i += 1
    return out


def units(summary: Summary) -> list[Unit] | None:
    """The model as collapsed units, or ``None`` when it is small enough to draw layer by
    layer, not one chain of segments, or nothing collapses."""
    if len(summary.rows) <= COLLAPSE_AT:
        return None
    segs = segments(summary)
    if segs is None:
        return None
    out: list[Unit] = []
    pending: list[list[SummaryRow]] = []
    for run in _by_stage(segs):
        if len(run) > 1:
            out += _by_repeats(pending)
            pending = []
            first, last = run[0], run[-1]
            stage = _stage(first)
            end = _stage(last)
            assert stage is not None and end is not None
            out.append(_unit(run, f"{stage[0]}{stage[1]}..{end[1]}"))
        else:
            pending += run
    out += _by_repeats(pending)
    if len(out) >= len(summary.rows):
        return None
    return out


def composition(unit: Unit) -> str:
    """``Conv2D ×3 · BatchNormalization ×3 · Add``: the layer types of one repeat."""
    counts = Counter(r.class_name for r in unit.rows)
    return " · ".join(f"{name} ×{n}" if n > 1 else name for name, n in counts.items())
