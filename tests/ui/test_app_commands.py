"""`gd-tutor lesson N|SLUG` and the shell's pure helpers (no app is started here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tutor.cli import main
from tutor.ui.widgets.lesson_list import LessonEntry, entry_prompt, lesson_status, problem_prompt
from tutor.ui.widgets.lesson_reader import (
    inline_content, objectives_text, problem_text, split_opening, without_title,
)
from tutor.ui.widgets.tutor_header import progress_text


@pytest.mark.parametrize("wanted", ["99", "no-such-lesson", "0"])
def test_unknown_lesson_is_one_sentence_and_exit_2(wanted: str, lessons_dir: Path,
                                                   capsys: Any, monkeypatch: Any) -> None:
    import tutor.ui.app

    def never_run(self: Any) -> None:  # the app must not start for a bad lesson
        raise AssertionError("the app started")

    monkeypatch.setattr(tutor.ui.app.TutorApp, "run", never_run)
    assert main(["--lessons-dir", str(lessons_dir), "lesson", wanted]) == 2
    err = capsys.readouterr().err
    assert err == (f"gd-tutor: There is no lesson '{wanted}'; the lesson numbers are 1, 2, 3 "
                   "(see 'gd-tutor lessons').\n")


@pytest.mark.parametrize(("wanted", "slug"), [("2", "counting"), ("wrap-up", "wrap-up")])
def test_lesson_by_number_or_slug_starts_the_app_there(wanted: str, slug: str, lessons_dir: Path,
                                                      data_dir: Path, monkeypatch: Any) -> None:
    import tutor.ui.app

    seen: list[str | None] = []
    monkeypatch.setattr(tutor.ui.app.TutorApp, "run", lambda self: seen.append(self._lesson))
    assert main(["lesson", wanted]) == 0
    assert seen == [slug]


def test_playground_passes_its_options(lessons_dir: Path, data_dir: Path, monkeypatch: Any) -> None:
    import tutor.ui.app

    seen: list[Any] = []
    monkeypatch.setattr(tutor.ui.app.TutorApp, "run", lambda self: seen.append(self._playground))
    assert main(["playground", "x^2", "--start", "-3", "--lr", "0.1"]) == 0
    assert seen == [tutor.ui.app.PlaygroundRequest("x^2", "-3", "0.1")]


@pytest.mark.parametrize("argv", [[], ["lesson", "1"], ["playground"]])
def test_missing_lesson_folder_is_one_sentence(argv: list[str], tmp_path: Path, capsys: Any,
                                               data_dir: Path, monkeypatch: Any) -> None:
    import tutor.ui.app

    monkeypatch.setattr(tutor.ui.app.TutorApp, "run", lambda self: None)
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("GD_TUTOR_LESSONS_DIR", str(missing))  # restored after: main() sets it
    assert main(["--lessons-dir", str(missing), *argv]) == 2
    assert capsys.readouterr().err == (
        f"gd-tutor: The lesson folder {missing} does not exist; check --lessons-dir.\n")


def test_lesson_status_rules() -> None:
    keys = ["a/1", "a/2"]
    assert lesson_status(keys, {"a/1", "a/2"}, is_current=True, before_current=False) == "done"
    assert lesson_status(keys, {"a/1"}, is_current=True, before_current=False) == "now"
    assert lesson_status(keys, {"a/1"}, is_current=False, before_current=True) == "todo"
    assert lesson_status([], set(), is_current=False, before_current=True) == "done"
    assert lesson_status([], set(), is_current=False, before_current=False) == "todo"


def test_row_and_header_texts_carry_words_not_just_colour() -> None:
    assert str(entry_prompt(LessonEntry(3, "s", "Slopes", "done"))) == "✓ done  3. Slopes"
    assert str(entry_prompt(LessonEntry(10, "s", "Fit", "todo"))) == "· todo 10. Fit"
    long = "Overfitting and regularisation, a title longer than the list is wide"
    assert str(entry_prompt(LessonEntry(15, "s", long, "todo", 2, 4))).startswith(
        "◐ 2/4  15. Overfitting")  # begun: how far, before the title that may be cut
    assert str(entry_prompt(LessonEntry(5, "s", "Rates", "now", 1, 4))) == "▶ now   5. Rates"
    assert str(entry_prompt(LessonEntry(5, "s", "Rates", "done", 4, 4))) == "✓ done  5. Rates"
    assert str(problem_prompt(Path("x/07-bad.md"))) == "⚠ error 07-bad.md (not loaded)"
    assert progress_text(3, 10, 42) == "Lesson 3 of 10 - 42%"
    assert progress_text(0, 0, 0) == "No lessons - 0%"
    assert progress_text(0, 3, 33) == "3 lessons - 33%"


def test_reader_texts() -> None:
    assert objectives_text(["One.", "Two."]) == "**In this lesson you will**\n\n- One.\n- Two."
    assert without_title("# First steps\n\nBody.", "First Steps") == "Body."
    assert without_title("# Other\n\nBody.", "First steps") == "# Other\n\nBody."
    assert problem_text(Path("d/04-x.md"), 4, "bad YAML.") == (
        "⚠ Lesson file 04-x.md line 4 could not be loaded: bad YAML.")
    assert problem_text("04-x.md", 0, "empty.") == "⚠ Lesson file 04-x.md could not be loaded: empty."


def test_split_opening_keeps_plain_paragraphs_and_the_rest_as_written() -> None:
    text = "One *a*\nline.\n\nTwo `x^2`.\n\n\n## Head\n\nMore."
    assert split_opening(text) == (["One *a*\nline.", "Two `x^2`."], "## Head\n\nMore.", True)
    assert split_opening("Para.\n\n| a | b |\n|---|---|") == (["Para."], "| a | b |\n|---|---|",
                                                                 False)
    assert split_opening("Costs {{claim: value(f=\"x\", at=1) = 1}}.\n\nB.")[0] == []
    assert split_opening("- a list\n\nB.")[0] == []
    assert split_opening("Only one.") == (["Only one."], "", False)


@pytest.mark.parametrize(("text", "plain", "spans"), [
    ("A *cost* of `x^2` is **big**.", "A cost of x^2 is big.",
     [(2, 6, ".em"), (10, 13, ".code_inline"), (17, 20, ".strong")]),
    ("new = old - rate * slope,  0 < r < 1", "new = old - rate * slope, 0 < r < 1", []),
    ("learning_rate and _x_", "learning_rate and x", [(18, 19, ".em")]),
])
def test_inline_content_matches_markdown(text: str, plain: str,
                                         spans: list[tuple[int, int, str]]) -> None:
    content = inline_content(text)
    assert content is not None and content.plain == plain
    assert [(s.start, s.end, s.style) for s in content.spans] == spans


@pytest.mark.parametrize("text", [
    "see notes.md", "a [link](x)", "**a *b* c**", "x\\y", "<b>bold</b>", "&amp;", "2*x*3",
    "www.example.org", "a ~~gone~~", "`open", "*lonely",
])
def test_inline_content_leaves_what_it_cannot_draw_to_markdown(text: str) -> None:
    assert inline_content(text) is None
