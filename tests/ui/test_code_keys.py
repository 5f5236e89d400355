"""Every key a code exercise names (footer, buttons, its hint line, the pass message, F1 help)
does what it says, pressed from inside the editor in the real app at 80x24.

The keys named are read from the screen's own texts, and each must have an effect tested
here: a key named somewhere without a test here fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.widgets import Button, TextArea

from tutor.ui.screens.help import HelpScreen
from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.exercise.hint_box import HintBox
from ui_testkit import ready, wait_until

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
KEY_WORDS = {"F1": "f1", "F3": "f3", "F5": "f5", "Esc": "escape", "Enter": "enter",
             "⏎": "enter", "Tab": "tab"}
NAMED_IN_TEXT = re.compile(r"(?<![\w^])(F\d+|Esc|Enter|⏎|Tab|\^[a-z])(?![\w])")


def keys_in(text: str) -> set[str]:
    """The keys a sentence or label names, as Textual key names (^g -> ctrl+g)."""
    found = set()
    for word in NAMED_IN_TEXT.findall(text):
        found.add(f"ctrl+{word[1]}" if word.startswith("^") else KEY_WORDS[word])
    return found


def footer_keys(app: Any) -> set[str]:
    """The keys the footer shows right now (the palette's key included)."""
    shown = {key for key, active in app.screen.active_bindings.items()
             if active.binding.show and active.enabled}
    return shown | {app.COMMAND_PALETTE_BINDING}


async def _into_editor(pilot: Any, pane: ExercisePane) -> TextArea:
    pilot.app.screen.show_pane(pane)
    await pilot.pause()
    area = pane.query_one(TextArea)
    await wait_until(pilot, lambda: area.has_focus, "focus in the editor")
    return area


async def _attempted(pilot: Any, pane: ExercisePane, key: str) -> None:
    pane.status.check_text = ""
    await pilot.press(key)
    await wait_until(pilot, lambda: pane.status.check_text, f"a verdict after {key}")


async def test_every_key_a_code_exercise_names_does_what_it_says(make_app: Any) -> None:
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        await screen.open_lesson("linear-regression")
        await wait_until(pilot, lambda: screen.query("#exercise-mse-in-python"), "lesson 9")
        await ready(pilot)
        pane = screen.query_one("#exercise-mse-in-python", ExercisePane)
        area = await _into_editor(pilot, pane)
        starter = pane.exercise.code.starter
        named = footer_keys(app) | keys_in(pane.status.outcome_text)
        labels = [str(b.label) for b in pane.query(Button) if b.display]
        named |= set().union(*(keys_in(label) for label in labels))
        tested: set[str] = set()

        area.move_cursor((1, 0))  # Tab: four spaces, and the cursor stays in the editor
        await pilot.press("tab")
        assert area.document.get_line(1).startswith("        total") and area.has_focus
        tested.add("tab")
        await pilot.press("shift+tab")  # Shift+Tab: the four spaces off again, still in it
        assert area.document.get_line(1).startswith("    total") and area.has_focus
        assert app.focused is area
        tested.add("shift+tab")
        await pilot.press("ctrl+r")  # Reset: the starter is back
        assert area.text == starter
        tested.add("ctrl+r")
        await _attempted(pilot, pane, "f5")  # F5 in the editor runs the code
        tested.add("f5")
        await pilot.press("ctrl+g")  # Hint
        assert pane.query_one(HintBox).shown == 1
        tested.add("ctrl+g")

        await pilot.press("f1")  # help: read the code editor's rows, then close it
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        rows = [row for row in app.screen.keys if "code editor" in row.description]
        assert [(r.key, r.description) for r in rows] == [
            ("f5", "Run code (in the code editor)"), ("esc", "Leave editor (in the code editor)"),
            ("shift+tab", "Remove 4 spaces of indent (Esc leaves) (in the code editor)"),
            ("tab", "Indent 4 spaces (in the code editor)"),
            ("⏎", "A new line, keeping the indent (in the code editor: F5 runs)")]
        named |= {KEY_WORDS.get(r.key.capitalize(), r.key) for r in rows}
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the help closing")
        assert area.has_focus
        tested.add("f1")

        await pilot.press(app.COMMAND_PALETTE_BINDING)  # the palette, from the editor
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the palette closing")
        tested.add(app.COMMAND_PALETTE_BINDING)

        await pilot.press("escape")  # Esc: out of the editor, onto THIS pane's Run button
        assert app.focused is pane.query_one("#run-button", Button)
        tested.add("escape")
        await _attempted(pilot, pane, "f5")  # F5 on the Run button runs too
        await _attempted(pilot, pane, "enter")  # and Enter presses it
        tested.add("enter")

        await _into_editor(pilot, pane)
        await pilot.press("ctrl+o")  # Skip, from the editor: recorded for the exercise
        await wait_until(pilot, lambda: screen.store.exercise(pane.key).state == "skipped",
                         "the skip recorded")
        assert area.has_focus
        tested.add("ctrl+o")
        area.load_text(pane.exercise.code.reference)
        await _attempted(pilot, pane, "f5")
        assert pane.status.check_text.startswith("PASS") or "PASS" in str(pane.status.render())
        named |= keys_in(pane.status.check_text)  # "F3: next exercise."
        await pilot.press("enter")  # Enter after a pass, in the editor: a new line, no jump
        assert area.has_focus and area.text.count("\n") == pane.exercise.code.reference.count(
            "\n") + 1

        await pilot.press("ctrl+l")  # Lessons: the list opens and takes the cursor
        await wait_until(pilot, lambda: screen.has_class("list-open"), "the lesson list")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: not screen.has_class("list-open"), "the list closing")
        tested.add("ctrl+l")

        area = await _into_editor(pilot, pane)
        await pilot.press("f3")  # F3: the next exercise's editor
        after = screen.query_one("#exercise-step-in-python", ExercisePane)
        await wait_until(pilot, lambda: after.query_one(TextArea).has_focus, "the next editor")
        tested.add("f3")
        await pilot.press("ctrl+n")  # Next lesson, from inside an editor
        await wait_until(pilot, lambda: screen.current and screen.current.order == 10,
                         "lesson 10")
        tested.add("ctrl+n")

        assert named - tested == set(), f"named but not tested: {named - tested}"
