"""A fit exercise is laid out as a model exactly when practice trains a model for it.

The pane used its own rule (any model key written): `method: adam` on a line fit was laid
out as a line while practice trained a model, and `l2: 0` the other way round (Ctrl+T
then refused with "this fit is a line")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.lessons import load_lessons
from tutor.practice.attempts import read
from tutor.ui.widgets.exercise.specs import exercise_keys, trains_model

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"
LESSON = """---
title: Fits
slug: fits
order: 1
objectives:
  - Fit.
recap: Fitted.
---

# Fits

```exercise
id: {id}
kind: fit
prompt: Fit it.
data: {data}
learning_rate: 0.1
{extra}
goal:
  {goal}
solution: {{learning_rate: 0.1}}
wrong: [{{learning_rate: 0.000001}}]
```
"""


@pytest.mark.parametrize(("extra", "model"), [
    ("method: adam", True), ("l2: 0", False), ("l2: 0.1", True), ("", False),
    ("editable: [learning_rate, l2]", True)])
def test_the_layout_agrees_with_practice(tmp_path: Path, extra: str, model: bool) -> None:
    (tmp_path / "01-fits.md").write_text(
        LESSON.format(id="fit", data=DATA / "houses.csv", extra=extra,
                      goal="cost_at_most: 1000000" if model else "slope_near: [0.2, 0.1]"), encoding="utf-8")
    lessons = load_lessons(tmp_path)
    assert not lessons.problems, lessons.problems
    exercise = lessons.lessons[0].exercises[0]
    assert trains_model(exercise) is model
    assert ("iterations" not in exercise_keys(exercise)) is model  # a model counts epochs
    settings = read(exercise, {}, "fit")
    if "editable" not in extra:  # what is written is what practice runs
        assert settings.trains_model is model
