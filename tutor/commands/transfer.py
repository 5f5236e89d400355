"""`gd-tutor progress export` and `gd-tutor progress import` (headless): JSON lines.

Where progress is read from or written to:
- with a database (`--database URL` or $GD_TUTOR_DATABASE): PostgreSQL, every
  learner under their name;
- with `--data-dir DIR`: a class as `gd-tutor serve` keeps it, one SQLite store
  per learner in DIR/learners/NAME;
- with neither: your own store (the data folder, $GD_TUTOR_DATA_DIR).
Export picks one learner (`--learner NAME`, else yours) or `--all`. Import
refuses a learner who already has progress there unless `--replace`, and writes
each learner in one transaction. A bad file is one sentence naming its line.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from tutor.errors import UserError
from tutor.progress import transfer
from tutor.progress.database import DB_NAME, StoreUnreadable, connect, connect_read_only
from tutor.progress.records import database_url, default_data_dir, learner_name
from tutor.serve.names import describe_rule
from tutor.serve.names import learner_name as valid_learner_name


def transfer_command(args: argparse.Namespace) -> int:
    """Export progress to stdout, or import a file written by export."""
    url = database_url()
    if url is not None and args.data_dir:
        raise UserError("Give either --data-dir or --database, not both.")
    if args.action == "export":
        return _export(args, url)
    return _import(args, url)


# ------------------------------------------------------------------ export

def _export(args: argparse.Namespace, url: str | None) -> int:
    if args.file:
        raise UserError("export writes to standard output: gd-tutor progress export > FILE.jsonl")
    if args.all and args.learner:
        raise UserError("Give --learner NAME or --all, not both.")
    stores = _from_database(args, url) if url else _from_files(args)
    for line in transfer.lines(stores):
        sys.stdout.write(line + "\n")
    return 0


def _from_database(args: argparse.Namespace, url: str) -> list[tuple[str, sqlite3.Connection]]:
    from tutor.progress.postgres import read_class

    names = None if args.all else [args.learner or learner_name()]
    try:
        found = read_class(url, names)
    except StoreUnreadable as exc:
        raise UserError(f"Progress could not be read ({exc.reason}).") from None
    return [(name, conn) for name, conn in found.items()
            if args.all or transfer.has_rows(conn) or _say_none(name)]


def _from_files(args: argparse.Namespace) -> Iterator[tuple[str, sqlite3.Connection]]:
    if not args.data_dir:
        if args.all or args.learner:
            raise UserError("--all and --learner need the class's --data-dir (or --database).")
        folder = default_data_dir()
        yield _own_name(folder), _read(folder / DB_NAME)
        return
    root = Path(args.data_dir).expanduser() / "learners"
    if args.learner:
        yield args.learner, _read(root / _checked(args.learner) / DB_NAME)
        return
    if not args.all:
        raise UserError("With --data-dir, say whose progress: --learner NAME or --all.")
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if valid_learner_name(folder.name) == folder.name and (folder / DB_NAME).exists():
            yield folder.name, _read(folder / DB_NAME)


def _read(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise UserError(f"There is no progress at {path}.")
    try:
        return connect_read_only(path)
    except StoreUnreadable as exc:
        raise UserError(f"{path} cannot be read ({exc.reason}).") from None


def _own_name(folder: Path) -> str:
    """Your store's learner name, else $GD_TUTOR_LEARNER, else your user name."""
    try:
        conn = connect_read_only(folder / DB_NAME)
        row = conn.execute("SELECT value FROM facts WHERE name = 'learner'").fetchone()
        conn.close()
    except StoreUnreadable:
        row = None
    return row[0] if row and row[0] else learner_name()


def _say_none(name: str) -> bool:
    raise UserError(f"There is no progress for learner {name!r} in the database.")


def _checked(name: str) -> str:
    if valid_learner_name(name) != name:
        raise UserError(f"{name!r} is not a learner name gd-tutor serve would use "
                        f"({describe_rule()}).")
    return name


# ------------------------------------------------------------------ import

def _import(args: argparse.Namespace, url: str | None) -> int:
    if not args.file:
        raise UserError("Say which file to import: gd-tutor progress import FILE.jsonl")
    if args.all or args.learner:
        raise UserError("import takes every learner in the file; --all and --learner are "
                        "for export.")
    learners = _parse(Path(args.file))
    if url:
        _into_database(url, learners, args.replace)
    else:
        _into_files(args, learners)
    total = len(learners)
    sys.stderr.write(f"gd-tutor: imported {total} learner{'s' if total != 1 else ''}.\n")
    return 0


def _parse(path: Path) -> dict[str, sqlite3.Connection]:
    try:
        with path.open(encoding="utf-8") as handle:
            return transfer.parse(line.rstrip("\n") for line in handle)
    except transfer.TransferError as exc:
        raise UserError(f"{path}: {exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a text file in UTF-8, so not a progress export.") from None
    except OSError as exc:
        raise UserError(f"{path} cannot be read ({exc.strerror or exc}).") from None


def _into_database(url: str, learners: dict[str, sqlite3.Connection], replace: bool) -> None:
    import time

    import psycopg

    from tutor.progress import pgread
    from tutor.progress.postgres import open_connection, reason

    try:
        with open_connection(url) as pg:
            taken = [name for name in learners if pgread.has_rows(pg, name)]
            _refuse_taken(taken, replace)
            for name, conn in learners.items():
                pgread.replace(pg, name, conn, time.time())
    except psycopg.Error as exc:
        raise UserError(f"The database could not take the import ({reason(exc)}); "
                        "nothing more was written.") from None


def _into_files(args: argparse.Namespace, learners: dict[str, sqlite3.Connection]) -> None:
    if args.data_dir:
        root = Path(args.data_dir).expanduser() / "learners"
        targets = {name: root / _checked(name) for name in learners}
    elif len(learners) == 1:
        targets = {name: default_data_dir() for name in learners}
    else:
        raise UserError(f"The file holds {len(learners)} learners: import it into a class "
                        "with --data-dir DIR (or --database URL).")
    opened = {name: _writable(folder) for name, folder in targets.items()}
    try:
        _refuse_taken([name for name, conn in opened.items() if transfer.has_rows(conn)],
                      args.replace)
        for name, conn in opened.items():
            transfer.write_into(conn, learners[name])
    finally:
        for conn in opened.values():
            conn.close()


def _writable(folder: Path) -> sqlite3.Connection:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return connect(folder / DB_NAME)
    except (OSError, StoreUnreadable) as exc:
        why = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        raise UserError(f"The progress in {folder} cannot be written ({why}).") from None


def _refuse_taken(taken: list[str], replace: bool) -> None:
    if taken and not replace:
        raise UserError(f"{', '.join(sorted(taken))} already ha{'ve' if len(taken) > 1 else 's'} "
                        "progress there; nothing was imported (--replace overwrites it).")
