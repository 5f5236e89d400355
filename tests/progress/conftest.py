"""Fixtures for the progress tests: the throwaway PostgreSQL cluster from tests/support."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.postgres import postgres_server, postgres_url  # noqa: E402,F401
