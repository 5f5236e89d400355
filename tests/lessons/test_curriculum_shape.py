"""The shipped curriculum: its lessons in order, the capstone last, each complete and readable at 80x24.

These tests read the real `lessons/` folder of the checkout with the real loader.
They check the shape of the course (front matter, exercises, hints, claims,
recaps, data files); `test_curriculum_checks.py` runs the exercises and claims.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.lessons import Exercise, Lesson, LessonSet, MarkdownSegment, load_lessons

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
RUN_KINDS = ("run", "step", "compare", "fit")
PROMPT_LIMIT = 120
HINT_LIMIT = 100
SCREEN_WIDTH = 80


@pytest.fixture(scope="module")
def lesson_set() -> LessonSet:
    """The shipped lessons, loaded once for this module."""
    return load_lessons(LESSONS_DIR)


def _lessons() -> list[Lesson]:
    return list(load_lessons(LESSONS_DIR).lessons)


def _exercises() -> list[Exercise]:
    return [exercise for lesson in _lessons() for exercise in lesson.exercises]


def _prose(lesson: Lesson) -> str:
    return "\n".join(s.text for s in lesson.segments if isinstance(s, MarkdownSegment))


EXPECTED_SLUGS = ["how-machines-learn", "cost-functions", "slope", "gradient-descent",
                  "learning-rate", "when-to-stop", "not-every-valley", "two-variables",
                  "linear-regression", "feature-scaling", "momentum-and-adam",
                  "stochastic-descent", "several-features",
                  "logistic-regression", "overfitting",
                  "neural-network", "capstone"]
"""Every shipped lesson's slug, in order. Slugs key a learner's progress: never rename one."""


def test_the_lessons_load_without_problems_numbered_one_to_n(lesson_set: LessonSet) -> None:
    assert lesson_set.problems == ()
    orders = [lesson.order for lesson in lesson_set.lessons]
    assert orders == list(range(1, len(EXPECTED_SLUGS) + 1)) == list(range(1, 18))
    assert lesson_set.lessons[-1].slug == "capstone"


def test_slugs_orders_and_file_names_agree(lesson_set: LessonSet) -> None:
    slugs = [lesson.slug for lesson in lesson_set.lessons]
    assert len(set(slugs)) == len(slugs)
    for lesson in lesson_set.lessons:
        assert lesson.path.name == f"{lesson.order:02d}-{lesson.slug}.md"


def test_the_sequence_covers_every_topic_in_order(lesson_set: LessonSet) -> None:
    assert [lesson.slug for lesson in lesson_set.lessons] == EXPECTED_SLUGS


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda lesson: lesson.slug)
def test_each_lesson_has_objectives_exercises_claims_and_a_recap(lesson: Lesson) -> None:
    assert len(lesson.objectives) >= 2
    assert all(isinstance(text, str) and text for text in lesson.objectives)
    assert len(lesson.exercises) >= 2
    assert len(lesson.claims) >= 1
    assert lesson.recap or "## Recap" in _prose(lesson).split("```exercise")[-1]


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda lesson: lesson.slug)
def test_each_lesson_has_an_exercise_that_changes_the_plot(lesson: Lesson) -> None:
    hands_on = [e for e in lesson.exercises if e.kind in RUN_KINDS and e.editable]
    assert hands_on, f"{lesson.slug} has no run/step/fit exercise with an editable field"


@pytest.mark.parametrize("exercise", _exercises(), ids=lambda e: e.key)
def test_every_exercise_has_one_to_three_hints_and_a_short_prompt(exercise: Exercise) -> None:
    assert 1 <= len(exercise.hints) <= 3
    assert all(0 < len(hint) <= HINT_LIMIT for hint in exercise.hints)
    assert 0 < len(exercise.prompt) <= PROMPT_LIMIT
    assert exercise.solution or exercise.kind == "step"
    assert exercise.wrong or (exercise.code is not None and exercise.code.mistakes)


def test_exercise_keys_are_unique(lesson_set: LessonSet) -> None:
    keys = [e.key for lesson in lesson_set.lessons for e in lesson.exercises]
    assert len(set(keys)) == len(keys)


def test_every_kind_of_exercise_is_used(lesson_set: LessonSet) -> None:
    kinds = {e.kind for lesson in lesson_set.lessons for e in lesson.exercises}
    assert kinds == {"run", "step", "compare", "fit", "numeric", "choice", "code"}


def test_code_exercises_teach_the_rule_the_function_the_cost_and_a_step(
        lesson_set: LessonSet) -> None:
    code = {e.key: e.code for lesson in lesson_set.lessons for e in lesson.exercises
            if e.code is not None}
    assert {key: (spec.entry, spec.check) for key, spec in code.items()} == {
        "gradient-descent/update-line": ("gradient_descent", "path"),
        "when-to-stop/write-it": ("gradient_descent", "path"),
        "linear-regression/mse-in-python": ("mse", "mse"),
        "linear-regression/step-in-python": ("step", "step"),
    }
    whole = code["when-to-stop/write-it"]
    assert whole.signature == ("gradient_descent(cost_fn, initial_guess, learning_rate, "
                               "precision=0.0001, max_iterations=100)")
    assert {"sign_flipped", "loop_one_short", "last_update_dropped"} <= set(whole.mistakes)


def test_the_derivatives_lesson_6_shows_are_sympys() -> None:
    import sympy

    x = sympy.symbols("x")
    text = (LESSONS_DIR / "06-when-to-stop.md").read_text(encoding="utf-8")
    for expr in (x**2, x**4 - 3 * x**2 + x):
        assert f"`{sympy.sstr(expr.diff(x))}`" in text


def test_compare_exercises_cover_rates_and_methods(lesson_set: LessonSet) -> None:
    compares = [e.compare or {} for lesson in lesson_set.lessons for e in lesson.exercises
                if e.kind == "compare"]
    assert any("learning_rates" in c for c in compares)
    assert any(c.get("methods") == ["gd", "momentum", "adam"] for c in compares)


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda lesson: lesson.slug)
def test_code_and_table_lines_fit_an_80_column_screen(lesson: Lesson) -> None:
    for line in _prose(lesson).splitlines():
        if line.startswith("    ") or line.startswith("|"):
            assert len(line) <= SCREEN_WIDTH - 2, line


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda lesson: lesson.slug)
def test_claims_are_rendered_to_their_values_in_the_prose(lesson: Lesson) -> None:
    prose = _prose(lesson)
    words = [e.prompt for e in lesson.exercises] + [h for e in lesson.exercises for h in e.hints]
    words += [e.explain for e in lesson.exercises] + [c.text for e in lesson.exercises
                                                      for c in e.explain_when]
    words += [note for e in lesson.exercises for note in e.option_notes]
    words += [note for e in lesson.exercises for note in e.wrong_notes]
    shown = "\n".join([prose, *words])  # claims may stand in hints and explanations too
    assert "{{" not in shown and "claim:" not in shown
    for claim in lesson.claims:
        assert claim.written in shown


def test_every_data_file_a_lesson_names_is_shipped(lesson_set: LessonSet) -> None:
    named = {e.data for lesson in lesson_set.lessons for e in lesson.exercises if e.data}
    named |= {str(c.args["data"]) for lesson in lesson_set.lessons for c in lesson.claims
              if "data" in c.args}
    assert {"anscombe1.csv", "anscombe4.csv", "houses.csv", "three-points.csv"} <= named
    for name in named:
        assert (LESSONS_DIR / "data" / name).is_file(), name


def test_houses_csv_has_a_large_scale_feature() -> None:
    from tutor.engine import load_xy_csv

    data = load_xy_csv(LESSONS_DIR / "data" / "houses.csv")
    assert (data.x_name, data.y_name) == ("size_sqft", "price_k")
    assert len(data.xs) == 14 and min(data.xs) >= 800 and max(data.xs) >= 3000


def test_headline_numbers_of_the_brief_are_claims() -> None:
    """The headline numbers of the brief are claims, so check-lessons recomputes them."""
    text = {p.name[:2]: p.read_text(encoding="utf-8") for p in LESSONS_DIR.glob("[0-9][0-9]-*.md")}
    assert re.search(r'\{\{claim: run\(f="x\^2", start=3, lr=0\.1\)\.nit = 40\}\}', text["04"])
    assert 'lr=1).status = max_iterations}}' in text["05"]
    assert 'lr=1.1).status = diverged}}' in text["05"]
    assert 'lstsq(data="anscombe4.csv").slope = 0.500}}' in text["09"]
    assert 'deriv(f="x^4 - 3x^3 + 2", at=0) = 0}}' in text["07"]
