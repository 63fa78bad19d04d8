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


Conditions = dict[str, Callable[[State], bool]]


def _all(conditions: Conditions) -> Callable[[State], bool]:
    """One check made of named conditions: the wait ends only when every one holds (each
    view is its own widget message, so a check of one view says nothing of the others)."""
    return lambda s: all(check(s) for check in conditions.values())


def _failing(conditions: Conditions, state: State) -> list[str]:
    return [name for name, check in conditions.items() if not check(state)]


def exercise_widget(w: WidgetPage) -> list[str]:
    """Add a layer, change units and the input shape, type invalid values, undo, redo,
    remove: after each step the status, table, code and drawing must follow.

    Every step waits (with a generous timeout) until all that it expects is on the page,
    never for a fixed time. Returns a log of the steps (for the test report).
    """
    log: list[str] = []

    def step(name: str, conditions: Conditions, timeout: float = 60.0) -> State:
        start = time.perf_counter()
        try:
            state = w.wait(name, _all(conditions), timeout)
        except AssertionError as exc:
            last = w.state()
            missing = _failing(conditions, last) if last is not None else ["no widget"]
            raise AssertionError(f"{exc}\nconditions not met: {missing}") from None
        log.append(f"{name}: {1000 * (time.perf_counter() - start):.0f} ms")
        w.shot(f"{len(log):02d}-{name}")
        return state

    # 0. as the notebook left it
    s0 = step("initial", {
        "3 rows": lambda s: s["rows"] == 3,
        "drawing": lambda s: bool(s["img"]) and s["imgWidth"] > 0,
        "status ok": lambda s: s["kind"] == "sw-status-ok",
        "status": lambda s: _has("3 layers", "(None, 1)", "41 parameters")(s["status"]),
        "table": lambda s: _has("(None, 3)", "(None, 4)", "(None, 1)", "41")(s["table"]),
        "code": lambda s: _has("keras.Input(shape=(3,))", "layers.Dense(4)",
                               "layers.Dense(1)")(s["code"]),
        "units": lambda s: s["units"] == ["4", "4", "1"],
        "not stale": lambda s: not (s["staleViews"] or s["staleDiagram"] or s["staleTable"]),
        "input shape": lambda s: (s["inputShape"] or "").replace(" ", "") in ("3,", "(3,)"),
    }, timeout=120)
    log.append(f"drawing: {s0['imgWidth']} px shown {s0['imgShownWidth']:.0f} px wide")

    # 1. units of the first layer: 4 → 9 (3·9+9 + 9·4+4 + 5 = 81 parameters)
    w.type_units(0, "9")
    s1 = step("units-9", {
        "status": lambda s: "81 parameters" in s["status"],
        "table": lambda s: "(None, 9)" in s["table"],
        "code": lambda s: "layers.Dense(9)" in s["code"] and "layers.Dense(4)" in s["code"],
        "drawing": lambda s: s["img"] != s0["img"],
        "row output": lambda s: "(None, 9)" in s["outputs"][0],
        "undo enabled": lambda s: s["undoDisabled"] is False,
    })

    # 2. add a Dense layer at the end, after the 1-unit layer: its units are the
    #    widget's suggestion u, read from the page; it adds 1·u + u parameters
    w.add_layer("core: Dense")
    s2 = step("add-layer", {
        "4 rows": lambda s: s["rows"] == 4 and len(s["units"]) == 4,
        "status": lambda s: "4 layers" in s["status"] and s["kind"] == "sw-status-ok",
        "code": lambda s: s["code"].count("layers.Dense(") == 4,
        "table": lambda s: "dense_3" in s["table"],
        "drawing": lambda s: s["img"] != s1["img"],
        "new layer selected": lambda s: "sw-selected" in s["rowClasses"][3],
        "its units": lambda s: (s["units"][3] or "").isdigit()
        and f"{81 + 2 * int(s['units'][3])} parameters" in s["status"],
    })
    new_units = s2["units"][3]
    params2 = 81 + 2 * int(new_units)

    # 3. input shape 3 → 5 (the first layer's kernel grows by 2·9 = 18)
    w.type_input_shape("5")
    params3 = params2 + 18
    s3 = step("input-shape-5", {
        "status": lambda s: f"{params3} parameters" in s["status"],
        "table": lambda s: "(None, 5)" in s["table"] and "(None, 3)" not in s["table"],
        "code": lambda s: "keras.Input(shape=(5,))" in s["code"],
        "drawing": lambda s: s["img"] != s2["img"],
    })

    # 4. an invalid value: units 0 in the second layer → message, stale views with their
    #    note, nothing recomputed (table, code and drawing keep the last valid model)
    w.type_units(1, "0")
    step("invalid-units-0", {
        "status invalid": lambda s: s["kind"] == "sw-status-invalid"
        and _has("units", "0")(s["status"]),
        "stale views": lambda s: s["staleViews"] and s["staleTable"] and s["staleDiagram"],
        "stale note": lambda s: bool(s["staleNote"]),
        "row invalid": lambda s: "sw-layer-invalid" in s["rowClasses"][1],
        "field invalid": lambda s: s["unitsInvalid"][1],
        "typed value kept": lambda s: s["units"][1] == "0",
        "views unchanged": lambda s: s["table"] == s3["table"] and s["code"] == s3["code"],
        "drawing unchanged": lambda s: s["img"] == s3["img"],
    })

    # 5. an invalid input shape as well: "(3)" is the int 3, explained next to the field
    w.type_input_shape("(3)")
    s5 = step("invalid-input-shape", {
        "message": lambda s: "(3,)" in s["inputMessage"],
        "field invalid": lambda s: s["inputInvalid"],
        "status": lambda s: "input_shape" in s["status"],
        "stale, unchanged": lambda s: s["staleViews"] and s["table"] == s3["table"],
    })

    # 6. undo: back to input (3,) with 4 layers; the invalid values are dropped
    w.click(".sw-undo")
    s6 = step("undo", {
        "status ok": lambda s: s["kind"] == "sw-status-ok"
        and f"{params2} parameters" in s["status"],
        "not stale": lambda s: not (s["staleViews"] or s["staleTable"] or s["staleDiagram"]),
        "drawing": lambda s: s["img"] != s5["img"],
        "table": lambda s: _has("(None, 3)", "(None, 9)")(s["table"])
        and "(None, 5)" not in s["table"],
        "code": lambda s: "keras.Input(shape=(3,))" in s["code"],
        "units": lambda s: s["units"] == ["9", "4", "1", new_units],
        "input shape": lambda s: (s["inputShape"] or "").replace(" ", "") in ("3,", "(3,)"),
        "input valid": lambda s: not s["inputMessage"] and not s["inputInvalid"],
        "rows valid": lambda s: s["rows"] == 4 and not any(s["unitsInvalid"]),
    })

    # 7. undo again: the added layer goes; redo brings it back
    w.click(".sw-undo")
    s7 = step("undo-2", {
        "3 rows": lambda s: s["rows"] == 3,
        "status": lambda s: "81 parameters" in s["status"],
        "table": lambda s: "dense_3" not in s["table"],
        "code": lambda s: s["code"].count("layers.Dense(") == 3,
        "drawing": lambda s: s["img"] != s6["img"],
    })
    w.click(".sw-redo")
    step("redo", {
        "4 rows": lambda s: s["rows"] == 4,
        "status": lambda s: f"{params2} parameters" in s["status"],
        "table": lambda s: "dense_3" in s["table"],
        "code": lambda s: s["code"] == s6["code"],
        "drawing": lambda s: s["img"] != s7["img"],
    })

    # 8. remove the added layer with its row button
    s8 = w.state()
    assert s8 is not None
    w.click(".sw-layer-3 .sw-remove-layer")
    step("remove-layer", {
        "3 rows": lambda s: s["rows"] == 3,
        "status ok": lambda s: "81 parameters" in s["status"] and s["kind"] == "sw-status-ok",
        "table": lambda s: "dense_3" not in s["table"],
        "code": lambda s: s["code"].count("layers.Dense(") == 3,
        "drawing": lambda s: s["img"] != s8["img"],
    })
    return log


