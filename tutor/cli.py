"""The `gd-tutor` command: argument parsing and dispatch only.

Each subcommand's work lives in `tutor.commands.<module>`, imported lazily so
that headless commands (`run`, `fit`, `lessons`, ...) never import Textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from tutor import __version__
from tutor.errors import UserError

# Options whose values may start with "-" as typed (`--start -1.2,1`).
_SIGNED_OPTIONS = ("--start", "--lr", "--learning-rate", "--x0")


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def _glue_signed_values(argv: list[str]) -> list[str]:
    """Turn `--start -1.2,1` into `--start=-1.2,1` so argparse keeps the sign."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _SIGNED_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            out.append(f"{arg}={argv[i + 1]}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def _add_descent_options(p: argparse.ArgumentParser, *, lr_default: float | None,
                         required: argparse._ArgumentGroup | None = None) -> None:
    """--lr (in the `required` group when given: `run` has no default rate), --iterations,
    --precision."""
    (required or p).add_argument("--lr", "--learning-rate", dest="lr", default=lr_default,
                                 help="learning rate (step multiplier)"
                                 + ("; required, e.g. --lr 0.1" if required else ""))
    p.add_argument("--iterations", default=None, help="maximum number of updates (default 100)")
    p.add_argument("--precision", default=None,
                   help="stop when a step is shorter than this (default 0.0001)")


def _add_model_options(p: argparse.ArgumentParser) -> None:
    """The `fit` options beyond a line: model, optimizer, batches, epochs, seed, l2, split."""
    p.add_argument("--model", default=None, help="linear (default) or logistic (y is 0 or 1)")
    p.add_argument("--method", default=None,
                   help="gd, momentum, nesterov, adagrad, rmsprop or adam (default gd)")
    p.add_argument("--batch-size", dest="batch_size", default=None,
                   help="rows per update: 1 is stochastic (default: all rows, full batch)")
    p.add_argument("--epochs", default=None,
                   help="passes over the data (default: the iteration limit)")
    p.add_argument("--seed", default=None, help="seed for shuffling and the split (default 0)")
    p.add_argument("--l2", default=None, help="ridge penalty on the weights (default 0)")
    p.add_argument("--test-fraction", dest="test_fraction", default=None,
                   help="share of rows held back to test on, 0 to 0.9 (default 0)")
    p.add_argument("--hidden", default=None,
                   help="hidden units (2 to 8) for a one-hidden-layer network (default 0: none)")


def _add_database_option(p: argparse.ArgumentParser) -> None:
    """--database URL: keep (or read) progress in PostgreSQL; same as $GD_TUTOR_DATABASE."""
    p.add_argument("--database", default=argparse.SUPPRESS, metavar="URL",
                   help="keep progress in PostgreSQL (postgresql://...) instead of SQLite "
                   "files; default $GD_TUTOR_DATABASE")


def _use_database(args: argparse.Namespace) -> None:
    """Export --database as $GD_TUTOR_DATABASE (child processes inherit it); refuse other URLs."""
    url = getattr(args, "database", None)
    if url is None:
        return
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise UserError(f"--database must be a postgresql:// URL, not {url!r}.")
    os.environ["GD_TUTOR_DATABASE"] = url


