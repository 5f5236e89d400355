"""Judge a model fit (`engine.train`: several features, logistic, batches, a split, a
network) against its goals, in the words the run counted: epochs and updates.

A model's run is not a walk on a one-variable function, so none of the descent
diagnoses (no lowest point, bouncing, a hilltop) apply: it converged, diverged or
stopped at its epoch limit, and its cost, test cost and accuracy are what they are.
As for a descent, the directions are only tried (`tutor.practice.advice`), never
shown untried.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from tutor.lessons.schema import MAX_ITERATIONS
from tutor.practice.verdicts import (
    Direction, Finding, _directions, fewer_iterations, larger_rates, more_iterations,
    smaller_rates,
)
from tutor.wording import plural

L2_VALUES = (0.001, 0.01, 0.1, 0.3, 1.0)
SEEDS = tuple(range(10))


def is_model_result(result: Any) -> bool:
    """True for an `engine.train` result (it counts epochs as well as updates)."""
    return hasattr(result, "epochs") and hasattr(result, "model")


def _fmt(value: float) -> str:
    """4 significant digits; whole thousands with commas from 10,000 up (49,893)."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"


def counted(result: Any) -> str:
    """'2190 epochs' for a full batch, '50 epochs (1200 updates)' with mini-batches."""
    epochs = plural(result.epochs, "epoch")
    return epochs if result.nit == result.epochs else f"{epochs} ({plural(result.nit, 'update')})"


def epoch_limit(settings: Any) -> int:
    """The epochs the run was allowed (its epochs, else the iteration limit)."""
    epochs = getattr(settings, "epochs", None)
    return int(epochs if epochs is not None else settings.iterations)


def _more_epochs(settings: Any) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """More epochs, in whichever field sets them."""
    limit = epoch_limit(settings)
    key = "epochs" if getattr(settings, "epochs", None) is not None else "iterations"
    values = tuple(v for v in more_iterations(limit) if v <= MAX_ITERATIONS)
    return ((key, values),)


def _faster(settings: Any) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    return (("learning_rate", larger_rates(settings.learning_rate)), *_more_epochs(settings))


def _hidden(settings: Any) -> tuple[str, tuple[Any, ...]]:
    now = int(getattr(settings, "hidden", 0) or 0)
    return ("hidden", tuple(sorted((h for h in range(2, 9) if h != now),
                                   key=lambda h: abs(h - now))))


def _smaller_batches(settings: Any) -> tuple[str, tuple[Any, ...]]:
    """Batch sizes below the learner's, nearest first: more updates in the same epochs."""
    now = getattr(settings, "batch_size", None)
    return ("batch_size", tuple(b for b in (64, 32, 16, 8, 4, 2, 1) if now is None or b < now))


def _seeds(settings: Any) -> tuple[str, tuple[Any, ...]]:
    return ("seed", tuple(s for s in SEEDS if s != getattr(settings, "seed", 0)))


def _diverged(result: Any, settings: Any) -> Finding:
    how = ("the weights or the cost grew too large for the computer"
           if result.reason == "nonfinite" else "the cost grew on each of the last 10 epochs")
    return Finding(False, f"It diverged after {counted(result)}: {how}, so each step "
                   "overshot.", "diverged", _directions(settings, ("learning_rate",
                                                                   smaller_rates(settings.learning_rate))))


def _unfinished(result: Any, settings: Any) -> Finding:
    """Stopped at its epoch limit: say so, and try more epochs or a larger rate."""
    if getattr(settings, "precision", None) == 0:
        return Finding(False, f"Not yet: with precision 0 training never stops early, so it "
                       f"ran all {counted(result)}.", "precision_zero",
                       _directions(settings, ("precision", (1e-9, 1e-6, 1e-4))))
    return Finding(False, f"Not yet: it stopped at the limit of {counted(result)} with the "
                   f"weights still moving (cost {_fmt(result.cost)}).", "epoch_limit",
                   _directions(settings, *_faster(settings)))


def _converge_within(limit: Any, result: Any, settings: Any) -> Finding:
    limit = int(limit)
    if result.status == "diverged":
        return _diverged(result, settings)
    if result.status != "converged":
        return _unfinished(result, settings)
    if result.epochs > limit:
        return Finding(False, f"Converged after {counted(result)}, but the goal is {limit} "
                       "epochs or fewer.", "too_slow",
                       _directions(settings, ("learning_rate",
                                              larger_rates(settings.learning_rate))))
    return Finding(True, f"Converged after {counted(result)}; the goal was {limit} epochs or "
                   "fewer.")


def _diverge(wanted: Any, result: Any, settings: Any) -> Finding:
    if (result.status == "diverged") == bool(wanted):
        return Finding(True, f"It diverged after {counted(result)}, as hoped." if wanted
                       else "It did not diverge.")
    if wanted:
        did = "converged after" if result.status == "converged" else "ran all"
        return Finding(False, f"It did not diverge: it {did} {counted(result)}.",
                       "did_not_diverge",
                       _directions(settings, ("learning_rate",
                                              larger_rates(settings.learning_rate))))
    return _diverged(result, settings)


