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
    """Holds terminal keys while closed and posts them again, in order, when released.

    A key read after the gate opened, but before the keys it posted again have been
    handled, waits behind them too: it was typed after them (`^n ^n F3 F3 4` sent the
    `4` to the old page ahead of the two F3s). A released key that finds the gate closed
    again (an earlier one started another change) is held again, in its place.
    """

    def __init__(self, post: Callable[[events.Key], object]) -> None:
        self._post = post
        self._held: list[tuple[int, events.Key]] = []  # (place in typing order, key)
        self._released: dict[events.Key, int] = {}  # posted again, not yet handled
        self._typed = 0  # keys read from the terminal so far

    @property
    def held(self) -> int:
        """How many keys are waiting (held, or posted again and not yet handled)."""
        return len(self._held) + len(self._released)

    def hold(self, event: events.Key, closed: bool) -> bool:
        """Keep `event` for later if the gate is `closed` or keys posted again are still
        ahead of it (True when it was kept)."""
        if event.key in ALWAYS:
            return False
        place = self._released.pop(event, None)
        released = place is not None
        if place is None:
            self._typed += 1
            place = self._typed
        if closed or (self._released and not released):
            self._held.append((place, event))
            self._held.sort(key=lambda held: held[0])  # a key held again keeps its place
            return True
        if released and not self._released and self._held:
            self.release()  # the keys read meanwhile go on after this one
        return False

    def release(self) -> None:
        """Post every held key again, in the order typed (before any key read after this)."""
        held, self._held = self._held, []
        for place, event in held:
            again = events.Key(event.key, event.character)
            self._released[again] = place
            self._post(again)
