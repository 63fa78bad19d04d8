"""Per-argument controls and layer rows, generated from the parameter declarations."""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import ipywidgets as W

from ..errors import ShapeError
from ..layers import Layer
from ..layers.shared import SharedLayer
from ..params import ChoiceParam, OpenChoiceParam, Param, is_int
from ..shapes import format_shape
from ..summary import SummaryRow
from ..text import Lang
from .graph_controls import TensorPicker
from .parsing import DEFAULT, format_param_text, is_int_param, parse_param_text
from .strings import t


class RowOwner(Protocol):
    """What a layer row calls on the widget that holds it (the widget, ``app.py``,
    imports this module; this module never imports it)."""

    def _on_select(self, index: int) -> None: ...
    def _on_inbound(self, index: int) -> None: ...
    def _on_share(self, index: int) -> None: ...
    def _on_move(self, index: int, delta: int) -> None: ...
    def _on_duplicate(self, index: int) -> None: ...
    def _on_remove(self, index: int) -> None: ...
    def _on_advanced(self, index: int) -> None: ...
    def _on_arg(self, index: int, control: ArgControl) -> None: ...


def close_widget(widget: Any) -> None:
    """Close a widget and its own layout and style widgets (``close`` leaves those open)."""
    for attr in ("layout", "style"):
        sub = getattr(widget, attr, None)
        if isinstance(sub, W.Widget):
            sub.close()
    widget.close()


def shown_by_default(param: Param) -> bool:
    """Shape-relevant and required arguments and the activation; the rest sit behind
    "more"."""
    return param.name != "trainable" and (param.affects_shape or param.required
                                          or param.name == "activation")


def _choice_label(value: Any) -> str:
    return "None" if value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class ArgControl:
    """One argument's control: IntText, FloatText, Checkbox, Dropdown or a text field."""

    def __init__(self, param: Param | None, value: Any, on_change: Callable[[ArgControl], None],
                 *, name_placeholder: str = "", lang: Lang = "en") -> None:
        self.param = param
        self.name = "name" if param is None else param.name
        self._on_change = on_change
        self._quiet = False
        kind = "name" if param is None else param.widget
        common: dict[str, Any] = {"description": self.name,
                                  "style": {"description_width": "initial"}}
        if param is not None and param.help:
            common["tooltip"] = param.help
        widget: Any
        if param is None:
            self.kind = "name"
            widget = W.Text(value=value or "", placeholder=name_placeholder,
                            continuous_update=False, layout=W.Layout(width="14em"), **common)
        elif kind == "int" and is_int_param(param) and is_int(value):
            self.kind = "int"
            widget = W.IntText(value=value, layout=W.Layout(width="8em"), **common)
        elif kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
            self.kind = "float"
            widget = W.FloatText(value=float(value), step=0.05, layout=W.Layout(width="9em"),
                                 **common)
        elif kind == "bool" and isinstance(value, bool):
            self.kind = "bool"
            widget = W.Checkbox(value=value, indent=False, layout=W.Layout(width="auto"),
                                **common)
        elif isinstance(param, OpenChoiceParam) and (value is None or isinstance(value, str)):
            self.kind = "open_choice"
            widget = W.Combobox(value=value or "", options=[c for c in param.choices
                                                            if isinstance(c, str)],
                                ensure_option=False, continuous_update=False,
                                layout=W.Layout(width="14em"), **common)
        elif kind == "choice" and isinstance(param, ChoiceParam) and param.choices:
            self.kind = "choice"
            self.choices: tuple[Any, ...] = tuple(param.choices)
            if not any(_same(c, value) for c in self.choices):
                self.choices += (value,)  # a value kept as given, e.g. "CHANNELS_FIRST"
            widget = W.Dropdown(options=[(_choice_label(c), i)
                                         for i, c in enumerate(self.choices)],
                                value=self._index(value), layout=W.Layout(width="auto"),
                                **common)
        else:
            self.kind = "text"
            widget = W.Text(value=format_param_text(param, value), continuous_update=False,
                            layout=W.Layout(width="12em"), **common)
        widget.add_class(f"sw-arg-{self.name}")
        if self.name == "units":
            widget.add_class("sw-units")
        widget.observe(self._changed, names="value")
        self.widget = widget

    def _index(self, value: Any) -> int:
        for i, c in enumerate(self.choices):
            if _same(c, value):
                return i
        return 0

    def _changed(self, change: Any) -> None:
        if not self._quiet:
            self._on_change(self)

    def read(self) -> Any:
        """The typed value, validated; :data:`DEFAULT` for an emptied text field."""
        value = self.widget.value
        if self.kind == "name":
            text = str(value).strip()
            return text or None
        assert self.param is not None
        if self.kind == "choice":
            return self.param.validate(self.choices[int(value)])
        if self.kind == "open_choice":
            return self.param.validate(str(value))
        if self.kind == "text":
            return parse_param_text(self.param, str(value))
        return self.param.validate(value)

    def matches(self, value: Any) -> bool:
        try:
            typed = self.read()
        except ShapeError:
            return False
        if typed is DEFAULT:
            return self.param is not None and _same(self.param.default, value)
        if self.kind == "float":
            return isinstance(value, int | float) and float(value) == typed
        return bool(_same(typed, value))

    def show(self, value: Any) -> None:
        """Show the model's value (without firing the change handler)."""
        if self.matches(value):
            return
        self._quiet = True
        try:
            if self.kind == "name":
                self.widget.value = value or ""
            elif self.kind == "choice":
                if not any(_same(c, value) for c in self.choices):
                    self.choices += (value,)
                    self.widget.options = [(_choice_label(c), i)
                                           for i, c in enumerate(self.choices)]
                self.widget.value = self._index(value)
            elif self.kind == "open_choice":
                self.widget.value = "" if value is None else str(value)
            elif self.kind == "text":
                assert self.param is not None
                self.widget.value = format_param_text(self.param, value)
            elif self.kind == "float":
                self.widget.value = float(value)
            else:
                self.widget.value = value
        finally:
            self._quiet = False

    def set_invalid(self, invalid: bool) -> None:
        if invalid:
            self.widget.add_class("sw-invalid")
        else:
            self.widget.remove_class("sw-invalid")


