"""check_attempt: every goal kind passes and fails with a message that says why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.engine import minimize
from tutor.lessons import Exercise, load_lessons
from tutor.practice import DataPolicy, Verdict, check_attempt

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_exercise(goal: dict[str, Any], **fields: Any) -> Exercise:
    """A run exercise on x^2 from 3 at learning rate 0.1, everything editable."""
    base: dict[str, Any] = {"function": "x^2", "start": (3.0,), "learning_rate": 0.1,
                            "editable": ("function", "start", "learning_rate", "iterations",
                                         "precision", "method")}
    base.update(fields)
    return Exercise(id="e", lesson_slug="t", goal=goal, **base)


def check(goal: dict[str, Any], inputs: dict[str, Any] | None = None, **fields: Any) -> Verdict:
    return check_attempt(run_exercise(goal, **fields), inputs or {})


# ------------------------------------------------------------------ converge_within

def test_converge_within_passes_with_the_pinned_count() -> None:
    outcome = check({"converge_within": 50})
    assert outcome.passed
    assert outcome.message == "Converged in 40 updates; the goal was 50 or fewer."
    assert outcome.result.nit == 40 and outcome.result.status == "converged"


def test_converge_within_too_slow() -> None:
    outcome = check({"converge_within": 20})
    assert not outcome.passed
    # advice is tried before it is shown: at 0.2, x shrinks by 0.6 per update
    assert outcome.message == ("Converged in 40 updates, but the goal is 20 or fewer. "
                               "Try a learning rate of 0.2: that converges in 20 updates.")
    assert outcome.diagnosis == "too_slow"
    assert [a.set for a in outcome.advice] == [{"learning_rate": 0.2}]
    assert check({"converge_within": 20}, {"learning_rate": 0.2}).passed


def test_converge_within_diverged_says_at_which_iteration() -> None:
    outcome = check({"converge_within": 20}, {"learning_rate": 1.5})
    nit = minimize("x^2", [3.0], learning_rate=1.5).nit
    assert not outcome.passed and nit < 100
    assert outcome.message == (f"It diverged at iteration {nit}: each step overshot further "
                               "than the last, swinging from side to side (oscillating). "
                               "Try a learning rate of 0.75: that converges in 17 updates.")
    assert outcome.diagnosis == "diverged_oscillating"


def test_converge_within_unfinished_reports_the_last_step() -> None:
    outcome = check({"converge_within": 200}, {"learning_rate": 0.01})
    # x shrinks by 0.98 per update, so update k moves 0.06 * 0.98^(k-1).
    last_step = 0.06 * 0.98 ** 99
    assert not outcome.passed
    assert outcome.message == (f"Not yet: 100 iterations and the step is still {last_step:.4g}. "
                               "Try a learning rate of 0.05: that converges in 77 updates.")
    budget_only = check({"converge_within": 200}, {"learning_rate": 0.01},
                        editable=("iterations",), learning_rate=0.01)
    # no limit makes it converge within 200 at 0.01 (it needs 318), and a budget past the
    # goal's own 200 is no advice: it would end better only by breaking the rule
    assert budget_only.message == f"Not yet: 100 iterations and the step is still {last_step:.4g}."
    assert not budget_only.advice


def test_converge_within_bouncing_suggests_a_smaller_rate() -> None:
    # At learning rate 1 the guess jumps 3, -3, 3, ...: same cost, never settling.
    outcome = check({"converge_within": 50}, {"learning_rate": 1.0})
    assert not outcome.passed
    assert outcome.message == ("Not yet: 100 iterations and it is still bouncing from side to "
                               "side (step 6), an oscillation that never dies out: each step "
                               "lands as far on the other side. Try a learning rate of 0.75: "
                               "that converges in 17 updates.")
    assert outcome.diagnosis == "bouncing_forever"
    slowly = check({"converge_within": 50}, {"learning_rate": 0.95})  # shrinks by 0.9 a step
    assert "an oscillation that dies out slowly" in slowly.message


# ------------------------------------------------------------------ diverge / stop_at_limit

def test_diverge_goal() -> None:
    nit = minimize("x^2", [3.0], learning_rate=1.5).nit
    passed = check({"diverge": True}, {"learning_rate": 1.5})
    assert passed.passed
    assert passed.message == f"It diverged at iteration {nit}, as hoped: each step overshot."
    converged = check({"diverge": True})
    assert not converged.passed
    assert converged.message == ("It converged in 40 updates instead of diverging: each step "
                                 "was small enough to land nearer the bottom. Try a learning "
                                 "rate of 2: that diverges at iteration 10.")
    bouncing = check({"diverge": True}, {"learning_rate": 1.0})
    assert bouncing.message == ("It used all 100 iterations without blowing up. Try a learning "
                                "rate of 1.5: that diverges at iteration 10.")


def test_stop_at_limit_goal() -> None:
    passed = check({"stop_at_limit": True}, {"learning_rate": 0.01})
    assert passed.passed and passed.message == "It used all 100 iterations without converging."
    early = check({"stop_at_limit": True})
    assert not early.passed
    assert early.message == ("It converged in 40 updates, before the limit of 100. Try a "
                             "learning rate of 0.03: that uses all 100 iterations.")
    fewer = check({"stop_at_limit": True}, {"iterations": 39})
    assert fewer.passed and fewer.result.nit == 39


# ------------------------------------------------------------------ end_near

def test_end_near_one_variable() -> None:
    passed = check({"end_near": [2]}, {"function": "(x-2)^2"})
    assert passed.passed and passed.message.startswith("It ended at x = 2")
    assert abs(passed.result.x[0] - 2) <= 0.01
    missed = check({"end_near": [2]})
    end = 3 * 0.8 ** 40
    assert not missed.passed
    assert missed.message.startswith(f"It ended at x = {end:.4g}, but the goal is within 0.01 "
                                     "of 2. It settled at the bottom of a valley (a minimum), "
                                     "but not the one the goal asks for")
    assert missed.diagnosis == "other_valley"


def test_end_near_two_variables_and_tolerance() -> None:
    goal = {"end_near": [1, -1], "tolerance": 0.001}
    fun = "(x-1)^2 + (y+1)^2"
    passed = check(goal, {"function": fun, "start": "0, 0", "iterations": 500,
                          "precision": 1e-6})
    assert passed.passed and passed.message.startswith("It ended at (x, y) = (1, -1)")
    short = check(goal, {"function": fun, "start": [0, 0], "iterations": 3})
    # Each update keeps 0.8 of the distance: after 3, x = 1 - 0.8^3.
    assert not short.passed
    assert short.message.startswith(f"It ended at (x, y) = ({1 - 0.8 ** 3:.4g}, "
                                    f"{-1 + 0.8 ** 3:.4g}), but the goal is within 0.001 of (1, -1).")
    assert short.message.endswith("It had not finished: 3 iterations and the step is still "
                                  "0.181. Try a learning rate of 0.5: that converges in 2 "
                                  "updates and ends at (x, y) = (1, -1).")


# ------------------------------------------------------------------ learning_rate_between

@pytest.mark.parametrize(("rate", "passed", "message"), [
    (0.5, True, "The learning rate 0.5 is between 0.4 and 0.6."),
    (0.7, False, "The learning rate 0.7 is above the goal (between 0.4 and 0.6)."),
    ("0.3", False, "The learning rate 0.3 is below the goal (between 0.4 and 0.6)."),
])
def test_learning_rate_between(rate: Any, passed: bool, message: str) -> None:
    outcome = check({"learning_rate_between": [0.4, 0.6]}, {"learning_rate": rate})
    assert (outcome.passed, outcome.message) == (passed, message)
    assert outcome.result is None  # no run needed for this goal alone


@pytest.mark.parametrize(("rate", "message"), [
    (0.5, "The learning rate 0.5 is too large for this goal; try a smaller one."),
    (0.1, "The learning rate 0.1 is too small for this goal; try a larger one."),
])
def test_a_narrow_rate_goal_is_not_given_away(rate: float, message: str) -> None:
    # [0.245, 0.255] is the answer itself (halve x each step): a miss says only which way.
    outcome = check({"learning_rate_between": [0.245, 0.255]}, {"learning_rate": rate})
    assert (outcome.passed, outcome.message) == (False, message)
    assert check({"learning_rate_between": [0.245, 0.255]}, {"learning_rate": 0.25}).passed


def test_every_goal_must_hold() -> None:
    outcome = check({"converge_within": 50, "end_near": [1]})
    assert not outcome.passed and "but the goal is within 0.01 of 1" in outcome.message
    both = check({"converge_within": 50, "learning_rate_between": [0.05, 0.2]})
    assert both.passed
    assert both.message == ("The learning rate 0.1 is between 0.05 and 0.2. "
                            "Converged in 40 updates; the goal was 50 or fewer.")


# ------------------------------------------------------------------ numeric and choice

def numeric(goal: dict[str, Any]) -> Exercise:
    return Exercise(id="n", lesson_slug="t", kind="numeric", goal=goal)


@pytest.mark.parametrize(("answer", "passed", "message"), [
    (40, True, "Right: 40."),
    ("40.00001", True, "Right: 40."),
    ("40.001", False, "Not quite: 40.001 is too large."),
    ("-40", False, "Not quite: -40 has the right size but the wrong sign; check the sign of "
                   "each term."),
    ("80", False, "Not quite: 80 is 2 times too large; look for a factor applied once too "
                  "often, or left out."),
    ("39", False, "Not quite: 39 is too small."),
    ("forty", False, "'forty' is not a number; type a number or a sum of numbers, "
                     "like 12, 0.5 or 3-0.6."),
    ("2x", False, "'2x' is not a number; type a number or a sum of numbers, "
                  "like 12, 0.5 or 3-0.6."),
    ("42-2", True, "Right: 40."),
    ("80/2", True, "Right: 40."),
    ("8*(6-1)", True, "Right: 40."),
    ("40/0", False, "'40/0' is not a number: the part at column 3 is undefined "
                    "(a division by zero)."),
    ("__import__('os')", False, "'__import__('os')' is not a number; type a number or a sum "
                                "of numbers, like 12, 0.5 or 3-0.6."),
    ("", False, "Type a number first, like 12 or 0.5."),
])
def test_numeric_answer_default_relative_tolerance(answer: Any, passed: bool, message: str) -> None:
    outcome = check_attempt(numeric({"answer": 40}), {"answer": answer})
    assert (outcome.passed, outcome.message) == (passed, message)


def test_numeric_answer_with_tolerance() -> None:
    exercise = numeric({"answer": 2.4, "tolerance": 0.001})
    assert check_attempt(exercise, {"answer": "2.4009"}).passed
    assert check_attempt(exercise, {"answer": "3-0.6"}).passed  # arithmetic, read safely
    assert check_attempt(numeric({"answer": 1 / 3}), {"answer": "1/3"}).passed
    assert check_attempt(numeric({"answer": 0.8}), {"answer": "2*0.4"}).passed
    assert not check_attempt(exercise, {"answer": 2.402}).passed


def test_choice() -> None:
    exercise = Exercise(id="c", lesson_slug="t", kind="choice", options=("0.1", "0.5", "1.5"),
                        goal={"choice": 3})
    assert check_attempt(exercise, {"choice": 3}) == Verdict(True, "Right: 1.5.")
    assert check_attempt(exercise, {"answer": "3"}).passed
    wrong = check_attempt(exercise, {"choice": 1})
    assert not wrong.passed
    assert wrong.message == 'Not that one: "0.1" is not the answer. Look again and try another.'
    assert check_attempt(exercise, {"choice": 7}).message == "Pick one of the options, 1 to 3."


# ------------------------------------------------------------------ fit

def test_fit_slope_near_uses_the_lesson_data() -> None:
    exercise = _fit_exercise()
    short = check_attempt(exercise, {"iterations": 3})
    assert not short.passed and short.message.startswith("The slope came out ")
    assert short.message.endswith("The fit had not finished: 3 iterations and it is still "
                                  "improving. Allow 30 iterations: that uses all 30 iterations "
                                  "with the slope at 1.967.")
    done = check_attempt(exercise, {"iterations": 1000})
    # The data lie around y = 2x + 1 with alternating +-0.5: least squares slope 130/66.
    assert done.passed and abs(done.result.slope - 130 / 66) < 1e-6
    assert done.message.startswith("The slope came out 1.97, on target.")  # not "of 1.97"
    loose = replace(exercise, goal={**exercise.goal, "slope_near": 2, "tolerance": 0.05})
    assert check_attempt(loose, {"iterations": 1000}).message.startswith(
        "The slope came out 1.97, within 0.05 of 2.")
    missing = check_attempt(exercise, {"data": "no-such-file.csv", "iterations": 1000})
    assert not missing.passed and "no-such-file.csv" in missing.message


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize(("inputs", "message"), [  # the same sentences as the pane's
    ({"learning_rate": "fast"}, "The learning rate must be a number, like 0.1, not 'fast'."),
    ({"learning_rate": -0.1}, "The learning rate must be greater than 0, like 0.1."),
    ({"iterations": 10 ** 9}, "The iteration limit must be a whole number from 1 to 1,000,000, "
                              "not '1000000000'."),
    ({"iterations": 2.5}, "The iteration limit must be a whole number from 1 to 1,000,000, "
                          "not '2.5'."),
    ({"precision": -1}, "The precision must be 0 or more, like 0.0001."),
    ({"method": "sgd"}, "The method must be one of gd, momentum, nesterov, adagrad, rmsprop, "
                        "adam, not 'sgd'."),
    ({"start": "1, 2"}, "This function has 1 variable (x), so the start needs 1 number, "
                        "like 1."),
    ({"start": "three"}, "The start must be a number, like 3, not 'three'."),
    ({"function": ""}, "Type a function first, for example x^2."),
])
def test_bad_inputs_give_one_sentence(inputs: dict[str, Any], message: str) -> None:
    outcome = check({"converge_within": 50}, inputs)
    assert (outcome.passed, outcome.message, outcome.result) == (False, message, None)


def test_unparseable_function_is_the_parsers_sentence() -> None:
    outcome = check({"converge_within": 50}, {"function": "x^^2"})
    assert not outcome.passed and outcome.message.startswith("unexpected '^' at column 3")
    assert outcome.message.endswith(".")


def test_other_methods_are_used() -> None:
    outcome = check({"converge_within": 100}, {"method": "momentum"})
    reference = minimize("x^2", [3.0], learning_rate=0.1, method="momentum")
    assert outcome.result.method == "momentum" and outcome.result.nit == reference.nit


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["function", "start", "learning_rate", "iterations",
                                        "precision", "method", "answer"]),
                       st.one_of(st.text(max_size=12), st.floats(), st.integers(-5, 10 ** 6))))
def test_check_attempt_never_raises(inputs: dict[str, Any]) -> None:
    inputs.setdefault("iterations", 50)
    outcome = check_attempt(run_exercise({"converge_within": 30}), inputs)
    assert isinstance(outcome.passed, bool) and outcome.message


# ------------------------------------------------------------------ what the learner may change

def test_one_update_is_singular() -> None:
    outcome = check({"converge_within": 1}, {"function": "x^2 - 6x + 10", "start": 3})
    assert outcome.message == "Converged in 1 update; the goal was 1 or fewer."


def test_unfinished_advice_names_only_what_the_learner_may_change() -> None:
    budget_only = {"editable": ("iterations",), "iterations": 20}
    outcome = check({"converge_within": 60}, {"iterations": 30}, **budget_only)
    step = 0.6 * 0.8 ** 29
    assert outcome.message == (f"Not yet: 30 iterations and the step is still {step:.4g}. "
                               "Allow 60 iterations: that converges in 40 updates.")
    fixed = check({"converge_within": 60}, {}, editable=(), iterations=20)
    assert fixed.message == "Not yet: 20 iterations and the step is still 0.008647."
    assert fixed.advice == ()  # nothing the learner may change, so nothing to advise


def test_a_function_with_no_lowest_point_is_named_as_such() -> None:
    # 2x slopes down forever: every step is 0.1 * 2 = 0.2 long, so more iterations never help.
    outcome = check({"end_near": [2]}, {"function": "2x"})
    assert not outcome.passed
    assert outcome.message == ("It ended at x = -17, but the goal is within 0.01 of 2. It had "
                               "not finished: after 100 iterations the cost is still falling, "
                               "and it keeps falling however far you go that way: this "
                               "function has no lowest point there (a sloping line like 2x "
                               "goes down forever); check the "
                               "function.")
    slow = check({"converge_within": 50}, {"function": "-x^2"})
    assert "this function has no lowest point there" in slow.message
    assert slow.diagnosis == "no_lowest_point" and slow.advice == ()
    # x^2 - y: the steps do get a little shorter (x settles), but y slides down forever
    tilted = check({"converge_within": 50}, {"function": "x^2 - y", "start": "1,1"})
    assert tilted.diagnosis == "no_lowest_point"
    far = check({"converge_within": 50}, {"start": "1000", "learning_rate": 0.0001})
    assert far.diagnosis == "crawling"  # a valley far away is not "no lowest point"
    crawl = check({"converge_within": 50}, {"learning_rate": 0.001})  # x^2: steps shrink
    assert "no lowest point" not in crawl.message


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_field_means_the_panes_default(blank: str) -> None:
    # the exercise pane runs 100 iterations, precision 0.0001 and gd for empty fields
    outcome = check({"converge_within": 60}, {"iterations": blank, "precision": blank,
                                              "method": blank}, iterations=20)
    assert outcome.passed and outcome.result.nit == 40
    assert not check({"converge_within": 60}, {"learning_rate": blank}).passed


# ------------------------------------------------------------------ data paths in a class

def _fit_exercise() -> Exercise:
    """The fixture's fit exercise, with the data file editable as well."""
    lesson = load_lessons(FIXTURES / "good").find("fitting")
    assert lesson is not None
    exercise = lesson.exercises[0]
    return replace(exercise, editable=(*exercise.editable, "data"))


