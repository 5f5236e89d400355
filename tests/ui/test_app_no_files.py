"""No learner action writes a file: Textual's palette "Screenshot" and its action are gone.

Served over SSH or the web, a screenshot landed as an SVG in the server account's
~/Downloads (23 s of CPU each at 1000x500), so the tutor offers none, anywhere.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary HOME (and working folder) whose Downloads must stay empty."""
    folder = tmp_path / "home"
    (folder / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(folder)
    return folder


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


async def _palette_titles(pilot: Any, query: str) -> list[str]:
    """The titles the command palette lists once `query` is typed (waits for the search)."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    command_list = pilot.app.screen.query_one(CommandList)
    deadline = time.monotonic() + 10
    while pilot.app.screen._show_busy or not command_list.option_count:
        assert time.monotonic() < deadline, "the palette listed nothing"
        await pilot.pause(0.05)
    return [str(command_list.get_option_at_index(i).prompt)
            for i in range(command_list.option_count)]


async def test_palette_offers_no_screenshot(make_app: Any, home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quit" in titles and "Screenshot" not in titles
        shown = await _palette_titles(pilot, "s")  # "s" matches Screenshot if it is offered
        assert shown and not any("Screenshot" in title for title in shown), shown


async def test_screenshot_action_and_delivery_write_nothing(make_app: Any, home: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        delivered: list[object] = []
        save = app._driver.deliver_binary

        def recorded(*args: Any, **kwargs: Any) -> None:
            delivered.append(kwargs.get("save_path"))
            save(*args, **kwargs)

        monkeypatch.setattr(app._driver, "deliver_binary", recorded)
        await app.run_action("screenshot")
        await app.run_action("app.screenshot('x.svg', '.')")
        await pilot.press("ctrl+s")
        app.deliver_screenshot()
        await pilot.pause()
        assert delivered == []  # nothing was handed to the driver to save
    assert _files(home) == []
