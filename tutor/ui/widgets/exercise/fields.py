"""The exercise's input fields: one compact labelled row per value, read-only where fixed."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Static
from textual.widgets.input import Selection

from tutor.lessons.schema import FIELDS, MAX_TEXT, METHODS
from tutor.ui.textual_compat import OrderedKeyInput

LABELS = {
    "function": "f =", "start": "start", "learning_rate": "rate", "iterations": "iters",
    "precision": "precision", "method": "method", "compare": "compare", "data": "data",
    "answer": "answer", "scale": "scale x", "x_column": "x col", "y_column": "y col",
    "x": "features", "y": "y col", "model": "model", "batch_size": "batch", "epochs": "epochs",
    "seed": "seed", "l2": "l2", "test_fraction": "test frac", "hidden": "hidden",
}
"""Short labels that fit three fields to a line at 80 columns."""

WIDE_FIELDS = ("function", "data", "answer", "x")
"""Fields that get a row of their own."""
LAST_FIELDS = ("compare", "scale")
"""Fields on a row of their own after the others (a list of rates or methods is long; the
scale box says in words what Space does)."""


@dataclass(frozen=True)
class FieldSpec:
    """One field: its inputs-dict key, its text, and whether the learner may change it."""

    key: str
    value: str
    editable: bool = True
    placeholder: str = ""
    label: str = ""
    """The label, when not the key's usual one (LABELS)."""


class FieldInput(OrderedKeyInput):
    """An exercise field: an Input that keeps fast typing in order (`x^2 Tab 3` lands 3 in
    the next field; `^u 5` leaves 5). The workaround lives in `tutor.ui.textual_compat`."""

    def continue_typing(self) -> None:
        """On its next focus leave the cursor after the text instead of selecting it all
        (resuming: the learner carries on where they stopped)."""
        self.select_on_focus = False
        self.selection = Selection.cursor(len(self.value))

    def on_blur(self) -> None:
        """Select the text again on the next focus (Tab into a field replaces its text)."""
        self.select_on_focus = True


class ScaleToggle(Checkbox, inherit_bindings=False):
    """The fit's scale checkbox: Space toggles it, Enter runs like every other field.
    Its label says on or off, so the state reads without colour (NO_COLOR)."""

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False)]

    def __init__(self, value: bool, **options: object) -> None:
        super().__init__(self.words(value), value, **options)  # type: ignore[arg-type]
        self.BUTTON_INNER = "X" if value else " "

    @staticmethod
    def words(value: bool) -> str:
        """The label for a state."""
        return "on (Space turns it off)" if value else "off (Space turns it on)"

    def watch_value(self) -> None:
        """Say the new state in the label, then let the checkbox report the change."""
        self.label = self.words(self.value)
        self.BUTTON_INNER = "X" if self.value else " "  # unticked reads as empty, not ▐X▌
        super().watch_value()


FOCUS_MARK = "▶"
"""Drawn before the label of the field that has the cursor: focus shows without colour."""


def wraps(spec: FieldSpec) -> bool:
    """A fixed text field shows its whole value, wrapped (a one-line Input would cut it)."""
    return not spec.editable and spec.key != "scale"


class FixedText(Static):
    """A fixed field's full text, wrapped onto more lines when narrow: never silently cut
    (at 60 columns `f = ((b + w - 2)^2 + ...)/3` lost its `/3`). The hidden Input beside it
    still holds the value the run reads."""

    DEFAULT_CSS = "FixedText { color: $text-muted; }"

    def __init__(self, value: str, **options: str) -> None:
        super().__init__(value, markup=False, **options)


