"""Every place gd-tutor leans on Textual beyond its public API, in one module.

Textual is pinned (see pyproject.toml). Each workaround below touches a private
name; tests/ui/test_textual_compat.py has one test per touchpoint, named after it,
so a Textual upgrade that moves one of these fails in exactly one clearly named
test instead of somewhere in the app. Nothing else in `tutor/` may use a private
Textual name (an underscore attribute of a Textual object or module).

Touchpoints:
- `bindings_by_key`: reads `DOMNode._bindings` (no public "all bindings of this node").
- `OrderedKeyInput`: overrides `Input._on_key` and marks re-posted keys with
  `Message._set_forwarded`, so a burst of keys stays in order.
- `SentenceOnCrashApp`: overrides `App._fatal_error` and uses `App._exit_renderables`
  and `App._close_messages_no_wait` to end with one sentence instead of a traceback.
- `AutoIndentTextArea`: overrides `TextArea._on_key` and `Widget._size_updated`, calls
  `TextArea._replace_via_keyboard` and `_rewrap_and_refresh_virtual_size`, reads
  `WrappedDocument._width` (Enter keeps the indent; the wrap follows the width).
- `preload_markdown`: imports the Markdown widget's module ahead of time (public
  `textual.widgets.markdown`, which Textual otherwise loads lazily on first use).
- `restyle_in_layout`: merges inline rules without a refresh and clears
  `Widget._layout_cache` and `Widget._clear_arrangement_cache()` (styles set while Textual
  lays a widget out, for that same layout).
- `FocusRestylesSelf`: overrides `Widget.watch_has_focus`, which restyles the widget
  and every descendant (`App.update_styles`) when it gains or loses focus.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.css.styles import Styles
from textual.dom import DOMNode
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input, TextArea


def bindings_by_key(node: DOMNode) -> Mapping[str, list[Binding]]:
    """Every binding a node (app, screen or widget) has, merged over its classes, by key."""
    return node._bindings.key_to_bindings  # noqa: SLF001 - no public API lists them


def forward_key(event: events.Key, target: DOMNode) -> None:
    """Post a copy of `event` to `target`, marked forwarded like Textual's own re-posts."""
    moved = events.Key(event.key, event.character)
    moved._set_forwarded()  # noqa: SLF001 - how Textual itself re-posts a key
    target.post_message(moved)