def test_served_learners_cannot_fit_files_outside_the_data_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("x,y\n1,2\n2,4\n3,6\n")
    own = tmp_path / "learner"
    own.mkdir()
    (own / "mine.csv").write_text("x,y\n1,3\n2,5\n3,7\n")
    exercise = _fit_exercise()
    inputs = {"iterations": 1000}
    assert "The slope came out 2" in check_attempt(exercise, inputs | {"data": str(secret)}).message
    monkeypatch.setenv("GD_TUTOR_LEARNER", "ada")  # as `gd-tutor serve` starts a tutor
    monkeypatch.setenv("GD_TUTOR_DATA_DIR", str(own))
    policy = DataPolicy.from_environment()
    assert policy == DataPolicy(served=True, learner_folder=own)
    refused = ("In a class only the lesson data files (like anscombe1.csv) and files in your "
               "own data folder can be fitted.")
    escape = str(Path("..") / ".." / ".." / secret.relative_to("/"))
    for typed in (str(secret), escape, "/etc/passwd"):
        outcome = check_attempt(exercise, inputs | {"data": typed}, policy)
        assert (outcome.passed, outcome.message, outcome.result) == (False, refused, None)
    (own / "link.csv").symlink_to(secret)
    assert check_attempt(exercise, inputs | {"data": "link.csv"}, policy).message == refused
    assert check_attempt(exercise, inputs | {"data": "study.csv"}, policy).passed  # the lesson's
    mine = check_attempt(exercise, inputs | {"data": "mine.csv"}, policy)
    assert mine.message.startswith("The slope came out 2") and mine.result is not None
    mine_typed_whole = check_attempt(exercise, inputs | {"data": str(own / "mine.csv")}, policy)
    assert mine_typed_whole.result is not None


