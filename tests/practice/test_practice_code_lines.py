"""Every catalogued mistake, typed into a lesson's own code the way a learner would, is named
at the learner's line that differs (or just below the line where something is missing).

The changed references run through the real sandbox (all in one run), so this also proves
the catalogue's numbers are those of real code with that mistake.
"""

from __future__ import annotations

import pytest

from tutor.lessons import default_lessons_dir, load_lessons
from tutor.lessons.model import Exercise
from tutor.practice.code import judge_code, outcome_from_numbers
from tutor.practice.codelines import Spot, differences, locate
from tutor.practice.mistakes import for_check

EXERCISES = {e.id: e for lesson in load_lessons(default_lessons_dir()).lessons
             for e in lesson.exercises if e.code is not None}

UPDATE = "new_x = previous_x - learning_rate * slope"
STOP = "if step_size < precision:"
SIZE = "step_size = abs(new_x - previous_x)"
# (exercise, mistake, text in the reference, the learner's text, the line to be named, how)
WRITTEN = [
    ("update-line", "sign_flipped", UPDATE, "new_x = previous_x + learning_rate * slope",
     "new_x = previous_x", "at"),
    ("update-line", "cost_not_slope", UPDATE,
     "new_x = previous_x - learning_rate * cost_fn.subs(x, previous_x)", "new_x = previous_x", "at"),
    ("update-line", "rate_twice", UPDATE,
     "new_x = previous_x - learning_rate * learning_rate * slope", "new_x = previous_x", "at"),
    ("write-it", "sign_flipped", UPDATE, "new_x = previous_x + learning_rate * slope",
     "new_x = previous_x", "at"),
    ("write-it", "cost_not_slope", "slope = df(previous_x)",
     "slope = float(cost_fn.subs(x, previous_x))", "slope =", "at"),
    ("write-it", "cost_not_slope", "df = lambdify(x, cost_fn.diff(x))",
     "df = lambdify(x, cost_fn)", "df =", "at"),
    ("write-it", "no_precision_stop", f"x_list.append(new_x)\n        {SIZE}\n        {STOP}\n"
     "            break\n", "x_list.append(new_x)\n", "x_list.append", "below"),
    ("write-it", "stop_inverted", STOP, "if step_size >= precision:", "if step_size", "at"),
    ("write-it", "stop_tests_x", "step_size = abs(new_x - previous_x)",
     "step_size = abs(new_x)", "step_size =", "at"),
    ("write-it", "previous_not_updated", "previous_x = new_x", "previous_x = initial_guess",
     "previous_x =", "at"),
    ("write-it", "rate_twice", UPDATE,
     "new_x = previous_x - learning_rate * learning_rate * slope", "new_x = previous_x", "at"),
    ("write-it", "last_update_dropped", f"x_list.append(new_x)\n        {SIZE}\n        {STOP}\n"
     "            break\n", f"{SIZE}\n        {STOP}\n            break\n"
     "        x_list.append(new_x)\n", "x_list.append", "at"),
    ("update-line", "cost_not_slope", UPDATE,
     "new_x = previous_x - learning_rate * previous_x**2", "new_x = previous_x", "at"),
    ("write-it", "return_in_loop", "    return x_list", "        return x_list", "return", "at"),
    ("write-it", "stop_before_update", f"previous_x = new_x\n        # calculate the error: "
     f"the slope there\n        slope = df(previous_x)\n        # learn: step against the "
     f"slope\n        {UPDATE}\n        x_list.append(new_x)\n        {SIZE}\n        {STOP}\n"
     "            break\n", "previous_x = new_x\n        if abs(new_x - previous_x) < "
     "precision:\n            break\n        slope = df(previous_x)\n        "
     f"{UPDATE}\n        x_list.append(new_x)\n", "if abs", "at"),
    ("write-it", "append_before_update", f"{UPDATE}\n        x_list.append(new_x)",
     f"x_list.append(new_x)\n        {UPDATE}", "x_list.append", "at"),
    ("write-it", "loop_one_short", "range(max_iterations)", "range(max_iterations - 1)",
     "for n", "at"),
    ("write-it", "loop_one_long", "range(max_iterations)", "range(1 + max_iterations)",
     "for n", "at"),
    ("mse-in-python", "mse_sum_not_mean", "return total / len(xs)", "return total", "return",
     "at"),
    ("mse-in-python", "mse_n_minus_1", "return total / len(xs)",
     "return total / (len(xs) - 1)", "return", "at"),
    ("mse-in-python", "mse_not_squared", "total += error ** 2", "total += error", "total +=",
     "at"),
    ("mse-in-python", "mse_overwritten", "total += error ** 2", "total = error ** 2",
     "total = error", "at"),
    ("mse-in-python", "mse_return_in_loop", "    return total / len(xs)",
     "        return total / len(xs)", "return", "at"),
    ("step-in-python", "step_no_mean", "grad_slope += 2 * error * x / n\n"
     "        grad_intercept += 2 * error / n", "grad_slope += 2 * error * x\n"
     "        grad_intercept += 2 * error", "grad_slope +=", "at"),
    ("step-in-python", "step_update_in_loop", "    return [slope - learning_rate * grad_slope,"
     "\n            intercept - learning_rate * grad_intercept]",
     "        slope = slope - learning_rate * grad_slope\n        intercept = intercept - "
     "learning_rate * grad_intercept\n    return [slope, intercept]", "slope = slope", "at"),
    ("step-in-python", "step_update_in_loop", "    return [slope - learning_rate * grad_slope,"
     "\n            intercept - learning_rate * grad_intercept]",
     "        return [slope - learning_rate * grad_slope,\n                intercept - "
     "learning_rate * grad_intercept]", "return", "at"),
    ("step-in-python", "step_untouched", "    return [slope - learning_rate * grad_slope,"
     "\n            intercept - learning_rate * grad_intercept]", "    return [slope, intercept]",
     "return", "at"),
    ("step-in-python", "step_sign_flipped", "slope - learning_rate * grad_slope,\n"
     "            intercept - learning_rate", "slope + learning_rate * grad_slope,\n"
     "            intercept + learning_rate", "return", "at"),
    ("step-in-python", "step_slope_without_x", "grad_slope += 2 * error * x / n",
     "grad_slope += 2 * error / n", "grad_slope +=", "at"),
    ("step-in-python", "step_no_factor_2", "grad_slope += 2 * error * x / n\n"
     "        grad_intercept += 2 * error / n", "grad_slope += error * x / n\n"
     "        grad_intercept += error / n", "grad_slope +=", "at"),
]


