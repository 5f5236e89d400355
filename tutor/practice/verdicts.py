"""Judge a finished run against an exercise's goals: what happened, and why, cause first.

Each judge returns a `Finding`: whether the goal holds, a message that says what
happened and its cause ("It fell for 220 steps, then the cost grew on each of
the last 10: it diverged at iteration 233."), a diagnosis key a teacher's view
can group by, and the directions worth trying (a field and candidate values,
nearest first). The judging layer tries those directions before it says any of
them (`tutor.practice.advice`): no advice here is ever shown untried.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from tutor.lessons.schema import MAX_ITERATIONS, METHODS
from tutor.wording import plural

END_TOLERANCE = 0.01
FIT_TOLERANCE = 0.01
RISING = 10
"""Rising steps the engine counts as divergence (kernel.RISING_LIMIT)."""


def _fmt(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


class RunSettings(Protocol):
    """What the judges need to know about the settings a run used."""

    learning_rate: float
    iterations: int


@dataclass(frozen=True)
class Advice:
    """One suggestion that was tried and passed: the fields to change and the words that
    say so ("Try a learning rate of 0.05: that converges in 40 updates.")."""

    set: Mapping[str, Any]
    why: str


@dataclass(frozen=True)
class Verdict:
    """Did the attempt pass, one message saying why (cause first), advice that was tried
    and passed (as data), the run that was judged (a DescentResult or FitResult; None when
    nothing ran), and a diagnosis key a teacher's view can group wrong attempts by."""

    passed: bool
    message: str
    advice: tuple[Advice, ...] = ()
    result: Any = None
    diagnosis: str | None = None
    explain: str = ""


@dataclass(frozen=True)
class Direction:
    """A change worth trying: one field and its candidate values, nearest first."""

    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    """One goal judged: passed, what happened (cause first), a diagnosis key, what to try."""

    passed: bool
    message: str
    diagnosis: str | None = None
    directions: tuple[Direction, ...] = field(default=())


# ----------------------------------------------------------------------------- the run's shape


def _points(result: Any) -> list[tuple[float, ...]]:
    path = getattr(result, "path", None)
    if path is None:
        return []
    return [tuple(path[i].x) for i in range(max(0, len(path) - 3), len(path))]


def _last_steps(result: Any) -> list[list[float]]:
    """The last two moves of a descent run (empty for a fit or a short path)."""
    points = _points(result)
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


def _costs(result: Any) -> list[float]:
    path = getattr(result, "path", None)
    if path is not None:
        return list(path.costs)
    return list(getattr(result, "costs", []))


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


NO_BOTTOM = ("the cost is still falling, and it keeps falling however far you go that way: "
             "this function has no lowest point there (a sloping line like 2x goes down "
             "forever); check the function.")


def _updates(count: int) -> str:
    return plural(count, "update")


def _may_edit(settings: RunSettings, key: str) -> bool:
    editable = getattr(settings, "editable", None)
    return editable is None or key in editable


def diverged_finding(result: Any) -> tuple[str, str]:
    """What a diverged run did, by its real pattern: (message, diagnosis key)."""
    n = result.nit
    if getattr(result, "reason", "") in ("fault", "start_fault"):
        fault = str(result.message).split(": ", 1)[-1].split(";")[0].rstrip(".")
        return f"It stopped at iteration {n}: {fault}.", "math_fault"
    costs = [c for c in _costs(result) if math.isfinite(c)]
    falls = _fall_before_rise(costs)
    if n <= 3:
        return (f"It blew up at once: after {_updates(n)} the cost was already far beyond "
                "the start.", "diverged_at_once")
    if falls >= RISING:
        return (f"The cost fell for {falls} steps, then grew on each of the last {RISING}: "
                f"it diverged at iteration {n}.", "diverged_after_fall")
    if _bouncing(result) or _alternating(result):
        return (f"It diverged at iteration {n}: each step overshot further than the last, "
                "swinging from side to side (oscillating).", "diverged_oscillating")
    how = ("the cost blew up beyond any number" if not math.isfinite(_cost(result))
           else "the cost grew every step")
    return f"It diverged at iteration {n}: {how}.", "diverged"


def _fall_before_rise(costs: list[float]) -> int:
    """How many steps the cost mostly fell before the final run of rising steps began
    (0 when it rose from the start)."""
    end = len(costs) - 1
    while end > 0 and costs[end] > costs[end - 1]:
        end -= 1
    if end <= 0 or min(costs[: end + 1]) >= costs[0]:
        return 0
    return end


