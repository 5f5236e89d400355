"""Learner names: the only strings that become folder names under the data dir."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tutor.errors import UserError

_NAME = re.compile(r"[a-z0-9_-]{1,32}")


def learner_name(raw: str) -> str | None:
    """Return `raw` lower-cased if it is a valid learner name, else None.

    A learner name is 1-32 characters of a-z, 0-9, `_` and `-`, so it is always
    a safe single folder name (no dots, slashes or spaces).
    """
    name = raw.strip().lower()
    return name if _NAME.fullmatch(name) else None


def describe_rule() -> str:
    """The naming rule as a phrase for error messages."""
    return "1 to 32 characters from a-z, 0-9, '_' and '-'"


def content_lines(path: Path, what: str) -> Iterator[tuple[int, str]]:
    """(line number, stripped line) for each line of a class file that is not blank or `#`.

    `what` names the file in the one-sentence error when it cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot read the {what} {path}: {exc.strerror}.") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line