def _stop_at_limit(wanted: Any, result: Any, settings: Any) -> Finding:
    at_limit = result.status == "max_iterations"
    if bool(wanted) == at_limit:
        return Finding(True, f"It ran all {counted(result)} without converging." if at_limit
                       else f"It finished before the limit of {epoch_limit(settings)} epochs.")
    if result.status == "diverged":
        return _diverged(result, settings)
    if wanted:
        key = _more_epochs(settings)[0][0]
        return Finding(False, f"It converged after {counted(result)}, before the limit of "
                       f"{epoch_limit(settings)} epochs.", "converged",
                       _directions(settings, ("learning_rate",
                                              smaller_rates(settings.learning_rate)),
                                   (key, fewer_iterations(epoch_limit(settings)))))
    return _unfinished(result, settings)


def _ended(result: Any) -> str:
    """How the run ended, as a clause after the number it missed."""
    if result.status == "converged":
        return f"it converged after {counted(result)}"
    return f"it stopped at the limit of {counted(result)}"


def _accuracy(wanted: Any, result: Any, settings: Any) -> Finding:
    want, got = float(wanted), result.accuracy
    if got is None:
        return Finding(False, "This model gives no accuracy; it needs model logistic.",
                       "no_accuracy", _directions(settings, ("model", ("logistic",))))
    if result.status == "diverged":
        return _diverged(result, settings)
    rows = int(result.settings.get("rows") or 0)
    right = f"{round(got * rows)} of the {rows} training rows" if rows else "its training rows"
    if got >= want - 1e-12:
        return Finding(True, f"It classifies {right} right (accuracy {_fmt(got)}); the goal "
                       f"was an accuracy of at least {_fmt(want)}.")
    return Finding(False, f"It classifies only {right} right (accuracy {_fmt(got)}), but the "
                   f"goal is at least {_fmt(want)}; {_ended(result)} at a cost of "
                   f"{_fmt(result.cost)}.", "accuracy_low",
                   _directions(settings, _hidden(settings), _seeds(settings), *_faster(settings)))


def _cost(wanted: Any, result: Any, settings: Any) -> Finding:
    want, got = float(wanted), float(result.cost)
    if result.status == "diverged":
        return _diverged(result, settings)
    if got <= want:
        return Finding(True, f"Its training cost ended at {_fmt(got)}; the goal was at most "
                       f"{_fmt(want)}.")
    return Finding(False, f"Its training cost ended at {_fmt(got)}, above the goal of "
                   f"{_fmt(want)}: {_ended(result)}.", "cost_high",
                   _directions(settings, _smaller_batches(settings), *_faster(settings),
                               _hidden(settings)))


def _test_cost(wanted: Any, result: Any, settings: Any) -> Finding:
    want = float(wanted)
    if result.test_cost is None:
        return Finding(False, "There is no test set to judge: set a test fraction such as "
                       "0.3.", "no_test_set", _directions(settings, ("test_fraction", (0.3,))))
    if result.status == "diverged":
        return _diverged(result, settings)
    got, train = float(result.test_cost), float(result.train_cost)
    if got <= want:
        return Finding(True, f"Its test cost ended at {_fmt(got)} (training cost "
                       f"{_fmt(train)}); the goal was at most {_fmt(want)}.")
    why = (" It fits the training rows far better than rows it never saw: it memorised them "
           "(overfitting)." if got > 2 * train else "")
    return Finding(False, f"Its test cost ended at {_fmt(got)}, above the goal of {_fmt(want)} "
                   f"(training cost {_fmt(train)}).{why}", "overfitting" if why else "test_cost_high",
                   _directions(settings, ("l2", L2_VALUES), *_faster(settings)))


JUDGES: Mapping[str, Callable[[Any, Any, Any], Finding]] = {
    "converge_within": _converge_within, "diverge": _diverge, "stop_at_limit": _stop_at_limit,
    "accuracy_at_least": _accuracy, "cost_at_most": _cost, "test_cost_at_most": _test_cost,
}


def judge_model(goal: Mapping[str, Any], result: Any, settings: Any) -> Finding:
    """Test every goal a model fit can have; the first failure decides. A goal that makes
    no sense for a model (refused by the loader) is said so, never a crash."""
    passes: list[str] = []
    for key, value in goal.items():
        if key == "tolerance" or key == "learning_rate_between":
            continue
        judge = JUDGES.get(key)
        finding = (judge(value, result, settings) if judge else
                   Finding(False, f"The goal '{key}' cannot be judged on a model fit.",
                           "goal_not_for_model"))
        if not finding.passed:
            return finding
        passes.append(finding.message)
    return Finding(True, " ".join(passes))


def known_why(exercise: Any, settings: Any) -> str:
    """The `why` of a listed wrong answer whose every field the settings match ("" if
    none): the author's word on that mistake, said after what the run did."""
    for wrong, why in zip(exercise.wrong, exercise.wrong_notes):
        if why and wrong and all(_same(getattr(settings, key, None), value)
                                 for key, value in wrong.items() if key != "why"):
            return why[:1].upper() + why[1:]
    return ""


def _same(have: Any, written: Any) -> bool:
    try:
        return math.isclose(float(have), float(written), rel_tol=1e-12)
    except (TypeError, ValueError):
        return str(have).strip().lower() == str(written).strip().lower()


__all__ = ["Direction", "counted", "is_model_result", "judge_model", "known_why"]
