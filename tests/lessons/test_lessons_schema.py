"""One schema table: kinds, fields, defaults and limits, read by the loader and the pane."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.lessons import load_lessons
from tutor.lessons.schema import (
    BLOCK_KEYS, DESCENT_DEFAULTS, FIELDS, FIT_DEFAULTS, KINDS, LESSON_FORMAT, METHODS,
)

LESSON = """---
title: Schema
slug: schema
order: 1
{format}objectives:
  - Check the schema.
---

```exercise
id: a-run
function: x^2
start: 3
learning_rate: 0.1
goal: {{converge_within: 50}}
solution: {{}}
wrong: [{{}}]
```

```exercise
id: a-fit
kind: fit
data: line.csv
goal: {{slope_near: 2}}
solution: {{}}
wrong: [{{}}]
```
"""


def _load(tmp_path: Path, front: str = "") -> tuple[list, list]:
    (tmp_path / "01-schema.md").write_text(LESSON.format(format=front), encoding="utf-8")
    lesson_set = load_lessons(tmp_path)
    return list(lesson_set.lessons), list(lesson_set.problems)


def test_the_schemas_methods_are_the_engines() -> None:
    from tutor.engine import METHODS as ENGINE_METHODS

    assert METHODS == ENGINE_METHODS


def test_every_kind_shows_known_fields() -> None:
    for rule in KINDS.values():
        assert set(rule.fields) <= set(FIELDS), rule.kind
        assert set(rule.needs) <= BLOCK_KEYS, rule.kind


def test_the_loader_fills_in_the_kinds_defaults(tmp_path: Path) -> None:
    (lesson,), problems = _load(tmp_path)
    run, fit = lesson.exercises
    assert (run.iterations, run.precision, run.method) == (
        DESCENT_DEFAULTS["iterations"], DESCENT_DEFAULTS["precision"], DESCENT_DEFAULTS["method"])
    assert (fit.iterations, fit.precision) == (FIT_DEFAULTS["iterations"],
                                               FIT_DEFAULTS["precision"])


def test_front_matter_may_say_the_format(tmp_path: Path) -> None:
    lessons, problems = _load(tmp_path, f"format: {LESSON_FORMAT}\n")
    assert len(lessons) == 1 and problems == []


@pytest.mark.parametrize("written", ["2", "'one'"])
def test_an_unknown_format_is_one_problem_at_its_line(tmp_path: Path, written: str) -> None:
    lessons, problems = _load(tmp_path, f"format: {written}\n")
    assert lessons == []
    (problem,) = problems
    assert problem.line == 5 and "this gd-tutor reads format 1" in problem.message