# --- hostile names (issue 11, item 1) ---------------------------------------------------
# Each payload sets window.__sw_pwned if the page ever parses it as markup. "x" is a
# relative URL that does not exist, so the <img> fails to load and its onerror runs.
PASTED_INPUT = "<img src=x onerror=window.__sw_pwned='input'>"
PASTED_LAYER = "<img src=x onerror=window.__sw_pwned='pasted'>z"
TYPED_LAYER = "<svg onload=window.__sw_pwned='typed'><img src=x onerror=window.__sw_pwned=1>"
HOSTILE_CODE = f"""import keras
from keras import layers
inp = keras.Input(shape=(3,), name={PASTED_INPUT!r})
x = layers.Dense(2, name={PASTED_LAYER!r})(inp)
model = keras.Model(inp, x)
"""

HOSTILE_JS = """(root) => {
  const w = document.querySelector(root);
  const text = (e) => (e ? e.textContent : '');
  return {
    pwned: window.__sw_pwned === undefined ? null : String(window.__sw_pwned),
    titles: [...w.querySelectorAll('.sw-layer-title')].map(text),
    table: text(w.querySelector('.sw-table table')),
    status: text(w.querySelector('.sw-status')),
    kind: [...(w.querySelector('.sw-status') || {classList: []}).classList]
      .find((c) => c.startsWith('sw-status-')) || '',
    injected: w.querySelectorAll('img[src="x"], svg[onload], [onerror], script').length,
  };
}"""

