"""Hashed password files for `gd-tutor serve --passwords FILE`.

Format: one learner a line, `name:scrypt$N$r$p$SALT_HEX$HASH_HEX`; blank lines
and lines starting with `#` are ignored. Make a line with
`python -m tutor.serve.passwords NAME` (asks for the password twice).
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import sys
from pathlib import Path

from tutor.errors import UserError
from tutor.serve.names import content_lines, describe_rule, learner_name

_N, _R, _P = 2**14, 8, 1
_DKLEN = 32


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Return the stored form `scrypt$N$r$p$salt$hash` of `password`."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored `scrypt$...` form (constant time)."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(hash_hex)
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected),
                                maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


def _parse_line(path: Path, number: int, line: str) -> tuple[str, str]:
    name_raw, sep, stored = line.partition(":")
    name = learner_name(name_raw)
    if not sep or name is None:
        raise UserError(f"{path} line {number}: expected 'name:scrypt$...' with a name of "
                        f"{describe_rule()}.")
    if not stored.startswith("scrypt$") or stored.count("$") != 5:
        raise UserError(f"{path} line {number}: the password is not an scrypt hash; make one "
                        "with 'python -m tutor.serve.passwords NAME'.")
    return name, stored


def load_password_file(path: str | Path) -> dict[str, str]:
    """Read a password file into {learner name: stored hash}; UserError if malformed."""
    path = Path(path)
    table: dict[str, str] = {}
    for number, line in content_lines(path, "password file"):
        name, stored = _parse_line(path, number, line)
        table[name] = stored
    return table


def main(argv: list[str] | None = None) -> int:
    """Print one password-file line for the learner named on the command line."""
    args = sys.argv[1:] if argv is None else argv
    name = learner_name(args[0]) if len(args) == 1 else None
    if name is None:
        sys.stderr.write(f"usage: python -m tutor.serve.passwords NAME ({describe_rule()})\n")
        return 2
    first = getpass.getpass(f"Password for {name}: ")
    if not first or first != getpass.getpass("Again: "):
        sys.stderr.write("The passwords were empty or did not match.\n")
        return 2
    print(f"{name}:{hash_password(first)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
