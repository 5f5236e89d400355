"""A learner's session for the class trial: a prompt that runs `gd-tutor check ... --record`.

The class server runs it in place of the tutor (ServeConfig.child_argv), in the
learner's PTY with the environment the server gives a learner, so each line the
learner types becomes a real `gd-tutor check LESSON/EXERCISE --set F=V --record`
in the store the server assigned them. A line is `LESSON/EXERCISE FIELD=VALUE...`;
its words become arguments (no shell); an empty line or EOF ends the session.
"""

from __future__ import annotations

import sys

from tutor.cli import main


def run() -> None:
    """Read a line, check it, say `checked KEY (STATUS)`, until an empty line."""
    sys.stdout.write("check> ")
    sys.stdout.flush()
    for line in sys.stdin:
        words = line.split()
        if not words:
            return
        key, *fields = words
        status = main(["check", key, *[a for f in fields for a in ("--set", f)], "--record"])
        sys.stdout.write(f"checked {key} ({status})\ncheck> ")
        sys.stdout.flush()


if __name__ == "__main__":
    run()