def test_precision_zero_means_run_to_the_limit_as_in_the_pane() -> None:
    outcome = check({"stop_at_limit": True}, {"precision": "0"})
    assert outcome.passed and outcome.result.nit == 100


def test_a_diverged_run_advises_what_the_learner_may_change() -> None:
    # lesson 7: x^4 - 3x^3 + 2 at rate 0.05, only the start editable; from 5 the first step
    # (0.05 * 275) flies past the valley
    goal = {"end_near": [2.25]}
    fields = {"function": "x^4 - 3x^3 + 2", "start": (-1.0,), "learning_rate": 0.05,
              "editable": ("start",)}
    outcome = check(goal, {"start": 5}, **fields)
    nit = minimize("x^4 - 3x^3 + 2", [5.0], learning_rate=0.05).nit
    assert outcome.message == (f"It stopped at iteration {nit}: the next step hit a number too "
                               "large for the computer (overflow). Try starting at 3.62: that "
                               "converges in 89 updates and ends at x = 2.25.")
    assert outcome.advice[0].set == {"start": [3.62]}
    assert check(goal, {"start": "3.62"}, **fields).passed
    rate = check({"converge_within": 20}, {"learning_rate": 1.5})
    assert rate.message.endswith("Try a learning rate of 0.75: that converges in 17 updates.")


