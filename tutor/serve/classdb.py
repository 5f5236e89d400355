"""The class's database as `gd-tutor serve --database URL` reports it at start.

Each node opens the database once before it listens: the schema is created or
migrated there (not by the first learners racing each other), and the teacher reads
one line saying where progress is kept, or why the database does not answer yet.
A node still starts when it does not: each tutor keeps its learner's changes and
saves them once the database answers. The password in a URL is never printed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def where(url: str) -> str:
    """`user@host:port/dbname` of a postgresql:// URL, without its password (or, for a
    URL that does not parse, words saying so)."""
    try:
        parts = urlsplit(url)
        user = f"{parts.username}@" if parts.username else ""
        port = f":{parts.port}" if parts.port else ""
        host = parts.hostname or "localhost"
    except ValueError:  # a port that is not a number: libpq will say so
        return "named by the URL given"
    return f"{user}{host}{port}{parts.path or '/'}"


def database_line(url: str) -> str:
    """One line for the server's log: progress is kept at `where(url)`, or why not yet."""
    try:
        from tutor.progress.postgres import open_connection, reason
        from tutor.progress.pgschema import NewerSchema
    except ImportError:
        return ("gd-tutor: --database needs psycopg (pip install 'gd-tutor[postgresql]'); "
                "learners' progress is not being saved.")
    import psycopg

    try:
        open_connection(url).close()
    except NewerSchema as exc:
        return f"gd-tutor: learners' progress is not being saved: {exc}."
    except psycopg.Error as exc:
        return (f"gd-tutor: the database {where(url)} does not answer yet ({reason(exc)}); "
                "each tutor keeps its learner's changes and saves them once it does.")
    return f"gd-tutor: learners' progress is kept in PostgreSQL at {where(url)}"


SWEEP_SECONDS = 30.0
"""How often a node sends changes its learners' tutors left unsent (see `send_left`)."""


def send_left(url: str, data_dir: Path) -> int:
    """Send the changes tutors on this node left in their journals (the database was away
    when they quit or were killed); returns how many were sent.

    A tutor sends its learner's journal itself at the learner's next start in the same
    folder, but behind a balancer that start may be on another node: so the node sends
    them, at start and every SWEEP_SECONDS. A journal a live tutor holds is skipped; a
    change that had landed after all is applied once (its session and number say so).
    While the database is away nothing is taken and the journals stay.
    """
    import psycopg

    from tutor.progress import journal, pgschema
    from tutor.progress.postgres import open_connection

    folders = [p for p in sorted((data_dir / "learners").glob("*"))
               if any(p.glob("pending-*.jsonl"))]
    if not folders:
        return 0
    sent = 0
    try:
        with open_connection(url) as pg:
            for folder in folders:
                entries, files = journal.adopt(folder, folder.name)
                for session, seq, op in entries:
                    with pg.transaction():
                        if pgschema.first_time(pg, session, folder.name, seq, float(op[-1])):
                            pgschema.apply(pg, folder.name, op)
                            sent += 1
                for path in files:
                    path.unlink(missing_ok=True)
    except (psycopg.Error, pgschema.NewerSchema, OSError):
        return sent  # the rest wait for the next sweep, or the learner's next start here
    return sent
