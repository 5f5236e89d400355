"""Hostile learner code against the real sandbox (issue 10, item 6).

Each attack ends with one sentence (or harmless numbers) for the learner, the
test process keeps running, nothing outside the sandbox changes, and no process
of the run is left (checked by the `run` fixture). The attacks that leave the
child alive share one run (one case each) to keep the suite fast.
"""

from __future__ import annotations

import math
import os
import socket
import sqlite3
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from sandbox_testkit import assert_nothing_left

from tutor.lessons import default_lessons_dir
from tutor.sandbox import CaseResult, RunResult, run_code
from tutor.sandbox.detect import Sandbox

Run = Callable[..., RunResult]
HOME = os.path.expanduser("~")
RUNTIME_UNDER_HOME = list(Path(sys.base_prefix).relative_to(HOME).parts[:1]) \
    if sys.base_prefix.startswith(HOME + os.sep) else []

ATTACKS = textwrap.dedent('''\
    import ctypes, os, signal, socket, sys


    class AlwaysEqual:
        def __eq__(self, other):
            return True
        def __float__(self):
            raise SystemExit("never called")


    class SneakyFloat(float):
        def __float__(self):
            return 0.0


    def passwd():
        return open("/etc/passwd").read()

    def listing(path, *allowed):
        return sum(1 for name in os.listdir(path) if name not in allowed)

    def other_learner(path):
        return len(open(path, "rb").read())

    def write_host(path):
        open(path, "w").write("pwned")

    def write_tmp():
        open("/tmp/gd-tutor-pwned", "w").write("pwned")

    def connect(port):
        socket.create_connection(("127.0.0.1", port), timeout=1)

    def kill_parent():
        os.kill(os.getppid(), signal.SIGKILL)

    def ctypes_fork():
        return ctypes.CDLL(None).syscall(57 if os.uname().machine == "x86_64" else 220, 17, 0)

    def exit_():
        sys.exit()

    def keyboard():
        raise KeyboardInterrupt

    def generator_exit():
        raise GeneratorExit("bye")

    def memory():
        return bytearray(10 * 2**30)

    def nan():
        return [float("nan"), float("inf"), -float("inf")]

    def huge():
        return [0.0] * 10**6

    def nested():
        value = []
        for _ in range(100_000):
            value = [value]
        return value

    def equal():
        return AlwaysEqual()

    def sneaky():
        return [SneakyFloat(1.5)]

    def big_int():
        return 10**400

    def f(name, *args):
        return globals()[name](*args)
''')


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A data dir with another learner's store, a host file, and a listening port."""
    data = tmp_path_factory.mktemp("class-data")
    (data / "learners" / "alice").mkdir(parents=True)
    store = data / "learners" / "alice" / "progress.db"
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE secrets (answer TEXT)")
        db.execute("INSERT INTO secrets VALUES ('alice solved it')")
    target = data / "host-file.txt"
    target.write_text("unchanged")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    yield {"store": store, "target": target, "listener": listener,
           "port": listener.getsockname()[1]}
    listener.close()


@pytest.fixture(scope="module")
def attacked(sandbox: None, host: dict[str, Any]) -> dict[str, CaseResult]:
    """Every survivable attack, one case each, in one sandboxed run."""
    calls = {"passwd": [], "other_learner": [str(host["store"])],
             "home": [HOME, *RUNTIME_UNDER_HOME], "lessons": [str(default_lessons_dir())],
             "write_host": [str(host["target"])], "write_tmp": [], "connect": [host["port"]],
             "kill_parent": [], "ctypes_fork": [], "exit_": [], "keyboard": [],
             "generator_exit": [], "memory": [], "nan": [], "huge": [], "nested": [],
             "equal": [], "sneaky": [], "big_int": []}
    cases = [{"args": [name if name not in ("home", "lessons") else "listing", *args]}
             for name, args in calls.items()]
    result = run_code(ATTACKS, "f", cases, isolate="require", spare=True)
    assert result.isolated
    assert_nothing_left(result)
    return dict(zip(calls, result.cases))


def _line(text: str) -> int:
    """The line of ATTACKS holding `text`, as the learner's editor would number it."""
    return next(n for n, line in enumerate(ATTACKS.splitlines(), 1) if text in line)


def _error(case: CaseResult) -> str:
    assert not case.ok and case.error and "\n" not in case.error, case
    return case.error


def test_etc_passwd_is_not_there(attacked: dict[str, CaseResult]) -> None:
    """Decided: no /etc at all in the sandbox, so not even a minimal passwd."""
    assert _error(attacked["passwd"]) == (
        f"line {_line('/etc/passwd')}: FileNotFoundError: [Errno 2] No such file or directory: "
        "'/etc/passwd'")


def test_another_learners_store_is_not_visible(attacked: dict[str, CaseResult],
                                               host: dict[str, Any]) -> None:
    assert "FileNotFoundError" in _error(attacked["other_learner"])
    assert host["store"].stat().st_size > 0


