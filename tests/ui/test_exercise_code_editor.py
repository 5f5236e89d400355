"""The code exercise's editor in the pane: Tab indents, Esc leaves, F5 runs in the sandbox,
the code is saved as it is typed and restored, Reset brings the starter back."""

from __future__ import annotations

import time
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Button, TextArea

from ui_testkit import ready

from tutor.lessons import load_lessons
from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.exercise.status import RunStatus

FIXTURES = Path(__file__).resolve().parents[1] / "practice" / "fixtures" / "code"
LESSONS = Path(__file__).resolve().parents[2] / "lessons"
WHOLE = next(e for e in load_lessons(FIXTURES).lessons[0].exercises if e.id == "whole")


class Host(App):
    """One pane, recording every message it sends to the screen."""

    def __init__(self, **options: object) -> None:
        super().__init__()
        self.options, self.events = options, []

    def compose(self) -> ComposeResult:
        yield ExercisePane(WHOLE, id="pane", **self.options)

    @on(ExercisePane.Attempted)
    @on(ExercisePane.InputsChanged)
    def record(self, event: object) -> None:
        self.events.append(event)


def of(app: Host, kind: type) -> list:
    return [e for e in app.events if isinstance(e, kind)]


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("timed out")


async def show_write_it(pilot) -> ExercisePane:
    """Open lesson 6 and show its code exercise, whose editor fills the screen at 80x24."""
    await ready(pilot)
    await pilot.app.screen.open_lesson("when-to-stop")
    await wait_for(pilot, lambda: pilot.app.screen.query("#exercise-write-it"))
    pane = pilot.app.screen.query_one("#exercise-write-it", ExercisePane)
    pilot.app.screen.show_pane(pane)
    await pilot.pause()
    return pane


async def test_the_editor_starts_with_the_starter_and_tab_indents_four_spaces() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        assert area.text == WHOLE.code.starter and area.language == "python"
        assert area.show_line_numbers
        area.focus()
        area.move_cursor((0, 0))
        await pilot.press("tab")
        assert area.text.startswith("    from sympy")
        assert area.has_focus  # Tab stayed in the editor
        await pilot.press("escape")
        assert app.focused is app.query_one("#run-button", Button)


async def test_f5_runs_the_code_and_the_verdict_is_reported() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        area.load_text(WHOLE.code.reference.replace("- learning_rate", "+ learning_rate"))
        area.focus()
        await pilot.press("f5")
        await wait_for(pilot, lambda: of(app, ExercisePane.Attempted))
        attempt = of(app, ExercisePane.Attempted)[-1]
        assert attempt.passed is False and "sign is flipped" in attempt.message
        assert "+ learning_rate" in attempt.inputs["code"]
        area.load_text(WHOLE.code.reference)
        await pilot.press("f5")
        await wait_for(pilot, lambda: len(of(app, ExercisePane.Attempted)) == 2)
        assert of(app, ExercisePane.Attempted)[-1].passed is True
        assert "PASS" in str(app.query_one(RunStatus).render())


async def test_typed_code_is_saved_restored_and_reset_to_the_starter() -> None:
    app = Host(saved_inputs={"code": "def gradient_descent():\n    return []\n"})
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        assert area.text == "def gradient_descent():\n    return []\n"
        area.focus()
        area.move_cursor((1, 12))
        await pilot.press("1")
        await wait_for(pilot, lambda: of(app, ExercisePane.InputsChanged), timeout=5)
        assert of(app, ExercisePane.InputsChanged)[-1].inputs["code"].endswith("return [1]\n")
        await pilot.press("ctrl+r")
        assert area.text == WHOLE.code.starter


async def test_a_server_without_the_sandbox_says_code_exercises_are_off(monkeypatch) -> None:
    from tutor.practice import DataPolicy
    from tutor.sandbox import Sandbox, SandboxInfo

    off = SandboxInfo(False, "bubblewrap is not installed")
    monkeypatch.setattr(Sandbox, "detect", classmethod(lambda cls, refresh=False: off))
    app = Host(data_policy=DataPolicy(served=True))
    line = "Code exercises are off on this server: bubblewrap is not installed."
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.query_one(RunStatus)
        await wait_for(pilot, lambda: line in str(status.render()), timeout=10)
        app.query_one(TextArea).load_text(WHOLE.code.reference)
        app.query_one(TextArea).focus()
        await pilot.press("f5")
        await wait_for(pilot, lambda: not app.query_one(ExercisePane).running, timeout=10)
        assert line in str(status.render())


