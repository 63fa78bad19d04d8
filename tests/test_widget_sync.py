"""One refresh path, both ways: the widget follows w.model, edits coalesce."""

from __future__ import annotations

import asyncio
import time

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


def test_rapid_changes_in_event_loop_coalesce_newest_wins() -> None:
    w = ShapeWidget()
    control = w.rows[0].controls["units"].widget

    async def burst() -> None:
        for units in range(1, 51):
            control.value = units
            await asyncio.sleep(0)  # the kernel handles one message at a time
        await asyncio.sleep(0.5)

    draws = w.stats.draws
    start = time.perf_counter()
    asyncio.run(burst())
    elapsed = time.perf_counter() - start - 0.5
    # At most one drawing per throttle interval while the burst lasts (a loaded machine
    # makes the burst itself slower), and far fewer than the 50 changes.
    allowed = 2 + elapsed / w._throttle.min_interval
    assert w.stats.draws - draws <= min(allowed, 12)
    assert w.model.layers[0].units == 50
    w.flush()
    expected = ShapeWidget(model=w.model.copy())
    assert bytes(w.diagram_image.value) == bytes(expected.diagram_image.value)


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