def test_home_and_the_lessons_are_not_visible(attacked: dict[str, CaseResult]) -> None:
    """$HOME shows nothing but the folder leading to the bound Python runtime, if any."""
    assert "FileNotFoundError" in _error(attacked["lessons"])
    if RUNTIME_UNDER_HOME:
        assert attacked["home"].value == 0
    else:
        assert "FileNotFoundError" in _error(attacked["home"])


def test_no_file_can_be_written_inside_or_outside(attacked: dict[str, CaseResult],
                                                  host: dict[str, Any]) -> None:
    assert "Error" in _error(attacked["write_host"]) and "Error" in _error(attacked["write_tmp"])
    assert host["target"].read_text() == "unchanged"
    assert not Path("/tmp/gd-tutor-pwned").exists()


def test_a_port_on_the_hosts_loopback_cannot_be_reached(attacked: dict[str, CaseResult],
                                                        host: dict[str, Any]) -> None:
    assert "PermissionError" in _error(attacked["connect"])
    with pytest.raises(BlockingIOError):
        host["listener"].accept()


def test_killing_the_parent_is_refused(attacked: dict[str, CaseResult]) -> None:
    assert "PermissionError" in _error(attacked["kill_parent"])


def test_ctypes_cannot_fork_behind_pythons_back(attacked: dict[str, CaseResult]) -> None:
    assert attacked["ctypes_fork"].value == -1


def test_exits_and_base_exceptions_are_sentences(attacked: dict[str, CaseResult]) -> None:
    assert _error(attacked["exit_"]) == (f"line {_line('sys.exit()')}: SystemExit: your code "
                                         "called sys.exit(); return the result instead")
    assert _error(attacked["keyboard"]) == f"line {_line('raise Keyboard')}: KeyboardInterrupt"
    assert _error(attacked["generator_exit"]) == (
        f"line {_line('GeneratorExit(')}: GeneratorExit: bye")


def test_ten_gibibytes_are_refused(attacked: dict[str, CaseResult]) -> None:
    case = attacked["memory"]
    assert case.kind == "memory" and _error(case) == (
        f"line {_line('10 * 2**30')}: MemoryError: your code used more memory than the sandbox "
        "allows")


def test_nan_and_infinities_come_back_as_numbers(attacked: dict[str, CaseResult]) -> None:
    nan, inf, minus_inf = attacked["nan"].value
    assert math.isnan(nan) and inf == math.inf and minus_inf == -math.inf


def test_odd_return_values_are_named_not_used(attacked: dict[str, CaseResult]) -> None:
    assert _error(attacked["huge"]) == "your f() returned more than 10,000 numbers"
    assert _error(attacked["nested"]) == "your f() returned lists nested more than 3 deep"
    assert _error(attacked["equal"]) == ("your f() returned a value of type AlwaysEqual, "
                                         "not a number or a list of numbers")
    assert "returned a value of type SneakyFloat" in _error(attacked["sneaky"])
    assert _error(attacked["big_int"]) == "your f() returned a whole number too large for a float"


def test_fork_in_a_loop_is_bounded(run: Run) -> None:
    """Only once fork() is known to be refused, a loop capped at 10,000 tries it."""
    assert Sandbox.detect().usable
    probe = run("import os\ndef f():\n    os.fork()\n").cases[0]
    assert probe.error == "line 3: PermissionError: [Errno 1] Operation not permitted"
    source = textwrap.dedent('''\
        import os
        def f():
            started = 0
            for _ in range(10_000):
                try:
                    pid = os.fork()
                except OSError:
                    continue
                if pid == 0:
                    os._exit(0)
                started += 1
            return started
    ''')
    assert run(source).cases[0].value == 0


def test_a_hundred_megabytes_of_output_stops_the_run(run: Run) -> None:
    source = textwrap.dedent('''\
        import os
        def f():
            print("x" * 100_000_000)
            os.write(1, b"y" * 100_000_000)
            for fd in range(3, 12):
                try:
                    os.write(fd, b"[" * 100_000_000)
                except OSError:
                    pass
    ''')
    case = run(source, wall_s=10).cases[0]  # 300 MB of writing: slow on a loaded machine
    assert case.kind == "output" and case.error == (
        "your code printed or returned more than 1 MB, so the run was stopped")


def test_a_forged_result_line_is_not_trusted(run: Run) -> None:
    source = textwrap.dedent('''\
        import os
        def f():
            for fd in range(3, 12):
                try:
                    os.write(fd, b"[" * 50_000 + b"\\n" + b'{"value": 1e999999}\\n')
                except OSError:
                    pass
            return 1
    ''')
    case = run(source).cases[0]
    assert case.kind == "invalid" and case.value is None


def test_a_crash_through_ctypes_is_one_sentence(run: Run) -> None:
    case = run("import ctypes\ndef f():\n    return ctypes.string_at(0)\n").cases[0]
    assert case.kind == "crash" and case.error.startswith(
        "the Python running your code crashed (SIGSEGV)")


def test_os_exit_is_one_sentence(run: Run) -> None:
    case = run("import os\ndef f():\n    os._exit(0)\n").cases[0]
    assert case.kind == "exited" and "ended Python before it returned" in case.error
