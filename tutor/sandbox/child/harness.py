"""The sandbox child: run a learner's function on lesson cases, print only numbers.

Started as `python -I -B -c BOOT CHILD_DIR TOKEN` (see tutor/sandbox/runner.py),
inside bubblewrap when it works. Reads two JSON lines on stdin. The setup,

    {"memory_mb": int, "paths": [str], "probe": bool}

is read at once: the child limits itself, imports SymPy and writes {"warm": true},
so a spare child can wait warm for its run. Then the run:

    {"source": str, "entry": str, "cases": [{"args": [...], "kwargs": {...}}],
     "cpu_s": int}

where an argument `{"sympy": "x^2"}` becomes a SymPy expression. Cases come
from lesson files, never from the learner, so that text is trusted.

Writes JSON lines on its own copy of stdout: {"warm"}, {"ready": ...}, then one line for
the module ({"module": "ok"} or an error), then one per case ({"value": ...} or
{"error": sentence, "line": n, "kind": ...}), then {"done": true}. The learner's
print() goes to a small buffer returned as "printed"; file descriptors 1 and 2
point at /dev/null while learner code runs.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import convert
import limits

MAX_REQUEST = 2 * 1024 * 1024
MAX_PRINTED = 2000
SETUP_CPU_S = 60


class PrintBuffer:
    """A stand-in for sys.stdout/sys.stderr keeping the first MAX_PRINTED characters.

    What it keeps is also copied at once to `mirror` (the child's stderr pipe), with a NUL
    after each case: when a case is stopped (its loop never ended), the parent still has
    what that case printed, and shows it with the timeout."""

    def __init__(self, mirror: int | None = None) -> None:
        self.text = ""
        self.mirror = mirror

    def write(self, text: object) -> int:
        if isinstance(text, str) and len(self.text) < MAX_PRINTED:
            kept = text[: MAX_PRINTED - len(self.text)]
            self.text += kept
            self._copy(kept.replace("\0", ""))
        return len(text) if isinstance(text, str) else 0

    def flush(self) -> None:
        """Nothing to flush: the buffer is read after each case."""

    def take(self) -> str:
        text, self.text = self.text, ""
        self._copy("\0")
        return text

    def _copy(self, text: str) -> None:
        if self.mirror is not None and text:
            try:
                os.write(self.mirror, text.encode("utf-8", "replace"))
            except OSError:
                self.mirror = None


def run() -> None:
    """Entry point of the child: any fault of the harness itself exits with 70."""
    fault = os.dup(2)
    try:
        main()
    except BaseException as error:  # noqa: BLE001 - a harness fault, not the learner's
        os.write(fault, f"harness fault: {type(error).__name__}: {error}\n".encode()[:2000])
        os._exit(70)
    os._exit(0)  # skip the learner's atexit hooks and finalizers


def main() -> None:
    """Read the request, lock the process down, run the learner's code, report."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    setup = json.loads(sys.stdin.buffer.readline(MAX_REQUEST))
    limits.set_rlimits(int(setup["memory_mb"]), SETUP_CPU_S)
    if setup.get("probe"):
        _probe(channel)
        return
    sys.path[:0] = list(setup.get("paths", []))
    sys.modules["numpy"] = sys.modules["scipy"] = None  # lambdify uses math, like the engine
    sympy = _warm_sympy()
    _send(channel, {"warm": True})
    request = json.loads(sys.stdin.buffer.readline(MAX_REQUEST))
    limits.limit_cpu(int(request["cpu_s"]))
    cases = [_arguments(case, sympy) for case in request["cases"]]
    mirror = os.dup(2)
    _silence_descriptors()
    if limits.supported():
        limits.load_seccomp()
    buffer = PrintBuffer(mirror)
    sys.stdout = sys.stderr = buffer
    _send(channel, {"ready": True, "uid": os.getuid(), "filter": limits.supported()})
    entry = str(request["entry"])
    function = _load(request["source"], entry, channel, buffer)
    if function is not None:
        for args, kwargs in cases:
            _send(channel, _run_case(function, entry, args, kwargs, buffer))
    _send(channel, {"done": True})


def _silence_descriptors() -> None:
    """Point stdin, stdout and stderr at /dev/null: learner code gets no channel."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _probe(channel: Any) -> None:
    """Report whether the limits hold here: the filter loads and fork() is refused."""
    report: dict[str, Any] = {"uid": os.getuid(), "seccomp": limits.supported()}
    try:
        limits.load_seccomp()
    except (OSError, KeyError) as error:
        report["seccomp"] = False
        report["seccomp_error"] = str(error)
    report["fork_blocked"] = _fork_blocked()
    _send(channel, {"probe": report})


def _fork_blocked() -> bool:
    try:
        pid = os.fork()
    except OSError:
        return True
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return False


def _warm_sympy() -> Any:
    """Import SymPy and run diff/lambdify once so their lazy imports happen now."""
    import sympy

    x = sympy.Symbol("x")
    sympy.lambdify(x, (x**2).diff(x))(1.0)
    return sympy


def _load(source: str, entry: str, channel: Any, buffer: PrintBuffer) -> Any:
    """Run the learner's module; send its outcome; return their function or None."""
    namespace: dict[str, Any] = {"__name__": "__learner__", "__builtins__": __builtins__}
    try:
        exec(compile(source, convert.LEARNER_FILE, "exec"), namespace)
    except BaseException as error:  # noqa: BLE001 - every learner error becomes a sentence
        _send(channel, {**convert.describe(error), "printed": buffer.take()})
        return None
    function = namespace.get(entry)
    if not callable(function):
        _send(channel, {"error": f"your code does not define a function named {entry}()",
                        "line": None, "kind": "error", "printed": buffer.take()})
        return None
    _send(channel, {"module": "ok", "printed": buffer.take()})
    return function


def _run_case(function: Any, entry: str, args: list, kwargs: dict,
              buffer: PrintBuffer) -> dict[str, Any]:
    """Call the learner's function once; its value as numbers, or a sentence."""
    code = getattr(function, "__code__", None)
    first_line = getattr(code, "co_firstlineno", None)
    try:
        numbers = convert.to_numbers(function(*args, **kwargs))
    except convert.NotNumbers as problem:
        message = f"your {entry}() returned {problem}"
        return {"error": convert.clip(message), "line": None, "kind": "value",
                "printed": buffer.take()}
    except BaseException as error:  # noqa: BLE001 - every learner error becomes a sentence
        return {**convert.describe(error, first_line), "printed": buffer.take()}
    return {"value": numbers, "printed": buffer.take()}


def _arguments(case: dict[str, Any], sympy: Any) -> tuple[list, dict]:
    """One case's positional and keyword arguments, built before learner code runs."""
    args = [_argument(value, sympy) for value in case.get("args", [])]
    kwargs = {str(k): _argument(v, sympy) for k, v in case.get("kwargs", {}).items()}
    return args, kwargs


def _argument(value: Any, sympy: Any) -> Any:
    """A case argument: JSON data, with {"sympy": text} made a SymPy expression."""
    if isinstance(value, dict) and set(value) == {"sympy"}:
        from sympy.parsing.sympy_parser import (
            convert_xor, implicit_multiplication_application, parse_expr,
            standard_transformations,
        )

        rules = standard_transformations + (implicit_multiplication_application, convert_xor)
        return parse_expr(value["sympy"], transformations=rules)  # trusted lesson text
    if isinstance(value, list):
        return [_argument(item, sympy) for item in value]
    return value


def _send(channel: Any, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()
