"""Who may enter the class: authorized keys, the open door, and password files; and who
of them are teachers (`--teachers`, or `gd-tutor-teacher` on their keys), who get the
class dashboard instead of the tutor.

A teacher is a name, never a connection's wish: the role comes from the name the
key or password proved, and nothing a client sends (environment, command) can change
it. Every key naming a teacher must say so, so no learner's key can share that name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from tutor.errors import UserError
from tutor.serve.keyopts import (KEY_TYPE_PREFIXES, TEACHER_OPTION, KeyOptionError, KeyRules,
                                 key_rules, split_options)
from tutor.serve.names import content_lines, describe_rule, learner_name
from tutor.serve.passwords import load_password_file


def _key_entry(path: Path, number: int, line: str) -> tuple[bytes, str, KeyRules]:
    if not any(word.startswith(KEY_TYPE_PREFIXES) for word in line.split()):
        raise UserError(f"{path} line {number}: no public key found on this line.")
    try:
        options, rest = split_options(line)
        rules = key_rules(options)
    except KeyOptionError as exc:
        raise UserError(f"{path} line {number}: {exc}.") from None
    words = rest.split()
    if len(words) < 2 or not words[0].startswith(KEY_TYPE_PREFIXES):
        raise UserError(f"{path} line {number}: no public key found on this line.")
    kind, blob, comment = words[0], words[1], " ".join(words[2:])
    try:
        key = asyncssh.import_public_key(f"{kind} {blob}")
    except (asyncssh.KeyImportError, ValueError):
        raise UserError(f"{path} line {number}: the public key cannot be read.") from None
    name = learner_name(comment.split("@")[0]) if comment else None
    if name is None:
        raise UserError(f"{path} line {number}: the key's comment must name its learner "
                        f"({describe_rule()}), e.g. 'ssh-ed25519 AAAA... alice'.")
    return key.public_data, name, rules


@dataclass(frozen=True)
class KeyTable:
    """authorized_keys as read: each key's learner, the options of each line it is on, and
    the names its `gd-tutor-teacher` lines mark as teachers."""

    owners: dict[bytes, str] = field(default_factory=dict)
    rules: dict[bytes, list[KeyRules]] = field(default_factory=dict)
    teachers: set[str] = field(default_factory=set)


def load_authorized_keys(path: str | Path) -> KeyTable:
    """Read an OpenSSH authorized_keys file into a KeyTable.

    Each key's comment names its learner (`alice` or `alice@laptop` both mean
    alice). A learner may have several keys; one key may not name two learners.
    A key on several lines may log in under the options of any of them. A name is a
    teacher's on every line or on none: a line naming a teacher without the marker
    (a learner's key with a teacher's name) stops the server at start.
    """
    path = Path(path)
    table = KeyTable()
    lines: dict[tuple[str, bool], int] = {}  # (name, marked) -> first line
    for number, line in content_lines(path, "authorized keys file"):
        blob, name, rules = _key_entry(path, number, line)
        if table.owners.get(blob, name) != name:
            raise UserError(f"{path} line {number}: this key already belongs to "
                            f"{table.owners[blob]}.")
        table.owners[blob] = name
        table.rules.setdefault(blob, []).append(rules)
        lines.setdefault((name, rules.teacher), number)
        if rules.teacher:
            table.teachers.add(name)
    _check_marks(path, lines)
    return table


def _check_marks(path: Path, lines: dict[tuple[str, bool], int]) -> None:
    """UserError when a teacher's name is also on an unmarked line."""
    for (name, marked), number in sorted(lines.items(), key=lambda item: item[1]):
        if not marked and (name, True) in lines:
            raise UserError(f"{path} line {number}: this key names {name}, a teacher (marked "
                            f"{TEACHER_OPTION} on line {lines[(name, True)]}), but is not "
                            f"marked; mark every key of a teacher, or give this learner "
                            f"another name.")


@dataclass(frozen=True)
class Admission:
    """The door policy: which key or password logs in as which learner, and which names
    are teachers."""

    keys: KeyTable = field(default_factory=KeyTable)
    passwords: dict[str, str] = field(default_factory=dict)
    open_door: bool = False
    teachers: frozenset[str] = frozenset()  # with the names marked in `keys`

    def __post_init__(self) -> None:
        object.__setattr__(self, "teachers", frozenset(self.teachers) | self.keys.teachers)

    @classmethod
    def load(cls, authorized_keys: str | Path | None, passwords: str | Path | None,
             open_door: bool, teachers: Iterable[str] = ()) -> Admission:
        """Build the policy from the files and the `--teachers` names given to `gd-tutor serve`."""
        keys = load_authorized_keys(authorized_keys) if authorized_keys else KeyTable()
        table = load_password_file(passwords) if passwords else {}
        named = teacher_names(teachers)
        admission = cls(keys=keys, passwords=table, open_door=open_door,
                        teachers=frozenset(named))
        admission.check_teachers(named)
        return admission

    def check_teachers(self, named: Iterable[str]) -> None:
        """UserError when a teacher could be anyone (`--open`) or cannot log in at all."""
        if self.teachers and self.open_door:
            raise UserError("Teachers need a login: with --open anyone could type a teacher's "
                            "name, so give keys (--authorized-keys) or --passwords instead.")
        for name in named:
            if name not in set(self.keys.owners.values()) | set(self.passwords):
                raise UserError(f"--teachers names {name}, but no key or password lets "
                                f"{name} in.")

    def is_teacher(self, name: str | None) -> bool:
        """True when `name` (as proved by a key or password) is a teacher's; never at the
        open door, where a name proves nothing."""
        return not self.open_door and name is not None and name in self.teachers

    @property
    def key_owners(self) -> dict[bytes, str]:
        """{public key blob: learner name}."""
        return self.keys.owners

    def needs_auth(self, username: str) -> bool:
        """False only for the open door, where the SSH user name is the learner."""
        return not self.open_door

    def key_allowed(self, username: str, key: asyncssh.SSHKey, address: str,
                    now: float | None = None) -> bool:
        """True when `key` belongs to the learner named by `username` and its line's options
        (from=, expiry-time=) allow a login from `address` now."""
        blob = key.public_data
        owner = self.keys.owners.get(blob)
        if owner is None or owner != learner_name(username):
            return False
        return any(rules.allows(address, now) for rules in self.keys.rules.get(blob, []))


def teacher_names(text: Iterable[str]) -> list[str]:
    """The names in `--teachers ada,grace` (repeatable), checked as learner names."""
    names = []
    for part in (piece for item in text for piece in item.split(",")):
        if not part.strip():
            continue
        name = learner_name(part)
        if name is None:
            raise UserError(f"--teachers: '{part.strip()}' is not a name ({describe_rule()}).")
        names.append(name)
    return names
