"""Command palette entries (ctrl+p): go to a lesson, open the playground, reset an exercise.

Named `palette` so it does not read like `tutor/commands/` (the CLI layer).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tutor.ui.screens.main import TutorScreen


class PaletteProvider(Provider):
    """Offers "Go to lesson N: title", "Playground" and "Reset exercise"."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        if not isinstance(screen, TutorScreen):
            return []
        found: list[tuple[str, Callable[[], Any], str]] = [
            (f"Go to lesson {lesson.number}: {lesson.title}",
             partial(screen.open_lesson, lesson.slug), "Open this lesson")
            for lesson in screen.lessons.lessons
        ]
        found.append(("Playground", self.app.action_playground,  # type: ignore[attr-defined]
                      "Try any function, start and learning rate"))
        found.append(("Reset exercise", screen.reset_exercise,
                      "Put the current exercise back to its starting inputs"))
        return found

    async def discover(self) -> Hits:
        """Everything, before the learner types."""
        for title, command, text in self._commands():
            yield DiscoveryHit(title, command, help=text)

    async def search(self, query: str) -> AsyncIterator[Hit]:  # type: ignore[override]
        """The commands whose titles match what was typed, best first."""
        matcher = self.matcher(query)
        for title, command, text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=text)
