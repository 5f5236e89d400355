"""A tiny host app for the playground screen (snapshot tests and manual looks)."""

from __future__ import annotations

import sys

from textual.app import App

from tutor.ui.screens.playground import PlaygroundScreen


class PlaygroundHost(App):
    """Pushes the playground at start, with optional function/start/rate from argv."""

    def __init__(self, function: str | None = None, start: str | None = None,
                 lr: str | None = None) -> None:
        super().__init__()
        self.initial = (function, start, lr)

    def on_mount(self) -> None:
        """Show the playground."""
        self.push_screen(PlaygroundScreen(*self.initial))


app = PlaygroundHost()

if __name__ == "__main__":
    args = sys.argv[1:] + [None] * 3
    PlaygroundHost(*args[:3]).run()
