"""Controls for functional models: the tensors a layer takes, extra inputs, the outputs.

A :class:`TensorPicker` is an ordered choice of tensor names (model inputs and layer
outputs), a standard ``TagsInput`` restricted to the names that exist; empty means
"automatic" (a layer then takes the previous tensor, as in a Sequential model; the
outputs are the tensors no layer uses). An :class:`InputRow` edits one model input after
the first. :func:`refusal` decides whether a connection edit is a bad value (kept out of
the model and shown as invalid) or a model Keras would reject (applied and shown as such).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import ipywidgets as W

from ..errors import ShapeError
from ..model import DTYPES, ModelInput
from ..shapes import format_shape
from ..text import Lang
from .parsing import format_shape_text, parse_batch_text, parse_shape_text
from .strings import t


class InputRowOwner(Protocol):
    """What an input row calls on the widget that holds it (the widget, ``app.py``,
    imports this module; this module never imports it)."""

    def _on_remove_input(self, index: int) -> None: ...
    def _on_input_field(self, index: int, field: str, value: Any) -> None: ...


UNFINISHED = frozenset({"graph.dangling", "graph.unused_input", "graph.no_outputs"})
"""Errors of a graph still being built (an input no layer uses yet, a branch without an
output): an edit that leads to one is applied; Keras's message shows what is missing."""


def tensor_names(input_names: Sequence[str], layer_names: Sequence[str]) -> list[str]:
    """The tensors a layer can be called on: the model inputs, then the layer outputs
    (``Model.input_names`` and ``Model.layer_names``)."""
    return list(dict.fromkeys([*input_names, *layer_names]))


def previous_tensor(input_names: Sequence[str], layer_names: Sequence[str],
                    position: int) -> str:
    """The tensor a layer inserted at ``position`` takes when nothing is chosen: the
    previous layer's output, or the first input."""
    if 0 < position <= len(layer_names):
        return layer_names[position - 1]
    return input_names[0]


def refusal(before: ShapeError | None, after: ShapeError | None, index: int | None,
            argument: str) -> ShapeError | None:
    """The error to show for a connection edit that is a bad value, else None.

    A bad value: the edit brings a new error located at the edited layer (``index``; None
    for the outputs), or a structural one anywhere (an unknown tensor, a cycle, a name
    taken twice). An edit whose new error lies further on (a later layer now gets the
    wrong rank), or that leaves the graph unfinished, is applied: Keras would reject the
    model, and the widget shows where, as for a Sequential model.
    """
    if after is None or after.problem.key in UNFINISHED:
        return None
    if before is not None and before.message("en") == after.message("en"):
        return None
    structural = after.problem.key.startswith(("graph.", "model."))
    if not (structural or index is None or after.layer_index == index):
        return None
    return ShapeError(after.problem, fix=after.fix, layer_index=after.layer_index,
                      layer_name=after.layer_name, layer_type=after.layer_type,
                      argument=argument)


def _css(widget: Any, *classes: str) -> Any:
    for c in classes:
        widget.add_class(c)
    return widget


def _toggle(widget: Any, css: str, on: bool) -> None:
    if on:
        widget.add_class(css)
    else:
        widget.remove_class(css)


class TensorPicker:
    """An ordered choice of tensor names (a ``TagsInput``); empty means automatic.

    ``on_change`` is called when a person changes the choice (not when :meth:`show`
    displays the model's value).
    """

    def __init__(self, css: str, description: str, tooltip: str,
                 on_change: Callable[[TensorPicker], None] | None = None,
                 width: str = "18em") -> None:
        self._on_change = on_change
        self._quiet = False
        self._placeholder = ""
        self.widget = _css(W.TagsInput(
            value=[], allowed_tags=[], allow_duplicates=True, description=description,
            tooltip=tooltip, style={"description_width": "initial"},
            layout=W.Layout(width=width)), css)
        self.widget.observe(self._changed, names="value")

    def _changed(self, _change: Any) -> None:
        if not self._quiet and self._on_change is not None:
            self._on_change(self)

    @property
    def choices(self) -> list[str]:
        return [str(v) for v in self.widget.allowed_tags]

    def set_choices(self, names: Sequence[str]) -> None:
        """The names that can be chosen (the current choice stays allowed)."""
        allowed = list(dict.fromkeys([*names, *self.widget.value]))
        if allowed != list(self.widget.allowed_tags):
            self.widget.allowed_tags = allowed

    def read(self) -> tuple[str, ...] | None:
        """The chosen names in order; None when nothing is chosen (automatic)."""
        value = tuple(str(v) for v in self.widget.value)
        return value or None

    def show(self, value: Sequence[str] | None) -> None:
        """Show the model's value (without calling ``on_change``)."""
        wanted = list(value or ())
        if list(self.widget.value) == wanted:
            return
        self._quiet = True
        try:
            missing = [v for v in wanted if v not in self.widget.allowed_tags]
            if missing and self.widget.allowed_tags:
                self.widget.allowed_tags = [*self.widget.allowed_tags, *missing]
            self.widget.value = wanted
        finally:
            self._quiet = False

    def set_placeholder(self, text: str) -> None:
        if text != self._placeholder:
            self._placeholder = text
            self.widget.placeholder = text

    def set_invalid(self, invalid: bool) -> None:
        _toggle(self.widget, "sw-invalid", invalid)

    def close(self) -> None:
        for attr in ("layout", "style"):
            sub = getattr(self.widget, attr, None)
            if isinstance(sub, W.Widget):
                sub.close()
        self.widget.close()


