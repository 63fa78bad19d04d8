"""Hostile names and values never reach the page as markup (issue 11, item 1).

Every string a person or a pasted program controls (layer and input names, argument
values, messages) is written into ipywidgets ``HTML`` values (the front-end sets them as
``innerHTML``), the table, the explanation, the notebook display and the drawing. These
tests build models with hostile strings through each way in and parse every HTML value
of the widget: no element or event attribute of the payload appears, and the payload
shows as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import ipywidgets as W
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shapewidget import Model
from shapewidget.errors import ShapeError
from shapewidget.render.table import to_html, to_markdown
from shapewidget.widget import ShapeWidget

IMG = "<img src=x onerror=window.__sw_pwned=1>"
SCRIPT = '"><script>window.__sw_pwned=1</script>'
ENTITY = "&lt;b&gt;"
# Keras refuses "/" in layer names; the <script> payload reaches names through inputs
# (tensor names) and through argument values, where it is a message's received value.
HOSTILE_NAMES = [IMG, "<svg onload=window.__sw_pwned=1>", "'\"><b onmouseover=x>", ENTITY]
ALLOWED_TAGS = {  # what the package itself writes into HTML values
    "b", "i", "code", "div", "p", "br", "em", "h4", "ul", "li", "small", "details",
    "summary", "strong", "table", "thead", "tbody", "tr", "th", "td", "style", "pre",
}


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(markup)
    parser.close()
    return parser


def assert_inert(markup: str, where: str, allowed: set[str] = ALLOWED_TAGS) -> None:
    """No element outside ``allowed`` and no event-handler attribute in ``markup``."""
    for tag, attrs in parse(markup).tags:
        assert tag in allowed, f"{where}: element <{tag}> in {markup[:300]!r}"
        for name, _value in attrs:
            assert not name.lower().startswith("on"), f"{where}: attribute {name} on <{tag}>"


def text_of(markup: str) -> str:
    return "".join(parse(markup).text)


def walk(widget: Any, seen: set[int] | None = None) -> Iterator[Any]:
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return
    seen.add(id(widget))
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child, seen)


def html_values(w: ShapeWidget) -> Iterator[tuple[str, str]]:
    """(CSS classes, value) of every HTML widget shown, on every tab."""
    for tab in range(len(w.tabs.children)):
        w.tabs.selected_index = tab
        w.flush()
        for widget in walk(w):
            if isinstance(widget, (W.HTML, W.HTMLMath)):
                yield " ".join(widget._dom_classes), str(widget.value)


def assert_widget_inert(w: ShapeWidget, literal: str | None = None) -> None:
    texts = []
    for classes, value in html_values(w):
        if "sw-style" in classes:
            continue
        assert_inert(value, classes)
        texts.append(text_of(value))
    if literal is not None:
        assert any(literal in text for text in texts), f"{literal!r} not shown as text"


def open_everything(w: ShapeWidget) -> None:
    """Select the first layer and open every row's advanced controls (more HTML shown)."""
    for row in w.rows:
        row.more.value = True
    if w.rows:
        w.selected = 0
    w.flush()


def code_model(name: str, input_name: str = "inp") -> str:
    return (
        "import keras\nfrom keras import layers\n"
        f"inp = keras.Input(shape=(8,), name={input_name!r})\n"
        f"x = layers.Dense(4, name={name!r})(inp)\n"
        "model = keras.Model(inp, x)\n")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_spec_layer_name_shows_as_text(name: str) -> None:
    model = Model.from_spec({"input_shape": [8], "layers": [
        {"type": "Dense", "name": name, "units": 4}]})
    w = ShapeWidget(model)
    open_everything(w)
    assert_widget_inert(w, literal=name)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_layer_title_is_escaped(name: str) -> None:
    model = Model.from_spec({"input_shape": [8], "layers": [
        {"type": "Dense", "name": name, "units": 4}]})
    w = ShapeWidget(model)
    title = w.rows[0].title.value
    assert_inert(title, "title", {"b", "code"})
    assert text_of(title).startswith(name)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_pasted_layer_and_input_names_show_as_text(name: str) -> None:
    w = ShapeWidget()
    assert w.paste(code_model(name + "a", input_name=name))
    assert w.model.layer_names == [name + "a"]
    open_everything(w)
    assert_widget_inert(w, literal=name + "a")


def test_widget_escaping_pasted_script_tensor_name_shows_as_text() -> None:
    w = ShapeWidget()
    w.paste(code_model("dense", input_name=SCRIPT))
    open_everything(w)
    assert_widget_inert(w)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_typed_layer_name_shows_as_text(name: str) -> None:
    w = ShapeWidget()
    row = w.rows[0]
    row.more.value = True
    w.rows[0].controls["name"].widget.value = name
    assert w.model.layers[0].name == name
    open_everything(w)
    assert_widget_inert(w, literal=name)


