"""One refresh path, both ways: the widget follows w.model, edits coalesce."""

from __future__ import annotations

import asyncio

from shapewidget import Model
from shapewidget.widget import ShapeWidget


def test_python_add_updates_layer_rows() -> None:
    w = ShapeWidget()
    w.model.add("Dense", units=2)
    assert len(w.rows) == 4
    assert "(None, 2)" in w.rows[3].out.value
    assert "(None, 2)" in w.table.value


def test_python_set_arg_updates_control_value() -> None:
    w = ShapeWidget()
    w.model.set_arg(0, "units", 11)
    assert w.rows[0].controls["units"].widget.value == 11
    assert "(None, 11)" in w.rows[0].out.value


def test_python_set_input_updates_shape_field() -> None:
    w = ShapeWidget()
    w.model.set_input((8,), batch_size=16)
    assert w.shape_text.value == "8,"
    assert w.batch_text.value == "16"
    assert "(16, 8)" in w.input_info.value


def test_replacing_model_trait_rebinds_observers() -> None:
    w = ShapeWidget()
    old = w.model
    new = Model(input_shape=(5,), layers=[{"type": "Dense", "units": 3}])
    w.model = new
    assert len(w.rows) == 1
    old.add("Dense", units=9)
    assert len(w.rows) == 1
    new.add("Dense", units=7)
    assert len(w.rows) == 2


def test_edit_refreshes_once() -> None:
    w = ShapeWidget()
    before = w.stats.refreshes
    w.rows[0].controls["units"].widget.value = 6
    assert w.stats.refreshes == before + 1


def test_hold_refresh_coalesces_python_edits() -> None:
    w = ShapeWidget()
    before = (w.stats.refreshes, w.stats.draws)
    with w.hold_refresh():
        for units in range(1, 30):
            w.model.set_arg(0, "units", units)
    assert (w.stats.refreshes, w.stats.draws) == (before[0] + 1, before[1] + 1)
    assert "(None, 29)" in w.table.value


def test_drawing_not_redrawn_when_summary_unchanged() -> None:
    w = ShapeWidget()
    draws = w.stats.draws
    w.model.set_arg(0, "units", 4)  # same value: no change at all
    w.refresh()
    assert w.stats.draws == draws
    w.model.set_arg(0, "units", 5)
    assert w.stats.draws == draws + 1


def test_drawing_deferred_while_other_tab_shown() -> None:
    w = ShapeWidget()
    w.tabs.selected_index = 1
    draws = w.stats.draws
    for units in (5, 6, 7):
        w.model.set_arg(0, "units", units)
    assert w.stats.draws == draws
    w.tabs.selected_index = 0
    assert w.stats.draws == draws + 1


async def _until_drawn(w: ShapeWidget, timeout: float = 60.0) -> None:
    """Let the event loop run until no drawing is pending (a condition, not a delay)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while w._throttle.pending and loop.time() < deadline:
        await asyncio.sleep(0.01)
    assert not w._throttle.pending, "the pending drawing never ran"


def _drawing_of(model: Model) -> bytes:
    return bytes(ShapeWidget(model=model.copy()).diagram_image.value)


def test_rapid_changes_in_event_loop_coalesce_into_one_drawing() -> None:
    w = ShapeWidget()
    control = w.rows[0].controls["units"].widget
    # A throttle interval of an hour: the whole burst falls within it however slow the
    # machine is, so the count below does not depend on speed.
    w._throttle.min_interval = w._throttle.interval = 3600.0
    draws = w.stats.draws
    refreshes = w.stats.refreshes

    async def burst() -> None:
        for units in range(1, 51):
            control.value = units
            await asyncio.sleep(0)  # the kernel handles one message at a time
        assert w.stats.draws == draws and w._throttle.pending  # all 50 wait for one drawing
        w.flush()

    asyncio.run(burst())
    assert w.stats.refreshes - refreshes == 50  # every change reached the model and views
    assert w.stats.draws - draws == 1
    assert w.model.layers[0].units == 50
    assert bytes(w.diagram_image.value) == _drawing_of(w.model)


def test_rapid_changes_in_event_loop_newest_wins() -> None:
    w = ShapeWidget()
    control = w.rows[0].controls["units"].widget

    async def burst() -> None:
        for units in range(1, 51):
            control.value = units
            await asyncio.sleep(0)
        await _until_drawn(w)

    draws = w.stats.draws
    asyncio.run(burst())
    assert 1 <= w.stats.draws - draws <= 50
    assert w.model.layers[0].units == 50
    assert bytes(w.diagram_image.value) == _drawing_of(w.model)


def test_selection_from_python_updates_views() -> None:
    w = ShapeWidget()
    w.selected = 2
    assert "sw-selected" in w.rows[2].box._dom_classes
    assert "dense_2" in w.explanation.value


def test_removing_selected_layer_from_python_clears_selection() -> None:
    w = ShapeWidget()
    w.selected = 2
    w.model.remove(2)
    assert w.selected is None


def test_undo_reuses_cached_drawing_of_earlier_state() -> None:
    w = ShapeWidget()
    image = bytes(w.diagram_image.value)
    w.model.set_arg(0, "units", 6)
    assert bytes(w.diagram_image.value) != image
    w.undo()
    assert w.stats.cache_hits == 1
    assert bytes(w.diagram_image.value) == image