def _alternating(result: Any) -> bool:
    path = getattr(result, "path", None)
    if path is None or len(path) < 4:
        return False
    xs = [path[i].x[0] for i in range(len(path))]
    steps = [b - a for a, b in zip(xs, xs[1:]) if math.isfinite(b - a)]
    return len(steps) >= 3 and all(s * t < 0 for s, t in zip(steps, steps[1:]))


# ----------------------------------------------------------------------------- directions


def _nice(value: float) -> float:
    return float(f"{value:.3g}")


USUAL_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
"""Rates a learner would think of trying, as well as multiples of their own."""


def smaller_rates(rate: float) -> tuple[float, ...]:
    """Rates below `rate`, nearest first."""
    picks = {_nice(rate * f) for f in (0.75, 0.5, 0.3, 0.2, 0.1, 0.05, 0.01)}
    picks |= {r for r in USUAL_RATES if r < rate}
    return tuple(sorted((r for r in picks if 0 < r < rate), reverse=True))


def larger_rates(rate: float) -> tuple[float, ...]:
    """Rates above `rate`, nearest first."""
    picks = {_nice(rate * f) for f in (1.5, 2, 3, 5, 10, 20)} | {r for r in USUAL_RATES if r > rate}
    return tuple(sorted(r for r in picks if r > rate))


def more_iterations(count: int) -> tuple[int, ...]:
    """Iteration limits above `count`, up to the highest allowed."""
    return tuple(dict.fromkeys(min(MAX_ITERATIONS, count * f) for f in (2, 5, 10, 100)
                               if count * f <= MAX_ITERATIONS * 10))


