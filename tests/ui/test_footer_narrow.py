"""The footer fits narrow terminals with F1 first, and is Textual's own at 80 columns (issue 12)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.widget import Widget

from tutor.ui.app import PlaygroundRequest
from tutor.ui.screens.playground import PlaygroundScreen
from ui_testkit import wait_until


def _keys(app: Any) -> tuple[list[Widget], Widget]:
    """The footer's keys in screen order and its command-palette key."""
    keys = sorted(app.screen.query("FooterKey"), key=lambda key: key.region.x)
    palette = next(key for key in keys if key.has_class("-command-palette"))
    return [key for key in keys if key is not palette], palette


def _editor_keys_shown(app: Any) -> bool:
    """The footer has been composed again with the editor's keys (and its palette key:
    while it recomposes, neither may be there)."""
    keys = list(app.screen.query("FooterKey"))
    return (any(key.has_class("-command-palette") for key in keys)
            and any(str(key.key) == "f5" for key in keys))


async def _shown(pilot: Any) -> None:
    await asyncio.wait_for(pilot.app.screen.loaded.wait(), timeout=30)
    await pilot.pause()


async def test_the_footer_fits_60_columns_with_help_first(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(60, 20)) as pilot:
        await _shown(pilot)
        await pilot.press("f3")  # in an exercise too
        await pilot.pause()
        keys, palette = _keys(app)
        assert [str(k.key) for k in keys][:3] == ["f1", "f3", "ctrl+n"]
        assert keys[0].description == "Help"
        assert all(k.region.width > 0 and k.region.right <= palette.region.x for k in keys)


async def test_the_footer_is_textuals_own_from_80_columns(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await _shown(pilot)
        keys, _ = _keys(app)
        assert [(str(k.key), k.description) for k in keys] == [
            ("f3", "Next exercise"), ("ctrl+n", "Next lesson"), ("ctrl+l", "Lessons"),
            ("f1", "Help")]


async def test_the_playground_footer_at_40_columns_keeps_help(make_app: Any) -> None:
    app = make_app(playground=PlaygroundRequest())
    async with app.run_test(size=(40, 20)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PlaygroundScreen), "playground")
        await pilot.pause()
        keys, palette = _keys(app)
        assert str(keys[0].key) == "f1"
        assert all(k.region.right <= palette.region.x for k in keys)  # "esc Back" too


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_footer_in_the_code_editor_keeps_help(make_app: Any,
                                                        size: tuple[int, int]) -> None:
    """The editor adds "f5 Run code  esc Leave editor": at 80 columns the full labels no
    longer fit, so the short form comes (before, "^l Lessons  f1 Help" were cut off); at
    60 even that is too long and the last keys are left out, never f1."""
    from pathlib import Path

    from textual.widgets import TextArea

    fixtures = Path(__file__).resolve().parents[1] / "practice" / "fixtures" / "code"
    app = make_app(lessons_dir=fixtures)
    async with app.run_test(size=size) as pilot:
        await _shown(pilot)
        app.screen.query_one("#exercise-whole").query_one(TextArea).focus()
        await wait_until(pilot, lambda: _editor_keys_shown(app), "the editor's keys")
        await pilot.pause()
        keys, palette = _keys(app)
        assert [str(k.key) for k in keys][:2] == ["f1", "f5"]
        assert {"f1", "f5", "escape"} <= {str(k.key) for k in keys}
        assert all(k.region.width > 0 and k.region.right <= palette.region.x for k in keys)
