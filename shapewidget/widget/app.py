"""ShapeWidget: build a Keras-style network with standard ipywidgets and watch its shapes.

One refresh path: every change (a control, a button, or ``w.model`` edited from Python)
ends in :meth:`ShapeWidget.refresh`, which analyses the model once and reassigns the
views. The drawing, the expensive part, is redrawn only when what it shows changed, and
inside a running event loop (a Jupyter kernel) rapid requests are throttled so that the
newest state is drawn once the burst is over.
"""

from __future__ import annotations

import asyncio
import functools
import html
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import ipywidgets as W
import traitlets

from ..errors import ShapeError
from ..layers import CATALOGUE, FAMILIES, LAYER_TYPES
from ..layers.shared import SharedLayer
from ..model import DTYPES, Model
from ..params import REQUIRED, describe
from ..shapes import format_shape, num_values, product_expression
from ..summary import Summary
from ..text import TEMPLATES, Lang, Msg
from .controls import ArgControl, LayerRow, close_widget
from .graph_controls import InputRow, TensorPicker, previous_tensor, refusal, tensor_names
from .history import History
from .ipympl_view import check_drawing, note_html, open_view
from .parsing import (
    DEFAULT,
    format_shape_text,
    parse_batch_text,
    parse_shape_text,
    suggested_value,
)
from .presets import available_presets, preset_model, preset_spec
from .strings import t
from .views import (
    CODE_STYLES,
    Drawer,
    drawing_fallback_html,
    explanation_html,
    keras_code,
    table_html,
)

# Looks for the CSS classes (standard ipywidgets render an HTML <style> as is).
STYLE = """<style>
.sw-widget .sw-error, .sw-widget .sw-stale-message { color: #D55E00; }
.sw-widget .sw-status-ok { color: #009E73; }
.sw-widget .sw-status-invalid, .sw-widget .sw-status-error, .sw-widget .sw-status-internal {
  color: #D55E00; font-weight: bold; }
.sw-widget .sw-stale .sw-diagram-image, .sw-widget .sw-stale .sw-diagram-canvas,
.sw-widget .sw-table.sw-stale { opacity: 0.45; }
.sw-widget .sw-invalid input, .sw-widget .sw-invalid select, .sw-widget input.sw-invalid {
  border: 2px solid #D55E00 !important; }
.sw-widget .sw-selected { background: rgba(240, 228, 66, 0.28); }
.sw-widget .sw-layer-error { background: rgba(213, 94, 0, 0.10); }
.sw-widget .sw-code textarea { font-family: monospace; }
</style>"""
IMAGE_CACHE_BYTES = 2 * 2**20
IMAGE_CACHE_ENTRIES = 16
MODEL_TRAITS = ["input_shape", "batch_size", "input_dtype", "layers", "name", "input_name",
                "extra_inputs", "outputs"]