class FieldRow(Horizontal):
    """A label and a one-line input (or the scale checkbox); `▶` marks the focused one."""

    DEFAULT_CSS = """
    FieldRow { height: 1; width: 1fr; }
    FieldRow > Label { width: auto; min-width: 7; padding: 0 1 0 0; color: $text-muted; }
    FieldRow.-focused > Label { color: $text; text-style: bold; }
    FieldRow > Input { width: 1fr; }
    FieldRow > Checkbox { width: 1fr; height: 1; border: none; padding: 0; }
    FieldRow > FixedText { width: 1fr; height: auto; display: none; }
    FieldRow.-cut { height: auto; }
    FieldRow.-cut > Input { display: none; }
    FieldRow.-cut > FixedText { display: block; }
    """

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(classes=f"field-{spec.key}")
        self.spec = spec

    def compose(self) -> ComposeResult:
        """Label then the editor for this field."""
        spec = self.spec
        yield Label(self._label(False))
        if spec.key == "scale":
            yield ScaleToggle(spec.value.lower() in ("1", "true", "yes", "on"), compact=True,
                              id="field-scale", disabled=not spec.editable)
            return
        suggester = SuggestFromList(METHODS, case_sensitive=False) if spec.key == "method" else None
        placeholder = spec.placeholder if spec.editable else ""  # no "e.g." in a fixed field
        rule = FIELDS.get(spec.key)
        yield FieldInput(spec.value, placeholder=placeholder, id=f"field-{spec.key}", compact=True,
                         disabled=not spec.editable, suggester=suggester, select_on_focus=True,
                         max_length=rule.max_length if rule is not None else MAX_TEXT)
        if wraps(spec):
            yield FixedText(spec.value, id=f"fixed-{spec.key}")

    def on_resize(self) -> None:
        """A fixed value wider than its one-line field is shown wrapped instead."""
        self.show_whole()

    def show_whole(self) -> None:
        """Wrap the fixed text (hiding the one-line Input) exactly when it would be cut."""
        if wraps(self.spec):
            room = self.size.width - self.query_one(Label).outer_size.width
            value = self.query_one(Input).value
            self.set_class(cell_len(value) > room, "-cut")

    def _label(self, focused: bool) -> str:
        return (FOCUS_MARK if focused else " ") + (
            self.spec.label or LABELS.get(self.spec.key, self.spec.key))

    def on_descendant_focus(self) -> None:
        """Mark this row: the cursor is in its field."""
        self._mark(True)

    def on_descendant_blur(self) -> None:
        """Unmark this row."""
        self._mark(False)

    def _mark(self, focused: bool) -> None:
        self.set_class(focused, "-focused")
        self.query_one(Label).update(self._label(focused))


class ExerciseFields(Vertical):
    """All fields of a pane, wide ones on their own line, the rest three to a line."""

    DEFAULT_CSS = """
    ExerciseFields { height: auto; }
    ExerciseFields > Horizontal { height: 1; }
    ExerciseFields > Horizontal.-tall { height: auto; }
    """

    def __init__(self, specs: Sequence[FieldSpec]) -> None:
        super().__init__(id="fields")
        self.specs = tuple(specs)

    def compose(self) -> ComposeResult:
        """Rows of FieldRow widgets in the order given."""
        narrow: list[FieldSpec] = []
        last: list[FieldSpec] = []
        for spec in self.specs:
            if spec.key in WIDE_FIELDS:
                yield Horizontal(FieldRow(spec), classes="-tall" if wraps(spec) else "")
            else:
                (last if spec.key in LAST_FIELDS else narrow).append(spec)
        for i in range(0, len(narrow), 3):
            group = narrow[i:i + 3]
            yield Horizontal(*(FieldRow(s) for s in group),
                             classes="-tall" if any(map(wraps, group)) else "")
        for spec in last:
            yield Horizontal(FieldRow(spec), classes="-tall" if wraps(spec) else "")

    @property
    def keys(self) -> tuple[str, ...]:
        """The inputs-dict keys these fields hold."""
        return tuple(s.key for s in self.specs)

    def values(self) -> dict[str, str]:
        """Every field's current text (the scale checkbox as 'true'/'false')."""
        out: dict[str, str] = {}
        for key in self.keys:
            if key == "scale":
                out[key] = "true" if self.query_one("#field-scale", Checkbox).value else "false"
            else:
                out[key] = self.query_one(f"#field-{key}", Input).value
        return out

    def set_values(self, values: Mapping[str, object]) -> None:
        """Put saved or default text back into the fields that exist."""
        for key, value in values.items():
            if key not in self.keys:
                continue
            if key == "scale":
                checked = str(value).lower() in ("1", "true", "yes", "on")
                self.query_one("#field-scale", Checkbox).value = checked
            else:
                self.query_one(f"#field-{key}", Input).value = str(value)
                for fixed in self.query(f"#fixed-{key}").results(FixedText):
                    fixed.update(str(value))
                    if isinstance(fixed.parent, FieldRow):
                        fixed.parent.show_whole()

    def first_editable(self, among: Collection[str] | None = None) -> Input | Checkbox | None:
        """The first field the learner may type in (only keys in `among`, when given)."""
        for spec in self.specs:
            if spec.editable and (among is None or spec.key in among):
                return self.query_one(f"#field-{spec.key}")  # type: ignore[return-value]
        return None
