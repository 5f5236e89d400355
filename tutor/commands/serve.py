"""`gd-tutor serve` (SSH or --web) and `gd-tutor class-report`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.errors import UserError
from tutor.wording import plural

if TYPE_CHECKING:
    from tutor.serve.ssh import ServeConfig


def default_class_dir() -> Path:
    """Where a class's keys and learners live unless --data-dir says otherwise."""
    import platformdirs

    return Path(platformdirs.user_data_dir("gd-tutor")) / "class"


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir).expanduser().resolve() if args.data_dir else default_class_dir()


def _check_port(port: int) -> int:
    if not 0 <= port <= 65535:
        raise UserError(f"The port must be between 0 and 65535, not {port}.")
    return port


def _authorized_keys(args: argparse.Namespace, data_dir: Path) -> str | None:
    if args.authorized_keys or args.open:
        return args.authorized_keys
    kept = data_dir / "authorized_keys"
    if kept.is_file():
        return str(kept)
    if args.passwords:
        return None
    raise UserError(f"Say who may enter: --authorized-keys FILE (each key's comment names its "
                    f"learner), --passwords FILE, --open for a demo, or put an authorized_keys "
                    f"file in {data_dir}.")


def _ssh_config(args: argparse.Namespace) -> ServeConfig:
    from tutor.serve.auth import Admission
    from tutor.serve.hostkey import load_or_create_host_key
    from tutor.serve.ssh import ServeConfig

    from tutor.serve.limits import Limits

    data_dir = _data_dir(args)
    numbers = ("max_sessions", "idle_timeout", "max_per_learner", "max_startups",
               "max_per_source", "login_grace")
    if any(getattr(args, name) < 1 for name in numbers):
        raise UserError("--max-sessions, --idle-timeout, --max-per-learner, --max-startups, "
                        "--max-per-source and --login-grace must be at least 1.")
    limits = Limits(max_startups=args.max_startups, per_source=args.max_per_source,
                    login_grace=float(args.login_grace), per_learner=args.max_per_learner)
    admission = Admission.load(_authorized_keys(args, data_dir), args.passwords, args.open,
                               args.teachers)
    host_key = load_or_create_host_key(Path(args.host_key) if args.host_key else None, data_dir)
    return ServeConfig(data_dir=data_dir, host_key=host_key, admission=admission,
                       host=args.host, port=_check_port(2222 if args.port is None else args.port),
                       max_sessions=args.max_sessions, idle_timeout=float(args.idle_timeout),
                       lessons_dir=os.environ.get("GD_TUTOR_LESSONS_DIR"),
                       zygote=os.environ.get("GD_TUTOR_SERVE_ZYGOTE", "1") != "0",
                       limits=limits, database=_database_url(args))


def _database_url(args: argparse.Namespace) -> str | None:
    """--database URL, else $GD_TUTOR_DATABASE: where every learner's progress is kept
    (None: each learner's own SQLite file under the data dir, as before)."""
    return getattr(args, "database", None) or os.environ.get("GD_TUTOR_DATABASE") or None


def _door(config: ServeConfig) -> str:
    admission = config.admission
    if admission.open_door:
        return "anyone may enter (--open)"
    learners = (set(admission.key_owners.values()) | set(admission.passwords)) - admission.teachers
    if not admission.teachers:
        return f"{plural(len(learners), 'learner')} may enter"
    return (f"{plural(len(learners), 'learner')} and {plural(len(admission.teachers), 'teacher')}"
            f" may enter (the class dashboard for {', '.join(sorted(admission.teachers))})")


