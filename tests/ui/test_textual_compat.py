"""One test per place gd-tutor leans on Textual internals (tutor/ui/textual_compat.py).

A Textual upgrade that breaks a workaround fails the one test named after it here;
the last tests keep every other module off Textual's private names.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input
from ui_testkit import count_restyles, wait_until

import tutor
import tutor.ui
from tutor.ui import textual_compat
from tutor.ui.textual_compat import OrderedKeyInput, bindings_by_key

UI = Path(tutor.ui.__file__).parent


class TwoFields(App[None]):
    BINDINGS = [Binding("f2", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield OrderedKeyInput(id="first")
        yield OrderedKeyInput(id="second")


def _field(app: App[None], name: str) -> Input:
    return app.query_one(f"#{name}", Input)


async def test_bindings_by_key_reads_the_merged_bindings_of_app_and_widget() -> None:
    """Touchpoint `DOMNode._bindings` (help screen, FieldInput's own edit keys)."""
    app = TwoFields()
    async with app.run_test(size=(40, 5)):
        of_app = bindings_by_key(app)
        assert [b.action for b in of_app["f2"]] == ["bell"]  # declared here
        assert app.COMMAND_PALETTE_BINDING in of_app  # inherited from App
        of_input = bindings_by_key(_field(app, "first"))
        assert [b.action for b in of_input["backspace"]] == ["delete_left"]
        assert [b.action for b in of_input["ctrl+u"]] == ["delete_left_all"]


async def test_ordered_key_input_passes_late_keys_on_and_moves_focus_at_once() -> None:
    """Touchpoints `Input._on_key` (overridden) and `Message._set_forwarded` (re-posted keys)."""
    app = TwoFields()
    async with app.run_test(size=(40, 5)) as pilot:
        first, second = _field(app, "first"), _field(app, "second")
        second.focus()
        await pilot.pause()
        first.post_message(events.Key("a", "a"))  # arrives at the field focus has left
        await wait_until(pilot, lambda: second.value == "a", "the late key reaching the focused field")
        assert first.value == ""
        second.value = ""
        first.focus()
        await pilot.pause()
        for key, char in [("x", "x"), ("tab", "\t"), ("y", "y")]:  # one burst
            first.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: second.value == "y", "the key after Tab reaching the next field")
        assert first.value == "x" and app.focused is second


async def test_ordered_key_input_runs_its_edit_key_before_the_next_character() -> None:
    """Touchpoint: the field's own binding (`^u`) runs in `_on_key`, not after bubbling."""
    app = TwoFields()
    async with app.run_test(size=(40, 5)) as pilot:
        first = _field(app, "first")
        first.value = "99"
        first.cursor_position = 2
        first.focus()
        await pilot.pause()
        for key, char in [("ctrl+u", None), ("3", "3")]:
            first.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: "3" in first.value, "the character after ^u")
        assert first.value == "3"


CRASHING_APP = """
import sys
from textual_compat_probe import Crashing
Crashing(sys.argv[1]).run(headless=True)
"""

PROBE_MODULE = """
from pathlib import Path
from tutor.ui.textual_compat import SentenceOnCrashApp

class Crashing(SentenceOnCrashApp):
    def __init__(self, log):
        super().__init__()
        self.log_path = Path(log)

    def on_mount(self):
        raise RuntimeError("planted by the test")

    def crash_sentence(self, details):
        self.log_path.write_text(details, encoding="utf-8")
        return "It stopped; nothing is lost."
"""


async def test_auto_indent_text_area_keeps_the_indent_and_adds_a_level_after_a_colon() -> None:
    from textual.app import App, ComposeResult

    from tutor.ui.textual_compat import AutoIndentTextArea

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield AutoIndentTextArea("def f(x):", id="area")

    app = Editor()
    async with app.run_test() as pilot:
        area = app.query_one(AutoIndentTextArea)
        area.focus()
        area.cursor_location = (0, len("def f(x):"))
        await pilot.press("enter", "r", "enter", "s")
        assert area.text == "def f(x):\n    r\n    s"
        await pilot.press("ctrl+z")  # the edit went through the undoable keyboard path
        assert area.text != "def f(x):\n    r\n    s"


