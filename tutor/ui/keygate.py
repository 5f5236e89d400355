"""KeyGate: keys that arrive while the screen is changing wait, then go on in order.

Textual hands each key to the widget focused when the key is read. While a lesson is
being mounted (start-up, resume, a lesson chosen from the list) the widget a learner is
typing towards does not exist yet, so a burst such as `Tab 6` would reach the old
widget or nothing. The app asks the gate about every key from the terminal; the
screen says when it is changing and releases the gate once the new content has focus.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events

ALWAYS = frozenset({"ctrl+q", "ctrl+c"})
"""Keys never held: quitting works even while a lesson loads."""


class KeyGate:
    """Holds terminal keys while closed and posts them again, in order, when released."""

    def __init__(self, post: Callable[[events.Key], object]) -> None:
        self._post = post
        self._held: list[events.Key] = []

    @property
    def held(self) -> int:
        """How many keys are waiting."""
        return len(self._held)

    def hold(self, event: events.Key, closed: bool) -> bool:
        """Keep `event` for later if the gate is `closed` (True when it was kept)."""
        if not closed or event.key in ALWAYS:
            return False
        self._held.append(event)
        return True

    def release(self) -> None:
        """Post every held key again, oldest first (before any key read after this)."""
        held, self._held = self._held, []
        for event in held:
            self._post(events.Key(event.key, event.character))
