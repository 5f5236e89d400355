"""Advice is tried before it is shown.

A failed verdict comes with directions worth trying (a field the learner may
edit and candidate values, nearest first). Each candidate is run and judged
like the learner's own attempt; the first that passes is the advice, named with
its value and what it did ("Try a learning rate of 0.05: that converges in 40
updates."). Nothing that was not tried, or did not pass, is ever suggested.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tutor.practice.model_verdicts import counted, is_model_result
from tutor.practice.verdicts import Advice, Direction
from tutor.wording import plural

TRY_BUDGET = 300_000
"""The most engine updates spent trying advice for one verdict (a few tenths of a second)."""


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _value_text(key: str, value: Any) -> str:
    if key == "start":
        return ", ".join(_fmt(v) for v in value) if len(value) > 1 else _fmt(value[0])
    if isinstance(value, float):
        return _fmt(value)
    return str(value)


def _what_it_did(result: Any, goal: Mapping[str, Any]) -> str:
    """`converges in 40 updates`, `diverges at iteration 7`, ... for the tried run."""
    if is_model_result(result):
        return _model_did(result, goal)
    n = result.nit
    updates = plural(n, "update")
    done = {"converged": f"converges in {updates}", "diverged": f"diverges at iteration {n}",
            "max_iterations": f"uses all {n} iterations"}.get(result.status, result.status)
    ends = [f"the {name} at {_fmt(getattr(result, name))}" for name in ("slope", "intercept")
            if f"{name}_near" in goal and hasattr(result, name)]
    if ends:
        done += " with " + " and ".join(ends)
    if "end_near" in goal and hasattr(result, "x"):
        names = tuple(getattr(result, "variables", ("x",)))
        where = ", ".join(_fmt(v) for v in result.x)
        point = f"{names[0]} = {where}" if len(names) == 1 else f"({', '.join(names)}) = ({where})"
        done += f" and ends at {point}"
    return done


def _model_did(result: Any, goal: Mapping[str, Any]) -> str:
    """`converges after 40 epochs`, `runs all 50 epochs (1200 updates)`, ... and the
    numbers the goal is about, for a tried model fit."""
    ran = counted(result)
    done = {"converged": f"converges after {ran}", "diverged": f"diverges after {ran}",
            "max_iterations": f"runs all {ran}" if result.epochs > 1 else f"runs its {ran}"}.get(result.status, result.status)
    said = []
    if "accuracy_at_least" in goal and result.accuracy is not None:
        said.append(f"an accuracy of {_fmt(result.accuracy)}")
    if "cost_at_most" in goal:
        said.append(f"a training cost of {_fmt(result.cost)}")
    if "test_cost_at_most" in goal and result.test_cost is not None:
        said.append(f"a test cost of {_fmt(result.test_cost)}")
    return done + (" with " + " and ".join(said) if said else "")


def _lead(key: str, value: Any) -> str:
    shown = _value_text(key, value)
    return {
        "learning_rate": f"Try a learning rate of {shown}",
        "iterations": f"Allow {shown} iterations",
        "precision": f"Try a precision of {shown}",
        "method": f"Try the method {shown}",
        "start": f"Try starting at {shown}",
        "scale": "Tick scale x",
        "epochs": f"Allow {shown} epochs",
        "batch_size": f"Try a batch size of {shown}",
        "hidden": f"Try {shown} hidden units",
        "seed": f"Try the seed {shown}",
        "l2": f"Try an l2 penalty of {shown}",
        "test_fraction": f"Try a test fraction of {shown}",
    }.get(key, f"Try {key} = {shown}")


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _rank(result: Any) -> tuple[int, float]:
    """How good a run's ending is: diverged < unfinished < converged, then fewer updates."""
    order = {"diverged": 0, "stopped": 0, "max_iterations": 1, "converged": 2}
    return order.get(result.status, 0), -float(result.nit)


def _candidates(directions: Sequence[Direction]) -> list[dict[str, Any]]:
    """Every single change, nearest first; then pairs of changes to two different fields."""
    singles = [{d.field: v} for d in directions for v in d.values if v is not None]
    pairs = [{a.field: u, b.field: v}
             for a in directions for b in directions
             if a.field != b.field for u in a.values[:3] for v in b.values]
    unique = {tuple(sorted(change.items(), key=lambda kv: kv[0])): change
              for change in singles + pairs}
    return list(unique.values())


def try_advice(settings: Any, directions: Sequence[Direction], goal: Mapping[str, Any],
               passes: Callable[[Any], tuple[bool, Any]], *, before: Any = None,
               budget: int = TRY_BUDGET) -> Advice | None:
    """The first change that passes, as advice naming its values; if none passes within
    the budget, the first that clearly improves on `before` (a diverged run that converges,
    an unfinished one that finishes); None if nothing tried does either.

    `passes(candidate_settings) -> (passed, result)` runs and judges one candidate."""
    spent, better = 0, None
    for change in _candidates(directions):
        if any(not hasattr(settings, k) or getattr(settings, k) == v for k, v in change.items()):
            continue
        candidate = replace(settings, **change)
        cost = int(getattr(candidate, "epochs", None) or getattr(candidate, "iterations", 0) or 0)
        if spent + cost > budget:
            break
        passed, result = passes(candidate)
        spent += max(cost, int(getattr(result, "nit", 0) or 0))
        if result is None or not _finite_result(result):
            continue
        if passed:
            return _advice(change, _what_it_did(result, goal))
        if (better is None and before is not None and _rank(result)[0] > _rank(before)[0]
                and _within_limit(change, goal)):
            better = _advice(change, _what_it_did(result, goal) + ", nearer the goal though "
                             "not there yet")
    return better


WITH = {"learning_rate": "a learning rate of {}", "iterations": "{} iterations",
        "precision": "a precision of {}", "method": "the method {}", "start": "the start {}",
        "scale": "scale x ticked", "epochs": "{} epochs", "batch_size": "a batch size of {}",
        "hidden": "{} hidden units", "seed": "the seed {}", "l2": "an l2 penalty of {}"}
"""How a second change reads after the first ("... with a learning rate of 0.1")."""


def _advice(change: Mapping[str, Any], did: str) -> Advice:
    (key, value), *rest = change.items()
    words = _lead(key, value) + "".join(
        " with " + WITH.get(k, k + " {}").format(_value_text(k, v)) for k, v in rest)
    return Advice({k: _json_value(v) for k, v in change.items()}, f"{words}: that {did}.")


def _within_limit(change: Mapping[str, Any], goal: Mapping[str, Any]) -> bool:
    """False for a change that allows more iterations than the goal's own limit: the run may
    end better, but only by breaking the rule the exercise sets."""
    limit = goal.get("converge_within")
    return not limit or int(change.get("iterations", 0)) <= int(limit)


def _finite_result(result: Any) -> bool:
    values = (list(getattr(result, "x", ())) or list(getattr(result, "params", ()))
              or [getattr(result, "slope", 0.0)])
    return all(math.isfinite(float(v)) for v in values)
