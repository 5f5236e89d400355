"""Learner names: the only strings that become folder names under the data dir."""

from __future__ import annotations

import re

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
