"""Moving between the exercises of a lesson with one key, and back to where the learner was.

Pure helpers for `TutorScreen`: which pane is "here" (the one holding focus, else the
one at the top of the reader), which is next or previous, and the text that says where
the cursor was (`lesson/exercise#field`, kept by the progress store between visits; a field
that has a place inside it, the code editor, adds it: `lesson/exercise#code-editor@row:column`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.widget import Widget

from tutor.ui.textual_compat import OrderedKeyInput
from tutor.wording import plural_of

if TYPE_CHECKING:
    from tutor.ui.widgets.exercise import ExercisePane


def pane_holding(node: Widget | None) -> ExercisePane | None:
    """The exercise pane that `node` sits in (None outside every pane)."""
    from tutor.ui.widgets.exercise import ExercisePane

    while node is not None and not isinstance(node, ExercisePane):
        node = node.parent if isinstance(node.parent, Widget) else None
    return node


def neighbour(panes: Sequence[ExercisePane], here: ExercisePane | None, top: float,
              step: int) -> ExercisePane | None:
    """The pane `step` (+1 / -1) away from `here`; without `here`, the first pane at or
    below the reader's top line `top` (+1) or the last one above it (-1)."""
    if here in panes:
        index = panes.index(here) + step
        return panes[index] if 0 <= index < len(panes) else None
    if step > 0:
        return next((p for p in panes if p.virtual_region.y >= top), None)
    return next((p for p in reversed(panes) if p.virtual_region.y < top), None)


def place_text(pane: ExercisePane, widget: Widget | None) -> str | None:
    """Where the cursor is, as `lesson/exercise#field` (None outside an exercise's fields),
    with `@mark` when the field says where inside it (`place_mark()`, e.g. `@12:4`)."""
    if not pane.key or widget is None or not widget.id:
        return None
    mark = widget.place_mark() if hasattr(widget, "place_mark") else ""
    return f"{pane.key}#{widget.id}" + (f"@{mark}" if mark else "")


def parse_place(text: str | None) -> tuple[str, str] | None:
    """(exercise key, widget id) from `place_text`'s text, or None if it is not one."""
    key, hash_mark, widget_id = (text or "").partition("#")
    widget_id = widget_id.partition("@")[0]
    return (key, widget_id) if hash_mark and key and widget_id else None


def mark_of(text: str | None) -> str:
    """The place inside the field (`12:4`) from `place_text`'s text, '' when there is none."""
    return (text or "").partition("#")[2].partition("@")[2]


class ExerciseMoves:
    """TutorScreen's keys for moving between exercises and its memory of the cursor's place.

    A mixin: the screen supplies `reader`, `store`, `focused`, `set_focus`, `notify`,
    `call_after_refresh`, `_settled` and `_focused_pane`.
    """

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter moves on only from a passed exercise; the page keys leave the list its own."""
        if action == "move_on":
            pane = self._focused_pane()
            return pane is not None and pane.ready_to_move_on
        if action == "page":
            return getattr(self.focused, "id", None) != "lesson-list"
        return True

    def action_next_exercise(self) -> None:
        """Scroll to the next exercise and put the cursor in its first field."""
        self._after_typed_keys(self.move_to_exercise, 1)

    def action_previous_exercise(self) -> None:
        """Scroll to the previous exercise and put the cursor in its first field."""
        self._after_typed_keys(self.move_to_exercise, -1)

    def action_focus_move(self, step: int) -> None:
        """Tab / Shift+Tab. A field that keeps typing in order moves the focus itself, after
        the keys typed before the Tab, so the burst `abc Tab def` fills two fields; elsewhere
        the app's focus chain moves at once."""
        if isinstance(self.focused, OrderedKeyInput):
            raise SkipAction()
        (self.app.action_focus_next if step > 0 else self.app.action_focus_previous)()

    def _after_typed_keys(self, move: Callable[[int], None], step: int) -> None:
        """Run `move(step)` once the focused field has taken the keys typed before this one.

        A priority binding runs as its key arrives, while the characters typed just before
        it may still wait in the field's queue; moving focus then would carry them to the
        next field (`0.5 F3` typed 0.5 into the next exercise). Queued behind them, the move
        comes after them, and the keys typed after it follow the focus, in order."""
        focused = self.focused
        if isinstance(focused, OrderedKeyInput):
            focused.call_later(move, step)
        else:
            move(step)

    def action_move_on(self) -> None:
        """Enter after a pass: on to the next exercise (or say how to reach the next lesson)."""
        self.move_to_exercise(1)

    def action_page(self, step: int) -> None:
        """Scroll the lesson a page, whatever has focus."""
        (self.reader.scroll_page_down if step > 0 else self.reader.scroll_page_up)()

    def move_to_exercise(self, step: int) -> None:
        """Show the exercise `step` away from this one with its first field focused."""
        if not self._settled.is_set():
            return
        target = neighbour(self.reader.panes, self._focused_pane(), self.reader.scroll_y,
                           step)
        if target is None:
            self.app.clear_notifications()  # pressed again: one notice, not a pile of them
            self.notify(self._last_exercise_words() if step > 0
                        else "This is the first exercise of the lesson.")
            return
        self.show_pane(target)

    def _last_exercise_words(self) -> str:
        """Past the last exercise: the next lesson, or the exercises of this one still open
        (a learner who jumped ahead was told "that was the last exercise" with two undone)."""
        open_ones = [str(n) for n, p in enumerate(self.reader.panes, 1) if not p.passed]
        more = self._has_next_lesson()  # on the last lesson ^n has nowhere to go
        if not open_ones:
            return ("That was the last exercise here: ^n opens the next lesson." if more
                    else "That was the last exercise of the last lesson. Well done!")
        listed = (open_ones[0] if len(open_ones) == 1
                  else ", ".join(open_ones[:-1]) + " and " + open_ones[-1])
        word, verb = ("exercise", "is") if len(open_ones) == 1 else (plural_of("exercise"), "are")
        return (f"That was the last exercise here, but {word} {listed} {verb} not done yet: "
                f"f2 goes back{', ^n opens the next lesson' if more else ''}.")

    def show_pane(self, pane: ExercisePane, widget: Widget | None = None) -> None:
        """Scroll `pane` to the top of the reader and focus `widget` (else its entry field)."""
        self.reader.scroll_to_widget(pane, top=True, animate=False, immediate=True)
        target = widget or pane.entry()
        if widget is not None and hasattr(widget, "continue_typing"):
            widget.continue_typing()
        self.set_focus(target or self.reader, scroll_visible=False)  # now: the next key goes there

    def _restore_place(self) -> bool:
        """Put the cursor back in the field it was in when the learner left (if on show)."""
        place = parse_place(self.store.place())
        pane = next((p for p in self.reader.panes if place and p.key == place[0]), None)
        if pane is None or place is None:
            return False
        widget = next((w for w in pane.query("*") if w.id == place[1] and w.focusable), None)
        self.call_after_refresh(self.show_pane, pane, widget)
        mark = mark_of(self.store.place())
        if mark and widget is not None and hasattr(widget, "go_to_mark"):
            self.call_after_refresh(widget.go_to_mark, mark)  # the cursor inside the editor
        return True

    def _save_place(self) -> None:
        """Remember the field holding the cursor (for `_restore_place` next time)."""
        pane = self._focused_pane()
        place = place_text(pane, self.focused) if pane is not None else None
        if place is not None and place != self.store.place():
            self.store.set_place(place)