class OrderedKeyInput(Input):
    """An Input that keeps fast typing in order: `x^2 Tab 3` lands 3 in the next field,
    and `^u 5` leaves 5 (an edit key is not overtaken by the key after it).

    Textual moves focus on Tab only after the key has bubbled up to the app, and runs a
    focused widget's bindings only then, so keys that arrive in the same burst (over
    SSH, in tmux, while SymPy loads) would still reach the old field, or be typed
    before the edit. Here Tab moves focus at once, a key that reaches this field after
    focus left it is passed on, in order, to the field now focused (to the app again when
    focus is on a button or a list), and the field's own editing keys (backspace, ^u,
    Enter...) run here, not after bubbling. A screen's priority Tab binding should skip
    (`SkipAction`) while such a field has focus, so the Tab waits behind the keys before it.
    """

    async def _on_key(self, event: events.Key) -> None:
        """Keep keys in order (see the class docstring); otherwise the Input's own handling."""
        focused = self.screen.focused
        if focused is not self and isinstance(focused, OrderedKeyInput):
            forward_key(event, focused)
            _consume(event)
            return
        if focused is not self:
            # Focus went to a button or a list while this key waited here: hand it to the
            # app again, to go where a key arriving now would (after the keys before it).
            self.app.post_message(events.Key(event.key, event.character))
            _consume(event)
            return
        if event.key in ("tab", "shift+tab") and focused is self:
            _consume(event)
            (self.screen.focus_previous if event.key == "shift+tab" else self.screen.focus_next)()
            return
        if not event.is_printable and await self._run_own_binding(event.key):
            _consume(event)
            return
        await super()._on_key(event)

    async def _run_own_binding(self, key: str) -> bool:
        """Run this field's binding for `key` now (True if it did something).

        A binding that skips (page down in a one-line field) returns False and the key
        goes on up, to scroll the lesson."""
        for binding in bindings_by_key(self).get(key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        return False


def _consume(event: events.Key) -> None:
    event.stop()
    event.prevent_default()


class SentenceOnCrashApp(App[None]):
    """An App that can end an unexpected error with one sentence instead of a traceback.

    Subclasses say the sentence in `crash_sentence`; returning None keeps Textual's
    own traceback screen (for developers).
    """

    def crash_sentence(self, details: str) -> str | None:
        """The sentence to end with, given the traceback text; None: Textual's traceback."""
        return None

    def _fatal_error(self) -> None:
        """Textual's hook for an unhandled exception in the app (a private name)."""
        sentence = self.crash_sentence(traceback.format_exc())
        if sentence is None:
            super()._fatal_error()  # noqa: SLF001
            return
        self.bell()
        self._exit_renderables.append(sentence)  # noqa: SLF001 - printed after the app ends
        self._close_messages_no_wait()  # noqa: SLF001 - what Textual's own handler calls


def preload_markdown() -> None:
    """Import the Markdown widget now (e.g. in a thread), so the first lesson mounts it quickly."""
    import textual.widgets.markdown  # noqa: F401 - the import is the work


class AutoIndentTextArea(TextArea):
    """A TextArea where Enter keeps the line's indent, one level more after a colon (as
    Python editors do), and whose soft wrap follows its width. Touchpoints: overrides
    `TextArea._on_key`; calls `TextArea._replace_via_keyboard` so the edit is undoable
    and respects read-only; overrides `Widget._size_updated` and reads
    `WrappedDocument._width` to rewrap (`TextArea._rewrap_and_refresh_virtual_size`).
    In a real terminal an editor that came back wider (the lesson list closed) got no
    Resize, so its code stayed wrapped at the narrow width, a word a line."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if self.soft_wrap and self.wrapped_document._width != self.wrap_width:
            self.call_after_refresh(self._rewrap_and_refresh_virtual_size)
        return changed

    async def _on_key(self, event: events.Key) -> None:
        """The key (see `_key`), then `after_key` (a subclass's hook)."""
        await self._key(event)
        self.after_key(event)

    def after_key(self, event: events.Key) -> None:
        """Called after each key the editor was given; subclasses may act on it."""

    def dedent(self) -> None:
        """Take up to one indent (`indent_width` spaces) off the start of the cursor's line
        (of every selected line), as one undoable edit."""
        (row0, _), (row1, col1) = self.selection
        first, last = min(row0, row1), max(row0, row1)
        lines = [self.document.get_line(row) for row in range(first, last + 1)]
        cut = [min(len(line) - len(line.lstrip(" ")), self.indent_width) for line in lines]
        if not any(cut):
            return
        new = "\n".join(line[n:] for line, n in zip(lines, cut))
        self._replace_via_keyboard(new, (first, 0), (last, len(lines[-1])))
        self.move_cursor((row1, max(0, col1 - cut[row1 - first])))

    async def _key(self, event: events.Key) -> None:
        """Enter keeps the indent; the editor's own keys (backspace, arrows, ...) run here
        at once, as in `OrderedKeyInput`: run after bubbling, a burst (`A B BSpace C`) lost
        them and the keys after them; every other key is the TextArea's."""
        if event.key not in ("enter", "tab") and not event.is_printable:
            for binding in bindings_by_key(self).get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    _consume(event)
                    return
        if event.key != "enter" or self.read_only:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        indent = before[: len(before) - len(before.lstrip(" "))]
        if before.rstrip().endswith(":"):
            indent += " " * self.indent_width
        start, end = self.selection
        self._replace_via_keyboard("\n" + indent, start, end)


class FocusRestylesSelf:
    """Mixin (before the Widget class) for a container whose `:focus` rules style only
    itself: gaining or losing focus restyles it alone.

    Textual restyles the whole subtree instead, and matching the stylesheet costs about
    1 ms a widget: for the lesson reader, ~500 widgets of lesson pages, that was 0.5 s
    on every F3 out of the prose and every ^n back into it. Rules on the container's
    focus must not change what its children paint (a background they show through):
    they would not be repainted. (Not a Widget subclass: as one it would bring Widget's
    DEFAULT_CSS back in ahead of the container's own.)"""

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Restyle this widget only."""
        assert isinstance(self, Widget)
        self.app.stylesheet.update_nodes([self], animate=True)


def restyle_in_layout(widget: Widget, css: str) -> None:
    """Set inline `css` on `widget` from its `get_content_height`, for the layout under way.

    The public ways (`set_styles`, `widget.styles.layout = ...`) refresh the widget, and a
    refresh during a layout looks the widget's region up in the compositor's map, which is
    being rebuilt: ~15 ms a call, 0.2 s each time a lesson page with folded button rows was
    shown. Here the rules are merged without a refresh and the widget's layout caches are
    cleared, so the layout under way (the widget's height, then its children's places)
    reads them."""
    widget.styles.merge_rules(Styles.parse(css, ("gd-tutor", "restyle_in_layout")).get_rules())
    widget._layout_cache.clear()  # noqa: SLF001 - heights measured with the old rules
    widget._clear_arrangement_cache()  # noqa: SLF001 - children placed by the old rules
