"""Detection, the fallback without bubblewrap, the command line, and reading child output."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

from sandbox_testkit import assert_nothing_left, processes_with
from tutor.sandbox import Sandbox, SandboxUnavailable, prewarm, run_code
from tutor.sandbox import detect as detect_module
from tutor.sandbox.command import bwrap_command, package_dirs
from tutor.sandbox.protocol import BadLine, case_result, numbers, parse_line
from tutor.sandbox.spares import SPARES


@pytest.fixture
def fake_bwrap(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Point detection at a stand-in for bwrap; detect afresh before and after."""
    yield monkeypatch
    monkeypatch.undo()
    Sandbox.detect(refresh=True)


def test_without_bubblewrap_auto_runs_unisolated_with_a_note(fake_bwrap: pytest.MonkeyPatch,
                                                              ) -> None:
    fake_bwrap.setattr(detect_module, "find_bwrap", lambda: None)
    info = Sandbox.detect(refresh=True)
    assert not info.usable and info.reason == "bubblewrap is not installed"
    result = run_code("def f():\n    return 2\n", "f", [{"args": []}])
    assert result.cases[0].value == 2 and not result.isolated
    assert result.note == "your code is not isolated on this machine: bubblewrap is not installed"
    assert_nothing_left(result)
    with pytest.raises(SandboxUnavailable) as refused:
        run_code("def f():\n    return 2\n", "f", [], isolate="require")
    assert str(refused.value) == ("code exercises are off on this server: "
                                  "bubblewrap is not installed")


def test_a_bwrap_that_cannot_create_namespaces_is_reported(fake_bwrap: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    script = tmp_path / "bwrap"
    script.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace, likely"
                      " because the kernel does not allow non-privileged user namespaces.' >&2\n"
                      "exit 1\n")
    script.chmod(0o755)
    fake_bwrap.setattr(detect_module, "find_bwrap", lambda: str(script))
    info = Sandbox.detect(refresh=True)
    assert not info.usable and info.reason == "bubblewrap cannot create namespaces here"
    assert info.note == ("your code is not isolated on this machine: "
                         "bubblewrap cannot create namespaces here")


def test_rlimits_and_the_filter_still_hold_without_bubblewrap(tmp_path: Path) -> None:
    """isolate="off" (a learner's own machine): no fork, no writes, no signals to us."""
    target = tmp_path / "progress.db"
    target.write_text("precious")
    source = ("import os\n"
              "def fork():\n    os.fork()\n"
              "def truncate(path):\n    open(path, 'w')\n"
              "def signal_parent():\n    os.kill(os.getppid(), 0)\n"
              "def f(name, *args):\n    return globals()[name](*args)\n")
    cases = [{"args": ["fork"]}, {"args": ["truncate", str(target)]},
             {"args": ["signal_parent"]}]
    result = run_code(source, "f", cases, isolate="off")
    assert not result.isolated and result.note.endswith("isolation is turned off")
    fork, truncate, signal_parent = (case.error for case in result.cases)
    assert fork == "line 3: PermissionError: [Errno 1] Operation not permitted"
    assert truncate.startswith("line 5: PermissionError: [Errno 13] Permission denied")
    assert signal_parent == "line 7: PermissionError: [Errno 1] Operation not permitted"
    assert target.read_text() == "precious"
    assert_nothing_left(result)


def test_the_command_mounts_tmp_first_and_binds_only_what_python_needs() -> None:
    argv = bwrap_command("/usr/bin/bwrap", "token")
    options = argv[: argv.index("--")]
    assert options.index("--tmpfs") < options.index("--ro-bind")
    assert "--bind" not in options and "--dev-bind" not in options
    sources = {options[i + 1] for i, word in enumerate(options) if word == "--ro-bind"}
    allowed = {sys.base_prefix, *package_dirs().values(),
               str(Path(detect_module.__file__).parent / "child")}
    assert sources - allowed <= {"/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64",
                                 "/lib32"}
    home = os.path.expanduser("~")
    assert home not in sources and "/etc" not in sources and "/" not in sources
    for word in ("--unshare-all", "--die-with-parent", "--new-session", "--cap-drop"):
        assert word in options


def test_lines_from_the_child_are_parsed_with_bounds() -> None:
    with pytest.raises(BadLine):
        parse_line(b'{"value": ' + b"9" * 5000 + b"}")
    with pytest.raises(BadLine):
        parse_line(b"[" * 100_000)
    with pytest.raises(BadLine):
        numbers([[[[1.0]]]])
    with pytest.raises(BadLine):
        numbers([True])
    with pytest.raises(BadLine):
        numbers([0.0] * 10_001)
    assert numbers([[1, 2.5], [float("nan")]])[0] == [1, 2.5]


def test_a_case_line_that_lies_about_its_shape_is_invalid() -> None:
    forged = case_result(b'{"kind": "error", "error": "\\u001b[31mred", "line": -4}')
    assert forged.kind == "invalid" and forged.error.startswith("your function returned")
    sneaky = case_result(b'{"kind": "error", "error": "\\u001b[31mred\\nsecond", "line": 4}')
    assert sneaky.error == "[31mred" and sneaky.line == 4


def test_a_spare_serves_one_run_and_is_not_shared_through_fork(sandbox: None) -> None:
    assert prewarm(isolate="require", wait_s=60)
    (waiting,) = SPARES.tokens()
    pid = os.fork()
    if pid == 0:  # a forked server process must not drive its parent's spare
        os._exit(0 if SPARES.tokens() == set() else 1)
    assert os.waitpid(pid, 0)[1] == 0
    result = run_code("def f():\n    return 1\n", "f", [{"args": []}], isolate="require")
    assert result.token == waiting and result.cases[0].value == 1
    assert SPARES.tokens() == set()
    assert_nothing_left(result)
    prewarm(isolate="require")
    (spare,) = SPARES.tokens()
    SPARES.clear()
    assert processes_with(spare) == []


def test_detection_needs_the_filter_not_only_a_refused_fork() -> None:
    """For a non-root user RLIMIT_NPROC alone refuses fork(); that is not enough."""
    from tutor.sandbox.process import ChildOutcome

    line = (b'{"probe": {"uid": 65534, "seccomp": false, "seccomp_error": "prctl failed",'
            b' "fork_blocked": true}}')
    info = detect_module._judge(ChildOutcome(lines=[line]), "/usr/bin/bwrap")
    assert not info.usable
    assert info.reason == "the sandbox cannot stop new processes on this machine (prctl failed)"
