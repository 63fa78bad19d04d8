"""ShapeError: where, what, and the fix, in English and Japanese."""

from __future__ import annotations

from shapewidget.errors import ShapeError
from shapewidget.text import Msg


def _error() -> ShapeError:
    return ShapeError(Msg("param.received", {"expected": "an integer >= 1", "received": "0 (int)"}),
                      fix=Msg("param.fix.unquote", {"value": 4}), layer_index=2,
                      layer_name="dense_1", layer_type="Dense", argument="units")


def test_shape_error_is_value_error() -> None:
    assert isinstance(_error(), ValueError)


def test_shape_error_message_names_layer_argument_and_fix() -> None:
    text = str(_error())
    assert text.startswith("Layer 2 'dense_1' (Dense), argument `units`:")
    assert "Fix: write 4 without quotes." in text


def test_shape_error_message_in_japanese() -> None:
    assert "レイヤー 2 'dense_1' (Dense)" in _error().message("ja")


def test_shape_error_located_keeps_existing_fields() -> None:
    moved = _error().located(layer_index=7, line=3)
    assert (moved.layer_index, moved.line) == (2, 3)


def test_shape_error_message_with_line_only() -> None:
    err = ShapeError(Msg("spec.no_type"), line=4)
    assert str(err).startswith("Line 4:")
