"""Judge a finished run against an exercise's goals, with a reason a learner understands.

Each judge returns `(passed, message)` and adds what it advises, as data, to the
`advice` list it is given. Failure messages say what happened ("It diverged at
iteration 7: the cost grew every step.") and what to try ("Try a smaller
learning rate."); the advice says the same as field changes
(`Advice({"learning_rate": 0.75}, "Try a smaller learning rate.")`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tutor.lessons.schema import MAX_ITERATIONS


class RunSettings(Protocol):
    """What the judges need to know about the settings a run used."""

    learning_rate: float
    iterations: int


@dataclass(frozen=True)
class Advice:
    """One suggestion: the fields to change and the words that say why. A value of None
    means "change this field" where no single value can be named (a start, a function)."""

    set: Mapping[str, Any]
    why: str


Verdict = tuple[bool, str]
Said = list[Advice]
END_TOLERANCE = 0.01
FIT_TOLERANCE = 0.01


def _fmt(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def _last_steps(result: Any) -> list[list[float]]:
    """The last two moves of a descent run (empty for a fit or a short path)."""
    path = getattr(result, "path", None)
    if path is None or len(path) < 2:
        return []
    points = [list(path[i].x) for i in range(max(0, len(path) - 3), len(path))]
    return [[b - a for a, b in zip(p, q)] for p, q in zip(points, points[1:])]


def _bouncing(result: Any) -> bool:
    steps = _last_steps(result)
    if len(steps) < 2:
        return False
    return sum(a * b for a, b in zip(steps[-2], steps[-1])) < 0


def _step_size(result: Any) -> float | None:
    steps = _last_steps(result)
    return math.sqrt(sum(v * v for v in steps[-1])) if steps else None


def _cost(result: Any) -> float:
    return float(getattr(result, "fun", getattr(result, "cost", math.nan)))


def _nice(value: float) -> float:
    return float(f"{value:.6g}")


def smaller_rate(settings: RunSettings | None, result: Any = None) -> Advice:
    """Half the rate the run used."""
    rate = getattr(settings, "learning_rate", None) or getattr(result, "learning_rate", 0.1)
    return Advice({"learning_rate": _nice(rate / 2)}, "a smaller learning rate")


def larger_rate(settings: RunSettings) -> Advice:
    """Twice the rate the run used."""
    return Advice({"learning_rate": _nice(settings.learning_rate * 2)}, "a larger learning rate")


def more_iterations(settings: RunSettings) -> Advice:
    """Ten times the iteration limit (up to the highest allowed)."""
    return Advice({"iterations": min(MAX_ITERATIONS, settings.iterations * 10)},
                  "more iterations")


def _said(advice: Said, *items: Advice) -> None:
    advice.extend(items)


def diverged_message(result: Any, settings: RunSettings | None = None,
                     advice: Said | None = None) -> str:
    """Why a diverged run failed, and what to try (what the learner may change)."""
    advice = [] if advice is None else advice
    how = ("the cost blew up beyond any number" if not math.isfinite(_cost(result))
           else "the cost grew every step")
    if settings is None or _may_edit(settings, "learning_rate"):
        tip = Advice(smaller_rate(settings, result).set, "Try a smaller learning rate.")
    elif _may_edit(settings, "start"):
        tip = Advice({"start": None}, "Try a start closer to the bottom, where the slope is "
                     "gentler.")
    elif _may_edit(settings, "function"):
        tip = Advice({"function": None}, "Check the function: this one sends the steps further "
                     "each time.")
    else:
        tip = Advice(smaller_rate(settings, result).set, "Try a smaller learning rate.")
    _said(advice, tip)
    return f"It diverged at iteration {result.nit}: {how}. {tip.why}"


def _updates(count: int) -> str:
    return f"{count} update" if count == 1 else f"{count} updates"


def _may_edit(settings: RunSettings, key: str) -> bool:
    editable = getattr(settings, "editable", None)
    return editable is None or key in editable


def endless_slide(result: Any) -> bool:
    """True when plain descent used every iteration while the cost kept falling and the
    steps never got shorter: the function has no lowest point along the way (2x, -x^2)."""
    path = getattr(result, "path", None)
    if (getattr(result, "method", "gd") != "gd" or path is None or len(path) < 3
            or result.status != "max_iterations" or _bouncing(result)):
        return False
    first = math.dist(path[0].x, path[1].x)
    last = math.dist(path[-2].x, path[-1].x)
    return first > 0 and last >= first * (1 - 1e-9) and path[-1].cost < path[0].cost


NO_BOTTOM = ("the cost kept falling just as fast and the steps never got shorter, so this "
             "function seems to have no lowest point (a sloping line like 2x goes down forever); "
             "check the function.")


def _faster_advice(settings: RunSettings, advice: Said) -> str:
    both = (more_iterations(settings), larger_rate(settings))
    if _may_edit(settings, "learning_rate") and _may_edit(settings, "iterations"):
        _said(advice, *both)
        return "more iterations, or a larger learning rate, would help."
    if _may_edit(settings, "learning_rate"):
        _said(advice, both[1])
        return "a larger learning rate would move faster."
    if _may_edit(settings, "iterations"):
        _said(advice, both[0])
        return "allow more iterations."
    if _may_edit(settings, "method"):
        _said(advice, Advice({"method": "momentum"}, "another method"))
        return "another method (momentum, adam...) may get there in time."
    _said(advice, *both)
    return "it needs more iterations or a larger learning rate."


def _fit_advice(result: Any, settings: RunSettings, advice: Said) -> str:
    if getattr(result, "scaled", True) is False and _may_edit(settings, "scale"):
        _said(advice, Advice({"scale": True}, "scaling x"))
        return "scaling x (tick scale x) would round the valley and speed it up."
    if _may_edit(settings, "learning_rate") and _may_edit(settings, "iterations"):
        _said(advice, more_iterations(settings), larger_rate(settings))
        return "more iterations or a larger learning rate would help."
    return _faster_advice(settings, advice)


def unfinished_message(result: Any, settings: RunSettings, advice: Said | None = None) -> str:
    """Why a run that used every iteration is not there yet, and what to try (only
    suggesting what the learner may change)."""
    advice = [] if advice is None else advice
    step = _step_size(result)
    if endless_slide(result):
        _said(advice, Advice({"function": None}, "check the function"))
        return f"Not yet: after {result.nit} iterations {NO_BOTTOM}"
    if step is None:
        return (f"Not yet: {result.nit} iterations and it is still improving; "
                f"{_fit_advice(result, settings, advice)}")
    if _bouncing(result):
        if _may_edit(settings, "learning_rate"):
            _said(advice, smaller_rate(settings))
            settle = "a smaller learning rate would settle faster."
        else:
            _said(advice, more_iterations(settings))
            settle = "it needs more iterations to settle."
        return (f"Not yet: {result.nit} iterations and it is still bouncing from side to side "
                f"(step {_fmt(step)}); {settle}")
    return (f"Not yet: {result.nit} iterations and the step is still {_fmt(step)}; "
            f"{_faster_advice(settings, advice)}")


def _converge_within(limit: Any, result: Any, settings: RunSettings, advice: Said) -> Verdict:
    limit = int(limit)
    if result.status == "diverged":
        return False, diverged_message(result, settings, advice)
    if result.status != "converged":
        return False, unfinished_message(result, settings, advice)
    if result.nit > limit:
        return False, f"Converged in {_updates(result.nit)}, but the goal is {limit} or fewer."
    return True, f"Converged in {_updates(result.nit)}; the goal was {limit} or fewer."


def _diverge(wanted: Any, result: Any, settings: RunSettings, advice: Said) -> Verdict:
    if not wanted:
        if result.status == "diverged":
            return False, diverged_message(result, settings, advice)
        return True, "It did not diverge."
    if result.status == "diverged":
        return True, f"It diverged at iteration {result.nit}, as hoped: each step overshot."
    _said(advice, larger_rate(settings))
    if result.status == "converged":
        return False, (f"It converged in {result.nit} updates instead of diverging; "
                       "a larger learning rate would overshoot more.")
    return False, (f"It used all {result.nit} iterations without blowing up; "
                   "try a larger learning rate.")


def _stop_at_limit(wanted: Any, result: Any, settings: RunSettings, advice: Said) -> Verdict:
    at_limit = result.status == "max_iterations"
    if bool(wanted) == at_limit:
        return True, (f"It used all {result.nit} iterations without converging." if at_limit
                      else f"It finished before the limit of {settings.iterations}.")
    if result.status == "diverged":
        return False, diverged_message(result, settings, advice)
    if wanted:
        _said(advice, smaller_rate(settings),
              Advice({"iterations": max(1, settings.iterations // 2)}, "fewer iterations"))
        return False, (f"It converged in {result.nit} updates, before the limit of "
                       f"{settings.iterations}; a smaller learning rate or fewer iterations "
                       "would leave it unfinished.")
    return False, unfinished_message(result, settings, advice)


def _point_text(names: Sequence[str], values: Sequence[float]) -> str:
    shown = ", ".join(_fmt(v) for v in values)
    if len(values) == 1:
        return f"{names[0] if names else 'x'} = {shown}"
    return f"({', '.join(names)}) = ({shown})"


def _end_near(target: Any, result: Any, settings: RunSettings, tolerance: float,
              advice: Said) -> Verdict:
    want = [float(v) for v in (target if isinstance(target, (list, tuple)) else [target])]
    got = [float(v) for v in result.x]
    names = list(getattr(result, "variables", ()))
    if len(want) != len(got):
        return False, (f"The goal point has {len(want)} number(s) but the run has "
                       f"{len(got)} variable(s).")
    if result.status == "diverged":
        return False, diverged_message(result, settings, advice)
    distance = max(abs(a - b) for a, b in zip(want, got))
    where = _point_text(names, got)
    if distance <= tolerance:
        return True, f"It ended at {where}, within {_fmt(tolerance)} of the target."
    message = (f"It ended at {where}, but the goal is within {_fmt(tolerance)} of "
               f"{_point_text(names, want).split(' = ')[1]}.")
    if endless_slide(result):
        _said(advice, Advice({"function": None}, "check the function"))
        message += " It had not finished: " + NO_BOTTOM
    elif result.status == "max_iterations":
        message += f" It had not finished; {_faster_advice(settings, advice)}"
    return False, message


def _near(name: str, target: Any, result: Any, tolerance: float, settings: RunSettings,
          advice: Said) -> Verdict:
    got, want = float(getattr(result, name)), float(target)
    if abs(got - want) <= tolerance:
        return True, f"The {name} came out {_fmt(got)}, within {_fmt(tolerance)} of {_fmt(want)}."
    message = (f"The {name} came out {_fmt(got)}, but it should be within {_fmt(tolerance)} "
               f"of {_fmt(want)}.")
    if result.status == "diverged":
        _said(advice, smaller_rate(settings))
        message += " The fit diverged: try a smaller learning rate."
    elif result.status != "converged":
        message += f" The fit had not finished; {_fit_advice(result, settings, advice)}"
    return False, message


def judge_run(goal: Mapping[str, Any], result: Any, settings: RunSettings,
              advice: Said | None = None) -> Verdict:
    """Test every run goal in `goal` against `result`; the first failure decides (and what
    it advises is added to `advice`)."""
    advice = [] if advice is None else advice
    tolerance = goal.get("tolerance")
    judges: list[Callable[[], Verdict]] = []
    if "converge_within" in goal:
        judges.append(lambda: _converge_within(goal["converge_within"], result, settings,
                                                     advice))
    if "diverge" in goal:
        judges.append(lambda: _diverge(goal["diverge"], result, settings, advice))
    if "stop_at_limit" in goal:
        judges.append(lambda: _stop_at_limit(goal["stop_at_limit"], result, settings, advice))
    if "end_near" in goal:
        tol = END_TOLERANCE if tolerance is None else float(tolerance)
        judges.append(lambda: _end_near(goal["end_near"], result, settings, tol, advice))
    for name in ("slope", "intercept"):
        if f"{name}_near" in goal:
            tol = FIT_TOLERANCE if tolerance is None else float(tolerance)
            judges.append(lambda n=name, t=tol: _near(n, goal[f"{n}_near"], result, t, settings,
                                                            advice))
    passes: list[str] = []
    for judge in judges:
        advice.clear()
        ok, message = judge()
        if not ok:
            return False, message
        passes.append(message)
    advice.clear()
    return True, " ".join(passes)
