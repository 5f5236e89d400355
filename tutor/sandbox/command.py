"""The command line that starts the sandbox child, with or without bubblewrap.

Inside bubblewrap the child sees only: the Python runtime (`sys.base_prefix`,
read-only), the shared libraries (/usr/lib, /usr/lib64 and the /lib links),
the harness (tutor/sandbox/child at /sandbox/child) and SymPy and mpmath (at
/sandbox/site), all read-only; an empty tmpfs /tmp; its own /proc and a minimal
/dev. No /etc (so no /etc/passwd), no $HOME, no data dir, no lessons, no network.
It runs as uid/gid 65534 in its own user, pid, net, ipc, uts and cgroup
namespaces with no capabilities, in a new session, and dies with its parent.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import sys
from pathlib import Path

CHILD_DIR = Path(__file__).resolve().parent / "child"
SANDBOX_CHILD = "/sandbox/child"
SANDBOX_SITE = "/sandbox/site"
PACKAGES = ("sympy", "mpmath")
LIBRARY_DIRS = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32")
NOBODY = "65534"
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); import harness; harness.run()"
CHILD_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def new_token() -> str:
    """A unique word on a child's command line (tests find leftovers by it)."""
    return "gd-tutor-sandbox-" + secrets.token_hex(8)


def find_bwrap() -> str | None:
    """The bubblewrap executable, or None when it is not installed."""
    return shutil.which("bwrap")


def python_binary() -> str:
    """The real interpreter under sys.base_prefix (a venv's python is only a link)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidate = Path(sys.base_prefix) / "bin" / version
    return str(candidate) if candidate.is_file() else os.path.realpath(sys.executable)


def package_dirs() -> dict[str, str]:
    """Where SymPy and mpmath live, found without importing them."""
    found = {}
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"{name} is not installed")
        found[name] = os.path.realpath(list(spec.submodule_search_locations)[0])
    return found


def plain_command(token: str) -> list[str]:
    """The child without bubblewrap: this venv's Python, isolated mode, no bytecode."""
    return [sys.executable, "-I", "-B", "-c", BOOT, str(CHILD_DIR), token]


def bwrap_command(bwrap: str, token: str) -> list[str]:
    """The child inside bubblewrap (see the module docstring for what it can see)."""
    python = python_binary()
    argv = [bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session",
            "--uid", NOBODY, "--gid", NOBODY, "--cap-drop", "ALL", "--hostname", "sandbox",
            "--tmpfs", "/tmp"]  # first: a tmpfs mounted after a bind under /tmp hides it
    argv += _ro_bind(sys.base_prefix, sys.base_prefix)
    if not python.startswith(os.path.join(sys.base_prefix, "")):
        argv += _ro_bind(python, python)
    argv += _library_binds()
    argv += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    argv += _ro_bind(str(CHILD_DIR), SANDBOX_CHILD)
    for name, path in package_dirs().items():
        argv += _ro_bind(path, f"{SANDBOX_SITE}/{name}")
    argv += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp", "--",
             python, "-I", "-B", "-c", BOOT, SANDBOX_CHILD, token]
    return argv


def _ro_bind(source: str, target: str) -> list[str]:
    return ["--ro-bind", source, target]


def _library_binds() -> list[str]:
    """Shared libraries: real directories bound read-only, links recreated as links."""
    argv: list[str] = []
    for path in LIBRARY_DIRS:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += _ro_bind(path, path)
    return argv


def sandbox_paths(isolated: bool) -> list[str]:
    """Extra sys.path entries the child needs to import SymPy."""
    return [SANDBOX_SITE] if isolated else []
