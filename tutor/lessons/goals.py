"""Which goals make sense for which exercise: a slope on a network, or an accuracy on a
linear model, is refused when the lesson loads (one sentence), never met in the pane.

Decided from the block as written (its kind, model settings and editable fields), so
nothing here imports the engine or the practice layer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from tutor.lessons.schema import MODEL_FIELDS, MODEL_GOALS

LINE_ONLY = ("slope_near", "intercept_near")
"""Goals about the one slope and intercept of a line fit."""
DESCENT_ONLY = ("end_near", "function_equals")
"""Goals about a descent's end point or function (a fit has neither)."""
MODEL_SETTINGS = tuple(key for key in MODEL_FIELDS if key not in ("x", "y"))


def trains_model(exercise: Any) -> bool:
    """`is_model_fit` for a loaded `Exercise` (the pane lays out its fields by this)."""
    data = {key: getattr(exercise, key, None) for key in MODEL_FIELDS}
    data.update(method=exercise.method, editable=list(exercise.editable))
    return is_model_fit(exercise.kind, data)


def is_model_fit(kind: str, data: Mapping[str, Any]) -> bool:
    """A fit that is (or that the learner can make) more than a one-feature line: several
    x columns, or any model setting written or editable."""
    if kind != "fit":
        return False
    editable = _editable(data)
    x = data.get("x")
    several = isinstance(x, (list, tuple)) and len(x) > 1 or isinstance(x, str) and "," in x
    written = any(data.get(key) not in (None, 0, 0.0, "linear") for key in MODEL_SETTINGS)
    return several or written or str(data.get("method", "gd")) != "gd" or bool(
        set(MODEL_SETTINGS) & editable)


def misfit(kind: str, data: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first goal that makes no sense for this exercise and why, or None."""
    goal = data.get("goal")
    if not isinstance(goal, Mapping):
        return None
    model = is_model_fit(kind, data)
    for key, value in goal.items():
        why = _why_not(str(key), value, kind, model, data)
        if why:
            return str(key), why
    return None


def _why_not(key: str, value: Any, kind: str, model: bool, data: Mapping[str, Any]) -> str:
    if key in LINE_ONLY and model:
        return ("a model fit has no single slope or intercept to judge; use cost_at_most, "
                "accuracy_at_least or test_cost_at_most")
    if key in DESCENT_ONLY and kind == "fit":
        return "a fit has no end point or function of its own; use a fit's goals"
    if key not in MODEL_GOALS:
        return ""
    if kind != "fit":
        return f"only a fit has a cost or accuracy to judge, and this is a '{kind}' exercise"
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not (
            math.isfinite(value) and value > 0):
        return f"it must be a number above 0, not {value!r}"
    if key == "accuracy_at_least":
        if value > 1:
            return f"an accuracy is a share from 0 to 1, not {value!r}"
        if data.get("model") != "logistic" and "model" not in _editable(data):
            return "accuracy needs a classification (model: logistic); judge a linear fit " \
                   "by its cost"
    if key == "test_cost_at_most" and not data.get("test_fraction") and \
            "test_fraction" not in _editable(data):
        return "there is no test set: give the exercise a test_fraction (or make it editable)"
    return ""


def _editable(data: Mapping[str, Any]) -> set[str]:
    value = data.get("editable") or []
    return {value} if isinstance(value, str) else {str(v) for v in value} \
        if isinstance(value, list) else set()
