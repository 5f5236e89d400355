"""Step mode: the three steps of one iteration, with that iteration's numbers."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tutor.ui.widgets.exercise.formatting import fmt, fmt_point


def describe_step(report: Any, learning_rate: float, method: str, names: tuple[str, ...]) -> str:
    """`1 predict: x = 3, f(x) = 9  2 calculate the error: slope = 6  3 learn: ...`."""
    one = len(names) == 1
    var = names[0] if one else "(" + ", ".join(names) + ")"
    slope_word = "slope" if one else "gradient"
    new = fmt_point(report.new_x)
    if method == "gd":
        learn = (f"{var} <- {var} - rate*{slope_word} = {fmt_point(report.x)} - "
                 f"{fmt(learning_rate)}*{_factor(report.gradient)} = {new}")
    else:
        learn = f"{var} <- {var} + {method} step = {fmt_point(report.x)} + {fmt_point(report.update)} = {new}"
    return (
        f"Step {report.n}:\n"
        f"1 predict: {var} = {fmt_point(report.x)}, f({', '.join(names)}) = {fmt(report.cost)}\n"
        f"2 calculate the error: {slope_word} = {fmt_point(report.gradient)}\n"
        f"3 learn: {learn}, new f = {fmt(report.new_cost)}"
    )


def _factor(values: Any) -> str:
    """A number as the right-hand factor of a product: `(-6)`, not `*-6`."""
    text = fmt_point(values)
    return f"({text})" if text.startswith("-") else text


class StepView(Static):
    """Shows the last single step; hidden until the learner takes one."""

    DEFAULT_CSS = """
    StepView { height: auto; padding: 0 1; display: none; }
    StepView.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__("", id="step-view")
        self.text = ""

    def show_step(self, report: Any, learning_rate: float, method: str,
                  names: tuple[str, ...]) -> None:
        """Describe `report` (an engine StepReport) and show the view."""
        self.show_text(describe_step(report, learning_rate, method, names))

    def show_text(self, text: str) -> None:
        """Show a step already put in words (a model's step: model_views.describe_batch_step)."""
        self.text = text
        self.update(Text(self.text))
        self.add_class("-shown")

    def clear(self) -> None:
        """Hide the view (a new run replaces step mode)."""
        if not self.text:
            return
        self.text = ""
        self.update("")
        self.remove_class("-shown")
