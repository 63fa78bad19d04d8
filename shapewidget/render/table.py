"""The shape table: HTML (JupyterLab light and dark), plain text and Markdown.

Reads summary rows only; no matplotlib. Every row carries its explanation (an expandable
``<details>`` in HTML, a column in Markdown, a numbered list under the text table).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..shapes import format_shape, num_values
from ..summary import Summary, SummaryRow, format_bytes
from ..text import Lang, Msg, register
from .notes import model_notes

if TYPE_CHECKING:
    from ..model import Model

register("table.col.index", "#", "#")
register("table.col.layer", "Layer (type)", "レイヤー (型)")
register("table.col.input", "Input shape", "入力の形")
register("table.col.output", "Output shape", "出力の形")
register("table.col.weights", "Weights (name: shape)", "重み (名前: 形)")
register("table.col.trainable", "Trainable", "学習する")
register("table.col.non_trainable", "Non-trainable", "学習しない")
register("table.col.values", "Values/sample", "値/サンプル")
register("table.col.explain", "Why", "理由")
register("table.col.connected", "Connected to", "接続元")
register("table.input", "input (tensor, not a layer)", "入力（レイヤーではなくテンソル）")
register("table.input_layer.why",
         "{name} is a model input: keras.Input(shape={sample}, name=\"{name}\") makes the "
         "tensor {shape}. It is a tensor, not a layer with weights; Keras's summary lists it "
         "as an InputLayer with 0 parameters.",
         "{name} はモデルの入力です。keras.Input(shape={sample}, name=\"{name}\") がテンソル "
         "{shape} を作ります。重みを持つレイヤーではなくテンソルです。Keras の summary では "
         "パラメータ 0 個の InputLayer として表示されます。")
register("table.shared_weights", "{target}'s (counted once)", "{target} の重み（1 回だけ数える）")
register("table.total", "Total", "合計")
register("table.total_params", "{n} parameters in all", "パラメータは全部で {n} 個")
register("table.why", "why?", "なぜ？")
register("table.none", "—", "—")
register("table.memory.weights", "Weights (float32): {size}", "重み（float32）: {size}")
register("table.memory.activations",
         "Activations for one batch of {batch} (float32, input and every output): {size}",
         "バッチ {batch} 個分の活性値（float32、入力とすべての出力）: {size}")
register("table.memory.per_sample",
         "Activations per sample (float32, input and every output): {size}; the batch size "
         "is not fixed, so multiply by it",
         "1 サンプルあたりの活性値（float32、入力とすべての出力）: {size}。バッチサイズが"
         "固定されていないので、バッチサイズを掛けてください")
register("table.memory.unknown", "Activations: unknown (a size is None)",
         "活性値: 不明（サイズに None があります）")
register("table.error", "✗ {name} ({type}) breaks the model: {message}",
         "✗ {name} ({type}) でモデルが壊れています: {message}")
register("table.notes", "Notes", "注")
register("table.explanations", "Explanations", "説明")
register("table.title", "Model: \"{name}\"", "モデル: \"{name}\"")


def n(value: int | None) -> str:
    """``16,384``; ``?`` when unknown."""
    return "?" if value is None else f"{value:,}"


def weights_text(row: SummaryRow) -> str:
    return ", ".join(f"{w.name}: {format_shape(w.shape)}" for w in row.weights)


SEQUENTIAL_COLUMNS = ("index", "layer", "input", "output", "weights", "trainable",
                      "non_trainable", "values")
FUNCTIONAL_COLUMNS = ("index", "layer", "connected", "input", "output", "weights", "trainable",
                      "non_trainable", "values")
NUMERIC_COLUMNS = ("trainable", "non_trainable", "values")


@dataclass(frozen=True)
class TableData:
    """The cells of the table as strings, in one language."""

    headers: list[str]
    rows: list[list[str]]
    explanations: list[str]
    total: list[str]
    memory: list[str]
    notes: list[str]
    error: str | None
    title: str
    columns: tuple[str, ...] = SEQUENTIAL_COLUMNS
    """The key of each column (``layer``, ``connected``, ``input``, …)."""
    kinds: list[str] = field(default_factory=list)
    """Per row: ``input`` (a model input), ``layer``, or ``output`` (a layer or input
    that is a model output)."""
    pieces: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    """(row, column) → the items of a cell that lists several (a merge's input shapes and
    connections), for formats that put each on its own line."""
    functional: bool = False

    def column(self, key: str) -> int | None:
        """The position of column ``key``, or ``None`` if this table has no such column."""
        return self.columns.index(key) if key in self.columns else None

    @property
    def numeric(self) -> set[int]:
        """Columns of numbers (right-aligned)."""
        return {i for i, k in enumerate(self.columns) if k in NUMERIC_COLUMNS}

    @property
    def shape_columns(self) -> set[int]:
        return {i for i, k in enumerate(self.columns) if k in ("input", "output")}


def _summary_of(obj: Summary | Model) -> Summary:
    return obj if isinstance(obj, Summary) else obj.analyze()


def table_data(summary: Summary | Model, lang: Lang = "en",
               batch_size: int | None = None) -> TableData:
    """Cells, totals, memory estimate and notes, ready for any format.

    A functional model gets a "Connected to" column, one row per model input (an
    ``InputLayer``, 0 parameters, as Keras's summary lists it) before the layers, all input
    shapes of a merge, and its output rows marked.
    """
    s = _summary_of(summary)
    cols = FUNCTIONAL_COLUMNS if s.functional else SEQUENTIAL_COLUMNS
    headers = [Msg(f"table.col.{c}").render(lang) for c in cols]
    none = Msg("table.none").render(lang)
    notes = model_notes(s, lang)
    rows: list[list[str]] = []
    explanations: list[str] = []
    kinds: list[str] = []
    pieces: dict[tuple[int, int], tuple[str, ...]] = {}
    if s.functional:
        for t in s.inputs:
            rows.append(["", s.input_label(t, lang), none, none, format_shape(t.shape), none,
                         "0", "0", n(num_values(t.shape[1:]))])
            explanations.append(Msg("table.input_layer.why", {
                "name": t.name, "sample": format_shape(t.shape[1:]),
                "shape": format_shape(t.shape)}).render(lang))
            kinds.append("output" if s.is_output(t.name) else "input")
    else:
        rows.append(["", Msg("table.input").render(lang), none, format_shape(s.input_shape),
                     none, none, none, n(s.input_values_per_sample)])
        explanations.append("\n".join(notes[:1]))
        kinds.append("input")
    for r in s.rows:
        weights = weights_text(r) or none
        target = s.row_named(r.shares) if r.shares is not None else None
        if target is not None and target.weights:
            weights = Msg("table.shared_weights", {"target": target.name}).render(lang)
        if s.functional:
            connected = s.connected_to(r)
            shapes = tuple(format_shape(x) for x in (r.input_shapes or (r.input_shape,)))
            k = len(rows)
            if len(connected) > 1:
                pieces[(k, cols.index("connected"))] = connected
            if len(shapes) > 1:
                pieces[(k, cols.index("input"))] = shapes
            rows.append([str(r.index), s.layer_label(r, lang), ", ".join(connected) or none,
                         ", ".join(shapes), format_shape(r.output_shape), weights,
                         n(r.trainable_params), n(r.non_trainable_params),
                         n(r.values_per_sample)])
            kinds.append("output" if s.is_output(r.name) else "layer")
        else:
            rows.append([str(r.index), f"{r.name} ({r.class_name})", format_shape(r.input_shape),
                         format_shape(r.output_shape), weights, n(r.trainable_params),
                         n(r.non_trainable_params), n(r.values_per_sample)])
            kinds.append("layer")
        explanations.append(r.explain(lang))
    total = ["", Msg("table.total").render(lang), *([""] * (len(cols) - 5)),
             n(s.trainable_params), n(s.non_trainable_params), n(s.activation_values_per_sample)]
    memory = [Msg("table.total_params", {"n": n(s.total_params)}).render(lang),
              Msg("table.memory.weights", {"size": format_bytes(s.weight_bytes)}).render(lang)]
    batch = batch_size if batch_size is not None else s.batch_size
    act = s.activation_bytes(batch)
    per_sample = s.activation_values_per_sample
    if act is not None:
        memory.append(Msg("table.memory.activations",
                          {"batch": f"{batch:,}", "size": format_bytes(act)}).render(lang))
    elif per_sample is not None:
        memory.append(Msg("table.memory.per_sample",
                          {"size": format_bytes(4 * per_sample)}).render(lang))
    else:
        memory.append(Msg("table.memory.unknown").render(lang))
    error = None
    if s.error is not None:
        err = s.error
        error = Msg("table.error", {"name": err.layer_name or "?", "type": err.layer_type or "?",
                                    "message": err.message(lang)}).render(lang)
    return TableData(headers, rows, explanations, total, memory, notes, error,
                     Msg("table.title", {"name": s.model_name}).render(lang), cols, kinds,
                     pieces, s.functional)


# --- plain text ---------------------------------------------------------------------------

def _display_width(text: str) -> int:
    """Terminal columns: East Asian wide characters take two."""
    if text.isascii():  # names and shapes nearly always: one column a character
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - _display_width(text), 0)
    return fill + text if right else text + fill


def _cell_lines(d: TableData, k: int, row: list[str]) -> list[list[str]]:
    """A row as text lines: a cell listing several items puts each on its own line."""
    height = max([len(d.pieces.get((k, i), ())) for i in range(len(row))] + [1])
    lines = [["" for _ in row] for _ in range(height)]
    for i, cell in enumerate(row):
        for j, item in enumerate(d.pieces.get((k, i), (cell,))):
            lines[j][i] = item
    return lines


def to_text(summary: Summary | Model, lang: Lang = "en", *, explain: bool = False,
            notes: bool = True, batch_size: int | None = None) -> str:
    """A box-drawn table in the spirit of Keras's ``model.summary()``."""
    d = table_data(summary, lang, batch_size)
    numeric = d.numeric
    body = [line for k, r in enumerate(d.rows) for line in _cell_lines(d, k, r)]
    table = [d.headers, *body, d.total]
    widths = [max(_display_width(r[i]) for r in table) for i in range(len(d.headers))]

    def line(cells: list[str], sep: str) -> str:
        return sep + sep.join(f" {_pad(c, w, i in numeric)} " for i, (c, w) in
                              enumerate(zip(cells, widths, strict=True))) + sep

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    out = [d.title, rule("┏", "┳", "┓", "━"), line(d.headers, "┃"), rule("┡", "╇", "┩", "━")]
    out += [line(r, "│") for r in body]
    out += [rule("├", "┼", "┤", "─"), line(d.total, "│"), rule("└", "┴", "┘", "─")]
    out += [" " + m for m in d.memory]
    if d.error:
        out.append(d.error)
    if explain:
        out.append(Msg("table.explanations").render(lang) + ":")
        for k, (r, text) in enumerate(zip(d.rows, d.explanations, strict=True)):
            if k == 0 and notes and not d.functional:
                continue  # the input's explanation is the first of the notes below
            label = r[1] if not r[0] else f"{r[0]} {r[1]}"
            out.append(f" {label}: {text}")
    if notes:
        out.append(Msg("table.notes").render(lang) + ":")
        out += [f" • {t}" for t in d.notes]
    return "\n".join(out)


# --- Markdown -----------------------------------------------------------------------------

def _md(text: str) -> str:
    """Plain text in a Markdown table cell: ``&`` and ``<`` as entities (a name such as
    ``<img onerror=...>`` stays text where Markdown allows raw HTML), ``|`` escaped."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")
            .replace("\n", " "))


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span (literal inside: a fence longer than any run of
    backticks in it, so a name cannot close it)."""
    text = text.replace("\n", " ").replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(summary: Summary | Model, lang: Lang = "en", *, explain: bool = True,
                notes: bool = True, batch_size: int | None = None) -> str:
    """A GitHub-flavoured Markdown table; explanations as a last column."""
    d = table_data(summary, lang, batch_size)
    headers = d.headers + ([Msg("table.col.explain").render(lang)] if explain else [])
    align = ["---:" if i in d.numeric else "---" for i in range(len(headers))]
    out = [f"**{_md(d.title)}**", "", "| " + " | ".join(map(_md, headers)) + " |",
           "| " + " | ".join(align) + " |"]
    coded = d.shape_columns | {i for i in (d.column("connected"),) if i is not None}
    for k, (r, text) in enumerate(zip(d.rows, d.explanations, strict=True)):
        cells = []
        for i, c in enumerate(r):
            items = d.pieces.get((k, i), (c,))
            if i in coded and (c.startswith("(") or "[" in c):
                cells.append(", ".join(_md_code(item) for item in items))
            else:
                cells.append(_md(c))
        out.append("| " + " | ".join(cells + ([_md(text)] if explain else [])) + " |")
    total = [f"**{c}**" if c else "" for c in d.total] + ([""] if explain else [])
    out.append("| " + " | ".join(_md(c) for c in total) + " |")
    out.append("")
    out += [f"- {_md(m)}" for m in d.memory]
    if d.error:
        out += ["", f"**{_md(d.error)}**"]
    if notes:
        out += ["", f"**{Msg('table.notes').render(lang)}**", ""]
        out += [f"- {_md(t)}" for t in d.notes]
    return "\n".join(out)


# --- HTML ---------------------------------------------------------------------------------

_CSS = """
.shapewidget-table{border-collapse:collapse;color:inherit;background:transparent;
font-size:var(--jp-content-font-size1,13px);margin:0.4em 0}
.shapewidget-table th,.shapewidget-table td{padding:3px 10px;text-align:left;
border-bottom:1px solid var(--jp-border-color2,rgba(127,127,127,0.35));color:inherit;
background:transparent;vertical-align:top}
.shapewidget-table th{border-bottom:2px solid var(--jp-border-color1,rgba(127,127,127,0.6));
font-weight:600}
.shapewidget-table td.num,.shapewidget-table th.num{text-align:right;
font-variant-numeric:tabular-nums}
.shapewidget-table code{font-family:var(--jp-code-font-family,monospace);background:none;
color:inherit;white-space:nowrap}
.shapewidget-table tr.sw-input td{font-style:italic}
.shapewidget-table tr.sw-total td{font-weight:600;border-top:2px solid
var(--jp-border-color1,rgba(127,127,127,0.6))}
.shapewidget-table tr.sw-highlight td{background:rgba(240,228,66,0.25)}
.shapewidget-table tr.sw-output>td:first-child{box-shadow:inset 3px 0 0 #0072B2}
.shapewidget-table details summary{cursor:pointer}
.shapewidget-table details p{margin:0.3em 0 0.2em 0;max-width:42em;white-space:normal;
opacity:0.9}
.shapewidget-error{color:#D55E00;font-weight:600;margin:0.4em 0}
.shapewidget-notes{margin:0.3em 0 0 1.2em;padding:0;color:inherit;opacity:0.9}
.shapewidget-memory{margin:0.2em 0;color:inherit}
"""


def to_html(summary: Summary | Model, lang: Lang = "en", *, highlight: int | None = None,
            notes: bool = True, batch_size: int | None = None, css: bool = True) -> str:
    """An HTML table whose colours follow the notebook's theme (light or dark).

    Each layer's name opens its explanation (``<details>``); totals, a memory estimate
    and the model-level notes follow.
    """
    d = table_data(summary, lang, batch_size)
    e = html.escape
    why = e(Msg("table.why").render(lang))
    numeric = d.numeric
    coded = d.shape_columns | {i for i in (d.column("connected"),) if i is not None}
    parts = [f"<style>{_CSS}</style>" if css else "", '<div class="shapewidget">',
             f"<strong>{e(d.title)}</strong>", '<table class="shapewidget-table">', "<thead><tr>"]
    parts += [f'<th class="{"num" if i in numeric else ""}">{e(h)}</th>'
              for i, h in enumerate(d.headers)]
    parts.append("</tr></thead><tbody>")
    for k, (r, text) in enumerate(zip(d.rows, d.explanations, strict=True)):
        classes = []
        kind = d.kinds[k] if k < len(d.kinds) else "layer"
        if kind == "input" or (kind == "output" and not r[0]):
            classes.append("sw-input")
        if kind == "output":
            classes.append("sw-output")
        if highlight is not None and r[0] == str(highlight):
            classes.append("sw-highlight")
        parts.append(f'<tr class="{" ".join(classes)}">')
        for i, c in enumerate(r):
            if i == 1:
                cell = (f"<details><summary>{e(c)} <small>({why})</small></summary>"
                        f"<p>{e(text)}</p></details>")
                parts.append(f"<td>{cell}</td>")
            elif i in coded and (c.startswith("(") or "[" in c):
                items = d.pieces.get((k, i), (c,))
                parts.append("<td>" + "<br/>".join(f"<code>{e(x)}</code>" for x in items)
                             + "</td>")
            else:
                parts.append(f'<td class="{"num" if i in numeric else ""}">{e(c)}</td>')
        parts.append("</tr>")
    parts.append('<tr class="sw-total">')
    parts += [f'<td class="{"num" if i in numeric else ""}">{e(c)}</td>'
              for i, c in enumerate(d.total)]
    parts.append("</tr></tbody></table>")
    parts += [f'<div class="shapewidget-memory">{e(m)}</div>' for m in d.memory]
    if d.error:
        parts.append(f'<div class="shapewidget-error">{e(d.error)}</div>')
    if notes:
        title = e(Msg("table.notes").render(lang))
        parts.append(f'<details open="open"><summary>{title}</summary>'
                     '<ul class="shapewidget-notes">')
        parts += [f"<li>{e(t)}</li>" for t in d.notes]
        parts.append("</ul></details>")
    parts.append("</div>")
    return "".join(parts)