async def test_auto_indent_text_area_keeps_a_burst_of_edit_keys_in_order() -> None:
    """Keys that arrive together (over SSH, in tmux): Textual alone drops the backspaces,
    the arrow and the keys after them (it gives 'ABC' and 'DE' here)."""
    from textual.app import App, ComposeResult

    from tutor.ui.textual_compat import AutoIndentTextArea

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield AutoIndentTextArea("line", id="area")

    app = Editor()
    async with app.run_test() as pilot:
        area = app.query_one(AutoIndentTextArea)
        area.focus()
        area.cursor_location = (0, 4)
        await pilot.pause()
        burst = [("enter", None), ("A", "A"), ("B", "B"), ("backspace", None), ("C", "C"),
                 ("enter", None), ("D", "D"), ("E", "E"), ("backspace", None), ("F", "F"),
                 ("up", None), ("G", "G")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: area.text == "line\nACG\nDF", "the burst typed in order")


async def test_auto_indent_text_area_rewraps_when_its_width_changes_without_a_resize(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """In a real terminal an editor that came back wider got no Resize: its code stayed
    wrapped a word a line. The Resize is taken away here; the new width must still rewrap."""
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    from tutor.ui.textual_compat import AutoIndentTextArea

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield AutoIndentTextArea("from sympy import symbols, lambdify " * 2, id="area",
                                     soft_wrap=True)

    app = Editor()
    async with app.run_test(size=(80, 12)) as pilot:
        area = app.query_one(AutoIndentTextArea)
        area.styles.width = 20
        await wait_until(pilot, lambda: area.wrapped_document.height > 3, "wrapped narrow")
        monkeypatch.setattr(TextArea, "_on_resize", lambda self: None)  # the lost Resize
        area.styles.width = 78
        await wait_until(pilot, lambda: area.wrapped_document.height <= 2, "rewrapped wide")


def test_sentence_on_crash_app_ends_with_one_sentence_and_hands_over_the_traceback(
        tmp_path: Path) -> None:
    """Touchpoints `App._fatal_error`, `App._exit_renderables`, `App._close_messages_no_wait`."""
    (tmp_path / "textual_compat_probe.py").write_text(PROBE_MODULE, encoding="utf-8")
    log = tmp_path / "details.txt"
    done = subprocess.run([sys.executable, "-c", CRASHING_APP, str(log)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    shown = done.stdout + done.stderr
    assert "It stopped; nothing is lost." in shown
    assert "Traceback" not in shown and "planted" not in shown
    assert "RuntimeError: planted by the test" in log.read_text(encoding="utf-8")


MARKDOWN_PROBE = """
import sys
from tutor.ui.textual_compat import preload_markdown
preload_markdown()
before = set(sys.modules)
from textual.widgets import Markdown
Markdown("**Recap.** some text")
print(sorted(set(sys.modules) - before))
"""


def test_preload_markdown_leaves_nothing_for_the_first_markdown_widget_to_import() -> None:
    """Touchpoint: Textual loads the Markdown widget lazily; the preload does it up front."""
    done = subprocess.run([sys.executable, "-c", MARKDOWN_PROBE], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


async def test_focus_restyles_self_restyles_the_container_alone() -> None:
    """Touchpoint: Textual restyles a widget's whole subtree when its focus changes; the
    mixin restyles the widget alone, and its own `:focus` rule still applies."""
    from textual.color import Color
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    from tutor.ui.textual_compat import FocusRestylesSelf

    class Reader(FocusRestylesSelf, VerticalScroll):
        DEFAULT_CSS = "Reader:focus { scrollbar-color: red; }"

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            with Reader(id="reader"):
                yield from (Static(f"line {i}") for i in range(40))
            yield Input(id="field")

    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        reader = app.query_one(Reader)
        assert reader.allow_vertical_scroll  # VerticalScroll's own CSS still applies
        restyled = count_restyles(app)
        app.query_one("#field").focus()
        await pilot.pause()
        assert reader.styles.scrollbar_color != Color.parse("red")
        reader.focus()
        await pilot.pause()
        assert reader.styles.scrollbar_color == Color.parse("red")
        app.query_one("#field").focus()
        await pilot.pause()
        assert reader.styles.scrollbar_color != Color.parse("red")
        assert restyled and max(restyled) < 5, restyled  # not the 41 widgets of the subtree


async def test_restyle_in_layout_is_read_by_the_layout_under_way() -> None:
    """Touchpoint: rules merged from `get_content_height`, with the widget's layout caches
    cleared, decide that same layout: its height and its children's places."""
    from textual.containers import Horizontal
    from textual.geometry import Size
    from textual.widgets import Static

    from tutor.ui.textual_compat import restyle_in_layout

    class Row(Horizontal):
        DEFAULT_CSS = "Row { height: auto; } Row > Static { width: 6; height: 1; }"

        def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
            narrow = 6 * sum(1 for cell in self.children if cell.display) > width
            restyle_in_layout(self, "layout: grid; grid-size: 2; grid-columns: 6 6; "
                                    "grid-rows: 1;" if narrow else "layout: horizontal;")
            return super().get_content_height(container, viewport, width)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            with Row():
                yield from (Static(f"cell{i}") for i in range(4))

    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        row = app.query_one(Row)
        await pilot.pause()
        assert row.size.height == 1 and {c.region.y for c in row.children} == {0}
        await pilot.resize_terminal(16, 10)
        await wait_until(pilot, lambda: row.size.width == 16, "the narrow width")
        assert row.size.height == 2  # two rows of two, in the same layout
        assert sorted(c.region.y for c in row.children) == [0, 0, 1, 1]
        for cell in list(row.children)[2:]:  # the same width, two cells fewer: one row
            cell.display = False
        await wait_until(pilot, lambda: row.size.height == 1, "one row of two cells")
        for cell in row.children:
            cell.display = True
        await wait_until(pilot, lambda: row.size.height == 2, "two rows again")
        await pilot.resize_terminal(40, 10)
        await wait_until(pilot, lambda: row.size.width == 40, "the wide width")
        assert row.size.height == 1 and {c.region.y for c in row.children} == {0}


# ------------------------------------------------- no private Textual name elsewhere


def _ui_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages([str(UI)], "tutor.ui.")]
    return [name for name in names if name != textual_compat.__name__]


def private_overrides(module_names: list[str]) -> list[str]:
    """`module.Class._name` where a gd-tutor class redefines a private Textual method."""
    found = []
    for name in module_names:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != name or not issubclass(cls, DOMNode):
                continue
            for attr, value in vars(cls).items():
                if not inspect.isfunction(value) or attr.startswith("__"):
                    continue  # Textual's metaclass also sets private class attributes
                if attr.startswith("_") and any(
                        base.__module__.startswith("textual") and attr in vars(base)
                        for base in cls.__mro__[1:]):
                    found.append(f"{name}.{cls.__name__}.{attr}")
    return found


def _defined_private_names() -> set[str]:
    """Private names gd-tutor itself defines (functions, classes, attributes it assigns)."""
    names: set[str] = set()
    for path in Path(tutor.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if name.startswith("_")}


STANDARD = {("os", "_exit")}
"""Underscored names the standard library documents as public (`os._exit`)."""


def _standard(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and (node.value.id, node.attr) in STANDARD


def private_uses(paths: list[Path], ours: set[str]) -> list[str]:
    """`file: name` for each private module imported from textual, or a private attribute
    read that gd-tutor does not define (so it belongs to Textual or another library)."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            found += [f"{path.name}: {m}" for m in modules
                      if m.startswith("textual") and any(p.startswith("_") for p in m.split("."))]
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and node.attr not in ours
                    and not _standard(node)):
                found.append(f"{path.name}: .{node.attr}")
    return found


def test_no_other_ui_module_overrides_a_private_textual_method() -> None:
    assert private_overrides(_ui_modules()) == []


def test_no_other_ui_module_reads_a_private_textual_name() -> None:
    paths = [p for p in sorted(UI.rglob("*.py")) if p.name != "textual_compat.py"]
    assert private_uses(paths, _defined_private_names()) == []


def test_the_private_name_checks_can_fail(tmp_path: Path) -> None:
    """Guard against checks that can never fail: the old shapes of the workarounds."""
    bad = tmp_path / "bad.py"
    bad.write_text("import textual.widgets._markdown\n"
                   "def keys(app):\n    return app._bindings.key_to_bindings\n", encoding="utf-8")
    assert private_uses([bad], set()) == ["bad.py: textual.widgets._markdown", "bad.py: ._bindings"]
    assert sorted(private_overrides([textual_compat.__name__])) == [
        "tutor.ui.textual_compat.AutoIndentTextArea._on_key",
        "tutor.ui.textual_compat.AutoIndentTextArea._size_updated",
        "tutor.ui.textual_compat.OrderedKeyInput._on_key",
        "tutor.ui.textual_compat.SentenceOnCrashApp._fatal_error"]
