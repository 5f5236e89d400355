"""Which fields an exercise shows, their default text, and which the learner may edit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tutor.lessons import goals
from tutor.lessons.schema import (
    ALWAYS_EDITABLE, DESCENT_DEFAULTS, DESCENT_FIELDS, EDITABLE_FIELDS, FIELDS, FIT_DEFAULTS, KINDS,
)
from tutor.ui.widgets.exercise.fields import FieldSpec
from tutor.ui.widgets.exercise.formatting import fmt

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise

PLACEHOLDERS = {key: rule.placeholder for key, rule in FIELDS.items() if rule.placeholder}
FREE_DEFAULTS = {"function": "", "start": "", "learning_rate": "",
                 "iterations": str(DESCENT_DEFAULTS["iterations"]),
                 "precision": fmt(DESCENT_DEFAULTS["precision"]),
                 "method": DESCENT_DEFAULTS["method"], "compare": FIELDS["compare"].example}
"""The playground's defaults: the first three empty so typing fills them."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(fmt(v) for v in value)
    if isinstance(value, float):
        return fmt(value)
    return str(value)


def compare_text(compare: Mapping[str, Any] | None) -> str:
    """The exercise's compare set as the text a learner would type."""
    if not compare:
        return ""
    values = compare.get("methods") or compare.get("learning_rates") or []
    return ", ".join(_text(v) for v in values)


def exercise_keys(exercise: Exercise | None) -> tuple[str, ...]:
    """The fields shown for this kind of exercise (None: the free playground pane)."""
    if exercise is None:
        return DESCENT_FIELDS + ("compare",)
    if exercise.code is not None:
        return ()  # the code is typed in the pane's editor (code_editor.py), not a field
    if exercise.kind == "fit" and trains_model(exercise):
        return model_fit_keys(exercise)
    shown = KINDS[exercise.kind].fields
    if not shown and exercise.function:  # a quiz on a function can run it to look
        shown = DESCENT_FIELDS
    if exercise.compare and exercise.compare.get("learning_rates"):
        shown = tuple(key for key in shown if key != "learning_rate")  # the compare set's
    return shown + (("answer",) if asks_answer(exercise) else ())


def asks_answer(exercise: Exercise | None) -> bool:
    """True when the goal is a typed number (numeric kind, or a compare asking one)."""
    return exercise is not None and (exercise.kind == "numeric" or "answer" in exercise.goal)


def asks_choice(exercise: Exercise | None) -> bool:
    """True when the goal is one of the exercise's options."""
    return exercise is not None and bool(exercise.options) and (
        exercise.kind == "choice" or "choice" in exercise.goal)


def default_values(exercise: Exercise | None) -> dict[str, str]:
    """Each field's text before the learner types anything."""
    if exercise is None:
        return dict(FREE_DEFAULTS)
    values = {key: _text(getattr(exercise, key, None)) for key in EDITABLE_FIELDS}
    values["compare"] = compare_text(exercise.compare)
    values["answer"] = ""
    if exercise.kind == "fit":
        values["learning_rate"] = values["learning_rate"] or _text(FIT_DEFAULTS["learning_rate"])
    return values


def field_specs(exercise: Exercise | None, saved: Mapping[str, Any] | None = None,
                overrides: Mapping[str, str | None] | None = None) -> list[FieldSpec]:
    """FieldSpecs for the pane: defaults, then overrides, then the learner's saved text."""
    values = default_values(exercise)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    editable = set(exercise.editable) | set(ALWAYS_EDITABLE) if exercise is not None else None
    specs = []
    for key in exercise_keys(exercise):
        may_edit = editable is None or key in editable
        text = str(saved[key]) if saved and key in saved and may_edit else values.get(key, "")
        specs.append(FieldSpec(key, text, may_edit, PLACEHOLDERS.get(key, ""),
                               _label(exercise, key)))
    return specs


def _label(exercise: Exercise | None, key: str) -> str:
    """A network's `model` is the kind of its output unit: "output logistic" beside
    "hidden 2", not "model logistic" (else the usual label)."""
    if key == "model" and exercise is not None and (
            _text(exercise.hidden) not in ("", "0") or "hidden" in exercise.editable):
        return "output"
    return ""


