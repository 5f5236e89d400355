"""The class's database as `gd-tutor serve --database URL` reports it at start.

Each node opens the database once before it listens: the schema is created or
migrated there (not by the first learners racing each other), and the teacher reads
one line saying where progress is kept, or why the database does not answer yet.
A node still starts when it does not: each tutor keeps its learner's changes and
saves them once the database answers. The password in a URL is never printed.
"""

from __future__ import annotations

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
