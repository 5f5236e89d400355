"""check-lessons --sweep, explanations chosen by the run, and function goals."""

from __future__ import annotations

from pathlib import Path

from tutor.lessons import default_lessons_dir, load_lessons
from tutor.practice import check_attempt
from tutor.practice.review import review_lessons

LESSON = """---
title: Sweep
slug: sweep
order: 1
objectives:
  - Be swept.
---

```exercise
id: shelf
kind: run
function: x^4 - 3x^3 + 2
start: 1
learning_rate: 0.05
iterations: 500
editable: [start]
goal:
  end_near: [2.25]
  tolerance: 0.01
solution: {start: 1}
wrong: [{start: -1}]
explain:
  - start_between: [0, 2.25]
    text: From between 0 and 9/4 the walker goes right.
```
"""


def test_the_shipped_lessons_pass_the_sweep() -> None:
    review = review_lessons(default_lessons_dir(), sweep=True)
    assert review.problems == (), "\n".join(map(str, review.problems))


def test_a_pass_the_explanations_do_not_cover_is_a_sweep_problem(tmp_path: Path) -> None:
    (tmp_path / "01-sweep.md").write_text(LESSON, encoding="utf-8")
    assert review_lessons(tmp_path).problems == ()  # without --sweep all seems well
    problems = review_lessons(tmp_path, sweep=True).problems
    # from -2 (on the grid: 1 - 3) the first step jumps the shelf: a pass no case explains
    assert problems and all(p.line == 22 for p in problems)  # the explain: line
    assert any("start: -2.0" in p.message and "no explanation" in p.message for p in problems)
    fixed = LESSON.replace("    text: From between 0 and 9/4 the walker goes right.\n",
                           "    text: From between 0 and 9/4 the walker goes right.\n"
                           "  - text: Any other start that passes jumped the shelf.\n")
    (tmp_path / "01-sweep.md").write_text(fixed, encoding="utf-8")
    assert review_lessons(tmp_path, sweep=True).problems == ()


def _exercise(key: str):
    slug, _, exercise_id = key.partition("/")
    lesson = load_lessons(default_lessons_dir()).find(slug)
    return next(e for e in lesson.exercises if e.id == exercise_id)


def test_the_explanation_shown_is_the_one_for_this_run() -> None:
    shelf = _exercise("not-every-valley/off-the-shelf")
    from_one = check_attempt(shelf, {"start": "1"})
    jumped = check_attempt(shelf, {"start": "-2"})
    assert from_one.passed and jumped.passed
    assert from_one.explain.startswith("Between 0 and 9/4 the slope is negative")
    assert jumped.explain.startswith("From this far left the slope is steep")


def test_a_cost_divided_by_the_wrong_count_is_named() -> None:
    add_a_day = _exercise("cost-functions/add-a-day")
    four_days = "(m-2)^2 + (m-3)^2 + (m-7)^2 + (m-8)^2"
    wrong = check_attempt(add_a_day, {"function": f"({four_days})/3"})
    assert not wrong.passed and wrong.diagnosis == "function_factor"
    assert wrong.message.startswith("Not quite: your function is 4/3 times the cost asked for")
    assert check_attempt(add_a_day, {"function": f"({four_days})/4"}).passed


def test_a_wrong_option_gets_its_own_explanation() -> None:
    stuck = _exercise("not-every-valley/why-stuck")
    lowest = check_attempt(stuck, {"choice": "2"})
    assert not lowest.passed and lowest.diagnosis == "choice_2"
    assert lowest.message.startswith("Not that one: the table shows the cost at 9/4 is -6.54")
    assert check_attempt(stuck, {"choice": "1"}).passed
    from tutor.lessons import Exercise

    plain = Exercise(id="p", lesson_slug="t", kind="choice", options=("a", "b"),
                     goal={"choice": 1})  # options without notes keep the plain words
    assert check_attempt(plain, {"choice": "2"}).message == (
        'Not that one: "b" is not the answer. Look again and try another.')


def test_a_known_wrong_number_is_explained_by_the_author() -> None:
    fourth = _exercise("gradient-descent/next-step")
    before = check_attempt(fourth, {"answer": "1.536"})  # the answer to the step before
    assert before.message == ("Not quite: that is x before the fourth step; apply the update "
                              "once more.")
    assert before.diagnosis == "known_wrong_1"
    unknown = check_attempt(fourth, {"answer": "-1.2288"})
    assert unknown.diagnosis == "answer_sign"


def test_the_cause_is_the_ground_where_the_run_stopped() -> None:
    """A hilltop, a shelf, a slope left too early, a zigzag: each named for what it is."""
    hump = check_attempt(_exercise("not-every-valley/lowest-valley"), {"start": "0.126"})
    assert hump.diagnosis == "hilltop" and "hilltop (a maximum)" in hump.message
    shelf = check_attempt(_exercise("not-every-valley/off-the-shelf"), {"start": "-1"})
    assert shelf.diagnosis == "flat_point" and "flat stretch" in shelf.message
    loose = check_attempt(_exercise("when-to-stop/good-enough"), {"precision": "1"})
    assert loose.diagnosis == "stopped_early"
    assert "Try a precision of 0.01: that converges in 20 updates" in loose.message
    zigzag = check_attempt(_exercise("learning-rate/fastest-rate"), {"learning_rate": "0.9"})
    assert zigzag.diagnosis == "too_slow_overshooting"
    assert zigzag.message.endswith("Try a learning rate of 0.5: that converges in 2 updates.")
    other = check_attempt(_exercise("how-machines-learn/new-target"), {"function": "(x+2)^2"})
    assert other.diagnosis == "other_valley"
    assert "the function decides where its valley is" in other.message
    assert "where it starts" not in other.message  # start and rate are not the learner's here
