"""The exercise schema: every kind, key, default and limit, in one table.

The loader checks lesson files against it, the practice layer reads typed
inputs with it, the exercise pane builds its fields from it and the CLI takes
its defaults and limits from it. Adding a kind of exercise or a field is one
entry here (plus whatever runs it). Nothing here imports the engine, so the
app can read the table before SymPy is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

LESSON_FORMAT = 1
"""The lesson file format this gd-tutor reads (front matter may say `format: 1`)."""

METHODS = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The engine's METHODS (a test keeps the two equal), named here without importing SymPy."""

MAX_ITERATIONS = 1_000_000
"""The highest iteration limit anywhere (pane, checks, CLI): a path this long is 16 MB
per variable, so even a full compare list stays within a few hundred MB."""
MAX_TEXT = 500
"""The most characters a learner may type into one field (the parser's own limit)."""
MAX_COMPARE = 8
"""The most learning rates or methods one compare may run."""
MODELS = ("linear", "logistic")
"""The engine's models (`engine.train`), named here without importing the engine."""
MAX_FEATURES = 50
"""The most feature columns one fit may use (the engine's table.MAX_FEATURES)."""
DEFAULT_LEARNING_RATE = 0.1
"""The rate of a check whose exercise names none (and of a fit left blank)."""


@dataclass(frozen=True)
class FieldRule:
    """One input field: how it is named in sentences, an example value and a placeholder."""

    key: str
    label: str
    example: str
    placeholder: str = ""
    max_length: int = MAX_TEXT


FIELDS: Mapping[str, FieldRule] = MappingProxyType({rule.key: rule for rule in (
    FieldRule("function", "function", "x^2", "e.g. x^2 or (1-x)^2 + 100(y-x^2)^2"),
    FieldRule("start", "start", "3", "e.g. 3 or -1.2,1"),
    FieldRule("learning_rate", "learning rate", "0.1", "e.g. 0.1", max_length=40),
    FieldRule("iterations", "iteration limit", "100", max_length=40),
    FieldRule("precision", "precision", "0.0001", max_length=40),
    FieldRule("method", "method", "gd", max_length=40),
    FieldRule("scale", "scaling", "true", max_length=10),
    FieldRule("data", "data file", "anscombe1.csv", "CSV file, e.g. anscombe1.csv"),
    FieldRule("compare", "compare list", "0.01, 0.1, 0.5", "0.01,0.1,0.5 or gd,adam",
              max_length=200),
    FieldRule("answer", "answer", "12 or 0.5", "type your answer, Enter checks it",
              max_length=60),
    FieldRule("choice", "choice", "1", max_length=10),
    FieldRule("x", "feature columns", "size,rooms,age", max_length=200),
    FieldRule("y", "y column", "price", max_length=100),
    FieldRule("model", "model", "linear", max_length=20),
    FieldRule("batch_size", "batch size", "32", max_length=20),
    FieldRule("epochs", "number of epochs", "1000", max_length=20),
    FieldRule("seed", "seed", "0", max_length=20),
    FieldRule("l2", "l2 penalty", "0.01", max_length=40),
    FieldRule("test_fraction", "test fraction", "0.25", max_length=20),
    FieldRule("hidden", "number of hidden units", "3", max_length=10),
    FieldRule("code", "code", "def gradient_descent(...): ...", max_length=64_000),
    FieldRule("x_column", "x column", "size", "1st column", max_length=100),
    FieldRule("y_column", "y column", "price", "2nd column", max_length=100),
)})
"""Every field a learner can type into, by key."""

DESCENT_FIELDS = ("function", "start", "learning_rate", "iterations", "precision", "method")
FIT_FIELDS = ("data", "x_column", "y_column", "learning_rate", "iterations", "precision",
              "scale")

DESCENT_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {"iterations": 100, "precision": 1e-4, "method": "gd"})
"""What a blank (or unset) field means in a descent: the engine's own defaults."""
FIT_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {"iterations": 10_000, "precision": 1e-9, "learning_rate": DEFAULT_LEARNING_RATE,
     "scale": True, "method": "gd", "model": "linear", "seed": 0, "l2": 0.0,
     "test_fraction": 0.0, "hidden": 0})
"""What a blank (or unset) field means in a fit: `fit`'s (and `train`'s) own defaults;
a blank batch size is the full batch and blank epochs are the iteration limit."""
MODEL_FIELDS = ("x", "y", "model", "batch_size", "epochs", "seed", "l2", "test_fraction",
                "hidden")
"""A fit's fields beyond the line (read by practice/fit_fields.py, run by `engine.train`)."""


