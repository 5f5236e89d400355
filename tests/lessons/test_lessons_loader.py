"""The loader: good lessons load in order; every broken thing is a problem at its real line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.lessons import (
    Exercise, LessonProblem, MarkdownSegment, default_lessons_dir, load_lesson_file,
    load_lessons,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _marked(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i for i, text in enumerate(lines, start=1) if "PROBLEM" in text}


def test_good_lessons_load_in_order_with_segments_in_reading_order() -> None:
    lesson_set = load_lessons(FIXTURES / "good")
    assert lesson_set.problems == ()
    assert [lesson.slug for lesson in lesson_set.lessons] == ["first-steps", "too-far", "fitting"]
    first = lesson_set.lessons[0]
    assert first.title == "First steps downhill" and first.order == 1
    assert first.objectives[1] == "Say what the learning rate does."
    assert first.recap.startswith("A larger learning rate")
    kinds = [type(s).__name__ for s in first.segments]
    assert kinds == ["MarkdownSegment", "Exercise", "MarkdownSegment", "Exercise"]
    assert [e.id for e in first.exercises] == ["faster", "count"]


def test_claims_are_rendered_to_their_written_values() -> None:
    first = load_lessons(FIXTURES / "good").lessons[0]
    prose = first.segments[0]
    assert isinstance(prose, MarkdownSegment)
    assert "takes 40 updates." in prose.text
    assert "At learning rate 1.1 it diverged." in prose.text
    assert "{{claim" not in prose.text.split("```python")[0]
    # Claims inside code blocks are shown as written, not rendered or checked.
    assert '{{claim: run(f="x^2").nit = 1}}' in prose.text
    assert [c.written for c in first.claims] == ["40", "diverged", "6", "9"]
    assert [c.line for c in first.claims] == [13, 14, 39, 39]
    assert first.claims[0].args == {"f": "x^2", "start": 3.0, "lr": 0.1}


def test_exercise_fields_are_converted() -> None:
    first = load_lessons(FIXTURES / "good").lessons[0]
    faster, count = first.exercises
    assert isinstance(faster, Exercise)
    assert faster.key == "first-steps/faster"
    assert (faster.kind, faster.function, faster.start) == ("run", "x^2", (3.0,))
    assert (faster.learning_rate, faster.iterations, faster.precision) == (0.1, 100, 1e-4)
    assert faster.editable == ("learning_rate",) and faster.goal == {"converge_within": 20}
    assert faster.solution == {"learning_rate": 0.4}
    assert faster.wrong == ({"learning_rate": 0.1}, {"learning_rate": 1.5})
    assert len(faster.hints) == 3 and faster.explain.startswith("At 0.4")
    assert faster.line == 20 and first.segments[2].line == 39
    assert (count.kind, count.prompt, count.function) == (
        "numeric", "How many updates did the first run take?", None)


def test_broken_files_become_problems_at_their_real_lines() -> None:
    folder = FIXTURES / "broken"
    lesson_set = load_lessons(folder)
    got: dict[str, set[int]] = {}
    for problem in lesson_set.problems:
        assert isinstance(problem, LessonProblem)
        got.setdefault(problem.path.name, set()).add(problem.line)
    assert got["01-no-front.md"] == {1}
    for name in ("02-bad-yaml.md", "04-dup-slug.md", "05-fine.md"):
        assert got[name] == _marked(folder / name), name
    # Line 56 opens a block that is never closed; a marker there would change the fence.
    assert got["03-bad-exercises.md"] == _marked(folder / "03-bad-exercises.md") | {56}


def test_broken_lessons_do_not_stop_the_others() -> None:
    lesson_set = load_lessons(FIXTURES / "broken")
    assert [lesson.slug for lesson in lesson_set.lessons] == ["broken-exercises", "fine"]
    broken = lesson_set.lessons[0]
    # The unusable exercises are left out; the usable ones stay in reading order.
    assert [e.id for e in broken.exercises] == ["too-many-hints", "too-many-hints"]
    assert [c.written for c in broken.claims] == ["40"]


@pytest.mark.parametrize(("needle", "line"), [
    ("malformed claim: expected ','", 10),
    ("unknown claim source 'walk'", 11),
    ("exercise YAML: while parsing a flow sequence", 16),
    ("unknown exercise kind 'sprint'", 23),
    ("'colour' cannot be editable", 36),
    ("4 hints; at most 3", 40),
    ("'too-many-hints' is used twice", 48),
    ("never closed", 56),
])
def test_problem_messages_say_what_is_wrong(needle: str, line: int) -> None:
    problems = load_lessons(FIXTURES / "broken").problems
    found = [p for p in problems if needle in p.message]
    assert [(p.path.name, p.line) for p in found] == [("03-bad-exercises.md", line)]


def test_problem_renders_like_a_compiler() -> None:
    problem = LessonProblem(Path("lessons/01-x.md"), 7, "bad thing.")
    assert str(problem) == "lessons/01-x.md:7: bad thing."


def test_missing_folder_is_one_problem(tmp_path: Path) -> None:
    lesson_set = load_lessons(tmp_path / "nowhere")
    assert lesson_set.lessons == ()
    assert [p.message for p in lesson_set.problems] == ["lesson folder not found."]


@pytest.mark.parametrize(("front", "message"), [
    ("title: T\nslug: Bad Slug\norder: 1\nobjectives: [a]\n", "may use only a-z"),
    ("title: T\nslug: s\norder: one\nobjectives: [a]\n", "'order' must be a whole number"),
    ("slug: s\norder: 1\nobjectives: [a]\n", "has no 'title'"),
    ("- just\n- a list\n", "must be 'key: value' lines"),
])
def test_invalid_front_matter(tmp_path: Path, front: str, message: str) -> None:
    path = tmp_path / "01-x.md"
    path.write_text(f"---\n{front}---\n\nBody.\n", encoding="utf-8")
    lesson, problems = load_lesson_file(path)
    assert lesson is None
    assert len(problems) == 1 and message in problems[0].message


def test_non_utf8_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "01-x.md"
    path.write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    lesson, problems = load_lesson_file(path)
    assert lesson is None and "not UTF-8" in problems[0].message


def test_yaml_numbers_written_with_exponents_are_numbers(tmp_path: Path) -> None:
    path = tmp_path / "01-x.md"
    path.write_text("---\ntitle: T\nslug: t\norder: 1\nobjectives: [a]\n---\n\n"
                    "```exercise\nid: e\nfunction: x^2\nstart: 3\nlearning_rate: 1e-3\n"
                    "precision: 1e-6\ngoal: {stop_at_limit: true}\nsolution: {}\n"
                    "wrong: []\n```\n", encoding="utf-8")
    lesson, problems = load_lesson_file(path)
    assert problems == []
    assert lesson is not None
    (exercise,) = lesson.exercises
    assert (exercise.learning_rate, exercise.precision) == (0.001, 1e-6)


def test_default_lessons_dir_honours_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("GD_TUTOR_LESSONS_DIR", str(tmp_path))
    assert default_lessons_dir() == tmp_path
    monkeypatch.delenv("GD_TUTOR_LESSONS_DIR")
    found = default_lessons_dir()
    assert found.name in ("lessons", "bundled_lessons") and found.is_dir()


def test_importing_the_loader_does_not_import_sympy_or_the_engine() -> None:
    code = ("import sys, tutor.lessons, tutor.lessons.loader\n"
            "tutor.lessons.load_lessons()\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('sympy', 'textual')"
            " or m.startswith('tutor.engine')]\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_claims_in_exercise_text_are_rendered_and_collected(tmp_path: Path) -> None:
    path = tmp_path / "01-x.md"
    path.write_text(
        "---\ntitle: T\nslug: t\norder: 1\nobjectives: [a]\n---\n\n"
        "```exercise\nid: e\nkind: numeric\n"
        "prompt: 'It took {{claim: run(f=\"x^2\", start=3, lr=0.1).nit = 40}} updates; now?'\n"
        "goal: {answer: 1}\nsolution: {answer: 1}\nwrong: [{answer: 2}]\n"
        'hints:\n  - "The value at 3 is {{claim: value(f=\\"x^2\\", at=3) = 9}}."\n'
        "```\n", encoding="utf-8")
    lesson, problems = load_lesson_file(path)
    assert problems == [] and lesson is not None
    (exercise,) = lesson.exercises
    assert exercise.prompt == "It took 40 updates; now?"
    assert exercise.hints == ("The value at 3 is 9.",)
    assert [(c.written, c.line) for c in lesson.claims] == [("40", 11), ("9", 15)]


def test_byte_order_mark_and_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "01-x.md"
    text = "---\ntitle: T\nslug: t\norder: 1\nobjectives: [a]\n---\n\nValue {{claim: value(f=\"x^2\", at=3) = 9}}.\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    lesson, problems = load_lesson_file(path)
    assert problems == [] and lesson is not None
    assert lesson.slug == "t" and lesson.segments[0].text == "Value 9.\n"
    assert lesson.claims[0].line == 8


@pytest.mark.parametrize(("wanted", "slug"), [
    ("too-far", "too-far"), (2, "too-far"), ("02", "too-far"), (" 3 ", "fitting"),
    ("9", None), ("nope", None), ("", None),
])
def test_find_by_slug_or_number(wanted: object, slug: str | None) -> None:
    found = load_lessons(FIXTURES / "good").find(wanted)  # type: ignore[arg-type]
    assert (found.slug if found else None) == slug


# ---- the fast path (`scan_lessons`) used for the app's first paint ----------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tutor.lessons import scan_lessons  # noqa: E402
from tutor.lessons.loader import quick_front_matter  # noqa: E402

BUNDLED = Path(__file__).resolve().parents[2] / "lessons"
UI_FIXTURES = Path(__file__).resolve().parents[1] / "ui" / "fixtures"
UI_BROKEN = UI_FIXTURES / "broken"
"""The UI's lessons plus its 04-broken.md, put together in a temporary folder by the test."""
FOLDERS = [BUNDLED, FIXTURES / "good", FIXTURES / "broken", FIXTURES / "unsound",
           UI_FIXTURES / "lessons", UI_BROKEN]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_scan_finds_the_same_lessons_as_the_full_load(folder: Path, tmp_path: Path) -> None:
    if folder == UI_BROKEN:
        folder = shutil.copytree(UI_FIXTURES / "lessons", tmp_path / "broken")
        shutil.copy(UI_FIXTURES / "04-broken.md", folder)
    full, quick = load_lessons(folder), scan_lessons(folder)
    assert [(s.slug, s.title, s.order, s.objectives, s.recap, s.path) for s in quick.lessons] == [
        (x.slug, x.title, x.order, x.objectives, x.recap, x.path) for x in full.lessons]
    sound = {x.path for x in full.lessons} - {p.path for p in full.problems}
    assert sound or folder.name == "broken"
    assert [s.exercise_keys for s in quick.lessons if s.path in sound] == [
        tuple(e.key for e in x.exercises) for x in full.lessons if x.path in sound]
    assert set(quick.problems) <= set(full.problems)
    unloaded = {p.path for p in full.problems} - {x.path for x in full.lessons}
    assert unloaded <= {p.path for p in quick.problems}


