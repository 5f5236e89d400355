"""The one exception type that reaches the command line as a single sentence."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a person: shown as one line on stderr, exit status 2.

    Raise it with a complete sentence that says what is wrong and, where it
    helps, what to do instead. Never raise it for a bug in gd-tutor.
    """

    exit_status = 2
