"""The status line: what happened to the run, in words, and whether the check passed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tutor.practice.verdicts import endless_slide
from tutor.ui.widgets.exercise.formatting import fmt, fmt_named

STATUS_WORDS = {
    "converged": "converged in {n} {its}",
    "diverged": "diverged after {n} {its}",
    "max_iterations": "stopped at the iteration limit ({n} {its})",
    "stopped": "cancelled after {n} {its}",
}
"""How each engine status reads to a learner (the words carry it, not colour)."""


def status_words(status: str, nit: int) -> str:
    """`converged in 40 updates`, `diverged after 1 update`, ...: "updates", the word the
    check's verdict uses for the same count."""
    words = STATUS_WORDS.get(status, str(status) + " after {n} {its}")
    return words.format(n=f"{nit:,}" if nit >= 100_000 else nit,
                        its="update" if nit == 1 else "updates")


def describe_result(result: Any, advice: bool = True) -> str:
    """`converged in 40 updates: x = 0.0004, cost = 1.6e-07.` plus, for a run that did
    not converge, the engine's reason (and its advice when `advice`, i.e. no check follows)."""
    where = fmt_named(tuple(result.variables), tuple(result.x))
    text = f"{status_words(result.status, result.nit)}: {where}, cost = {fmt(result.fun)}."
    if not advice and result.status in ("converged", "max_iterations"):
        return text  # the check's verdict says why, and what to try
    if result.status == "max_iterations" and endless_slide(result):
        return f"{text} The cost kept falling at the same pace: f may have no lowest point."
    message = str(getattr(result, "message", "") or "").strip()
    if message and not advice:
        message = message.split(";")[0].rstrip(".") + "."
    return f"{text} {message}" if message else text


def describe_fit(result: Any, x_name: str = "x", y_name: str = "y") -> str:
    """A fit's outcome: status, line and cost in one sentence, the line in the data's own
    column names (`price = 323.8 - 1.452*age`, never `+ -1.452*x`)."""
    sign = "-" if result.slope < 0 else "+"
    line = f"{y_name} = {fmt(result.intercept)} {sign} {fmt(abs(result.slope))}*{x_name}"
    return f"Fit {status_words(result.status, result.nit)}: {line}, cost = {fmt(result.cost)}."


class RunStatus(Static):
    """One or two lines: the run's outcome (or the one-sentence problem), then the check."""

    DEFAULT_CSS = """
    RunStatus { height: auto; min-height: 1; padding: 0 1; }
    RunStatus.-error { color: $error; }
    """

    def __init__(self) -> None:
        super().__init__("Press Enter to run.", id="status")
        self.outcome_text = ""
        self.check_text = ""
        self._in_view = False  # keep the verdict in view while its size settles

    def bring_into_view(self) -> None:
        """Scroll the whole verdict into view, now and each time its size changes until the
        next run (its lines are laid out a refresh or more after the text is set: scrolling
        once could show only its top)."""
        self._in_view = True
        self.call_after_refresh(self.scroll_visible)

    def on_resize(self) -> None:
        """A verdict that grew after it was brought into view is brought in again."""
        if self._in_view:
            self.scroll_visible(animate=False)

    def _show(self, error: bool = False) -> None:
        if not self.check_text:
            self._in_view = False
        self.set_class(error, "-error")
        lines = [t for t in (self.outcome_text, self.check_text) if t]
        self.update(Text("\n".join(lines)))

    def show_text(self, text: str) -> None:
        """Any plain outcome sentence; clears the check line."""
        self.outcome_text, self.check_text = text, ""
        self._show()

    def show_error(self, sentence: str) -> None:
        """A problem with the input, as the one sentence the engine or checks gave."""
        self.outcome_text, self.check_text = f"Problem: {sentence}", ""
        self._show(error=True)

    def show_progress(self, done: int, total: int, unit: str = "updates") -> None:
        """How far a long run is (in updates, or a model's epochs), and how to stop it."""
        self.outcome_text = f"Running... {done:,} of {total:,} {unit} (Esc cancels)"
        self.check_text = ""
        self._show()

    def drop_lines(self, *lines: str) -> None:
        """Leave these lines out of the outcome (what to do next, once it is done)."""
        self.outcome_text = "\n".join(
            line for line in self.outcome_text.split("\n") if line not in lines)
        self._show()

    def show_check(self, passed: bool | None, message: str) -> None:
        """The check's verdict under the outcome: PASS / NOT YET and why."""
        if passed is None:
            self.check_text = message
        elif passed is False and message.lower().startswith("not yet: "):
            self.check_text = f"NOT YET: {message[len('not yet: '):]}"
        else:
            self.check_text = f"{'PASS' if passed else 'NOT YET'}: {message}".rstrip(": ")
        self._show()
