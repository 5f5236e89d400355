"""`gd-tutor progress export` and `gd-tutor progress import` (headless): JSON lines."""

from __future__ import annotations

import argparse

from tutor.errors import UserError


def transfer_command(args: argparse.Namespace) -> int:
    """Export progress to stdout, or import a file written by export."""
    raise UserError("progress export/import is not available yet.")