@pytest.mark.parametrize("typed", ["-1,2", "-1, 2", "-1 2", "(-1, 2)", "[-1,2]", "-1;2"])
def test_a_start_typed_any_common_way_is_read_as_the_pane_reads_it(typed: str) -> None:
    goal = {"end_near": [-1, 2]}
    outcome = check(goal, {"function": "(x+1)^2 + (y-2)^2", "start": typed})
    assert outcome.passed and outcome.result.path[0].x == (-1.0, 2.0)


def test_a_missing_data_file_names_the_lesson_files() -> None:
    outcome = check_attempt(_fit_exercise(), {"data": "nope.csv", "iterations": 1000})
    assert (outcome.passed, outcome.message) == (
        False, "There is no data file 'nope.csv'. The lesson data files are study.csv. A file of "
        f"your own: its full path, or a path from {Path.cwd()}.")


def test_an_unscaled_fit_that_crawls_suggests_scaling_when_it_may_change() -> None:
    # lesson 10: houses.csv unscaled at rate 1e-7 crawls along the intercept
    houses = load_lessons(Path(__file__).resolve().parents[2] / "lessons").find("feature-scaling")
    assert houses is not None
    exercise = next(e for e in houses.exercises if e.kind == "fit")
    outcome = check_attempt(exercise, {})
    assert not outcome.passed and outcome.result.scaled is False
    assert outcome.message == ("Not yet: 1000 iterations and it is still improving; with x "
                               "unscaled the valley is long and narrow, so the steps crawl. "
                               "Tick scale x with a learning rate of 0.02: that converges in "
                               "573 updates with the intercept at 56.46.")
    assert outcome.diagnosis == "unscaled"
    assert check_attempt(exercise, {"scale": "true", "learning_rate": "0.1"}).passed


def test_when_only_the_method_may_change_the_advice_is_another_method() -> None:
    outcome = check({"converge_within": 50}, {}, editable=("method",), learning_rate=0.01)
    assert outcome.message.endswith("Try the method momentum: that converges in 93 updates, "
                                    "nearer the goal though not there yet.")