F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Handlers never raise into the browser: errors go to the status line."""

    @functools.wraps(method)
    def wrapper(self: ShapeWidget, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ShapeError as err:
            self._show_notice(err)
        except Exception as exc:
            self._internal(exc)
        return None

    return wrapper  # type: ignore[return-value]


@dataclass
class RefreshStats:
    """Counters for tests and benchmarks."""

    refreshes: int = 0
    draws: int = 0
    skipped_draws: int = 0
    cache_hits: int = 0
    draw_seconds: float = 0.0


class DrawThrottle:
    """Runs ``run`` now if the last run was long enough ago, else once later (newest wins).

    Without a running event loop (a plain script, a test) every request runs at once.
    """

    def __init__(self, run: Callable[[], None], min_interval: float = 0.04,
                 max_interval: float = 0.5) -> None:
        self._run = run
        self.min_interval = min_interval
        self.max_interval = max_interval
        self.interval = min_interval
        self._last = -1e9
        self._handle: asyncio.TimerHandle | None = None
        self.pending = False

    def request(self) -> None:
        self.pending = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        if self._handle is not None:
            return
        wait = self._last + self.interval - time.perf_counter()
        if wait <= 0:
            self.flush()
        else:
            self._handle = loop.call_later(wait, self.flush)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self.pending:
            return
        self.pending = False
        start = time.perf_counter()
        self._run()
        self._last = time.perf_counter()
        # Drawing more often than it takes is pointless; waiting longer than half a
        # second makes the drawing feel behind.
        self.interval = min(max(self.min_interval, self._last - start), self.max_interval)


def _css(widget: Any, *classes: str) -> Any:
    for c in classes:
        widget.add_class(c)
    return widget


def _toggle_class(widget: Any, css: str, on: bool) -> None:
    if on:
        widget.add_class(css)
    else:
        widget.remove_class(css)


class ShapeWidget(W.VBox):  # type: ignore[misc]
    """A notebook widget to build a Keras-style network and see every shape live.

    >>> w = ShapeWidget(preset="neurons")       # last in a cell, it shows
    >>> w.model.add("Dense", units=2)            # the widget follows the model

    ``model``: a :class:`~shapewidget.Model` (edited in place; ``w.model`` is the live
    model) or a spec dict; ``preset``: ``neurons``, ``cnn``, ``lstm``, ``text`` or
    ``two_branch`` (a functional model: two inputs, a merge, two outputs);
    ``lang``: ``en`` or ``ja``; ``drawing``: ``image`` (the default, needs nothing extra)
    or ``ipympl`` (an interactive canvas with pan and zoom; needs ``pip install ipympl``,
    else the image is shown with a note saying so). ``w.drawing`` is the one shown.
    """

    model = traitlets.Instance(Model)
    lang = traitlets.Enum(("en", "ja"), default_value="en")
    selected = traitlets.Int(None, allow_none=True, help="index of the selected layer")

    def __init__(self, model: Model | dict[str, Any] | object | None = None,
                 preset: str | None = None,
                 lang: Lang = "en", drawing: str = "image", **kwargs: Any) -> None:
        check_drawing(drawing)
        if not isinstance(lang, str) or lang not in ("en", "ja"):
            raise ShapeError(Msg("widget.err.choice", {"expected": "'en', 'ja'",
                                                       "received": describe(lang)}),
                             argument="lang")
        if model is not None and preset is not None:
            raise ShapeError(Msg("widget.err.model_and_preset"), argument="preset")
        if isinstance(model, dict):
            model = Model.from_spec(model)
        elif model is not None and not isinstance(model, Model):
            model = Model.from_keras(model)  # a live Keras model (else a clear ShapeError)
        if model is None:
            model = preset_model(preset or "neurons")
        super().__init__(**kwargs)
        self._ready = False
        self.stats = RefreshStats()
        self.history = History(model.to_spec())
        self.last_internal_error: BaseException | None = None
        self.last_internal_traceback = ""
        self._internal_shown = False
        self._hold = 0
        self._dirty = False
        self._syncing = False
        self._invalid: dict[str, ShapeError] = {}
        self._notice: ShapeError | None = None
        self._rows: list[LayerRow] = []
        self._input_rows: list[InputRow] = []
        self._row_key: tuple[Any, ...] | None = None
        self._position_key: tuple[str, ...] | None = None
        self._advanced: set[int] = set()
        self._owned: list[Any] = []
        self._drawer = Drawer()
        self._mpl_view, self._drawing_note = open_view(drawing, self._drawer.dpi)
        self.drawing = "image" if self._mpl_view is None else "ipympl"
        self._drawn_key: Any = None
        self._image_cache: list[tuple[Any, tuple[str, bytes]]] = []
        self._throttle = DrawThrottle(self._draw_now)
        self.set_trait("lang", lang)
        self.set_trait("model", model)
        self._bound: Model | None = None
        self._build()
        self._bind(model)
        self._ready = True
        self.add_class("sw-widget")
        self.refresh()

    @property
    def _lang(self) -> Lang:
        return "ja" if self.lang == "ja" else "en"

    # --- building ----------------------------------------------------------------
    def _w(self, cls: Any, *classes: str, **kwargs: Any) -> Any:
        widget = _css(cls(**kwargs), *classes)
        self._owned.append(widget)
        return widget

    def _build(self) -> None:
        """Create every static control in the current language."""
        lang = self._lang
        old = self._owned
        self._owned = []
        for row in self._rows:
            row.close()
        self._rows = []
        for input_row in self._input_rows:
            input_row.close()
        self._input_rows = []
        self._row_key = None
        self._position_key = None
        self._drawn_key = None
        self._image_cache = []

        def header(key: str) -> Any:
            return self._w(W.HTML, "sw-section", value=f"<b>{html.escape(t(key, lang))}</b>")

        # toolbar and status
        presets = available_presets()
        self.preset_picker = self._w(
            W.Dropdown, "sw-preset", options=[(t(f"widget.preset.{p}", lang), p)
                                              for p in presets],
            description=t("widget.section.preset", lang), style={"description_width": "initial"})
        self.preset_button = self._w(W.Button, "sw-load-preset",
                                     description=t("widget.preset.load", lang), icon="folder-open")
        self.undo_button = self._w(W.Button, "sw-undo", description=t("widget.undo", lang),
                                   icon="undo")
        self.redo_button = self._w(W.Button, "sw-redo", description=t("widget.redo", lang),
                                   icon="repeat")
        self.preset_button.on_click(self._on_preset)
        self.undo_button.on_click(lambda _b: self.undo())
        self.redo_button.on_click(lambda _b: self.redo())
        toolbar = self._w(W.HBox, "sw-toolbar", children=[
            self.preset_picker, self.preset_button, self.undo_button, self.redo_button],
            layout=W.Layout(flex_flow="row wrap"))
        self.status = self._w(W.HTML, "sw-status")

        # input
        wide = {"description_width": "initial"}
        self.shape_text = self._w(
            W.Text, "sw-input-shape", description="input_shape", placeholder="50, 50, 3",
            continuous_update=False, tooltip=t("widget.input.shape_help", lang), style=wide,
            layout=W.Layout(width="16em"))
        self.batch_text = self._w(
            W.Text, "sw-batch-size", description=t("widget.input.batch", lang),
            placeholder="None", continuous_update=False,
            tooltip=t("widget.input.batch_help", lang), style=wide,
            layout=W.Layout(width="13em"))
        self.dtype_picker = self._w(W.Dropdown, "sw-input-dtype", options=list(DTYPES),
                                    description="dtype", style=wide,
                                    layout=W.Layout(width="11em"))
        self.input_name_text = self._w(
            W.Text, "sw-input-name", description=t("widget.input.name", lang),
            continuous_update=False, tooltip=t("widget.input.name_help", lang), style=wide,
            layout=W.Layout(width="13em"))
        self.input_name_text.observe(
            lambda change: self._on_input_field(0, "name", change.new), names="value")
        self.shape_text.observe(self._on_shape_text, names="value")
        self.batch_text.observe(self._on_batch_text, names="value")
        self.dtype_picker.observe(self._on_dtype, names="value")
        self.input_message = self._w(W.HTML, "sw-input-message")
        self.input_info = self._w(W.HTML, "sw-input-info")
        self.input_rows_box = self._w(W.VBox, "sw-extra-inputs")
        self.add_input_button = self._w(W.Button, "sw-add-input",
                                        description=t("widget.input.add", lang),
                                        tooltip=t("widget.input.add_help", lang), icon="plus")
        self.add_input_button.on_click(self._on_add_input)
        input_box = self._w(W.VBox, "sw-input", children=[
            header("widget.section.input"),
            self._w(W.HBox, children=[self.input_name_text, self.shape_text, self.batch_text,
                                      self.dtype_picker],
                    layout=W.Layout(flex_flow="row wrap")),
            self.input_message, self.input_info, self.input_rows_box,
            self.add_input_button])

        # layers
        self.layers_box = self._w(W.VBox, "sw-layers")
        self.empty_note = self._w(W.HTML, "sw-empty",
                                  value=f"<i>{html.escape(t('widget.layer.empty', lang))}</i>")
        options = []
        families = [*FAMILIES, *sorted({c.family for c in CATALOGUE} - set(FAMILIES))]
        for family in families:
            key = f"widget.family.{family}"
            fam = t(key, lang) if key in TEMPLATES else family
            options += [(t("widget.family", lang, family=fam, type=c.type_name()), c.type_name())
                        for c in CATALOGUE if c.family == family]
        self.type_picker = self._w(W.Dropdown, "sw-layer-type", options=options,
                                   description=t("widget.layer.type", lang), style=wide)
        self.position_picker = self._w(W.Dropdown, "sw-layer-position",
                                       options=[(t("widget.layer.at_end", lang), -1)],
                                       description=t("widget.layer.position", lang), style=wide)
        self.add_button = self._w(W.Button, "sw-add-layer",
                                  description=t("widget.layer.add", lang),
                                  tooltip=t("widget.layer.add_help", lang), icon="plus")
        self.add_button.on_click(self._on_add)
        self.position_picker.observe(self._on_position, names="value")
        self.new_inbound = TensorPicker("sw-new-inbound", t("widget.layer.new_inbound", lang),
                                        t("widget.layer.new_inbound_help", lang))
        self._owned.append(self.new_inbound.widget)
        add_box = self._w(W.HBox, "sw-add", children=[
            self.type_picker, self.position_picker, self.new_inbound.widget, self.add_button],
            layout=W.Layout(flex_flow="row wrap"))

        # outputs
        self.outputs_picker = TensorPicker("sw-outputs", t("widget.outputs", lang),
                                           t("widget.outputs.help", lang),
                                           lambda _p: self._on_outputs())
        self._owned.append(self.outputs_picker.widget)
        self.outputs_message = self._w(W.HTML, "sw-outputs-message")
        outputs_box = self._w(W.VBox, "sw-outputs-box", children=[
            self.outputs_picker.widget, self.outputs_message])

        # paste
        self.paste_text = self._w(W.Textarea, "sw-paste-code",
                                  placeholder=t("widget.paste.placeholder", lang), rows=7,
                                  layout=W.Layout(width="100%"))
        self.paste_button = self._w(W.Button, "sw-paste-apply",
                                    description=t("widget.paste.apply", lang), icon="paste")
        self.paste_button.on_click(self._on_paste)
        self.paste_message = self._w(W.HTML, "sw-paste-message")
        paste_inner = self._w(W.VBox, children=[
            self._w(W.HTML, value=f"<i>{html.escape(t('widget.paste.help', lang))}</i>"),
            self.paste_text, self.paste_button, self.paste_message])
        paste_box = self._w(W.Accordion, "sw-paste", children=[paste_inner],
                            titles=(t("widget.section.paste", lang),), selected_index=None)

        # views
        self.diagram_image = self._w(W.Image, "sw-diagram-image", format="svg+xml",
                                     layout=W.Layout(max_width="100%", height="auto"))
        self.diagram_text = self._w(W.HTML, "sw-diagram-text")
        self.drawing_note = self._w(W.HTML, "sw-drawing-note",
                                    value=note_html(self._drawing_note, lang))
        self.diagram = self._w(W.VBox, "sw-diagram", layout=W.Layout(overflow="auto", align_items="flex-start"))
        self.table = self._w(W.HTML, "sw-table")
        self.code_style = self._w(W.ToggleButtons, "sw-code-style",
                                  options=[(t(f"widget.code.{s}", lang), s) for s in CODE_STYLES])
        self.code_style.observe(self._on_code_style, names="value")
        self.code = self._w(W.Textarea, "sw-code", rows=14,
                            layout=W.Layout(width="100%"))
        self.explanation = self._w(W.HTML, "sw-explanation")
        self.tabs = self._w(W.Tab, "sw-tabs", children=[
            self.diagram, self.table,
            self._w(W.VBox, "sw-code-box", children=[self.code_style, self.code]),
            self.explanation],
            titles=tuple(t(f"widget.tab.{k}", lang)
                         for k in ("drawing", "table", "code", "explain")))
        self.tabs.observe(self._on_tab, names="selected_index")
        self.stale_note = self._w(W.HTML, "sw-stale-note")
        self.views = self._w(W.VBox, "sw-views", children=[self.stale_note, self.tabs],
                             layout=W.Layout(flex="1 1 32em", min_width="24em"))
        left = self._w(W.VBox, "sw-editor", children=[
            input_box, header("widget.section.layers"), self.layers_box,
            header("widget.section.add"), add_box, header("widget.section.outputs"),
            outputs_box, paste_box],
            layout=W.Layout(flex="1 1 30em", min_width="22em"))
        body = self._w(W.HBox, "sw-body", children=[left, self.views],
                       layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))
        style = self._w(W.HTML, "sw-style", value=STYLE)
        self.children = (style, toolbar, self.status, body)
        for widget in old:
            close_widget(widget)

    # --- model binding -----------------------------------------------------------
    def _bind(self, model: Model) -> None:
        if self._bound is not None:
            self._bound.unobserve(self._on_model_trait, names=MODEL_TRAITS)
        model.observe(self._on_model_trait, names=MODEL_TRAITS)
        self._bound = model

    @traitlets.observe("model")
    def _on_model_replaced(self, change: Any) -> None:
        if not self._ready:
            return
        self._bind(change.new)
        self._row_key = None
        self._after_model_edit()

    @traitlets.observe("lang")
    def _on_lang(self, change: Any) -> None:
        if self._ready:
            self._build()
            self.refresh()

    @traitlets.observe("selected")
    def _on_selected(self, change: Any) -> None:
        if not self._ready or self._syncing:
            return
        if self._hold:
            self._dirty = True
        else:
            self.refresh()

    def _on_model_trait(self, change: Any) -> None:
        if self._hold:
            self._dirty = True
            return
        self._after_model_edit()

    def _after_model_edit(self) -> None:
        self._invalid.clear()
        self._notice = None
        self._internal_shown = False
        self.refresh()

    @contextmanager
    def hold_refresh(self) -> Iterator[None]:
        """Make several edits, refresh once at the end: ``with w.hold_refresh(): ...``."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
            if self._hold == 0 and self._dirty:
                self._dirty = False
                self._after_model_edit()

    # --- the one refresh ---------------------------------------------------------
    def refresh(self) -> None:
        """Analyse the model once and update every view (the drawing when it changed)."""
        try:
            self.stats.refreshes += 1
            model = self.model
            summary = model.analyze()
            count = len(model.layers)
            if self.selected is not None and not 0 <= self.selected < count:
                self._set_quietly("selected", None)
            self.history.record(model.to_spec())
            self._sync_input(summary)
            self._sync_graph(summary)
            self._sync_rows(summary)
            self.table.value = table_html(summary, self._lang, self.selected)
            self.code.value = keras_code(model, self.code_style.value, self._lang)
            self.explanation.value = explanation_html(summary, model, self.selected, self._lang)
            self.undo_button.disabled = not self.history.can_undo
            self.redo_button.disabled = not self.history.can_redo
            self._show_state(summary)
            self._throttle.request()
        except Exception as exc:
            self._internal(exc)

    def flush(self) -> None:
        """Draw now if a throttled redraw is pending."""
        self._throttle.flush()

    def _set_quietly(self, trait: str, value: Any) -> None:
        self._syncing = True
        try:
            self.set_trait(trait, value)
        finally:
            self._syncing = False

    def _set_value(self, widget: Any, value: Any) -> None:
        if widget.value != value:
            self._syncing = True
            try:
                widget.value = value
            finally:
                self._syncing = False

    def _sync_input(self, summary: Summary) -> None:
        model = self.model
        try:
            same = parse_shape_text(self.shape_text.value) == model.input_shape
        except ShapeError:
            same = False
        if not same:
            self._set_value(self.shape_text, format_shape_text(model.input_shape))
        try:
            same = parse_batch_text(self.batch_text.value) == model.batch_size
        except ShapeError:
            same = False
        if not same:
            self._set_value(self.batch_text, "None" if model.batch_size is None
                            else str(model.batch_size))
        self._set_value(self.dtype_picker, model.input_dtype)
        self.input_info.value = self._input_info_html(summary)

    def _input_info_html(self, summary: Summary) -> str:
        lang = self._lang
        model = self.model
        shape = model.input_shape
        lines = [t("widget.input.keras_prints", lang,
                   shape=f"<code>{format_shape(model.batch_input_shape)}</code>")]
        if model.batch_size is None:
            lines.append(html.escape(t("widget.input.batch_none", lang)))
        else:
            lines.append(html.escape(t("widget.input.batch_fixed", lang,
                                       batch=model.batch_size)))
        if len(shape) == 1 and shape[0] is not None:
            lines.append(html.escape(t("widget.input.input_dim", lang, n=shape[0])))
        per_sample = num_values(shape)
        if per_sample is None:
            lines.append(html.escape(t("widget.input.values_unknown", lang,
                                       expr=product_expression(shape))))
        else:
            if len(shape) > 1:
                lines.append(html.escape(t("widget.input.values_sample", lang,
                                           expr=product_expression(shape),
                                           n=f"{per_sample:,}")))
            else:
                lines.append(html.escape(t("widget.input.values_sample_1", lang,
                                           n=f"{per_sample:,}")))
            if model.batch_size is None:
                lines.append(html.escape(t("widget.input.values_batch_open", lang,
                                           n=f"{per_sample:,}")))
            else:
                lines.append(html.escape(t(
                    "widget.input.values_batch", lang,
                    expr=product_expression(model.batch_input_shape),
                    n=f"{model.batch_size * per_sample:,}")))
        if shape and shape[0] is None:
            lines.append(html.escape(t("widget.input.leading_none", lang)))
        return "<br>".join(lines)

    def _sync_graph(self, summary: Summary) -> None:
        """The functional parts: input names and rows, the new layer's tensors, outputs."""
        model = self.model
        lang = self._lang
        inputs = model.model_inputs
        input_names = model.input_names
        if "input0.name" not in self._invalid:
            self._set_value(self.input_name_text, inputs[0].name or "")
        if self.input_name_text.placeholder != input_names[0]:
            self.input_name_text.placeholder = input_names[0]
        _toggle_class(self.input_name_text, "sw-invalid", "input0.name" in self._invalid)
        if len(self._input_rows) != len(inputs) - 1:
            old = self._input_rows
            rows = old[:len(inputs) - 1]
            rows += [InputRow(self, i + 1, lang) for i in range(len(rows), len(inputs) - 1)]
            for row in old[len(rows):]:
                row.close()
            self._input_rows = rows
            self.input_rows_box.children = tuple(r.box for r in rows)
        for i, row in enumerate(self._input_rows, start=1):
            prefix = f"input{i}."
            invalid = {k[len(prefix):]: e.message(lang)
                       for k, e in self._invalid.items() if k.startswith(prefix)}
            row.update(inputs[i], input_names[i], invalid)
        layer_names = model.layer_names
        names = tensor_names(input_names, layer_names)
        self.new_inbound.set_choices(names)
        self._sync_new_inbound(input_names, layer_names)
        self.outputs_picker.set_choices(names)
        if "outputs" not in self._invalid:
            self.outputs_picker.show(model.outputs)
        self.outputs_picker.set_invalid("outputs" in self._invalid)
        auto = ", ".join(summary.outputs) if not model.outputs and summary.outputs else ""
        self.outputs_picker.set_placeholder(
            t("widget.outputs.auto", lang, names=auto) if auto else "")
        error = self._invalid.get("outputs")
        self.outputs_message.value = ("" if error is None else
                                      f'<div class="sw-error">'
                                      f'{html.escape(error.message(lang))}</div>')

    def _sync_new_inbound(self, input_names: list[str] | None = None,
                          layer_names: list[str] | None = None) -> None:
        """The placeholder of the new layer's tensors: the one it takes by default."""
        position = self.position_picker.value
        model = self.model
        layer_names = model.layer_names if layer_names is None else layer_names
        index = len(layer_names) if position is None or position < 0 else position
        previous = previous_tensor(model.input_names if input_names is None else input_names,
                                   layer_names, index)
        self.new_inbound.set_placeholder(t("widget.layer.inbound_auto", self._lang,
                                           name=previous))

    def _sync_rows(self, summary: Summary) -> None:
        model = self.model
        layers = model.layers
        names = model.layer_names
        key = tuple(type(layer) for layer in layers)
        if key != self._row_key:
            old = self._rows
            self._advanced = {i for i in self._advanced if i < len(layers)}
            # A row is bound to its position: keep the rows whose position still holds a
            # layer of the same type (update() below refreshes their values); building
            # rows is what makes adding or removing a layer slow in the browser.
            previous = self._row_key or ()
            rows = [old[i] if i < min(len(old), len(previous)) and previous[i] is type(layer)
                    else LayerRow(self, i, layer, names[i], self._lang, i in self._advanced)
                    for i, layer in enumerate(layers)]
            kept = {id(row) for row in rows}
            self._rows = rows
            self._row_key = key
            self.layers_box.children = (tuple(r.box for r in self._rows)
                                        or (self.empty_note,))
            for row in old:
                if id(row) not in kept:
                    row.close()
        if tuple(names) != self._position_key:
            options = [(t("widget.layer.at_end", self._lang), -1)] + [
                (t("widget.layer.before", self._lang, index=i, name=n), i)
                for i, n in enumerate(names)]
            value = self.position_picker.value
            self._syncing = True
            try:
                self.position_picker.options = options
                self.position_picker.value = value if value is not None and value < len(
                    names) else -1
            finally:
                self._syncing = False
            self._position_key = tuple(names)
        error = summary.error
        # rows are in spec order; in a graph with an error, only the computed ones
        by_index = {r.index: r for r in summary.rows}
        input_names = model.input_names
        all_tensors = tensor_names(input_names, names)
        for i, (row, layer) in enumerate(zip(self._rows, layers, strict=True)):
            prefix = f"layer{i}."
            invalid = {k[len(prefix):]: e.message(self._lang)
                       for k, e in self._invalid.items() if k.startswith(prefix)}
            breaks = None
            if error is not None and error.layer_index == i:
                breaks = t("widget.layer.breaks", self._lang, message=error.message(self._lang))
            row.update(layer, names[i], by_index.get(i), breaks, invalid, self.selected == i,
                       len(layers), tensors=[n for n in all_tensors if n != names[i]],
                       previous=previous_tensor(input_names, names, i))

    def _show_state(self, summary: Summary | None = None) -> None:
        """Status line, stale marking and the messages next to the input controls."""
        lang = self._lang
        summary = summary or self.model.analyze()
        stale = bool(self._invalid)
        if stale:
            err = list(self._invalid.values())[-1]
            text = t("widget.status.invalid", lang, message=err.message(lang))
            kind = "invalid"
        elif self._notice is not None:
            text = t("widget.status.invalid", lang, message=self._notice.message(lang))
            kind = "invalid"
        elif summary.error is not None:
            text = t("widget.status.rejected", lang, message=summary.error.message(lang))
            kind = "error"
        elif len(summary.outputs) > 1:
            outputs = ", ".join(f"{n} {format_shape(summary.shape_of(n))}"
                                for n in summary.outputs)
            text = t("widget.status.ok_outputs", lang, n=len(summary.rows), outputs=outputs,
                     params=f"{summary.total_params:,}")
            kind = "ok"
        else:
            text = t("widget.status.ok", lang, n=len(summary.rows),
                     shape=format_shape(summary.output_shape),
                     params=f"{summary.total_params:,}")
            kind = "ok"
        if self._internal_shown and self.last_internal_error is not None:
            text = t("widget.status.internal", lang, message=repr(self.last_internal_error))
            kind = "internal"
        self.status.value = f'<div class="sw-status-{kind}">{html.escape(text)}</div>'
        for k in ("ok", "invalid", "error", "internal"):
            _toggle_class(self.status, f"sw-status-{k}", k == kind)
        for widget in (self.views, self.diagram, self.table):
            _toggle_class(widget, "sw-stale", stale)
        self.stale_note.value = (f'<div class="sw-stale-message"><b>'
                                 f'{html.escape(t("widget.stale", lang))}</b></div>'
                                 if stale else "")
        messages = [e.message(lang) for k, e in self._invalid.items()
                    if k in ("input_shape", "batch_size", "input_dtype", "input0.name")]
        self.input_message.value = "".join(
            f'<div class="sw-error">{html.escape(m)}</div>' for m in messages)
        _toggle_class(self.shape_text, "sw-invalid", "input_shape" in self._invalid)
        _toggle_class(self.batch_text, "sw-invalid", "batch_size" in self._invalid)

    # --- drawing -----------------------------------------------------------------
    @guarded
    def _on_tab(self, change: Any) -> None:
        if change.new == 0:
            self._throttle.request()

    def _image(self, summary: Summary, key: Any) -> tuple[str, bytes]:
        """The drawing as (format, bytes); drawings of recent states are kept (undo,
        redo, re-selecting a layer are instant)."""
        for i, (k, image) in enumerate(self._image_cache):
            if k == key:
                self._image_cache.append(self._image_cache.pop(i))
                self.stats.cache_hits += 1
                return image
        image = self._drawer.image(summary, self.selected, self._lang)
        self._image_cache.append((key, image))
        while len(self._image_cache) > IMAGE_CACHE_ENTRIES or sum(
                len(im[1]) for _, im in self._image_cache) > IMAGE_CACHE_BYTES:
            self._image_cache.pop(0)
        return image

    def _draw_now(self) -> None:
        try:
            if self.tabs.selected_index != 0:
                return  # drawn when the drawing tab is shown again
            summary = self.model.analyze()
            message = None if summary.error is None else summary.error.message(self._lang)
            key = (summary.input_shape, summary.inputs, summary.outputs, summary.rows, message,
                   self.selected, self._lang)
            if key == self._drawn_key:
                self.stats.skipped_draws += 1
                return
            start = time.perf_counter()
            if self._drawer.available():
                try:
                    if self._mpl_view is not None:
                        content = self._mpl_view.draw(summary, self.selected, self._lang)
                    else:
                        image = self._image(summary, key)
                        with self.diagram_image.hold_sync():  # one message: type and bytes
                            self.diagram_image.format, self.diagram_image.value = image
                        content = self.diagram_image
                except Exception as exc:
                    self.diagram_text.value = "<p>" + html.escape(t(
                        "widget.drawing.failed", self._lang, message=repr(exc))) + "</p>"
                    content = self.diagram_text
                    self._internal(exc)
            else:
                self.diagram_text.value = drawing_fallback_html(summary, self._lang)
                content = self.diagram_text
            children = (content,) if self._drawing_note is None else (self.drawing_note, content)
            if tuple(self.diagram.children) != children:
                self.diagram.children = children
            self._drawn_key = key
            self.stats.draws += 1
            self.stats.draw_seconds += time.perf_counter() - start
        except Exception as exc:
            self._internal(exc)

    # --- errors ------------------------------------------------------------------
    def _internal(self, exc: BaseException) -> None:
        self.last_internal_error = exc
        self.last_internal_traceback = traceback.format_exc()
        self._internal_shown = True
        try:
            self._show_state()
        except Exception:
            self.status.value = html.escape(repr(exc))

    def _show_notice(self, err: ShapeError) -> None:
        self._notice = err
        self._show_state()

    def _apply_value(self, key: str, action: Callable[[], Any]) -> None:
        """Apply a typed value; a bad one is kept in view with its message."""
        try:
            with self.hold_refresh():
                action()
        except ShapeError as err:
            self._invalid.pop(key, None)
            self._invalid[key] = err
            if key.startswith("layer"):
                self._sync_rows(self.model.analyze())
            elif key.startswith(("input", "outputs")):
                self._sync_graph(self.model.analyze())
            self._show_state()
            return
        if key in self._invalid:
            del self._invalid[key]
            summary = self.model.analyze()
            self._sync_rows(summary)
            self._sync_graph(summary)
        self._show_state()

    def _apply_connection(self, key: str, index: int | None, argument: str,
                          edit: Callable[[Model], Any], where: str | None = None) -> None:
        """Apply a connection edit (inbound tensors, outputs, an input's name) unless it
        is a bad value: one that brings a new error at the edited layer, or a structural
        one (unknown tensor, cycle, a name taken twice). A bad value is kept in view with
        its message, as a bad typed value is; the model keeps its last valid state."""
        def apply() -> None:
            model = self.model
            trial = model.copy()
            try:
                edit(trial)
            except ShapeError as exc:
                raise (exc if where is None else exc.located(layer_type=where)) from None
            err = refusal(model.analyze().error, trial.analyze().error, index, argument)
            if err is not None:
                if index is not None:
                    err = ShapeError(err.problem, fix=err.fix, layer_index=index,
                                     layer_name=model.layer_names[index],
                                     layer_type=model.layers[index].type_name(),
                                     argument=argument)
                elif where is not None:  # an input: named as such, not as a layer
                    err = ShapeError(err.problem, fix=err.fix, layer_type=where,
                                     argument=argument)
                raise err
            edit(model)

        self._apply_value(key, apply)

    # --- handlers: input ---------------------------------------------------------
    @guarded
    def _on_shape_text(self, change: Any) -> None:
        if self._syncing:
            return
        self._apply_value("input_shape",
                          lambda: self.model.set_input(parse_shape_text(change.new)))

    @guarded
    def _on_batch_text(self, change: Any) -> None:
        if self._syncing:
            return
        self._apply_value("batch_size",
                          lambda: self.model.set_input(batch_size=parse_batch_text(change.new)))

    @guarded
    def _on_dtype(self, change: Any) -> None:
        if self._syncing:
            return
        self._apply_value("input_dtype", lambda: self.model.set_input(dtype=change.new))

    # --- handlers: layers --------------------------------------------------------
    @guarded
    def _on_arg(self, index: int, control: ArgControl) -> None:
        model = self.model
        key = f"layer{index}.{control.name}"

        def apply() -> None:
            layer = model.layers[index]
            try:
                value = control.read()
            except ShapeError as err:
                raise err.located(layer_index=index, layer_name=model.layer_names[index],
                                  layer_type=layer.type_name()) from None
            if value is DEFAULT:
                try:
                    new = layer.without_args(control.name)
                except ShapeError as err:
                    raise err.located(layer_index=index, layer_name=model.layer_names[index],
                                      layer_type=layer.type_name()) from None
                model.replace(index, new)
            else:
                model.set_arg(index, control.name, value)

        self._apply_value(key, apply)

    @guarded
    def _on_select(self, index: int) -> None:
        self.selected = None if self.selected == index else index

    @guarded
    def _on_move(self, index: int, delta: int) -> None:
        target = index + delta
        if 0 <= target < len(self.model.layers):
            with self.hold_refresh():
                self.model.move(index, target)
                if self.selected == index:
                    self.selected = target

    @guarded
    def _on_duplicate(self, index: int) -> None:
        layer = self.model.layers[index]
        with self.hold_refresh():
            self.model.insert(index + 1, layer.renamed(None) if layer.name else layer)
            self.selected = index + 1

    @guarded
    def _on_remove(self, index: int) -> None:
        with self.hold_refresh():
            self.model.remove(index)
            if self.selected is not None and self.selected >= index:
                self.selected = None if self.selected == index else self.selected - 1

    @guarded
    def _on_advanced(self, index: int) -> None:
        if index >= len(self._rows):
            return
        row = self._rows[index]
        if row.more.value:
            self._advanced.add(index)
            row.open_advanced(self.model.layers[index], self.model.layer_names[index])
        else:
            self._advanced.discard(index)
        self._sync_rows(self.model.analyze())

    @guarded
    def _on_add(self, _button: Any = None) -> None:
        self.add_layer(self.type_picker.value, self.position_picker.value,
                       inbound=self.new_inbound.read())

    def add_layer(self, type_name: str, position: int = -1,
                  inbound: tuple[str, ...] | list[str] | None = None, **kwargs: Any) -> None:
        """Insert a layer (required arguments get a suggested value) and select it;
        ``inbound``: the tensors it takes (None: the previous one, as in Sequential)."""
        model = self.model
        index = len(model.layers) if position is None or position < 0 else position
        summary = model.analyze()
        tensor = inbound[0] if inbound else previous_tensor(model.input_names,
                                                             model.layer_names, index)
        try:
            before = summary.shape_of(tensor)
        except KeyError:
            before = summary.input_shape
        sample = num_values(before[1:])
        cls = LAYER_TYPES[type_name]
        args = {p.name: suggested_value(p, sample) for p in cls.params
                if p.required and p.name not in kwargs}
        # no suggestion: leave it out, so that the refusal says it is missing
        args = {k: v for k, v in args.items() if v is not REQUIRED}
        args.update(kwargs)
        if inbound:
            args["inbound"] = list(inbound)
        with self.hold_refresh():
            model.insert(index, {"type": type_name, **args})
            self.selected = index
            self.new_inbound.show(None)

    # --- handlers: functional models -------------------------------------------------
    @guarded
    def _on_inbound(self, index: int) -> None:
        if index >= len(self._rows) or index >= len(self.model.layers):
            return
        value = self._rows[index].inbound.read()
        self._apply_connection(f"layer{index}.inbound", index, "inbound",
                               lambda m: m.connect(index, value))

    @guarded
    def _on_outputs(self) -> None:
        value = list(self.outputs_picker.read() or ())
        self._apply_connection("outputs", None, "outputs", lambda m: m.set_outputs(value))

    @guarded
    def _on_position(self, _change: Any) -> None:
        self._sync_new_inbound()

    @guarded
    def _on_add_input(self, _button: Any = None) -> None:
        with self.hold_refresh():
            self.model.add_input(tuple(self.model.input_shape))

    @guarded
    def _on_remove_input(self, index: int) -> None:
        if index < len(self.model.model_inputs):
            with self.hold_refresh():
                self.model.remove_input(index)

    @guarded
    def _on_input_field(self, index: int, field: str, value: Any) -> None:
        if self._syncing or index >= len(self.model.model_inputs):
            return
        key = f"input{index}.{field}"
        where = t("widget.input.where", self._lang, name=self.model.input_names[index])
        if field == "name":
            name = str(value).strip() or None
            self._apply_connection(key, None, "name",
                                   lambda m: m.set_input(index=index, name=name), where)
            return

        def apply() -> None:
            try:
                if field == "shape":
                    self.model.set_input(parse_shape_text(str(value)), index=index)
                elif field == "batch_size":
                    self.model.set_input(batch_size=parse_batch_text(str(value)),
                                         index=index)
                else:
                    self.model.set_input(dtype=str(value), index=index)
            except ShapeError as err:
                raise err.located(layer_type=where) from None

        self._apply_value(key, apply)

    @guarded
    def _on_share(self, index: int) -> None:
        model = self.model
        if index >= len(model.layers):
            return
        layer = model.layers[index]
        target = layer.shares if isinstance(layer, SharedLayer) else model.layer_names[index]
        inbound = self.new_inbound.read()
        if inbound is None:
            row = next((r for r in model.analyze().rows if r.index == index), None)
            inbound = (row.inbound if row is not None and row.inbound
                       else layer.inbound or (previous_tensor(model.input_names,
                                                              model.layer_names, index),))
        with self.hold_refresh():
            model.share(target, inbound)
            self.selected = len(model.layers) - 1
            self.new_inbound.show(None)

    # --- handlers: views, paste, presets, history ---------------------------------
    @guarded
    def _on_code_style(self, change: Any) -> None:
        self.code.value = keras_code(self.model, change.new, self._lang)

    @guarded
    def _on_paste(self, _button: Any = None) -> None:
        self.paste(self.paste_text.value)

    def paste(self, source: str) -> bool:
        """Replace the model by the one in pasted Keras code (parsed, never executed)."""
        lang = self._lang
        if not source.strip():
            err = ShapeError(Msg("widget.paste.empty"), argument="code")
        else:
            try:
                new = Model.from_keras_code(source)
            except ShapeError as exc:
                err = exc
            except ImportError:
                err = ShapeError(Msg("widget.paste.unavailable"), argument="code")
            else:
                self.apply_spec(new.to_spec())
                self.paste_message.value = html.escape(
                    t("widget.paste.ok", lang, n=len(new.layers)))
                return True
        self.paste_message.value = f'<div class="sw-error">{html.escape(err.message(lang))}</div>'
        self._show_notice(err)
        return False

    @guarded
    def _on_preset(self, _button: Any = None) -> None:
        self.load_preset(self.preset_picker.value)

    def load_preset(self, name: str) -> None:
        spec = preset_spec(name)
        if spec is None:
            raise ShapeError(Msg("widget.preset.unknown", {
                "received": repr(name), "expected": ", ".join(available_presets())}),
                argument="preset")
        self.apply_spec(spec)

    def apply_spec(self, spec: dict[str, Any]) -> None:
        """Make ``w.model`` (the same object) equal to the model of ``spec``."""
        new = Model.from_spec(spec)
        model = self.model
        with self.hold_refresh(), model.hold_trait_notifications():
            model.input_shape = new.input_shape
            model.batch_size = new.batch_size
            model.input_dtype = new.input_dtype
            model.name = new.name
            model.input_name = new.input_name
            model.extra_inputs = list(new.extra_inputs)
            model.outputs = list(new.outputs)
            model.layers = list(new.layers)
            self.selected = None

    @guarded
    def undo(self) -> None:
        if self.history.can_undo:
            self.apply_spec(self.history.undo())

    @guarded
    def redo(self) -> None:
        if self.history.can_redo:
            self.apply_spec(self.history.redo())

    # --- reading the state (tests, automation) -------------------------------------
    @property
    def rows(self) -> list[LayerRow]:
        """The layer rows, one per layer, in order."""
        return list(self._rows)

    @property
    def input_rows(self) -> list[InputRow]:
        """The rows of the model inputs after the first, in order."""
        return list(self._input_rows)

    @property
    def stale(self) -> bool:
        """True while a typed value is invalid and the views show the last valid model."""
        return bool(self._invalid)

    @property
    def status_text(self) -> str:
        """The status line as plain text."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.status.value))

    def close(self) -> None:
        for row in getattr(self, "_rows", ()):
            row.close()
        for input_row in getattr(self, "_input_rows", ()):
            input_row.close()
        for widget in getattr(self, "_owned", ()):
            close_widget(widget)
        mpl_view = getattr(self, "_mpl_view", None)
        if mpl_view is not None:
            mpl_view.close()
        bound = getattr(self, "_bound", None)
        if bound is not None:
            bound.unobserve(self._on_model_trait, names=MODEL_TRAITS)
            self._bound = None
        layout = getattr(self, "layout", None)
        super().close()
        if isinstance(layout, W.Widget):
            layout.close()