def offers(exercise: Exercise | None, action: str) -> bool:
    """Whether a pane for this exercise has `action` (run, step, compare, hint, skip, cancel...)."""
    kind = exercise.kind if exercise is not None else "run"
    has_function = exercise is None or bool(exercise.function)
    if action == "step":
        return kind in ("run", "step") or (has_function and kind in ("numeric", "choice")) \
            or (kind == "fit" and getattr(exercise, "batch_size", None) is not None)
    if action == "compare":  # in a compare exercise, Run runs the comparison
        return exercise is None or (kind in ("run", "step") and has_function)
    if action == "skip":
        return exercise is not None
    if action == "hint":
        return exercise is not None and bool(exercise.hints or exercise.solution)
    if action == "run":
        return kind not in ("numeric", "choice") or has_function
    if action == "show_python":
        return kind in ("run", "step")
    if action == "run_code":  # F5: a code exercise's run, wherever its focus is
        return kind == "code"
    if action == "cancel":  # a code run ends by itself (wall limit); Esc leaves its editor
        return kind != "code" and (offers(exercise, "run") or offers(exercise, "compare"))
    return True


COMPARE_METHODS = "gd, momentum, adam"
COMPARE_FACTORS = (0.5, 1.0, 2.0)


def compare_set(exercise: Exercise | None, inputs: Mapping[str, str]) -> str:
    """What ^f compares: the typed list (playground); in a lesson's run exercise the three
    methods if the method may change, else half, the typed and twice the typed rate."""
    if exercise is None or "compare" in inputs:
        return inputs.get("compare", "")
    if "method" in exercise.editable:
        return COMPARE_METHODS
    typed = inputs.get("learning_rate", "").strip()
    try:
        rate = float(typed)  # a plain number only: anything else is read (and refused) later
    except ValueError:
        return typed
    if not math.isfinite(rate) or rate <= 0:
        return typed  # the compare list says what a rate must be
    return ", ".join(fmt(rate * factor) for factor in COMPARE_FACTORS)


def first_prompt(exercise: Exercise | None) -> str:
    """The status line before the first attempt: which key to press for this kind."""
    kind = exercise.kind if exercise is not None else "run"
    if asks_choice(exercise) and not offers(exercise, "run"):
        return "Pick an option with the arrow keys, then press Enter."
    if asks_answer(exercise) and not offers(exercise, "run"):
        return "Type your answer, then press Enter."
    if kind == "step":
        return "Press ^t to take one step, or Enter to run to the end."
    if kind == "fit" and trains_model(exercise):
        steps = ", or ^t to take one step" if offers(exercise, "step") else ""
        return f"Press Enter to train the model{steps}."
    if kind == "fit":
        return "Press Enter to fit the line."
    if kind == "code":
        return "Write your code in the editor; F5 runs it, Esc leaves the editor."
    if kind == "compare":
        return "Press Enter to run them all on one plot."
    return "Press Enter to run."


def trains_model(exercise: Exercise | None) -> bool:
    """Whether a fit exercise trains a model rather than fitting a line: the lessons'
    rule (a model setting written or editable, another method, several features), so the
    layout, the count ("epochs") and practice agree (`FitSettings.trains_model` decides
    each run on what was typed)."""
    return exercise is not None and goals.trains_model(exercise)


MODEL_SHOWN = ("x", "y", "model", "method", "hidden", "learning_rate", "batch_size", "epochs",
               "seed", "l2", "test_fraction")
"""A model fit's fields in the order shown (the data file first)."""


def model_fit_keys(exercise: Exercise) -> tuple[str, ...]:
    """A model fit's fields: the data file, the rate, and each model setting the exercise
    sets or lets the learner edit (a line fit's x col, iters, precision and scale mean
    nothing to `engine.train`, so they are not shown)."""
    def shown(key: str) -> bool:
        value = getattr(exercise, key, None)
        return key == "learning_rate" or key in exercise.editable or (
            value is not None and not (key == "method" and value == "gd"))

    return ("data", *(key for key in MODEL_SHOWN if shown(key)))
