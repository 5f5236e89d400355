"""The lesson list: every lesson marked done / now / todo, plus lessons that failed to load."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# Symbol AND word for each state, so nothing depends on colour alone.
STATUS_MARKS = {"done": "✓ done", "now": "▶ now ", "todo": "· todo"}
PROBLEM_MARK = "⚠ error"
LESSON_PREFIX = "lesson:"
PROBLEM_PREFIX = "problem:"


@dataclass(frozen=True)
class LessonEntry:
    """One row of the list: a lesson's number, slug, title and state."""

    number: int
    slug: str
    title: str
    status: str
    done: int = 0
    """Exercises passed or skipped, of `total` (a lesson begun shows how far it got)."""
    total: int = 0


def lesson_status(exercise_keys: Sequence[str], finished: Collection[str], *,
                  is_current: bool, before_current: bool) -> str:
    """Say whether a lesson is "done", "now" (being read) or "todo".

    A lesson with exercises is done when each is passed or skipped; one
    without exercises is done once the learner has moved past it.
    """
    if exercise_keys and all(key in finished for key in exercise_keys):
        return "done"
    if is_current:
        return "now"
    if not exercise_keys and before_current:
        return "done"
    return "todo"


def entry_prompt(entry: LessonEntry) -> Text:
    """The text of one lesson row, e.g. "✓ done  1. Cost functions", or for a lesson begun
    and left, "◐ 2/4   5. The learning rate" (2 of its 4 exercises done)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    begun = entry.status == "todo" and 0 < entry.done < entry.total
    mark = f"◐ {entry.done}/{entry.total}".ljust(6) if begun else STATUS_MARKS[entry.status]
    text.append(mark, style="bold")  # where "todo" was: a long title cannot push it off
    text.append(f" {entry.number:>2}. {entry.title}")
    return text


def problem_prompt(path: Path | str) -> Text:
    """The text of a row for a lesson file that failed to load."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(PROBLEM_MARK, style="bold")
    text.append(f" {Path(path).name} (not loaded)")
    return text


class LessonList(OptionList):
    """Lessons in order, the current one highlighted; Enter or a click opens one."""

    class LessonChosen(Message):
        """The learner picked a lesson (by slug) or a broken file (by index)."""

        def __init__(self, slug: str | None, problem_index: int | None = None) -> None:
            super().__init__()
            self.slug = slug
            self.problem_index = problem_index

    def show_entries(self, entries: Iterable[LessonEntry], problems: Sequence[Path | str],
                     current: str | None) -> None:
        """Replace the rows, keeping the current lesson highlighted."""
        entries = list(entries)
        options = [Option(entry_prompt(e), id=f"{LESSON_PREFIX}{e.slug}") for e in entries]
        options += [Option(problem_prompt(p), id=f"{PROBLEM_PREFIX}{i}")
                    for i, p in enumerate(problems)]
        self.clear_options()
        self.add_options(options)
        slugs = [e.slug for e in entries]
        if current in slugs:
            self.highlighted = slugs.index(current)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(PROBLEM_PREFIX):
            self.post_message(self.LessonChosen(None, int(option_id[len(PROBLEM_PREFIX):])))
        else:
            self.post_message(self.LessonChosen(option_id[len(LESSON_PREFIX):]))