def test_scan_keeps_the_opening_prose_and_finds_by_number() -> None:
    index = scan_lessons(FIXTURES / "good")
    first = index.find("1")
    assert first is not None and first.slug == "first-steps" and index.find("nope") is None
    assert "```exercise" not in first.opening and first.opening.strip()
    full_text = load_lessons(FIXTURES / "good").lessons[0].segments[0].text
    assert full_text.split("\n\n")[0].strip() == first.opening.strip().split("\n\n")[0].strip()


def test_scan_does_not_import_yaml_for_simple_front_matter() -> None:
    code = ("import sys, tutor.lessons\n"
            f"index = tutor.lessons.scan_lessons({str(BUNDLED)!r})\n"
            "print(len(index.lessons), 'yaml' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.split() == [str(len(load_lessons(BUNDLED).lessons)), "False"]


@pytest.mark.parametrize("front", [
    'title: "Capstone: tune it"\norder: 12\nobjectives:\n  - "a: b"\n  - plain words',
    "title: It's fine\nslug: a-b\norder: 3\nobjectives:\n- one\n- 'two ''quoted'''",
    "title: x\nobjectives:\nrecap: done",
])
def test_quick_front_matter_agrees_with_yaml(front: str) -> None:
    import yaml

    assert quick_front_matter(front.splitlines()) == yaml.safe_load(front)


@pytest.mark.parametrize("front", [
    "order: 012", "order: 1.5", "order: 1e3", "title: yes", "title: null", "title: ~",
    "objectives: [a, b]", "title: a # comment", "title: a: b", "title: 'open",
    'title: "tab\\tescape"', "title: x\n  continued", "title: a\ntitle: b",
    "objectives:\n  - a\n    - b", "objectives:\n  - a\n - b", "title: &anchor x",
    "title: 2026-11-24", "title: -1",
])
def test_quick_front_matter_leaves_the_unsure_to_yaml(front: str) -> None:
    assert quick_front_matter(front.splitlines()) is None


LINE = st.text(alphabet=st.sampled_from(list("ab1 :-#'\"[]\\~yn0.")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title: ", "order: ", "objectives:", "  - ", "- "]),
                          LINE), max_size=5))
def test_quick_front_matter_never_disagrees_with_yaml(rows: list[tuple[str, str]]) -> None:
    import yaml

    lines = [key + value for key, value in rows]
    quick = quick_front_matter(lines)
    if quick is not None:
        assert quick == yaml.safe_load("\n".join(lines))
