"""Reading a fit's fields (`read_fit`), and those beyond a line fit: features, model, batches, epochs, seed, l2,
test split and hidden units (the settings of `engine.train`), one sentence per problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tutor.lessons.schema import MAX_FEATURES, MAX_ITERATIONS, MODELS, defaults_for, label
from tutor.practice.settings import (
    FitSettings, InputProblem, Source, flag, iterations, learning_rate, method, number, precision,
)

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise
    from tutor.practice.datafiles import DataPolicy


def model_settings(source: Source, features: tuple[str, ...]) -> dict[str, Any]:
    """The fields beyond a line fit: features, model, batches, epochs, seed, l2, split, network."""
    return {"x_columns": features, "model": model(source.get("model")),
            "method": method(source.get("method")),
            "batch_size": whole(source.get("batch_size"), "batch_size", 1, None),
            "epochs": whole(source.get("epochs"), "epochs", 1, MAX_ITERATIONS),
            "seed": whole(source.get("seed"), "seed", 0, 2**31 - 1) or 0,
            "l2": penalty(source.get("l2")), "test_fraction": fraction(source.get("test_fraction")),
            "hidden": hidden_units(source.get("hidden"))}


def x_columns(text: Any) -> tuple[str, ...]:
    """Feature columns: a list, or names/numbers separated by commas."""
    parts = list(text) if isinstance(text, (list, tuple)) else str(text).split(",")
    names = tuple(str(p).strip() for p in parts if str(p).strip())
    if len(names) > MAX_FEATURES:
        raise InputProblem(f"Use at most {MAX_FEATURES} feature columns.", "x")
    return names


def model(text: Any) -> str:
    """linear or logistic (case and spaces ignored)."""
    name = str(text).strip().lower() or "linear"
    if name not in MODELS:
        raise InputProblem(f"The model must be {' or '.join(MODELS)}, not '{name}'.", "model")
    return name


def whole(text: Any, key: str, low: int, high: int | None) -> int | None:
    """A whole number from `low` to `high` (None: no upper limit), or None when blank."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value = number(text, key)
    if value != int(value) or value < low or (high is not None and value > high):
        top = f" to {high:,}" if high is not None else " or more"
        raise InputProblem(f"The {label(key)} must be a whole number {'from ' if high else ''}"
                           f"{low}{top}, not '{text}'.", key)
    return int(value)


def penalty(text: Any) -> float:
    """An l2 penalty of 0 or more (blank: 0)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return 0.0
    value = number(text, "l2")
    if value < 0:
        raise InputProblem("The l2 penalty must be 0 or more, like 0.01.", "l2")
    return value


def fraction(text: Any) -> float:
    """A test fraction from 0 to 0.9 (blank: 0, no split)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return 0.0
    value = number(text, "test_fraction")
    if not 0 <= value <= 0.9:
        raise InputProblem(f"The test fraction must be from 0 to 0.9, not '{text}'.",
                           "test_fraction")
    return value


def hidden_units(text: Any) -> int:
    """0 (no network) or 2 to 8 hidden units."""
    value = whole(text, "hidden", 0, 8) or 0
    if value == 1:
        raise InputProblem("A hidden layer needs 2 to 8 units (0: no hidden layer).", "hidden")
    return value


def read_fit(exercise: Exercise | None, inputs: Mapping[str, Any],
             policy: DataPolicy | None = None) -> FitSettings:
    """A fit's settings; the data file is found through the data policy."""
    from tutor.practice.datafiles import DataPolicy

    source = Source(exercise, inputs)
    source.defaults = defaults_for("fit")
    typed = str(source.get("data") or "").strip()
    if not typed:
        raise InputProblem("Type the name of a CSV data file first.", "data")
    lessons_data = exercise.path.parent / "data" if exercise and exercise.path else None
    path = (policy or DataPolicy()).find(typed, lessons_data)
    columns = [str(inputs.get(key) or "").strip() or source.get(key.split("_")[0]) or None
               for key in ("x_column", "y_column")]
    features = x_columns(inputs.get("x_columns") or source.get("x") or ())
    settings = FitSettings(typed, path, learning_rate(source.get("learning_rate")),
                           iterations(source.get("iterations")),
                           precision(source.get("precision")), flag(source.get("scale")),
                           source.editable, *columns)
    settings = replace(settings, **model_settings(source, features))
    if settings.trains_model and not settings.scale:
        raise InputProblem("A model on several features (or with any model setting) always "
                           "scales its features; scaling can be off only for a line fit.",
                           "scale")
    return settings
