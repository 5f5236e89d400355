"""The store tests' backends: SQLite in a temp folder, or a fresh PostgreSQL database.

`open_store` (a fixture in conftest.py, parametrised over both) returns a function
that opens the same learner's store again each time it is called, so a test
written against it checks both backends (the PostgreSQL run skips, saying why,
where PostgreSQL is not installed).
"""

from __future__ import annotations

from collections.abc import Callable

from tutor.progress import ProgressStore

Opener = Callable[[], ProgressStore]
BACKENDS = ("sqlite", "postgresql")