def _button(description: str, tooltip: str, icon: str, css: str) -> Any:
    b = W.Button(description=description, tooltip=tooltip, icon=icon,
                 layout=W.Layout(width="auto"))
    b.add_class(css)
    return b


class LayerRow:
    """One layer of the model: select, type, the tensors it takes, generated controls,
    output, row buttons (a shared layer's row has no argument controls of its own)."""

    def __init__(self, owner: RowOwner, index: int, layer: Layer, name: str, lang: Lang,
                 advanced: bool) -> None:
        self.owner = owner
        self.index = index
        self.layer_type = type(layer)
        self.lang = lang
        self.select = W.Button(description=str(index), tooltip=t("widget.layer.select", lang),
                               layout=W.Layout(width="3.2em"))
        self.select.add_class("sw-select-layer")
        self.select.on_click(lambda _b: owner._on_select(index))
        self.title = W.HTML()
        self.title.add_class("sw-layer-title")
        self.out = W.HTML()
        self.out.add_class("sw-layer-output")
        self.controls: dict[str, ArgControl] = {}
        self.shared = isinstance(layer, SharedLayer)
        main = [] if self.shared else [self._control(p, layer) for p in layer.all_params()
                                       if shown_by_default(p)]
        self.inbound = TensorPicker("sw-inbound", t("widget.layer.inbound", lang),
                                    t("widget.layer.inbound_help", lang),
                                    lambda _p: owner._on_inbound(index))
        self.shares_note = W.HTML()
        self.shares_note.add_class("sw-shares")
        self.up = _button("", t("widget.layer.up", lang), "arrow-up", "sw-move-up")
        self.down = _button("", t("widget.layer.down", lang), "arrow-down", "sw-move-down")
        self.dup = _button("", t("widget.layer.duplicate", lang), "copy", "sw-duplicate-layer")
        self.remove = _button("", t("widget.layer.remove", lang), "trash", "sw-remove-layer")
        self.share = _button("", t("widget.layer.share", lang) + " "
                             + t("widget.layer.share_help", lang), "link", "sw-share-layer")
        self.share.on_click(lambda _b: owner._on_share(index))
        self.up.on_click(lambda _b: owner._on_move(index, -1))
        self.down.on_click(lambda _b: owner._on_move(index, 1))
        self.dup.on_click(lambda _b: owner._on_duplicate(index))
        self.remove.on_click(lambda _b: owner._on_remove(index))
        self.more = W.ToggleButton(value=advanced, description=t("widget.layer.advanced", lang),
                                   tooltip=t("widget.layer.advanced_help", lang),
                                   layout=W.Layout(width="auto"))
        self.more.add_class("sw-advanced")
        self.more.observe(lambda _c: owner._on_advanced(index), names="value")
        self.advanced = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.advanced.add_class("sw-advanced-args")
        self.message = W.HTML()
        self.message.add_class("sw-layer-message")
        self.header = W.HBox([self.select, self.title, self.shares_note, self.out, self.up,
                              self.down, self.dup, self.share, self.remove, self.more],
                             layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.args = W.HBox([self.inbound.widget, *main], layout=W.Layout(flex_flow="row wrap", align_items="center",
                                                 padding="0 0 0 3.4em"))
        self.args.add_class("sw-layer-args")
        self.box = W.VBox([self.header, self.args],
                          layout=W.Layout(border_bottom="1px solid #ddd",
                                          padding="2px 0 4px 0"))
        self.box.add_class("sw-layer")
        self.box.add_class(f"sw-layer-{index}")
        self._layer = layer
        if advanced:
            self.open_advanced(layer, name)

    def _control(self, param: Param | None, layer: Layer, placeholder: str = "") -> Any:
        value = layer.name if param is None else layer.value(param.name)
        control = ArgControl(param, value, lambda c: self.owner._on_arg(self.index, c),
                             name_placeholder=placeholder, lang=self.lang)
        self.controls[control.name] = control
        return control.widget

    def open_advanced(self, layer: Layer, name: str) -> None:
        """Create the controls of the remaining arguments (once, when first shown)."""
        if not self.advanced.children:
            extra = [] if self.shared else [self._control(p, layer) for p in layer.all_params()
                                            if not shown_by_default(p)]
            self.advanced.children = (self._control(None, layer, name), *extra)

    def update(self, layer: Layer, name: str, row: SummaryRow | None, breaks: str | None,
               invalid: dict[str, str], selected: bool, count: int,
               tensors: Sequence[str] = (), previous: str = "") -> None:
        """Show ``layer``; ``tensors``: the names it can be called on; ``previous``: the
        tensor it takes when its inbound is automatic."""
        self._layer = layer
        title = (f"<b>{_html.escape(name)}</b> "
                 f"<code>{_html.escape(layer.type_name())}</code>")
        if self.title.value != title:
            self.title.value = title
        if isinstance(layer, SharedLayer):
            note = "<i>" + _html.escape(t("widget.layer.shares", self.lang,
                                          target=layer.shares), quote=False) + "</i>"
        else:
            note = ""
        if self.shares_note.value != note:
            self.shares_note.value = note
        self.inbound.set_choices(tensors)
        if "inbound" not in invalid:
            self.inbound.show(layer.inbound)
        self.inbound.set_placeholder(
            t("widget.layer.inbound_auto", self.lang, name=previous)
            if layer.inbound is None and previous else "")
        self.inbound.set_invalid("inbound" in invalid)
        if row is not None:
            out = "<code>" + _html.escape(t("widget.layer.out", self.lang,
                                            shape=format_shape(row.output_shape))) + "</code>"
        else:
            out = f"<i>{_html.escape(t('widget.layer.not_reached', self.lang))}</i>"
        if self.out.value != out:
            self.out.value = out
        for key, control in self.controls.items():
            if key not in invalid:
                control.show(layer.name if key == "name" else layer.value(key))
            control.set_invalid(key in invalid)
        self.up.disabled = self.index == 0
        self.down.disabled = self.index == count - 1
        messages = list(invalid.values())
        if breaks is not None:
            messages.append(breaks)
        self.message.value = "".join(f'<div class="sw-error">{_html.escape(m)}</div>'
                                     for m in messages)
        parts = [self.header, self.args]
        if self.more.value:
            parts.append(self.advanced)
        if messages:
            parts.append(self.message)
        if tuple(self.box.children) != tuple(parts):
            self.box.children = tuple(parts)
        for flag, css in ((selected, "sw-selected"), (breaks is not None, "sw-layer-error"),
                          (bool(invalid), "sw-layer-invalid")):
            if flag:
                self.box.add_class(css)
            else:
                self.box.remove_class(css)

    def widgets(self) -> list[Any]:
        out = [self.select, self.title, self.shares_note, self.out, self.up, self.down,
               self.dup, self.share, self.remove, self.more, self.advanced, self.message,
               self.header, self.args, self.box]
        out += [c.widget for c in self.controls.values()]
        return out

    def close(self) -> None:
        self.inbound.close()
        for w in self.widgets():
            close_widget(w)