def _written(exercise: Exercise, old: str, new: str) -> str:
    reference = exercise.code.reference
    assert reference.count(old) == 1, old
    return reference.replace(old, new)


def _line(source: str, marker: str) -> int:
    lines = [n for n, text in enumerate(source.splitlines(), 1) if text.strip().startswith(marker)]
    assert len(lines) == 1, (marker, lines)
    return lines[0]


def _run_all(sources: list[tuple[Exercise, str]]) -> list[tuple]:
    """Every written mistake's numbers from ONE sandbox run (one child, not twenty): each
    source's function is renamed f_<i> and `dispatch(i, ...)` calls it."""
    from tutor.practice.codechecks import CHECKS
    from tutor.sandbox import run_code

    module = "\n".join(src.replace(f"def {ex.code.entry}(", f"def f_{i}(")
                       for i, (ex, src) in enumerate(sources))
    module += "\n\ndef dispatch(i, *args):\n    return globals()['f_%d' % i](*args)\n"
    calls = [(i, case) for i, (ex, _) in enumerate(sources) for case in ex.code.cases]
    run = run_code(module, "dispatch", [{"args": [i, *CHECKS[sources[i][0].code.check].args(c)]}
                                        for i, c in calls], wall_s=5.0, cpu_s=60)
    assert run.ok, [c.error for c in run.cases if not c.ok]
    values: list[list] = [[] for _ in sources]
    for (i, _), result in zip(calls, run.cases):
        values[i].append(result.value)
    return [tuple(v) for v in values]


def test_every_catalogued_mistake_of_the_lessons_is_written_here() -> None:
    for exercise_id, checked in (("write-it", "path"), ("mse-in-python", "mse"),
                                 ("step-in-python", "step")):
        written = {key for ex, key, *_ in WRITTEN if ex == exercise_id}
        assert written == {m.key for m in for_check(checked)}


def test_each_mistake_is_named_at_the_line_that_differs() -> None:
    sources = [(EXERCISES[ex], _written(EXERCISES[ex], old, new))
               for ex, _, old, new, _, _ in WRITTEN]
    wrong = []
    for (exercise, code), values, (_, key, _, _, marker, how) in zip(
            sources, _run_all(sources), WRITTEN):
        verdict = judge_code(exercise, outcome_from_numbers(exercise.code, values, code))
        where = f"Look {Spot(_line(code, marker), how).words()}, "
        if verdict.diagnosis != key or where not in verdict.message:
            wrong.append((exercise.id, key, where, verdict.message))
    assert wrong == []


def test_code_written_differently_says_near_when_it_cannot_be_sure() -> None:
    reference = EXERCISES["write-it"].code.reference
    mine = reference.replace("new_x = initial_guess", "new_x = float(initial_guess)")
    mine = mine.replace("step_size = abs(new_x - previous_x)", "size = abs(new_x - previous_x)")
    mine = mine.replace(STOP, "if size > precision:")
    assert locate(mine, reference, r"^\s*if\b") == Spot(_line(mine, "if size"))
    assert locate(mine, reference, r"\bsize\b") == Spot(_line(mine, "size ="), "near")


def test_comments_spacing_and_pass_are_not_differences() -> None:
    reference = "def f(x):\n    y = x + 1\n    return y\n"
    mine = "def f(x):  # mine\n    pass\n    # y is one more\n    y=x+1\n\n    return y\n"
    assert differences(mine, reference) == []
    assert differences(mine.replace("x+1", "x+2"), reference) == [("changed", [4])]
