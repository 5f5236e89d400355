"""Goals of a model fit (accuracy, training cost, test cost) and the words of its verdicts:
epochs and updates as the run counted them, never a one-variable diagnosis."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.lessons import load_lessons
from tutor.practice import attempt

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"
FRONT = "---\ntitle: Models\nslug: models\norder: 1\n---\n\n# Models\n\n"


def lesson_with(tmp_path: Path, block: str) -> tuple[object, tuple[object, ...]]:
    """Load a one-exercise lesson (with the shipped data files) from `block`."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.py"))
    (tmp_path / "01-models.md").write_text(FRONT + "```exercise\n" + block + "```\n",
                                           encoding="utf-8")
    lessons = load_lessons(tmp_path)
    exercises = lessons.lessons[0].exercises if lessons.lessons else ()
    return lessons, exercises


XOR = """id: xor
kind: fit
prompt: Split XOR.
data: xor.csv
x: [a, b]
y: label
model: logistic
hidden: 2
epochs: 3000
learning_rate: 0.5
editable: [hidden, seed]
goal: {accuracy_at_least: 1}
solution: {hidden: 3}
wrong: [{hidden: 2, seed: 7}]
"""


def test_accuracy_goal_passes_and_fails_with_epochs_in_its_words(tmp_path: Path) -> None:
    _, (exercise,) = lesson_with(tmp_path, XOR)
    right = attempt(exercise, {"hidden": "3"}).verdict
    assert right.passed and "4 of the 4 training rows right (accuracy 1)" in right.message
    wrong = attempt(exercise, {"hidden": "2", "seed": "7"}).verdict
    assert not wrong.passed and wrong.diagnosis == "accuracy_low"
    assert "only 2 of the 4 training rows right (accuracy 0.5)" in wrong.message and "epochs" in wrong.message
    assert "iteration" not in wrong.message and "lowest point" not in wrong.message


def test_a_model_run_at_its_limit_says_epochs_not_iterations(tmp_path: Path) -> None:
    block = """id: slow
kind: fit
prompt: Train it.
data: passed.csv
x: [hours]
y: passed
model: logistic
learning_rate: 0.1
iterations: 180
editable: [learning_rate]
goal: {converge_within: 180}
solution: {learning_rate: 5}
wrong: [{learning_rate: 0.1}]
"""
    _, (exercise,) = lesson_with(tmp_path, block)
    verdict = attempt(exercise, {"learning_rate": "0.1"}).verdict
    assert not verdict.passed and verdict.diagnosis == "epoch_limit"
    assert "stopped at the limit of 180 epochs" in verdict.message
    assert "iterations" not in verdict.message and "no lowest point" not in verdict.message


def test_mini_batches_count_epochs_and_updates(tmp_path: Path) -> None:
    block = """id: batches
kind: fit
prompt: Train it in batches.
data: houses-features.csv
x: [size_sqft]
y: price_k
batch_size: 6
epochs: 50
learning_rate: 0.1
editable: [batch_size]
goal: {cost_at_most: 660}
solution: {batch_size: 6}
wrong: [{batch_size: 1}]
"""
    _, (exercise,) = lesson_with(tmp_path, block)
    right = attempt(exercise, {"batch_size": "6"}).verdict
    assert right.passed and "training cost ended at 651" in right.message
    wrong = attempt(exercise, {"batch_size": "1"}).verdict
    assert not wrong.passed and wrong.diagnosis == "cost_high"
    assert "50 epochs (1200 updates)" in wrong.message


def test_test_cost_goal_names_overfitting(tmp_path: Path) -> None:
    block = """id: penalty
kind: fit
prompt: Add a penalty.
data: curve.csv
x: [x, x2, x3, x4, x5, x6, x7, x8]
y: y
test_fraction: 0.3
epochs: 5000
editable: [l2]
goal: {test_cost_at_most: 0.05}
solution: {l2: 0.1}
wrong: [{l2: 0}]
"""
    _, (exercise,) = lesson_with(tmp_path, block)
    assert attempt(exercise, {"l2": "0.1"}).verdict.passed
    wrong = attempt(exercise, {"l2": "0"}).verdict
    assert not wrong.passed and wrong.diagnosis == "overfitting"
    assert "test cost ended at 0.142" in wrong.message


@pytest.mark.parametrize(("lines", "goal", "words"), [
    ("model: logistic\nx: [hours]\ny: passed\ndata: passed.csv\n", "slope_near: 1.9",
     "no single slope"),
    ("x: [size_sqft, rooms]\ny: price_k\ndata: houses-features.csv\n",
     "intercept_near: 57", "no single slope or intercept"),
    ("x: [size_sqft, rooms]\ny: price_k\ndata: houses-features.csv\n",
     "accuracy_at_least: 0.9", "accuracy needs a classification"),
    ("model: logistic\nx: [hours]\ny: passed\ndata: passed.csv\n", "test_cost_at_most: 0.3",
     "there is no test set"),
    ("model: logistic\nx: [hours]\ny: passed\ndata: passed.csv\n", "accuracy_at_least: 93",
     "a share from 0 to 1"),
    ("model: logistic\nx: [hours]\ny: passed\ndata: passed.csv\n", "end_near: [1]",
     "no end point"),
])
def test_a_goal_that_makes_no_sense_is_one_sentence_naming_it(tmp_path: Path, lines: str,
                                                              goal: str, words: str) -> None:
    block = f"id: odd\nkind: fit\nprompt: Fit.\n{lines}goal: {{{goal}}}\nsolution: {{}}\nwrong: []\n"
    lessons, exercises = lesson_with(tmp_path, block)
    assert exercises == ()
    (problem,) = [p for p in lessons.problems if "exercise 'odd'" in p.message]
    key = goal.split(":")[0]
    assert f"lesson 'models', exercise 'odd': the goal '{key}' makes no sense" in problem.message
    assert words in problem.message and problem.message.count(". ") == 0
    goal_line = 8 + 1 + block.splitlines().index(f"goal: {{{goal}}}") + 1
    assert problem.line == goal_line


def test_model_goals_on_a_descent_are_refused(tmp_path: Path) -> None:
    block = ("id: odd\nkind: run\nfunction: x^2\nstart: 3\ngoal: {cost_at_most: 1}\n"
             "solution: {}\nwrong: []\n")
    lessons, exercises = lesson_with(tmp_path, block)
    assert exercises == ()
    assert any("only a fit has a cost" in p.message for p in lessons.problems)


def test_a_line_goal_reaching_the_model_judge_is_a_sentence_not_a_crash(tmp_path: Path) -> None:
    from tutor.practice.model_verdicts import judge_model

    _, (exercise,) = lesson_with(tmp_path, XOR)
    done = attempt(exercise, {"hidden": "3"})
    finding = judge_model({"slope_near": 1.0}, done.verdict.result, done.settings)
    assert not finding.passed and finding.diagnosis == "goal_not_for_model"
    assert "cannot be judged on a model fit" in finding.message


def test_the_sweep_catches_a_message_with_the_wrong_epoch_count() -> None:
    from types import SimpleNamespace

    from tutor.practice.judging import Verdict
    from tutor.practice.sweep import _contradictions

    run = SimpleNamespace(status="converged", nit=1200, epochs=50, path=None)
    right = Verdict(True, "Converged after 50 epochs (1200 updates); the goal was 60.", result=run)
    wrong = Verdict(False, "Converged after 1200 epochs, but the goal is 60.", result=run)
    assert _contradictions(right) == []
    assert "says 1200 epochs" in _contradictions(wrong)[0]