class InputRow:
    """One model input after the first: name, shape, batch size, dtype, remove."""

    FIELDS = ("name", "shape", "batch_size", "dtype")

    def __init__(self, owner: InputRowOwner, index: int, lang: Lang) -> None:
        self.owner = owner
        self.index = index
        self.lang = lang
        self._quiet = False
        wide = {"description_width": "initial"}
        self.name = _css(W.Text(description=t("widget.input.name", lang),
                                continuous_update=False, style=wide,
                                tooltip=t("widget.input.name_help", lang),
                                layout=W.Layout(width="13em")), "sw-extra-input-name")
        self.shape = _css(W.Text(description="shape", placeholder="5,",
                                 continuous_update=False, style=wide,
                                 tooltip=t("widget.input.shape_help", lang),
                                 layout=W.Layout(width="12em")), "sw-extra-input-shape")
        self.batch = _css(W.Text(description=t("widget.input.batch", lang),
                                 placeholder="None", continuous_update=False, style=wide,
                                 tooltip=t("widget.input.batch_help", lang),
                                 layout=W.Layout(width="11em")), "sw-extra-input-batch")
        self.dtype = _css(W.Dropdown(options=list(DTYPES), description="dtype", style=wide,
                                     layout=W.Layout(width="10em")), "sw-extra-input-dtype")
        self.remove = _css(W.Button(description="", icon="trash",
                                    tooltip=t("widget.input.remove", lang),
                                    layout=W.Layout(width="auto")), "sw-remove-input")
        self.info = _css(W.HTML(), "sw-extra-input-info")
        self.message = _css(W.HTML(), "sw-extra-input-message")
        self._widgets = {"name": self.name, "shape": self.shape, "batch_size": self.batch,
                         "dtype": self.dtype}
        for field, widget in self._widgets.items():
            widget.observe(lambda change, f=field: self._changed(f, change.new),
                           names="value")
        self.remove.on_click(lambda _b: owner._on_remove_input(index))
        self.fields = W.HBox([self.name, self.shape, self.batch, self.dtype, self.remove],
                             layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.box = _css(W.VBox([self.fields, self.info]), "sw-extra-input",
                        f"sw-extra-input-{index}")

    def _changed(self, field: str, value: Any) -> None:
        if not self._quiet:
            self.owner._on_input_field(self.index, field, value)

    def _set(self, widget: Any, value: Any) -> None:
        if widget.value != value:
            self._quiet = True
            try:
                widget.value = value
            finally:
                self._quiet = False

    def update(self, entry: ModelInput, name: str, invalid: dict[str, str]) -> None:
        """Show input ``entry`` (named ``name``); ``invalid`` maps fields to messages."""
        if "name" not in invalid:
            self._set(self.name, entry.name or "")
            self.name.placeholder = name
        if "shape" not in invalid:
            try:
                same = parse_shape_text(self.shape.value) == entry.shape
            except ShapeError:
                same = False
            if not same:
                self._set(self.shape, format_shape_text(entry.shape))
        if "batch_size" not in invalid:
            try:
                same = parse_batch_text(self.batch.value) == entry.batch_size
            except ShapeError:
                same = False
            if not same:
                self._set(self.batch, "None" if entry.batch_size is None
                          else str(entry.batch_size))
        if "dtype" not in invalid:
            self._set(self.dtype, entry.dtype)
        for field, widget in self._widgets.items():
            _toggle(widget, "sw-invalid", field in invalid)
        shape = format_shape((entry.batch_size, *entry.shape))
        self.info.value = html.escape(t("widget.input.tensor", self.lang, name=name,
                                        shape=shape))
        self.message.value = "".join(f'<div class="sw-error">{html.escape(m)}</div>'
                                     for m in invalid.values())
        parts = (self.fields, self.info, self.message) if invalid else (self.fields,
                                                                        self.info)
        if tuple(self.box.children) != parts:
            self.box.children = parts

    def widgets(self) -> list[Any]:
        return [self.name, self.shape, self.batch, self.dtype, self.remove, self.info,
                self.message, self.fields, self.box]

    def close(self) -> None:
        for widget in self.widgets():
            for attr in ("layout", "style"):
                sub = getattr(widget, attr, None)
                if isinstance(sub, W.Widget):
                    sub.close()
            widget.close()
