"""Moving between the exercises of a lesson with one key, and back to where the learner was.

Pure helpers for `TutorScreen`: which pane is "here" (the one holding focus, else the
one at the top of the reader), which is next or previous, and the text that says where
the cursor was (`lesson/exercise#field`, kept by the progress store between visits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.widget import Widget

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
    """Where the cursor is, as `lesson/exercise#field` (None outside an exercise's fields)."""
    if not pane.key or widget is None or not widget.id:
        return None
    return f"{pane.key}#{widget.id}"


def parse_place(text: str | None) -> tuple[str, str] | None:
    """(exercise key, widget id) from `place_text`'s text, or None if it is not one."""
    key, mark, widget_id = (text or "").partition("#")
    return (key, widget_id) if mark and key and widget_id else None
