"""How a notebook displays a model: every representation from one drawing."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from shapewidget import Model
from shapewidget.render import export


def seed() -> Model:
    return Model([{"type": "Dense", "units": 4}, {"type": "Dense", "units": 4},
                  {"type": "Dense", "units": 1}], input_dim=3)


def test_display_bundle_holds_html_svg_png_and_text() -> None:
    bundle = seed()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "image/png", "text/plain"}
    assert bundle["image/png"][:4] == b"\x89PNG"
    assert ElementTree.fromstring(bundle["image/svg+xml"]).tag.endswith("svg")
    assert "shapewidget-table" in bundle["text/html"]


def test_display_bundle_matches_each_repr() -> None:
    model = seed()
    bundle = model._repr_mimebundle_()
    assert bundle["text/html"] == model._repr_html_()
    assert bundle["image/png"] == model._repr_png_()
    assert bundle["image/svg+xml"] == model._repr_svg_()


def test_display_bundle_respects_include_and_exclude() -> None:
    model = seed()
    assert set(model._repr_mimebundle_(include={"image/png"})) == {"image/png"}
    assert "image/png" not in model._repr_mimebundle_(exclude={"image/png"})


def test_display_bundle_draws_once_for_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    # IPython's own display formatter, as a kernel uses it (without a shell, which would
    # open a history database in $HOME)
    from IPython.core.formatters import DisplayFormatter

    calls: list[Any] = []
    draw = export.scene  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return draw(*args, **kwargs)

    monkeypatch.setattr(export, "scene", counting)
    data, _ = DisplayFormatter().format(seed())  # type: ignore[no-untyped-call]
    assert {"text/html", "image/svg+xml", "image/png", "text/plain"} <= set(data)
    assert len(calls) == 1