@dataclass(frozen=True)
class KindRule:
    """One kind of exercise: the fields its pane shows, what its block must say, how it runs.

    `runs` is "descent", "fit" or None (nothing to run unless a function is given);
    `needs` are block keys without which the exercise is left out; `needs_goal` is
    the goal key the kind is about, if any.
    """

    kind: str
    fields: tuple[str, ...]
    runs: str | None
    needs: tuple[str, ...] = ()
    needs_goal: str | None = None
    defaults: Mapping[str, Any] = field(default_factory=lambda: DESCENT_DEFAULTS)


KINDS: Mapping[str, KindRule] = MappingProxyType({rule.kind: rule for rule in (
    KindRule("run", DESCENT_FIELDS, "descent", ("function", "start")),
    KindRule("step", DESCENT_FIELDS, "descent", ("function", "start")),
    KindRule("compare", DESCENT_FIELDS + ("compare",), "descent", ("function", "start",
                                                                   "compare")),
    KindRule("fit", FIT_FIELDS, "fit", ("data",), defaults=FIT_DEFAULTS),
    KindRule("numeric", (), None, needs_goal="answer"),
    KindRule("choice", (), None, ("options",), needs_goal="choice"),
    KindRule("code", ("code",), "code", ("entry", "cases", "reference")),
)})
"""Every `kind:` an exercise may have, by name; `run` is the default."""

EXERCISE_KINDS = tuple(KINDS)
EDITABLE_FIELDS = DESCENT_FIELDS + ("scale", "data", "x_column", "y_column") + MODEL_FIELDS
"""Field names an exercise may list under `editable:` (a model fit's own settings too)."""
ANSWER_KEYS = ("answer", "choice")
CODE_KEYS = ("code",)
"""What a learner types in a code exercise: the whole source of their function."""
ALWAYS_EDITABLE = ("answer", "x_column", "y_column")
"""Fields the learner may always type in: the answer, and which columns a fit reads."""
INPUT_KEYS = EDITABLE_FIELDS + ANSWER_KEYS + CODE_KEYS
"""Keys an attempt's inputs may hold."""

MODEL_GOALS = ("accuracy_at_least", "cost_at_most", "test_cost_at_most")
"""Goals only a model fit has: the training accuracy (logistic), the final training cost,
the final test cost (with a test split)."""
RUN_GOALS = ("converge_within", "diverge", "stop_at_limit", "end_near", "slope_near",
             "intercept_near") + MODEL_GOALS
"""Goals judged on the run the learner made."""
GOAL_KEYS = ("converge_within", "diverge", "stop_at_limit", "end_near", "learning_rate_between",
             "answer", "choice", "slope_near", "intercept_near", "function_equals",
             *MODEL_GOALS, "tolerance")
"""Keys a `goal:` mapping may hold (all given must hold; `tolerance` qualifies the others)."""

BLOCK_KEYS = frozenset({
    "id", "kind", "prompt", "question", "function", "start", "learning_rate", "iterations",
    "precision", "method", "editable", "goal", "hints", "solution", "wrong", "compare",
    "explain", "options", "data", "scale",
    "starter", "entry", "signature", "cases", "reference", "mistakes", "check",
    *MODEL_FIELDS,
})
"""Every key an ```exercise block may hold. A code exercise's own: `entry` (the function the
learner keeps), `signature`, `starter`, `cases`, `reference` (must pass), `mistakes`
(catalogue keys check-lessons must see diagnosed) and `check` (how its numbers are compared)."""
CODE_CHECKS = ("path", "mse", "step")
"""What a code exercise's function computes: the guesses of a descent (`path`), the mean
squared error of a line (`mse`), one descent step for slope and intercept (`step`)."""
CODE_CASE_KEYS = ("function", "start", "rate", "precision", "iterations", "xs", "ys", "slope",
                  "intercept")
"""Keys a code case may hold (path: function, start, rate, precision, iterations;
mse: xs, ys, slope, intercept; step: the same and rate)."""
MAX_CODE_CASES = 8
MAX_HINTS = 3


def kind_rule(kind: str) -> KindRule:
    """The rule for `kind` (KeyError for an unknown kind: the loader refuses those first)."""
    return KINDS[kind]


def defaults_for(kind: str) -> Mapping[str, Any]:
    """What blank fields mean for this kind of exercise (a descent's defaults if unknown)."""
    rule = KINDS.get(kind)
    return rule.defaults if rule is not None else DESCENT_DEFAULTS


def label(key: str) -> str:
    """The field's name in a sentence ("learning rate")."""
    rule = FIELDS.get(key)
    return rule.label if rule is not None else key.replace("_", " ")


def example(key: str) -> str:
    """A sensible example value for the field's messages."""
    rule = FIELDS.get(key)
    return rule.example if rule is not None else "0.1"
