"""Drive a displayed ShapeWidget through the page itself and check what the page shows.

Shared by the JupyterLab and the Voila tests. The widget is the one of the first
tutorial: input (3,), Dense 4 → Dense 4 → Dense 1, 41 parameters.
"""

from __future__ import annotations

import pprint
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser_harness import ARTIFACTS, STATE_JS, TRACEBACKS_JS

State = dict[str, Any]


class WidgetPage:
    """The widget under ``root`` (a selector scoped to cell outputs) in a page."""

    def __init__(self, page: Any, root: str, prefix: str, artifacts: Path = ARTIFACTS) -> None:
        self.page = page
        self.root = root
        self.prefix = prefix
        self.artifacts = artifacts
        self.shots: list[Path] = []

    # --- reading ----------------------------------------------------------------
    def state(self) -> State | None:
        result: State | None = self.page.evaluate(STATE_JS, self.root)
        return result

    def wait(self, what: str, check: Callable[[State], bool], timeout: float = 30.0) -> State:
        """Poll the page until ``check(state)``; fail with the last state seen."""
        deadline = time.monotonic() + timeout
        state = None
        while True:
            state = self.state()
            if state is not None:
                if state["kind"] == "sw-status-internal":
                    self.shot(f"failed-{what}")
                    raise AssertionError(f"{what}: the widget shows an internal error: "
                                         f"{state['status']}")
                if check(state):
                    return state
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.shot(f"failed-{what}")
        raise AssertionError(f"{what}: not seen within {timeout:.0f} s; last state:\n"
                             + pprint.pformat(state, width=100))

    def shot(self, name: str) -> Path:
        """An element screenshot of the whole widget."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
        path = self.artifacts / f"{self.prefix}-{safe}.png"
        self.page.locator(self.root).screenshot(path=str(path), animations="disabled")
        self.shots.append(path)
        return path

    def tracebacks(self) -> list[str]:
        found: list[str] = self.page.evaluate(TRACEBACKS_JS)
        return found

    # --- acting -----------------------------------------------------------------
    def _in(self, selector: str) -> Any:
        return self.page.locator(f"{self.root} {selector}")

    def type_units(self, row: int, value: str) -> None:
        field = self._in(f".sw-layer-{row} .sw-units input")
        field.fill(value)
        field.press("Enter")

    def type_input_shape(self, text: str) -> None:
        field = self._in(".sw-input-shape input")
        field.fill(text)
        field.press("Enter")

    def add_layer(self, label: str) -> None:
        self._in(".sw-layer-type select").select_option(label=label)
        self._in(".sw-add-layer").click()

    def click(self, selector: str) -> None:
        self._in(selector).click()


def _has(*parts: str) -> Callable[[str], bool]:
    return lambda text: all(p in text for p in parts)


def exercise_widget(w: WidgetPage) -> list[str]:
    """Add a layer, change units and the input shape, type invalid values, undo, redo,
    remove: after each step the status, table, code and drawing must follow.

    Returns a log of the steps (for the test report).
    """
    log: list[str] = []

    def step(name: str, check: Callable[[State], bool], timeout: float = 30.0) -> State:
        start = time.perf_counter()
        state = w.wait(name, check, timeout)
        log.append(f"{name}: {1000 * (time.perf_counter() - start):.0f} ms")
        w.shot(f"{len(log):02d}-{name}")
        return state

    # 0. as the notebook left it
    s0 = step("initial", lambda s: s["rows"] == 3 and bool(s["img"]) and s["imgWidth"] > 0
              and "41" in s["status"] and "(None, 1)" in s["table"], timeout=60)
    log.append(f"drawing: {s0['imgWidth']} px shown {s0['imgShownWidth']:.0f} px wide")
    assert s0["kind"] == "sw-status-ok", s0["status"]
    assert _has("3 layers", "(None, 1)", "41 parameters")(s0["status"]), s0["status"]
    assert _has("(None, 3)", "(None, 4)", "(None, 1)", "41")(s0["table"]), s0["table"]
    assert _has("keras.Input(shape=(3,))", "layers.Dense(4)", "layers.Dense(1)")(s0["code"])
    assert s0["units"] == ["4", "4", "1"], s0["units"]
    assert not (s0["staleViews"] or s0["staleDiagram"] or s0["staleTable"]), s0
    assert s0["inputShape"].replace(" ", "") in ("3,", "(3,)"), s0["inputShape"]

    # 1. units of the first layer: 4 → 9 (3·9+9 + 9·4+4 + 5 = 81 parameters)
    w.type_units(0, "9")
    s1 = step("units-9", lambda s: "81 parameters" in s["status"]
              and "(None, 9)" in s["table"] and "layers.Dense(9)" in s["code"]
              and s["img"] != s0["img"])
    assert "(None, 9)" in s1["outputs"][0], s1["outputs"]
    assert "layers.Dense(4)" in s1["code"], s1["code"]  # the second layer is unchanged
    assert s1["undoDisabled"] is False

    # 2. add a Dense layer at the end, after the 1-unit layer: its units are the
    #    widget's suggestion u, read from the page; it adds 1·u + u parameters
    w.add_layer("core: Dense")
    s2 = step("add-layer", lambda s: s["rows"] == 4 and "4 layers" in s["status"]
              and s["code"].count("layers.Dense(") == 4 and "dense_3" in s["table"]
              and s["img"] != s1["img"])
    assert "sw-selected" in s2["rowClasses"][3], s2["rowClasses"]  # the new layer is selected
    assert s2["kind"] == "sw-status-ok", s2["status"]
    new_units = s2["units"][3]
    assert new_units is not None and new_units.isdigit(), s2["units"]
    params2 = 81 + 2 * int(new_units)
    assert f"{params2} parameters" in s2["status"], (new_units, s2["status"])

    # 3. input shape 3 → 5 (the first layer's kernel grows by 2·9 = 18)
    w.type_input_shape("5")
    params3 = params2 + 18
    s3 = step("input-shape-5", lambda s: f"{params3} parameters" in s["status"]
              and "(None, 5)" in s["table"] and "keras.Input(shape=(5,))" in s["code"]
              and s["img"] != s2["img"])
    assert "(None, 3)" not in s3["table"], s3["table"]

    # 4. an invalid value: units 0 in the second layer → message, stale views, nothing
    #    recomputed (table, code and drawing keep showing the last valid model)
    w.type_units(1, "0")
    s4 = step("invalid-units-0", lambda s: s["kind"] == "sw-status-invalid"
              and s["staleViews"] and s["staleTable"] and s["staleDiagram"])
    assert _has("units", "0")(s4["status"]), s4["status"]
    assert "sw-layer-invalid" in s4["rowClasses"][1], s4["rowClasses"]
    assert s4["unitsInvalid"][1], s4["unitsInvalid"]
    assert s4["units"][1] == "0", s4["units"]  # the typed value stays in view
    assert s4["staleNote"], "no stale note above the views"
    assert s4["table"] == s3["table"] and s4["code"] == s3["code"], "views changed"
    assert s4["img"] == s3["img"], "the drawing changed for an invalid value"

    # 5. an invalid input shape as well: "(3)" is the int 3, explained next to the field
    w.type_input_shape("(3)")
    s5 = step("invalid-input-shape", lambda s: "(3,)" in s["inputMessage"]
              and s["inputInvalid"] and "input_shape" in s["status"])
    assert s5["staleViews"] and s5["table"] == s3["table"], s5

    # 6. undo: back to input (3,) with 4 layers; the invalid values are dropped
    w.click(".sw-undo")
    s6 = step("undo", lambda s: s["kind"] == "sw-status-ok" and not s["staleViews"]
              and f"{params2} parameters" in s["status"] and s["img"] != s5["img"])
    assert _has("(None, 3)", "(None, 9)")(s6["table"]) and "(None, 5)" not in s6["table"]
    assert "keras.Input(shape=(3,))" in s6["code"], s6["code"]
    assert s6["units"] == ["9", "4", "1", new_units], s6["units"]
    assert s6["inputShape"].replace(" ", "") in ("3,", "(3,)"), s6["inputShape"]
    assert not s6["inputMessage"] and not s6["inputInvalid"], s6
    assert not (s6["staleTable"] or s6["staleDiagram"]), s6
    assert s6["rows"] == 4 and not any(s6["unitsInvalid"]), s6

    # 7. undo again: the added layer goes; redo brings it back
    w.click(".sw-undo")
    s7 = step("undo-2", lambda s: s["rows"] == 3 and "81 parameters" in s["status"]
              and "dense_3" not in s["table"] and s["img"] != s6["img"])
    assert s7["code"].count("layers.Dense(") == 3, s7["code"]
    w.click(".sw-redo")
    s8 = step("redo", lambda s: s["rows"] == 4 and f"{params2} parameters" in s["status"]
              and "dense_3" in s["table"] and s["img"] != s7["img"])
    assert s8["code"] == s6["code"], (s8["code"], s6["code"])

    # 8. remove the added layer with its row button
    w.click(".sw-layer-3 .sw-remove-layer")
    s9 = step("remove-layer", lambda s: s["rows"] == 3 and "81 parameters" in s["status"]
              and "dense_3" not in s["table"] and s["img"] != s8["img"])
    assert s9["code"].count("layers.Dense(") == 3, s9["code"]
    assert s9["kind"] == "sw-status-ok", s9["status"]
    return log