async def _serve_ssh(config: ServeConfig) -> int:
    from tutor.serve.limits import open_file_warning, raise_open_file_limit
    from tutor.serve.ssh import start_ssh_server, stop_ssh_server

    warning = open_file_warning(config.limits, config.max_sessions, raise_open_file_limit())
    if warning:
        sys.stderr.write(f"gd-tutor: {warning}\n")
    try:
        acceptor, classroom = await start_ssh_server(config)
    except OSError as exc:
        raise UserError(f"Cannot listen on {config.host}:{config.port}: {exc.strerror}.") from None
    port = acceptor.get_port()
    print(f"gd-tutor: class server listening on {config.host}:{port}; {_door(config)}; "
          f"learners connect with: ssh -p {port} NAME@{config.host}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await stop_ssh_server(acceptor, classroom)
    return 0


def code_exercises_line(info: object | None = None) -> str:
    """One line at start: whether this server offers code exercises (only with a working
    sandbox: each learner's code in bubblewrap), and why not when it does not."""
    from tutor.sandbox import MESSAGES, Sandbox

    found = info if info is not None else Sandbox.detect()
    if getattr(found, "usable", False):
        return "gd-tutor: code exercises are on: each run is isolated in bubblewrap"
    reason = getattr(found, "reason", None) or "the sandbox does not work here"
    return "gd-tutor: " + MESSAGES["refused"].format(reason=reason)


def serve_command(args: argparse.Namespace) -> int:
    """Serve the tutor to a class over SSH, or in a browser with --web."""
    # asyncssh still registers DSA keys, which cryptography warns about on import: a
    # teacher starting a class should see the server's own lines, not library warnings.
    warnings.filterwarnings("ignore", message=".*DSA.*deprecated")
    if args.web:
        from tutor.serve.web import serve_web

        if args.teachers:
            raise UserError("--teachers is for SSH serving: the web tutor has no logins, so "
                            "teachers open the dashboard over SSH, or with 'gd-tutor class' on "
                            "the server.")
        port = _check_port(8000 if args.port is None else args.port)
        if args.max_sessions < 1:
            raise UserError("--max-sessions must be at least 1.")
        print(code_exercises_line(), flush=True)
        serve_web(args.host, port, _data_dir(args), os.environ.get("GD_TUTOR_LESSONS_DIR"),
                  max_sessions=args.max_sessions, allow_hosts=tuple(args.allow_host))
        return 0
    config = _ssh_config(args)
    print(code_exercises_line(), flush=True)
    if config.database:
        from tutor.serve.classdb import database_line

        print(database_line(config.database), flush=True)
    return asyncio.run(_serve_ssh(config))


def class_report_command(args: argparse.Namespace) -> int:
    """Print each learner's current lesson, exercises done and skipped, and last visit;
    with --json also who is stuck and the common mistakes, with --csv a gradebook."""
    from tutor.serve.insight import StuckRule, common_mistakes, gradebook_csv, stuck
    from tutor.serve.report import class_snapshots, format_report

    data_dir = class_source(args)
    rule = _stuck_rule(args, StuckRule)
    snapshots = read_class_or_say_why(lambda: class_snapshots(data_dir))
    if getattr(args, "csv", False):
        sys.stdout.write(gradebook_csv(snapshots))
    elif args.json:
        print(json.dumps({"learners": [s.row.as_json() for s in snapshots],
                          "stuck": stuck(snapshots, rule),
                          "common_mistakes": common_mistakes(snapshots)}, indent=2))
    else:
        print(format_report([s.row for s in snapshots]))
    return 0


def class_source(args: argparse.Namespace) -> Path:
    """The --data-dir to read (unused, "." allowed, when a database is in force)."""
    from tutor.progress.store import database_url

    if database_url() is not None and not args.data_dir:
        return Path(".")
    if not args.data_dir:
        raise UserError("Say where the class is: --data-dir DIR (as given to 'gd-tutor serve') "
                        "or --database postgresql://...")
    data_dir = Path(args.data_dir).expanduser()
    if not data_dir.is_dir():
        raise UserError(f"There is no data folder at {data_dir}.")
    return data_dir


def read_class_or_say_why(read: Any) -> Any:
    """Call `read()`; a database that cannot be read is one sentence, not a traceback."""
    from tutor.progress.database import StoreUnreadable

    try:
        return read()
    except StoreUnreadable as exc:
        raise UserError(f"The class's progress could not be read ({exc.reason}).") from None


def _stuck_rule(args: argparse.Namespace, rule_type: type) -> object:
    """The --stuck-after / --stuck-minutes values, checked (one sentence if not usable)."""
    after, minutes = getattr(args, "stuck_after", 3), getattr(args, "stuck_minutes", 5.0)
    if after is None or after < 1:
        raise UserError("--stuck-after must be a whole number of attempts, 1 or more.")
    if minutes is None or not minutes > 0 or minutes == float("inf"):
        raise UserError("--stuck-minutes must be a number of minutes above 0, like 5.")
    return rule_type(after=after, minutes=minutes)
