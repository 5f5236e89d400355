"""Code exercises: the learner's function runs in the sandbox and is judged against the engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.lessons import load_lessons
from tutor.lessons.model import Exercise
from tutor.practice import check_attempt
from tutor.practice.code import judge_code, outcome_from_numbers
from tutor.practice.codechecks import path_expected
from tutor.practice.mistakes import CATALOGUE, for_check
from tutor.practice.review import check_lessons

FIXTURES = Path(__file__).parent / "fixtures" / "code"


@pytest.fixture(scope="module")
def exercises() -> dict[str, Exercise]:
    lesson_set = load_lessons(FIXTURES)
    assert not lesson_set.problems
    return {e.id: e for e in lesson_set.lessons[0].exercises}


def test_the_engines_path_is_the_articles_list() -> None:
    path = path_expected({"function": "x^2", "start": 3, "rate": 0.1})
    assert len(path) == 41 and path[0] == 3
    assert path[-1] == pytest.approx(3 * 0.8 ** 40, rel=1e-12)


def test_the_reference_passes_in_the_sandbox(exercises: dict[str, Exercise]) -> None:
    whole = exercises["whole"]
    verdict = check_attempt(whole, {"code": whole.code.reference})
    assert verdict.passed, verdict.message


def test_a_flipped_sign_is_named_with_the_first_difference(
        exercises: dict[str, Exercise]) -> None:
    whole = exercises["whole"]
    code = whole.code.reference.replace("previous_x - learning_rate", "previous_x + learning_rate")
    verdict = check_attempt(whole, {"code": code})
    assert not verdict.passed and verdict.diagnosis == "sign_flipped"
    assert "your 2nd guess is 3.6, the engine's 2.4" in verdict.message
    assert "Look at line 11, the update line: it adds the step" in verdict.message
    assert "new_x = previous_x - learning_rate * slope" not in verdict.message  # no answer yet


def test_an_error_is_one_sentence_at_the_learners_line(exercises: dict[str, Exercise]) -> None:
    whole = exercises["whole"]
    code = whole.code.reference.replace("df(previous_x)", "df(previos_x)")
    verdict = check_attempt(whole, {"code": code})
    assert verdict.message == "Line 10: NameError: name 'previos_x' is not defined."
    assert verdict.diagnosis == "code_error"


def test_a_loop_that_never_stops_is_ended_and_said_so(exercises: dict[str, Exercise]) -> None:
    whole = exercises["whole"]
    code = whole.code.reference.replace("for n in range(max_iterations):", "while True:")
    code = code.replace("break", "pass")
    verdict = check_attempt(whole, {"code": code})
    assert verdict.diagnosis == "code_timeout"
    assert verdict.message == ("Your while loop (line 8) did not finish in 2 s: does it ever "
                               "end (a break that is reached, or a condition that turns false)?")


def test_a_timeout_shows_what_was_printed_and_names_the_printing_loop(
        exercises: dict[str, Exercise]) -> None:
    from tutor.practice.code import CodeSettings, run_code_attempt
    from tutor.ui.widgets.exercise.code_editor import printed_text

    whole = exercises["whole"]
    code = whole.code.reference.replace("for n in range(max_iterations):", "while True:")
    code = code.replace("break", "pass").replace("previous_x = new_x",
                                                 "previous_x = new_x\n        print(new_x)")
    outcome = run_code_attempt(CodeSettings(code, whole.code))
    verdict = judge_code(whole, outcome)
    assert outcome.cases[0].kind == "timeout"
    assert outcome.cases[0].printed.startswith("3.0\n2.4\n1.92\n")
    assert verdict.message.startswith("Your loop at line 8 prints on every pass and did not "
                                      "finish in 2 s")
    shown = printed_text(outcome).split("\n")
    assert shown[:4] == ["Your code printed (case 1 of 2):", "3.0", "2.4", "1.92"]
    assert len(shown) == 8 and shown[-1] == "... (the rest is not shown)"


@pytest.mark.parametrize("body,words", [
    ("while x:\n    pass", "Your while loop (line 2) did not finish"),
    ("for i in range(10):\n    while True:\n        pass", "Your while loop (line 3)"),
    ("for i in range(10**12):\n    pass", "Your for loop (line 2) did not finish in 2 s: is "
     "range() given a huge number"),
    ("import itertools\nfor i in itertools.count():\n    pass",
     "Your for loop (line 3) did not finish in 2 s: does what it walks over ever run out?"),
    ("def f():\n    return f()", "does a function call itself without end"),
    ("while (((", "does a function call itself"),  # unreadable: no loop is claimed
])
def test_a_timeout_is_worded_by_the_loops_the_code_has(body: str, words: str) -> None:
    from tutor.practice.codelines import timeout_question

    said = timeout_question("x = 1\n" + body, "2")
    assert words.lower() in said.lower()
    assert ("range()" in said) == ("range(10**12)" in body)


def test_learner_code_never_runs_in_the_tutors_process(exercises: dict[str, Exercise]) -> None:
    whole = exercises["whole"]
    code = "import os\nos.environ['GD_TUTOR_PWNED'] = '1'\n" + whole.code.reference
    assert check_attempt(whole, {"code": code}).passed
    assert "GD_TUTOR_PWNED" not in os.environ


def test_blank_code_is_one_sentence(exercises: dict[str, Exercise]) -> None:
    verdict = check_attempt(exercises["whole"], {"code": "   "})
    assert verdict.message == "Write your gradient_descent() first, then run it."


@pytest.mark.parametrize("exercise_id", ["whole", "mse", "step"])
def test_every_catalogued_mistake_gets_its_own_diagnosis(
        exercises: dict[str, Exercise], exercise_id: str) -> None:
    exercise = exercises[exercise_id]
    keys = {m.key for m in for_check(exercise.code.check)}
    assert set(exercise.code.mistakes) == keys
    for key in keys:
        numbers = tuple(CATALOGUE[key].numbers(case) for case in exercise.code.cases)
        sample = CATALOGUE[key].sample  # a mistake told by its shape: code that has it
        source = sample(exercise.code.reference) if sample else ""
        verdict = judge_code(exercise, outcome_from_numbers(exercise.code, numbers, source))
        assert not verdict.passed and verdict.diagnosis == key, (key, verdict.message)
        assert CATALOGUE[key].title in verdict.message


def test_mse_and_step_compare_with_the_engine(exercises: dict[str, Exercise]) -> None:
    mse, step = exercises["mse"], exercises["step"]
    right = outcome_from_numbers(mse.code, ([0.625], [14 / 3]))
    assert judge_code(mse, right).passed
    wrong = judge_code(mse, outcome_from_numbers(mse.code, ([0.6], [14 / 3])))
    assert "your MSE is 0.6, the engine's 0.625" in wrong.message
    # one step from slope 0, intercept 0 on (1,2), (2,3), (3,5) at rate 0.1
    moved = judge_code(step, outcome_from_numbers(step.code, ([4.6 / 3, 2 / 3],)))
    assert moved.passed, moved.message


def test_check_lessons_runs_references_and_mistakes(tmp_path: Path) -> None:
    assert check_lessons(FIXTURES) == []
    text = (FIXTURES / "01-code.md").read_text(encoding="utf-8")
    broken = text.replace("new_x = previous_x - learning_rate * slope",
                          "new_x = previous_x - 2 * learning_rate * slope")
    broken = broken.replace("  - {function: x^2, start: 3, rate: 0.01, iterations: 20}\n", "")
    (tmp_path / "01-code.md").write_text(broken, encoding="utf-8")
    messages = [p.message for p in check_lessons(tmp_path)]
    assert any("the reference solution fails" in m for m in messages), messages
    assert any("'loop_one_short' passes on these cases" in m for m in messages), messages


def test_the_authoring_guide_lists_every_catalogued_mistake() -> None:
    guide = (Path(__file__).resolve().parents[2] / "lessons" / "README.md").read_text("utf-8")
    assert [key for key in CATALOGUE if f"`{key}`" not in guide] == []


def test_a_named_mistake_says_where_to_look_once(exercises: dict[str, Exercise]) -> None:
    whole = exercises["whole"]
    numbers = tuple(CATALOGUE["no_precision_stop"].numbers(c) for c in whole.code.cases)
    verdict = judge_code(whole, outcome_from_numbers(whole.code, numbers))
    assert "the same up to there. That is a known mistake: the loop never stops" in \
        verdict.message
    assert verdict.message.count("ook") == 1, verdict.message  # one "Look ...", no second


def test_a_pass_says_both_cases(exercises: dict[str, Exercise]) -> None:
    mse = exercises["mse"]
    verdict = judge_code(mse, outcome_from_numbers(mse.code, ([0.625], [14 / 3])))
    assert verdict.message == "Your mse() gives the engine's numbers on both cases."


def test_the_printing_loop_named_is_the_innermost_around_the_print() -> None:
    from tutor.practice.codelines import printing_loop, timeout_question

    nested = "def f():\n    for n in range(3):\n        x = 1\n        while True:\n" \
             "            print(n)\n"
    assert printing_loop(nested) == 4
    assert timeout_question(nested, "2", printed=True).startswith("your loop at line 4 prints")
    assert printing_loop("def f():\n    print(1)\n    while True:\n        pass\n") is None


def test_a_stop_before_an_update_written_oddly_is_still_found() -> None:
    from tutor.practice.codeshapes import stop_before_update

    odd = "def f(new_x, precision):\n    for n in range(3):\n        p = new_x\n" \
          "        if abs(new_x - p) < precision:\n            break\n        new_x = p - g(p)\n"
    assert stop_before_update(odd) == 4


def test_an_early_return_under_the_stop_test_is_not_a_return_in_the_loop() -> None:
    from tutor.practice.codeshapes import return_in_loop

    early = "def f(xs):\n    for x in xs:\n        if x > 1:\n            return xs\n    return xs\n"
    assert return_in_loop(early) is None
    assert return_in_loop("def f(xs):\n    for x in xs:\n        y = x\n        return y\n") == 4