@pytest.mark.parametrize("name", [*HOSTILE_NAMES, SCRIPT])
def test_widget_escaping_typed_input_name_shows_as_text(name: str) -> None:
    w = ShapeWidget()
    w.input_name_text.value = name
    open_everything(w)
    assert_widget_inert(w)


@pytest.mark.parametrize("value", [IMG, SCRIPT])
def test_widget_escaping_refused_argument_value_message_is_escaped(value: str) -> None:
    w = ShapeWidget(Model.from_spec({"input_shape": [8], "layers": [
        {"type": "Reshape", "target_shape": [2, 4]}]}))
    row = w.rows[0]
    row.controls["target_shape"].widget.value = value
    assert row.message in row.box.children  # the refusal is shown
    assert_inert(row.message.value, "row message")
    assert_inert(w.status.value, "status")
    open_everything(w)
    assert_widget_inert(w)


@pytest.mark.parametrize("value", [IMG, SCRIPT])
def test_widget_escaping_typed_text_argument_is_escaped(value: str) -> None:
    w = ShapeWidget(Model.from_spec({"input_shape": [8], "layers": [
        {"type": "Dense", "units": 4}]}))
    open_everything(w)
    w.rows[0].controls["kernel_initializer"].widget.value = value
    assert_widget_inert(w)


@pytest.mark.parametrize("value", [IMG, SCRIPT])
def test_widget_escaping_refused_paste_message_is_escaped(value: str) -> None:
    w = ShapeWidget()
    w.paste(f"import keras\nmodel = keras.Sequential([keras.Input(shape=(8,)), "
            f"keras.layers.Dense(4, activation={value!r})])\n")
    assert_inert(w.paste_message.value, "paste message")
    assert_widget_inert(w)


def test_widget_escaping_refused_shape_text_message_is_escaped() -> None:
    w = ShapeWidget()
    w.shape_text.value = IMG
    assert_widget_inert(w)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_table_html_shows_name_as_text(name: str) -> None:
    model = Model.from_keras_code(code_model(name + "a", input_name=name))
    markup = to_html(model)
    assert_inert(markup, "to_html")
    assert name + "a" in text_of(markup)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_repr_html_and_svg_have_no_markup(name: str) -> None:
    model = Model.from_keras_code(code_model(name + "a", input_name=name))
    svg_tags = {"svg", "defs", "path", "g", "use", "rect", "line", "polyline", "polygon",
                "circle", "ellipse", "text", "tspan", "title", "desc", "clippath", "style",
                "lineargradient", "stop", "symbol", "image"}
    for where, markup in (("_repr_html_", model._repr_html_()),
                          ("_repr_svg_", model._repr_svg_()),
                          ("bundle", model._repr_mimebundle_()["text/html"])):
        for tag, attrs in parse(markup).tags:
            assert tag in (ALLOWED_TAGS | svg_tags) - {"image", "img"}, f"{where}: <{tag}>"
            assert not any(a.lower().startswith("on") for a, _ in attrs), f"{where}: <{tag}>"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_widget_escaping_markdown_has_no_raw_html(name: str) -> None:
    model = Model.from_keras_code(code_model(name + "a", input_name=name))
    markdown = to_markdown(model)
    outside_code = re.sub(r"(`+)(.+?)\1", "", markdown)  # a code span shows its text as is
    assert "<" not in outside_code
    assert f"`{name}[0][0]`" in markdown  # the input, in the Dense row


HOSTILE_ALPHABET = st.sampled_from([*"<>\"'&=/ ;:()`|*_\\", "img", "script", "on", "&lt;",
                                    "&#x3c;", "a"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(parts=st.lists(HOSTILE_ALPHABET, min_size=1, max_size=12))
def test_widget_escaping_any_hostile_name_is_inert(parts: list[str]) -> None:
    name = "".join(parts)
    try:
        model = Model.from_spec({"input_shape": [8], "layers": [
            {"type": "Dense", "name": name, "units": 4}]})
    except ShapeError:
        model = None
    assume(model is not None and model.analyze().error is None)
    assert model is not None
    w = _shared_widget()
    w.model.layers[0].name = name
    w.refresh()
    assert_inert(w.rows[0].title.value, "title", {"b", "code"})
    assert text_of(w.rows[0].title.value).startswith(name)
    for classes, value in html_values(w):
        if "sw-style" not in classes:
            assert_inert(value, classes)
    assert_inert(to_html(model), "to_html")


_WIDGET: list[ShapeWidget] = []


def _shared_widget() -> ShapeWidget:
    if not _WIDGET:
        w = ShapeWidget(Model.from_spec({"input_shape": [8], "layers": [
            {"type": "Dense", "name": "d", "units": 4}]}))
        open_everything(w)
        _WIDGET.append(w)
    return _WIDGET[0]