async def test_ctrl_y_shows_the_playgrounds_run_as_python() -> None:
    from tutor.ui.widgets.exercise.python_view import PythonScreen

    class Playground(App):
        def compose(self) -> ComposeResult:
            yield ExercisePane(None, id="pane",
                               overrides={"function": "x^2", "start": "3", "learning_rate": "0.1"})

    app = Playground()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: isinstance(app.screen, PythonScreen), timeout=20)
        script = app.screen.query_one("#python-script", TextArea).text
        assert "cost = x**2" in script and "learning_rate = 0.1" in script
        await pilot.press("escape")
        assert not isinstance(app.screen, PythonScreen)


async def test_enter_keeps_the_indent_and_adds_one_after_a_colon() -> None:
    app = Host(saved_inputs={"code": "def f(x):\n    if x:"})
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor((1, 9))
        await pilot.press("enter", "r")
        assert area.text == "def f(x):\n    if x:\n        r"
        await pilot.press("enter", "s")
        assert area.text.endswith("\n        r\n        s")


async def test_code_typed_in_a_lesson_comes_back_after_a_restart(make_app, data_dir) -> None:
    from tutor.progress import ProgressStore

    app = make_app(lessons_dir=FIXTURES)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        area = app.screen.query_one("#exercise-whole").query_one(TextArea)
        area.focus()
        area.move_cursor((0, 0))
        await pilot.press("#", " ", "m", "i", "n", "e", "enter")
        def saved() -> bool:
            with ProgressStore.open(data_dir) as store:
                inputs = store.exercise("code/whole").last_inputs or {}
            return str(inputs.get("code", "")).startswith("# mine\n")
        await wait_for(pilot, saved, timeout=10)
        await pilot.press("ctrl+q")
    again = make_app(lessons_dir=FIXTURES)
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        text = again.screen.query_one("#exercise-whole").query_one(TextArea).text
        assert text == "# mine\n" + WHOLE.code.starter


async def test_a_long_line_wraps_instead_of_scrolling_sideways_at_80x24() -> None:
    tail = "# the end of a long line"
    long_line = "    new_x = previous_x - learning_rate * slope" + " " * 60 + tail
    app = Host(saved_inputs={"code": f"def f(x):\n{long_line}\n    return x\n"})
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor((1, len(long_line)))
        await pilot.pause()
        assert area.scroll_x == 0 and area.max_scroll_x == 0
        assert area.region.right <= 80
        assert area.wrapped_document.height > area.document.line_count  # the line wrapped
        assert area.cursor_screen_offset.x < area.region.right  # the cursor is on screen


async def test_after_f5_the_verdict_is_scrolled_into_view(make_app) -> None:
    """Lesson 6's editor fills the screen at 80x24: the verdict under it must be brought up."""
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await show_write_it(pilot)
        area = pane.query_one(TextArea)
        assert area.has_focus
        area.load_text(pane.exercise.code.reference)
        status = pane.query_one(RunStatus)
        reader = app.screen.reader
        assert not reader.region.contains_region(status.region)  # below the fold before
        await pilot.press("f5")
        await wait_for(pilot, lambda: "PASS" in str(status.render()))
        await wait_for(pilot, lambda: status.region.height and reader.region.contains_region(
            status.region), timeout=10)  # the whole verdict, brought up (a refresh later)


async def test_the_editors_cursor_comes_back_after_a_restart(make_app, data_dir) -> None:
    from tutor.progress import ProgressStore

    app = make_app(lessons_dir=FIXTURES)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        area = app.screen.query_one("#exercise-whole").query_one(TextArea)
        area.focus()
        area.move_cursor((3, 4))
        await pilot.press("x")  # typed on line 4 after "def ": saved with the code

        def place() -> str:
            with ProgressStore.open(data_dir) as store:
                return store.place() or ""

        await wait_for(pilot, lambda: place() == "code/whole#code-editor@3:5", timeout=10)
        area.move_cursor((4, 2))  # moved without typing: kept when the learner quits
        await pilot.press("ctrl+q")
    assert place() == "code/whole#code-editor@4:2"
    again = make_app(lessons_dir=FIXTURES)
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        area = again.screen.query_one("#exercise-whole").query_one(TextArea)
        await wait_for(pilot, lambda: area.has_focus and area.cursor_location == (4, 2),
                       timeout=10)
        assert area.text.splitlines()[3].startswith("def xgradient_descent(")


async def test_a_damaged_cursor_mark_is_ignored_or_clamped() -> None:
    app = Host(saved_inputs={"code": "def f(x):\n    return x\n"})
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        for junk in ("", "a:b", "-1:2", "1:", "9" * 40 + ":1"):
            area.go_to_mark(junk)
            assert area.cursor_location == (0, 0), junk
        area.go_to_mark("99:99")
        await pilot.pause()
        assert area.cursor_location == (2, 0)  # the last line (empty), clamped
        area.go_to_mark("1:99")
        assert area.cursor_location == (1, 12)