def build_parser() -> argparse.ArgumentParser:
    """Build the full `gd-tutor` argument parser."""
    parser = _Parser(
        prog="gd-tutor",
        description="A terminal tutor for cost functions, gradient descent and the "
        "three-step learning loop (predict, calculate the error, learn). "
        "With no subcommand, opens the tutor where you left off.",
    )
    parser.add_argument("--version", action="version", version=f"gd-tutor {__version__}")
    parser.add_argument("--lessons-dir", default=None,
                        help="read lessons from this folder instead of the built-in ones")
    _add_database_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("run", help="run gradient descent on a function and print the result",
                       usage="gd-tutor run FUNCTION --start START --lr LR [--iterations N] "
                       "[--precision P] [--method METHOD] [--json]")
    p.add_argument("function", help="the cost function, e.g. 'x^2' or '(1-x)^2 + 100(y-x^2)^2'")
    needed = p.add_argument_group("required")
    needed.add_argument("--start", required=True, help="starting point, one comma-separated "
                        "value per variable (e.g. 3 or -1.2,1)")
    _add_descent_options(p, lr_default=None, required=needed)
    p.add_argument("--method", default="gd",
                   help="gd, momentum, nesterov, adagrad, rmsprop or adam (default gd)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a report")
    p.set_defaults(handler=("run", "run_command"))

    p = sub.add_parser("fit", help="fit a line (or a model on several features) to a CSV file "
                       "by gradient descent")
    p.add_argument("data", help="CSV file with at least two numeric columns")
    p.add_argument("--x", dest="x_columns", action="append", default=None, metavar="COL",
                   help="a feature column (name or 1-based number); repeat for several")
    p.add_argument("--y", dest="y_column", default=None, help="column for y (name or 1-based number)")
    _add_descent_options(p, lr_default=None)
    p.add_argument("--no-scale", action="store_true",
                   help="do not standardise x before descending (line fit only; see lesson 10)")
    _add_model_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a report")
    p.set_defaults(handler=("fit", "fit_command"))

    p = sub.add_parser("playground", help="open a free exercise pane")
    p.add_argument("function", nargs="?", default=None, help="function to start with")
    p.add_argument("--start", default=None, help="starting point")
    p.add_argument("--lr", "--learning-rate", dest="lr", default=None, help="learning rate")
    p.set_defaults(handler=("app", "playground_command"))

    p = sub.add_parser("lesson", help="open a lesson by number or slug")
    p.add_argument("lesson", help="lesson number (1, 2, ...) or slug")
    p.set_defaults(handler=("app", "lesson_command"))

    p = sub.add_parser("lessons", help="list the lessons and how far you are")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_database_option(p)
    p.set_defaults(handler=("lessons", "lessons_command"))

    p = sub.add_parser("progress", help="show, reset, export or import progress",
                       usage="gd-tutor progress [--json] [--reset [--yes]] [--attempts]\n"
                       "       gd-tutor progress export [--learner NAME | --all] "
                       "[--data-dir DIR | --database URL] > FILE.jsonl\n"
                       "       gd-tutor progress import FILE.jsonl [--replace] "
                       "[--data-dir DIR | --database URL]")
    p.add_argument("action", nargs="?", choices=("export", "import"), default=None,
                   help="export progress as JSON lines to stdout, or import such a file")
    p.add_argument("file", nargs="?", default=None, help="with import: the JSON lines file")
    p.add_argument("--learner", default=None, help="with export: this learner only")
    p.add_argument("--all", action="store_true", help="with export: every learner")
    p.add_argument("--data-dir", dest="data_dir", default=None,
                   help="with export/import: a class's data dir (learners/NAME), as given to serve")
    p.add_argument("--replace", action="store_true",
                   help="with import: replace learners who already have progress there")
    _add_database_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--reset", action="store_true",
                   help="forget all progress (asks first; --yes skips the question)")
    p.add_argument("--yes", action="store_true", help="with --reset: do not ask")
    p.add_argument("--attempts", action="store_true",
                   help="list every checked attempt (last 200 per exercise), oldest first")
    p.set_defaults(handler=("lessons", "progress_command"))

    p = sub.add_parser("check", help="judge one attempt at an exercise, as the tutor would")
    p.add_argument("exercise", metavar="LESSON/EXERCISE",
                   help="lesson number or slug, then the exercise id (e.g. 4/enough-budget)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="a field's value as a learner would type it (repeatable); "
                   "unset fields keep the exercise's values")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--record", action="store_true",
                   help="also keep the attempt in your progress, as the tutor would")
    _add_database_option(p)
    p.set_defaults(handler=("check", "check_command"))

    p = sub.add_parser("check-code", help="check a Python file against a code exercise, "
                       "in the sandbox, as the tutor would")
    p.add_argument("file", metavar="FILE.py", help="the Python file with your function")
    p.add_argument("--exercise", required=True, metavar="LESSON/ID",
                   help="the code exercise to check it against (e.g. 6/write-it)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=("check_code", "check_code_command"))

    p = sub.add_parser("check-lessons", help="validate a folder of lesson files")
    p.add_argument("dir", nargs="?", default=None, help="lesson folder (default: the built-in lessons)")
    p.add_argument("--sweep", action="store_true",
                   help="also try every exercise over a grid of plausible inputs and check each "
                   "verdict (advice passes when applied, messages match the run)")
    p.set_defaults(handler=("lessons", "check_lessons_command"))

    p = sub.add_parser("serve", help="serve the tutor to a class over SSH (or --web for a browser)")
    p.add_argument("--web", action="store_true", help="serve in a browser with textual-serve")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 2222, or 8000 with --web)")
    p.add_argument("--host-key", default=None, help="SSH host key file (default: generated in the data dir)")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--authorized-keys", default=None,
                     help="OpenSSH authorized_keys file; each key's comment names its learner")
    who.add_argument("--open", action="store_true", help="admit anyone, keyed by SSH user name (demo)")
    p.add_argument("--passwords", default=None,
                   help="file of 'name:password-hash' lines to allow password logins")
    p.add_argument("--data-dir", default=None, help="where learners' progress is kept")
    p.add_argument("--teachers", action="append", default=[], metavar="NAME[,NAME]",
                   help="these names get the live class dashboard instead of the tutor (SSH only)")
    p.add_argument("--max-sessions", type=int, default=50, help="sessions (or --web tabs) at once (default 50)")
    p.add_argument("--idle-timeout", type=int, default=3600,
                   help="disconnect after this many idle seconds (default 3600)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="with --web: also answer to this host name (a proxy or DNS name in front)")
    p.add_argument("--max-per-learner", type=int, default=3,
                   help="sessions of one learner at once (default 3)")
    p.add_argument("--max-startups", type=int, default=128,
                   help="connections not yet logged in, in total (default 128)")
    p.add_argument("--max-per-source", type=int, default=32,
                   help="connections not yet logged in from one address (default 32)")
    p.add_argument("--login-grace", type=int, default=60,
                   help="seconds a connection has to log in (default 60)")
    _add_database_option(p)
    p.set_defaults(handler=("serve", "serve_command"))

    p = sub.add_parser("class-report", help="who is where: progress of every learner")
    p.add_argument("--data-dir", default=None,
                   help="the data dir given to 'gd-tutor serve' (not needed with --database)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true",
                     help="print JSON, with who is stuck and the common mistakes")
    out.add_argument("--csv", action="store_true",
                     help="print a gradebook: one row per learner, a column per exercise")
    p.add_argument("--stuck-after", dest="stuck_after", type=int, default=3, metavar="N",
                   help="stuck after N failed attempts in a row (default 3)")
    p.add_argument("--stuck-minutes", dest="stuck_minutes", type=float, default=5.0,
                   metavar="M", help="or after M minutes on one exercise without a pass "
                   "(default 5)")
    _add_database_option(p)
    p.set_defaults(handler=("serve", "class_report_command"))

    p = sub.add_parser("class", help="the teacher's live dashboard: who is where, who is "
                       "stuck, the common mistakes")
    p.add_argument("--data-dir", default=None,
                   help="the data dir given to 'gd-tutor serve' (not needed with --database)")
    p.add_argument("--stuck-after", dest="stuck_after", type=int, default=3, metavar="N",
                   help="stuck after N failed attempts in a row (default 3)")
    p.add_argument("--stuck-minutes", dest="stuck_minutes", type=float, default=5.0,
                   metavar="M", help="or after M minutes on one exercise without a pass "
                   "(default 5)")
    _add_database_option(p)
    p.set_defaults(handler=("teacher", "class_command"))

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `gd-tutor` console script."""
    args_list = _glue_signed_values(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.lessons_dir:
        os.environ["GD_TUTOR_LESSONS_DIR"] = os.path.abspath(args.lessons_dir)
    module_name, func_name = getattr(args, "handler", ("app", "tutor_command"))
    try:
        _use_database(args)
        module = importlib.import_module(f"tutor.commands.{module_name}")
        return int(getattr(module, func_name)(args) or 0)
    except UserError as exc:
        sys.stderr.write(f"gd-tutor: {exc}\n")
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if os.environ.get("GD_TUTOR_DEBUG"):
            raise
        sys.stderr.write(
            f"gd-tutor: internal error ({type(exc).__name__}: {exc}); "
            "set GD_TUTOR_DEBUG=1 to see the details.\n"
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
