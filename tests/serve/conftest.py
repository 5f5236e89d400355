"""Fixtures for the serve tests; the helpers live in serve_testkit.py beside this file."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared `support`
sys.path.insert(0, str(Path(__file__).parent))

from serve_testkit import client_keys, make_class  # noqa: E402,F401  (fixtures)
