"""Lesson pages: each lesson's widgets in one container, kept ready beside the one on show.

A lesson switch used to remove the old lesson's few hundred widgets and mount the new
one's, which Textual styles, composes and lays out one by one: about half a second
of CPU before the new first screen was complete. The reader now keeps a page per
lesson on a `PageShelf`: the lesson just left stays (hidden, display: none), and
the screen builds the next lesson's page in the background once the lesson on show
is fully mounted. Opening a lesson whose page is ready only swaps which page is
displayed; the pages of lessons that are no longer next to the one on show go.

Textual lays out every widget of a displayed page and sends each one Show and Resize
when it appears, so even a swap costs per widget; a shown page therefore first comes
with only its first screen displayed, and the rest is displayed after that paint.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from textual.containers import Vertical
from textual.widget import Widget

from tutor.lessons import Lesson


class LessonPage(Vertical):
    """One lesson's widgets; `drawn` says for which lesson and numbering once complete."""

    DEFAULT_CSS = "LessonPage { height: auto; }"

    def __init__(self, *children: Widget, first: int = 0) -> None:
        super().__init__(*children)
        self.drawn: tuple[Any, ...] | None = None  # set when every widget is mounted
        self.first = first or len(children)  # how many children make the first screen

    def rest(self) -> list[Widget]:
        """The children below the first screen."""
        return list(self.children)[self.first:]


def page_key(lesson: Lesson, number: int, total: int, next_title: str | None,
             notices: Sequence[str]) -> tuple[Any, ...]:
    """What a page shows: a page drawn for the same key can be shown again as it is."""
    return (id(lesson), lesson.slug, number, total, next_title, tuple(notices))


class PageShelf:
    """The complete pages by lesson slug (the one on show among them)."""

    def __init__(self) -> None:
        self._pages: dict[str, LessonPage] = {}

    def ready(self, slug: str, key: tuple[Any, ...]) -> LessonPage | None:
        """The complete page of `slug` if it was drawn for `key` (else None)."""
        page = self._pages.get(slug)
        return page if page is not None and page.drawn == key and page.is_attached else None

    def keep(self, slug: str, page: LessonPage, key: tuple[Any, ...]) -> LessonPage | None:
        """Shelve `page` as complete for `slug`; returns the page it replaces, if any."""
        page.drawn = key
        old = self._pages.get(slug)
        self._pages[slug] = page
        return old if old is not page else None

    def holds(self, page: LessonPage | None) -> bool:
        """True if `page` is on the shelf (so hiding it keeps it for later)."""
        return page is not None and any(p is page for p in self._pages.values())

    def clear_except(self, slugs: Collection[str], showing: LessonPage | None) -> list[LessonPage]:
        """Take off the shelf every page of a lesson not in `slugs` (never `showing`)."""
        gone = [slug for slug, page in self._pages.items()
                if slug not in slugs and page is not showing]
        return [self._pages.pop(slug) for slug in gone]
