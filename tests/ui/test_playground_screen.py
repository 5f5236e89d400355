"""The playground screen: arguments, focus order, footer keys, and what fits on 80x24."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Button, Input
from ui_testkit import PlaygroundHost, settle, wait_until

from tutor.ui.widgets.exercise.cost_plot import CostPlot
from tutor.ui.widgets.exercise.function_plot import FunctionPlot
from tutor.ui.widgets.exercise.status import RunStatus


async def test_arguments_fill_the_fields_and_every_field_is_editable() -> None:
    app = PlaygroundHost("x^3 - 2x", "-1.5", "0.05")
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        values = screen.pane.inputs()
        assert (values["function"], values["start"], values["learning_rate"]) == ("x^3 - 2x", "-1.5", "0.05")
        assert values["iterations"] == "100" and values["method"] == "gd"
        assert not any(i.disabled for i in screen.query(Input))
        assert not screen.query("#hint-button") and not screen.query("#skip-button")


async def test_focus_order_function_start_rate_then_the_rest() -> None:
    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)) as pilot:
        order = [app.focused.id]
        for _ in range(6):
            await pilot.press("tab")
            order.append(app.focused.id)
        assert order == ["field-function", "field-start", "field-learning_rate", "field-iterations",
                         "field-precision", "field-method", "field-compare"]
        await pilot.press("tab")
        assert app.focused.id == "run-button"  # then every action as a button


async def test_the_buttons_name_the_exercise_keys_and_the_footer_help() -> None:
    # The pane's keys are on its buttons (and in F1), not repeated in the footer, which
    # keeps its room at 80 columns for moving on and help (issue 12).
    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)):
        labels = {str(b.label).strip() for b in app.screen.query(Button)}
        assert {"Step ^t", "Compare ^f", "Reset ^r", "Cancel Esc"} <= labels
        active = app.screen.active_bindings.values()
        enabled = {a.binding.key for a in active if a.enabled}
        assert {"ctrl+t", "ctrl+f", "ctrl+r"} <= enabled
        assert not any(a.binding.action == "cancel" and a.enabled
                       for a in active)  # Esc cancels only while running


async def test_status_and_plots_fit_on_80x24_without_scrolling() -> None:
    app = PlaygroundHost("(x-1)^2 + 0.5", "4", "0.2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        status = app.screen.query_one(RunStatus)
        assert "converged in" in str(status.render())
        for widget in (status, app.screen.query_one(CostPlot), app.screen.query_one(FunctionPlot)):
            region = widget.region
            assert region.height >= 1 and region.y >= 1 and region.bottom <= 23, widget
        assert app.screen.query_one(CostPlot).region.height >= 8


async def test_a_burst_of_keys_lands_in_the_right_fields() -> None:
    """Keys that arrive together (SSH, tmux, a busy app) still follow each Tab in order."""
    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst = [("x", "x"), ("circumflex_accent", "^"), ("2", "2"), ("tab", "\t"), ("3", "3"),
                 ("tab", "\t"), ("0", "0"), ("full_stop", "."), ("1", "1")]
        for key, char in burst:  # posted at once, as the terminal driver does
            app.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: app.focused.id == "field-learning_rate"
                         and app.focused.value == "0.1", "the last key reaching the rate field", 5)
        values = app.screen.pane.inputs()
        assert (values["function"], values["start"], values["learning_rate"]) == ("x^2", "3", "0.1")


async def _post_and_wait(pilot: Any, burst: list[tuple[str, str | None]], field: str,
                         want: str) -> None:
    """Post a burst of keys at once, wait until `field` shows `want`, then for quiet."""
    app = pilot.app
    for key, char in burst:  # posted at once, as the terminal driver does
        app.post_message(events.Key(key, char))
    await wait_until(pilot, lambda: app.screen.query_one(f"#{field}", Input).value == want,
                     f"{field} showing {want!r}", 5)


async def test_edit_keys_in_a_burst_are_not_overtaken_by_the_next_character() -> None:
    """Backspace and ^u are field bindings, which Textual runs only after the key bubbles up
    to the app; a character typed right after must not land before the edit."""
    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        typo = [("x", "x"), ("circumflex_accent", "^"), ("circumflex_accent", "^"),
                ("backspace", "\x7f"), ("2", "2")]
        await _post_and_wait(pilot, typo, "field-function", "x^2")
        assert app.screen.query_one("#field-function", Input).value == "x^2"
        await _post_and_wait(pilot, [("tab", "\t"), ("9", "9"), ("ctrl+u", None), ("3", "3")],
                             "field-start", "3")
        assert app.screen.query_one("#field-start", Input).value == "3"


async def test_page_down_in_a_field_scrolls_the_results() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        scroller = app.screen.query_one("VerticalScroll")
        assert app.focused.id == "field-function" and scroller.max_scroll_y > 0
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: scroller.scroll_y > 0, "the results scrolling")
        assert app.focused.id == "field-function" and app.focused.value == "x^2"


async def test_tab_skips_the_action_buttons_except_run() -> None:
    """Each action has its key (shown on the button), so Tab stops only at the fields and
    Run: from the last field one Tab reaches Run, and no other button after it."""
    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#field-compare").focus()
        await pilot.press("tab")
        assert app.focused.id == "run-button"
        seen = []
        while app.focused is None or app.focused.id != "field-function":
            await pilot.press("tab")
            seen.append(app.focused)
            assert len(seen) < 4
        assert not [w for w in seen if w.id and w.id.endswith("-button")]
        assert not any(b.can_focus for b in app.screen.query("Button") if b.id != "run-button")