def _outcome(*runs: object, seconds: float = 0.3) -> object:
    from tutor.practice.code import CaseRun, CodeOutcome, CodeSettings

    cases = tuple(CaseRun({}, (), **run) for run in runs)  # type: ignore[arg-type]
    return CodeOutcome(CodeSettings("", WHOLE.code), cases, {}, True, None, seconds)


def test_the_status_line_says_whether_the_code_ran() -> None:
    from tutor.ui.widgets.exercise.code_editor import describe_code_run

    ok = {"value": [1.0]}
    unread = {"kind": "error", "error": "line 3: SyntaxError: expected ':'"}
    assert describe_code_run(_outcome(ok, ok)) == "Ran your code on 2 cases in 0.3 s."
    assert describe_code_run(_outcome(unread, unread)) == \
        "Python could not read your code, so it did not run."
    stopped = _outcome(ok, {"kind": "timeout", "error": "..."}, seconds=2.4)
    assert describe_code_run(stopped) == "Ran your code in 2.4 s: 1 of 2 cases returned numbers."
    assert describe_code_run(_outcome(ok, {"value": [1.0], "printed": "hi\n"})) == \
        "Ran your code on 2 cases in 0.3 s. What it printed is under the verdict."


def test_what_the_code_printed_is_shown_briefly() -> None:
    from tutor.ui.widgets.exercise.code_editor import printed_text

    assert printed_text(_outcome({"value": [1.0]})) == ""
    many = "".join(f"line {i}\n" for i in range(50))
    text = printed_text(_outcome({"value": [1.0]}, {"value": [1.0], "printed": many}))
    assert text.splitlines() == ["Your code printed (case 2 of 2):", *[f"line {i}" for i in
                                 range(6)], "... (the rest is not shown)"]


async def test_a_run_shows_what_the_code_printed_and_reset_hides_it() -> None:
    from tutor.ui.widgets.exercise.code_editor import PrintedView

    code = WHOLE.code.reference.replace("    x_list = [new_x]\n",
                                        "    x_list = [new_x]\n    print('[b]start', new_x)\n")
    app = Host(saved_inputs={"code": code})
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(TextArea).focus()
        await pilot.press("f5")
        await wait_for(pilot, lambda: of(app, ExercisePane.Attempted))
        view = app.query_one(PrintedView)
        assert view.display and str(view.render()) == \
            "Your code printed (case 1 of 2):\n[b]start 3.0"  # markup stays text
        await pilot.press("ctrl+r")
        assert not view.display


async def test_esc_cancels_a_running_code_run_and_the_sandbox_child_is_killed() -> None:
    endless = WHOLE.code.reference.replace("for n in range(max_iterations):", "while True:")
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        area.load_text(endless.replace("break", "pass"))
        area.focus()
        await pilot.press("f5")
        status = app.query_one(RunStatus)
        await wait_for(pilot, lambda: "Running" in str(status.render()))
        pressed = time.monotonic()
        await pilot.press("escape")
        await wait_for(pilot, lambda: "cancelled" in str(status.render()), timeout=10)
        assert time.monotonic() - pressed < 1.5  # killed, not left to its 2 s timeout
        assert str(status.render()).startswith("You cancelled the run: your code was stopped")
        assert area.has_focus  # Esc cancelled; it did not leave the editor
        await pilot.press("escape")  # nothing runs now: Esc leaves the editor
        assert app.focused is app.query_one("#run-button", Button)


async def test_ctrl_g_brings_the_hint_into_view_with_the_editors_cursor_line(make_app) -> None:
    """Lesson 6's editor fills the screen at 80x24: the hint under it must be brought up,
    and the line the learner is typing on stays in sight (both fit)."""
    from tutor.ui.widgets.exercise.hint_box import HintBox

    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await show_write_it(pilot)
        area = pane.query_one(TextArea)
        assert area.has_focus
        area.move_cursor((15, 8))
        await pilot.pause()
        box, reader = pane.query_one(HintBox), app.screen.reader
        assert not reader.region.contains_region(box.region)  # below the fold (or hidden)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: box.region.height and reader.region.contains_region(
            box.region), timeout=10)
        assert "Hint 1" in str(box.render())
        assert reader.region.contains_point(area.cursor_screen_offset)
        assert area.has_focus


async def test_typing_after_pgup_brings_the_editors_cursor_back_into_sight(make_app) -> None:
    app = make_app(lessons_dir=LESSONS)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await show_write_it(pilot)
        area, reader = pane.query_one(TextArea), app.screen.reader
        area.move_cursor((12, 8))
        await pilot.pause()
        assert reader.region.contains_point(area.cursor_screen_offset)
        await pilot.press("pageup")
        await pilot.pause()
        assert area.has_focus and not reader.region.contains_point(area.cursor_screen_offset)
        await pilot.press("z")
        await wait_for(pilot, lambda: reader.region.contains_point(area.cursor_screen_offset),
                       timeout=10)
        assert area.document.get_line(12)[8] == "z"
