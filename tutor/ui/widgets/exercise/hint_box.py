"""Hints one at a time, each more specific, then the solution revealed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tutor.lessons.schema import MAX_HINTS
from tutor.ui.widgets.exercise.formatting import fmt_point


def solution_text(solution: Mapping[str, Any]) -> str:
    """`learning_rate = 0.4` style text for the exercise's solution inputs; a code
    exercise's solution is its code, shown as code on its own lines (no field name)."""
    if set(solution) == {"code"} and isinstance(solution["code"], str):
        return "\n" + solution["code"].rstrip("\n")
    parts = []
    for key, value in solution.items():
        shown = fmt_point(value) if isinstance(value, (list, tuple)) else str(value)
        parts.append(f"{key.replace('_', ' ')} = {shown}")
    return ", ".join(parts) or "(no solution given)"


class HintBox(Static):
    """Hidden until the first hint; then lists the hints shown so far."""

    DEFAULT_CSS = """
    HintBox { height: auto; padding: 0 1; display: none; }
    HintBox.-shown { display: block; }
    """

    def __init__(self, hints: Sequence[str], solution: Mapping[str, Any], shown: int = 0) -> None:
        super().__init__("", id="hint-box")
        self.hints = tuple(hints)[:MAX_HINTS]
        self.solution = dict(solution)
        self.shown = 0
        self._in_view = False
        self._set_shown(shown)

    @property
    def limit(self) -> int:
        """How many presses there are: every hint, then the reveal."""
        return len(self.hints) + 1

    @property
    def revealed(self) -> bool:
        """Whether the solution is on show."""
        return self.shown > len(self.hints)

    def next_hint(self) -> int:
        """Show one more hint (or the solution after the last); return how many are shown.
        The box is then scrolled into view (the least scroll that shows it, so what the
        learner was looking at above it, such as the editor's cursor line, stays when
        both fit), and again when its lines are laid out."""
        self._set_shown(self.shown + 1)
        self._in_view = True
        self.call_after_refresh(self.scroll_visible, animate=False)
        return self.shown

    def on_resize(self) -> None:
        """A hint laid out after it was shown is brought into view again."""
        if self._in_view:
            self.scroll_visible(animate=False)

    def _set_shown(self, count: int) -> None:
        self.shown = max(0, min(count, self.limit))
        lines = [f"Hint {i + 1}: {h}" for i, h in enumerate(self.hints[:self.shown])]
        if self.revealed:
            lines.append(f"Solution: {solution_text(self.solution)}")
        self.update(Text("\n".join(lines)))
        self.set_class(self.shown > 0, "-shown")