# The same payload written into the page as markup does run: the flag works.
CONTROL_JS = """(payload) => new Promise((resolve) => {
  const box = document.createElement('div');
  box.innerHTML = payload;
  document.body.appendChild(box);
  const until = Date.now() + 20000;
  const poll = () => {
    if (window.__sw_pwned !== undefined || Date.now() > until) {
      box.remove(); resolve(window.__sw_pwned === undefined ? null : String(window.__sw_pwned));
    } else { setTimeout(poll, 50); }
  };
  poll();
})"""


def exercise_hostile_names(w: WidgetPage) -> list[str]:
    """Paste code whose input and layer names are markup, then type a markup name into the
    layer's name field: nothing runs (``window.__sw_pwned`` stays unset), nothing is
    injected into the widget, and each name shows as literal text in the layer's title
    and the table. Finally a control: the same payload set as ``innerHTML`` does run.

    Leaves the widget showing the hostile model (run it last on a page).
    """
    log: list[str] = []

    def hostile() -> State:
        found: State = w.page.evaluate(HOSTILE_JS, w.root)
        return found

    def wait(name: str, check: Callable[[State], bool], timeout: float = 60.0) -> State:
        deadline = time.monotonic() + timeout
        while True:
            state = hostile()
            assert state["pwned"] is None, f"{name}: a payload ran: {state}"
            assert state["injected"] == 0, f"{name}: markup injected into the widget: {state}"
            if check(state):
                log.append(f"{name}: ok")
                w.shot(f"hostile-{name}")
                return state
            if time.monotonic() > deadline:
                w.shot(f"failed-hostile-{name}")
                raise AssertionError(f"{name}: not seen within {timeout:.0f} s: {state}")
            time.sleep(0.05)

    # paste: open the paste section, fill the box, apply
    paste_box = w.page.locator(f"{w.root} .sw-paste-code textarea")
    if not paste_box.is_visible():
        w.page.locator(f"{w.root} .sw-paste .lm-AccordionPanel-title, "
                       f"{w.root} .sw-paste .jupyter-widget-Collapse-header").first.click()
    paste_box.wait_for(state="visible", timeout=30_000)
    paste_box.fill(HOSTILE_CODE)
    w.click(".sw-paste-apply")
    wait("pasted", lambda s: len(s["titles"]) == 1 and s["titles"][0].startswith(PASTED_LAYER)
         and PASTED_LAYER in s["table"] and PASTED_INPUT in s["table"]
         and s["kind"] == "sw-status-ok")

    # typed: open the row's other arguments, type the name, press Enter
    w.click(".sw-layer-0 .sw-advanced")
    field = w.page.locator(f"{w.root} .sw-layer-0 .sw-arg-name input")
    field.wait_for(state="visible", timeout=30_000)
    field.fill(TYPED_LAYER)
    field.press("Enter")
    wait("typed", lambda s: len(s["titles"]) == 1 and s["titles"][0].startswith(TYPED_LAYER)
         and TYPED_LAYER in s["table"] and s["kind"] == "sw-status-ok")
    # The page had every chance to run a payload (the <img> error and the <svg> load
    # happen at once): still nothing ran.
    final = hostile()
    assert final["pwned"] is None and final["injected"] == 0, final

    control = w.page.evaluate(CONTROL_JS, PASTED_INPUT)
    assert control == "input", f"the control payload did not run ({control}): the check is void"
    log.append("control payload as innerHTML ran: the flag works")
    return log