def fewer_iterations(count: int) -> tuple[int, ...]:
    """Iteration limits below `count`."""
    return tuple(dict.fromkeys(max(1, count // f) for f in (2, 5, 10, 20)))


def _directions(settings: RunSettings, *wanted: tuple[str, tuple[Any, ...]]) -> tuple[Direction, ...]:
    """The wanted directions the learner may take (fields they may edit), empty ones dropped."""
    return tuple(Direction(key, values) for key, values in wanted
                 if values and _may_edit(settings, key))


def _slower(settings: RunSettings) -> tuple[str, tuple[Any, ...]]:
    return ("learning_rate", smaller_rates(settings.learning_rate))


def _faster(settings: RunSettings) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    method = getattr(settings, "method", "gd")
    return (("learning_rate", larger_rates(settings.learning_rate)),
            ("iterations", more_iterations(settings.iterations)),
            ("method", tuple(m for m in METHODS if m != method)),
            ("scale", (True,) if getattr(settings, "scale", True) is False else ()))


def _starts(settings: RunSettings, target: Sequence[float] | None) -> tuple[str, tuple[Any, ...]]:
    """Starts part of the way from the learner's start toward the target (never the target)."""
    start = getattr(settings, "start", None)
    if start is None or target is None or len(target) != len(start):
        return ("start", ())
    picks = []
    for share in (0.25, 0.5, 0.75):
        point = tuple(_nice(a + share * (b - a)) for a, b in zip(start, target))
        picks.append(point)
    return ("start", tuple(dict.fromkeys(picks)))


# ----------------------------------------------------------------------------- judges


def unbounded_along_path(result: Any, value: Callable[[Sequence[float]], float] | None) -> bool:
    """True when f keeps falling far beyond where the run stopped, along its last step:
    there is no lowest point that way (2x, -x^2, x^2 - y). "Far" is thousands of times the
    size of the numbers involved, so a slow run toward a distant valley is not mistaken."""
    path = getattr(result, "path", None)
    if value is None or path is None or len(path) < 2:
        return False
    end, before = path[-1].x, path[-2].x
    step = [b - a for a, b in zip(before, end)]
    length = math.sqrt(sum(v * v for v in step))
    if length == 0 or not math.isfinite(length):
        return False
    scale = max(1.0, math.sqrt(sum(v * v for v in end)))
    costs = [float(value(end))]
    for far in (10.0, 1e3, 1e6):
        point = [e + far * scale * v / length for e, v in zip(end, step)]
        costs.append(float(value(point)))
    return all(not math.isnan(c) for c in costs) and all(
        b < a - 1e-9 * max(1.0, abs(a)) for a, b in zip(costs, costs[1:]))


def _unfinished(result: Any, settings: RunSettings,
                value: Callable[[Sequence[float]], float] | None = None) -> Finding:
    """A run that used every iteration: why it is not there yet, cause first."""
    step = _step_size(result)
    n = result.nit
    if getattr(settings, "precision", None) == 0:
        return Finding(False, f"Not yet: with precision 0 a run never stops early, so it used "
                       f"all {n} iterations.", "precision_zero",
                       _directions(settings, ("precision", (0.0001, 0.001, 0.01, 0.1, 1e-6))))
    if endless_slide(result) or unbounded_along_path(result, value):
        return Finding(False, f"Not yet: after {n} iterations {NO_BOTTOM}", "no_lowest_point")
    if getattr(result, "scaled", None) is False:
        return Finding(False, f"Not yet: {n} iterations and it is still improving; with x "
                       "unscaled the valley is long and narrow, so the steps crawl.",
                       "unscaled", _directions(settings, *_faster(settings)))
    if step is None:
        return Finding(False, f"Not yet: {n} iterations and it is still improving.",
                       "crawling", _directions(settings, *_faster(settings)))
    if _bouncing(result):
        steps = _last_steps(result)
        sizes = [math.sqrt(sum(v * v for v in d)) for d in steps]
        forever = len(sizes) == 2 and sizes[0] > 0 and sizes[1] >= sizes[0] * (1 - 1e-6)
        how = ("an oscillation that never dies out: each step lands as far on the other side"
               if forever else "an oscillation that dies out slowly")
        return Finding(False, f"Not yet: {n} iterations and it is still bouncing from side to "
                       f"side (step {_fmt(step)}), {how}.",
                       "bouncing_forever" if forever else "bouncing", _directions(settings, _slower(settings),
                                               ("iterations", more_iterations(settings.iterations)),
                                               ("method", tuple(m for m in METHODS if m != "gd"))))
    return Finding(False, f"Not yet: {n} iterations and the step is still {_fmt(step)}.",
                   "crawling", _directions(settings, *_faster(settings)))


def _diverged(result: Any, settings: RunSettings, target: Sequence[float] | None = None) -> Finding:
    message, key = diverged_finding(result)
    method = getattr(settings, "method", "gd")
    return Finding(False, message, key,
                   _directions(settings, _slower(settings), _starts(settings, target),
                               ("method", tuple(m for m in METHODS if m != method)),
                               ("iterations", more_iterations(settings.iterations))))


def _converge_within(limit: Any, result: Any, settings: RunSettings,
                     value: Callable[[Sequence[float]], float] | None = None) -> Finding:
    limit = int(limit)
    if result.status == "diverged":
        return _diverged(result, settings)
    if result.status != "converged":
        return _unfinished(result, settings, value)
    if result.nit > limit:
        others = ("method", tuple(m for m in METHODS if m != getattr(settings, "method", "gd")))
        end = getattr(result, "x", None)  # a fit has no start to move
        bottom = ("start", (tuple(_nice(v) for v in end),) if end is not None else ())
        if _alternating(result):
            return Finding(False, f"Converged in {_updates(result.nit)}, but the goal is {limit} "
                           "or fewer: each step overshot the bottom and zigzagged back, so the "
                           "rate is too large for the fastest descent.", "too_slow_overshooting",
                           _directions(settings, _slower(settings), others, bottom))
        directions = _directions(settings, ("learning_rate", larger_rates(settings.learning_rate)),
                                 others, bottom)
        why, key = (_settled_elsewhere(result, settings, value) if hasattr(result, "x")
                    else ("", "too_slow"))  # a fit's line has no point to judge
        if key in ("stopped_early", "hilltop", "flat_point"):  # "converged", not at a bottom
            return Finding(False, f"Converged in {_updates(result.nit)}, but the goal is {limit} "
                           f"or fewer, and it did not reach a bottom.{why}", key, directions)
        return Finding(False, f"Converged in {_updates(result.nit)}, but the goal is {limit} "
                       "or fewer.", "too_slow", directions)
    return Finding(True, f"Converged in {_updates(result.nit)}; the goal was {limit} or fewer.")


def _diverge(wanted: Any, result: Any, settings: RunSettings) -> Finding:
    if not wanted:
        if result.status == "diverged":
            return _diverged(result, settings)
        return Finding(True, "It did not diverge.")
    if result.status == "diverged":
        return Finding(True, f"It diverged at iteration {result.nit}, as hoped: each step "
                       "overshot.")
    toward = _directions(settings, ("learning_rate", larger_rates(settings.learning_rate)))
    if result.status == "converged":
        return Finding(False, f"It converged in {_updates(result.nit)} instead of diverging: "
                       "each step was small enough to land nearer the bottom.", "converged",
                       toward)
    return Finding(False, f"It used all {result.nit} iterations without blowing up.",
                   "did_not_diverge", toward)


def _stop_at_limit(wanted: Any, result: Any, settings: RunSettings,
                   value: Callable[[Sequence[float]], float] | None = None) -> Finding:
    at_limit = result.status == "max_iterations"
    if bool(wanted) == at_limit:
        return Finding(True, f"It used all {result.nit} iterations without converging."
                       if at_limit else f"It finished before the limit of {settings.iterations}.")
    if result.status == "diverged":
        return _diverged(result, settings)
    if wanted:
        return Finding(False, f"It converged in {_updates(result.nit)}, before the limit of "
                       f"{settings.iterations}.", "converged",
                       _directions(settings, _slower(settings),
                                   ("iterations", fewer_iterations(settings.iterations))))
    return _unfinished(result, settings, value)


def _point_text(names: Sequence[str], values: Sequence[float]) -> str:
    shown = ", ".join(_fmt(v) for v in values)
    if len(values) == 1:
        return f"{names[0] if names else 'x'} = {shown}"
    return f"({', '.join(names)}) = ({shown})"


def point_kind(point: Sequence[float], value: Callable[[Sequence[float]], float] | None) -> str:
    """What the ground is like at `point`, from f a little way off in every coordinate:
    "minimum" (higher all round), "maximum" (lower all round), "flat" (a shelf or saddle:
    higher one way, lower another), or "unknown" without f."""
    if value is None:
        return "unknown"
    here = float(value(point))
    higher = lower = False
    for i, v in enumerate(point):
        step = 1e-2 * max(1.0, abs(v))
        for sign in (-1.0, 1.0):
            moved = list(point)
            moved[i] = v + sign * step
            there = float(value(moved))
            if not math.isfinite(there):
                return "unknown"
            higher |= there > here
            lower |= there < here
    if higher and not lower:
        return "minimum"
    if lower and not higher:
        return "maximum"
    return "flat"


def _settled_elsewhere(result: Any, settings: RunSettings,
                       value: Callable[[Sequence[float]], float] | None) -> tuple[str, str]:
    """Why a converged run ended away from the goal, cause first: another valley, a hilltop,
    a flat shelf, or a stop while still on a slope (the precision let it stop early)."""
    if result.status != "converged":
        return "", "elsewhere"
    jac = [abs(v) for v in getattr(result, "jac", ()) if math.isfinite(v)]
    sloped = bool(jac) and max(jac) > 1e-2 * max(1.0, abs(_cost(result)))
    kind = "slope" if sloped else point_kind(tuple(result.x), value)
    if kind == "minimum":
        if _may_edit(settings, "start") or _may_edit(settings, "learning_rate"):
            why = "where a run ends depends on where it starts and how far each step goes."
        else:
            why = "the function decides where its valley is, so the function must change."
        return (f" It settled at the bottom of a valley (a minimum), but not the one the goal "
                f"asks for: {why}", "other_valley")
    if kind == "maximum":
        return (" It stopped on a hilltop (a maximum): the slope there is 0, so a walker "
                "standing exactly on top never moves; start to one side of it.", "hilltop")
    if kind == "flat":
        return (" It stopped on a flat stretch (a shelf or saddle), where the slope is almost "
                "0 but the ground still falls further on.", "flat_point")
    precision = getattr(settings, "precision", 0.0)
    if kind == "slope":  # converged means a step fell under the precision: here, on a slope
        more = (": a smaller precision keeps it going" if _may_edit(settings, "precision")
                else ": its steps had shrunk before it reached the bottom")
        return (f" It stopped because a step was shorter than the precision ({_fmt(precision)}), "
                f"while the ground was still sloping{more}.", "stopped_early")
    return "", "elsewhere"


def _end_near(target: Any, result: Any, settings: RunSettings, tolerance: float,
              value: Callable[[Sequence[float]], float] | None = None) -> Finding:
    want = [float(v) for v in (target if isinstance(target, (list, tuple)) else [target])]
    got = [float(v) for v in result.x]
    names = list(getattr(result, "variables", ()))
    if len(want) != len(got):
        return Finding(False, f"The goal point has {plural(len(want), 'number')} but the run "
                       f"has {plural(len(got), 'variable')}.", "wrong_dimensions")
    if result.status == "diverged":
        return _diverged(result, settings, want)
    distance = max(abs(a - b) for a, b in zip(want, got))
    where = _point_text(names, got)
    if distance <= tolerance:
        return Finding(True, f"It ended at {where}, within {_fmt(tolerance)} of the target.")
    message = (f"It ended at {where}, but the goal is within {_fmt(tolerance)} of "
               f"{_point_text(names, want).split(' = ')[1]}.")
    toward = (_starts(settings, want), ("learning_rate", smaller_rates(settings.learning_rate)),
              ("learning_rate", larger_rates(settings.learning_rate)),
              ("iterations", more_iterations(settings.iterations)),
              ("method", tuple(m for m in METHODS if m != getattr(settings, "method", "gd"))))
    if result.status == "max_iterations":
        unfinished = _unfinished(result, settings, value)
        cause = unfinished.message.removeprefix("Not yet: ")
        more = () if unfinished.diagnosis == "no_lowest_point" else _directions(settings, *toward)
        return Finding(False, f"{message} It had not finished: {cause}", unfinished.diagnosis,
                       unfinished.directions + more)
    why, key = _settled_elsewhere(result, settings, value)
    if key == "stopped_early":
        precision = getattr(settings, "precision", 1e-4)
        toward = (("precision", tuple(_nice(precision * f) for f in (0.1, 0.01, 0.001))),
                  *toward)
    return Finding(False, message + why, key, _directions(settings, *toward))


def _near(name: str, target: Any, result: Any, tolerance: float,
          settings: RunSettings, value: None = None) -> Finding:
    got, want = float(getattr(result, name)), float(target)
    if abs(got - want) <= tolerance:
        target = ("on target" if _fmt(got) == _fmt(want)  # not "-1.452, within 0.01 of -1.452"
                  else f"within {_fmt(tolerance)} of {_fmt(want)}")
        return Finding(True, f"The {name} came out {_fmt(got)}, {target}.")
    message = (f"The {name} came out {_fmt(got)}, but it should be within {_fmt(tolerance)} "
               f"of {_fmt(want)}.")
    if result.status == "diverged":
        return Finding(False, f"{message} The fit diverged: each step overshot further.",
                       "diverged", _directions(settings, _slower(settings)))
    if result.status != "converged":
        unfinished = _unfinished(result, settings, value)
        cause = unfinished.message.removeprefix("Not yet: ")
        return Finding(False, f"{message} The fit had not finished: {cause}",
                       unfinished.diagnosis, unfinished.directions)
    return Finding(False, message, "wrong_data", _directions(settings, ("data", ())))


def judge_run(goal: Mapping[str, Any], result: Any, settings: RunSettings,
              value: Callable[[Sequence[float]], float] | None = None) -> Finding:
    """Test every run goal in `goal` against `result`; the first failure decides. `value`
    (the cost function) lets it tell a function with no lowest point from a slow run."""
    tolerance = goal.get("tolerance")
    judges: list[Callable[[], Finding]] = []
    if "converge_within" in goal:
        judges.append(lambda: _converge_within(goal["converge_within"], result, settings,
                                                     value))
    if "diverge" in goal:
        judges.append(lambda: _diverge(goal["diverge"], result, settings))
    if "stop_at_limit" in goal:
        judges.append(lambda: _stop_at_limit(goal["stop_at_limit"], result, settings, value))
    if "end_near" in goal:
        tol = END_TOLERANCE if tolerance is None else float(tolerance)
        judges.append(lambda: _end_near(goal["end_near"], result, settings, tol, value))
    for name in ("slope", "intercept"):
        if f"{name}_near" in goal:
            tol = FIT_TOLERANCE if tolerance is None else float(tolerance)
            judges.append(lambda n=name, t=tol: _near(n, goal[f"{n}_near"], result, t, settings))
    passes: list[str] = []
    for number, judge in enumerate(judges):
        finding = judge()
        if not finding.passed:
            return _with_other_misses(finding, judges[number + 1:])
        passes.append(finding.message)
    return Finding(True, " ".join(passes))


def _with_other_misses(finding: Finding, rest: Sequence[Callable[[], Finding]]) -> Finding:
    """A run that converged too slowly may miss the goal's point as well: say that too (the
    capstone's race said only "Converged in 3867 updates, but the goal is 1000 or fewer" for
    a run that ended 0.2 away from (1, 1))."""
    if finding.diagnosis not in ("too_slow", "too_slow_overshooting", "stopped_early",
                                 "hilltop", "flat_point"):
        return finding
    for judge in rest:
        other = judge()
        if not other.passed:
            first = other.message.split(". ")[0].rstrip(".") + "."
            return replace(finding, message=f"{finding.message} {first}")
    return finding
